"""The CCC loss the models optimise (§6.1) has the right value and a sane gradient."""

import numpy as np
import tensorflow as tf

from common.metrics import ccc, ccc_loss

RNG = np.random.default_rng(0)


def _loss_and_grad(y: np.ndarray, p: np.ndarray) -> tuple[float, np.ndarray]:
    pred = tf.Variable(p[None, :, None], dtype=tf.float32)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(ccc_loss(tf.constant(y[None, :, None], tf.float32), pred))
    return float(loss), tape.gradient(loss, pred).numpy().reshape(-1)


def test_loss_is_one_minus_ccc_and_gradient_matches_finite_differences() -> None:
    y, p = RNG.standard_normal(50), RNG.standard_normal(50)
    loss, grad = _loss_and_grad(y, p)
    assert loss == np.float32(1 - ccc(y, p)) or abs(loss - (1 - ccc(y, p))) < 1e-5
    eps = 1e-4
    numeric = np.array([((1 - ccc(y, p + eps * e)) - (1 - ccc(y, p - eps * e))) / (2 * eps)
                        for e in np.eye(50)[:10]])
    np.testing.assert_allclose(grad[:10], numeric, rtol=1e-2, atol=1e-4)


def test_perfect_prediction_is_a_minimum_and_descent_raises_ccc() -> None:
    y = np.sin(np.linspace(0, 6, 200))
    loss, grad = _loss_and_grad(y, y.copy())
    assert abs(loss) < 1e-5 and np.abs(grad).max() < 1e-4
    p = 0.3 * y + 0.2
    _, grad = _loss_and_grad(y, p)
    assert ccc(y, p - 0.5 * grad / np.abs(grad).max()) > ccc(y, p)


def test_constant_prediction_gives_finite_loss_and_gradient() -> None:
    loss, grad = _loss_and_grad(RNG.standard_normal(30), np.zeros(30))
    assert abs(loss - 1.0) < 1e-6 and np.all(np.isfinite(grad)) and np.abs(grad).max() > 0
