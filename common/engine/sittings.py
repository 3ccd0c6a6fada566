"""A long run in sittings: at most ``--units-per-process`` units per process, then a fresh process goes on.

Under TensorFlow every trained unit leaves native memory behind that neither ``keras.backend.clear_session()`` nor
garbage collection returns (``python -m benchmarks.memory_per_unit``: about 50 MiB per Zhao 2D unit on a CPU, none
under JAX), so a paper profile of hundreds of units in one process grows by gigabytes. The ledger bounds the units
one process computes: :class:`Sittings` observes the units (``common.engine.unit.Observer``) and, before the unit
past the bound, tells the other observers (a rehearsal keeps its timings) and hands the run over: by default the
process replaces itself with a fresh interpreter running the same command (``os.execv``: same process id, terminal
and ``/usr/bin/time``), which reuses the finished units and goes on. Nothing travels back through the paper's code.
A rehearsal counts every such process as a sitting. Each search of the profile is a sitting of its own: a process
that trained a search's trials hands over before the next search or the protocol starts (keras-tuner resumes a
search from its saved trials).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from common.engine.unit import Observer

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


#: what ends a sitting: called with the reason, it never returns (default :func:`continue_in_fresh_process`)
HandOver = Callable[[str], NoReturn]


class Sittings(Observer):
    """Hands the run over before this process computes more than ``limit`` outermost units (0: no bound)."""

    def __init__(self, limit: int, others: Sequence[Observer] = (),
                 hand_over: HandOver = continue_in_fresh_process) -> None:
        self.limit = limit
        self.others = tuple(others)
        self.hand_over = hand_over
        self.computed = 0  # outermost units this process started

    def starting(self, key: tuple) -> None:
        if self.limit and self.computed >= self.limit:
            self.end(f"this process computed {self.computed} units (--units-per-process {self.limit})")
        self.computed += 1

    def end(self, reason: str) -> NoReturn:
        """The other observers close this sitting, then a fresh process takes the run over."""
        for observer in self.others:
            observer.handing_over()
        self.hand_over(reason)
