"""Framing, stacking, splicing and fixed-length cutting of signals and feature matrices."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np


def frame_signal(wave: np.ndarray, frame_length: int, frame_step: int) -> np.ndarray:
    """Cut ``wave`` into frames the way python_speech_features does -> (T, frame_length).

    T = 1 if N <= frame_length else 1 + ceil((N - frame_length) / frame_step); the last frame is zero-padded.
    This is the framing that gives Wieser §2.2.1's 599 frames for 6 s at 16 kHz (25 ms / 10 ms).
    """
    wave = np.asarray(wave)
    n = wave.shape[0]
    n_frames = 1 if n <= frame_length else 1 + math.ceil((n - frame_length) / frame_step)
    padded = np.zeros((n_frames - 1) * frame_step + frame_length, dtype=wave.dtype)
    padded[:n] = wave
    windows = np.lib.stride_tricks.sliding_window_view(padded, frame_length)
    return windows[::frame_step].copy()


def stack_frames(x: np.ndarray, n: int = 4) -> np.ndarray:
    """Concatenate every ``n`` consecutive frames -> (ceil(T / n), n * D).

    Khorram §3: four 10 ms MFB frames are stacked so one input step covers the 40 ms label hop (40 -> 160 dims).
    Row g is [x[n*g], ..., x[n*g + n - 1]]; a short last group repeats the last frame (edge padding).
    """
    x = np.asarray(x)
    t, d = x.shape
    groups = math.ceil(t / n)
    padded = np.pad(x, ((0, groups * n - t), (0, 0)), mode="edge") if t else x
    return padded.reshape(groups, n * d)


def splice(x: np.ndarray, left: int = 10, right: int = 5) -> np.ndarray:
    """Context window around every frame -> (T, D, left + 1 + right), edges replicated as Kaldi's splice-feats.

    Huang §6.2: 10 frames left, 5 right, so each log-Mel frame becomes a 40 x 16 matrix (MFCC: 13 x 16).
    ``out[t, :, j] = x[clip(t - left + j, 0, T - 1)]``; ``j = left`` is the centre frame.
    """
    x = np.asarray(x)
    t = x.shape[0]
    idx = np.clip(np.arange(t)[:, None] + np.arange(-left, right + 1)[None, :], 0, max(t - 1, 0))
    return np.transpose(x[idx], (0, 2, 1))


def _pad_to(wave: np.ndarray, length: int) -> np.ndarray:
    return np.pad(wave, (0, length - wave.shape[0]))


def slice_windows(wave: np.ndarray, window: int = 96000, min_last: int = 48000) -> list[np.ndarray]:
    """Wieser §3.2: fixed 6 s samples (96,000 at 16 kHz) from one utterance.

    An utterance no longer than ``window`` gives one sample, zero-padded at the end, whatever its length.
    A longer one is cut into consecutive windows; its last, partial slice is kept (zero-padded) only if it
    is longer than ``min_last`` samples (3 s), "to avoid training on the last phoneme of an utterance exclusively".
    """
    wave = np.asarray(wave)
    n = wave.shape[0]
    if n <= window:
        return [_pad_to(wave, window)]
    pieces = [wave[i:i + window] for i in range(0, n, window)]
    if pieces[-1].shape[0] < window:
        last = pieces.pop()
        if last.shape[0] > min_last:
            pieces.append(_pad_to(last, window))
    return pieces


def pad_or_crop(wave: np.ndarray, length: int = 128000,
                mode: Literal["crop", "segment"] = "crop") -> np.ndarray:
    """Zhao §3.5: clips are 8 s (128,000 samples at 16 kHz); shorter ones are zero-padded at the end.

    The paper says a longer clip "will be segmented to 8 s long", which reads either way:
    ``mode='crop'`` keeps the first ``length`` samples -> (length,);
    ``mode='segment'`` splits it into consecutive pieces, the last zero-padded -> (ceil(N / length), length)
    (a clip of at most ``length`` samples gives (1, length)).
    """
    wave = np.asarray(wave)
    if mode == "crop":
        return _pad_to(wave[:length], length)
    if mode == "segment":
        n_pieces = max(1, math.ceil(wave.shape[0] / length))
        return _pad_to(wave, n_pieces * length).reshape(n_pieces, length)
    raise ValueError(f"mode must be 'crop' or 'segment', got {mode!r}")
