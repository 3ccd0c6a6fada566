"""A cheap source-filter voice whose prosody carries the emotion.

Sawtooth glottal source at f0 (with jitter), a syllable-rate amplitude envelope with unvoiced bursts
between syllables, breath noise, three formant resonators scaled per speaker, and a time-varying
spectral tilt. Pitch level/range, energy, speaking rate, tilt and breathiness are functions of arousal
and valence (continuous, for RECOLA, Khorram §5) plus a per-category style, and each speaker adds a
smaller voice offset (gender-dependent f0, formant scale), so speaker-independent evaluation is meaningful.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, lfilter, sosfilt, sosfiltfilt

SR = 16000
CTRL = 100  # control rate of the prosody trajectories, Hz
_LP = butter(2, 1000, btype="low", fs=SR, output="sos")
FORMANTS = ((500.0, 80.0), (1500.0, 110.0), (2500.0, 160.0))


@dataclass(frozen=True)
class Voice:
    """Per-speaker offsets; kept smaller than the emotion effects."""

    gender: str
    f0: float
    formant: float
    gain_db: float
    rate: float
    tilt: float
    breath: float


@dataclass(frozen=True)
class Style:
    """Category-specific acoustic offsets on top of the arousal/valence mapping."""

    f0_st: float = 0.0
    range_st: float = 0.0
    glide_st: float = 0.0
    energy_db: float = 0.0
    rate: float = 0.0
    tilt: float = 0.0
    breath: float = 0.0
    jitter: float = 0.0


# (valence, arousal, dominance) on IEMOCAP's 1-5 scale, and the category style.
EMOTIONS: dict[str, tuple[float, float, float, Style]] = {
    "neutral": (3.0, 2.6, 2.8, Style()),
    "happiness": (4.1, 3.3, 3.0, Style(range_st=3.0, glide_st=2.0, tilt=0.1)),
    "excited": (3.9, 3.9, 3.4, Style(range_st=2.0, rate=0.6)),
    "sadness": (1.9, 2.0, 2.2, Style(range_st=-1.5, rate=-0.8, breath=0.06, glide_st=-2.0)),
    "anger": (1.7, 4.2, 4.0, Style(energy_db=3.0, tilt=0.4, jitter=0.01)),
    "frustration": (2.0, 3.3, 3.3, Style(breath=0.05, glide_st=-1.5, rate=-0.2)),
    "surprise": (3.3, 4.0, 3.0, Style(glide_st=5.0, range_st=4.0)),
    "fear": (1.9, 3.7, 2.1, Style(f0_st=2.0, breath=0.15, jitter=0.03, rate=1.0)),
    "disgust": (1.8, 3.0, 3.3, Style(glide_st=-3.0, rate=-0.8, breath=0.08)),
    "boredom": (2.4, 1.6, 2.4, Style(range_st=-3.0, rate=-1.0, tilt=-0.3)),
    "other": (3.0, 3.0, 3.0, Style(jitter=0.01, glide_st=1.0)),
}


def make_voice(gender: str, rng: np.random.Generator, difficulty: float = 0.0) -> Voice:
    """A random speaker of the given gender ('F' or 'M'); ``difficulty`` in [0, 1] widens the speakers'
    spread of level, rate, tilt and breathiness up to threefold (speaker variability)."""
    f0 = rng.uniform(185, 235) if gender == "F" else rng.uniform(100, 135)
    formant = rng.uniform(1.08, 1.18) if gender == "F" else rng.uniform(0.92, 1.02)
    w = 1.0 + 2.0 * difficulty
    return Voice(gender, float(f0), float(formant), float(rng.uniform(-2, 2) * w),
                 float(1 + rng.uniform(-0.1, 0.1) * w), float(rng.uniform(-0.15, 0.15) * w),
                 float(rng.uniform(0.0, 0.03) * w))


def smooth_noise(n: int, rng: np.random.Generator, cutoff: float, rate: float) -> np.ndarray:
    """Unit-variance Gaussian noise low-passed at ``cutoff`` Hz, sampled at ``rate`` Hz."""
    z = rng.standard_normal(n + 64)
    sos = butter(2, min(cutoff / (rate / 2), 0.99), output="sos")
    y = sosfiltfilt(sos, z)[32:32 + n]
    return y / (y.std() + 1e-12)


def utterance_dims(emotion: str, rng: np.random.Generator, difficulty: float = 0.0) -> tuple[float, float, float]:
    """One utterance's (valence, arousal, dominance) on 1-5: the category centroid plus spread.

    ``difficulty`` in [0, 1] pulls the centroids towards the neutral middle (by up to 60 %) and widens the
    spread (from 0.35 to 0.85): the classes overlap more.
    """
    centre = np.asarray(EMOTIONS[emotion][:3], dtype=float)
    centre = 3.0 + (centre - 3.0) * (1.0 - 0.6 * difficulty)
    spread = 0.35 + 0.5 * difficulty
    return tuple(float(np.clip(x + rng.normal(0, spread), 1.0, 5.0)) for x in centre)  # type: ignore[return-value]


def degrade(x: np.ndarray, rng: np.random.Generator, difficulty: float = 0.0) -> np.ndarray:
    """Channel and noise of one recording: a random spectral tilt of the microphone and background noise at an
    SNR from 40 dB (``difficulty`` 0: returned unchanged) down to 5-15 dB (``difficulty`` 1)."""
    if difficulty <= 0:
        return x
    low = sosfilt(_LP, x)
    x = low + 2.0 ** (rng.uniform(-1.5, 1.5) * difficulty) * (x - low)
    snr_db = rng.uniform(40 - 35 * difficulty, 50 - 35 * difficulty)
    noise = sosfilt(butter(1, rng.uniform(300, 4000), fs=SR, output="sos"), rng.standard_normal(len(x)))
    noise *= np.sqrt(np.mean(x ** 2) / (np.mean(noise ** 2) + 1e-12) / 10 ** (snr_db / 10))
    y = x + noise
    peak = np.max(np.abs(y))
    return (y * (0.97 / peak) if peak > 0.97 else y).astype(np.float32)


def render(voice: Voice, arousal, valence, duration: float, rng: np.random.Generator,
           style: Style = Style(), activity: np.ndarray | None = None) -> np.ndarray:
    """Render ``duration`` seconds at 16 kHz; ``arousal``/``valence`` in [-1, 1] are scalars or
    trajectories at ``CTRL`` Hz, ``activity`` an optional 0..1 speech-activity trajectory at ``CTRL`` Hz."""
    n = int(round(duration * SR))
    nc = int(np.ceil(duration * CTRL)) + 1
    a = np.broadcast_to(np.asarray(arousal, dtype=np.float64), (nc,))
    v = np.broadcast_to(np.asarray(valence, dtype=np.float64), (nc,))
    tc = np.arange(nc) / CTRL
    t = np.arange(n) / SR

    def up(c: np.ndarray) -> np.ndarray:
        return np.interp(t, tc, c)

    slow = smooth_noise(nc, rng, 2.0, CTRL)
    pos = tc / max(duration, 1e-3)
    pitch_range = np.maximum(3.0 + 3.0 * np.maximum(a, 0) + 2.0 * v + style.range_st, 0.5)
    st = (12 * (0.45 * a + 0.1 * v) + style.f0_st + 0.5 * pitch_range * slow
          + style.glide_st * (pos - 0.5) - 1.5 * pos)
    jitter = 1 + (0.006 + style.jitter) * rng.standard_normal(nc)
    f0 = voice.f0 * up(2.0 ** (st / 12) * jitter)
    source = 2.0 * ((np.cumsum(f0) / SR) % 1.0) - 1.0

    rate = voice.rate * np.maximum(4.2 + 1.8 * a + style.rate, 1.5) * (1 + 0.15 * smooth_noise(nc, rng, 1.0, CTRL))
    env = np.sin(np.pi * ((np.cumsum(up(rate)) / SR) % 1.0)) ** 2
    breath = up(np.clip(voice.breath + 0.08 - 0.05 * v + style.breath, 0.01, 0.5))
    noise = rng.standard_normal(n)
    x = env * (source + breath * noise) + 0.25 * (1 - env) ** 6 * np.roll(noise, n // 2)

    scale = voice.formant * (1 + 0.05 * float(np.mean(v)))
    num, den = np.ones(1), np.ones(1)
    for fc, bw in FORMANTS:  # three resonators in cascade, as one filter
        r = np.exp(-np.pi * bw / SR)
        num = num * (1 - r)
        den = np.convolve(den, [1, -2 * r * np.cos(2 * np.pi * fc * scale / SR), r * r])
    x = lfilter(num, den, x)
    tilt = up(0.7 * a + 0.3 * v + style.tilt + voice.tilt)
    low = sosfilt(_LP, x)
    x = low + 2.0 ** (1.5 * tilt) * (x - low)

    x = x / (np.sqrt(np.mean(x ** 2)) + 1e-12)
    x = x * up(10.0 ** ((-26 + voice.gain_db + 8 * a + style.energy_db) / 20))
    if activity is not None:
        x = x * up(activity)
    fade = min(int(0.05 * SR), n // 4)
    if fade:
        ramp = np.linspace(0, 1, fade)
        x[:fade] *= ramp
        x[-fade:] *= ramp[::-1]
    x = x + 10 ** (-60 / 20) * np.roll(noise, n // 3)
    peak = np.max(np.abs(x))
    if peak > 0.97:
        x *= 0.97 / peak
    return x.astype(np.float32)


def to_unit(x: float) -> float:
    """IEMOCAP's 1-5 scale -> [-1, 1]."""
    return (x - 3.0) / 2.0
