"""Inter-process locks for what several runs share (an ``--out`` folder's ledger, the feature cache).

A lock is a ``filelock.FileLock`` file beside the entry it guards. Two processes reaching the same entry: the first
computes it, the second waits for the lock, then finds the entry written and reads it. The holder removes the lock
file before it lets go (the entry is written by then, so a process that makes a new lock file finds it too); a
killed holder's lock file is removed by :func:`remove_stale_locks` when the next run opens the folder.
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
        Path(lock.lock_file).unlink(missing_ok=True)
        lock.release()


def remove_stale_locks(folder: str | os.PathLike) -> None:
    """Remove the lock files under ``folder`` that no process holds (left by killed runs)."""
    for path in Path(folder).rglob("*.lock"):
        lock = FileLock(path)
        try:
            lock.acquire(blocking=False)
        except Timeout:
            continue
        try:
            path.unlink(missing_ok=True)
        finally:
            lock.release()
