"""Corpus readers, synthetic twins on demand, and the MUSAN mixer (API.md, common.corpora).

Whether a corpus is real or synthetic is a fact of its folder, not of how it was passed: every twin carries the
generator's marker file (``common.synth.MARKER``), and a folder with it is ``synthetic`` even when given as
``--data-dir``. A real copy gets a fingerprint (file count, bytes, a hash of the sorted relative paths and sizes)
so two users can see they ran the same copy, and a comparison with the counts of the release the papers used.
"""

from __future__ import annotations

import hashlib
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


#: marker file every synthetic twin carries (written by ``common.synth.generate``)
SYNTH_MARKER = ".sereprod-synth.json"

#: the distributed releases the papers used: (items in the reader's table, what an item is, groups, group column)
RELEASES: dict[str, tuple[int, str, int, str]] = {
    "iemocap": (10039, "turns", 5, "session"),  # IEMOCAP_full_release, Sessions 1-5 (Latif §4.1, Zhao §4)
    "emodb": (535, "utterances", 10, "speaker"),  # Berlin EmoDB, 10 actors (Zhao §4)
    "enterface": (1257, "utterances", 42, "speaker"),  # eNTERFACE'05, 42 subjects (Huang §5.1)
    "recola": (27, "recordings", 3, "session"),  # RECOLA for AVEC 2016: train/dev/test x 9 (Khorram §5)
    "musan": (930, "noise clips", 2, "session"),  # MUSAN noise: free-sound 843 + sound-bible 87 (Huang §5.2)
}


@dataclass(frozen=True)
class Corpus:
    """A read corpus: its table, whether it is the user's copy or a synthetic twin, its root and name.

    ``fingerprint`` identifies the copy (:func:`fingerprint`; part of the identity of everything reused,
    ``common.identity``); ``release_differs`` says how it differs from the
    release the papers used (empty when it matches, or for a twin).
    """

    table: pd.DataFrame
    data: Literal["real", "synthetic"]
    root: Path
    name: str
    fingerprint: str = ""
    release_differs: str = ""


def is_twin(root: str | os.PathLike) -> bool:
    """True when ``root`` is a synthetic twin (it carries :data:`SYNTH_MARKER`)."""
    return (Path(root) / SYNTH_MARKER).is_file()


def fingerprint(root: str | os.PathLike) -> str:
    """``<files> files, <bytes> bytes, sha256:<12 hex>`` of every non-hidden file under ``root``: the hash is over
    the sorted ``relative/path<TAB>size`` lines, so renaming, adding, removing or truncating a file changes it."""
    root = Path(root)
    lines, total = [], 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            path = Path(folder) / name
            size = path.stat().st_size
            total += size
            lines.append(f"{path.relative_to(root).as_posix()}\t{size}")
    digest = hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:12]
    return f"{len(lines)} files, {total} bytes, sha256:{digest}"


def release_differs(name: str, table: pd.DataFrame) -> str:
    """What makes ``table`` unlike the release the papers used ('' when its counts match :data:`RELEASES`)."""
    if name not in RELEASES:
        return ""
    items, what, groups, column = RELEASES[name]
    found = []
    if len(table) != items:
        found.append(f"{len(table)} {what}, the release has {items}")
    n_groups = table[column].nunique() if column in table else 0
    if n_groups != groups:
        found.append(f"{n_groups} {column}s, the release has {groups}")
    return "; ".join(found)


def open_corpus(name: str, data_dir: str | os.PathLike | None = None, size: str = "smoke",
                seed: int = 0, difficulty: float | None = None) -> Corpus:
    """Read the user's copy at ``data_dir``; without one, generate the synthetic twin once into
    ``cache_dir()/synth/<name>-<size>-s<seed>`` and read it from there on every later call."""
    if name not in READERS:
        raise ConfigError(f"unknown corpus {name!r}; expected one of {sorted(READERS)}")
    if data_dir is not None:
        root = Path(data_dir).expanduser().resolve()
        table = READERS[name](root)
        if is_twin(root):
            return Corpus(table, "synthetic", root, name, fingerprint(root))
        return Corpus(table, "real", root, name, fingerprint(root), release_differs(name, table))
    from common.synth import ensure_twin  # lazy: readers must not depend on the generator

    tag = "" if difficulty is None else f"-d{difficulty:g}"
    root = ensure_twin(name, cache_dir() / "synth" / f"{name}-{size}-s{seed}{tag}", seed=seed, size=size,
                       difficulty=difficulty)
    return Corpus(READERS[name](root), "synthetic", root, name, fingerprint(root))


__all__ = [
    "Corpus", "READERS", "RELEASES", "SYNTH_MARKER", "fingerprint", "is_twin", "release_differs",
    "ReadReport", "cache_dir", "mix_at_snr", "open_corpus", "read_arff", "read_emodb",
    "read_enterface", "read_iemocap", "read_musan_noise", "read_recola", "write_avec_arff",
]
