"""Nothing reused that was computed for something else: searches, ``--from-tuning`` points and ledger units are
tied to their run's identity (corpus, data kind, backend, code), and a corpus with nothing usable stops the run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from common import identity
from common.cli import main_guard
from common.corpora import SYNTH_MARKER
from common.errors import ConfigError
from common.paths import REPO_ROOT
from common.results import read_results
from common.tuning import completed_trials
from reproductions.__main__ import main
from tests.engine.toys import registered


@pytest.fixture()
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The store toy registered as ``storetoy``, with a feature cache (and twins) of its own."""
    monkeypatch.setenv("SEREPROD_CACHE", str(tmp_path / "cache"))
    with registered(tmp_path, monkeypatch, "store_toy.py", "storepkg", "storetoy") as pkg:
        yield pkg


def _run(out: Path, *flags: str) -> int:
    return main(["storetoy", "--out", str(out), "--units-per-process", "0", *flags])


def _exit_of(argv: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str]:
    """Exit status and stderr of ``sereprod ARGV`` (the console entry point's error handling)."""
    with pytest.raises(SystemExit) as done:
        main_guard(lambda _: main(argv))
    return done.value.code, capsys.readouterr().err


def _ledgers(out: Path) -> int:
    return len([p for p in (out / ".ledger").iterdir() if p.is_dir()])


def test_profile_searches_are_kept_apart_per_corpus_and_data_kind(toy: Path, tmp_path: Path, twins) -> None:
    out = tmp_path / "out"
    real = tmp_path / "real-emodb"
    shutil.copytree(twins.root("emodb"), real, ignore=shutil.ignore_patterns(SYNTH_MARKER))  # a "real" copy
    assert _run(out) == 0
    assert _run(out, "--twin-seed", "1") == 0  # another corpus (of the same name)
    assert _run(out, "--data-dir", str(real)) == 0  # the same files as the user's copy: real data
    searches = sorted((out / "tuning").iterdir())
    assert len(searches) == 3
    kinds = [json.loads((s / "search.json").read_text())["identity"]["data"] for s in searches]
    assert sorted(kinds) == ["real", "synthetic", "synthetic"]
    assert all(len(completed_trials(s)) == 3 for s in searches)  # each ran its own trials
    (row,) = read_results(out / "results.csv").query("table == 'Table 1' and data == 'real'").itertuples()
    assert "-real-" in row.hp_source


def test_from_tuning_refuses_another_identity_and_points_outside_the_space(
        toy: Path, tmp_path: Path, twins, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    real = tmp_path / "real-emodb"
    shutil.copytree(twins.root("emodb"), real, ignore=shutil.ignore_patterns(SYNTH_MARKER))  # a "real" copy
    assert _run(out, "--tune", "--search-name", "s") == 0
    base = ["storetoy", "--out", str(out), "--units-per-process", "0", "--from-tuning", "s"]
    code, err = _exit_of([*base, "--data-dir", str(real)], capsys)
    assert code == 2 and "--from-tuning s" in err and "data: 'synthetic' -> 'real'" in err
    code, err = _exit_of([*base, "--epochs", "3"], capsys)
    assert code == 2 and "epochs: 1 -> 3" in err
    trials = sorted((out / "tuning" / "s").glob("trial_*/trial.json"))
    for path in trials:  # every trial's point moved outside the space
        trial = json.loads(path.read_text())
        trial["hyperparameters"]["values"]["C"] = 4096
        path.write_text(json.dumps(trial))
    code, err = _exit_of(base, capsys)
    assert code == 2 and "C=4096 not among [0.1, 1.0, 10.0]" in err
    for path in trials:  # a renamed hyperparameter is an error, not a silent default
        trial = json.loads(path.read_text())
        trial["hyperparameters"]["values"] = {"alpha": 1.0}
        path.write_text(json.dumps(trial))
    with pytest.raises(ConfigError, match="alpha is not a hyperparameter of the space.*C has no value|"
                                          "C has no value.*alpha is not a hyperparameter"):
        _run(out, "--from-tuning", "s")


def test_a_search_name_reused_for_another_identity_is_refused(toy: Path, tmp_path: Path, twins) -> None:
    out = tmp_path / "out"
    assert _run(out, "--tune", "--search-name", "s") == 0
    with pytest.raises(ConfigError, match="search s in .* ran on something else.*epochs: 1 -> 2"):
        _run(out, "--tune", "--search-name", "s", "--epochs", "2")


def test_a_backend_change_recomputes_every_unit(toy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert _run(out, "--no-search") == 0
    assert _run(out, "--no-search") == 0
    assert _ledgers(out) == 1
    first = identity.backend()
    other = "jax" if first != "jax" else "tensorflow"
    monkeypatch.setattr(identity, "backend", lambda: other)
    assert _run(out, "--no-search") == 0
    assert _ledgers(out) == 2
    configs = [json.loads(p.read_text()) for p in out.glob(".ledger/*/config.json")]
    assert sorted(c["identity"]["backend"] for c in configs) == sorted([first, other])


def test_a_comment_or_docstring_edit_in_common_reuses_every_unit(toy: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"  # the code fingerprint reads this copy of common/
    shutil.copytree(REPO_ROOT / "common", repo / "common", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(identity, "REPO_ROOT", repo)
    out = tmp_path / "out"
    assert _run(out, "--no-search") == 0
    splits = repo / "common" / "splits.py"  # a module the toy imports
    text = splits.read_text()
    splits.write_text(text.replace('"""Data splits of the five papers', '"""Data splits (reworded) of the papers', 1)
                      .replace("from __future__ import annotations", "from __future__ import annotations  # note"))
    assert _run(out, "--no-search") == 0
    assert _ledgers(out) == 1
    splits.write_text(text + "\nSPLIT_VERSION = 2\n")  # what the code does changed
    assert _run(out, "--no-search") == 0
    assert _ledgers(out) == 2


def test_an_all_unreadable_corpus_stops_the_run_naming_its_root(toy: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture) -> None:
    root = tmp_path / "emodb"
    (root / "wav").mkdir(parents=True)
    for name in ("03a01Fa", "03a02Nc", "08a01Wa"):
        (root / "wav" / f"{name}.wav").write_bytes(b"not audio at all")
    code, err = _exit_of(["storetoy", "--out", str(tmp_path / "out"), "--data-dir", str(root)], capsys)
    assert code == 2 and str(root) in err and "no utterance can be used" in err and "unreadable audio" in err
