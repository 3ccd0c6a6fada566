"""The engine on a toy sixth paper: registered in a few lines, run end to end, tuned, resumed, re-stamped never."""

from __future__ import annotations

from pathlib import Path

import pytest

import reproductions
from common.engine import run
from common.errors import ConfigError
from common.results import read_results
from common.training import ledger as ledger_module
from tests.engine.toys import registered


@pytest.fixture()
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The toy paper copied into its own package folder (so its code can be edited), registered."""
    with registered(tmp_path, monkeypatch, "toy_paper.py", "toypkg", "toy2026") as pkg:
        yield pkg


def test_a_sixth_paper_runs_end_to_end_through_the_registry(toy: Path, tmp_path: Path) -> None:
    from reproductions.__main__ import listing, main

    out = tmp_path / "out"
    assert "toy2026" in listing()
    assert main(["toy2026", "--out", str(out)]) == 0
    rows = read_results(out / "results.csv")
    (row,) = rows.itertuples()
    assert row.table == "Table 1" and row.n_runs == 2 and row.data == "synthetic" and row.hp_source == "paper"
    assert (out / "splits" / "toy-synthetic.csv").is_file()  # a twin's fold lists say so in their name
    assert main(["toy2026", "--out", str(out), "--tune", "--search-name", "s"]) == 0
    assert main(["toy2026", "--out", str(out), "--from-tuning", "s"]) == 0
    assert read_results(out / "results.csv")["hp_source"].tolist() == ["tuning:s"]


def test_rows_name_the_commit_that_computed_their_units(toy: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    paper = reproductions.get("toy2026")
    out = tmp_path / "out"
    monkeypatch.setattr(ledger_module, "git_commit", lambda: "aaaaaaa")
    assert run(paper, ["--out", str(out)]) == 0
    monkeypatch.setattr(ledger_module, "git_commit", lambda: "bbbbbbb")
    assert run(paper, ["--out", str(out)]) == 0  # same code: units reused, rows still name their computing commit
    assert read_results(out / "results.csv")["computed_by"].tolist() == ["aaaaaaa"]
    source = toy / "paper.py"
    source.write_text(source.read_text().replace('DEFAULT = {"C": 1.0}', 'DEFAULT = {"C": 0.5}'))
    monkeypatch.setattr(ledger_module, "git_commit", lambda: "ccccccc")
    assert run(paper, ["--out", str(out)]) == 0  # edited model code: every unit recomputed by the new code
    assert read_results(out / "results.csv")["computed_by"].tolist() == ["ccccccc"]
    assert run(paper, ["--out", str(out), "--fresh"]) == 0
    assert len(list(out.glob(".ledger/*/*.npz"))) == 2 * 2


def test_strategy_a_paper_cannot_use_is_refused(toy: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--strategy mirrored"):
        run(reproductions.get("toy2026"), ["--out", str(tmp_path), "--strategy", "mirrored"])


def test_whole_passes_without_a_rehearsal_is_refused(toy: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--whole-passes applies to a rehearsal only"):
        run(reproductions.get("toy2026"), ["--out", str(tmp_path), "--whole-passes"])


def test_unknown_paper_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="unknown paper 'nope'"):
        reproductions.get("nope")
