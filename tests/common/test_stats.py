"""Intervals and flaw effects against cases with known answers (common.stats)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, balanced_accuracy_score

from common.results.evidence import Evidence
from common.stats import METRICS, interval, interval_from_runs, paired_effect, paired_effect_from_runs

RNG = np.random.default_rng(0)


def _groups(n_groups: int, per_group: int) -> np.ndarray:
    return np.repeat([f"spk{i:02d}" for i in range(n_groups)], per_group)


def test_numpy_metrics_agree_with_sklearn() -> None:
    t, p = RNG.integers(0, 4, 300), RNG.integers(0, 4, 300)
    assert METRICS["accuracy"](t, p) == pytest.approx(accuracy_score(t, p))
    assert METRICS["ua"](t, p) == pytest.approx(balanced_accuracy_score(t, p))


def test_perfectly_separable_set_has_a_zero_width_interval_at_100() -> None:
    y = RNG.integers(0, 4, 200)
    ci = interval(Evidence("ua", [y], [y.copy()], [_groups(10, 20)]))
    assert (ci.mean, ci.low, ci.high) == (100.0, 100.0, 100.0)


def test_constant_predictor_ua_is_exactly_chance_in_every_resample() -> None:
    y = np.tile(np.arange(4), 50)
    ci = interval(Evidence("ua", [y], [np.zeros_like(y)], [_groups(10, 20)]))
    assert ci.mean == ci.low == ci.high == 25.0


def test_bootstrap_of_a_known_distribution_matches_the_normal_interval() -> None:
    """Accuracy over 40 equal groups of independent Bernoulli(0.7) items: the interval is about
    p +- 1.96 sqrt(p(1-p)/n) (n = 4,000 items, groups of independent items add no clustering)."""
    n_groups, per = 40, 100
    y = np.ones(n_groups * per, dtype=int)
    pred = (RNG.random(y.size) < 0.7).astype(int)
    ci = interval(Evidence("accuracy", [y], [pred], [_groups(n_groups, per)], scale=1.0))
    expected = 1.96 * np.sqrt(0.7 * 0.3 / y.size)
    assert ci.half_width == pytest.approx(expected, rel=0.15)
    assert ci.low < ci.mean < ci.high


def test_clustered_groups_widen_the_interval() -> None:
    """Whole speakers right or wrong: resampling speakers (not items) must give a much wider interval."""
    n_groups, per = 20, 50
    y = np.ones(n_groups * per, dtype=int)
    good = RNG.random(n_groups) < 0.7
    pred = np.repeat(good, per).astype(int)
    clustered = interval(Evidence("accuracy", [y], [pred], [_groups(n_groups, per)], scale=1.0))
    naive = 1.96 * np.sqrt(pred.mean() * (1 - pred.mean()) / y.size)
    assert clustered.half_width > 3 * naive


def test_run_spread_adds_to_the_bootstrap_width() -> None:
    y = RNG.integers(0, 3, 300)
    groups = _groups(10, 30)
    runs = [np.where(RNG.random(y.size) < q, y, (y + 1) % 3) for q in (0.5, 0.8, 0.95)]
    one = interval(Evidence("accuracy", [y], [runs[1]], [groups]))
    three = interval(Evidence("accuracy", [y] * 3, runs, [groups] * 3))
    assert three.half_width > one.half_width and "3 runs" in three.method


def test_interval_from_runs_is_a_t_interval_and_absent_for_one_run() -> None:
    ci = interval_from_runs([50.0, 52.0, 54.0])
    assert ci.mean == 52.0 and ci.half_width == pytest.approx(4.303 * 2 / np.sqrt(3), rel=1e-3)
    assert np.isnan(interval_from_runs([50.0]).low)


def test_paired_effect_detects_a_planted_effect_and_not_a_null_one() -> None:
    n_groups, per = 20, 40
    y = RNG.integers(0, 4, n_groups * per)
    groups = _groups(n_groups, per)
    base = np.where(RNG.random(y.size) < 0.6, y, (y + 1) % 4)
    boosted = np.where(RNG.random(y.size) < 0.5, y, base)  # about 20 points more accurate
    planted = paired_effect(Evidence("accuracy", [y], [boosted], [groups]), Evidence("accuracy", [y], [base], [groups]))
    assert planted.delta > 10 and planted.low > 0 and planted.p < 0.01
    other = np.where(RNG.random(y.size) < 0.6, y, (y + 1) % 4)  # same accuracy, different errors
    null = paired_effect(Evidence("accuracy", [y], [other], [groups]), Evidence("accuracy", [y], [base], [groups]))
    assert null.low < 0 < null.high and null.p > 0.05


def test_paired_effect_from_runs_uses_a_paired_t_test() -> None:
    planted = paired_effect_from_runs([60, 62, 61, 63, 62], [55, 56, 55, 57, 56])
    assert planted.delta == pytest.approx(5.8) and planted.p < 0.001
    null = paired_effect_from_runs([60, 58, 61, 59, 62], [59, 61, 58, 62, 60])
    assert null.p > 0.3


@pytest.mark.parametrize("metric", ["accuracy", "ua", "f1_macro", "ccc"])
def test_resample_metrics_from_group_sums_equal_the_metric_on_the_items(metric: str) -> None:
    """The bootstrap computes each resample from per-group sums; it must equal the metric of the resampled items
    (groups repeated), classes absent from some groups included."""
    from common.stats import _GroupStats

    groups = _groups(6, 25)
    if metric == "ccc":
        t = RNG.normal(size=150).cumsum() * 0.1 + 3.0
        p = t + RNG.normal(scale=0.5, size=150)
    else:
        t = np.where(np.arange(150) < 25, 5, RNG.integers(0, 3, 150))  # class 5 only in the first group
        p = np.where(RNG.random(150) < 0.5, t, RNG.integers(0, 4, 150))
    ev = Evidence(metric, [t], [p], [groups])
    stats = _GroupStats(ev)
    for chosen in ([0, 0, 3, 5, 5, 5], [1, 2, 3, 4, 5, 1], [2, 2, 2, 2, 2, 2]):
        items = np.concatenate([np.flatnonzero(groups == stats.names[k]) for k in chosen])
        expected = METRICS[metric](t[items], p[items])
        assert stats.run_metrics(np.array(chosen))[0] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_evidence_without_items_has_no_interval() -> None:
    empty = np.zeros(0, dtype=int)
    ci = interval(Evidence("accuracy", [empty], [empty], [empty.astype(str)]))
    assert np.isnan(ci.low) and np.isnan(ci.high) and "no items" in ci.method


def test_paired_effect_without_shared_groups_is_empty() -> None:
    y = np.array([0, 1])
    a = Evidence("accuracy", [y], [y], [np.array(["a", "a"])])
    b = Evidence("accuracy", [y], [y], [np.array(["b", "b"])])
    assert np.isnan(paired_effect(a, b).delta)


def test_a_mean_of_cells_gets_its_interval_from_its_parts() -> None:
    """Latif Table 2's Mean of three F-measures: the parts resampled on the same groups and runs."""
    from common.results.evidence import MeanEvidence

    groups = _groups(10, 30)
    y = RNG.integers(0, 3, groups.size)
    parts = tuple(Evidence("f1_macro", [y], [np.where(RNG.random(y.size) < p, y, (y + 1) % 3)], [groups])
                  for p in (0.5, 0.7, 0.9))
    mean = interval(MeanEvidence(parts))
    each = [interval(p) for p in parts]
    assert mean.mean == pytest.approx(np.mean([c.mean for c in each]))
    assert mean.low < mean.mean < mean.high and "bootstrap-t over 10 groups" in mean.method
    assert mean.half_width <= max(c.half_width for c in each)


def test_the_flaw_effects_p_value_agrees_with_its_interval() -> None:
    groups = _groups(5, 40)
    y = RNG.integers(0, 2, groups.size)
    for shift in (0.02, 0.1, 0.3):
        a = np.where(RNG.random(y.size) < 0.6 + shift, y, 1 - y)
        b = np.where(RNG.random(y.size) < 0.6, y, 1 - y)
        eff = paired_effect(Evidence("accuracy", [y], [a], [groups]), Evidence("accuracy", [y], [b], [groups]))
        assert (eff.p < 0.05) == (eff.low > 0 or eff.high < 0)


def test_a_gain_between_cells_gets_an_interval_beyond_the_metrics_own_range() -> None:
    """Huang §7.5: +1 x module UA - 1 x the module before, on the same subjects; a gain may be negative."""
    from common.results.evidence import MeanEvidence

    groups = _groups(8, 30)
    y = RNG.integers(0, 6, groups.size)
    before = np.where(RNG.random(y.size) < 0.8, y, (y + 1) % 6)
    after = np.where(RNG.random(y.size) < 0.4, y, (y + 1) % 6)
    gain = interval(MeanEvidence((Evidence("ua", [y], [after], [groups]), Evidence("ua", [y], [before], [groups])),
                                 (1.0, -1.0)))
    assert gain.mean < 0 and gain.low < gain.mean < gain.high and gain.low >= -100
