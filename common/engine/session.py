"""What an experiment sees of a run: flags, corpora, ledger, results store, tuned configurations, plots."""

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.corpora import Corpus
from common.engine.contract import Paper
from common.engine.rehearsal import Rehearsal
from common.plots import save_figure
from common.results import ResultsStore
from common.splits import Fold, write_folds
from common.training import Ledger

log = logging.getLogger(__name__)


@dataclass
class Session:
    """One invocation of a paper: read-only flags plus the run's ledger, store and shared state.

    ``corpora`` maps every opened corpus name to its :class:`Corpus` (``corpus`` is the main one);
    ``tuned`` maps a search target to the configuration chosen for it by ``--from-tuning`` or by a search the
    profile runs (``tuned_source`` says which: ``tuning:<name>`` or ``search:<name>``).
    """

    paper: Paper
    args: argparse.Namespace
    corpus: Corpus
    corpora: Mapping[str, Corpus]
    ledger: Ledger
    store: ResultsStore
    tuned: dict[str, dict[str, Any]] = field(default_factory=dict)
    tuned_source: dict[str, str] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    rehearsal: Rehearsal | None = None
    warnings: list[str] = field(default_factory=list)
    trainings: int = 0  # fit budgets handed out by this process (common.engine.sittings)

    # -- flags ---------------------------------------------------------------------------------------
    @property
    def settings(self) -> dict[str, Any]:
        return self.args.settings

    @property
    def profile(self) -> str:
        return self.args.profile

    @property
    def runs(self) -> int:
        return self.args.runs

    @property
    def epochs(self) -> int:
        return self.args.epochs

    @property
    def seed(self) -> int:
        """Base seed: run ``r`` of a unit uses ``seed + r``."""
        return self.args.seed

    @property
    def out(self) -> Path:
        return Path(self.args.out)

    @property
    def verbose(self) -> int:
        """Keras ``verbose`` for fit/predict: 0 unless ``-vv``."""
        return 2 if self.args.verbose > 1 else 0

    @property
    def data(self) -> str:
        """``real`` when every corpus read is the user's copy, else ``synthetic``."""
        return self.store.ctx.data

    @property
    def synthetic(self) -> bool:
        return self.data == "synthetic"

    # -- hyperparameters -----------------------------------------------------------------------------
    def config(self, target: str, default: Mapping[str, Any]) -> dict[str, Any]:
        """``default`` with the ``--from-tuning`` point applied when (and only when) that search tuned ``target``."""
        return {**default, **self.tuned.get(target, {})}

    def hp_source(self, target: str | None = None) -> str:
        """Where the hyperparameters of ``target`` come from: ``tuning:<search>`` or the paper's default source."""
        if target is not None and target in self.tuned_source:
            return self.tuned_source[target]
        if self.args.no_search and any(self.profile in s.in_profile for s in self.paper.searches.values()):
            return "suite-default (--no-search)"
        return self.paper.default_hp_source

    # -- training helpers ----------------------------------------------------------------------------
    def scope(self) -> contextlib.AbstractContextManager:
        """Build and compile models inside this: the ``--strategy`` the user chose (TensorFlow only)."""
        if self.args.strategy == "default":
            return contextlib.nullcontext()
        from common.training import get_strategy

        return get_strategy(self.args.strategy).scope()

    def fit_budget(self, unit: tuple, epochs: int, steps_per_epoch: int) -> tuple[dict[str, Any], list]:
        """``fit`` keyword arguments and callbacks for one training of ``unit``.

        Normally ``{"epochs": epochs}`` and no callback. Under ``--rehearse`` the training is cut to a few
        steps of one epoch and timed; ``steps_per_epoch`` is what the real run would take per epoch
        (``ceil(n_train / batch)``), from which the rehearsal projects the real run's time.
        """
        self.trainings += 1
        if self.rehearsal is None:
            return {"epochs": int(epochs)}, []
        return self.rehearsal.budget(unit, epochs, steps_per_epoch)

    def check_training(self, unit: tuple, curve_set: Mapping[str, Any], monitor: str, mode: str = "max") -> None:
        """Warn (log and results page) when the model kept for ``unit`` looks undertrained (common.training.curves)."""
        from common.training.curves import undertraining

        for reason in undertraining(curve_set, monitor, mode):
            self.warn(f"{'/'.join(map(str, unit))}: {reason}")

    def warn(self, message: str) -> None:
        """Log ``message`` and list it on the run's ``training-warnings.md`` (a model that looks undertrained)."""
        log.warning("possibly undertrained: %s", message)
        self.warnings.append(message)

    # -- outputs -------------------------------------------------------------------------------------
    def save_figure(self, fig: Any, name: str, **savefig: Any) -> Path:
        """Write ``fig`` to ``<out>/<name>`` atomically, marked when the data are synthetic."""
        return save_figure(fig, self.out / name, self.data, **savefig)

    def write_folds(self, folds: list[Fold], name: str) -> Path:
        """The exact fold lists under ``<out>/splits/<name>`` (so others can reuse and cite them)."""
        return write_folds(folds, self.out / "splits" / name)
