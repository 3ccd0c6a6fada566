"""The twin-difficulty calibration (benchmarks/calibration.py): the choice rule, and one probe end to end."""

from __future__ import annotations

import pytest

from benchmarks import calibration


def _result(good: float, bn: float, lr: float) -> dict[str, dict[str, float]]:
    return {"well configured": {"test_accuracy": good}, "Keras batch-norm defaults": {"test_accuracy": bn},
            "learning rate far too high": {"test_accuracy": lr}}


def test_the_lowest_difficulty_with_a_hard_but_learnable_twin_and_failing_bad_configurations_is_chosen() -> None:
    results = {0.25: _result(0.97, 0.5, 0.14),  # too easy
               0.5: _result(0.70, 0.62, 0.14),  # the batch-norm failure does not show
               0.75: _result(0.66, 0.30, 0.14),
               1.0: _result(0.50, 0.20, 0.14)}
    assert calibration.chosen(results) == 0.75
    assert calibration.chosen({1.0: _result(0.2, 0.1, 0.1)}) is None  # near chance: nothing qualifies


def test_a_probe_trains_every_configuration_and_says_whether_the_warning_fired(monkeypatch: pytest.MonkeyPatch,
                                                                              tmp_path) -> None:
    monkeypatch.setattr(calibration, "EPOCHS", 2)
    monkeypatch.setenv("SEREPROD_CACHE", str(tmp_path))
    out = calibration.probe(0.5, size="smoke")
    assert set(out) == set(calibration.CONFIGS)
    for r in out.values():
        assert 0 <= r["test_accuracy"] <= 1 and 1 <= r["best_epoch"] <= r["epochs_run"] <= 2
        assert r["warned"] in (0.0, 1.0)
