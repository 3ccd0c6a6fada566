"""LDNN and X-CLDNN builders (Huang & Narayanan 2017, §3.1, §3.3, Tables 1-2, Fig. 1).

Every frame x_t of an utterance is a spliced M x 16 patch (§6.2: 40 x 16 log-Mels or 13 x 16 MFCCs).
The two X-Conv layers run on each patch independently (``TimeDistributed``); the BLSTM then runs over
the frames of the utterance, its outputs are mean-pooled into the utterance representation c, and the
MLP (FC 128-32-32-N) classifies c.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
from keras import layers

# §3.3: the LDNN sub-network.
BLSTM_UNITS = 128          # "each direction of the BLSTM layer has 128 cells"
DROPOUT_C = 0.2            # "a dropout mechanism of probability 0.2 ... applied to the representation c"
FC_UNITS = (128, 32, 32)   # "four FC layers have their own size of 128, 32, 32, N"; ReLU on the first three
# §3.3: "Each Conv layer has 32 feature maps ... activated by the ReLU"; two Conv layers.
CONV_MAPS = 32
# §3.1 / Table 1: stride 1 for every filter; pooling size 3, stride 2, along the type's own axes.
CONV_STRIDE = 1
POOL_SIZE = 3
POOL_STRIDE = 2
# §6.2: splice 10 frames left and 5 right -> width 16.
SPLICE_LEFT, SPLICE_RIGHT = 10, 5
SPLICE_WIDTH = SPLICE_LEFT + 1 + SPLICE_RIGHT
# §6.2: 40 log-Mels, 13 MFCCs.
N_MELS, N_MFCC = 40, 13
# §6.2: Adam, initial learning rate 0.001.
LEARNING_RATE = 1e-3

CONV_TYPES = ("S", "T", "ST", "FST")
# Table 1: which axes (spectral, temporal) each type convolves and pools along.
POOL_AXES = {"S": (True, False), "T": (False, True), "ST": (True, True), "FST": (False, True)}


@dataclass(frozen=True)
class ConvLayerSpec:
    """One X-Conv layer: filter (h, w), pooling window (m, n) and pooling strides (s_pi, t_pi) (Table 1)."""

    kernel: tuple[int, int]
    pool: tuple[int, int]
    pool_strides: tuple[int, int]
    out_shape: tuple[int, int]


def conv_kernels(conv_type: str, n_bands: int, h1: int = 1, w1: int = 1, h2: int = 1,
                 w2: int = 1) -> list[tuple[int, int]]:
    """Filter shapes (h, w) of the two layers of an X-Conv type (Table 1 / Table 2).

    S: (h, 1); T: (1, w); ST: (h, w); FST: (M, w) then (1, w2) because the first layer leaves one band.
    """
    if conv_type == "S":
        return [(h1, 1), (h2, 1)]
    if conv_type == "T":
        return [(1, w1), (1, w2)]
    if conv_type == "ST":
        return [(h1, w1), (h2, w2)]
    if conv_type == "FST":
        return [(n_bands, w1), (1, w2)]
    raise ValueError(f"conv_type must be one of {CONV_TYPES}, got {conv_type!r}")


def conv_layer_specs(conv_type: str, n_bands: int, h1: int = 1, w1: int = 1, h2: int = 1, w2: int = 1,
                     width: int = SPLICE_WIDTH) -> list[ConvLayerSpec]:
    """Kernels, pooling and output shapes of the two X-Conv layers on an n_bands x width patch.

    Convolutions are 'valid' (Eq. 1 indexes no padding) and each layer pools after its ReLU (Eq. 3).
    Pooling (3, stride 2, 'valid', Eq. 2) acts only on the type's own axes (Table 1); it is optional in Eq. 3
    and is skipped on an axis shorter than 3 (e.g. T-Conv w1 = 8, w2 = 3 leaves 2 frames); see README.
    """
    specs = []
    height, wid = n_bands, width
    for kh, kw in conv_kernels(conv_type, n_bands, h1, w1, h2, w2):
        height, wid = height - kh + 1, wid - kw + 1
        if height < 1 or wid < 1:
            raise ValueError(f"{conv_type}-Conv filter {kh}x{kw} does not fit the {n_bands}x{width} input")
        pool, strides = [1, 1], [1, 1]
        for axis, (on, size) in enumerate(zip(POOL_AXES[conv_type], (height, wid), strict=True)):
            if on and size >= POOL_SIZE:
                pool[axis], strides[axis] = POOL_SIZE, POOL_STRIDE
        height = (height - pool[0]) // strides[0] + 1
        wid = (wid - pool[1]) // strides[1] + 1
        specs.append(ConvLayerSpec((kh, kw), (pool[0], pool[1]), (strides[0], strides[1]), (height, wid)))
    return specs


def _ldnn_head(frames, mask, n_classes: int):
    """BLSTM(128 x 2) -> mean over time (c) -> dropout 0.2 -> FC 128, 32, 32 (ReLU) -> softmax (§3.3)."""
    z = layers.Bidirectional(layers.LSTM(BLSTM_UNITS, return_sequences=True), name="blstm")(frames, mask=mask)
    c = layers.GlobalAveragePooling1D(name="utterance_c")(z, mask=mask)
    h = layers.Dropout(DROPOUT_C, name="dropout_c")(c)
    for i, units in enumerate(FC_UNITS, start=1):
        h = layers.Dense(units, activation="relu", name=f"fc{i}")(h)
    return layers.Dense(n_classes, activation="softmax", name="posterior")(h)


def _input(n_bands: int):
    """Spliced frames (T, n_bands, 16, 1) and the frame mask (T,) that marks the padding of a batch.

    The mask is a model input: a mask derived inside the graph made Keras 3.15's masked BLSTM return one step.
    """
    x = keras.Input(shape=(None, n_bands, SPLICE_WIDTH, 1), name="spliced")
    mask = keras.Input(shape=(None,), dtype="bool", name="frame_mask")
    return x, mask


def compile_model(model: keras.Model) -> keras.Model:
    """Cross-entropy, Adam with lr 0.001 (§6.2)."""
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def build_ldnn(n_bands: int, n_classes: int, name: str = "ldnn") -> keras.Model:
    """LDNN (§4.2, §4.3): the spliced frame (n_bands x 16, flattened) feeds the BLSTM directly."""
    x, mask = _input(n_bands)
    frames = layers.Reshape((-1, n_bands * SPLICE_WIDTH), name="cnn_out")(x)
    return compile_model(keras.Model([x, mask], _ldnn_head(frames, mask, n_classes), name=name))


def build_cldnn(conv_type: str, n_bands: int, n_classes: int, h1: int = 1, w1: int = 1, h2: int = 1,
                w2: int = 1, name: str | None = None) -> keras.Model:
    """X-CLDNN (§3.3): two X-Conv layers (32 maps, ReLU, Table 1 pooling) under the LDNN.

    Each frame's patch is convolved on its own: a Conv3D/MaxPooling3D whose window spans one frame
    (depth 1) is exactly a per-frame Conv2D (Keras 3.15's TimeDistributed mis-computes under tf.function
    when the number of frames changes between batches).
    """
    x, mask = _input(n_bands)
    h = x
    specs = conv_layer_specs(conv_type, n_bands, h1, w1, h2, w2)
    for i, spec in enumerate(specs, start=1):
        h = layers.Conv3D(CONV_MAPS, (1, *spec.kernel), strides=CONV_STRIDE, padding="valid",
                          activation="relu", name=f"conv{i}")(h)
        if spec.pool != (1, 1):
            h = layers.MaxPooling3D((1, *spec.pool), strides=(1, *spec.pool_strides), padding="valid",
                                    name=f"pool{i}")(h)
    out_h, out_w = specs[-1].out_shape
    frames = layers.Reshape((-1, out_h * out_w * CONV_MAPS), name="cnn_out")(h)
    model = keras.Model([x, mask], _ldnn_head(frames, mask, n_classes), name=name or f"{conv_type.lower()}_cldnn")
    return compile_model(model)


def module_outputs(model: keras.Model) -> keras.Model:
    """Outputs of the three modules of §7.5: CNN (per frame), BLSTM (per frame) and MLP (posteriors).

    For an LDNN the 'CNN' output is the flattened spliced input itself.
    """
    return keras.Model(model.inputs, [model.get_layer("cnn_out").output, model.get_layer("blstm").output,
                                      model.get_layer("posterior").output])
