"""Section 5 worker: feature real-time factors on one core and the feature-cache hit against recomputation.

Started by ``benchmarks.features`` in its own process, pinned to one CPU with every math library set to one
thread, so the figures are per core: ``python -m benchmarks.features_worker --out f.json [--smoke]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.stats import repeat

SR = 16000


def extractors() -> dict[str, Callable[[np.ndarray], Any]]:
    """Each paper's front end, by the name the page shows (common.features, API.md)."""
    from common import features as f
    from reproductions.latif2017.segments import LATIF_LOGMEL
    from reproductions.zhao2019.data import ZHAO_LOGMEL

    return {
        "Kaldi fbank 40 (Khorram §3, Huang §6.2)": lambda w: f.kaldi_fbank(w),
        "Kaldi MFCC 13 (Huang §6.2)": lambda w: f.kaldi_mfcc(w),
        "log-mel 128, n_fft 2048 (Zhao §3.5)": lambda w: f.log_mel_spectrogram(w, **ZHAO_LOGMEL),
        "log-mel 80, n_fft 512 (Latif §4.2)": lambda w: f.log_mel_spectrogram(w, **LATIF_LOGMEL),
        "MFCC 26, psf framing (Wieser §2.2.1)": lambda w: f.mfcc(w),
        "openSMILE IS10 functionals (Wieser §2.2.2)": lambda w: f.opensmile_functionals(w, SR, "IS10"),
        "openSMILE IS13_ComParE functionals (Huang §4.1)": lambda w: f.opensmile_functionals(w, SR, "IS13"),
    }


def speech_like(seconds: float, seed: int = 0) -> np.ndarray:
    """A voiced-like test signal: harmonics of a wandering f0 plus noise, in [-1, 1]."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    f0 = 140 + 30 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / SR
    x = sum(np.sin(k * phase) / k for k in range(1, 8)) + 0.05 * rng.standard_normal(t.size)
    return (0.3 * x / np.abs(x).max()).astype(np.float32)


def real_time_factors(seconds: float, reps: int) -> list[dict[str, Any]]:
    """Compute seconds per audio second for each extractor (lower is faster)."""
    wave = speech_like(seconds)
    out = []
    for name, fn in extractors().items():
        times = repeat(lambda fn=fn: fn(wave), reps, warmup=1)
        out.append({"name": name, "rtf": [t / seconds for t in times], "audio_s": seconds})
    return out


def cache_speedup(n_files: int, seconds: float, reps: int) -> list[dict[str, Any]]:
    """Recompute (load + extract every file) against a FeatureCache hit, per feature, with the hit's parts."""
    from common.audio import load_audio, write_wav
    from common.cache import FeatureCache, _sha256, fingerprint

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(n_files):
            files.append(Path(tmp) / f"u{i}.wav")
            write_wav(files[-1], speech_like(seconds, seed=i))
        cache = FeatureCache(Path(tmp) / "cache")
        for name, fn in list(extractors().items())[:6]:
            def compute(fn=fn) -> dict[str, np.ndarray]:
                return {p.stem: np.asarray(fn(load_audio(p))) for p in files}

            config = {"feature": name}
            cache.get_or_compute("bench", config, files, compute)  # store the entry
            npz = cache.root / "bench" / f"{cache.key(config, files, compute)}.npz"
            recompute = repeat(compute, reps, warmup=0)
            hit = repeat(lambda c=compute, k=config: cache.get_or_compute("bench", k, files, c), reps)
            parts = {"fingerprint": repeat(lambda: fingerprint(files), reps),
                     "sha256": repeat(lambda n=npz: _sha256(n), reps),
                     "np.load": repeat(lambda n=npz: dict(np.load(n, allow_pickle=False)), reps)}
            results.append({"name": name, "recompute": recompute, "hit": hit, "parts": parts,
                            "entry_bytes": npz.stat().st_size, "files": n_files, "file_s": seconds})
    return results


def pin_one_core() -> str:
    """Restrict this process to one CPU (Linux); returns what was done."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to cpu {cpu}"
    return "not pinned (no sched_setaffinity); math libraries at one thread"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    pinned = pin_one_core()
    seconds, n_files = (1.0, 2) if args.smoke else (10.0, 20)
    start = time.perf_counter()
    report = {"pinned": pinned, "rtf": real_time_factors(seconds, args.reps),
              "cache": cache_speedup(n_files, 3.0 if not args.smoke else 0.5, args.reps)}
    report["wall_s"] = time.perf_counter() - start
    args.out.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
