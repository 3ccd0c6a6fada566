"""On-disk feature cache (API.md, common.cache).

An entry is keyed by a fingerprint of the corpus file list (resolved paths, sizes, mtimes) and a hash of
the feature configuration, so a changed configuration or corpus misses it. Entries are written
atomically (``<key>.npz`` then ``<key>.json`` holding its SHA-256); an entry whose checksum or content
does not verify is reported with a ``CorruptCacheWarning`` and recomputed.

Entries hold plain arrays only (numbers, fixed-width strings; ragged data as flat values + offsets) and are
read with ``allow_pickle=False``: a cache directory shared by a team, or set by ``$SEREPROD_CACHE``, can hand
back wrong numbers at worst, never run code. An entry that needs unpickling is refused as corrupt.
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
                with np.load(npz, allow_pickle=False) as z:  # plain arrays only: never unpickle
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
        ragged = sorted(k for k, v in arrays.items() if v.dtype.hasobject)
        if ragged:
            raise TypeError(f"feature cache {name}: arrays {ragged} hold Python objects; store ragged data as "
                            "flat values + offsets and strings as fixed-width arrays")
        with atomic_path(npz) as tmp, open(tmp, "wb") as f:
            np.savez(f, **arrays)
        info = {"name": name, "config": json.loads(json.dumps(config, sort_keys=True, default=str)),
                "n_files": len(files), "arrays": sorted(arrays), "sha256": _sha256(npz)}
        atomic_write_text(meta, json.dumps(info, indent=1))
        log.info("feature cache stored: %s/%s", name, key)
        return arrays
