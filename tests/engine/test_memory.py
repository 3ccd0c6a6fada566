"""common.engine.memory: the peak host memory of a run counts its live child processes, not only its own."""

from __future__ import annotations

import subprocess
import sys
import time

import psutil

from common.engine import memory

CHILD_MIB = 300
CHILD = f"import sys, time; b = b'1' * ({CHILD_MIB} << 20); print('ready', flush=True); time.sleep(30)"


def test_a_live_child_process_counts_in_the_peak() -> None:
    memory.sample_process_tree()
    me = psutil.Process()
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        together = memory.tree_rss_bytes(me)
        assert together >= me.memory_info().rss + 0.9 * (CHILD_MIB << 20)
        time.sleep(3 * memory.SAMPLE_SECONDS)  # the sampler has seen the child
        assert memory.peak_rss_gib() * 2**30 >= 0.95 * together
    finally:
        child.kill()
        child.wait()
