"""Shared session fixtures: the smoke synthetic twin of each corpus, generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.corpora import READERS, Corpus
from common.synth import generate


class Twins:
    """Generates each smoke twin on first use into the session's tmp dir and reads it."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._roots: dict[str, Path] = {}

    def root(self, name: str) -> Path:
        if name not in self._roots:
            self._roots[name] = generate(name, self.base / name, seed=0, size="smoke")
        return self._roots[name]

    def corpus(self, name: str) -> Corpus:
        root = self.root(name)
        return Corpus(READERS[name](root), "synthetic", root, name)


@pytest.fixture(scope="session")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Twins:
    return Twins(tmp_path_factory.mktemp("twins"))


@pytest.fixture(scope="session")
def iemocap_twin(twins: Twins) -> Corpus:
    return twins.corpus("iemocap")


@pytest.fixture(scope="session")
def emodb_twin(twins: Twins) -> Corpus:
    return twins.corpus("emodb")


@pytest.fixture(scope="session")
def enterface_twin(twins: Twins) -> Corpus:
    return twins.corpus("enterface")


@pytest.fixture(scope="session")
def recola_twin(twins: Twins) -> Corpus:
    return twins.corpus("recola")


@pytest.fixture(scope="session")
def musan_twin(twins: Twins) -> Corpus:
    return twins.corpus("musan")
