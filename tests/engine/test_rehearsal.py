"""--rehearse: bounded, timed steps per unit and a projection computed from the unit list."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import keras
import numpy as np
import pandas as pd
import pytest

from common import cache as cache_module
from common.engine import Experiment, Row, Session, run
from common.engine.passes import PREDICT_SAMPLE, PredictTimer, sample_batches, unrun_seconds
from common.engine.rehearsal import EPOCHS, STEPS, Rehearsal, UnitTiming
from common.engine.unit import Fit, Units
from common.results import RunContext
from common.training import Ledger
from tests.engine.sitting_toy import PAPER as SITTING_TOY


def test_a_search_trial_stands_for_all_planned_trials() -> None:
    rehearsal = Rehearsal()
    rehearsal.repeats = 25
    rehearsal.fit(("search", "trial"), epochs=10, steps_per_epoch=4)
    rehearsal.repeats = 1
    rehearsal.fit(("table1",), epochs=10, steps_per_epoch=4)
    timings = rehearsal.units
    timings["search/trial"].step_seconds[:] = timings["table1"].step_seconds[:] = [0.5, 0.5]
    assert timings["search/trial"].projected_hours == 25 * timings["table1"].projected_hours > 0


def test_one_time_tracing_is_counted_once_per_unit() -> None:
    timing = UnitTiming("u", planned_epochs=10, planned_steps=4, step_seconds=[9.0, 1.0, 1.0, 1.0],
                        epoch_overheads=[5.0, 1.0], outside_seconds=2.0)
    assert timing.seconds_per_step == 1.0 and timing.first_epoch_overhead == 5.0 and timing.epoch_overhead == 1.0
    assert timing.projected_hours * 3600 == 10 * 4 * 1.0 + 5.0 + 9 * 1.0 + 2.0


def test_budget_cuts_training_and_the_projection_sums_the_units(tmp_path: Path) -> None:
    rehearsal = Rehearsal()
    x, y = np.random.default_rng(0).normal(size=(64, 3)).astype("float32"), np.zeros(64)
    for unit, epochs in ((("table1", "fold0", 0), 50), (("table1", "fold1", 0), 20)):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        kw, cbs = rehearsal.fit(unit, epochs=epochs, steps_per_epoch=8)
        history = model.fit(x, y, batch_size=8, verbose=0, callbacks=cbs, validation_data=(x, y), **kw)
        assert len(history.history["loss"]) == EPOCHS
        time.sleep(0.3)  # stands for the unit's evaluation: counted as its time outside training
    timings = list(rehearsal.units.values())
    assert [len(t.step_seconds) for t in timings] == [EPOCHS * STEPS] * 2
    assert all(len(t.epoch_overheads) == EPOCHS for t in timings)
    ctx = RunContext(paper="toy", data="synthetic", corpus="emodb", profile="paper-rehearsal", backend="tensorflow",
                     hardware="cpu", seeds=(0,), commit="abc1234")
    rehearsal.report("emodb", ctx, tmp_path, lambda suffix: f"rehearsal{suffix}")
    assert all(0.3 <= t.outside_seconds < 5 for t in timings)  # the last one closed by the final report
    assert all(t.first_epoch_overhead == t.epoch_overheads[0] and t.epoch_overhead == t.epoch_overheads[1]
               for t in timings)  # the first epoch's rest (tracing included) apart from a later one's
    assert all(t.first_epoch_overhead > t.epoch_overhead for t in timings)  # the evaluation traced once
    expected = sum(t.planned_epochs * 8 * t.seconds_per_step + t.epoch_overheads[0]
                   + (t.planned_epochs - 1) * t.epoch_overheads[1] + t.outside_seconds for t in timings) / 3600
    info = json.loads((tmp_path / "rehearsal.json").read_text())
    assert info["units"] == 2 and np.isclose(info["projected_hours"], expected, rtol=1e-2, atol=1e-6)
    assert info["peak_rss_gib"] > 0.05 and info["profile"] == "paper" and info["commit"] == "abc1234"
    assert all(0.05 < t.peak_rss_gib <= info["peak_rss_gib"] + 1e-3 for t in timings)  # json rounds to MiB
    assert info["peak_device_gib"] is None and "accelerator" not in (tmp_path / "rehearsal.md").read_text()  # CPU
    assert "table1/fold0/0 | 1 | 50 | 8" in (tmp_path / "rehearsal.md").read_text()
    assert len((tmp_path / "rehearsal.csv").read_text().splitlines()) == 3


def test_a_sampled_pass_keeps_its_costliest_batch_and_spreads_the_others() -> None:
    costs = np.ones(40)
    costs[17] = 9.0
    picked = sample_batches(costs, k=5)
    assert list(picked) == [0, 10, 17, 29, 39]  # five spread evenly, the costliest (17) in place of 20
    assert list(sample_batches(costs[:4], k=5)) == [0, 1, 2, 3]  # a pass of no more than k batches runs whole


def test_the_batches_left_out_cost_the_measured_rate_the_first_batch_left_out() -> None:
    # the first batch carries the tracing; the others ran at 0.5 s per unit of cost
    assert unrun_seconds([10.0, 1.0, 2.0, 1.0], np.array([2.0, 2.0, 4.0, 2.0]), unrun_cost=100.0) == 50.0
    assert unrun_seconds([3.0], np.array([2.0]), unrun_cost=4.0) == 6.0
    assert unrun_seconds([3.0, 1.0], np.array([2.0, 2.0]), unrun_cost=0.0) == 0.0


def test_left_out_prediction_counts_in_its_epoch_while_training_and_outside_after(tmp_path: Path) -> None:
    rehearsal = Rehearsal()
    x, y = np.random.default_rng(0).normal(size=(32, 3)).astype("float32"), np.zeros(32)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")

    class SampledValidation(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            rehearsal.left_out(100.0)  # a sampled validation pass, before the step timer closes the epoch

    kw, cbs = rehearsal.fit(("table1",), epochs=10, steps_per_epoch=4)
    model.fit(x, y, batch_size=8, verbose=0, callbacks=[SampledValidation(), *cbs], **kw)
    timer = PredictTimer()
    model.predict(x, batch_size=8, verbose=0, callbacks=[timer])
    rehearsal.left_out(30.0)  # a sampled test pass
    timing = rehearsal.units["table1"]
    assert len(timer.seconds) == 4 and all(s > 0 for s in timer.seconds)
    assert all(100.0 <= rest < 105.0 for rest in timing.epoch_overheads) and timing.epoch_unrun == 0.0
    assert timing.outside_seconds == 30.0 and timing.unrun_seconds == EPOCHS * 100.0 + 30.0
    assert timing.projected_hours * 3600 > 10 * 100.0 + 30.0  # every planned epoch pays its left-out validation
    ctx = RunContext(paper="toy", data="synthetic", corpus="emodb", profile="paper-rehearsal", backend="tensorflow",
                     hardware="cpu", seeds=(0,), commit="abc1234")
    rehearsal.report("emodb", ctx, tmp_path, lambda suffix: f"rehearsal{suffix}")
    page = (tmp_path / "rehearsal.md").read_text()
    assert "ran at most 5 of their batches" in page and "| 230.0 |" in page
    assert json.loads((tmp_path / "rehearsal.json").read_text())["unrun_s"] == 230.0


def test_a_rehearsal_stopped_part_way_leaves_the_finished_units_marked_incomplete(tmp_path: Path) -> None:
    ctx = RunContext(paper="toy", data="synthetic", corpus="emodb", profile="paper-rehearsal", backend="tensorflow",
                     hardware="cpu", seeds=(0,), commit="abc1234")
    rehearsal = Rehearsal(checkpoint=lambda r: r.report("emodb", ctx, tmp_path, lambda s: f"rehearsal{s}",
                                                        complete=False))
    x, y = np.zeros((16, 3), "float32"), np.zeros(16)
    for fold in range(3):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        kw, cbs = rehearsal.fit(("table1", f"fold{fold}"), epochs=5, steps_per_epoch=4)
        model.fit(x, y, batch_size=4, verbose=0, callbacks=cbs, **kw)
    info = json.loads((tmp_path / "rehearsal.json").read_text())  # written before fold2 started
    assert info["complete"] is False and info["units"] == 2
    assert "Incomplete" in (tmp_path / "rehearsal.md").read_text()


def _train(rehearsal: Rehearsal, unit: tuple) -> None:
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    kw, cbs = rehearsal.fit(unit, epochs=5, steps_per_epoch=4)
    model.fit(np.zeros((32, 3), "float32"), np.zeros(32), batch_size=4, verbose=0, callbacks=cbs, **kw)


def test_a_stopped_rehearsal_resumes_with_the_timings_of_its_finished_units(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = Rehearsal(state_path=state, commits=["abc1234"], prepare_seconds=7.0)
    for fold in range(2):
        _train(first, ("table1", f"fold{fold}"))
    saved = json.loads(state.read_text())  # saved when fold1's training ended; the process stops here
    assert saved["complete"] is False and [u["unit"] for u in saved["units"]] == ["table1/fold0", "table1/fold1"]
    assert saved["units"][0]["outside_seconds"] > 0 and len(saved["units"][1]["step_seconds"]) == EPOCHS * STEPS

    second = Rehearsal.resume(state, "def5678")
    assert second is not None and second.sittings == 2 and second.commits == ["abc1234", "def5678"]
    assert second.units["table1/fold0"].step_seconds == saved["units"][0]["step_seconds"]
    assert second.earlier_seconds == saved["wall_s"] and second.prepare_seconds == 7.0
    _train(second, ("table1", "fold1"))  # the unit the first sitting did not finish is redone, not appended to
    _train(second, ("table1", "fold2"))
    assert len(second.units["table1/fold1"].step_seconds) == EPOCHS * STEPS and len(second.units) == 3
    ctx = RunContext(paper="toy", data="synthetic", corpus="emodb", profile="paper-rehearsal", backend="tensorflow",
                     hardware="cpu", seeds=(0,), commit="def5678")
    second.report("emodb", ctx, tmp_path, lambda suffix: f"rehearsal{suffix}")
    info = json.loads((tmp_path / "rehearsal.json").read_text())
    assert info["units"] == 3 and info["sittings"] == 2 and info["wall_s"] >= saved["wall_s"]
    assert info["peak_rss_gib"] >= round(saved["peak_rss_gib"], 3) - 1e-3
    assert "sittings: 2" in (tmp_path / "rehearsal.md").read_text()
    assert Rehearsal.resume(state, "def5678") is None  # a finished rehearsal starts over when run again


def test_the_feature_cache_of_every_sitting_is_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "_USED", {"/cache/a.json": 2_000_000_000})
    state = tmp_path / "state.json"
    first = Rehearsal(state_path=state, commits=["abc1234"])
    _train(first, ("table1", "fold0"))
    monkeypatch.setattr(cache_module, "_USED", {"/cache/b.json": 500_000_000})  # the next sitting's process
    second = Rehearsal.resume(state, "abc1234")
    _train(second, ("table1", "fold1"))
    ctx = RunContext(paper="toy", data="synthetic", corpus="emodb", profile="paper-rehearsal", backend="tensorflow",
                     hardware="cpu", seeds=(0,), commit="abc1234")
    second.report("emodb", ctx, tmp_path, lambda suffix: f"rehearsal{suffix}")
    info = json.loads((tmp_path / "rehearsal.json").read_text())
    assert info["feature_cache_gb"] == 2.5 and info["feature_cache_entries"] == 2
    assert "feature cache on disk: 2.50 GB (2 entries" in (tmp_path / "rehearsal.md").read_text()


def test_nothing_to_resume_without_a_state(tmp_path: Path) -> None:
    assert Rehearsal.resume(tmp_path / "missing.json", "abc1234") is None


FOLDS = 3
trained: list[str] = []
stop_before: list[int] = []  # a fold whose training "stops the machine" (the first sitting only)


def _prepare(session: Session) -> dict:
    return {"x": np.zeros((32, 3), "float32"), "y": np.zeros(32)}


def _fit(data: dict, fit: Fit, name: str, learning_rate: float) -> float:
    trained.append(name)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(learning_rate), "mse")
    kw, cbs = fit.schedule(40, 8)
    model.fit(data["x"], data["y"], batch_size=4, verbose=0, callbacks=cbs, **kw)
    return float(model.evaluate(data["x"], data["y"], verbose=0))


def _score(session: Session, data: dict, target: str, config: dict, split: Any) -> dict[str, float]:
    lr = config["lr"]
    return session.unit(("search", lr), lambda fit: {"loss": _fit(data, fit, f"search/{lr}", lr)}, store=False)


def _folds(session: Session, data: dict):
    def compute(fit: Fit, fold: int) -> dict:
        if fold in stop_before:
            raise KeyboardInterrupt
        return {"loss": _fit(data, fit, f"table1/fold{fold}", session.config("toy", {"lr": 0.1})["lr"])}

    losses = [session.unit(("table1", f"fold{fold}"), lambda fit, fold=fold: compute(fit, fold))["loss"]
              for fold in range(FOLDS)]
    yield Row("Table 1", "toy", "EmoDB", "loss", losses)


#: the sittings toy (a grid search of two trials in the paper profile) with these folds, one of which may stop
RESUMABLE = replace(SITTING_TOY, name="toyfit", prepare=_prepare, experiments=(Experiment("Table 1", _folds),),
                    train_and_score=_score)


def test_an_interrupted_rehearsal_run_resumes_from_its_finished_units(tmp_path: Path) -> None:
    argv = ["--profile", "paper", "--rehearse", "--units-per-process", "0", "--out", str(tmp_path)]
    trained.clear()
    stop_before[:] = [2]
    with pytest.raises(KeyboardInterrupt):
        run(RESUMABLE, argv)
    assert trained == ["search/0.1", "table1/fold0", "table1/fold1"]  # the search's first trial stands for both
    assert json.loads((tmp_path / "rehearsal.json").read_text())["complete"] is False
    stop_before.clear()
    assert run(RESUMABLE, argv) == 0
    assert trained[3:] == ["table1/fold2"]  # the search and folds 0-1 kept, with the timings of the first sitting
    info = json.loads((tmp_path / "rehearsal.json").read_text())
    units = pd.read_csv(tmp_path / "rehearsal.csv").set_index("unit")
    assert info["complete"] is True and info["sittings"] == 2 and info["units"] == FOLDS + 1 == len(units)
    assert units["seconds_per_step"].gt(0).all() and units.loc["search/0.1/trial1", "repeats"] == 2
    assert run(RESUMABLE, argv) == 0 and trained[4:] == trained[:3] + ["table1/fold2"]  # a finished one starts over
    assert json.loads((tmp_path / "rehearsal.json").read_text())["sittings"] == 1


def test_a_ledger_unit_that_trains_no_keras_model_is_timed_whole_and_kept(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    rehearsal = Rehearsal(state_path=state, commits=["abc1234"])
    units = Units(Ledger(tmp_path, {"paper": "toy"}), [rehearsal])

    def keras_unit(fit: Fit) -> dict:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        kw, cbs = fit.schedule(5, 4)
        model.fit(np.zeros((32, 3), "float32"), np.zeros(32), batch_size=4, verbose=0, callbacks=cbs, **kw)
        return {"ua": 0.5}

    def svm_unit(fit: Fit) -> dict:  # an SVM on functionals: no fit schedule; it computes another unit inside
        time.sleep(0.2)
        units.unit(("features", "is09"), lambda fit: {"n": 3})
        return {"ua": 0.4}

    units.unit(("table4", "ldnn"), keras_unit)
    time.sleep(0.1)  # the LDNN's evaluation: its time outside training, up to the SVM unit's start
    units.unit(("table3", "svm"), svm_unit)
    svm, ldnn = rehearsal.units["table3/svm"], rehearsal.units["table4/ldnn"]
    assert "features/is09" not in rehearsal.units  # the outer unit stands for the one it computed
    assert svm.planned_epochs == 0 and 0.2 <= svm.outside_seconds < 2 and 0.2 / 3600 <= svm.projected_hours
    assert 0.1 <= ldnn.outside_seconds < 0.2 + 0.1  # closed when the SVM unit started
    saved = json.loads(state.read_text())  # saved when the SVM unit was stored: a resumed sitting keeps it
    assert [u["unit"] for u in saved["units"]] == ["table4/ldnn", "table3/svm"]
    assert Rehearsal.resume(state, "def5678").units["table3/svm"].outside_seconds == svm.outside_seconds


def test_whole_passes_turns_sampling_off_and_keeps_its_own_units(tmp_path: Path) -> None:
    samples: list[int | None] = []

    def prepare(session: Session) -> dict:
        samples.append(Fit(("probe",), session.units.observers).pass_sample)
        return _prepare(session)

    paper, argv = replace(RESUMABLE, prepare=prepare), ["--profile", "paper", "--rehearse", "--units-per-process", "0"]
    trained.clear()
    stop_before.clear()
    assert run(paper, [*argv, "--out", str(tmp_path)]) == 0
    assert run(paper, [*argv, "--whole-passes", "--out", str(tmp_path)]) == 0
    assert samples == [PREDICT_SAMPLE, None]
    assert trained[:FOLDS + 1] == trained[FOLDS + 1:]  # the sampled rehearsal's units are not resumed
