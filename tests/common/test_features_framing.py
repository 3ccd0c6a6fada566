"""Index arithmetic of framing, stacking (Khorram §3), splicing (Huang §6.2), Wieser §3.2 and Zhao §3.5 cuts."""

import numpy as np
import pytest

from common.features import frame_signal, pad_or_crop, slice_windows, splice, stack_frames

SR = 16000


def test_frame_signal_pads_last_frame_like_python_speech_features():
    frames = frame_signal(np.arange(1, 11), frame_length=4, frame_step=3)
    np.testing.assert_array_equal(frames, [[1, 2, 3, 4], [4, 5, 6, 7], [7, 8, 9, 10]])
    frames = frame_signal(np.arange(1, 12), frame_length=4, frame_step=3)
    np.testing.assert_array_equal(frames[-1], [10, 11, 0, 0])
    assert frame_signal(np.ones(6 * SR), 400, 160).shape == (599, 400)
    assert frame_signal(np.ones(100), 400, 160).shape == (1, 400)


def test_stack_frames_concatenates_groups_and_edge_pads():
    x = np.arange(30).reshape(10, 3)
    stacked = stack_frames(x, n=4)
    assert stacked.shape == (3, 12)
    np.testing.assert_array_equal(stacked[0], x[0:4].ravel())
    np.testing.assert_array_equal(stacked[1], x[4:8].ravel())
    np.testing.assert_array_equal(stacked[2], np.concatenate([x[8], x[9], x[9], x[9]]))
    assert stack_frames(np.zeros((7500, 40))).shape == (1875, 160)


def test_splice_replicates_edges():
    x = np.arange(12).reshape(6, 2)
    out = splice(x, left=2, right=1)
    assert out.shape == (6, 2, 4)
    np.testing.assert_array_equal(out[0], np.stack([x[0], x[0], x[0], x[1]], axis=1))
    np.testing.assert_array_equal(out[3], np.stack([x[1], x[2], x[3], x[4]], axis=1))
    np.testing.assert_array_equal(out[5], np.stack([x[3], x[4], x[5], x[5]], axis=1))


def test_splice_huang_context_centre_is_the_frame():
    x = np.random.default_rng(0).standard_normal((50, 40))
    out = splice(x)
    assert out.shape == (50, 40, 16)
    np.testing.assert_array_equal(out[:, :, 10], x)
    np.testing.assert_array_equal(out[20, :, 0], x[10])
    np.testing.assert_array_equal(out[20, :, 15], x[25])


@pytest.mark.parametrize(("seconds", "n_slices"), [(2.9, 1), (3.1, 1), (6.0, 1), (9.0, 1), (9.5, 2), (12.5, 2)])
def test_slice_windows_wieser_rule(seconds, n_slices):
    wave = np.arange(1, int(seconds * SR) + 1, dtype=np.float32)
    slices = slice_windows(wave)
    assert len(slices) == n_slices
    assert all(s.shape == (6 * SR,) for s in slices)
    flat = np.concatenate(slices)
    kept = min(wave.size, flat.size)
    np.testing.assert_array_equal(flat[:kept], wave[:kept])
    assert not flat[kept:].any()


def test_pad_or_crop_zhao_8_seconds():
    short = np.ones(3 * SR, np.float32)
    padded = pad_or_crop(short)
    assert padded.shape == (128000,) and padded[:48000].all() and not padded[48000:].any()
    long = np.arange(20 * SR, dtype=np.float32)
    np.testing.assert_array_equal(pad_or_crop(long), long[:128000])
    pieces = pad_or_crop(long, mode="segment")
    assert pieces.shape == (3, 128000)
    np.testing.assert_array_equal(pieces.ravel()[:long.size], long)
    assert not pieces[2, 64000:].any()
    assert pad_or_crop(short, mode="segment").shape == (1, 128000)
    with pytest.raises(ValueError):
        pad_or_crop(short, mode="loop")
