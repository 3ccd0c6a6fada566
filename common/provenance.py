"""Where a number came from: the commit and the hardware, stamped on every result row."""

from __future__ import annotations

import functools
import os
import platform
import subprocess
from pathlib import Path

from common.paths import REPO_ROOT


@functools.cache
def git_commit() -> str:
    """Short commit hash of the suite, with ``-dirty`` for uncommitted changes to its code and documents (the
    outputs under ``results/`` do not count: a run that writes them must not mark the next one dirty).

    ``$SEREPROD_COMMIT`` wins (Docker images carry no ``.git``); ``unknown`` when neither is available.
    """
    if os.environ.get("SEREPROD_COMMIT"):
        return os.environ["SEREPROD_COMMIT"]
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                             text=True, check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!results"],
                               cwd=REPO_ROOT,
                               capture_output=True, text=True, check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{sha}-dirty" if dirty else sha


def keras_backend() -> str:
    """The Keras 3 backend this process runs on (``tensorflow``, ``jax`` or ``torch``)."""
    import keras

    return keras.backend.backend()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


@functools.cache
def hardware() -> str:
    """``<cpu model> x<cores>`` plus the GPUs the Keras backend sees, e.g. ``... x16 + NVIDIA H100 80GB HBM3``."""
    gpus = []
    if keras_backend() == "jax":
        import jax

        gpus = [d.device_kind for d in jax.devices() if d.platform == "gpu"]
    else:
        import tensorflow as tf

        for gpu in tf.config.list_physical_devices("GPU"):
            details = tf.config.experimental.get_device_details(gpu)
            gpus.append(details.get("device_name", gpu.name))
    cpu = f"{_cpu_model()} x{os.cpu_count()}"
    return " + ".join([cpu, *gpus])
