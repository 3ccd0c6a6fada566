"""Functional-API Keras builders for Khorram et al. 2017 (§4, §5.1, §5.2, §6.1).

All models map a full-length utterance ``(batch, T, 160)`` of stacked MFB features (§3) to one emotion value per
40 ms step ``(batch, T, 1)``; ``T`` is left free (``None``) because training uses full-length utterances with a
batch size of one (§6.1).
"""

from __future__ import annotations

import keras
from keras import layers

from common.metrics import ConcordanceCorrelation, ccc_loss

INPUT_DIM = 160  # §3: four stacked 40-dim MFB frames
DILATED_LAYERS = 10  # §6.1: "a depth of 10 layers"
DILATED_WIDTH = 32  # §6.1: "each having a width of 32"
DILATION_BASE = 2  # §5.1: "a dilation factor of 2^n, where n is the layer number"
DILATED_KERNEL = 3  # not stated; §5.1's example filter [w1, w2, w3] has three taps (README: assumptions)
DOWNUP_STAGES = 4  # §6.1: "four downsampling layers ... and four transposed convolution layers"
DOWNUP_FACTOR = 3  # §6.1: "We use a downsampling factor of three"
DOWNUP_WIDTH = {"arousal": 32, "valence": 128}  # §6.1: "width of 32 for arousal and 128 for valence"
DOWNUP_KERNEL = 3  # not stated (README: assumptions)
# §5.2: a transposed conv maps n_x samples to n_y = s(n_x - 1) + n_w with an n_w-tap filter, "a learnable
# interpolation function"; n_w is not stated. n_w = 2s makes neighbouring bottleneck samples overlap in the output
# (n_w = s would make every bottleneck sample paint its own block: a piecewise, not an interpolated, signal).
DOWNUP_UP_OVERLAP = 2  # n_w = DOWNUP_UP_OVERLAP * s (README: assumptions; searched, §6.1 "filter width")
BLSTM_UNITS = 28  # [24] not restated; sized so the BLSTM has about the dilated net's parameters (§6.2)
LEARNING_RATE = 1e-3  # not stated; Adam's default (README: assumptions)
ACTIVATION = "tanh"  # §4 uses tanh; the hidden activation of §5 nets is not stated (README: assumptions)


def receptive_field(n_layers: int, kernel_size: int, base: int = DILATION_BASE) -> int:
    """Frames seen by one output of a stack with dilation ``base**n`` in layer n = 0..n_layers-1 (§5.1)."""
    return 1 + (kernel_size - 1) * sum(base**n for n in range(n_layers))


def compile_ccc(model: keras.Model, learning_rate: float = LEARNING_RATE) -> keras.Model:
    """Adam on the CCC loss: "We optimize CCC directly in all setups" (§6.1)."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=ccc_loss,
                  metrics=[ConcordanceCorrelation(name="ccc")])
    return model


def _l2(l2: float) -> keras.regularizers.Regularizer | None:
    return keras.regularizers.L2(l2) if l2 > 0 else None


class LongFilterConv1D(layers.Layer):
    """``Conv1D(1, kernel_size, padding='same')`` computed by FFT: the same kernel (kernel_size, C, 1), bias and
    'same' alignment (left pad ``(kernel_size - 1) // 2``), so its outputs equal Conv1D's to float precision.

    §4 sweeps one filter up to 2,048 frames; a direct convolution of that length costs T x L x C multiply-adds
    per step and took ~11 s per 60 s utterance on these CPUs, the FFT ~0.02 s.
    """

    def __init__(self, kernel_size: int, activation: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.kernel_size = int(kernel_size)
        self.activation = keras.activations.get(activation)

    def build(self, input_shape: tuple) -> None:
        self.kernel = self.add_weight(shape=(self.kernel_size, input_shape[-1], 1), initializer="glorot_uniform",
                                      name="kernel")
        self.bias = self.add_weight(shape=(1,), initializer="zeros", name="bias")

    def call(self, x: keras.KerasTensor) -> keras.KerasTensor:
        length = keras.ops.shape(x)[1]
        full = length + self.kernel_size - 1
        if isinstance(full, int):  # static length (JAX traces with concrete shapes): a static FFT size
            n = 1 << max(0, full - 1).bit_length()
        else:  # TensorFlow graph with a free time axis
            n = keras.ops.cast(2 ** keras.ops.ceil(keras.ops.log2(keras.ops.cast(full, "float32"))), "int32")
        xr, xi = keras.ops.rfft(keras.ops.transpose(x, (0, 2, 1)), fft_length=n)  # (B, C, F)
        flipped = keras.ops.transpose(keras.ops.flip(self.kernel[:, :, 0], 0), (1, 0))  # (C, L): correlation
        wr, wi = keras.ops.rfft(flipped, fft_length=n)
        yr = keras.ops.sum(xr * wr - xi * wi, axis=1)
        yi = keras.ops.sum(xr * wi + xi * wr, axis=1)
        y = keras.ops.irfft((yr, yi), fft_length=n)  # full convolution, length T + L - 1 (+ zeros)
        start = self.kernel_size // 2
        y = y[:, start:start + length] + self.bias
        return self.activation(keras.ops.expand_dims(y, -1))

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (input_shape[0], input_shape[1], 1)

    def get_config(self) -> dict:
        return {**super().get_config(), "kernel_size": self.kernel_size,
                "activation": keras.activations.serialize(self.activation)}


def build_preliminary(filter_length: int, input_dim: int = INPUT_DIM,
                      learning_rate: float = LEARNING_RATE) -> keras.Model:
    """§4: one conv filter of ``filter_length`` frames -> tanh -> linear regression layer.

    'same' padding keeps the output length equal to the input length, including when the filter is longer than
    the utterance (the filter then sees zeros beyond the edges; README: assumptions).
    """
    inputs = keras.Input((None, input_dim), name="mfb")
    x = LongFilterConv1D(filter_length, activation="tanh", name="long_filter")(inputs)
    outputs = layers.Dense(1, name="regression")(x)
    return compile_ccc(keras.Model(inputs, outputs, name=f"preliminary_{filter_length}"), learning_rate)


def build_dilated(n_layers: int = DILATED_LAYERS, width: int = DILATED_WIDTH, kernel_size: int = DILATED_KERNEL,
                  base: int = DILATION_BASE, l2: float = 0.0, input_dim: int = INPUT_DIM,
                  learning_rate: float = LEARNING_RATE) -> keras.Model:
    """§5.1 / Fig. 2: stacked non-causal convs with dilation ``base**n`` then a 1x1 conv output layer."""
    inputs = keras.Input((None, input_dim), name="mfb")
    x = inputs
    for n in range(n_layers):
        x = layers.Conv1D(width, kernel_size, dilation_rate=base**n, padding="same", activation=ACTIVATION,
                          kernel_regularizer=_l2(l2), name=f"dilated_{n}")(x)
    outputs = layers.Conv1D(1, 1, kernel_regularizer=_l2(l2), name="output_1x1")(x)
    return compile_ccc(keras.Model(inputs, outputs, name="dilated"), learning_rate)


class CropLike(layers.Layer):
    """Crops ``inputs[0]`` along time to the length of ``inputs[1]`` (the down/up output back to T, §5.2)."""

    def call(self, inputs: list) -> keras.KerasTensor:
        x, reference = inputs
        return x[:, : keras.ops.shape(reference)[1], :]

    def compute_output_shape(self, input_shape: list) -> tuple:
        return (input_shape[0][0], input_shape[1][1], input_shape[0][2])


def build_downup(width: int = DOWNUP_WIDTH["arousal"], stages: int = DOWNUP_STAGES, factor: int = DOWNUP_FACTOR,
                 kernel_size: int = DOWNUP_KERNEL, l2: float = 0.0, input_dim: int = INPUT_DIM,
                 learning_rate: float = LEARNING_RATE, up_overlap: int = DOWNUP_UP_OVERLAP) -> keras.Model:
    """§5.2 / Fig. 3: ``stages`` x (conv + max-pool by ``factor``), one intermediate conv, ``stages`` transposed
    convs (stride s = ``factor``, n_w = ``up_overlap * factor`` taps), then a 1x1 conv output.

    §5.2's transposed conv gives n_y = s(n_x - 1) + n_w samples; with n_w > s the filters of neighbouring input
    samples overlap (a learnable interpolation). Keras 'same' padding crops the (n_w - s) surplus samples evenly
    from both ends, so each transposed conv gives exactly ``factor`` x its input. Pooling with 'same' padding
    gives ceil(T / factor) per stage, so the upsampled signal has factor**stages * ceil(T / factor**stages) >= T
    steps and its tail is cropped to T: the output length equals the input length for every T.
    ``up_overlap=1`` is the non-overlapping n_w = s variant (each bottleneck sample paints one block).
    """
    if up_overlap < 1:
        raise ValueError(f"up_overlap must be >= 1 (n_w = up_overlap * factor), got {up_overlap}")
    inputs = keras.Input((None, input_dim), name="mfb")
    x = inputs
    for n in range(stages):
        x = layers.Conv1D(width, kernel_size, padding="same", activation=ACTIVATION,
                          kernel_regularizer=_l2(l2), name=f"down_conv_{n}")(x)
        x = layers.MaxPooling1D(factor, strides=factor, padding="same", name=f"down_pool_{n}")(x)
    x = layers.Conv1D(width, kernel_size, padding="same", activation=ACTIVATION,
                      kernel_regularizer=_l2(l2), name="intermediate")(x)
    for n in range(stages):
        x = layers.Conv1DTranspose(width, up_overlap * factor, strides=factor, padding="same", activation=ACTIVATION,
                                   kernel_regularizer=_l2(l2), name=f"up_tconv_{n}")(x)
    x = CropLike(name="crop_to_input")([x, inputs])
    outputs = layers.Conv1D(1, 1, kernel_regularizer=_l2(l2), name="output_1x1")(x)
    return compile_ccc(keras.Model(inputs, outputs, name="downup"), learning_rate)


def build_blstm(units: int = BLSTM_UNITS, input_dim: int = INPUT_DIM,
                learning_rate: float = LEARNING_RATE) -> keras.Model:
    """A sized proxy of the Table 1-2 row "BLSTM [24]" ([24]'s architecture is not restated): one bidirectional
    LSTM layer and a per-step linear output, trained like the
    conv nets (full utterances, batch 1, CCC loss) so the epoch times compare (§6.2)."""
    inputs = keras.Input((None, input_dim), name="mfb")
    x = layers.Bidirectional(layers.LSTM(units, return_sequences=True), name="blstm")(inputs)
    outputs = layers.Dense(1, name="regression")(x)
    return compile_ccc(keras.Model(inputs, outputs, name="blstm"), learning_rate)
