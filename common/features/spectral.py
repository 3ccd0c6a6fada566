"""Log-mel spectrograms (librosa) and the python_speech_features-style MFCCs of Wieser et al."""

from __future__ import annotations

import librosa
import numpy as np
import scipy.fft

from common.features.framing import frame_signal

_PREEMPHASIS = 0.97
_CEP_LIFTER = 22
_EPS = np.finfo(np.float64).eps


def log_mel_spectrogram(wave: np.ndarray, sr: int = 16000, n_fft: int = 2048, hop_length: int = 512,
                        win_length: int | None = None, window: str = "hann", n_mels: int = 128,
                        center: bool = True) -> np.ndarray:
    """Log-mel spectrogram in dB -> (n_mels, T), float32.

    ``librosa.power_to_db(librosa.feature.melspectrogram(...))`` with librosa's defaults (power 2, Slaney mel
    filters, ref 1.0, top_db 80): Zhao §3.5 cites librosa. Each paper keeps its own preset beside its data code.
    """
    power = librosa.feature.melspectrogram(y=np.asarray(wave, dtype=np.float32), sr=sr, n_fft=n_fft,
                                           hop_length=hop_length, win_length=win_length, window=window,
                                           n_mels=n_mels, center=center)
    return librosa.power_to_db(power).astype(np.float32)


def mfcc(wave: np.ndarray, sr: int = 16000, n_mfcc: int = 26, frame_length_ms: float = 25.0,
         frame_shift_ms: float = 10.0, n_fft: int = 1024, n_mels: int = 26) -> np.ndarray:
    """Wieser §2.2.1 MFCCs: the first 26 coefficients, 25 ms window, 10 ms shift -> (T, n_mfcc); 6 s -> (599, 26).

    The 599 frames for 96,000 samples are python_speech_features' framing (``frame_signal``: last frame
    zero-padded), so its ``mfcc`` defaults are followed: pre-emphasis 0.97, rectangular window, power spectrum
    |FFT|^2 / n_fft, 26 HTK mel filters (0 Hz to sr/2), natural log, orthonormal DCT-II, lifter 22,
    c0 replaced by the log frame energy. "Frequency resolution of 1024" is read as a 1024-point FFT (n_fft=1024).
    Mel filters come from librosa (HTK scale, unnormalised), not psf's integer-bin triangles.
    """
    if n_mfcc > n_mels:
        raise ValueError(f"n_mfcc ({n_mfcc}) cannot exceed n_mels ({n_mels})")
    wave = np.asarray(wave, dtype=np.float64)
    emphasised = np.append(wave[:1], wave[1:] - _PREEMPHASIS * wave[:-1])
    frames = frame_signal(emphasised, round(sr * frame_length_ms / 1000), round(sr * frame_shift_ms / 1000))
    power = np.abs(np.fft.rfft(frames, n=n_fft)) ** 2 / n_fft
    mel = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=0.0, htk=True, norm=None)
    log_mel = np.log(np.maximum(power @ mel.T, _EPS))
    ceps = scipy.fft.dct(log_mel, type=2, axis=1, norm="ortho")[:, :n_mfcc]
    ceps *= 1 + (_CEP_LIFTER / 2) * np.sin(np.pi * np.arange(n_mfcc) / _CEP_LIFTER)
    ceps[:, 0] = np.log(np.maximum(power.sum(axis=1), _EPS))
    return ceps.astype(np.float32)
