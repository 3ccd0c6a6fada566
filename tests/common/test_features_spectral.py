"""Log-mel (Zhao §3.5, Latif §4.2) and Wieser §2.2.1 MFCC shapes and values."""

import librosa
import numpy as np

from common.features import log_mel_spectrogram, mfcc, pad_or_crop
from reproductions.latif2017.segments import LATIF_LOGMEL
from reproductions.zhao2019.data import ZHAO_LOGMEL

SR = 16000
RNG = np.random.default_rng(1)


def test_zhao_log_mel_is_128_by_251_for_8_seconds():
    wave = pad_or_crop(0.1 * RNG.standard_normal(5 * SR).astype(np.float32))
    spec = log_mel_spectrogram(wave, **ZHAO_LOGMEL)
    assert spec.shape == (128, 251) and spec.dtype == np.float32
    assert np.isfinite(spec).all()


def test_latif_log_mel_has_80_bands_every_10_ms():
    spec = log_mel_spectrogram(0.1 * RNG.standard_normal(SR).astype(np.float32), **LATIF_LOGMEL)
    assert spec.shape == (80, 101)


def test_log_mel_peak_sits_in_the_band_of_a_pure_tone():
    t = np.arange(SR) / SR
    spec = log_mel_spectrogram(np.sin(2 * np.pi * 1000 * t).astype(np.float32), **LATIF_LOGMEL)
    centres = librosa.mel_frequencies(n_mels=82, fmax=SR / 2)[1:-1]
    assert abs(centres[np.argmax(spec.mean(axis=1))] - 1000) < 60


def test_wieser_mfcc_is_599_by_26_for_6_seconds():
    feats = mfcc(0.1 * RNG.standard_normal(6 * SR).astype(np.float32))
    assert feats.shape == (599, 26) and feats.dtype == np.float32
    assert mfcc(np.zeros(SR, np.float32) + 0.01).shape == (99, 26)  # 1 + ceil((16000 - 400) / 160)


def test_mfcc_gain_moves_only_c0():
    wave = 0.1 * RNG.standard_normal(SR)
    base, louder = mfcc(wave).astype(np.float64), mfcc(2 * wave).astype(np.float64)
    np.testing.assert_allclose(louder[:, 0] - base[:, 0], np.log(4), atol=1e-4)
    np.testing.assert_allclose(louder[:, 1:], base[:, 1:], atol=1e-3)


def test_mfcc_c0_is_log_energy_of_preemphasised_frame():
    wave = 0.1 * RNG.standard_normal(SR)
    emphasised = np.append(wave[:1], wave[1:] - 0.97 * wave[:-1])
    energy = np.sum(np.abs(np.fft.rfft(emphasised[160:560], n=1024)) ** 2) / 1024
    assert abs(mfcc(wave)[1, 0] - np.log(energy)) < 1e-4
