"""Kaldi fbank/MFCC (Khorram §3, Huang §6.2) against an independent numpy/librosa computation."""

import librosa
import numpy as np
import scipy.fft

from common.features import kaldi_fbank, kaldi_mfcc, splice, stack_frames

SR = 16000


def _tone_and_noise(seconds: float, seed: int = 0) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    rng = np.random.default_rng(seed)
    return (0.3 * np.sin(2 * np.pi * 440 * t) + 0.05 * rng.standard_normal(t.size)).astype(np.float32)


def _reference_fbank(wave: np.ndarray) -> np.ndarray:
    """Kaldi fbank by hand: int16 scale, snip_edges framing, DC removal, pre-emphasis 0.97, povey window,
    512-point power spectrum, HTK mel filters from 20 Hz without normalisation, natural log."""
    x = wave.astype(np.float64) * 32768.0
    n_frames = 1 + (x.size - 400) // 160
    frames = np.stack([x[i * 160:i * 160 + 400] for i in range(n_frames)])
    frames -= frames.mean(axis=1, keepdims=True)
    frames = np.concatenate([frames[:, :1] * (1 - 0.97), frames[:, 1:] - 0.97 * frames[:, :-1]], axis=1)
    povey = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(400) / 399)) ** 0.85
    power = np.abs(np.fft.rfft(frames * povey, n=512)) ** 2
    mel = librosa.filters.mel(sr=SR, n_fft=512, n_mels=40, fmin=20.0, fmax=SR / 2, htk=True, norm=None)
    return np.log(np.maximum(power @ mel.T, np.finfo(np.float32).eps))


def test_fbank_shape_and_values_match_independent_computation():
    wave = _tone_and_noise(3.0)
    fbank = kaldi_fbank(wave)
    assert fbank.shape == (298, 40) and fbank.dtype == np.float32
    ref = _reference_fbank(wave)
    assert np.corrcoef(fbank.ravel(), ref.ravel())[0, 1] > 0.999
    assert np.mean(np.abs(fbank - ref)) < 0.05


def test_fbank_int16_input_equals_scaled_float_input():
    wave = _tone_and_noise(1.0)
    as_int16 = np.round(wave * 32768).astype(np.int16)
    np.testing.assert_allclose(kaldi_fbank(as_int16), kaldi_fbank(as_int16 / 32768.0), atol=1e-4)


def test_fbank_too_short_gives_no_frames():
    assert kaldi_fbank(np.zeros(399, np.float32)).shape == (0, 40)


def test_mfcc_is_liftered_dct_of_fbank():
    wave = _tone_and_noise(2.0)
    mfcc = kaldi_mfcc(wave)
    assert mfcc.shape == (198, 13)
    lifter = 1 + 11 * np.sin(np.pi * np.arange(13) / 22)
    expected = scipy.fft.dct(kaldi_fbank(wave).astype(np.float64), type=2, norm="ortho", axis=1)[:, :13] * lifter
    np.testing.assert_allclose(mfcc[:, 1:], expected[:, 1:], atol=1e-3)  # c0 is Kaldi's log energy


def test_huang_and_khorram_shapes():
    fbank = kaldi_fbank(_tone_and_noise(1.0))
    assert splice(fbank).shape == (fbank.shape[0], 40, 16)
    assert splice(kaldi_mfcc(_tone_and_noise(1.0))).shape == (fbank.shape[0], 13, 16)
    assert stack_frames(fbank).shape == (int(np.ceil(fbank.shape[0] / 4)), 160)
