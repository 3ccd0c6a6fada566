"""Uncertainty of reproduced numbers: 95 % intervals by bootstrap over speakers, and paired flaw effects.

Method (documented in common/API.md):
- The unit of independence in SER is the speaker (the session for IEMOCAP, whose two speakers talk to each
  other), not the utterance: a number's items (utterances, or frames for CCC) are resampled by whole groups.
- For one number with ``n`` runs, ``scipy.stats.bootstrap`` resamples the groups (percentile method, 2,000
  resamples, fixed seed); each resample recomputes the metric of every run on the same resampled groups and
  averages over runs. The half-width of that interval is combined with the spread over runs (seeds):
  ``h = sqrt(h_boot**2 + (t_{.975, n-1} * s_runs / sqrt(n))**2)``, centred on the mean over runs.
- Without per-item predictions an interval is ``t_{.975, n-1} * s / sqrt(n)`` over runs (n >= 2), else none.
- A flaw's effect (faithful minus corrected) is bootstrapped the same way, pairing the two variants on the same
  resampled groups; its two-sided p-value is twice the share of resamples on the far side of zero (or, without
  predictions, a paired t-test over runs, ``scipy.stats.ttest_rel``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats
from sklearn.metrics import f1_score

from common.metrics import ccc
from common.results.evidence import Evidence

CONFIDENCE = 0.95
N_RESAMPLES = 2000
SEED = 20170101

Metric = Callable[[np.ndarray, np.ndarray], float]


def _accuracy(t: np.ndarray, p: np.ndarray) -> float:
    """Weighted accuracy (as sklearn's accuracy_score), in NumPy: the bootstrap calls it thousands of times."""
    return float(np.mean(t == p))


def _ua(t: np.ndarray, p: np.ndarray) -> float:
    """Unweighted accuracy: mean recall over the classes present in ``t`` (as sklearn's balanced_accuracy_score)."""
    classes, inverse = np.unique(t, return_inverse=True)
    hits = np.bincount(inverse, weights=(t == p).astype(float), minlength=len(classes))
    return float(np.mean(hits / np.bincount(inverse, minlength=len(classes))))


METRICS: dict[str, Metric] = {
    "accuracy": _accuracy,
    "ua": _ua,
    "f1_macro": lambda t, p: float(f1_score(t, p, average="macro", zero_division=0)),
    "ccc": lambda t, p: float(ccc(t, p)),
}


@dataclass(frozen=True)
class Interval:
    """A number's mean over runs and its 95 % interval (``low``/``high`` NaN when none can be computed)."""

    mean: float
    low: float
    high: float
    method: str

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


def _t_half(values: np.ndarray) -> float:
    n = len(values)
    if n < 2:
        return 0.0
    return float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * np.std(values, ddof=1) / np.sqrt(n))


class _GroupIndex:
    """Items of each run by group, so that a resample of groups becomes a resample of items per run."""

    def __init__(self, groups: Sequence[np.ndarray]) -> None:
        self.names = np.unique(np.concatenate([np.asarray(g).astype(str) for g in groups]))
        lookup = {name: i for i, name in enumerate(self.names)}
        self.items = []
        for g in groups:
            codes = np.array([lookup[str(x)] for x in g], dtype=np.int64)
            self.items.append([np.flatnonzero(codes == k) for k in range(len(self.names))])

    def take(self, run: int, chosen: np.ndarray) -> np.ndarray:
        return np.concatenate([self.items[run][int(k)] for k in chosen])


def _run_metrics(ev: Evidence, index: _GroupIndex, chosen: np.ndarray) -> np.ndarray:
    metric = METRICS[ev.metric]
    out = []
    for r in range(len(ev.y_true)):
        rows = index.take(r, chosen)
        out.append(metric(np.asarray(ev.y_true[r])[rows], np.asarray(ev.y_pred[r])[rows]) if rows.size else np.nan)
    return np.asarray(out, dtype=float)


def _bootstrap(statistic: Callable[[np.ndarray], float], n_groups: int) -> tuple[float, float, np.ndarray]:
    result = stats.bootstrap((np.arange(n_groups),), statistic, vectorized=False, paired=False,
                             n_resamples=N_RESAMPLES, confidence_level=CONFIDENCE, method="percentile",
                             random_state=np.random.default_rng(SEED))
    ci = result.confidence_interval
    return float(ci.low), float(ci.high), np.asarray(result.bootstrap_distribution, dtype=float)


def interval(ev: Evidence) -> Interval:
    """95 % interval of ``ev``'s number (metric x scale), by group bootstrap combined with the run spread."""
    index = _GroupIndex(ev.groups)
    every = np.arange(len(index.names))
    per_run = _run_metrics(ev, index, every) * ev.scale
    mean = float(np.nanmean(per_run))
    if len(index.names) < 2:
        half = _t_half(per_run)
        return Interval(mean, mean - half, mean + half, "runs only (one group)") if half else \
            Interval(mean, np.nan, np.nan, "none (one group, one run)")
    low, high, _ = _bootstrap(lambda idx: float(np.nanmean(_run_metrics(ev, index, idx))) * ev.scale,
                              len(index.names))
    h_boot, h_runs = (high - low) / 2, _t_half(per_run)
    half = float(np.hypot(h_boot, h_runs))
    method = f"bootstrap over {len(index.names)} groups" + (f" + {len(per_run)} runs" if h_runs else "")
    return Interval(mean, mean - half, mean + half, method)


def interval_from_runs(values: Sequence[float]) -> Interval:
    """95 % t-interval over runs when no per-item predictions exist (NaN for a single run)."""
    v = np.asarray(values, dtype=float)
    mean = float(np.mean(v))
    if v.size < 2:
        return Interval(mean, np.nan, np.nan, "none (one run, no per-item predictions)")
    half = _t_half(v)
    return Interval(mean, mean - half, mean + half, f"t over {v.size} runs")


@dataclass(frozen=True)
class Effect:
    """Faithful minus corrected, with its 95 % interval and two-sided p-value."""

    delta: float
    low: float
    high: float
    p: float
    method: str


def paired_effect(faithful: Evidence, corrected: Evidence) -> Effect:
    """The flaw's effect: paired over the same resampled groups (and runs) of both variants."""
    if faithful.metric != corrected.metric or len(faithful.y_true) != len(corrected.y_true):
        raise ValueError("paired_effect needs the same metric and number of runs for both variants")
    fi, ci = _GroupIndex(faithful.groups), _GroupIndex(corrected.groups)
    shared = np.intersect1d(fi.names, ci.names)
    f_codes = np.searchsorted(fi.names, shared)
    c_codes = np.searchsorted(ci.names, shared)

    def diff(idx: np.ndarray) -> np.ndarray:
        return (_run_metrics(faithful, fi, f_codes[idx]) * faithful.scale
                - _run_metrics(corrected, ci, c_codes[idx]) * corrected.scale)

    per_run = diff(np.arange(len(shared)))
    delta = float(np.nanmean(per_run))
    if len(shared) < 2:
        return paired_effect_from_runs(per_run, np.zeros_like(per_run))
    low, high, dist = _bootstrap(lambda idx: float(np.nanmean(diff(idx))), len(shared))
    half = float(np.hypot((high - low) / 2, _t_half(per_run)))
    dist = dist[np.isfinite(dist)]
    p = float(min(1.0, 2 * min(np.mean(dist <= 0), np.mean(dist >= 0)))) if dist.size else np.nan
    return Effect(delta, delta - half, delta + half, p,
                  f"paired bootstrap over {len(shared)} groups x {len(per_run)} runs")


def paired_effect_from_runs(faithful: Sequence[float], corrected: Sequence[float]) -> Effect:
    """Without per-item predictions: mean difference over paired runs, t-interval and paired t-test."""
    f, c = np.asarray(faithful, dtype=float), np.asarray(corrected, dtype=float)
    d = f - c
    delta = float(np.mean(d))
    if d.size < 2 or np.std(d) == 0:
        return Effect(delta, np.nan, np.nan, np.nan, f"{d.size} paired runs (too few for a test)")
    half = _t_half(d)
    return Effect(delta, delta - half, delta + half, float(stats.ttest_rel(f, c).pvalue),
                  f"paired t-test over {d.size} runs")
