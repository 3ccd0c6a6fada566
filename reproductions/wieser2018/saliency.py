"""Data-driven visualisation (§2.3.2, §4.2.1): guided-backpropagation saliency maps of the predicted class.

Guided backpropagation (Springenberg et al. [59]) changes only the backward pass of each ReLU: a gradient flows
where the ReLU's input was positive *and* the incoming gradient is positive. The saliency target is the
pre-softmax score (``<dim>_logits``) of the class the network predicts for the input.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers, ops

from common.metrics import pearson
from reproductions.wieser2018.gradients import input_gradient
from reproductions.wieser2018.hyperparameters import DIMENSIONS


@ops.custom_gradient
def guided_relu(x):
    """max(0, x) forward; backward passes dy only where x > 0 and dy > 0 (keras.ops, any backend)."""
    def grad(*args, upstream=None):
        dy = args[0] if upstream is None else upstream
        return dy * ops.cast(x > 0, dy.dtype) * ops.cast(dy > 0, dy.dtype)
    return ops.relu(x), grad


class GuidedReLU(layers.Layer):
    """Drop-in replacement of ``keras.layers.ReLU`` with the guided backward pass."""

    def call(self, inputs):
        return guided_relu(inputs)


def guided_logits_model(net: keras.Model) -> keras.Model:
    """A copy of ``net`` (same weights) whose ReLUs are guided, with the per-dimension logits as outputs."""
    def clone(layer: layers.Layer) -> layers.Layer:
        if isinstance(layer, layers.ReLU):
            return GuidedReLU(name=layer.name)
        return layer.__class__.from_config(layer.get_config())

    copy = keras.models.clone_model(net, clone_function=clone)
    copy.set_weights(net.get_weights())
    return keras.Model(copy.inputs, {d: copy.get_layer(f"{d}_logits").output for d in DIMENSIONS})


def saliency_maps(guided: keras.Model, waves: np.ndarray, batch: int = 8) -> dict[str, np.ndarray]:
    """d(score of the predicted class)/d(input) per dimension -> {dim: (N, L)} (§2.3.2)."""
    out: dict[str, list[np.ndarray]] = {d: [] for d in DIMENSIONS}
    gradient = {d: input_gradient(lambda x, d=d: ops.sum(ops.max(guided(x, training=False)[d], axis=-1)))
                for d in DIMENSIONS}
    for start in range(0, len(waves), batch):
        x = waves[start:start + batch, :, None].astype(np.float32)
        for dim in DIMENSIONS:
            out[dim].append(gradient[dim](x)[1][..., 0])
    return {d: np.concatenate(v) for d, v in out.items()}


def saliency_correlations(waves: np.ndarray, maps: dict[str, np.ndarray],
                          lengths: np.ndarray) -> tuple[dict[str, float], dict[str, int]]:
    """§4.2.1, averaged over samples, each over its non-padded part: r(|x|, |saliency|) per dimension, and
    r(arousal map, valence map) -> (means, number of samples in each mean).

    A constant saliency map (e.g. every ReLU of the predicted class's path dead for that input) has no Pearson
    correlation; such samples are left out of the mean and out of its count."""
    def r(a: np.ndarray, b: np.ndarray) -> float:
        return pearson(a, b) if np.ptp(a) > 0 and np.ptp(b) > 0 else float("nan")

    res: dict[str, list[float]] = {**{d: [] for d in DIMENSIONS}, "arousal_vs_valence": []}
    for i, n in enumerate(lengths):
        amp = np.abs(waves[i, :n])
        for d in DIMENSIONS:
            res[d].append(r(amp, np.abs(maps[d][i, :n])))
        res["arousal_vs_valence"].append(r(maps["arousal"][i, :n], maps["valence"][i, :n]))
    defined = {k: np.asarray(v, dtype=float)[np.isfinite(v)] for k, v in res.items()}
    return ({k: float(v.mean()) if v.size else float("nan") for k, v in defined.items()},
            {k: int(v.size) for k, v in defined.items()})
