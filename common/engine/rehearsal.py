"""``--rehearse``: every unit of a profile at full input shapes for a bounded number of steps, timed.

The rehearsal observes every unit (``common.engine.unit.Observer``): a unit's ``fit.schedule(epochs,
steps_per_epoch)`` returns ``fit`` keyword arguments that cut each unit to ``STEPS`` steps of ``EPOCHS`` epochs and a
callback that times the steps and the rest of each epoch (its full validation and the paper's epoch-end callbacks);
the time from the end of a unit's training to the start of the next unit's is the unit's work outside training (its
full evaluation, table and file writing, and the next unit's set-up). The first step and the rest of the first epoch
carry one-time tracing and compilation (of the training and of the evaluation function): a real run pays them once
per unit, so the projection counts the first epoch's rest once and the later epochs' for every other epoch, and
leaves the first step out of the seconds per step. A search runs its first trial only, standing for all of its
planned trials (``repeats``). The engine then writes ``rehearsal.md``: every unit with its planned epochs and steps,
seconds per step, the projected wall time of the real run (repeats x (planned epochs x steps x seconds per step +
the first epoch's rest + (planned epochs - 1) x a later epoch's rest + time outside training): an upper bound, early
stopping only shortens it), the peak host memory of the rehearsal with its child processes (and of the
accelerator, where the backend computes on one; ``common.engine.memory``), and the disk its feature-cache entries
take. A unit of the run's ledger that trains no Keras model (an SVM, a feature pass) is timed whole,
as a unit of its own with no epochs: the real run pays the same.

A paper whose prediction passes are too large to run whole in every unit of a rehearsal (tens of thousands of
items per pass, hundreds of passes) may sample them (:mod:`common.engine.passes`, ``Fit.pass_sample``):
:meth:`Rehearsal.left_out` adds the projected seconds of the batches left out to the unit's epoch (while training)
or to its time outside training; the page shows them in a column of their own. ``--whole-passes``
(``Rehearsal.pass_sample = None``) runs every pass whole.

A rehearsal resumes like a run: the engine keeps its timings beside the ledger of finished units
(``rehearsal-state.json``, saved whenever a unit's training ends and before each new unit), so a rehearsal stopped
part-way and started again with the same code and flags skips the units it finished and keeps their figures; its
wall time and peak memory then cover every sitting. A run in sittings (``--units-per-process``,
:mod:`common.engine.sittings`) hands over the same way; the time from one sitting's end to the next one's first unit
(a fresh interpreter, the corpus opened and its features read again) is measured and added to the projection, since
the real run has the same sittings (a stop and a manual restart is not counted).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import keras
import numpy as np

from common.atomic import atomic_write_text
from common.cache import entries_used
from common.engine.memory import SAMPLE_SECONDS, peak_device_gib, peak_rss_gib, resident_gib, sample_process_tree
from common.engine.passes import PREDICT_SAMPLE
from common.engine.sittings import sitting
from common.engine.unit import FitArguments, Observer

#: steps per epoch and epochs a rehearsed unit trains for
STEPS = 3
EPOCHS = 2  # the second shows an epoch's rest without the first one's tracing and compilation
#: the rehearsal's own record of its units, kept in the ledger folder of the run configuration
STATE_FILE = "rehearsal-state.json"


def _rounded(value: float, digits: int) -> float | None:
    """A summary figure for ``rehearsal.json``: None (JSON null) where it was not measured (NaN)."""
    return round(value, digits) if np.isfinite(value) else None


@dataclass
class UnitTiming:
    """One rehearsed unit: what the real run would do and what the rehearsal measured."""

    unit: str
    planned_epochs: int
    planned_steps: int
    repeats: int = 1
    step_seconds: list[float] = field(default_factory=list)
    epoch_overheads: list[float] = field(default_factory=list)
    peak_rss_gib: float = float("nan")  # the process's peak so far when the unit's training ended
    peak_device_gib: float = float("nan")  # the accelerator's peak so far then (NaN: no accelerator)
    train_end: float = float("nan")  # perf_counter when its training ended
    outside_seconds: float = 0.0  # from the end of its training to the start of the next unit's (or the report)
    resident_gib: float = float("nan")  # the run's resident memory then: what the unit left behind
    #: projected seconds of the batches sampled prediction passes left out (counted in the figures above)
    unrun_seconds: float = 0.0
    training: bool = False  # between the start and the end of its training
    epoch_unrun: float = 0.0  # projected seconds left out in the epoch under way, not yet in ``epoch_overheads``

    @property
    def seconds_per_step(self) -> float:
        """Median of the timed steps, the first (tracing) left out when there are more."""
        steps = self.step_seconds[1:] if len(self.step_seconds) > 1 else self.step_seconds
        return float(np.median(steps)) if steps else float("nan")

    @property
    def first_epoch_overhead(self) -> float:
        """Seconds of the first epoch outside its training steps (its validation and epoch-end callbacks, with the
        evaluation function's one-time tracing)."""
        return self.epoch_overheads[0] if self.epoch_overheads else 0.0

    @property
    def epoch_overhead(self) -> float:
        """Seconds of a later epoch outside its training steps, median (the first's when there was one epoch)."""
        later = self.epoch_overheads[1:] or self.epoch_overheads
        return float(np.median(later)) if later else 0.0

    @property
    def projected_hours(self) -> float:
        steps = self.planned_epochs * self.planned_steps * self.seconds_per_step if self.planned_epochs else 0.0
        rest = self.first_epoch_overhead + max(0, self.planned_epochs - 1) * self.epoch_overhead
        return self.repeats * (steps + rest + self.outside_seconds) / 3600

    def add_unrun(self, seconds: float) -> None:
        """Projected seconds of prediction left out: in the current epoch's rest while training, else in the time
        outside training."""
        self.unrun_seconds += seconds
        if self.training:
            self.epoch_unrun += seconds
        else:
            self.outside_seconds += seconds

    def close(self, now: float) -> None:
        """Count the time since its training ended as the unit's work outside training, and the resident memory
        the run holds now (the unit's evaluation done, the next one not begun)."""
        if np.isfinite(self.train_end):
            self.outside_seconds += max(0.0, now - self.train_end)
            self.train_end = float("nan")
            self.resident_gib = resident_gib()


class StepTimer(keras.callbacks.Callback):
    """Seconds of every training batch, and of the rest of each epoch, appended to a :class:`UnitTiming`."""

    def __init__(self, timing: UnitTiming, on_end: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.timing = timing
        self.on_end = on_end
        self._start = 0.0
        self._epoch = 0.0
        self._steps = 0.0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.timing.training = True

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch, self._steps = time.perf_counter(), 0.0

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        seconds = time.perf_counter() - self._start
        self.timing.step_seconds.append(seconds)
        self._steps += seconds

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        rest = max(0.0, time.perf_counter() - self._epoch - self._steps) + self.timing.epoch_unrun
        self.timing.epoch_overheads.append(rest)
        self.timing.epoch_unrun = 0.0

    def on_train_end(self, logs: dict | None = None) -> None:
        self.timing.training = False
        self.timing.peak_rss_gib = peak_rss_gib()
        self.timing.peak_device_gib = peak_device_gib()
        self.timing.train_end = time.perf_counter()
        if self.on_end is not None:
            self.on_end()


@dataclass
class Rehearsal(Observer):
    """Timings of every unit a rehearsal ran, and the report: an observer of the run's units."""

    units: dict[str, UnitTiming] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    prepare_seconds: float = float("nan")
    repeats: int = 1  # set while a search's first trial stands for all its planned trials
    #: batches a sampled prediction pass runs (:func:`sample_batches`); None: every pass runs whole (``--whole-passes``)
    pass_sample: int | None = PREDICT_SAMPLE
    #: called with this rehearsal before each new unit starts (the engine writes the report so far, so a
    #: rehearsal stopped part-way still leaves every finished unit's figures)
    checkpoint: Callable[[Rehearsal], None] | None = None
    current: UnitTiming | None = None  # the unit trained last
    #: where the timings are kept for a resumed sitting (None: not kept)
    state_path: Path | None = None
    #: earlier sittings of a resumed rehearsal: their wall seconds, peak RSS and commits
    earlier_seconds: float = 0.0
    earlier_peak_gib: float = 0.0
    commits: list[str] = field(default_factory=list)
    sittings: int = 1
    #: feature-cache entries earlier sittings read or wrote, and their bytes on disk
    earlier_cache: dict[str, int] = field(default_factory=dict)
    #: seconds between sittings handed over by the engine (``end_sitting`` to the next sitting's first unit)
    handover_seconds: float = 0.0
    handed_over_at: float | None = None  # time.time() of the last hand-over, until the next sitting's first unit
    _this_sitting: set[str] = field(default_factory=set)
    _last_fit: float = float("-inf")  # perf_counter of the last budget call
    _depth: int = 0  # ledger units being computed (one may compute another)

    def __post_init__(self) -> None:
        sample_process_tree()

    @classmethod
    def resume(cls, state_path: Path, commit: str,
               checkpoint: Callable[[Rehearsal], None] | None = None) -> Rehearsal | None:
        """The rehearsal an earlier, unfinished sitting left at ``state_path`` (None if there is none)."""
        try:
            state = json.loads(state_path.read_text())
        except (OSError, ValueError):
            return None
        if state.get("complete", True):
            return None
        units = {u["unit"]: UnitTiming(**{**u, "train_end": float("nan"), "training": False, "epoch_unrun": 0.0})
                 for u in state["units"]}
        handed_over = state.get("handed_over_at") if sitting() > 1 else None  # not a stop and a manual restart
        return cls(units=units, prepare_seconds=state["prepare_s"], checkpoint=checkpoint, state_path=state_path,
                   earlier_seconds=state["wall_s"], earlier_peak_gib=state["peak_rss_gib"],
                   commits=list(dict.fromkeys([*state["commits"], commit])), sittings=state["sittings"] + 1,
                   earlier_cache=state.get("cache_entries", {}), handover_seconds=state.get("handover_s", 0.0),
                   handed_over_at=handed_over)

    def _first_unit_of_sitting(self) -> None:
        """Close the hand-over that started this sitting, if the engine handed over to it."""
        if not self._this_sitting and self.handed_over_at is not None:
            self.handover_seconds += max(0.0, time.time() - self.handed_over_at)
            self.handed_over_at = None

    def fit(self, unit: tuple, epochs: int, steps_per_epoch: int) -> FitArguments:
        """A training of ``unit`` cut to a few timed steps; ``steps_per_epoch`` is what the real run takes."""
        self._last_fit = time.perf_counter()
        self._first_unit_of_sitting()
        name = "/".join(map(str, unit))
        if name not in self._this_sitting:  # a new unit; one timed in an earlier sitting and redone is replaced
            if self.current is not None:
                self.current.close(time.perf_counter())
                if self.checkpoint is not None:
                    self.checkpoint(self)
                self.save(complete=False)
            self._this_sitting.add(name)
            self.units[name] = UnitTiming(name, int(epochs), int(steps_per_epoch), self.repeats)
        timing = self.current = self.units[name]
        return ({"epochs": min(int(epochs), EPOCHS), "steps_per_epoch": min(int(steps_per_epoch), STEPS)},
                [StepTimer(timing, on_end=lambda: self.save(complete=False))])

    @contextmanager
    def around(self, key: tuple) -> Iterator[None]:
        """Around one unit's computing: an outermost unit that trained no Keras
        model becomes a timed unit of its own; every finished unit's state is saved, so a resumed sitting keeps it."""
        started = time.perf_counter()
        self._first_unit_of_sitting()
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
        if self._depth:
            return
        if self._last_fit < started:  # trained nothing: the whole unit is what the real run pays
            now = time.perf_counter()
            if self.current is not None:
                self.current.close(started)
            name = "/".join(map(str, key))
            timing = self.current = UnitTiming(name, 0, 0, self.repeats, outside_seconds=now - started,
                                               peak_rss_gib=peak_rss_gib(), peak_device_gib=peak_device_gib(),
                                               train_end=now)
            self.units[name] = timing
            self._this_sitting.add(name)
            if self.checkpoint is not None:
                self.checkpoint(self)
        self.save(complete=False)

    def left_out(self, seconds: float) -> None:
        """Count ``seconds`` of prediction a sampled pass left out (:func:`unrun_seconds`) for the current unit."""
        if self.current is not None:
            self.current.add_unrun(seconds)

    def handing_over(self) -> None:
        """Before a fresh process takes over (``common.engine.sittings``): the last unit's time outside training
        ends here, and the timings are kept for the next sitting."""
        if self.current is not None:
            self.current.close(time.perf_counter())
        self.handed_over_at = time.time()
        if self.checkpoint is not None:
            self.checkpoint(self)
        self.save(complete=False)

    @property
    def wall_seconds(self) -> float:
        return self.earlier_seconds + time.monotonic() - self.started

    @property
    def peak_gib(self) -> float:
        return max(self.earlier_peak_gib, peak_rss_gib())

    @property
    def cache_entries(self) -> dict[str, int]:
        """The feature-cache entries of every sitting and their bytes on disk."""
        return {**self.earlier_cache, **entries_used()}

    @property
    def peak_device_gib(self) -> float:
        """The accelerator's peak over the units (NaN where none was used)."""
        peaks = [t.peak_device_gib for t in self.units.values() if np.isfinite(t.peak_device_gib)]
        return max(peaks) if peaks else float("nan")

    def save(self, complete: bool) -> None:
        """Keep the timings at ``state_path`` (a later sitting resumes from them unless ``complete``)."""
        if self.state_path is None:
            return
        state = {"complete": complete, "units": [asdict(t) for t in self.units.values()],
                 "prepare_s": self.prepare_seconds, "wall_s": self.wall_seconds, "peak_rss_gib": self.peak_gib,
                 "commits": self.commits, "sittings": self.sittings, "cache_entries": self.cache_entries,
                 "handover_s": self.handover_seconds, "handed_over_at": self.handed_over_at}
        atomic_write_text(self.state_path, json.dumps(state))

    def summary(self, corpus: str, ctx: Any, complete: bool = True) -> dict[str, Any]:
        """What ``rehearsal.json`` holds (and ``benchmarks/`` reads for its projection table); ``ctx`` is the run's
        :class:`common.results.RunContext` (paper, profile, data, hardware, backend, commit)."""
        rows = list(self.units.values())
        return {"paper": ctx.paper, "corpus": corpus, "profile": ctx.profile.removesuffix("-rehearsal"),
                "data": ctx.data, "hardware": ctx.hardware, "backend": ctx.backend, "commit": ctx.commit,
                "complete": complete, "units": len(rows), "wall_s": round(self.wall_seconds, 1),
                "sittings": self.sittings, "commits": self.commits or [ctx.commit],
                "prepare_s": _rounded(self.prepare_seconds, 1), "peak_rss_gib": round(self.peak_gib, 3),
                "peak_device_gib": _rounded(self.peak_device_gib, 3),  # null: no accelerator
                "feature_cache_gb": round(sum(self.cache_entries.values()) / 1e9, 3),
                "feature_cache_entries": len(self.cache_entries),
                "handover_s": round(self.handover_seconds, 1),
                "unrun_s": round(sum(t.unrun_seconds for t in rows), 1),
                "projected_hours": round(sum(t.projected_hours for t in rows if np.isfinite(t.projected_hours))
                                         + self.handover_seconds / 3600, 6)}

    def report(self, corpus: str, ctx: Any, folder: Path, name: Callable[[str], str], complete: bool = True) -> Path:
        """Write the page (``name(".md")``), one row per unit (``name(".csv")``) and the summary (``name(".json")``);
        ``complete=False`` marks a report written while units are still to come."""
        if complete and self.current is not None:
            self.current.close(time.perf_counter())
        if complete:
            self.save(complete=True)
        rows = sorted(self.units.values(), key=lambda t: t.unit)
        info = self.summary(corpus, ctx, complete)
        total, profile = info["projected_hours"], info["profile"]
        lines = [f"# {ctx.paper} on {corpus}: rehearsal of the {profile} profile", "",
                 f"Hardware: {ctx.hardware}; backend {ctx.backend}; data {ctx.data}; commit {ctx.commit}. Every unit "
                 f"ran {EPOCHS} epoch(s) of at most {STEPS} steps at full input shapes, then its "
                 + ("full evaluation and table writing." if not info["unrun_s"] else
                    "evaluation and table writing. Prediction passes too large to run whole in every unit ran at "
                    f"most {self.pass_sample} of their batches (the costliest, which is the pass's memory peak, "
                    "and ones spread over the pass); the time of the batches left out is projected from the "
                    "measured seconds per unit of batch cost and counted in the figures (column 'projected s not "
                    "run', already included in the columns before it; --whole-passes runs them all)."), "",
                 *([] if complete else [f"**Incomplete: the rehearsal had finished {len(rows)} units when this was "
                                        "written (stopped or still running); the projection covers those units "
                                        "only.**", ""]),
                 f"- units: {len(rows)}",
                 f"- rehearsal wall time: {info['wall_s']:.0f} s (corpus reading and feature extraction: "
                 + ("not measured)" if info["prepare_s"] is None else f"{info['prepare_s']:.0f} s)"),
                 *([] if self.sittings == 1 else [
                     f"- sittings: {self.sittings} (processes that ran it in turn, each resuming from the finished "
                     "units: a fresh one every --units-per-process units or after a search, or a stop and a "
                     f"restart; wall time and peak memory cover them all; commits {', '.join(info['commits'])}, "
                     "same code)"]),
                 *([] if not self.handover_seconds else [
                     f"- handing over between sittings: {info['handover_s']:.0f} s in all (a fresh interpreter, the "
                     "corpus opened and its features read again; in the projection, since the real run has the same "
                     "sittings)"]),
                 f"- peak host memory (RSS of the run and its child processes together, sampled every "
                 f"{SAMPLE_SECONDS:g} s): {info['peak_rss_gib']:.2f} GiB",
                 *([] if info["peak_device_gib"] is None else [
                     "- peak accelerator memory (in use, from the backend's allocator): "
                     f"{info['peak_device_gib']:.2f} GiB"]),
                 *([] if not info["unrun_s"] else [
                     f"- prediction batches sampled passes left out: {info['unrun_s']:.0f} s projected in all"]),
                 f"- feature cache on disk: {info['feature_cache_gb']:.2f} GB ({info['feature_cache_entries']} "
                 "entries read or written under the cache folder; the real run uses the same ones)",
                 f"- projected wall time of the real {profile} profile on this hardware: {total:.1f} h "
                 "(repeats x (planned epochs x steps per epoch x measured seconds per step + the first epoch's "
                 "measured validation and callbacks, tracing included + (planned epochs - 1) x a later epoch's + the "
                 "unit's measured time outside training), summed over units, plus the hand-overs between sittings; "
                 "early stopping only shortens it; "
                 "corpus reading and feature extraction before the first unit not included)", "",
                 "Time outside training: from the end of a unit's training to the start of the next unit's (its "
                 f"{'' if info['unrun_s'] else 'full '}evaluation, table and file writing, and the next unit's "
                 "set-up, feature work included). Peak "
                 "RSS: the process's peak so far when the unit's training ended. Resident after: the run's resident "
                 "memory (with its child processes) when the unit was done; rising from unit to unit within a sitting, "
                 "it is memory the units leave behind.", "",
                 "| unit | repeats | planned epochs | steps / epoch | s / step | other s, first epoch "
                 "| other s / later epoch | s outside training | projected s not run | projected h | peak RSS GiB "
                 "| resident GiB after |",
                 "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {t.unit} | {t.repeats} | {t.planned_epochs} | {t.planned_steps} | {t.seconds_per_step:.3f} | "
                  f"{t.first_epoch_overhead:.2f} | {t.epoch_overhead:.2f} | {t.outside_seconds:.1f} | "
                  f"{t.unrun_seconds:.1f} | {t.projected_hours:.2f} | "
                  f"{t.peak_rss_gib:.2f} | {t.resident_gib:.2f} |" for t in rows]
        atomic_write_text(folder / name(".md"), "\n".join(lines) + "\n")
        csv = ["unit,repeats,planned_epochs,steps_per_epoch,seconds_per_step,first_epoch_overhead_s,epoch_overhead_s,"
               "outside_training_s,unrun_s,"
               "projected_hours,peak_rss_gib,peak_device_gib,resident_gib"]
        csv += [f"{t.unit},{t.repeats},{t.planned_epochs},{t.planned_steps},{t.seconds_per_step:.6g},"
                f"{t.first_epoch_overhead:.6g},{t.epoch_overhead:.6g},{t.outside_seconds:.6g},{t.unrun_seconds:.6g},"
                f"{t.projected_hours:.6g},{t.peak_rss_gib:.4g},"
                f"{t.peak_device_gib:.4g},{t.resident_gib:.4g}"
                for t in rows]
        atomic_write_text(folder / name(".csv"), "\n".join(csv) + "\n")
        atomic_write_text(folder / name(".json"), json.dumps(info, indent=1, allow_nan=False))
        return folder / name(".md")
