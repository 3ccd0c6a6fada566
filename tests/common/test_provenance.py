"""The commit stamp: outputs under results/ never make the tree dirty; code changes do."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from common import provenance


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_results_do_not_dirty_the_stamp_but_code_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "results.csv").write_text("old\n")
    (tmp_path / "model.py").write_text("x = 1\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    monkeypatch.setattr(provenance, "REPO_ROOT", tmp_path)
    monkeypatch.delenv("SEREPROD_COMMIT", raising=False)
    stamp = provenance.git_commit.__wrapped__
    clean = stamp()
    (tmp_path / "results" / "results.csv").write_text("new\n")
    assert stamp() == clean and not clean.endswith("-dirty")
    (tmp_path / "model.py").write_text("x = 2\n")
    assert stamp() == f"{clean}-dirty"
