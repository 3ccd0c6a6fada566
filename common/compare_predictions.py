"""Paired comparison of two prediction files: ``python -m common.compare_predictions A B`` (also
``sereprod compare-predictions A B``).

Each file is a CSV with one row per utterance and the columns

- ``id``: utterance id (both files must hold the same ids),
- ``speaker``: its speaker (the unit the interval resamples),
- ``label``: the true label (``true`` or ``y_true`` also accepted), equal in both files,
- ``prediction``: the predicted label or value (``pred`` or ``y_pred`` also accepted);

other columns (fold, class scores) are ignored. Labels that are numbers with a fractional part make the task
continuous, scored by CCC; otherwise accuracy (WA) and UA (mean per-class recall) are scored.

For each metric it prints A, B, the difference B - A over all utterances, and a percentile bootstrap interval
of that difference over speakers (``scipy.stats.bootstrap``): whole speakers are resampled with replacement, both
files together, so the interval is paired and respects that utterances of one speaker are not independent.
Exit 0, or 2 on a file that cannot be read. Imports neither TensorFlow nor JAX.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from common.errors import SereprodError
from common.metrics import ccc, unweighted_accuracy, weighted_accuracy

COLUMNS = {"id": ("id",), "speaker": ("speaker",), "label": ("label", "true", "y_true"),
           "prediction": ("prediction", "pred", "y_pred")}
CONFIDENCE = 0.95
N_RESAMPLES = 2000


class PredictionFileError(SereprodError):
    """A prediction file lacks a column, or two files do not describe the same utterances."""


def read_predictions(path: str | Path) -> pd.DataFrame:
    """The four columns of a prediction file, renamed to ``id, speaker, label, prediction``."""
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype={"id": str, "speaker": str})
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise PredictionFileError(f"{path}: cannot read a CSV ({e})") from None
    picked = {}
    for name, aliases in COLUMNS.items():
        found = next((c for c in aliases if c in table.columns), None)
        if found is None:
            raise PredictionFileError(f"{path}: no {name!r} column (expected one of {list(aliases)}); "
                                      f"found {list(table.columns)}")
        picked[found] = name
    out = table[list(picked)].rename(columns=picked)
    if out["id"].duplicated().any():
        raise PredictionFileError(f"{path}: id {out['id'][out['id'].duplicated()].iloc[0]!r} occurs twice")
    if out.isna().any().any():
        raise PredictionFileError(f"{path}: empty cells in {list(out.columns[out.isna().any()])}")
    return out


def pair(a: pd.DataFrame, b: pd.DataFrame, name_a: str, name_b: str) -> pd.DataFrame:
    """``id, speaker, label, pred_a, pred_b``: the two files row by row; they must hold the same utterances."""
    only = sorted(set(a["id"]) ^ set(b["id"]))
    if only:
        raise PredictionFileError(f"{name_a} and {name_b} hold different utterances: {len(only)} ids in one "
                                  f"only, e.g. {only[:3]}")
    both = a.merge(b, on="id", suffixes=("_a", "_b"))
    for col in ("speaker", "label"):
        differ = both[both[f"{col}_a"].astype(str) != both[f"{col}_b"].astype(str)]
        if len(differ):
            raise PredictionFileError(f"{name_a} and {name_b} disagree on the {col} of {len(differ)} utterances, "
                                      f"e.g. {differ['id'].iloc[0]!r}")
    return both.rename(columns={"speaker_a": "speaker", "label_a": "label", "prediction_a": "pred_a",
                                "prediction_b": "pred_b"})[["id", "speaker", "label", "pred_a", "pred_b"]]


def is_continuous(labels: pd.Series) -> bool:
    """Numbers with a fractional part: a continuous target (CCC), not classes."""
    values = pd.to_numeric(labels, errors="coerce")
    return bool(values.notna().all() and (values % 1 != 0).any())


# Per-utterance sums from which a metric is recomputed for any multiset of speakers (vectorised bootstrap).

def _sums(metric: str, t: np.ndarray, p: np.ndarray, classes: np.ndarray) -> np.ndarray:
    if metric == "accuracy":
        return np.stack([np.ones(len(t)), (t == p).astype(float)], axis=1)
    if metric == "ua":
        hot = (t[:, None] == classes[None, :]).astype(float)
        return np.concatenate([hot, hot * (t == p)[:, None]], axis=1)
    return np.stack([np.ones(len(t)), t, p, t * t, p * p, t * p], axis=1)


def _from_sums(metric: str, z: np.ndarray) -> np.ndarray:
    if metric == "accuracy":
        return z[..., 1] / z[..., 0]
    if metric == "ua":
        c = z.shape[-1] // 2
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.nanmean(z[..., c:] / np.where(z[..., :c] > 0, z[..., :c], np.nan), axis=-1)
    n, st, sp, stt, spp, stp = np.moveaxis(z, -1, 0)
    mt, mp = st / n, sp / n
    cov, vt, vp = stp / n - mt * mp, stt / n - mt * mt, spp / n - mp * mp
    return 2 * cov / (vt + vp + (mt - mp) ** 2)


def _per_speaker(sums: np.ndarray, index: np.ndarray, n_speakers: int) -> np.ndarray:
    out = np.zeros((n_speakers, sums.shape[1]))
    np.add.at(out, index, sums)
    return out


POINT: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "accuracy": weighted_accuracy, "ua": unweighted_accuracy, "ccc": ccc}


@dataclass(frozen=True)
class Comparison:
    """One metric of A and B on the same utterances, B - A and its interval over speakers."""

    metric: str
    a: float
    b: float
    low: float
    high: float

    @property
    def difference(self) -> float:
        return self.b - self.a


def compare(both: pd.DataFrame, metric: str, n_resamples: int = N_RESAMPLES, seed: int = 0) -> Comparison:
    """``metric`` of both prediction columns and the percentile bootstrap interval of B - A over speakers."""
    if metric == "ccc":
        numbers = both[["label", "pred_a", "pred_b"]].apply(pd.to_numeric, errors="coerce")
        if numbers.isna().any().any():
            raise PredictionFileError("CCC needs numeric labels and predictions; found "
                                      f"{both[numbers.isna().any(axis=1)].iloc[0].to_dict()}")
        t, pa, pb = (numbers[c].to_numpy(float) for c in ("label", "pred_a", "pred_b"))
    else:
        t, pa, pb = (both[c].astype(str).to_numpy() for c in ("label", "pred_a", "pred_b"))
    classes = np.unique(t)
    speakers, index = np.unique(both["speaker"].astype(str), return_inverse=True)
    if len(speakers) < 2:
        raise PredictionFileError(f"{len(speakers)} speaker: the interval over speakers needs at least 2")
    za, zb = (_per_speaker(_sums(metric, t, p, classes), index, len(speakers)) for p in (pa, pb))

    def difference(idx: np.ndarray, axis: int = -1) -> np.ndarray:
        idx = np.moveaxis(np.asarray(idx, dtype=int), axis, -1)
        return _from_sums(metric, zb[idx].sum(axis=-2)) - _from_sums(metric, za[idx].sum(axis=-2))

    res = stats.bootstrap((np.arange(len(speakers)),), difference, vectorized=True, n_resamples=n_resamples,
                          confidence_level=CONFIDENCE, method="percentile", rng=np.random.default_rng(seed))
    return Comparison(metric, POINT[metric](t, pa), POINT[metric](t, pb), float(res.confidence_interval.low),
                      float(res.confidence_interval.high))


def report(name_a: str, name_b: str, both: pd.DataFrame, rows: list[Comparison], n_resamples: int) -> str:
    """The printed table."""
    n_spk = both["speaker"].nunique()
    lines = [f"A: {name_a}", f"B: {name_b}",
             f"{len(both)} utterances of {n_spk} speakers, paired by id; {CONFIDENCE:.0%} percentile bootstrap "
             f"over speakers ({n_resamples} resamples)",
             f"{'metric':10s} {'A':>8s} {'B':>8s} {'B - A':>8s}  interval"]
    lines += [f"{r.metric:10s} {r.a:8.4f} {r.b:8.4f} {r.difference:+8.4f}  [{r.low:+.4f}, {r.high:+.4f}]"
              for r in rows]
    if n_spk < 5:
        lines.append(f"note: {n_spk} speakers make a rough interval")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status (0, or 2 on a bad file)."""
    parser = argparse.ArgumentParser(prog="python -m common.compare_predictions",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("a", metavar="A", help="prediction CSV of the reference (id, speaker, label, prediction)")
    parser.add_argument("b", metavar="B", help="prediction CSV compared with A, on the same utterances")
    parser.add_argument("--metric", choices=sorted(POINT), action="append",
                        help="metric(s) to compare (default: ccc for continuous labels, else accuracy and ua)")
    parser.add_argument("--resamples", type=int, default=N_RESAMPLES, help="bootstrap resamples")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    args = parser.parse_args(argv)
    try:
        both = pair(read_predictions(args.a), read_predictions(args.b), args.a, args.b)
        metrics = args.metric or (["ccc"] if is_continuous(both["label"]) else ["accuracy", "ua"])
        rows = [compare(both, m, args.resamples, args.seed) for m in metrics]
    except SereprodError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(report(args.a, args.b, both, rows, args.resamples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
