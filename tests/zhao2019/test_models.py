"""Zhao et al. (2019) Tables 1 and 2: per-layer output shapes of the 1D and 2D CNN LSTM networks."""

import pytest

import common  # noqa: F401  (pins the Keras backend)
from reproductions.zhao2019.models import TrainConfig, build_network

# Table 1 with L = 128,000 (§3.5): L, L/4, L/16, L/64, L/256 steps x 64, 64, 128, 128 filters.
TABLE1 = {"1C1": (128000, 64), "1P1": (32000, 64), "1C2": (32000, 64), "1P2": (8000, 64),
          "1C3": (8000, 128), "1P3": (2000, 128), "1C4": (2000, 128), "1P4": (500, 128), "1L": (256,), "1F": (7,)}
# Table 2 with M x N = 128 x 251 (§3.5); Keras' valid pooling floors N/2 = 125.5, N/8, N/32, N/128 = 1.96.
TABLE2 = {"2C1": (128, 251, 64), "2P1": (64, 125, 64), "2C2": (64, 125, 64), "2P2": (16, 31, 64),
          "2C3": (16, 31, 128), "2P3": (4, 7, 128), "2C4": (4, 7, 128), "2P4": (1, 1, 128), "2L": (256,),
          "2F": (6,)}


def _shapes(model) -> dict:
    return {layer.name: tuple(layer.output.shape[1:]) for layer in model.layers}


@pytest.fixture(scope="module")
def net_2d():
    return build_network("2d", 6, (128, 251))


def test_table1_shapes_on_an_8_second_clip():
    model = build_network("1d", 7, (128000,))
    shapes = _shapes(model)
    assert {name: shapes[name] for name in TABLE1} == TABLE1
    kinds = [type(layer).__name__ for layer in model.layers[1:5]]
    assert kinds == ["Conv1D", "BatchNormalization", "ELU", "MaxPooling1D"]  # one LFLB, §3.1.1
    assert model.get_layer("1C1").kernel_size == (3,) and model.get_layer("1P1").pool_size == (4,)
    assert model.get_layer("1F").activation.__name__ == "softmax"


def test_table2_shapes_on_a_128_by_251_spectrogram(net_2d):
    shapes = _shapes(net_2d)
    assert {name: shapes[name] for name in TABLE2} == TABLE2
    assert net_2d.get_layer("2C1").kernel_size == (3, 3) and net_2d.get_layer("2P1").pool_size == (2, 2)
    assert [net_2d.get_layer(f"2P{i}").pool_size for i in (2, 3, 4)] == [(4, 4)] * 3


def test_faithful_2d_lstm_sees_one_step_and_variant_sees_a_sequence(net_2d):
    assert tuple(net_2d.get_layer("2R").output.shape[1:]) == (1, 128)
    variant = build_network("2d-timeseq", 6, (128, 251))
    assert tuple(variant.get_layer("2P4").output.shape[1:]) == (1, 15, 128)
    assert tuple(variant.get_layer("2R").output.shape[1:]) == (15, 128)
    assert net_2d.count_params() == variant.count_params()  # pooling has no weights: same network size


def test_too_small_spectrogram_is_refused():
    with pytest.raises(ValueError, match="empty"):
        build_network("2d", 6, (64, 251))


def test_training_config_reaches_the_optimiser_and_penalties():
    model = build_network("1d", 4, (1024,), TrainConfig(optimizer="rmsprop", learning_rate=0.01,
                                                        kernel_penalty=0.5, activity_penalty=0.0))
    assert type(model.optimizer).__name__ == "RMSprop"
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.01)
    assert float(model.get_layer("1C1").kernel_regularizer.l2) == pytest.approx(0.5)
    assert model.get_layer("1L").activity_regularizer is None
