"""CCC loss (Khorram §6.1) and the pooled ConcordanceCorrelation metric in Keras."""

import keras
import numpy as np
import pytest

from common.metrics import ConcordanceCorrelation, ccc, ccc_loss, ccc_pooled

RNG = np.random.default_rng(0)


def _pair(shape):
    y = RNG.standard_normal(shape).astype("float32")
    return y, (0.7 * y + 0.3 + 0.5 * RNG.standard_normal(shape)).astype("float32")


def test_loss_is_one_minus_ccc_of_each_sequence():
    y, p = _pair((3, 60, 1))
    expected = [1 - ccc(a, b) for a, b in zip(y, p, strict=True)]
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ccc_loss(y, p)), expected, atol=1e-5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ccc_loss(y[..., 0], p)), expected, atol=1e-5)
    y2, p2 = _pair((2, 40, 2))
    per_channel = [[1 - ccc(y2[b, :, c], p2[b, :, c]) for c in range(2)] for b in range(2)]
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ccc_loss(y2, p2)), np.mean(per_channel, 1), atol=1e-5)


def test_loss_trains_from_constant_predictions_without_nan():
    x = RNG.standard_normal((2, 50, 4)).astype("float32")
    y = x[..., :1] * 0.5
    model = keras.Sequential([keras.Input((None, 4)), keras.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=ccc_loss, metrics=[ConcordanceCorrelation()])
    first = model.evaluate(x, y, batch_size=1, verbose=0, return_dict=True)
    assert np.isclose(first["loss"], 1.0) and np.isfinite(first["ccc"])
    history = model.fit(x, y, batch_size=1, epochs=3, verbose=0)
    assert np.all(np.isfinite(history.history["loss"])) and history.history["loss"][-1] < 1.0
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert keras.saving.get_registered_name(ccc_loss) == "sereprod>ccc_loss"


def test_metric_pools_across_batches():
    y, p = _pair((4, 30, 1))
    metric = ConcordanceCorrelation()
    metric.update_state(y[:1], p[:1])
    metric.update_state(y[1:], p[1:])
    assert np.isclose(float(metric.result()), ccc_pooled(list(y), list(p)), atol=1e-6)
    metric.reset_state()
    metric.update_state(y[:2], p[:2])
    assert np.isclose(float(metric.result()), ccc_pooled(list(y[:2]), list(p[:2])), atol=1e-6)


def test_metric_sample_weight_masks_padded_frames():
    y, p = _pair((2, 20, 1))
    mask = np.ones((2, 20), "float32")
    mask[1, 12:] = 0.0
    metric = ConcordanceCorrelation()
    metric.update_state(y, p, sample_weight=mask)
    expected = ccc(np.concatenate([y[0], y[1, :12]]), np.concatenate([p[0], p[1, :12]]))
    assert np.isclose(float(metric.result()), expected, atol=1e-6)


def test_pooled_ccc_stays_accurate_over_an_epoch_of_offset_frames() -> None:
    """9 x 7,501 frames far from zero, batch by batch: the centred merge must match the NumPy value (also in
    float32 on JAX, where float64 sums of squares would lose the variance)."""
    from common.metrics import ccc_pooled

    rng = np.random.default_rng(3)
    truth = [50.0 + rng.normal(size=7501).astype("float32") for _ in range(9)]
    preds = [t + 0.5 * rng.normal(size=t.size).astype("float32") for t in truth]
    metric = ConcordanceCorrelation()
    for t, p in zip(truth, preds, strict=True):
        metric.update_state(t[None, :, None], p[None, :, None])
    assert float(metric.result()) == pytest.approx(ccc_pooled(truth, preds), abs=2e-4)
