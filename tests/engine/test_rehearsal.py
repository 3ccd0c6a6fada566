"""--rehearse: bounded, timed steps per unit and a projection computed from the unit list."""

from __future__ import annotations

import json
import time
from pathlib import Path

import keras
import numpy as np

from common.engine.rehearsal import EPOCHS, STEPS, Rehearsal
from common.results import RunContext


def test_a_search_trial_stands_for_all_planned_trials() -> None:
    rehearsal = Rehearsal()
    rehearsal.repeats = 25
    rehearsal.budget(("search", "trial"), epochs=10, steps_per_epoch=4)
    rehearsal.repeats = 1
    rehearsal.budget(("table1",), epochs=10, steps_per_epoch=4)
    timings = rehearsal.units
    timings["search/trial"].step_seconds[:] = timings["table1"].step_seconds[:] = [0.5, 0.5]
    assert timings["search/trial"].projected_hours == 25 * timings["table1"].projected_hours > 0


def test_budget_cuts_training_and_the_projection_sums_the_units(tmp_path: Path) -> None:
    rehearsal = Rehearsal()
    x, y = np.random.default_rng(0).normal(size=(64, 3)).astype("float32"), np.zeros(64)
    for unit, epochs in ((("table1", "fold0", 0), 50), (("table1", "fold1", 0), 20)):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        kw, cbs = rehearsal.budget(unit, epochs=epochs, steps_per_epoch=8)
        history = model.fit(x, y, batch_size=8, verbose=0, callbacks=cbs, **kw)
        assert len(history.history["loss"]) == EPOCHS
        time.sleep(0.3)  # stands for the unit's evaluation: counted as its time outside training
    timings = list(rehearsal.units.values())
    assert [len(t.step_seconds) for t in timings] == [EPOCHS * STEPS] * 2
    assert all(len(t.epoch_overheads) == EPOCHS for t in timings)
    ctx = RunContext(paper="toy", data="synthetic", corpus="emodb", profile="paper-rehearsal", backend="tensorflow",
                     hardware="cpu", seeds=(0,), commit="abc1234")
    rehearsal.report("emodb", ctx, tmp_path, lambda suffix: f"rehearsal{suffix}")
    assert all(0.3 <= t.outside_seconds < 5 for t in timings)  # the last one closed by the final report
    expected = sum(t.planned_epochs * (8 * t.seconds_per_step + t.epoch_overhead) + t.outside_seconds
                   for t in timings) / 3600
    info = json.loads((tmp_path / "rehearsal.json").read_text())
    assert info["units"] == 2 and np.isclose(info["projected_hours"], expected, rtol=1e-2, atol=1e-6)
    assert info["peak_rss_gib"] > 0.05 and info["profile"] == "paper" and info["commit"] == "abc1234"
    assert all(0.05 < t.peak_rss_gib <= info["peak_rss_gib"] + 1e-3 for t in timings)  # json rounds to MiB
    assert "table1/fold0/0 | 1 | 50 | 8" in (tmp_path / "rehearsal.md").read_text()
    assert len((tmp_path / "rehearsal.csv").read_text().splitlines()) == 3


def test_a_rehearsal_stopped_part_way_leaves_the_finished_units_marked_incomplete(tmp_path: Path) -> None:
    ctx = RunContext(paper="toy", data="synthetic", corpus="emodb", profile="paper-rehearsal", backend="tensorflow",
                     hardware="cpu", seeds=(0,), commit="abc1234")
    rehearsal = Rehearsal(checkpoint=lambda r: r.report("emodb", ctx, tmp_path, lambda s: f"rehearsal{s}",
                                                        complete=False))
    x, y = np.zeros((16, 3), "float32"), np.zeros(16)
    for fold in range(3):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        kw, cbs = rehearsal.budget(("table1", f"fold{fold}"), epochs=5, steps_per_epoch=4)
        model.fit(x, y, batch_size=4, verbose=0, callbacks=cbs, **kw)
    info = json.loads((tmp_path / "rehearsal.json").read_text())  # written before fold2 started
    assert info["complete"] is False and info["units"] == 2
    assert "Incomplete" in (tmp_path / "rehearsal.md").read_text()
