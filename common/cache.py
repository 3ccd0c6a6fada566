"""On-disk feature cache (API.md, common.cache).

An entry is keyed by a fingerprint of the corpus file list (resolved paths, sizes, mtimes), a hash of
the feature configuration, the fingerprint of the code that computes it (``common.identity``: the module defining
``compute`` and every in-repository module it imports, normalised so comments and docstrings do not count) and
the versions of the feature libraries, so a changed configuration, corpus, feature code or library misses it.
Entries are written atomically (``<key>.npz`` then ``<key>.json`` holding its SHA-256); an entry whose checksum
or content does not verify is reported with a ``CorruptCacheWarning`` and recomputed.

Entries hold plain arrays only (numbers, fixed-width strings; ragged data as flat values + offsets) and are
read with ``allow_pickle=False``: a cache directory shared by a team, or set by ``$SEREPROD_CACHE``, can hand
back wrong numbers at worst, never run code. An entry that needs unpickling is refused as corrupt.

Frames of a long list of items that would not fit in memory at once (a noisy set of tens of thousands of
copies) go to a :class:`FrameStore` instead: one raw float32 file read memory-mapped, with its offsets, written
item by item as they are computed (``<key>.f32``, ``<key>.offsets.npy``, then ``<key>.json`` last).

Processes sharing a cache compute an entry under its lock (``common.locks``): one computes it, the others wait
and read it. Temporaries and lock files of killed runs are removed when a
cache opens.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from common.atomic import atomic_path, atomic_write_text, remove_stale_temporaries
from common.corpora import cache_dir
from common.errors import FeatureError
from common.identity import FEATURE_LIBRARIES, config_hash, function_code_fingerprint, versions
from common.locks import exclusive, remove_stale_locks

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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


#: items computed per chunk while a frame store is written (bounds the memory the writer holds).
FRAME_CHUNK = 256


class FrameStore:
    """Per-item float32 frames ``(T_i, M)`` of ``len(offsets) - 1`` items, memory-mapped: item ``i`` is
    ``values[offsets[i]:offsets[i + 1]]``. Reading an item touches its pages only."""

    def __init__(self, values: np.ndarray, offsets: np.ndarray, rows: np.ndarray | None = None) -> None:
        self.values, self.offsets = values, offsets
        self.rows = rows  # the stored items this store shows, in its order (None: every one)

    def __len__(self) -> int:
        return len(self.offsets) - 1 if self.rows is None else len(self.rows)

    def __getitem__(self, i: int) -> np.ndarray:
        j = i if self.rows is None else int(self.rows[i])
        return self.values[self.offsets[j]:self.offsets[j + 1]]

    def take(self, positions: np.ndarray) -> FrameStore:
        """Items ``positions`` of this store, in that order, without a copy."""
        rows = np.arange(len(self)) if self.rows is None else self.rows
        return FrameStore(self.values, self.offsets, rows[np.asarray(positions, dtype=np.int64)])

    @property
    def nbytes(self) -> int:
        return int(self.values.nbytes)


class FeatureCache:
    """``get_or_compute`` returns cached arrays for the same corpus files and configuration."""

    def __init__(self, root: str | os.PathLike | None = None) -> None:
        self.root = Path(root) if root is not None else cache_dir() / "features"
        if self.root.is_dir():
            remove_stale_temporaries(self.root)
            remove_stale_locks(self.root)

    def key(self, config: Mapping, files: Iterable[str | os.PathLike], compute: Callable[..., Any]) -> str:
        """Hash of the configuration, the files, the code of ``compute`` and the feature libraries' versions."""
        return config_hash({"config": config, "files": fingerprint(files), "code": function_code_fingerprint(compute),
                            "libraries": versions(FEATURE_LIBRARIES)}, 32)

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
        return _corrupt(f"feature cache entry {npz}", why)

    def get_or_compute(self, name: str, config: Mapping, files: list, compute: Callable[[], dict[str, np.ndarray]]
                       ) -> dict[str, np.ndarray]:
        """Arrays of ``compute()`` for this ``name``/``config``/``files``, from disk when already computed."""
        key = self.key(config, files, compute)
        folder = self.root / name
        npz, meta = folder / f"{key}.npz", folder / f"{key}.json"
        cached = self._load(npz, meta)
        if cached is None:
            folder.mkdir(parents=True, exist_ok=True)
            with exclusive(meta, f"feature cache entry {name}/{key}"):
                cached = self._load(npz, meta)  # written by another process while this one waited
                if cached is None:
                    return self._store(name, config, files, compute, npz, meta)
        log.info("feature cache hit: %s/%s", name, key)
        _note_use(meta, npz)
        return cached

    def _store(self, name: str, config: Mapping, files: list, compute: Callable[[], dict[str, np.ndarray]],
               npz: Path, meta: Path) -> dict[str, np.ndarray]:
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
        _note_use(meta, npz)
        log.info("feature cache stored: %s/%s", name, npz.stem)
        return arrays

    def frames(self, name: str, config: Mapping, files: list, items: Sequence[Any],
               compute: Callable[[Any], np.ndarray], workers: int | None = None) -> FrameStore:
        """A :class:`FrameStore` of ``compute(item)`` (float32 ``(T_i, M)``, the same ``M`` for all) for every
        item, from disk when already computed. ``config`` must identify the items (hash their list into it).
        Items are computed in ``workers`` threads (default: one per core), in order, and streamed to disk."""
        key = self.key(config, files, compute)
        folder = self.root / name
        raw, offsets_path, meta = folder / f"{key}.f32", folder / f"{key}.offsets.npy", folder / f"{key}.json"
        cached = self._open_frames(raw, offsets_path, meta, len(items))
        if cached is None:
            folder.mkdir(parents=True, exist_ok=True)
            with exclusive(meta, f"frame cache entry {name}/{key}"):
                cached = self._open_frames(raw, offsets_path, meta, len(items))
                if cached is None:
                    return self._store_frames(name, config, files, items, compute, workers, raw, offsets_path, meta)
        log.info("frame cache hit: %s/%s (%.2f GB)", name, key, cached.nbytes / 1e9)
        _note_use(meta, raw, offsets_path)
        return cached

    def _store_frames(self, name: str, config: Mapping, files: list, items: Sequence[Any],
                      compute: Callable[[Any], np.ndarray], workers: int | None, raw: Path, offsets_path: Path,
                      meta: Path) -> FrameStore:
        lengths, h, n_bands = [], hashlib.sha256(), None
        with atomic_path(raw) as tmp, open(tmp, "wb") as f, ThreadPoolExecutor(workers or os.cpu_count()) as pool:
            for lo in range(0, len(items), FRAME_CHUNK):
                chunk = items[lo:lo + FRAME_CHUNK]
                for i, x in enumerate(pool.map(compute, chunk), start=lo):
                    x = np.ascontiguousarray(x, dtype=np.float32)
                    if x.ndim != 2 or (n_bands is not None and x.shape[1] != n_bands):
                        raise FeatureError(f"frame cache {name}: item {i} ({items[i]!r}) has frames of shape "
                                           f"{x.shape}; expected (T, {n_bands or 'M'}) like the items before it")
                    n_bands = x.shape[1]
                    data = x.tobytes()
                    f.write(data)
                    h.update(data)
                    lengths.append(x.shape[0])
            f.flush()
            os.fsync(f.fileno())
        n_bands = int(n_bands or 0)  # 0 for an empty list of items
        offsets = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
        with atomic_path(offsets_path) as tmp:
            np.save(tmp, offsets)
        info = {"name": name, "config": json.loads(json.dumps(config, sort_keys=True, default=str)),
                "n_files": len(files), "n_items": len(items), "n_bands": n_bands,
                "n_frames": int(offsets[-1]), "sha256": h.hexdigest(), "offsets_sha256": _sha256(offsets_path)}
        atomic_write_text(meta, json.dumps(info, indent=1))
        _VERIFIED[_identity(raw)] = info["sha256"]  # written here: no need to read it back to verify it
        _note_use(meta, raw, offsets_path)
        store = self._map(raw, offsets, n_bands)
        log.info("frame cache stored: %s/%s (%.2f GB)", name, raw.stem, store.nbytes / 1e9)
        return store

    @staticmethod
    def _map(raw: Path, offsets: np.ndarray, n_bands: int) -> FrameStore:
        if offsets[-1] == 0:
            return FrameStore(np.zeros((0, n_bands), np.float32), offsets)
        return FrameStore(np.memmap(raw, dtype=np.float32, mode="r", shape=(int(offsets[-1]), n_bands)), offsets)

    def _open_frames(self, raw: Path, offsets_path: Path, meta: Path, n_items: int) -> FrameStore | None:
        if not meta.exists():
            return None
        why = ""
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            if info.get("offsets_sha256") != _sha256(offsets_path) or info.get("sha256") != _verified_sha256(raw):
                why = "checksum mismatch"
            else:
                offsets = np.load(offsets_path, allow_pickle=False)
                if len(offsets) != n_items + 1 or int(offsets[-1]) != info.get("n_frames"):
                    why = f"{len(offsets) - 1} items indexed, {n_items} expected"
                else:
                    return self._map(raw, offsets, int(info["n_bands"]))
        except (OSError, ValueError, KeyError, EOFError) as e:
            why = f"{type(e).__name__}: {e}"
        return _corrupt(f"frame cache entry {raw}", why)


def _corrupt(entry: str, why: str) -> None:
    """Report an entry that failed verification (it is recomputed)."""
    msg = f"{entry} is corrupt ({why}); recomputing"
    log.warning(msg)
    warnings.warn(msg, CorruptCacheWarning, stacklevel=4)


_VERIFIED: dict[tuple[str, int, int], str] = {}

#: the entries this process read or wrote: the entry's index file -> bytes of all its files on disk
_USED: dict[str, int] = {}


def _note_use(index: Path, *data: Path) -> None:
    _USED[str(index.resolve())] = sum(p.stat().st_size for p in (index, *data))


def entries_used() -> dict[str, int]:
    """Every cache entry this process read or wrote (its index file) and its size on disk, bytes."""
    return dict(_USED)


def _identity(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return str(path.resolve()), st.st_size, st.st_mtime_ns


def _verified_sha256(path: Path) -> str:
    """SHA-256 of a large file, computed once per process for its (path, size, mtime)."""
    key = _identity(path)
    if key not in _VERIFIED:
        _VERIFIED[key] = _sha256(path)
    return _VERIFIED[key]
