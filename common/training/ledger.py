"""Run ledger: an interrupted run, started again with the same arguments, skips finished units.

A unit is one (experiment, fold, run) of a paper's protocol. Its payload (metrics, predictions) is
stored atomically as ``<out>/.ledger/<config-hash>/<unit>.npz`` with the commit that computed it; the
final tables are computed from the payloads, so a resumed run produces the same table as an uninterrupted one.

Provenance: the configuration includes the run's identity (``common.identity.run_identity``: corpora and their
fingerprints, profile and overrides, backend, library versions, and a fingerprint of the code the units run that
ignores comments, docstrings and formatting), so after a change of any of them every unit is computed again; a
reused unit is therefore always the output of the same code on the same data, and rows name the commits that
computed their units (``Ledger.touched``).

Processes sharing an ``--out`` share its ledger: a unit is computed under its lock (``common.locks``), so of two
processes reaching it one computes it and the other waits and reads it. Temporaries and lock files left by killed
runs under ``out_dir`` are removed when a ledger opens.

``fresh=True`` recomputes every unit. Papers reach the ledger through the engine's trained unit
(``common.engine.unit``), which also tells the run's observers (cost measurement, sittings) about each unit.
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from common.atomic import atomic_path, atomic_write_text, remove_stale_temporaries
from common.identity import config_hash
from common.locks import exclusive, remove_stale_locks
from common.provenance import git_commit

log = logging.getLogger(__name__)

_JSON_KEY = "__json__"
COMMIT_KEY = "__commit__"
Payload = dict[str, Any]


def _unit_name(key: tuple) -> str:
    parts = [re.sub(r"[^A-Za-z0-9._-]+", "-", str(k)) for k in key]
    return "__".join(parts)


def _save(path: Path, payload: Payload) -> None:
    arrays = {k: v for k, v in payload.items() if isinstance(v, np.ndarray)}
    rest = {k: v for k, v in payload.items() if not isinstance(v, np.ndarray)}
    arrays[_JSON_KEY] = np.array(json.dumps(rest, default=float))
    with atomic_path(path) as tmp:
        np.savez(tmp, **arrays)


def _load(path: Path) -> Payload:
    with np.load(path, allow_pickle=False) as data:
        payload: Payload = json.loads(str(data[_JSON_KEY]))
        payload.update({k: data[k] for k in data.files if k != _JSON_KEY})
    return payload


class Ledger:
    """Finished units of one run configuration, kept under ``<out_dir>/.ledger/<config-hash>/``."""

    def __init__(self, out_dir: str | Path, config: dict[str, Any], fresh: bool = False) -> None:
        self.config = config
        self.fresh = fresh
        remove_stale_temporaries(out_dir)
        remove_stale_locks(out_dir)
        self.root = Path(out_dir) / ".ledger" / config_hash(config)
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.root / "config.json", json.dumps(config, sort_keys=True, indent=1, default=str))
        self.computed = 0
        self.reused = 0
        self.touched: set[str] = set()
        self._this_run: set[Path] = set()

    def path(self, key: tuple) -> Path:
        return self.root / f"{_unit_name(key)}.npz"

    def unit(self, key: tuple, compute: Callable[[], Payload]) -> Payload:
        """Return the stored payload of ``key`` if it finished before, else compute and store it.

        A payload maps names to NumPy arrays or JSON-able values; ``__commit__`` is added (the commit that
        computed it). An unreadable entry (a crash while the disk was full, say) is recomputed with a warning.
        """
        path = self.path(key)
        payload = self._stored(path)
        if payload is not None:
            return payload
        with exclusive(path, f"unit {path.stem} of {self.root}"):
            payload = self._stored(path)  # finished by another process while this one waited
            if payload is not None:
                return payload
            payload = {**compute(), COMMIT_KEY: git_commit()}
            _save(path, payload)
        self._this_run.add(path)
        self.computed += 1
        self.touched.add(payload[COMMIT_KEY])
        return payload

    def _stored(self, path: Path) -> Payload | None:
        """The stored payload at ``path`` if it may be reused (counted as reused), else ``None``."""
        if not path.exists() or (self.fresh and path not in self._this_run):
            return None
        try:
            payload = _load(path)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as err:
            log.warning("ledger entry %s is unreadable (%s); recomputing it", path, err)
            return None
        self.reused += 1
        self.touched.add(str(payload.get(COMMIT_KEY, "unknown")))
        return payload

    def take_touched(self) -> list[str]:
        """Commits of the units used since the last call (sorted), and forget them."""
        out = sorted(self.touched)
        self.touched = set()
        return out

    def finished(self) -> list[str]:
        """Names of the units already finished under this configuration."""
        return sorted(p.stem for p in self.root.glob("*.npz"))
