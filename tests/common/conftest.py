"""Helpers for the corpus tests: tiny hand-written files in the real formats, and ways to damage them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from common.audio import write_wav


def _tone(seconds: float, sr: int, f: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (0.3 * np.sin(2 * np.pi * f * t)).astype(np.float32)


@pytest.fixture
def make_wav():
    """``make_wav(path, seconds=0.5, sr=16000)`` writes a short tone as 16-bit PCM."""

    def _make(path: Path, seconds: float = 0.5, sr: int = 16000) -> Path:
        write_wav(path, _tone(seconds, sr), sr)
        return path

    return _make


@pytest.fixture
def truncate_file():
    """Cut a file in half, as an interrupted copy would."""

    def _cut(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])

    return _cut


@pytest.fixture
def corrupt_file():
    """Overwrite a file with bytes that are not audio."""

    def _corrupt(path: Path) -> None:
        path.write_bytes(b"this is not a RIFF file" * 4)

    return _corrupt


@pytest.fixture
def published_toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``published_toy(text)`` makes ``text`` the published.csv of a throwaway paper ``toy`` and returns its name."""
    from common.results import load_published

    def use(text: str) -> str:
        pub = tmp_path / "published.csv"
        pub.write_text(text)
        monkeypatch.setattr("common.results.published.published_path", lambda p: pub)
        monkeypatch.setattr("common.results.store.published_path", lambda p: pub)
        monkeypatch.setattr("common.compare.load_published", lambda p: load_published(p, pub))
        return "toy"

    return use
