"""Network-driven visualisation (§2.3.1, §4.2.2): generalised inputs by activation maximisation (Eq. 4).

x* = argmax_x a_{c,k}(x) - lambda * ||x||_2^2, with a_{c,k} the pre-softmax score of output neuron c
(Simonyan et al. [57]), found by gradient ascent from a small random signal (Erhan et al. [17]).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf


def neuron_score_model(net: keras.Model, dim: str) -> keras.Model:
    """The network from its waveform input to the five logits of ``dim``."""
    return keras.Model(net.inputs, net.get_layer(f"{dim}_logits").output)


class ActivationMaximiser:
    """Gradient ascent on Eq. 4 for any output neuron of one score model (one traced step for all neurons).

    Each step moves x by ``learning_rate`` times the RMS-normalised gradient (the paper says only "stochastic
    gradient ascent"; normalising makes the step size independent of the network's gradient scale); x stays
    in [-1, 1], the range of the scaled int16 input (§3.2).
    """

    def __init__(self, scores: keras.Model, length: int, learning_rate: float, l2_lambda: float) -> None:
        self.scores = scores
        self.x = tf.Variable(tf.zeros((1, length, 1)))
        self.learning_rate = learning_rate
        self.l2_lambda = l2_lambda

    def score(self, neuron: int) -> float:
        return float(self.scores(self.x, training=False)[0, neuron])

    @tf.function
    def _step(self, neuron: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            score = tf.gather(self.scores(self.x, training=False)[0], neuron)
            objective = score - self.l2_lambda * tf.reduce_sum(tf.square(self.x))
        grad = tape.gradient(objective, self.x)
        step = self.learning_rate * grad / (tf.sqrt(tf.reduce_mean(tf.square(grad))) + 1e-12)
        self.x.assign(tf.clip_by_value(self.x + step, -1.0, 1.0))
        return score

    def run(self, neuron: int, steps: int, init_std: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """x* of shape (length,) and the neuron's score before each step and after the last."""
        rng = np.random.default_rng(seed)
        self.x.assign(rng.normal(0.0, init_std, self.x.shape).astype(np.float32))
        n = tf.constant(neuron)
        history = [float(self._step(n)) for _ in range(steps)] + [self.score(neuron)]
        return self.x.numpy()[0, :, 0], np.array(history)
