"""common.audio: loading at any rate, writing, and clear errors for broken files."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from common.audio import TARGET_SR, audio_info, int16_to_float, load_audio, resample, write_wav
from common.errors import AudioReadError
from common.synth.enterface import write_avi


def _dominant_hz(x: np.ndarray, sr: int) -> float:
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / sr)[np.argmax(spec)])


def test_roundtrip_int16(tmp_path, make_wav):
    p = make_wav(tmp_path / "a.wav", 0.5, 16000)
    assert audio_info(p) == (16000, 8000)
    x = load_audio(p)
    assert x.dtype == np.float32 and x.shape == (8000,)
    raw, _ = sf.read(p, dtype="int16")
    np.testing.assert_array_equal(x, int16_to_float(raw))
    assert not list(tmp_path.glob(".*tmp")), "no temporary file left behind"


@pytest.mark.parametrize("sr", [8000, 22050, 44100, 48000])
def test_any_rate_is_resampled_to_16k(tmp_path, make_wav, sr):
    p = make_wav(tmp_path / f"a{sr}.wav", 1.0, sr)
    x = load_audio(p)
    assert len(x) == TARGET_SR
    assert abs(_dominant_hz(x, TARGET_SR) - 220.0) < 2.0


def test_stereo_is_mixed_to_mono(tmp_path):
    p = tmp_path / "st.wav"
    sf.write(p, np.stack([np.full(100, 0.5), np.zeros(100)], axis=1), 16000, subtype="PCM_16")
    x = load_audio(p)
    assert x.shape == (100,) and np.allclose(x, 0.25, atol=1e-3)


def test_resample_identity_and_length():
    x = np.random.default_rng(0).standard_normal(44100).astype(np.float32)
    assert resample(x, 16000, 16000) is not None and len(resample(x, 44100, 16000)) == 16000


def test_truncated_wav_is_detected(tmp_path, make_wav, truncate_file):
    p = make_wav(tmp_path / "t.wav")
    truncate_file(p)
    with pytest.raises(AudioReadError, match="truncated") as e:
        audio_info(p)
    assert str(p) in str(e.value)
    with pytest.raises(AudioReadError, match="truncated"):
        load_audio(p)


def test_corrupt_and_missing_files(tmp_path, make_wav, corrupt_file):
    p = make_wav(tmp_path / "c.wav")
    corrupt_file(p)
    with pytest.raises(AudioReadError, match=str(p)):
        load_audio(p)
    with pytest.raises(AudioReadError, match="no such file"):
        audio_info(tmp_path / "missing.wav")


def test_avi_audio_track_is_decoded(tmp_path):
    t = np.arange(48000) / 48000
    p = tmp_path / "s1_an_1.avi"
    write_avi(p, 0.3 * np.sin(2 * np.pi * 440 * t))
    assert audio_info(p) == (48000, 48000)
    x = load_audio(p)
    assert len(x) == 16000 and abs(_dominant_hz(x, 16000) - 440) < 2.0


def test_avi_without_audio_is_an_error(tmp_path):
    import av

    p = tmp_path / "video_only.avi"
    with av.open(str(p), "w", format="avi") as c:
        v = c.add_stream("mpeg4", rate=5)
        v.width, v.height, v.pix_fmt = 16, 16, "yuv420p"
        c.mux(v.encode(av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), np.uint8), format="rgb24")))
        c.mux(v.encode(None))
    with pytest.raises(AudioReadError, match="no audio track"):
        load_audio(p)


def test_write_wav_clips_and_quantises(tmp_path):
    p = tmp_path / "w.wav"
    write_wav(p, np.array([2.0, -2.0, 0.5], dtype=np.float32), 16000)
    raw, sr = sf.read(p, dtype="int16")
    assert sr == 16000 and raw.tolist() == [32767, -32768, 16384]
