"""Corpus readers, synthetic twins on demand, and the MUSAN mixer (API.md, common.corpora)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from common.corpora._base import ReadReport, cache_dir
from common.corpora.emodb import read_emodb
from common.corpora.enterface import read_enterface
from common.corpora.iemocap import read_iemocap
from common.corpora.musan import mix_at_snr, read_musan_noise
from common.corpora.recola import read_arff, read_recola, write_avec_arff
from common.errors import ConfigError

READERS: dict[str, Callable[[str | os.PathLike], pd.DataFrame]] = {
    "iemocap": read_iemocap,
    "emodb": read_emodb,
    "enterface": read_enterface,
    "recola": read_recola,
    "musan": read_musan_noise,
}


@dataclass(frozen=True)
class Corpus:
    """A read corpus: its table, whether it is the user's copy or a synthetic twin, its root and name."""

    table: pd.DataFrame
    data: Literal["real", "synthetic"]
    root: Path
    name: str


def open_corpus(name: str, data_dir: str | os.PathLike | None = None, size: str = "smoke",
                seed: int = 0, difficulty: float | None = None) -> Corpus:
    """Read the user's copy at ``data_dir``; without one, generate the synthetic twin once into
    ``cache_dir()/synth/<name>-<size>-s<seed>`` and read it from there on every later call."""
    if name not in READERS:
        raise ConfigError(f"unknown corpus {name!r}; expected one of {sorted(READERS)}")
    if data_dir is not None:
        return Corpus(READERS[name](data_dir), "real", Path(data_dir).expanduser().resolve(), name)
    from common.synth import ensure_twin  # lazy: readers must not depend on the generator

    tag = "" if difficulty is None else f"-d{difficulty:g}"
    root = ensure_twin(name, cache_dir() / "synth" / f"{name}-{size}-s{seed}{tag}", seed=seed, size=size,
                       difficulty=difficulty)
    return Corpus(READERS[name](root), "synthetic", root, name)


__all__ = [
    "Corpus", "READERS", "ReadReport", "cache_dir", "mix_at_snr", "open_corpus", "read_arff", "read_emodb",
    "read_enterface", "read_iemocap", "read_musan_noise", "read_recola", "write_avec_arff",
]
