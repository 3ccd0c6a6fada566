"""The registry of reproductions: every tool (run.py, ``python -m reproductions``, tests, benchmarks, the
README table) finds the papers here and nowhere else.

Each entry names the module that defines the paper's ``PAPER`` (a ``common.engine.Paper``); it is imported
on first use, so listing the papers does not load Keras.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from common.engine import Paper

#: paper name -> module holding its ``PAPER``
PAPERS: dict[str, str] = {
    "khorram2017": "reproductions.khorram2017.paper",
    "latif2017": "reproductions.latif2017.paper",
    "huang2017": "reproductions.huang2017.paper",
    "wieser2018": "reproductions.wieser2018.paper",
    "zhao2019": "reproductions.zhao2019.paper",
}


def names() -> list[str]:
    """The registered papers, in the registry's order."""
    return list(PAPERS)


def get(name: str) -> Paper:
    """The ``Paper`` registered as ``name``."""
    from common.errors import ConfigError

    if name not in PAPERS:
        raise ConfigError(f"unknown paper {name!r}; registered: {', '.join(PAPERS)}")
    return importlib.import_module(PAPERS[name]).PAPER

