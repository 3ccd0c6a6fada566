"""common.identity, common.locks and the stale-file clean-up: what keys reuse, and who computes a shared entry."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from common import atomic, identity
from common.cache import FeatureCache
from common.corpora import fingerprint
from common.locks import exclusive, remove_stale_locks
from common.training import Ledger


def _package(root: Path, files: dict[str, str]) -> Path:
    pkg = root / "idpkg"
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text("")
    for name, text in files.items():
        (pkg / name).write_text(text)
    return pkg


HELPER = '"""Helper."""\n\nSCALE = 2.0\n\n\ndef scale(x):\n    """Twice x."""\n    return x * SCALE\n'
MAIN = ("import numpy as np\n\nfrom idpkg.helper import scale\nfrom . import other\n\n\ndef features(x):\n"
        "    return scale(x)\n\n\ndef extract():\n    return {'x': features(np.ones(3))}\n")


def test_code_fingerprint_ignores_comments_docstrings_and_formatting(tmp_path: Path) -> None:
    pkg = _package(tmp_path, {"helper.py": HELPER, "main.py": MAIN, "other.py": "A = 1\n", "unused.py": "B = 1\n"})
    closure = {p.name for p in identity.module_closure([pkg / "main.py"])}
    assert closure == {"__init__.py", "main.py", "helper.py", "other.py"}  # imported, transitively; not unused.py
    before = identity.code_fingerprint([pkg / "main.py"])
    (pkg / "helper.py").write_text('"""Another docstring."""\n# a comment\nSCALE = (2.0)\n\n\ndef scale(x):\n'
                                   '    """Twice x, documented anew."""\n    return x*SCALE  # still twice\n')
    (pkg / "unused.py").write_text("B = 2\n")
    assert identity.code_fingerprint([pkg / "main.py"]) == before
    (pkg / "other.py").write_text("A = 2\n")  # imported by a relative import
    changed = identity.code_fingerprint([pkg / "main.py"])
    assert changed != before
    (pkg / "helper.py").write_text(HELPER.replace("2.0", "3.0"))
    assert identity.code_fingerprint([pkg / "main.py"]) not in (before, changed)


def test_corpus_fingerprint_follows_the_files_not_their_location(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder / "wav").mkdir(parents=True)
        for name, size in (("x.wav", 10), ("y.wav", 20)):
            (tmp_path / folder / "wav" / name).write_bytes(b"\0" * size)
    a = fingerprint(tmp_path / "a")
    assert a == fingerprint(tmp_path / "b")
    assert a.startswith("2 files, 30 bytes")
    (tmp_path / "b" / "wav" / "x.wav").write_bytes(b"\0" * 11)
    assert fingerprint(tmp_path / "b") != a


def test_differences_name_each_changed_key() -> None:
    a = {"data": "synthetic", "corpora": {"emodb": {"files": 1}}, "backend": "tensorflow"}
    b = {"data": "real", "corpora": {"emodb": {"files": 1}}, "backend": "tensorflow", "epochs": 2}
    assert identity.differences(a, b) == ["data: 'synthetic' -> 'real'", "epochs: '<absent>' -> 2"]
    assert identity.differences(a, a) == []


@pytest.fixture()
def feature_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A feature module in its own package (so its code can be edited), importable and reloadable."""
    pkg = _package(tmp_path / "code", {"helper.py": HELPER, "other.py": "", "main.py": MAIN})
    monkeypatch.syspath_prepend(str(pkg.parent))

    def load():
        for name in [m for m in sys.modules if m.startswith("idpkg")]:
            del sys.modules[name]
        import idpkg.main

        return idpkg.main

    yield pkg, load
    for name in [m for m in sys.modules if m.startswith("idpkg")]:
        del sys.modules[name]


def test_a_feature_code_change_recomputes_the_cached_features(tmp_path: Path, feature_code) -> None:
    pkg, load = feature_code
    wav = tmp_path / "u.wav"
    wav.write_bytes(b"\0" * 8)
    cache = FeatureCache(tmp_path / "cache")

    def cached() -> list[float]:
        return cache.get_or_compute("f", {"n": 1}, [wav], load().extract)["x"].tolist()

    assert cached() == [2.0, 2.0, 2.0]
    (pkg / "helper.py").write_text("# reworded\n" + HELPER.replace('"""Twice x."""', '"""Doubles x."""'))
    assert cached() == [2.0, 2.0, 2.0]
    assert len(list((tmp_path / "cache" / "f").glob("*.npz"))) == 1  # a comment or docstring edit: reused
    (pkg / "helper.py").write_text(HELPER.replace("2.0", "3.25"))  # a fix of the feature code
    assert cached() == [3.25, 3.25, 3.25]
    assert len(list((tmp_path / "cache" / "f").glob("*.npz"))) == 2


def _cached_features(cache_root: str, wav: str, log: str) -> None:
    def compute() -> dict[str, np.ndarray]:
        with open(log, "a") as f:
            f.write(f"{os.getpid()}\n")
        time.sleep(0.5)
        return {"x": np.arange(4.0)}

    x = FeatureCache(cache_root).get_or_compute("shared", {"n": 1}, [wav], compute)["x"]
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0]


def _ledger_unit(out: str, log: str) -> None:
    def compute() -> dict:
        with open(log, "a") as f:
            f.write(f"{os.getpid()}\n")
        time.sleep(0.5)
        return {"score": 0.5}

    assert Ledger(out, {"paper": "p"}).unit(("t", 0), compute)["score"] == 0.5


def _in_two_processes(target, *args) -> None:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=target, args=args) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]


def test_two_processes_reaching_one_entry_compute_it_once(tmp_path: Path) -> None:
    wav = tmp_path / "u.wav"
    wav.write_bytes(b"\0" * 8)
    _in_two_processes(_cached_features, str(tmp_path / "cache"), str(wav), str(tmp_path / "features.log"))
    _in_two_processes(_ledger_unit, str(tmp_path / "out"), str(tmp_path / "units.log"))
    assert len((tmp_path / "features.log").read_text().split()) == 1
    assert len((tmp_path / "units.log").read_text().split()) == 1
    assert not list(tmp_path.rglob("*.lock"))


def test_temporaries_and_locks_of_killed_runs_are_removed_at_start(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    dead = ctx.Process(target=os.getpid)
    dead.start()
    dead.join()
    stale = tmp_path / f".results~{atomic._HOST}~{dead.pid}~abcd_123.csv"
    mine = tmp_path / f".results~{atomic._HOST}~{os.getpid()}~abcd_123.csv"
    other_host = tmp_path / f".results~elsewhere~{dead.pid}~abcd_123.csv"
    for p in (stale, mine, other_host):
        p.write_text("half")
    (tmp_path / "unit.npz.lock").write_text("")
    assert atomic.remove_stale_temporaries(tmp_path) == [stale]
    with exclusive(tmp_path / "held.npz", "a unit"):
        remove_stale_locks(tmp_path)
        assert sorted(p.name for p in tmp_path.glob("*.lock")) == ["held.npz.lock"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other_host.name])
    shutil.rmtree(tmp_path)
