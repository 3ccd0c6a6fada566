"""Speaker-level z-normalisation and the NaN/inf guard."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from common.errors import FeatureError

ZNORM_EPS = 1e-8


def speaker_znorm(feats: Sequence[np.ndarray], speakers: Sequence[str],
                  eps: float = ZNORM_EPS) -> list[np.ndarray]:
    """Z-normalise every utterance with the mean and population std of all frames of its speaker.

    Khorram §3: "speaker-specific z-normalization on all extracted features"; Huang §6.1: speaker
    standardisation of the openSMILE functionals. ``feats[i]`` is (T, D) frames or a (D,) utterance vector;
    statistics pool every frame (row) of the speaker's utterances; output = (x - mean) / (std + eps), float32,
    same shapes as the input.
    """
    if len(feats) != len(speakers):
        raise ValueError(f"{len(feats)} feature arrays but {len(speakers)} speaker labels")
    out: list[np.ndarray | None] = [None] * len(feats)
    for speaker in dict.fromkeys(speakers):
        idx = [i for i, s in enumerate(speakers) if s == speaker]
        frames = np.concatenate([np.atleast_2d(np.asarray(feats[i], dtype=np.float64)) for i in idx])
        mean, std = frames.mean(axis=0), frames.std(axis=0)
        for i in idx:
            out[i] = ((np.asarray(feats[i], dtype=np.float64) - mean) / (std + eps)).astype(np.float32)
    return out  # type: ignore[return-value]


def check_finite(x: np.ndarray, what: str) -> np.ndarray:
    """Return ``x`` unchanged, or raise :class:`FeatureError` naming ``what`` (file or utterance) on NaN/inf."""
    x = np.asarray(x)
    bad = ~np.isfinite(x)
    if bad.any():
        n_nan = int(np.isnan(x).sum())
        raise FeatureError(f"{what}: features of shape {x.shape} contain {n_nan} NaN and "
                           f"{int(bad.sum()) - n_nan} inf values; expected finite values")
    return x
