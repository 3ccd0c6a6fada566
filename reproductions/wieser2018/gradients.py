"""Per-backend gradients for the paper's hand-written steps (alternating heads, saliency, activation maximisation).

Keras 3 has no backend-neutral "gradient of this function": TensorFlow uses ``tf.GradientTape``, JAX
``jax.value_and_grad``. Everything else (the networks, losses, guided ReLU, optimizers) is Keras. A backend
other than these two is refused with a clear error, never silently replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import numpy as np

from common.errors import ConfigError

SUPPORTED = ("tensorflow", "jax")


def backend() -> str:
    name = keras.backend.backend()
    if name not in SUPPORTED:
        raise ConfigError(f"wieser2018's training and visualisations need KERAS_BACKEND in {SUPPORTED}, got {name!r}")
    return name


def input_gradient(fn: Callable[[Any], Any]) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """``fn`` (input tensor -> scalar) -> a function x -> (fn(x), d fn / d x) on NumPy arrays, compiled once."""
    if backend() == "tensorflow":
        import tensorflow as tf

        @tf.function(reduce_retracing=True)
        def step(x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                value = fn(x)
            return value, tape.gradient(value, x)

        def run(x: np.ndarray) -> tuple[float, np.ndarray]:
            value, grad = step(tf.convert_to_tensor(x, dtype=tf.float32))
            return float(value), grad.numpy()
        return run
    import jax
    import jax.numpy as jnp

    jitted = jax.jit(jax.value_and_grad(fn))

    def run_jax(x: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = jitted(jnp.asarray(x, dtype=jnp.float32))
        return float(value), np.asarray(grad)
    return run_jax


def head_step(net: keras.Model, loss_of: Callable[[dict, Any], Any], indices: list[int],
              optimizer: keras.optimizers.Optimizer) -> Callable[[Any, Any], float]:
    """One optimizer step of ``net``'s trainable variables at ``indices`` on ``loss_of(outputs, y, trainable)``.

    ``loss_of(outputs, y, trainable_values)`` gets the network's outputs (training mode), the labels and the values
    of all its trainable variables (for the L2 term). ``optimizer`` must be built on exactly those variables, in
    that order. The batch-norm statistics and dropout seeds advance as in ``fit``. TensorFlow: one
    ``tf.function`` with a ``GradientTape``; JAX: one jitted ``value_and_grad`` of ``stateless_call`` followed by
    the optimizer's ``stateless_apply``, whose results are written back into the variables.
    """
    variables = [net.trainable_variables[i] for i in indices]
    if backend() == "tensorflow":
        import tensorflow as tf

        @tf.function(reduce_retracing=True)
        def step(x, y):
            with tf.GradientTape() as tape:
                out = net(x, training=True)
                loss = loss_of(out, y, [v.value for v in net.trainable_variables])
            grads = tape.gradient(loss, variables)
            optimizer.apply_gradients(zip(grads, variables, strict=True))
            return loss

        return lambda x, y: float(step(x, y))
    import jax

    def loss_fn(trainable, non_trainable, x, y):
        out, new_non_trainable = net.stateless_call(trainable, non_trainable, x, training=True)
        return loss_of(out, y, trainable), new_non_trainable

    def step_fn(trainable, non_trainable, optimizer_values, x, y):
        (loss, new_non_trainable), grads = jax.value_and_grad(loss_fn, has_aux=True)(trainable, non_trainable, x, y)
        updated, new_optimizer_values = optimizer.stateless_apply(
            optimizer_values, [grads[i] for i in indices], [trainable[i] for i in indices])
        return loss, new_non_trainable, updated, new_optimizer_values

    jitted = jax.jit(step_fn)

    def step_jax(x, y) -> float:
        loss, non_trainable, updated, optimizer_values = jitted(
            [v.value for v in net.trainable_variables], [v.value for v in net.non_trainable_variables],
            [v.value for v in optimizer.variables], x, y)
        for group, values in ((net.non_trainable_variables, non_trainable), (variables, updated),
                              (optimizer.variables, optimizer_values)):
            for v, value in zip(group, values, strict=True):
                v.assign(value)
        return float(loss)
    return step_jax
