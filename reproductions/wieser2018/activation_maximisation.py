"""Network-driven visualisation (§2.3.1, §4.2.2): generalised inputs by activation maximisation (Eq. 4).

x* = argmax_x a_{c,k}(x) - lambda * ||x||_2^2, with a_{c,k} the pre-softmax score of output neuron c
(Simonyan et al. [57]), found by gradient ascent from a small random signal (Erhan et al. [17]).

Step rule (the paper says only "stochastic gradient ascent"; README, "Assumptions and deviations"): each step
moves x by the gradient normalised to RMS ``level_rms / steps``, so the whole ascent moves x by at most
``level_rms`` (RMS) whatever the number of steps. The level is the loudness of the network's own training
windows (``training_loudness_dbfs``), as Simonyan et al. [57] start from the training set's mean input: a scale
the network has seen, taken from the data, never from Table 6, whose loudness and amplitude rows it bounds.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from reproductions.wieser2018.gradients import input_gradient

#: windows read at a time when measuring the training loudness (no copy of the whole training set)
LOUDNESS_CHUNK = 256


def training_loudness_dbfs(waveforms: np.ndarray, rows: np.ndarray) -> float:
    """Mean loudness (dBFS, 20 log10 RMS as Table 6 measures it) of the training windows ``waveforms[rows]``,
    the network's inputs as it saw them (zero padding of §3.2 included), read ``LOUDNESS_CHUNK`` rows at a time."""
    rows = np.asarray(rows)
    if rows.size == 0:
        raise ValueError("no training windows to measure the activation-maximisation level on")
    levels = [20 * np.log10(np.sqrt(np.mean(np.square(waveforms[rows[i:i + LOUDNESS_CHUNK]], dtype=np.float64),
                                            axis=1)) + 1e-12)
              for i in range(0, rows.size, LOUDNESS_CHUNK)]
    return float(np.mean(np.concatenate(levels)))


def dbfs_to_rms(level_dbfs: float) -> float:
    return float(10 ** (level_dbfs / 20))


def neuron_score_model(net: keras.Model, dim: str) -> keras.Model:
    """The network from its waveform input to the five logits of ``dim``."""
    return keras.Model(net.inputs, net.get_layer(f"{dim}_logits").output)


class ActivationMaximiser:
    """Gradient ascent on Eq. 4 for any output neuron of one score model, on any supported backend.

    ``level_rms`` is the ascent's total RMS allowance (module docstring); x stays in [-1, 1], the range of the
    scaled int16 input (§3.2).
    """

    def __init__(self, scores: keras.Model, length: int, l2_lambda: float, level_rms: float) -> None:
        self.scores = scores
        self.length = length
        self.l2_lambda = l2_lambda
        self.level_rms = level_rms

    def run(self, neuron: int, steps: int, init_std: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """x* of shape (length,) and the neuron's score before each step and after the last."""
        lam = self.l2_lambda
        objective = input_gradient(
            lambda x: self.scores(x, training=False)[0, neuron] - lam * ops.sum(ops.square(x)))
        x = np.random.default_rng(seed).normal(0.0, init_std, (1, self.length, 1)).astype(np.float32)
        step_rms = self.level_rms / max(1, steps)
        history = []
        for _ in range(steps + 1):
            value, grad = objective(x)
            history.append(value + lam * float(np.sum(np.square(x, dtype=np.float64))))
            if len(history) > steps:
                break
            x = np.clip(x + step_rms * grad / (np.sqrt(np.mean(np.square(grad))) + 1e-12), -1.0, 1.0)
        return x[0, :, 0].astype(np.float32), np.array(history)
