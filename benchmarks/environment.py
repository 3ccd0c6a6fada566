"""Provenance of a measurement: commit, hardware, package versions, machine load, time."""

from __future__ import annotations

import datetime as dt
import os
import platform
from importlib import metadata

PACKAGES = ("tensorflow-cpu", "tensorflow", "keras", "numpy", "librosa", "kaldi-native-fbank", "opensmile", "jax",
            "jaxlib")


def load_average() -> str:
    """1/5/15-minute load averages, e.g. '0.52/0.80/1.10' ('n/a' where the OS has none)."""
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def versions() -> dict[str, str]:
    """Installed versions of the packages that set the speed (absent ones left out)."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def provenance(device: str, load_at_start: str | None = None) -> dict[str, str]:
    """Stamp for every row of one section: device, commit, load average (at its start -> now), UTC time."""
    from common.provenance import git_commit

    load = f"{load_at_start} -> {load_average()}" if load_at_start else load_average()
    return {"device": device, "commit": git_commit(), "load_avg": load,
            "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")}


def host() -> str:
    """CPU model and core count plus the GPUs TensorFlow sees (common.provenance.hardware)."""
    from common.provenance import hardware

    return hardware()
