"""Filter and pooling shapes per convolution type (Table 1 / Table 2) and the spliced inputs (§6.2)."""

import numpy as np
import pytest

from reproductions.huang2017.data import spliced
from reproductions.huang2017.models import build_cldnn, build_ldnn, conv_kernels, conv_layer_specs


@pytest.mark.parametrize(("conv", "kwargs", "kernels", "pools", "strides"), [
    ("S", dict(h1=4, h2=3), [(4, 1), (3, 1)], [(3, 1), (3, 1)], [(2, 1), (2, 1)]),
    ("T", dict(w1=3, w2=2), [(1, 3), (1, 2)], [(1, 3), (1, 3)], [(1, 2), (1, 2)]),
    ("ST", dict(h1=9, w1=3, h2=4, w2=2), [(9, 3), (4, 2)], [(3, 3), (3, 3)], [(2, 2), (2, 2)]),
    ("FST", dict(w1=5, w2=3), [(40, 5), (1, 3)], [(1, 3), (1, 3)], [(1, 2), (1, 2)]),
])
def test_table1_kernels_and_pooling(conv, kwargs, kernels, pools, strides):
    specs = conv_layer_specs(conv, 40, **kwargs)
    assert [s.kernel for s in specs] == kernels
    assert [s.pool for s in specs] == pools
    assert [s.pool_strides for s in specs] == strides


def test_output_shapes_valid_conv_and_pool():
    # S on 40 x 16, h1 = 4: 37 -> pool 18; h2 = 3: 16 -> pool 7; time axis untouched.
    assert [s.out_shape for s in conv_layer_specs("S", 40, h1=4, h2=3)] == [(18, 16), (7, 16)]
    # FST covers all M bands in one filter: height 1 after the first layer (Table 1, "-" for s_pi).
    assert [s.out_shape for s in conv_layer_specs("FST", 13, w1=3, w2=2)] == [(1, 6), (1, 2)]  # 14->6, 5->2


def test_h1_limit_of_fig2_sweep():
    # §7.4: h1 up to 30 "to allow pooling and convolution in the second layer": h1 = 30 still pools twice.
    assert conv_layer_specs("S", 40, h1=30, h2=3)[1].pool == (3, 1)
    assert conv_layer_specs("S", 40, h1=31, h2=3)[1].pool == (1, 1)  # too short: the optional pool is skipped


def test_fst_kernel_uses_all_bands():
    assert conv_kernels("FST", 13, w1=8, w2=3) == [(13, 8), (1, 3)]
    with pytest.raises(ValueError):
        conv_layer_specs("S", 13, h1=14, h2=3)


@pytest.mark.parametrize(("feature", "bands"), [("log-Mels", 40), ("MFCCs", 13)])
def test_spliced_input_shapes(feature, bands):
    wave = np.random.default_rng(0).normal(scale=0.1, size=16000).astype(np.float32)
    x = spliced(wave, feature, np.zeros(bands), np.ones(bands))
    assert x.shape == (98, bands, 16)  # Kaldi snip-edges: 1 + (16000 - 400) // 160 frames
    assert np.allclose(x[50, :, 10], x[51, :, 9])  # column 10 is the centre frame, 9 the one before


def test_models_predict_six_classes_and_ignore_padding():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 12, 40, 16, 1)).astype(np.float32)
    mask = np.ones((2, 12), bool)
    x[1, 8:] = 0
    mask[1, 8:] = False
    for model in (build_cldnn("ST", 40, 6, h1=4, w1=3, h2=3, w2=2), build_ldnn(40, 6)):
        p = model.predict([x, mask], verbose=0)
        alone = model.predict([x[1:, :8], mask[1:, :8]], verbose=0)
        assert p.shape == (2, 6) and np.allclose(p.sum(axis=1), 1, atol=1e-5)
        assert np.allclose(p[1], alone[0], atol=1e-5)
