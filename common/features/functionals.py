"""Utterance-level openSMILE functionals (Huang §4.1/§6.1 Table 3, Wieser §2.2.2).

opensmile 2.6 crashes the interpreter ("malloc(): invalid size" or a segfault inside ``process_signal``)
when TensorFlow 2.21 was imported *before* it in the same process. Importing opensmile first is safe.
This module remembers which came first; when TensorFlow did, extraction runs in a child interpreter
(``python -m common.features.smile_worker``) that never imports TensorFlow. Use
:func:`opensmile_functionals_batch` for many signals: it pays the child's start-up once.
"""

from __future__ import annotations

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


def _functionals_in_child(waves: Sequence[np.ndarray], sr: int, feature_set: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        job, out = Path(tmp) / "waves.npz", Path(tmp) / "functionals.npy"
        np.savez(job, **{f"w{i}": np.asarray(w, dtype=np.float32) for i, w in enumerate(waves)})
        done = subprocess.run([sys.executable, "-m", "common.features.smile_worker", feature_set, str(sr), str(job),
                               str(out)], cwd=REPO_ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise FeatureError(f"openSMILE {feature_set} functionals failed in the worker process: "
                               f"{done.stderr.strip()[-2000:]}")
        return np.load(out)


def opensmile_functionals_batch(waves: Sequence[np.ndarray], sr: int, feature_set: str = "ComParE_2016") -> np.ndarray:
    """Functionals of every signal in ``waves`` -> float32 (n, D), in a child process when TensorFlow came first."""
    _set_name(feature_set)  # a clear error for an unknown set, before any child starts
    if TENSORFLOW_LOADED_FIRST:
        return _functionals_in_child(waves, sr, feature_set)
    return functionals_here(waves, sr, feature_set)


def opensmile_functionals(wave: np.ndarray, sr: int, feature_set: str = "ComParE_2016") -> np.ndarray:
    """Functionals of ``feature_set`` over the whole of ``wave`` -> float32 (D,) (IS10: 1582, ComParE: 6373).

    ``feature_set`` is an ``opensmile.FeatureSet`` name in ``FEATURE_SETS``.
    """
    return opensmile_functionals_batch([wave], sr, feature_set)[0]
