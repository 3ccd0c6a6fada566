"""Input/output shapes of the paper-size networks (§2.1.1, §2.2, Table 1) and the layer recipe."""

import keras

from reproductions.wieser2018.hyperparameters import ELOR_CNN, LOM_CNN, TABLE_1_ELOR
from reproductions.wieser2018.models import build_elor, build_elor_ftr, build_ftr, build_lom


def _outs(model):
    return {k: tuple(v.shape) for k, v in model.output.items()}


def test_elor_paper_size_shapes_and_layers():
    m = build_elor(TABLE_1_ELOR.alpha_w)
    assert tuple(m.input.shape) == (None, 96000, 1)
    assert _outs(m) == {"arousal": (None, 5), "valence": (None, 5)}
    convs = [layer for layer in m.layers if isinstance(layer, keras.layers.Conv1D)]
    assert len(convs) == 3 and all(c.strides == (1,) for c in convs)
    assert all(isinstance(c.kernel_initializer, keras.initializers.HeUniform) for c in convs)
    assert len([la for la in m.layers if isinstance(la, keras.layers.MaxPooling1D)]) == 3
    assert len([la for la in m.layers if isinstance(la, keras.layers.BatchNormalization)]) == 3
    # 96000 / (2 * 10 * 10) = 480 steps x 40 maps reach each head
    assert m.get_layer("cnn_flatten").output.shape[-1] == 480 * 40
    hidden = [m.get_layer(f"arousal_hidden{i}") for i in (1, 2)]
    assert all(h.activation.__name__ == "sigmoid" for h in hidden)
    assert m.get_layer("arousal").output.shape[-1] == 5


def test_comparison_networks_shapes():
    lom = build_lom(1e-3, cnn=LOM_CNN)
    assert tuple(lom.input.shape) == (None, 599, 26)
    assert _outs(lom) == {"arousal": (None, 5), "valence": (None, 5)}
    ftr = build_ftr(3.4e-8)
    assert tuple(ftr.input.shape) == (None, 1582)
    both = build_elor_ftr(1e-9, cnn=ELOR_CNN)
    assert {k: tuple(v.shape) for k, v in both.input.items()} == {"waveform": (None, 96000, 1),
                                                                  "functionals": (None, 1582)}
    assert both.get_layer("cnn_concat_functionals").output.shape[-1] == 480 * 40 + 1582
    assert _outs(both) == {"arousal": (None, 5), "valence": (None, 5)}
