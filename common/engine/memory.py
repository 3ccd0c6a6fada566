"""Peak memory of a run: host memory of the process and its child processes together, and the accelerator's.

A run's child processes (openSMILE workers, joblib workers, data-loading processes) hold memory beside the run
itself; what a machine must provide is their sum at its worst moment. ``getrusage`` only gives each process's own
peak (the largest finished child's at best), so :func:`sample_process_tree` starts a thread that sums the resident
memory of the process tree every :data:`SAMPLE_SECONDS` (``psutil``) and keeps the largest sum.
"""

from __future__ import annotations

import resource
import sys
import threading
import time

import keras
import psutil

#: seconds between two samples of the process tree's resident memory
SAMPLE_SECONDS = 0.5

_peak_tree_bytes = 0
_sampler: threading.Thread | None = None


def tree_rss_bytes(process: psutil.Process) -> int:
    """Resident memory of ``process`` and all its descendants now, bytes (a process that ends meanwhile counts 0)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def _sample_forever(interval: float) -> None:
    global _peak_tree_bytes
    me = psutil.Process()
    while True:
        _peak_tree_bytes = max(_peak_tree_bytes, tree_rss_bytes(me))
        time.sleep(interval)


def sample_process_tree(interval: float = SAMPLE_SECONDS) -> None:
    """Start sampling this process tree's resident memory (once per process; a daemon thread)."""
    global _sampler
    if _sampler is None:
        _sampler = threading.Thread(target=_sample_forever, args=(interval,), name="rss-sampler", daemon=True)
        _sampler.start()


def peak_rss_gib() -> float:
    """Peak resident memory of this process and its child processes together, GiB: the largest sampled sum since
    :func:`sample_process_tree` started, and never less than this process's or its largest finished child's own
    peak (``getrusage``), which catch what falls between two samples."""
    scale = 1 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    return max(own, children, _peak_tree_bytes) / 2**30


def resident_gib() -> float:
    """Resident memory of this process and its child processes now, GiB."""
    return tree_rss_bytes(psutil.Process()) / 2**30


def peak_device_gib() -> float:
    """Peak memory in use on the accelerators the Keras backend computes on, GiB, from the backend's own allocator
    (NaN on a CPU-only machine)."""
    backend = keras.backend.backend()
    peaks: list[int] = []
    if backend == "jax":
        import jax

        peaks = [(d.memory_stats() or {}).get("peak_bytes_in_use", 0) for d in jax.local_devices()
                 if d.platform != "cpu"]
    elif backend == "tensorflow":
        import tensorflow as tf

        peaks = [tf.config.experimental.get_memory_info(f"GPU:{i}")["peak"]
                 for i in range(len(tf.config.list_logical_devices("GPU")))]
    elif backend == "torch":
        import torch

        peaks = [torch.cuda.max_memory_allocated(i) for i in range(torch.cuda.device_count())]
    return max(peaks) / 2**30 if peaks else float("nan")
