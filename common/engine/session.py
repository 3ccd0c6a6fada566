"""What an experiment sees of a run: flags, corpora, its trained units, results store, tuned configurations, plots."""

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.corpora import Corpus
from common.engine.contract import Paper
from common.engine.unit import Fit, Monitor, Payload, Units
from common.plots import save_figure
from common.results import ResultsStore
from common.splits import Fold, write_folds

log = logging.getLogger(__name__)


@dataclass
class Session:
    """One invocation of a paper: read-only flags plus the run's units and results store.

    ``corpora`` maps every opened corpus name to its :class:`Corpus` (``corpus`` is the main one);
    ``tuned`` maps a search target to the configuration chosen for it by ``--from-tuning`` or by a search the
    profile runs (``tuned_source`` says which: ``tuning:<name>`` or ``search:<name>``); ``trial_epochs`` is the
    epoch cap a tuner gives one search trial (Hyperband), in place of ``--epochs``.
    """

    paper: Paper
    args: argparse.Namespace
    corpus: Corpus
    corpora: Mapping[str, Corpus]
    units: Units | None
    store: ResultsStore
    tuned: dict[str, dict[str, Any]] = field(default_factory=dict)
    tuned_source: dict[str, str] = field(default_factory=dict)
    trial_epochs: int | None = None

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
        return self.trial_epochs or self.args.epochs

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
    def origin(self) -> str:
        """``real`` when every corpus read is the user's copy, else ``synthetic``."""
        return self.store.ctx.data

    @property
    def synthetic(self) -> bool:
        return self.origin == "synthetic"

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

    def unit(self, key: tuple, compute: Callable[[Fit], Payload], monitor: Monitor | None = None,
             mode: str = "max", store: bool = True) -> Payload:
        """The trained unit ``key``: its stored payload, or ``compute(fit)``'s, kept for a resumed run (not a search
        trial's: ``store=False``); with ``monitor``, its kept model is checked for undertraining
        (:mod:`common.engine.unit`)."""
        if self.units is None:
            raise RuntimeError("this session computes no units")
        return self.units.unit(key, compute, monitor, mode, store)

    @property
    def unit_root(self) -> Path:
        """The ledger folder of this run's units: files a unit keeps (saved weights) live here, so they are named by
        the run's identity (:mod:`common.identity`)."""
        if self.units is None:
            raise RuntimeError("this session computes no units")
        return Path(self.units.ledger.root)

    def warn(self, message: str) -> None:
        """Log ``message`` and list it on the run's ``training-warnings.md`` (a model that looks undertrained)."""
        if self.units is not None:
            self.units.warn(message)

    # -- outputs -------------------------------------------------------------------------------------
    def save_figure(self, fig: Any, name: str, **savefig: Any) -> Path:
        """Write ``fig`` to ``<out>/<name>`` atomically, marked when the data are synthetic."""
        return save_figure(fig, self.out / name, self.origin, **savefig)

    def write_folds(self, folds: list[Fold], name: str) -> Path:
        """The exact fold lists under ``<out>/splits/<name>`` (so others can reuse and cite them); the lists of a
        twin are named ``<stem>-synthetic.csv``, since a twin's ids look like the real corpus's."""
        path = self.out / "splits" / name
        if self.synthetic:
            path = path.with_name(f"{path.stem}-synthetic{path.suffix}")
        return write_folds(folds, path)
