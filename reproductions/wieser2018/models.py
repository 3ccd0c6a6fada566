"""Functional-API builders of the ELoR, LoM, FTR and ELoR + FTR networks (Wieser et al. 2018, §2.1.1, §2.2).

Every network ends in two separate MLP heads named ``arousal`` and ``valence`` (softmax outputs); the pre-softmax
layers ``arousal_logits`` / ``valence_logits`` are used by the saliency maps and activation maximisation.
Layers of the shared feature extractor are prefixed ``cnn_``, head layers by the head's name.
"""

from __future__ import annotations

import keras
from keras import layers, regularizers

from reproductions.wieser2018.hyperparameters import (
    CNNHP,
    DIMENSIONS,
    ELOR_CNN,
    FTR_DIM,
    HEAD_MLP,
    MFCC_FRAMES,
    MLPHP,
    N_CLASSES,
    N_MFCC,
    WINDOW_SAMPLES,
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
