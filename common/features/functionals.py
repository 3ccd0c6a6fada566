"""Utterance-level openSMILE functionals (Huang §4.1/§6.1 Table 3, Wieser §2.2.2).

opensmile 2.6 crashes the interpreter ("malloc(): invalid size" or a segfault inside ``process_signal``)
when TensorFlow 2.21 was imported *before* it in the same process. Importing opensmile first is safe.
This module remembers which came first; when TensorFlow did, extraction runs in a child interpreter
(``python -m common.features.smile_worker``) that never imports TensorFlow. Use
:func:`opensmile_functionals_batch` for many signals: it pays the child's start-up once, and splits a long list
over one child per core (Wieser's 8,522 six-second windows take about 0.12 s each with IS10).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import opensmile

from common.errors import ConfigError, FeatureError
from common.paths import REPO_ROOT

#: True when TensorFlow was already loaded as this module (and opensmile) got imported: extract in a child.
TENSORFLOW_LOADED_FIRST = "tensorflow" in sys.modules

# Sets the papers use (opensmile.FeatureSet names): Huang §4.1's INTERSPEECH challenge sets IS09-IS13 (its own
# names EC, PC, SSC, STC, ComParE live in reproductions/huang2017), Wieser §2.2.2's IS10 (1582).
FEATURE_SETS: tuple[str, ...] = ("IS09", "IS10", "IS11", "IS12", "IS13", "ComParE_2016", "eGeMAPSv02")
#: signals per child below which one process does the whole list (a child's start-up costs about a second)
MIN_PER_CHILD = 200


def _available() -> list[str]:
    """Names in ``FEATURE_SETS`` that this opensmile install ships."""
    return [name for name in FEATURE_SETS if name in opensmile.FeatureSet.__members__]


def _set_name(feature_set: str) -> str:
    if feature_set not in _available():
        raise ConfigError(f"openSMILE feature set {feature_set!r} is not supported; "
                          f"expected one of {', '.join(_available())}")
    return feature_set


@cache
def _smile(feature_set: str) -> opensmile.Smile:
    return opensmile.Smile(feature_set=opensmile.FeatureSet[_set_name(feature_set)],
                           feature_level=opensmile.FeatureLevel.Functionals)


def opensmile_feature_sets() -> dict[str, int]:
    """Supported feature sets this opensmile install ships, with their number of functionals."""
    return {name: len(_smile(name).feature_names) for name in _available()}


def functionals_here(waves: Sequence[np.ndarray], sr: int, feature_set: str) -> np.ndarray:
    """Extract in this process -> (n, D). Only safe when TensorFlow was not imported before opensmile."""
    smile = _smile(feature_set)
    rows = [smile.process_signal(np.asarray(w, dtype=np.float32), sr).to_numpy(dtype=np.float32)[0] for w in waves]
    return np.stack(rows) if rows else np.zeros((0, len(smile.feature_names)), np.float32)


def _functionals_in_children(waves: Sequence[np.ndarray], sr: int, feature_set: str, children: int) -> np.ndarray:
    """Extract in ``children`` worker processes at once, each on a contiguous share of ``waves``, in order."""
    bounds = np.linspace(0, len(waves), children + 1).astype(int)
    with tempfile.TemporaryDirectory() as tmp:
        running = []
        for k, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
            job, out = Path(tmp) / f"waves{k}.npz", Path(tmp) / f"functionals{k}.npy"
            np.savez(job, **{f"w{i}": np.asarray(w, dtype=np.float32) for i, w in enumerate(waves[lo:hi])})
            running.append((out, subprocess.Popen(
                [sys.executable, "-m", "common.features.smile_worker", feature_set, str(sr), str(job), str(out)],
                cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
        parts = []
        for out, proc in running:
            _, err = proc.communicate()
            if proc.returncode != 0:
                raise FeatureError(f"openSMILE {feature_set} functionals failed in the worker process: "
                                   f"{err.strip()[-2000:]}")
            parts.append(np.load(out))
        return np.concatenate(parts)


def opensmile_functionals_batch(waves: Sequence[np.ndarray], sr: int, feature_set: str = "ComParE_2016") -> np.ndarray:
    """Functionals of every signal in ``waves`` -> float32 (n, D): in child processes when TensorFlow came first
    or when the list is long enough to share out over the cores."""
    _set_name(feature_set)  # a clear error for an unknown set, before any child starts
    children = min(os.cpu_count() or 1, len(waves) // MIN_PER_CHILD)
    if children > 1:
        return _functionals_in_children(waves, sr, feature_set, children)
    if TENSORFLOW_LOADED_FIRST:
        return _functionals_in_children(waves, sr, feature_set, 1)
    return functionals_here(waves, sr, feature_set)


def opensmile_functionals(wave: np.ndarray, sr: int, feature_set: str = "ComParE_2016") -> np.ndarray:
    """Functionals of ``feature_set`` over the whole of ``wave`` -> float32 (D,) (IS10: 1582, ComParE: 6373).

    ``feature_set`` is an ``opensmile.FeatureSet`` name in ``FEATURE_SETS``.
    """
    return opensmile_functionals_batch([wave], sr, feature_set)[0]
