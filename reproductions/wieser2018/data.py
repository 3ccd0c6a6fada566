"""Samples of §3.1-§3.2: evaluator E-2's ratings as 5-class targets, 6 s windows of raw audio, MFCCs, IS10.

Class mapping (README): a rating r on the five-point scale 1..5 becomes class r - 1 (0 = lowest, 4 = highest,
as the labels 0..4 of Table 6). Turns E-2 did not rate, or rated off the integer scale, are dropped and counted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import opensmile
import pandas as pd

from common.audio import load_audio
from common.cache import FeatureCache
from common.corpora import Corpus
from common.errors import LabelFormatError
from common.features import check_finite, mfcc, opensmile_functionals_batch, slice_windows
from common.splits import FoldIndices
from reproductions.wieser2018.hyperparameters import (
    EVALUATOR,
    FTR_FEATURE_SET,
    N_MFCC,
    RATING_MAX,
    RATING_MIN,
    SAMPLE_RATE,
)

log = logging.getLogger(__name__)


@dataclass
class Samples:
    """One row per 6 s window: ``table`` (id = utterance id, sample_id = ``<id>#<window>``, speaker, window index,
    arousal, valence); folds list sample ids, so ``Fold.indices(table, "sample_id")`` gives the rows."""

    table: pd.DataFrame
    waveforms: np.ndarray          # (N, window) float32 in [-1, 1], zero-padded (§3.2)
    mfccs: np.ndarray              # (N, frames, 26) (§2.2.1)
    functionals: np.ndarray        # (N, D) openSMILE functionals (§2.2.2)
    functionals_set: str           # the openSMILE set actually used
    dropped: dict[str, int]

    def labels(self, dim: str) -> np.ndarray:
        return self.table[dim].to_numpy(dtype=np.int64)

    def majority(self, dim: str, rows: np.ndarray) -> int:
        """The most frequent class of ``dim`` among ``rows`` (§4.1: arousal 3, valence 1 over the test sets)."""
        return int(np.bincount(self.labels(dim)[rows], minlength=RATING_MAX - RATING_MIN + 1).argmax())


def rating_to_class(rating: float) -> int | None:
    """1..5 -> 0..4; None for a rating off the integer five-point scale (§3.1)."""
    if not float(rating).is_integer() or not RATING_MIN <= rating <= RATING_MAX:
        return None
    return int(rating) - RATING_MIN


def e2_targets(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Rows E-2 rated, with integer ``arousal`` / ``valence`` classes from E-2's (val, act, dom) vote (§3.1).

    Raises ``LabelFormatError`` naming the corpus root when no turn has a usable E-2 vote."""
    if "dim_votes" not in table.columns:
        raise LabelFormatError(f"IEMOCAP table from {table.attrs.get('root', '?')} has no dim_votes column")
    dropped = {"not rated by E-2": 0, "E-2 rating off the 1-5 scale": 0}
    rows = []
    for rec in table.itertuples(index=False):
        vote = rec.dim_votes.get(EVALUATOR)
        if vote is None:
            dropped["not rated by E-2"] += 1
            continue
        val, act = rating_to_class(vote[0]), rating_to_class(vote[1])
        if val is None or act is None:
            dropped["E-2 rating off the 1-5 scale"] += 1
            continue
        rows.append({"id": rec.id, "path": rec.path, "speaker": rec.speaker, "session": rec.session,
                     "arousal": act, "valence": val})
    if not rows:
        raise LabelFormatError(
            f"IEMOCAP at {table.attrs.get('root', '?')}: no turn has a usable vote of evaluator E-2 "
            f"(dropped {dropped}); expected 'A-E2:<TAB>val N; act N; ...' lines in "
            "Session*/dialog/EmoEvaluation/*.txt (§3.1 uses E-2 only)")
    return pd.DataFrame(rows), dropped


def _windows(rated: pd.DataFrame, window: int, min_last: int) -> tuple[pd.DataFrame, np.ndarray]:
    rows, waves = [], []
    for rec in rated.itertuples(index=False):
        for k, piece in enumerate(slice_windows(load_audio(rec.path, SAMPLE_RATE), window, min_last)):
            rows.append({**rec._asdict(), "window": k})
            waves.append(piece.astype(np.float32))
    return pd.DataFrame(rows), np.stack(waves)


def ftr_feature_set() -> str:
    """§2.2.2's IS10 if this opensmile install ships it, else the closest shipped set (IS09, then ComParE)."""
    shipped = opensmile.FeatureSet.__members__
    return next(name for name in (FTR_FEATURE_SET, "IS09", "ComParE_2016") if name in shipped)


def build_samples(corpus: Corpus, window: int, min_last: int, feature_set: str) -> Samples:
    """All samples of §3.2 with the three input representations, cached by file fingerprint and settings."""
    rated, dropped = e2_targets(corpus.table)
    config = {"window": window, "min_last": min_last, "evaluator": EVALUATOR, "n_mfcc": N_MFCC,
              "feature_set": feature_set}

    def compute() -> dict[str, np.ndarray]:
        table, waves = _windows(rated, window, min_last)
        mf = np.stack([mfcc(w, SAMPLE_RATE, n_mfcc=N_MFCC) for w in waves]).astype(np.float32)
        fx = opensmile_functionals_batch(list(waves), SAMPLE_RATE, feature_set)
        return {"row_utt": table["id"].to_numpy(dtype=str), "window": table["window"].to_numpy(),
                "waveforms": waves, "mfccs": mf, "functionals": fx}

    arrays = FeatureCache().get_or_compute("wieser2018-samples", config, [Path(p) for p in rated["path"]], compute)
    table = rated.set_index("id").loc[arrays["row_utt"]].reset_index()
    table["window"] = arrays["window"]
    table["sample_id"] = table["id"].astype(str) + "#" + table["window"].astype(str)
    check_finite(arrays["mfccs"], f"MFCCs of {corpus.root}")
    check_finite(arrays["functionals"], f"{feature_set} functionals of {corpus.root}")
    log.info("%d samples (%d-sample windows) from %d E-2-rated turns; dropped %s", len(table), window,
             len(rated), dropped)
    return Samples(table, arrays["waveforms"], arrays["mfccs"], arrays["functionals"], feature_set, dropped)


@dataclass(frozen=True)
class WieserData:
    """The prepared data (``paper.prepare``): the §3.2 samples, the speaker folds over their ids and the split's
    description for the rows."""

    samples: Samples
    folds: list[FoldIndices]
    split: str
