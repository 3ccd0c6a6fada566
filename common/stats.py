"""Uncertainty of reproduced numbers: 95 % intervals that resample speakers and runs together, and flaw effects.

Method (documented in common/API.md and the README's "How a verdict is reached"):
- The unit of independence in SER is the speaker (the session for IEMOCAP, whose two speakers talk to each
  other), not the utterance: a number's items (utterances, or frames for CCC) are resampled by whole groups.
- For one number with ``n`` runs, each of 2,000 resamples (fixed seed) draws the groups and the runs together,
  with replacement, and averages the chosen runs' metric on the chosen groups. The metric of a resample comes
  from per-group sums of its sufficient statistics (counts and hits, the confusion matrix, or CCC's moments), so
  all resamples are computed at once.
- Few groups (5 IEMOCAP sessions) make a percentile interval too narrow; the interval is therefore
  ``mean +- t_{.975, G-1} * SE_boot * sqrt(G / (G-1))`` (bootstrap-t on the group count), centred on the mean
  over runs and clipped to the metric's range. ``benchmarks/coverage.py`` measures its coverage.
- Without per-item predictions an interval is ``t_{.975, n-1} * s / sqrt(n)`` over runs (n >= 2), else none.
- A flaw's effect (faithful minus corrected) is resampled the same way, both variants on the same groups and
  runs; its p-value comes from the same standard error, so it agrees with the interval (or, without
  predictions, a paired t-test over runs, ``scipy.stats.ttest_rel``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import stats
from sklearn.metrics import f1_score

if TYPE_CHECKING:
    from common.results.evidence import Evidence, MeanEvidence


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


def _ccc(t: np.ndarray, p: np.ndarray) -> float:
    """common.metrics.ccc, imported when first used: common.metrics loads Keras, which the intervals never need."""
    from common.metrics import ccc

    return float(ccc(t, p))


METRICS: dict[str, Metric] = {
    "accuracy": _accuracy,
    "ua": _ua,
    "f1_macro": lambda t, p: float(f1_score(t, p, average="macro", zero_division=0)),
    "ccc": lambda t, p: _ccc(t, p),
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


def _contributions(metric: str, t: np.ndarray, p: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Per-item sufficient statistics of ``metric`` -> (n, k); their sum over any set of items determines the
    metric of that set (:func:`_from_sums`), so a resample of groups is a weighted sum of per-group sums."""
    if metric == "ccc":
        t, p = np.asarray(t, np.float64).ravel(), np.asarray(p, np.float64).ravel()
        shift = t.mean() if t.size else 0.0  # CCC is unchanged by one shift of both: keeps the moments small
        t, p = t - shift, p - shift
        return np.stack([np.ones_like(t), t, p, t * t, p * p, t * p], axis=1)
    ti, pi = np.searchsorted(classes, t), np.searchsorted(classes, p)
    c = len(classes)
    hit = (ti == pi).astype(np.float64)
    if metric == "accuracy":
        return np.stack([np.ones_like(hit), hit], axis=1)
    if metric == "ua":
        onehot = np.eye(c)[ti]
        return np.concatenate([onehot, onehot * hit[:, None]], axis=1)
    if metric == "f1_macro":
        return np.eye(c * c)[ti * c + pi]  # the confusion matrix, flattened (rows: true class)
    raise ValueError(f"no sufficient statistics for metric {metric!r}")


def _from_sums(metric: str, z: np.ndarray) -> np.ndarray:
    """The metric of item sets from their summed statistics ``z`` (..., k); NaN for an empty set (or a CCC of
    two equal constants). Equal to ``METRICS[metric]`` on the items themselves."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if metric == "ccc":
            n, st, sp, stt, spp, stp = np.moveaxis(z, -1, 0)
            mt, mp = st / n, sp / n
            cov, vt, vp = stp / n - mt * mp, stt / n - mt * mt, spp / n - mp * mp
            denom = vt + vp + (mt - mp) ** 2
            return np.where((n > 0) & (denom > 0), 2 * cov / denom, np.nan)
        if metric == "accuracy":
            return np.where(z[..., 0] > 0, z[..., 1] / z[..., 0], np.nan)
        if metric == "ua":
            c = z.shape[-1] // 2
            counts, hits = z[..., :c], z[..., c:]
            recall = np.where(counts > 0, hits / counts, 0.0)
            present = (counts > 0).sum(-1)
            return np.where(present > 0, recall.sum(-1) / present, np.nan)
        c = int(round(np.sqrt(z.shape[-1])))  # f1_macro over the classes present in y_true or y_pred
        m = z.reshape(*z.shape[:-1], c, c)
        tp = np.diagonal(m, axis1=-2, axis2=-1)
        support = m.sum(-1) + m.sum(-2)
        f1 = np.where(support > 0, 2 * tp / support, 0.0)
        present = (support > 0).sum(-1)
        return np.where(present > 0, f1.sum(-1) / present, np.nan)


class _GroupStats:
    """Per run, the summed sufficient statistics of each group's items: a resample of groups (with
    repetitions) becomes counts per group times these sums, for all resamples at once."""

    def __init__(self, ev: Evidence) -> None:
        self.metric = ev.metric
        self.names = np.unique(np.concatenate([np.asarray(g).astype(str) for g in ev.groups]))
        classes = np.zeros(0) if ev.metric == "ccc" else np.unique(np.concatenate(
            [np.concatenate([np.ravel(t), np.ravel(p)]) for t, p in zip(ev.y_true, ev.y_pred, strict=True)]))
        self.sums = []
        for t, p, g in zip(ev.y_true, ev.y_pred, ev.groups, strict=True):
            codes = np.searchsorted(self.names, np.asarray(g).astype(str))
            per_item = _contributions(ev.metric, np.asarray(t), np.asarray(p), classes)
            per_group = np.zeros((len(self.names), per_item.shape[1]))
            np.add.at(per_group, codes, per_item)
            self.sums.append(per_group)

    def run_metrics(self, chosen: np.ndarray) -> np.ndarray:
        """Metric of every run on the groups ``chosen`` (..., m) -> (..., runs)."""
        chosen = np.asarray(chosen, dtype=np.int64)
        flat = chosen.reshape(-1, chosen.shape[-1])
        rows = np.arange(len(flat))[:, None]
        counts = np.bincount((rows * len(self.names) + flat).ravel(),
                             minlength=len(flat) * len(self.names)).reshape(len(flat), len(self.names))
        out = np.stack([_from_sums(self.metric, counts @ s) for s in self.sums], axis=-1)
        return out.reshape(*chosen.shape[:-1], len(self.sums))


def _mean_over_runs(values: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a resample with no items of some run: NaN for it
        return np.nanmean(values, axis=-1)


def resample_indices(n_groups: int, n_runs: int, n_resamples: int = N_RESAMPLES,
                     seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Groups (B, G) and runs (B, R) drawn together with replacement: one resample picks both."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n_groups, (n_resamples, n_groups)), rng.integers(0, n_runs, (n_resamples, n_runs))


def _joint(per_run: Callable[[np.ndarray], np.ndarray], n_groups: int, n_runs: int) -> np.ndarray:
    """Bootstrap distribution of the mean over runs: ``per_run`` maps group indices (B, G) to run values (B, R);
    each resample averages its own draw of runs."""
    groups, runs = resample_indices(n_groups, n_runs)
    values = per_run(groups)
    return _mean_over_runs(np.take_along_axis(values, runs, axis=-1))


def t_half_width(dist: np.ndarray, n_groups: int) -> float:
    """``t_{.975, G-1} * SE * sqrt(G / (G-1))``: the bootstrap's standard error, corrected for its downward bias
    with few groups (the plug-in variance divides by G) and scaled by Student's t on G-1 degrees of freedom, which
    the percentile interval lacks (benchmarks/coverage.py measures both at the corpora's group counts)."""
    dist = dist[np.isfinite(dist)]
    if dist.size < 2 or n_groups < 2:
        return float("nan")
    se = float(np.std(dist, ddof=1)) * np.sqrt(n_groups / (n_groups - 1))
    return float(stats.t.ppf(0.5 + CONFIDENCE / 2, n_groups - 1) * se)


def clip(low: float, high: float, limits: tuple[float, float]) -> tuple[float, float]:
    """An interval kept inside the metric's range (a CCC in [-1, 1], a percentage in [0, 100])."""
    return float(np.clip(low, *limits)), float(np.clip(high, *limits))


def metric_range(metric: str, scale: float) -> tuple[float, float]:
    """The values ``metric`` x ``scale`` can take."""
    return (-scale, scale) if metric == "ccc" else (0.0, scale)


def evidence_range(ev: Evidence | MeanEvidence) -> tuple[float, float]:
    """The values ``ev``'s number can take (a weighted sum of metrics: the sum of its weighted ranges)."""
    low, high = metric_range(ev.metric, ev.scale)
    if not hasattr(ev, "parts"):
        return low, high
    weights = np.asarray(ev.coefficients)
    return float(np.sum(np.minimum(weights * low, weights * high))), float(
        np.sum(np.maximum(weights * low, weights * high)))


def _statistic(ev: Evidence | MeanEvidence) -> tuple[int, Callable[[np.ndarray], np.ndarray]]:
    """(number of groups, group indices (..., G) -> run values (..., R) in the number's scale) of ``ev``; for a
    :class:`MeanEvidence` the mean of its parts on the same groups."""
    if not hasattr(ev, "parts"):
        index = _GroupStats(ev)
        return len(index.names), lambda idx: index.run_metrics(idx) * ev.scale
    parts = [(_GroupStats(p), p.scale * w) for p, w in zip(ev.parts, ev.coefficients, strict=True)]
    names = parts[0][0].names
    if any(not np.array_equal(g.names, names) for g, _ in parts):
        raise ValueError("MeanEvidence: the parts' groups differ")
    return len(names), lambda idx: np.sum([g.run_metrics(idx) * w for g, w in parts], axis=0)


def bootstrap_distribution(ev: Evidence | MeanEvidence) -> tuple[np.ndarray, np.ndarray]:
    """(metric of each run on all groups, the resampled means over runs) of ``ev``, in its scale; the
    distribution is empty with fewer than two groups."""
    groups, per_run_of = _statistic(ev)
    if not groups:  # no items at all
        return np.full(len(ev.y_true), np.nan), np.zeros(0)
    per_run = per_run_of(np.arange(groups))
    if groups < 2:
        return per_run, np.zeros(0)
    return per_run, _joint(per_run_of, groups, len(per_run))


def n_groups(ev: Evidence | MeanEvidence) -> int:
    """The number of distinct groups over all runs of ``ev``."""
    return len(np.unique(np.concatenate([np.asarray(g).astype(str) for g in ev.groups])))


def interval(ev: Evidence | MeanEvidence) -> Interval:
    """95 % interval of ``ev``'s number (metric x scale): speaker groups and runs resampled together, half-width
    :func:`t_half_width`, centred on the mean over runs and clipped to the metric's range."""
    per_run, dist = bootstrap_distribution(ev)
    groups = n_groups(ev)
    if not groups:
        return Interval(np.nan, np.nan, np.nan, "none (no items)")
    mean = float(np.nanmean(per_run))
    limits = evidence_range(ev)
    if groups < 2:
        half = _t_half(per_run)
        if not half:
            return Interval(mean, np.nan, np.nan, "none (one group, one run)")
        return Interval(mean, *clip(mean - half, mean + half, limits), "t over runs only (one group)")
    half = t_half_width(dist, groups)
    method = f"bootstrap-t over {groups} groups" + (f" x {len(per_run)} runs" if len(per_run) > 1 else "")
    return Interval(mean, *clip(mean - half, mean + half, limits), method)


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
    """The flaw's effect: both variants on the same resampled groups and runs; the interval and the p-value come
    from the same bootstrap standard error (``p = 2 P(T_{G-1} > |delta| / SE)``), so p < .05 exactly when the
    interval excludes zero."""
    if faithful.metric != corrected.metric or len(faithful.y_true) != len(corrected.y_true):
        raise ValueError("paired_effect needs the same metric and number of runs for both variants")
    fi, ci = _GroupStats(faithful), _GroupStats(corrected)
    shared = np.intersect1d(fi.names, ci.names)
    f_codes = np.searchsorted(fi.names, shared)
    c_codes = np.searchsorted(ci.names, shared)

    def diff(idx: np.ndarray) -> np.ndarray:
        return fi.run_metrics(f_codes[idx]) * faithful.scale - ci.run_metrics(c_codes[idx]) * corrected.scale

    if not len(shared):
        return Effect(np.nan, np.nan, np.nan, np.nan, "no groups shared by both variants")
    per_run = diff(np.arange(len(shared)))
    delta = float(np.nanmean(per_run))
    if len(shared) < 2:
        return paired_effect_from_runs(per_run, np.zeros_like(per_run))
    dist = _joint(diff, len(shared), len(per_run))
    half = t_half_width(dist, len(shared))
    if not np.isfinite(half):
        return Effect(delta, np.nan, np.nan, np.nan, "paired bootstrap: no finite resample")
    se = half / stats.t.ppf(0.5 + CONFIDENCE / 2, len(shared) - 1)
    if se > 0:
        p = float(2 * stats.t.sf(abs(delta) / se, len(shared) - 1))
    else:  # every resample gives the same difference
        p = 1.0 if delta == 0 else 0.0
    low, high = metric_range(faithful.metric, faithful.scale)
    return Effect(delta, *clip(delta - half, delta + half, (low - high, high - low)), p,
                  f"paired bootstrap-t over {len(shared)} groups x {len(per_run)} runs")


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
