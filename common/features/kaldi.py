"""Kaldi-compatible filterbank and MFCC features via kaldi-native-fbank.

Khorram et al. 2017 §3 ("Features"): 40-dim log mel filterbank (MFB), 25 ms window, 10 ms hop, Kaldi.
Huang et al. 2017 §6.2: log-Mels and 13 MFCCs from Kaldi, 25 ms / 10 ms, 40 mel filterbanks.
"""

from __future__ import annotations

import kaldi_native_fbank as knf
import numpy as np

INT16_SCALE = 32768.0


def _kaldi_samples(wave: np.ndarray) -> np.ndarray:
    """Samples on Kaldi's int16 scale: Kaldi reads wav files as raw int16 values.

    Float input is taken to be in [-1, 1] and multiplied by 32768; integer input is used as is.
    """
    wave = np.asarray(wave)
    if wave.ndim != 1:
        raise ValueError(f"expected a mono 1-D waveform, got shape {wave.shape}")
    if np.issubdtype(wave.dtype, np.integer):
        return wave.astype(np.float32)
    return (wave.astype(np.float64) * INT16_SCALE).astype(np.float32)


def _frame_opts(opts: knf.FbankOptions | knf.MfccOptions, sr: int, frame_length_ms: float,
                frame_shift_ms: float, num_mel_bins: int) -> None:
    opts.frame_opts.samp_freq = float(sr)
    opts.frame_opts.frame_length_ms = frame_length_ms
    opts.frame_opts.frame_shift_ms = frame_shift_ms
    opts.frame_opts.dither = 0.0
    opts.mel_opts.num_bins = num_mel_bins


def _run(computer: knf.OnlineFbank | knf.OnlineMfcc, wave: np.ndarray, sr: int, dim: int) -> np.ndarray:
    computer.accept_waveform(float(sr), _kaldi_samples(wave))
    computer.input_finished()
    n = computer.num_frames_ready
    if n == 0:
        return np.zeros((0, dim), dtype=np.float32)
    return np.stack([computer.get_frame(i) for i in range(n)]).astype(np.float32)


def kaldi_fbank(wave: np.ndarray, sr: int = 16000, num_mel_bins: int = 40,
                frame_length_ms: float = 25.0, frame_shift_ms: float = 10.0) -> np.ndarray:
    """Log mel filterbank energies exactly as Kaldi's ``compute-fbank-feats`` (dither 0) -> (T, num_mel_bins).

    Khorram §3 and Huang §6.2: 40 bins, 25 ms / 10 ms. Kaldi defaults otherwise: povey window, pre-emphasis 0.97,
    DC removal, 512-point FFT, snip_edges (T = 1 + (N - 400) // 160; 3 s -> 298 frames), natural log.
    """
    opts = knf.FbankOptions()
    _frame_opts(opts, sr, frame_length_ms, frame_shift_ms, num_mel_bins)
    return _run(knf.OnlineFbank(opts), wave, sr, num_mel_bins)


def kaldi_mfcc(wave: np.ndarray, sr: int = 16000, num_ceps: int = 13, num_mel_bins: int = 40,
               frame_length_ms: float = 25.0, frame_shift_ms: float = 10.0) -> np.ndarray:
    """MFCCs as Kaldi's ``compute-mfcc-feats`` (dither 0) -> (T, num_ceps).

    Huang §6.2: "the conventional first 13 coefficients", from 40 mel filterbanks, 25 ms / 10 ms.
    Kaldi defaults otherwise: c0 replaced by log energy, cepstral lifter 22.
    """
    opts = knf.MfccOptions()
    _frame_opts(opts, sr, frame_length_ms, frame_shift_ms, num_mel_bins)
    opts.num_ceps = num_ceps
    return _run(knf.OnlineMfcc(opts), wave, sr, num_ceps)
