"""Inter-process locks for what several runs share (an ``--out`` folder's ledger, the feature cache).

A lock is a ``filelock.FileLock`` beside the entry it guards (removed when released). Two processes reaching the
same entry: the first computes it, the second waits for the lock, then finds the entry written and reads it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)


@contextlib.contextmanager
def exclusive(entry: str | os.PathLike, what: str) -> Iterator[None]:
    """Hold the lock of ``entry`` (the file ``<entry>.lock``), logging when another process holds it first."""
    lock = FileLock(f"{Path(entry)}.lock")
    try:
        lock.acquire(blocking=False)
    except Timeout:
        log.info("waiting for another process that computes %s", what)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
