"""§3 feature/label alignment: one 160-dim input step per 40 ms gold-standard frame."""

import numpy as np

from reproductions.khorram2017.data import align, label_times


def test_align_repeats_the_last_step_when_kaldi_snips_the_edge() -> None:
    # 300 s at 16 kHz: 1 + (4_800_000 - 400) // 160 = 29_998 MFB frames -> 7_500 stacked steps; 7_501 labels
    stacked = np.arange(7500, dtype=float)[:, None] * np.ones((1, 160))
    out = align(stacked, 7501)
    assert out.shape == (7501, 160)
    np.testing.assert_array_equal(out[-1], out[-2])
    np.testing.assert_array_equal(out[:7500], stacked)


def test_align_crops_surplus_steps() -> None:
    assert align(np.zeros((10, 4)), 7).shape == (7, 4)


def test_test_partition_gets_the_avec_grid() -> None:
    times = label_times({"label_times": None, "duration": 300.0})
    assert times.size == 7501 and times[0] == 0.0 and abs(times[-1] - 300.0) < 1e-9
    given = np.array([0.0, 0.04])
    np.testing.assert_array_equal(label_times({"label_times": given, "duration": 0.08}), given)
