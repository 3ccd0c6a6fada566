"""The trained unit: the one place that owns a unit's identity, resume, fit schedule and undertraining check.

A paper computes every model (or any other costly piece of its protocol) through ``Session.unit(key, compute)``.
``key`` is the unit's identity in the run's ledger: a finished unit is read back instead of computed again.
``compute(fit)`` gets a :class:`Fit`, the unit's handle on the engine: ``fit.schedule(epochs, steps_per_epoch)``
gives the keyword arguments and callbacks of each Keras ``fit``, and ``fit.pass_sample`` says how many batches a
prediction pass the paper marks as large may run (``None``: all). With ``monitor`` given, the unit's curves
(``curve:<metric>`` arrays of its payload, or ``curve:<training>:<metric>`` for a unit of several trainings) are
checked for a kept model that looks undertrained (:mod:`common.training.curves`).

Whatever measures a run's cost (time, memory, sittings) is an :class:`Observer` of the units: it sees each unit
start and end, may shorten a fit and add callbacks, and stays outside the paper's control flow.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

Payload = dict[str, Any]
FitArguments = tuple[dict[str, Any], list]
#: the validation metric a unit's kept model was chosen on, or a function of a training's name that gives it
Monitor = str | Callable[[str], str]


class Observer:
    """Hooks around the units of a run (every hook does nothing here; cost measurement overrides some).

    ``starting(key)`` runs before an outermost unit is computed (not before a reused one); ``around(key)`` wraps
    the computing and storing of every computed unit; ``fit(key, epochs, steps_per_epoch)`` may replace a fit's
    arguments and add callbacks (``None``: leave them); ``callbacks(key, part)`` adds callbacks to every fit;
    ``finished(key, payload, computed)`` sees every stored unit's payload (computed or reused); ``pass_sample``
    bounds the batches of a large prediction pass; ``left_out(seconds)`` receives the projected seconds of the
    batches a sampled pass did not run.
    """

    pass_sample: int | None = None

    def starting(self, key: tuple) -> None:
        return None

    def around(self, key: tuple) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def fit(self, key: tuple, epochs: int, steps_per_epoch: int) -> FitArguments | None:
        return None

    def left_out(self, seconds: float) -> None:
        return None

    def callbacks(self, key: tuple, part: tuple) -> list:
        """Callbacks to add to training ``part`` of unit ``key`` (kept whatever the fit's other arguments)."""
        return []

    def finished(self, key: tuple, payload: Payload, computed: bool) -> None:
        """A stored unit's payload is at hand: ``computed`` by this process, or read back from the ledger."""
        return None

    def handing_over(self) -> None:
        """Before a fresh process takes the run over (:mod:`common.engine.sittings`)."""
        return None


@dataclass(frozen=True)
class Fit:
    """A unit's handle on the engine while it computes."""

    key: tuple
    observers: Sequence[Observer] = ()
    stored: bool = True  # False for a search trial: no observer's ``callbacks`` (it keeps nothing)

    def schedule(self, epochs: int, steps_per_epoch: int, *part: str) -> FitArguments:
        """``fit`` keyword arguments and callbacks of one training of the unit (``part`` names a training of a
        unit that trains several): ``{"epochs": epochs}`` and no callback unless an observer shortens it;
        ``steps_per_epoch`` is what a full epoch takes (``ceil(n_train / batch)``)."""
        kwargs: dict[str, Any] = {"epochs": int(epochs)}
        callbacks: list = []
        for observer in self.observers:
            changed = observer.fit((*self.key, *part), epochs, steps_per_epoch)
            if changed is not None:
                kwargs, more = changed
                callbacks += more
        for observer in self.observers if self.stored else ():
            callbacks += observer.callbacks(self.key, part)
        return kwargs, callbacks

    @property
    def pass_sample(self) -> int | None:
        """Batches a prediction pass the paper marks as large runs (``None``: every batch)."""
        samples = [o.pass_sample for o in self.observers if o.pass_sample is not None]
        return min(samples) if samples else None

    def left_out(self, seconds: float) -> None:
        """Report the projected seconds of the batches a sampled pass did not run."""
        for observer in self.observers:
            observer.left_out(seconds)


class Units:
    """Computes units through the ledger and the observers; one per run phase (searches, protocol)."""

    def __init__(self, ledger: Any, observers: Sequence[Observer] = (), warnings: list[str] | None = None,
                 undertraining_expected: bool = False) -> None:
        self.ledger = ledger
        self.observers = tuple(observers)
        #: units whose kept model looks undertrained, in words (the run's ``training-warnings.md``)
        self.warnings = [] if warnings is None else warnings
        #: the profile's few epochs undertrain by design (smoke): each unit's message is logged at DEBUG only
        self.undertraining_expected = undertraining_expected
        self.trained = 0  # units computed by this process
        self._depth = 0  # units being computed (one may compute another)
        self._trials: dict[tuple, int] = {}

    @contextlib.contextmanager
    def _observed(self, key: tuple) -> Iterator[None]:
        if self._depth == 0:
            for observer in self.observers:
                observer.starting(key)
        self._depth += 1
        try:
            with contextlib.ExitStack() as stack:
                for observer in self.observers:
                    stack.enter_context(observer.around(key))
                yield
        finally:
            self._depth -= 1
        self.trained += self._depth == 0

    def unit(self, key: tuple, compute: Callable[[Fit], Payload], monitor: Monitor | None = None,
             mode: str = "max", store: bool = True) -> Payload:
        """The payload of unit ``key``: the ledger's, or ``compute(fit)``'s (stored unless ``store=False``, as for
        a search trial, which is then numbered ``trial<N>`` in its key); curves checked when ``monitor`` is given."""
        if not store:
            n = self._trials[key] = self._trials.get(key, 0) + 1
            key = (*key, f"trial{n}")
        fit = Fit(key, self.observers, store)

        computed = False

        def observed() -> Payload:
            nonlocal computed
            computed = True
            with self._observed(key):
                return compute(fit)

        payload = self.ledger.unit(key, observed) if store else observed()
        if store:
            for observer in self.observers:
                observer.finished(key, payload, computed)
        if monitor is not None:
            self.check(key, payload, monitor, mode)
        return payload

    def warn(self, message: str) -> None:
        """Log ``message`` (a WARNING, or DEBUG where undertraining is expected) and list it on the run's
        ``training-warnings.md`` (a model that looks undertrained)."""
        log.log(logging.DEBUG if self.undertraining_expected else logging.WARNING, "possibly undertrained: %s",
                message)
        self.warnings.append(message)

    def check(self, key: tuple, payload: Mapping[str, Any], monitor: Monitor, mode: str) -> None:
        """Warn about every training of the unit whose kept model looks undertrained (``curve:<training>:<metric>``
        curves are checked per training; ``monitor``: the validation metric, or a function of the training's name
        that gives it)."""
        from common.training.curves import read_curves, undertraining

        by_training: dict[str, dict[str, Any]] = {}
        for name, values in read_curves(payload).items():
            training, _, metric = name.rpartition(":")
            by_training.setdefault(training, {})[metric] = values
        for training, curve_set in sorted(by_training.items()):
            label = "/".join(map(str, (*key, *([training] if training else []))))
            metric = monitor if isinstance(monitor, str) else monitor(training)
            for reason in undertraining(curve_set, metric, mode):
                self.warn(f"{label}: {reason}")
