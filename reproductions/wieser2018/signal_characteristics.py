"""Table 6 characteristics of a generalised input signal, each by a fixed, documented procedure (§4.2.2).

The paper gives no procedure; ours (README, "Assumptions and deviations"):
- loudness: 20 log10(RMS) in dBFS (full scale = amplitude 1.0);
- dominant frequency band: Welch power spectrum (1024-point segments), smoothed over 9 bins; the band spans the
  lowest to the highest frequency whose power is within ``BAND_DB`` dB of the spectral peak;
- minimum / maximum amplitude: min(x), max(x);
- "voiced" frames: 25 ms frames every 10 ms whose RMS is within ``VOICED_DB`` dB of the loudest frame;
- pause duration: median length of the unvoiced runs between two voiced frames (0 if there is none), in ms;
- "voiced" length: time from the first to the last voiced frame, in s.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import welch

from common.features import frame_signal

BAND_DB = 6.0
VOICED_DB = 20.0
FRAME_MS, HOP_MS = 25.0, 10.0


def loudness_dbfs(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(x))) + 1e-12))


def dominant_band_khz(x: np.ndarray, sr: int) -> tuple[float, float]:
    freqs, power = welch(x, fs=sr, nperseg=min(1024, len(x)))
    smooth = np.convolve(power, np.ones(9) / 9, mode="same")
    db = 10 * np.log10(smooth + 1e-30)
    band = freqs[db >= db.max() - BAND_DB]
    return float(band.min() / 1000), float(band.max() / 1000)


def voiced_frames(x: np.ndarray, sr: int) -> np.ndarray:
    frames = frame_signal(x, int(sr * FRAME_MS / 1000), int(sr * HOP_MS / 1000))
    rms_db = 20 * np.log10(np.sqrt(np.mean(np.square(frames), axis=1)) + 1e-12)
    return rms_db >= rms_db.max() - VOICED_DB


def pause_ms(voiced: np.ndarray) -> float:
    idx = np.flatnonzero(voiced)
    if idx.size < 2:
        return 0.0
    gaps = np.diff(idx) - 1
    gaps = gaps[gaps > 0]
    return float(np.median(gaps) * HOP_MS) if gaps.size else 0.0


def voiced_length_s(voiced: np.ndarray) -> float:
    idx = np.flatnonzero(voiced)
    return 0.0 if idx.size == 0 else float((idx[-1] - idx[0]) * HOP_MS / 1000 + FRAME_MS / 1000)


def characteristics(x: np.ndarray, sr: int) -> dict[str, float]:
    """All Table 6 rows for one signal (keys are the published.csv row names)."""
    low, high = dominant_band_khz(x, sr)
    voiced = voiced_frames(x, sr)
    return {"Loudness (dBFS)": loudness_dbfs(x), "Dom. f. low (kHz)": low, "Dom. f. high (kHz)": high,
            "Min. amplitude": float(x.min()), "Max. amplitude": float(x.max()),
            "Pause d. (ms)": pause_ms(voiced), "Voiced s. (s)": voiced_length_s(voiced)}
