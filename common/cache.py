"""On-disk feature cache (API.md, common.cache).

An entry is keyed by a fingerprint of the corpus file list (resolved paths, sizes, mtimes) and a hash of
the feature configuration, so a changed configuration or corpus misses it. Entries are written
atomically (``<key>.npz`` then ``<key>.json`` holding its SHA-256); an entry whose checksum or content
does not verify is reported with a ``CorruptCacheWarning`` and recomputed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np

from common.atomic import atomic_path, atomic_write_text
from common.corpora import cache_dir

log = logging.getLogger("common.cache")


class CorruptCacheWarning(UserWarning):
    """A cache entry failed verification and is being recomputed."""


def fingerprint(files: Iterable[str | os.PathLike]) -> str:
    """SHA-256 over (resolved path, size, mtime_ns) of every file, in the given order."""
    h = hashlib.sha256()
    for f in files:
        p = Path(f).resolve()
        st = p.stat()
        h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def config_hash(config: Mapping) -> str:
    """SHA-256 of the configuration as canonical JSON (keys sorted; non-JSON values via ``str``)."""
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class FeatureCache:
    """``get_or_compute`` returns cached arrays for the same corpus files and configuration."""

    def __init__(self, root: str | os.PathLike | None = None) -> None:
        self.root = Path(root) if root is not None else cache_dir() / "features"

    def key(self, config: Mapping, files: Iterable[str | os.PathLike]) -> str:
        return hashlib.sha256((config_hash(config) + fingerprint(files)).encode()).hexdigest()[:32]

    def _load(self, npz: Path, meta: Path) -> dict[str, np.ndarray] | None:
        if not npz.exists() and not meta.exists():
            return None
        why = ""
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            if info.get("sha256") != _sha256(npz):
                why = "checksum mismatch"
            else:
                with np.load(npz, allow_pickle=True) as z:  # our own file, verified by its checksum
                    arrays = {k: z[k] for k in z.files}
                if sorted(arrays) == sorted(info.get("arrays", [])):
                    return arrays
                why = "array names differ from the index"
        except (OSError, ValueError, KeyError, EOFError) as e:
            why = f"{type(e).__name__}: {e}"
        msg = f"feature cache entry {npz} is corrupt ({why}); recomputing"
        log.warning(msg)
        warnings.warn(msg, CorruptCacheWarning, stacklevel=3)
        return None

    def get_or_compute(self, name: str, config: Mapping, files: list, compute: Callable[[], dict[str, np.ndarray]]
                       ) -> dict[str, np.ndarray]:
        """Arrays of ``compute()`` for this ``name``/``config``/``files``, from disk when already computed."""
        key = self.key(config, files)
        folder = self.root / name
        npz, meta = folder / f"{key}.npz", folder / f"{key}.json"
        cached = self._load(npz, meta)
        if cached is not None:
            log.info("feature cache hit: %s/%s", name, key)
            return cached
        arrays = {k: np.asarray(v) for k, v in compute().items()}
        with atomic_path(npz) as tmp, open(tmp, "wb") as f:
            np.savez(f, **arrays)
        info = {"name": name, "config": json.loads(json.dumps(config, sort_keys=True, default=str)),
                "n_files": len(files), "arrays": sorted(arrays), "sha256": _sha256(npz)}
        atomic_write_text(meta, json.dumps(info, indent=1))
        log.info("feature cache stored: %s/%s", name, key)
        return arrays
