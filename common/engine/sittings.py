"""A long run in sittings: at most ``--units-per-process`` units per process, then a fresh process goes on.

Under TensorFlow every trained unit leaves native memory behind that neither ``keras.backend.clear_session()`` nor
garbage collection returns (``python -m benchmarks.memory_per_unit``: about 50 MiB per Zhao 2D unit on a CPU, none
under JAX), so a paper profile of hundreds of units in one process grows by gigabytes. The ledger bounds the units
one process computes (:class:`common.training.SittingFull`); ``python reproductions/<paper>/run.py`` then replaces
itself with a fresh interpreter running the same command (``os.execv``: same process id, terminal and
``/usr/bin/time``), which reuses the finished units and goes on. A rehearsal counts every such process as a sitting.
Each search of the profile is a sitting of its own: a process that trained a search's trials hands over before the
next search or the protocol starts (keras-tuner resumes a search from its saved trials).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

log = logging.getLogger("sereprod")

#: units per process in the paper profile under TensorFlow: at the measured 50 MiB per unit, 1 GiB at most
UNITS_PER_PROCESS = 20
#: the environment variable that numbers the sittings after the first (a later sitting resumes, never ``--fresh``)
SITTING_ENV = "SEREPROD_SITTING"


def default_units_per_process(profile: str, backend: str) -> int:
    """``--units-per-process`` when not given: bounded in the paper profile under TensorFlow, else 0 (no bound)."""
    return UNITS_PER_PROCESS if profile == "paper" and backend == "tensorflow" else 0


def sitting() -> int:
    """This process's sitting: 1 unless an earlier process of the same run handed over to it."""
    return int(os.environ.get(SITTING_ENV, "1"))


def continue_in_fresh_process(reason: str) -> NoReturn:
    """Replace this process with a fresh interpreter running the same command line, as the next sitting."""
    following = sitting() + 1
    log.info("%s: continuing in a fresh process (sitting %d), which reuses the finished units", reason, following)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os.environ[SITTING_ENV] = str(following)
    os.execv(sys.executable, sys.orig_argv)
