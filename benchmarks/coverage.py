"""How often the suite's 95 % interval holds the true value, at the corpora's real group counts.

``common.stats.interval`` resamples speaker groups and runs together. With few groups a percentile bootstrap is
too narrow; this simulation measures the coverage of the percentile interval and of the bootstrap-t interval the
suite uses (``t_{.975, G-1} * SE_boot * sqrt(G / (G-1))``) where the papers are judged:

- IEMOCAP, 5 sessions (Latif, Wieser, Zhao), about 1,100 utterances per session, 4 classes, UA;
- Berlin EmoDB, 10 speakers (Zhao), about 53 utterances per speaker, 7 classes, accuracy;
- RECOLA, 9 dev recordings (Khorram), frame-level CCC (750 frames per recording: 0.4 s hops of 5 min);
- eNTERFACE'05, 8 test subjects (Huang's 70:10:20 split of 42), 30 utterances per subject, 6 classes, UA.

Each simulated data set draws its groups from a population: a group's (and a run's) accuracy is
``logistic(logit(p0) + N(0, sd_group) + N(0, sd_run))``, a wrong prediction picks another class at random; a
recording's prediction is ``gain * gold + bias + noise`` with gain and bias varying by recording. The true value
is the same quantity over the whole population (200,000 groups and runs; the pooled moments for CCC). Coverage
is the share of ``sims`` data sets whose interval holds it; its Monte-Carlo standard error is
``sqrt(c (1 - c) / sims)``. ``python -m benchmarks --sections coverage`` writes section 9 of the benchmark page
(about a minute on one core at 1,000 data sets per setting).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit, logit

from benchmarks.rows import Row
from benchmarks.stats import Summary
from common.results.evidence import Evidence
from common.stats import CONFIDENCE, bootstrap_distribution, n_groups, t_half_width

#: coverage the suite's interval must reach at every real group count (else small-group cells are inconclusive)
TARGET = 0.90
SIMS = 1000
SEED = 36


@dataclass(frozen=True)
class Setting:
    """One corpus as judged: its groups, items per group, classes, runs and how much groups and runs differ."""

    name: str
    metric: str
    groups: int
    items: int
    classes: int = 4
    runs: int = 1
    p0: float = 0.6
    sd_group: float = 0.3
    sd_run: float = 0.1


SETTINGS = (
    Setting("IEMOCAP, 5 sessions", "ua", 5, 1100, classes=4, p0=0.6, sd_group=0.25),
    Setting("IEMOCAP, 5 sessions x 3 runs", "ua", 5, 1100, classes=4, runs=3, p0=0.6, sd_group=0.25),
    Setting("EmoDB, 10 speakers", "accuracy", 10, 53, classes=7, p0=0.85, sd_group=0.5),
    Setting("EmoDB, 10 speakers x 3 runs", "accuracy", 10, 53, classes=7, runs=3, p0=0.85, sd_group=0.5),
    Setting("RECOLA dev, 9 recordings", "ccc", 9, 750),
    Setting("eNTERFACE test, 8 subjects", "ua", 8, 30, classes=6, p0=0.7, sd_group=0.5),
)


def _classification(s: Setting, rng: np.random.Generator, groups: int) -> Evidence:
    effect = rng.normal(0, s.sd_group, groups)
    y_true, y_pred, names = [], [], np.repeat([f"g{i}" for i in range(groups)], s.items)
    for _ in range(s.runs):
        p = np.repeat(expit(logit(s.p0) + effect + rng.normal(0, s.sd_run, groups)), s.items)
        t = rng.integers(0, s.classes, p.size)
        wrong = (t + rng.integers(1, s.classes, p.size)) % s.classes
        y_true.append(t)
        y_pred.append(np.where(rng.random(p.size) < p, t, wrong))
    return Evidence(s.metric, y_true, y_pred, [names] * s.runs)


def _recordings(s: Setting, rng: np.random.Generator, groups: int) -> Evidence:
    t, p = [], []
    for _ in range(groups):
        gold = np.convolve(rng.normal(0, 1, s.items + 20), np.ones(20) / 20, mode="valid")[: s.items] * 2
        gain, bias = rng.normal(0.6, 0.2), rng.normal(0, 0.15)
        t.append(gold)
        p.append(gain * gold + bias + rng.normal(0, 0.25, s.items))
    names = np.repeat([f"r{i}" for i in range(groups)], s.items)
    return Evidence("ccc", [np.concatenate(t)], [np.concatenate(p)], [names], scale=1.0)


def truth(s: Setting, rng: np.random.Generator) -> float:
    """The population value of the setting's metric (in its scale: percent, or CCC)."""
    if s.metric == "ccc":
        big = _recordings(Setting(s.name, "ccc", 2000, 150), rng, 2000)
        per_run, _ = bootstrap_distribution(Evidence("ccc", big.y_true, big.y_pred, [np.zeros(len(big.y_true[0]))],
                                                     scale=1.0))
        return float(per_run[0])
    draws = expit(logit(s.p0) + rng.normal(0, s.sd_group, 200_000) + rng.normal(0, s.sd_run, 200_000))
    return 100 * float(draws.mean())


def simulate(s: Setting, sims: int = SIMS, seed: int = SEED) -> dict[str, float]:
    """Coverage of the percentile and the bootstrap-t interval over ``sims`` simulated data sets of ``s``."""
    rng = np.random.default_rng([seed, s.groups, s.runs])
    true = truth(s, rng)
    make: Callable[[], Evidence] = (lambda: _recordings(s, rng, s.groups)) if s.metric == "ccc" else \
        (lambda: _classification(s, rng, s.groups))
    hits = {"percentile": 0, "bootstrap-t": 0}
    for _ in range(sims):
        ev = make()
        per_run, dist = bootstrap_distribution(ev)
        mean = float(np.nanmean(per_run))
        tail = 100 * (1 - CONFIDENCE) / 2
        low, high = np.nanpercentile(dist, [tail, 100 - tail])
        hits["percentile"] += low <= true <= high
        half = t_half_width(dist, n_groups(ev))
        hits["bootstrap-t"] += mean - half <= true <= mean + half
    return {k: v / sims for k, v in hits.items()}


def coverage_rows(sims: int = SIMS, settings: tuple[Setting, ...] = SETTINGS) -> list[Row]:
    """Section 9 of the benchmark page: one row per setting and interval method."""
    rows = []
    for s in settings:
        for method, c in simulate(s, sims).items():
            se = np.sqrt(c * (1 - c) / sims)
            note = f"{s.metric}, {s.runs} run(s), {sims} simulated data sets, Monte-Carlo SE {100 * se:.1f}"
            if method == "bootstrap-t":
                note += "; the suite's interval"
            rows.append(Row("coverage", f"{s.name}: {method}", "coverage", "%", Summary.of([100 * c]),
                            target=f">= {100 * TARGET:g}", note=note))
    return rows
