"""Run ledger: an interrupted run, started again with the same arguments, skips finished units.

A unit is one (experiment, fold, run) of a paper's protocol. Its payload (metrics, predictions) is
stored atomically as ``<out>/.ledger/<config-hash>/<unit>.npz``; the final tables are computed from
the payloads, so a resumed run produces the same table as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from common.atomic import atomic_path, atomic_write_text

log = logging.getLogger(__name__)

_JSON_KEY = "__json__"
Payload = dict[str, Any]


def config_hash(config: dict[str, Any]) -> str:
    """Stable 12-hex-digit hash of a JSON-able configuration (key order does not matter)."""
    text = json.dumps(config, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:12]


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

    def __init__(self, out_dir: str | Path, config: dict[str, Any]) -> None:
        self.config = config
        self.root = Path(out_dir) / ".ledger" / config_hash(config)
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.root / "config.json", json.dumps(config, sort_keys=True, indent=1, default=str))
        self.computed = 0
        self.reused = 0

    def path(self, key: tuple) -> Path:
        return self.root / f"{_unit_name(key)}.npz"

    def unit(self, key: tuple, compute: Callable[[], Payload]) -> Payload:
        """Return the stored payload of ``key`` if it finished before, else compute and store it.

        A payload maps names to NumPy arrays or JSON-able values. An unreadable entry (a crash while
        the disk was full, say) is recomputed with a warning.
        """
        path = self.path(key)
        if path.exists():
            try:
                payload = _load(path)
            except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as err:
                log.warning("ledger entry %s is unreadable (%s); recomputing it", path, err)
            else:
                self.reused += 1
                return payload
        payload = compute()
        _save(path, payload)
        self.computed += 1
        return payload

    def finished(self) -> list[str]:
        """Names of the units already finished under this configuration."""
        return sorted(p.stem for p in self.root.glob("*.npz"))
