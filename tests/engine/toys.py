"""Register a toy paper for a test: its module copied into a package of its own (so a test may edit its code)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import reproductions

HERE = Path(__file__).resolve().parent


@contextmanager
def registered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, package: str,
               name: str) -> Iterator[Path]:
    """``tests/engine/<source>`` as ``<tmp_path>/<package>/paper.py``, registered as paper ``name``."""
    pkg = tmp_path / package
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    shutil.copy(HERE / source, pkg / "paper.py")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(reproductions.PAPERS, name, f"{package}.paper")
    try:
        yield pkg
    finally:
        for mod in [m for m in sys.modules if m.startswith(package)]:
            del sys.modules[mod]
