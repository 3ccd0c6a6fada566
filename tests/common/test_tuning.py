"""common.tuning: resume after an interruption, distributed chief/worker search, summary, hand-off."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import keras_tuner as kt
import pytest

from common.errors import ConfigError
from common.tuning import assert_point_in_space, best_hyperparameters, config_of, parse_objective, trials_table

sys.path.insert(0, str(Path(__file__).parent))
import tuning_toy as toy  # noqa: E402

TOY = Path(__file__).parent / "tuning_toy.py"


def _fits(out: Path, tuner_id: str = "tuner0") -> int:
    path = out / f"fits-{tuner_id}.txt"
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_interrupted_search_resumes_without_redoing_finished_trials(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(KeyboardInterrupt):
        toy.search(tmp_path, 3, interrupt_after=1)
    assert _fits(tmp_path) == 1
    first = json.loads((tmp_path / "tuning" / "toy-search" / "trial_0" / "trial.json").read_text())
    assert first["status"] == "COMPLETED"

    toy.search(tmp_path, 3)  # same arguments again
    assert _fits(tmp_path) == 3  # 1 before the interruption + 2 after: trial 0 was not run again
    table = trials_table(tmp_path / "tuning" / "toy-search")
    assert list(table["status"]) == ["COMPLETED"] * 3
    assert (table["trial_seconds"] > 0).all()
    assert (tmp_path / "tuning" / "toy-search" / "trials.csv").is_file()
    assert (tmp_path / "tuning" / "toy-search" / "trials.png").stat().st_size > 1000

    best = best_hyperparameters(toy.PAPER, toy.NAME, tmp_path)
    assert best == table.iloc[0][["units", "lr"]].to_dict()
    assert table.iloc[0]["val_accuracy"] == table["val_accuracy"].max()

    capsys.readouterr()
    caplog.clear()
    with caplog.at_level("INFO", logger="common.tuning.search"):
        toy.search(tmp_path, 3)  # finished: nothing more to run, and keras-tuner is not reloaded
    assert _fits(tmp_path) == 3
    assert "Reloading Tuner" not in capsys.readouterr().out
    assert [r.getMessage() for r in caplog.records if r.name == "common.tuning.search"] == [
        f"search toy-search: its 3 trials finished earlier (state in {tmp_path / 'tuning' / 'toy-search'})"]

    toy.search(tmp_path, 4)  # one more trial asked for: keras-tuner resumes the search
    assert _fits(tmp_path) == 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_distributed_chief_and_two_workers_split_trials_and_agree_on_best(tmp_path: Path) -> None:
    trials = 4
    base = {**os.environ, "KERASTUNER_ORACLE_IP": "127.0.0.1", "KERASTUNER_ORACLE_PORT": str(_free_port()),
            "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "3"}
    procs = {}
    for tuner_id in ("chief", "tuner0", "tuner1"):
        procs[tuner_id] = subprocess.Popen(
            [sys.executable, str(TOY), str(tmp_path), str(trials)], env={**base, "KERASTUNER_TUNER_ID": tuner_id},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    outputs = {}
    try:
        for tuner_id, proc in procs.items():
            outputs[tuner_id], _ = proc.communicate(timeout=240)
            assert proc.returncode == 0, outputs[tuner_id][-3000:]
    finally:
        for proc in procs.values():
            proc.kill()
    fits = {t: _fits(tmp_path, t) for t in ("tuner0", "tuner1")}
    assert _fits(tmp_path, "chief") == 0  # the chief only serves the oracle
    assert sum(fits.values()) == trials and all(n >= 1 for n in fits.values()), fits
    bests = {t: next(line for line in out.splitlines() if line.startswith("BEST ")) for t, out in outputs.items()}
    assert len(set(bests.values())) == 1, bests


def _space(hp: kt.HyperParameters) -> dict:
    config = {"layers": hp.Int("layers", 2, 12), "width": hp.Choice("width", [16, 32, 64])}
    if hp.Boolean("dilated"):
        with hp.conditional_scope("dilated", [True]):
            config["l2"] = hp.Float("l2", 1e-6, 1e-2, sampling="log")
    return config


def test_published_point_must_lie_inside_the_space() -> None:
    assert_point_in_space(_space, {"layers": 10, "width": 32, "dilated": True, "l2": 1e-4})
    with pytest.raises(AssertionError, match="width=48"):
        assert_point_in_space(_space, {"layers": 10, "width": 48})
    with pytest.raises(AssertionError, match="layers=20 outside"):
        assert_point_in_space(_space, {"layers": 20})
    with pytest.raises(AssertionError, match="momentum is not"):
        assert_point_in_space(_space, {"momentum": 0.9})


def test_config_of_a_point_and_the_scored_trials_report_their_time(tmp_path: Path) -> None:
    assert config_of(_space, {"layers": 3, "width": 16, "dilated": False}) == {"layers": 3, "width": 16}
    toy.search(tmp_path, 2)
    table = trials_table(tmp_path / "tuning" / toy.NAME)
    assert len(table) == 2 and (table["trial_seconds"] > 0).all()
    assert json.loads((tmp_path / "tuning" / toy.NAME / "search.json").read_text())["target"] == "toy"


def test_objective_parsing_and_missing_search() -> None:
    default = kt.Objective("val_ccc", "max")
    assert parse_objective(None, default) is default
    assert parse_objective("val_rmse", default).direction == "min"
    assert parse_objective("val_ua:max", default).direction == "max"
    with pytest.raises(ConfigError):
        parse_objective("x:up", default)
    with pytest.raises(ConfigError, match="no search at"):
        best_hyperparameters("toy", "never-ran", "/nonexistent")
