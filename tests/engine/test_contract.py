"""One contract, checked for every registered paper (table-driven over the registry)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import reproductions
from common.engine.runner import open_corpora, parse, resolve_tuning
from common.identity import run_identity
from common.results import read_results
from common.results.published import load_published
from common.tuning import assert_point_in_space

ROOT = Path(__file__).resolve().parents[2]
PAPERS = reproductions.names()


def _paper(name: str):
    return reproductions.get(name)


@pytest.mark.parametrize("name", PAPERS)
def test_tiny_smoke_run_completes_and_a_rerun_reuses_every_unit(name: str, tmp_path: Path) -> None:
    from common.engine import run

    paper = _paper(name)
    argv = [*paper.test_argv, "--out", str(tmp_path)]
    assert run(paper, argv) == 0
    rows = read_results(tmp_path / "results.csv")
    assert len(rows) and set(rows["data"]) == {"synthetic"} and set(rows["profile"]) == {"smoke"}
    assert (tmp_path / "results.md").is_file()
    units = sorted(tmp_path.glob(".ledger/*/*.npz"))
    assert units, "the smoke run kept no ledger unit"
    stamps = {u: u.stat().st_mtime_ns for u in units}
    assert run(paper, argv) == 0  # the same arguments: every unit comes back from the ledger
    assert sorted(tmp_path.glob(".ledger/*/*.npz")) == units
    assert {u: u.stat().st_mtime_ns for u in units} == stamps
    again = read_results(tmp_path / "results.csv")
    key = ["table", "row", "column", "metric", "variant"]
    pd.testing.assert_series_equal(rows.set_index(key)["mean"].sort_index(), again.set_index(key)["mean"].sort_index())


@pytest.mark.parametrize("name", PAPERS)
def test_bad_data_dir_exits_2_naming_the_path(name: str, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-corpus"
    proc = subprocess.run([sys.executable, str(ROOT / "reproductions" / name / "run.py"), "--data-dir", str(missing)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert str(missing) in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", PAPERS)
def test_published_csv_schema(name: str) -> None:
    published = load_published(name)
    assert list(published.columns)[:7] == ["table", "row", "column", "metric", "value", "unit", "note"]
    assert len(published) and published["table"].astype(str).str.len().gt(0).all()
    assert not published.duplicated(["table", "row", "column", "metric"]).any()


@pytest.mark.parametrize("name", PAPERS)
def test_published_hyperparameters_lie_inside_every_search_space(name: str) -> None:
    paper = _paper(name)
    args = parse(paper, ["--profile", "paper"])
    for search in paper.searches.values():
        assert_point_in_space(lambda hp, s=search: s.declare(hp, args), search.published)


def _fake_search(out: Path, paper: str, target: str, values: dict, identity: dict) -> None:
    root = out / "tuning" / "fake"
    (root / "trial_0").mkdir(parents=True)
    (root / "search.json").write_text(json.dumps({"paper": paper, "objective": "score", "direction": "max",
                                                  "target": target, "identity": identity}))
    (root / "trial_0" / "trial.json").write_text(json.dumps(
        {"status": "COMPLETED", "score": 1.0, "hyperparameters": {"values": values}}))


@pytest.mark.parametrize("name", [n for n in PAPERS if len(_paper(n).searches) > 1])
def test_from_tuning_applies_a_search_to_its_own_target_only(name: str, tmp_path: Path) -> None:
    from common.engine.session import Session

    paper = _paper(name)
    first, *others = list(paper.searches.values())
    # the paper profile's space holds the published point (a smoke profile's may bound epochs below it)
    args = parse(paper, ["--out", str(tmp_path), "--from-tuning", "fake", "--profile", "paper",
                         "--synth-size", "smoke"])
    corpora = open_corpora(paper, args)
    _fake_search(tmp_path, name, first.target, dict(first.published), run_identity(paper, args, corpora))
    tuned = resolve_tuning(paper, args, corpora)
    assert set(tuned) == {first.target}
    session = Session(paper, args, None, {}, None, None, tuned, {first.target: "tuning:fake"})
    for other in others:
        default = {"marker": object()}
        assert session.config(other.target, default) == default
        assert session.hp_source(other.target) == paper.default_hp_source
    assert session.hp_source(first.target) == "tuning:fake"


def test_registry_lists_every_reproduction_folder() -> None:
    folders = sorted(p.name for p in (ROOT / "reproductions").iterdir() if (p / "run.py").is_file())
    assert folders == sorted(PAPERS)
    for name in PAPERS:
        paper = _paper(name)
        assert paper.name == name and paper.folder == ROOT / "reproductions" / name
        assert paper.test_argv, f"{name}: no test_argv"


def test_no_reproduction_runs_its_own_lifecycle() -> None:
    banned = ("Ledger(", "ResultsStore(", "RunContext", "open_corpus(", "kt.HyperModel)", "keras_tuner.HyperModel)")
    offenders = [f"{p.relative_to(ROOT)}: {b}" for p in (ROOT / "reproductions").rglob("*.py")
                 for b in banned if b in p.read_text()]
    assert not offenders, offenders


def test_list_verb_prints_every_paper_with_corpora_and_profiles() -> None:
    proc = subprocess.run([sys.executable, "-m", "reproductions", "list"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for name in PAPERS:
        line = next(ln for ln in proc.stdout.splitlines() if ln.startswith(name))
        paper = _paper(name)
        assert all(c in line for c in paper.corpora) and all(p in line for p in paper.profiles)



def test_a_paper_with_two_main_corpora_names_its_reports_per_corpus() -> None:
    papers = [reproductions.get(n) for n in reproductions.names()]
    two = next(p for p in papers if len(p.corpora) > 1)
    one = next(p for p in papers if len(p.corpora) == 1)
    names = {two.report_name("rehearsal", c, ".json") for c in two.corpora}
    assert len(names) == len(two.corpora) and one.report_name("rehearsal", one.corpora[0], ".json") == "rehearsal.json"
