"""Atomic file writes: a killed run never leaves a half-written table, cache entry or plot.

A temporary is named ``.<stem>~<host>~<pid>~<random><suffix>`` beside its target, flushed to disk (fsync) and
renamed over the target; the folder is synced after the rename. A run killed mid-write (SIGKILL, power cut)
leaves its temporary behind: :func:`remove_stale_temporaries` removes those of processes that no longer run.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)
_HOST = re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname()) or "host"
#: a temporary written by :func:`atomic_path`: the host and process that write it
_TEMPORARY = re.compile(r"~(?P<host>[A-Za-z0-9.-]+)~(?P<pid>\d+)~[a-z0-9_]{8}")
#: a temporary of another host is stale once this old (its process cannot be asked whether it still runs)
STALE_SECONDS = 24 * 3600


def _process_umask() -> int:
    """The umask this process started with (read once: setting it to read it is not thread-safe)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: a written file gets the mode ``open`` would have given it (0666 less the umask), not ``mkstemp``'s 0600, so a
#: cache or results folder shared by a team stays readable by it
FILE_MODE = 0o666 & ~_process_umask()


def _fsync(path: Path) -> None:
    """Flush ``path`` (a file or a folder) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one rename.

    The temporary file keeps ``path``'s suffix so writers that infer the format from it
    (``np.savez``, ``matplotlib.savefig``, ``soundfile.write``) still work. The file gets :data:`FILE_MODE`.
    ``durable``: fsync the file before the rename and the folder after it, so a power cut leaves either the old
    or the new content (``False`` for bulk files that are cheap to regenerate, such as a synthetic twin's audio).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}~{_HOST}~{os.getpid()}~",
                               suffix=target.suffix)
    os.fchmod(fd, FILE_MODE)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if durable:
            _fsync(tmp_path)
        os.replace(tmp_path, target)
        if durable:
            _fsync(target.parent)
    finally:
        tmp_path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_temporaries(folder: str | os.PathLike) -> list[Path]:
    """Remove, under ``folder``, the temporaries of :func:`atomic_path` left by killed processes (of this host:
    whose process no longer runs; of another host: older than :data:`STALE_SECONDS`). Returns those removed."""
    removed = []
    for parent, _, names in os.walk(folder):
        for name in names:
            match = _TEMPORARY.search(name) if name.startswith(".") else None
            if match is None:
                continue
            path, stale = Path(parent, name), False
            if match["host"] == _HOST:
                stale = not _running(int(match["pid"]))
            else:
                with contextlib.suppress(OSError):
                    stale = time.time() - path.stat().st_mtime > STALE_SECONDS
            if stale:
                path.unlink(missing_ok=True)
                removed.append(path)
    if removed:
        log.info("removed %d temporary files of killed runs under %s", len(removed), folder)
    return removed


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def atomic_savefig(fig, path: str | os.PathLike, **kwargs) -> None:
    """Save a matplotlib figure atomically (papers' plots under ``results/<paper>/``)."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, **kwargs)
