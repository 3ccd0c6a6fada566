"""Functional-API builders of the ELoR, LoM, FTR and ELoR + FTR networks (Wieser et al. 2018, §2.1.1, §2.2), and
the one place that turns (network, profile settings, tuned overrides) into a model and its inputs (§2.1-§2.2).

Every network ends in two separate MLP heads named ``arousal`` and ``valence`` (softmax outputs); the pre-softmax
layers ``arousal_logits`` / ``valence_logits`` are used by the saliency maps and activation maximisation.
Layers of the shared feature extractor are prefixed ``cnn_``, head layers by the head's name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import keras
import numpy as np
from keras import layers, regularizers

from common.training.batches import ShuffledBatches
from reproductions.wieser2018.data import Samples
from reproductions.wieser2018.hyperparameters import (
    CNNHP,
    DIMENSIONS,
    ELOR_CNN,
    FTR_DIM,
    HEAD_MLP,
    LOM_CNN,
    MFCC_FRAMES,
    MLPHP,
    N_CLASSES,
    N_MFCC,
    TRAINING_HP,
    WINDOW_SAMPLES,
    TrainingHP,
    scaled_cnn,
)


def cnn_stack(x: keras.KerasTensor, cnn: CNNHP, alpha_w: float) -> keras.KerasTensor:
    """§2.1.1: Conv1D (stride 1, He-adjusted normalised init) -> batch norm -> max-pool -> ReLU, three times."""
    for i, (f, k, p) in enumerate(zip(cnn.filters, cnn.kernel_sizes, cnn.pool_sizes, strict=True), start=1):
        x = layers.Conv1D(f, k, strides=1, padding="same", kernel_initializer="he_uniform",
                          kernel_regularizer=regularizers.L2(alpha_w), name=f"cnn_conv{i}")(x)
        x = layers.BatchNormalization(name=f"cnn_bn{i}")(x)
        x = layers.MaxPooling1D(p, name=f"cnn_pool{i}")(x)
        x = layers.ReLU(name=f"cnn_relu{i}")(x)
    return layers.Flatten(name="cnn_flatten")(x)


def mlp_head(x: keras.KerasTensor, name: str, mlp: MLPHP, alpha_w: float) -> keras.KerasTensor:
    """§2.1.1: dropout on each layer, two sigmoid hidden layers (Glorot init), 5-way softmax (Eq. 2)."""
    for i, units in enumerate(mlp.hidden_units, start=1):
        x = layers.Dropout(mlp.dropout, name=f"{name}_dropout{i}")(x)
        x = layers.Dense(units, activation="sigmoid", kernel_initializer="glorot_uniform",
                         kernel_regularizer=regularizers.L2(alpha_w), name=f"{name}_hidden{i}")(x)
    x = layers.Dropout(mlp.dropout, name=f"{name}_dropout{len(mlp.hidden_units) + 1}")(x)
    logits = layers.Dense(N_CLASSES, kernel_initializer="glorot_uniform",
                          kernel_regularizer=regularizers.L2(alpha_w), name=f"{name}_logits")(x)
    return layers.Activation("softmax", name=name)(logits)


def _heads(x: keras.KerasTensor, mlp: MLPHP, alpha_w: float) -> dict[str, keras.KerasTensor]:
    return {dim: mlp_head(x, dim, mlp, alpha_w) for dim in DIMENSIONS}


def build_elor(alpha_w: float, window: int = WINDOW_SAMPLES, cnn: CNNHP = ELOR_CNN,
               mlp: MLPHP = HEAD_MLP) -> keras.Model:
    """ELoR (§2.1.1, Fig. 2): raw waveform (window, 1) -> shared 1D CNN -> two MLP heads."""
    wave = keras.Input((window, 1), name="waveform")
    return keras.Model(wave, _heads(cnn_stack(wave, cnn, alpha_w), mlp, alpha_w), name="elor")


def build_lom(alpha_w: float, cnn: CNNHP, frames: int = MFCC_FRAMES, mlp: MLPHP = HEAD_MLP) -> keras.Model:
    """LoM (§2.2.1, Fig. 3a): 599 x 26 MFCCs, each coefficient a channel, 1D convolution and pooling in time."""
    mfccs = keras.Input((frames, N_MFCC), name="mfcc")
    return keras.Model(mfccs, _heads(cnn_stack(mfccs, cnn, alpha_w), mlp, alpha_w), name="lom")


def build_ftr(alpha_w: float, n_features: int = FTR_DIM, mlp: MLPHP = HEAD_MLP) -> keras.Model:
    """FTR (§2.2.2, Fig. 3b): the 1582 IS10 functionals fed directly to the two MLPs."""
    feats = keras.Input((n_features,), name="functionals")
    return keras.Model(feats, _heads(feats, mlp, alpha_w), name="ftr")


def build_elor_ftr(alpha_w: float, window: int = WINDOW_SAMPLES, cnn: CNNHP = ELOR_CNN,
                   n_features: int = FTR_DIM, mlp: MLPHP = HEAD_MLP) -> keras.Model:
    """ELoR + FTR (§2.2.3, Fig. 3c): the CNN's learned representation concatenated with the functionals."""
    wave = keras.Input((window, 1), name="waveform")
    feats = keras.Input((n_features,), name="functionals")
    joint = layers.Concatenate(name="cnn_concat_functionals")([cnn_stack(wave, cnn, alpha_w), feats])
    return keras.Model({"waveform": wave, "functionals": feats}, _heads(joint, mlp, alpha_w), name="elor_ftr")


USES_CNN = {"ELoR": "elor", "LoM": "lom", "FTR": None, "ELoR + FTR": "elor"}


@dataclass(frozen=True)
class NetworkConfig:
    """Everything one network needs: Tables 1-4 training values, its CNN (Fig. 2/3a) and heads."""

    network: str
    training: TrainingHP
    cnn: CNNHP | None
    mlp: MLPHP


def network_config(network: str, settings: Any, overrides: dict[str, Any] | None = None) -> NetworkConfig:
    """The paper's values (scaled by the profile's settings), then any tuned ``overrides`` (search_space.py)."""
    o = dict(overrides or {})
    training = replace(TRAINING_HP[network], **{k: o[k] for k in TrainingHP.__dataclass_fields__ if k in o})
    kind = USES_CNN[network]
    cnn = None
    if kind:
        base = scaled_cnn(ELOR_CNN if kind == "elor" else LOM_CNN, getattr(settings, f"{kind}_filters"))
        if getattr(settings, f"{kind}_kernel_sizes", None):
            base = replace(base, kernel_sizes=tuple(getattr(settings, f"{kind}_kernel_sizes")))
        if "filters_1" in o:
            cnn = CNNHP(filters=tuple(o[f"filters_{i}"] for i in (1, 2, 3)),
                        kernel_sizes=tuple(o[f"kernel_{i}"] for i in (1, 2, 3)),
                        pool_sizes=tuple(o[f"pool_{i}"] for i in (1, 2, 3)))
        else:
            cnn = base
    hidden = tuple(settings.hidden_units or HEAD_MLP.hidden_units)
    mlp = MLPHP(hidden_units=(o.get("hidden_1", hidden[0]), o.get("hidden_2", hidden[1])),
                dropout=o.get("dropout", HEAD_MLP.dropout))
    return NetworkConfig(network, training, cnn, mlp)


def build_network(cfg: NetworkConfig, samples: Samples) -> keras.Model:
    """The functional model of ``cfg.network`` sized to the samples' window / MFCC frames / feature count."""
    a = cfg.training.alpha_w
    window = samples.waveforms.shape[1]
    if cfg.network == "ELoR":
        return build_elor(a, window=window, cnn=cfg.cnn, mlp=cfg.mlp)
    if cfg.network == "LoM":
        return build_lom(a, cnn=cfg.cnn, frames=samples.mfccs.shape[1], mlp=cfg.mlp)
    if cfg.network == "FTR":
        return build_ftr(a, n_features=samples.functionals.shape[1], mlp=cfg.mlp)
    return build_elor_ftr(a, window=window, cnn=cfg.cnn, n_features=samples.functionals.shape[1], mlp=cfg.mlp)


def functional_stats(samples: Samples, train_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Training-fold mean / std of the functionals (z-normalisation; README assumption)."""
    f = samples.functionals[train_rows]
    return f.mean(axis=0), f.std(axis=0) + 1e-8


def network_inputs(network: str, samples: Samples, rows: np.ndarray,
                   stats: tuple[np.ndarray, np.ndarray]) -> Any:
    """Inputs of ``network`` for the sample ``rows``: waveform (N, L, 1), MFCC (N, T, 26), functionals (N, D)."""
    if network == "LoM":
        return samples.mfccs[rows]
    feats = ((samples.functionals[rows] - stats[0]) / stats[1]).astype(np.float32)
    if network == "FTR":
        return feats
    wave = samples.waveforms[rows, :, None]
    return wave if network == "ELoR" else {"waveform": wave, "functionals": feats}


class RowInputs:
    """:func:`network_inputs` of the sample ``rows``, built only for the rows asked: ``view[i]`` is the inputs of
    ``rows[i]``. What the alternating-heads trainer slices batch by batch, so the rows' 6 s waveforms (about
    2.4 GB for a full fold) are never copied at once."""

    def __init__(self, network: str, samples: Samples, rows: np.ndarray, stats: tuple[np.ndarray, np.ndarray]) -> None:
        self.network, self.samples, self.rows, self.stats = network, samples, np.asarray(rows), stats

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, items: np.ndarray) -> Any:
        return network_inputs(self.network, self.samples, self.rows[items], self.stats)


class SampleBatches(ShuffledBatches):
    """:func:`network_inputs` of the sample ``rows``, built batch by batch, with the class labels of both
    dimensions (training) or without (prediction): no copy of the rows' 6 s waveforms is made for ``fit``."""

    HELD = ("samples", "rows", "stats", "y")

    def __init__(self, network: str, samples: Samples, rows: np.ndarray, stats: tuple[np.ndarray, np.ndarray],
                 y: dict[str, np.ndarray] | None = None, batch_size: int = 32, shuffle: bool = False,
                 seed: int = 0) -> None:
        super().__init__(len(rows), batch_size, shuffle, seed)
        self.network, self.samples, self.rows, self.stats, self.y = network, samples, np.asarray(rows), stats, y

    def __getitem__(self, index: int) -> Any:
        items = self.items(index)
        x = network_inputs(self.network, self.samples, self.rows[items], self.stats)
        return x if self.y is None else (x, {d: v[items] for d, v in self.y.items()})
