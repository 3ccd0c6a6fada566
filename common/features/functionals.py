"""Utterance-level openSMILE functionals (Huang §4.1/§6.1 Table 3, Wieser §2.2.2)."""

from __future__ import annotations

from functools import cache

import numpy as np
import opensmile

from common.errors import ConfigError

# Sets the papers use (opensmile.FeatureSet names). Huang §4.1 calls the INTERSPEECH sets EC, PC, SSC, STC
# and ComParE; Wieser §2.2.2 uses IS10 (1582). IS12 gives 6125 functionals where Huang's text says 5757.
FEATURE_SETS: tuple[str, ...] = ("IS09", "IS10", "IS11", "IS12", "IS13", "ComParE_2016", "eGeMAPSv02")
INTERSPEECH_CHALLENGE_SETS: dict[str, str] = {
    "EC": "IS09", "PC": "IS10", "SSC": "IS11", "STC": "IS12", "ComParE": "ComParE_2016",
}


def _available() -> list[str]:
    """Names in ``FEATURE_SETS`` that this opensmile install ships."""
    return [name for name in FEATURE_SETS if name in opensmile.FeatureSet.__members__]


@cache
def _smile(feature_set: str) -> opensmile.Smile:
    if feature_set not in _available():
        raise ConfigError(f"openSMILE feature set {feature_set!r} is not supported; "
                          f"expected one of {', '.join(_available())}")
    return opensmile.Smile(feature_set=opensmile.FeatureSet[feature_set],
                           feature_level=opensmile.FeatureLevel.Functionals)


def opensmile_feature_sets() -> dict[str, int]:
    """Supported feature sets this opensmile install ships, with their number of functionals."""
    return {name: len(_smile(name).feature_names) for name in _available()}


def opensmile_functionals(wave: np.ndarray, sr: int, feature_set: str = "ComParE_2016") -> np.ndarray:
    """Functionals of ``feature_set`` over the whole of ``wave`` -> float32 (D,) (IS10: 1582, ComParE: 6373).

    ``feature_set`` is an ``opensmile.FeatureSet`` name in ``FEATURE_SETS`` or one of Huang's challenge
    abbreviations in ``INTERSPEECH_CHALLENGE_SETS`` (EC, PC, SSC, STC, ComParE).
    """
    smile = _smile(INTERSPEECH_CHALLENGE_SETS.get(feature_set, feature_set))
    frame = smile.process_signal(np.asarray(wave, dtype=np.float32), sr)
    return frame.to_numpy(dtype=np.float32)[0]
