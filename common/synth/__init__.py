"""Synthetic twins of the five corpora, in exactly the distributed layouts and file formats (API.md).

``generate`` writes the twin into a temporary sibling directory and renames it into place, so an
interrupted generation never leaves a half twin behind.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from common.atomic import atomic_write_text
from common.errors import ConfigError
from common.synth import emodb, enterface, iemocap, musan, recola

log = logging.getLogger(__name__)
WRITERS = {"iemocap": iemocap.write, "emodb": emodb.write, "enterface": enterface.write,
           "recola": recola.write, "musan": musan.write}
SIZES = ("smoke", "small", "full")
VERSION = 2  # bump when the generated data change, so cached twins are regenerated
MODULES = {"iemocap": iemocap, "emodb": emodb, "enterface": enterface, "recola": recola, "musan": musan}
#: the difficulty a twin of each size gets by default (``difficulty`` in [0, 1]: class overlap, speaker
#: variability, channel and noise; see common.synth.voice). Full: calibrated by benchmarks/calibration.py (Zhao's
#: 2D network, well configured: 88.8 % test accuracy at 0.5, too easy; 78.5 % at 0.75, where Keras's batch-norm
#: defaults reach 38 % and a learning rate far too high 31 %, chance 14 %). Smoke and small stay clean so that the
#: short test runs can learn in a few epochs.
DEFAULT_DIFFICULTY = {"smoke": 0.0, "small": 0.0, "full": 0.75}


def audio_rate(corpus: str) -> int:
    """Sample rate of the twin's audio files (RECOLA 44.1 kHz, eNTERFACE 48 kHz, the others 16 kHz)."""
    return getattr(MODULES[corpus], "AUDIO_SR", 16000)


def estimated_bytes(corpus: str, size: str) -> int:
    """Disk size of a twin's audio (16-bit PCM) before it is written."""
    return int(MODULES[corpus].expected_seconds(size) * audio_rate(corpus) * 2)
MARKER = ".sereprod-synth.json"


def generate(corpus: str, out_dir: str | os.PathLike, seed: int = 0, size: str = "smoke",
             difficulty: float | None = None) -> Path:
    """Write the synthetic twin of ``corpus`` with ``out_dir`` as its corpus root; return that root.

    ``out_dir`` must not exist or be empty. ``difficulty`` (default: the size's) makes the classes overlap, the
    speakers vary and the channel degrade (0 = the clean twin).
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
        difficulty = DEFAULT_DIFFICULTY[size] if difficulty is None else float(difficulty)
        if not 0.0 <= difficulty <= 1.0:
            raise ConfigError(f"twin difficulty {difficulty}: expected a number in [0, 1]")
        rng = np.random.default_rng([seed, sorted(WRITERS).index(corpus)])
        WRITERS[corpus](tmp, rng, size, difficulty)
        meta = _meta(corpus, seed, size, difficulty)
        atomic_write_text(tmp / MARKER, json.dumps(meta))
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _meta(corpus: str, seed: int, size: str, difficulty: float) -> dict:
    return {"corpus": corpus, "seed": seed, "size": size, "difficulty": difficulty, "version": VERSION}


def ensure_twin(corpus: str, out_dir: str | os.PathLike, seed: int = 0, size: str = "smoke",
                difficulty: float | None = None) -> Path:
    """The twin at ``out_dir``, generated only if it is missing or from another generator version."""
    out = Path(out_dir).expanduser().resolve()
    difficulty = DEFAULT_DIFFICULTY[size] if difficulty is None else float(difficulty)
    try:
        meta = json.loads((out / MARKER).read_text(encoding="utf-8"))
        if meta == _meta(corpus, seed, size, difficulty):
            return out
    except (OSError, ValueError):
        pass
    if out.exists():
        stale = out.with_name(f".{out.name}.stale-{os.getpid()}")
        os.replace(out, stale)
        shutil.rmtree(stale, ignore_errors=True)
    log.info("generating the %s %s twin (difficulty %g, about %.2f GB of audio) into %s", size, corpus, difficulty,
             estimated_bytes(corpus, size) / 1e9, out)
    try:
        return generate(corpus, out, seed=seed, size=size, difficulty=difficulty)
    except (ConfigError, OSError):
        if (out / MARKER).is_file():  # another process finished the same twin first
            return out
        raise
