"""MUSAN noise portion (``musan/noise/{free-sound,sound-bible}/*.wav``) and the SNR mixer of Huang §5.2."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from common.corpora._base import ReadReport, finish, is_hidden, probe_audio, require_layout

CORPUS = "MUSAN"
SUBSETS = ("free-sound", "sound-bible")
N_DISTRIBUTED = (929, 930)
EXPECTED = ["musan/noise/{free-sound,sound-bible}/*.wav (or noise/... when given musan/ itself)"]


def _noise_dir(root: Path) -> Path | None:
    for cand in (root / "musan" / "noise", root / "noise"):
        if all((cand / s).is_dir() for s in SUBSETS):
            return cand
    return None


def _matches(root: Path) -> bool:
    return _noise_dir(root) is not None


def read_musan_noise(root: str | os.PathLike) -> pd.DataFrame:
    """One row per noise clip; ``label`` = ``session`` = subfolder; ``speaker`` = clip id (no speakers)."""
    root = require_layout(root, CORPUS, EXPECTED, _matches)
    noise = _noise_dir(root)
    report = ReadReport(CORPUS, str(root))
    rows = []
    for subset in SUBSETS:
        for f in sorted((noise / subset).iterdir()):
            if is_hidden(f) or not f.is_file():
                continue
            if f.suffix.lower() != ".wav":
                report.note("non-wav file (ignored)", f"{subset}/{f.name}")
                continue
            report.found += 1
            probed = probe_audio(f, report, f.stem)
            if probed is None:
                continue
            sr, duration = probed
            rows.append(dict(id=f.stem, path=str(f), speaker=f.stem, gender="n/a", session=subset, label=subset,
                             duration=duration, sample_rate=sr))
    if report.found not in N_DISTRIBUTED:
        report.note("clip count differs from the 929-930 of the distributed noise portion", f"found {report.found}")
    return finish(rows, report, CORPUS, Path(root), [])


def mix_at_snr(speech: np.ndarray, noise: np.ndarray, snr_db: float,
               rng: np.random.Generator | None = None) -> np.ndarray:
    """``speech + g * noise`` with g chosen so that 10 log10(P_speech / P_scaled_noise) = ``snr_db`` exactly.

    The noise is looped when shorter than the speech and cropped otherwise, starting at a random offset
    drawn from ``rng`` (offset 0 without one). The result is float32 and not clipped (Huang §5.2).
    """
    s = np.asarray(speech, dtype=np.float64).reshape(-1)
    n = np.asarray(noise, dtype=np.float64).reshape(-1)
    if len(s) == 0 or len(n) == 0:
        raise ValueError("mix_at_snr needs non-empty speech and noise")
    offset = int(rng.integers(len(n))) if rng is not None else 0
    n = np.resize(np.roll(n, -offset), len(s))
    p_s, p_n = np.mean(s ** 2), np.mean(n ** 2)
    if p_n == 0.0 or p_s == 0.0:
        raise ValueError("mix_at_snr: the speech or the noise segment is silent, so no SNR can be set")
    g = np.sqrt(p_s / (p_n * 10.0 ** (snr_db / 10.0)))
    return (s + g * n).astype(np.float32)
