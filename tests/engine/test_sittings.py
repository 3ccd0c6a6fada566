"""A run in sittings (--units-per-process): each process computes its share of units, a fresh one goes on, and the
tables equal those of a run in one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pandas as pd
import pytest

from common.engine import run
from common.engine.rehearsal import Rehearsal
from common.engine.runner import parse
from common.engine.sittings import SITTING_ENV, UNITS_PER_PROCESS
from common.errors import ConfigError
from common.results import read_results
from tests.engine.sitting_toy import PAPER, UNITS, trained

HERE = Path(__file__).resolve().parent


class HandedOver(Exception):
    """Stands for the fresh process a real run would continue in (this test's own hand-over)."""


def _hand_over(reason: str) -> NoReturn:
    raise HandedOver(reason)


def _in_sittings(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """Run ``argv`` in sittings, each in this process (a hand-over starts the next): -> the number of sittings."""
    sittings = 1
    monkeypatch.delenv(SITTING_ENV, raising=False)
    while True:
        try:
            assert run(PAPER, argv, hand_over=_hand_over) == 0
            return sittings
        except HandedOver:
            sittings += 1
            monkeypatch.setenv(SITTING_ENV, str(sittings))


def test_each_search_and_every_n_units_get_a_process_and_the_tables_do_not_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole, split = tmp_path / "whole", tmp_path / "split"
    assert _in_sittings(["--profile", "paper", "--units-per-process", "0", "--out", str(whole)], monkeypatch) == 1
    argv = ["--profile", "paper", "--units-per-process", "2", "--fresh", "--out", str(split)]
    assert _in_sittings(argv, monkeypatch) == 4  # the search; units 0-1; 2-3; 4
    assert [(u, s) for u, _, s in trained(split)] == [
        ("search/0.1", 1), ("search/0.01", 1), ("table1/0", 2), ("table1/1", 2), ("table1/2", 3), ("table1/3", 3),
        ("table1/4", 4)]  # --fresh applies to the first sitting only: the later ones resume
    columns = ["table", "row", "column", "metric", "mean", "n_runs", "hp_source"]
    assert read_results(split / "results.csv")[columns].equals(read_results(whole / "results.csv")[columns])


def test_a_rehearsal_in_sittings_times_every_unit_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["--profile", "paper", "--rehearse", "--units-per-process", "3", "--out", str(tmp_path)]
    assert _in_sittings(argv, monkeypatch) == 3  # the search; units 0-2; 3-4
    info = json.loads((tmp_path / "rehearsal.json").read_text())
    assert info["complete"] and info["sittings"] == 3 and info["units"] == UNITS + 1
    assert "- sittings: 3 (processes that ran it in turn" in (tmp_path / "rehearsal.md").read_text()
    units = pd.read_csv(tmp_path / "rehearsal.csv")
    assert len(units) == UNITS + 1 and units["resident_gib"].between(0.05, 64).all()  # what each unit left behind
    assert 0 < info["handover_s"] < info["wall_s"]  # two hand-overs: the corpus opened and prepared again
    projected = units["projected_hours"].sum() + info["handover_s"] / 3600
    assert info["projected_hours"] == pytest.approx(projected, abs=3e-5)
    assert "- handing over between sittings:" in (tmp_path / "rehearsal.md").read_text()


def test_a_stop_and_a_manual_restart_is_no_hand_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state.json"
    rehearsal = Rehearsal(state_path=state)
    rehearsal.handing_over()
    monkeypatch.delenv(SITTING_ENV, raising=False)  # the user started the same command again
    assert Rehearsal.resume(state, "abc1234").handed_over_at is None
    monkeypatch.setenv(SITTING_ENV, "2")  # the engine handed over
    assert Rehearsal.resume(state, "abc1234").handed_over_at == rehearsal.handed_over_at


def test_the_script_replaces_itself_with_a_fresh_interpreter(tmp_path: Path) -> None:
    env = {**os.environ, "KERAS_BACKEND": "jax", "TF_CPP_MIN_LOG_LEVEL": "2"}
    env.pop(SITTING_ENV, None)
    proc = subprocess.run([sys.executable, str(HERE / "sitting_toy.py"), "--units-per-process", "3", "--out",
                           str(tmp_path)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    log = trained(tmp_path)
    assert [u for u, _, _ in log] == [f"table1/{u}" for u in range(UNITS)]
    assert len({pid for _, pid, _ in log}) == 1  # exec: the same process id, terminal and parent
    assert [s for _, _, s in log] == [1, 1, 1, 2, 2]
    assert "continuing in a fresh process (sitting 2)" in proc.stderr
    assert len(read_results(tmp_path / "results.csv")) == 1


def test_runs_go_in_sittings_by_default_only_in_the_paper_profile_under_tensorflow(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("common.provenance.keras_backend", lambda: "tensorflow")
    assert parse(PAPER, ["--profile", "paper"]).units_per_process == UNITS_PER_PROCESS
    assert parse(PAPER, ["--profile", "smoke"]).units_per_process == 0
    assert parse(PAPER, ["--profile", "paper", "--units-per-process", "0"]).units_per_process == 0
    monkeypatch.setattr("common.provenance.keras_backend", lambda: "jax")
    assert parse(PAPER, ["--profile", "paper"]).units_per_process == 0
    with pytest.raises(ConfigError, match="--units-per-process -1"):
        parse(PAPER, ["--units-per-process", "-1"])


def test_a_sitting_computes_that_many_outermost_units_then_hands_over_after_telling_the_others(tmp_path: Path) -> None:
    from common.engine.sittings import Sittings
    from common.engine.unit import Observer, Units
    from common.training import Ledger

    Units(Ledger(tmp_path, {"paper": "toy"})).unit(("done",), lambda fit: {"v": 0})
    told: list[str] = []

    class Other(Observer):
        def handing_over(self) -> None:
            told.append("closed")

    other = Other()
    units = Units(Ledger(tmp_path, {"paper": "toy"}), [other, Sittings(2, [other], _hand_over)])  # the next process

    def outer(i: int) -> dict:
        return {"v": units.unit(("inner", i), lambda fit: {"v": i})["v"]}  # a unit computing another counts once

    assert units.unit(("done",), lambda fit: {"v": 9})["v"] == 0  # reused: not counted
    assert [units.unit(("outer", i), lambda fit, i=i: outer(i))["v"] for i in range(2)] == [0, 1]
    assert units.unit(("outer", 0), lambda fit: {"v": 9})["v"] == 0  # a finished one is still returned
    with pytest.raises(HandedOver, match="computed 2 units"):
        units.unit(("outer", 2), lambda fit: outer(2))
    assert told == ["closed"] and not units.ledger.path(("outer", 2)).exists() and units.ledger.computed == 4
