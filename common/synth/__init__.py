"""Synthetic twins of the five corpora, in exactly the distributed layouts and file formats (API.md).

``generate`` writes the twin into a temporary sibling directory and renames it into place, so an
interrupted generation never leaves a half twin behind.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from common.atomic import atomic_write_text
from common.errors import ConfigError
from common.synth import emodb, enterface, iemocap, musan, recola

WRITERS = {"iemocap": iemocap.write, "emodb": emodb.write, "enterface": enterface.write,
           "recola": recola.write, "musan": musan.write}
SIZES = ("smoke", "small")
VERSION = 1  # bump when the generated data change, so cached twins are regenerated
MARKER = ".sereprod-synth.json"


def generate(corpus: str, out_dir: str | os.PathLike, seed: int = 0, size: str = "smoke") -> Path:
    """Write the synthetic twin of ``corpus`` with ``out_dir`` as its corpus root; return that root.

    ``out_dir`` must not exist or be empty.
    """
    if corpus not in WRITERS:
        raise ConfigError(f"unknown corpus {corpus!r}; expected one of {sorted(WRITERS)}")
    if size not in SIZES:
        raise ConfigError(f"unknown twin size {size!r}; expected one of {SIZES}")
    out = Path(out_dir).expanduser().resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ConfigError(f"{out} already exists and is not empty; remove it or choose another directory")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.partial-"))
    try:
        rng = np.random.default_rng([seed, sorted(WRITERS).index(corpus)])
        WRITERS[corpus](tmp, rng, size)
        meta = {"corpus": corpus, "seed": seed, "size": size, "version": VERSION}
        atomic_write_text(tmp / MARKER, json.dumps(meta))
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def ensure_twin(corpus: str, out_dir: str | os.PathLike, seed: int = 0, size: str = "smoke") -> Path:
    """The twin at ``out_dir``, generated only if it is missing or from another generator version."""
    out = Path(out_dir).expanduser().resolve()
    try:
        meta = json.loads((out / MARKER).read_text(encoding="utf-8"))
        if meta == {"corpus": corpus, "seed": seed, "size": size, "version": VERSION}:
            return out
    except (OSError, ValueError):
        pass
    if out.exists():
        stale = out.with_name(f".{out.name}.stale-{os.getpid()}")
        os.replace(out, stale)
        shutil.rmtree(stale, ignore_errors=True)
    try:
        return generate(corpus, out, seed=seed, size=size)
    except (ConfigError, OSError):
        if (out / MARKER).is_file():  # another process finished the same twin first
            return out
        raise
