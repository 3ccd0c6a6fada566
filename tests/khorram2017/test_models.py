"""Khorram §4-§5 models: output length equals input length (odd lengths too), receptive field, sizes."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from reproductions.khorram2017.models import (
    DILATED_KERNEL,
    DILATED_LAYERS,
    LongFilterConv1D,
    build_blstm,
    build_dilated,
    build_downup,
    build_preliminary,
    receptive_field,
)

LENGTHS = (1, 2, 7, 80, 81, 82, 163, 1501)  # odd, just below/above 3**4 = 81, the twin's 60 s


@pytest.mark.parametrize("factor,stages", [(3, 4), (2, 3), (4, 2)])
def test_downup_output_length_equals_input_length(factor: int, stages: int) -> None:
    model = build_downup(width=8, stages=stages, factor=factor, input_dim=5)
    for t in LENGTHS:
        assert model.predict_on_batch(np.ones((1, t, 5), "float32")).shape == (1, t, 1)


def test_other_models_keep_length_even_when_the_filter_is_longer_than_the_utterance() -> None:
    models = [build_dilated(n_layers=4, width=4, input_dim=5), build_blstm(units=3, input_dim=5),
              build_preliminary(2048, input_dim=5)]
    for model in models:
        for t in (1, 7, 1501):
            assert model.predict_on_batch(np.ones((1, t, 5), "float32")).shape == (1, t, 1), model.name


def test_receptive_field_formula_matches_layer_count() -> None:
    assert receptive_field(DILATED_LAYERS, DILATED_KERNEL) == 2047  # 1 + 2 * (1 + 2 + ... + 512)
    assert receptive_field(10, 2) == 1024
    assert [receptive_field(n, 3) for n in range(1, 5)] == [3, 7, 15, 31]


@pytest.mark.parametrize("n_layers", [1, 3, 5])
def test_measured_receptive_field_of_the_dilated_stack(n_layers: int) -> None:
    """Input steps with a non-zero gradient on the centre output = 1 + 2 * (2**n_layers - 1) for kernel 3."""
    model = build_dilated(n_layers=n_layers, width=4, input_dim=2)
    x = tf.constant(np.random.default_rng(0).standard_normal((1, 129, 2)), tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = model(x)[0, 64, 0]
    touched = np.flatnonzero(np.abs(tape.gradient(y, x).numpy()[0]).sum(axis=1) > 0)
    assert touched.size == receptive_field(n_layers, 3)
    assert touched.min() == 64 - (2**n_layers - 1) and touched.max() == 64 + (2**n_layers - 1)


def test_parameter_counts_are_comparable_as_section_6_2_states() -> None:
    dilated, blstm = build_dilated().count_params(), build_blstm().count_params()
    assert dilated == 160 * 32 * 3 + 32 + 9 * (32 * 32 * 3 + 32) + 33
    assert abs(blstm - dilated) / dilated < 0.05
    assert build_downup(width=32).count_params() < build_downup(width=128).count_params()


@pytest.mark.parametrize("length", [1, 2, 5, 64, 300])
def test_fft_long_filter_equals_a_same_padded_conv1d(length: int) -> None:
    """The §4 filter layer is Conv1D(1, L, padding='same') computed by FFT, also for L longer than T."""
    x = np.random.default_rng(length).standard_normal((2, 37, 6)).astype("float32")
    fft_layer = LongFilterConv1D(length)
    conv = keras.layers.Conv1D(1, length, padding="same")
    fft_layer.build(x.shape)
    conv.build(x.shape)
    conv.set_weights(fft_layer.get_weights())
    np.testing.assert_allclose(fft_layer(x).numpy(), conv(x).numpy(), atol=2e-5)


def _upsample(model: keras.Model, bottleneck: np.ndarray, stages: int) -> np.ndarray:
    """The up half of a down/up net (transposed convs, then the 1x1 output) applied to a bottleneck signal."""
    x = bottleneck
    for n in range(stages):
        x = model.get_layer(f"up_tconv_{n}")(x)
    return np.asarray(model.get_layer("output_1x1")(x))[0, :, 0]


@pytest.mark.parametrize("factor,stages", [(3, 4), (2, 3)])
def test_one_bottleneck_sample_reaches_beyond_its_own_block(factor: int, stages: int) -> None:
    """§5.2: upsampling is a learnable interpolation (n_w > s allowed), so neighbouring bottleneck samples overlap:
    changing one moves more than the factor**stages output frames directly below it."""
    block = factor**stages
    for overlap, overlapping in ((2, True), (1, False)):  # n_w = 2s (ours) vs n_w = s (one block per sample)
        keras.utils.set_random_seed(0)
        model = build_downup(width=4, stages=stages, factor=factor, input_dim=3, up_overlap=overlap)
        base = np.random.default_rng(1).standard_normal((1, 9, 4)).astype("float32")
        bumped = base.copy()
        bumped[0, 4] += 1.0
        changed = np.abs(_upsample(model, bumped, stages) - _upsample(model, base, stages)) > 1e-6
        blocks = np.unique(np.flatnonzero(changed) // block)
        assert (len(blocks) > 1) == overlapping, (overlap, blocks)
        assert 4 in blocks
