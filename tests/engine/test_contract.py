"""One contract, checked for every registered paper (table-driven over the registry)."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import pandas as pd
import pytest

import reproductions
from common.engine.runner import open_corpora, parse, resolve_tuning
from common.errors import ConfigError
from common.identity import run_identity
from common.results import read_results
from common.results.published import load_published
from common.settings import Settings
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


# --- the trained unit, typed settings, one folder layout ----------------------------------------------------------

#: words of cost measurement that belong to the engine's observers (common/engine), never to a paper's code
ENGINE_ONLY = re.compile(r"rehears|sitting|budget|session\.state\b", re.IGNORECASE)
#: the files every paper folder has, each in the role common/API.md gives it
LAYOUT = ("__init__.py", "run.py", "paper.py", "data.py", "models.py", "protocol.py", "search_space.py",
          "benchmark.py", "README.md", "published.csv")
#: other names once used for one of those roles
SYNONYMS = ("search.py", "networks.py", "experiments.py", "prepare.py", "spaces.py", "settings.py", "train.py")


def test_no_paper_module_measures_cost_or_shares_state() -> None:
    offenders = [f"{p.relative_to(ROOT)}:{n}: {m.group(0)}" for p in sorted((ROOT / "reproductions").rglob("*.py"))
                 for n, line in enumerate(p.read_text().splitlines(), 1) for m in ENGINE_ONLY.finditer(line)]
    assert not offenders, offenders


def test_the_contract_test_catches_a_paper_that_reads_the_rehearsal() -> None:
    assert ENGINE_ONLY.search("if session.rehearsal is not None:") and ENGINE_ONLY.search("session.state['x']")
    assert ENGINE_ONLY.search("kw, cbs = session.fit_budget(unit, 3, 4)")


@pytest.mark.parametrize("name", PAPERS)
def test_every_paper_folder_has_the_same_layout(name: str) -> None:
    folder = ROOT / "reproductions" / name
    assert [f for f in LAYOUT if not (folder / f).is_file()] == []
    assert [f for f in SYNONYMS if (folder / f).is_file()] == []


@pytest.mark.parametrize("name", PAPERS)
def test_settings_are_one_typed_dataclass_with_a_source_per_field(name: str) -> None:
    paper = _paper(name)
    kind = paper.settings_type
    assert dataclasses.is_dataclass(kind) and issubclass(kind, Settings) and kind is not Settings
    assert all(type(p.settings) is kind for p in paper.profiles.values())
    hints = typing.get_type_hints(kind)
    for f in dataclasses.fields(kind):
        assert f.metadata.get("source"), f"{name}: setting {f.name} names no source (paper section or assumption)"
        assert hints[f.name] is not typing.Any and not isinstance(getattr(kind(), f.name), list)


@pytest.mark.parametrize("name", PAPERS)
def test_set_parses_into_the_settings_and_refuses_bad_values_naming_the_key(name: str) -> None:
    paper = _paper(name)
    hints = typing.get_type_hints(paper.settings_type)
    key = next(f.name for f in dataclasses.fields(paper.settings_type) if hints[f.name] in (int, int | None))
    assert getattr(parse(paper, ["--set", f"{key}=3"]).settings, key) == 3
    with pytest.raises(ConfigError, match=f"--set {key}=two: expected an integer"):
        parse(paper, ["--set", f"{key}=two"])
    with pytest.raises(ConfigError, match="unknown setting 'nope'"):
        parse(paper, ["--set", "nope=1"])
    choice = next((f for f in dataclasses.fields(paper.settings_type) if f.metadata.get("choices")), None)
    if choice is not None:
        with pytest.raises(ConfigError, match=f"--set {choice.name}=nothing-of-the-kind: .* not allowed"):
            parse(paper, ["--set", f"{choice.name}=nothing-of-the-kind"])


def test_typed_values_parse_as_their_type() -> None:
    from common.settings import parse_setting

    assert parse_setting("graph_optimizer", "False", bool) is False  # the boolean, not a truthy string
    assert parse_setting("graph_optimizer", "true", bool) is True
    with pytest.raises(ConfigError, match="graph_optimizer=no: expected true or false"):
        parse_setting("graph_optimizer", "no", bool)
    assert parse_setting("dimensions", "arousal", tuple[str, ...], ("arousal", "valence")) == ("arousal",)
    assert parse_setting("dimensions", '["arousal","valence"]', tuple[str, ...]) == ("arousal", "valence")
    assert parse_setting("lengths", "4,128", tuple[int, ...]) == (4, 128) and parse_setting("f", "2", float) == 2.0
    assert parse_setting("grid_points", "null", int | None) is None and parse_setting("g", "5", int | None) == 5
    with pytest.raises(ConfigError, match="folds=two: expected an integer"):
        parse_setting("folds", "two", int)
    with pytest.raises(ConfigError, match=r"dimensions=pleasure: \['pleasure'\] not allowed"):
        parse_setting("dimensions", "pleasure", tuple[str, ...], ("arousal", "valence"))


def test_a_bad_setting_exits_2_naming_the_key_without_a_traceback() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "reproductions" / "latif2017" / "run.py"), "--set",
                           "folds=two"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "folds=two: expected an integer" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", PAPERS)
def test_experiments_consume_only_what_earlier_ones_produce(name: str) -> None:
    seen: list[str] = []
    for experiment in _paper(name).experiments:
        assert set(experiment.consumes) <= set(seen), f"{experiment.name} consumes {experiment.consumes}"
        seen.append(experiment.name)


def test_the_readme_tables_come_from_the_registry() -> None:
    from reproductions.__main__ import README, readme_tables, with_tables

    text = README.read_text()
    assert with_tables(text, readme_tables()) == text, "run python -m reproductions readme --write"
    for name in PAPERS:
        paper = _paper(name)
        assert paper.headline and paper.models and paper.reproduced and paper.limits, name


def _module_imports(path: Path, package: str) -> set[str]:
    """The ``common`` modules a module imports at its top level."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return {n for n in names if n.split(".")[0] == package}


def test_no_import_cycle_runs_through_the_engine() -> None:
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
               for p in (ROOT / "common").rglob("*.py")}
    graph = {m: {i for i in _module_imports(p, "common") if i in modules and i != m} for m, p in modules.items()}

    def reaches(start: str, goal: str) -> bool:
        stack, seen = list(graph[start]), set()
        while stack:
            m = stack.pop()
            if m == goal:
                return True
            if m not in seen:
                seen.add(m)
                stack.extend(graph[m])
        return False

    cycles = [m for m in modules if m.startswith("common.engine") and reaches(m, m)]
    assert not cycles, cycles
