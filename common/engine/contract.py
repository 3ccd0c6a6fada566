"""The ``Paper`` contract: what a reproduction declares so that one engine can run it.

A reproduction (``reproductions/<paper>/paper.py``) builds one :class:`Paper`. Its model builders and
experiment logic stay in its own folder; the engine (:mod:`common.engine.runner`) owns the lifecycle:
flags, threads, corpus opening, the resume ledger, the results store, the tuning hand-off and the final write.
"""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.results.evidence import Evidence
from common.settings import Profile, Settings

if TYPE_CHECKING:
    import keras_tuner as kt

    from common.engine.session import Session


@dataclass(frozen=True)
class Row:
    """One reproduced number: ``values`` holds one value per run (the store derives mean, std and n).

    ``hp_source`` overrides the run's source of hyperparameters for this row (``Session.hp_source(target)``);
    ``evidence`` carries the per-item predictions of every run, from which the store computes the 95 % interval.
    """

    table: str
    row: str
    column: str
    metric: str
    values: float | Sequence[float]
    variant: str = "faithful"
    split: str | None = None
    note: str = ""
    hp_source: str | None = None
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Experiment:
    """One table or figure of the paper: ``run(session, data, *consumed)`` yields its rows (and may write plots).

    Experiments run in the order the paper declares them. What one hands to later ones is the return value of its
    generator (its product, e.g. the models Table 4 selected); a later experiment names the earlier ones whose
    products it takes in ``consumes`` and receives them, in that order, after ``data``.
    """

    name: str
    run: Callable[..., Iterable[Row]]
    consumes: tuple[str, ...] = ()

    def outcome(self, session: Session, data: Any, products: Mapping[str, Any]) -> tuple[list[Row], Any]:
        """The rows this experiment yields and its product (``None`` for one that hands nothing on)."""
        missing = [name for name in self.consumes if name not in products]
        if missing:
            raise ValueError(f"{self.name} consumes {missing}, which no earlier experiment produced")
        result = self.run(session, data, *(products[name] for name in self.consumes))
        if not isinstance(result, Generator):
            return list(result or ()), None
        rows: list[Row] = []
        while True:
            try:
                rows.append(next(result))
            except StopIteration as stop:
                return rows, stop.value


@dataclass(frozen=True)
class Search:
    """A keras-tuner search of one network (and dimension): ``target`` names what it tunes.

    ``declare(hp, args)`` declares the space (``args``: the parsed flags, for profile-dependent bounds) and
    returns the configuration of the sampled point (the keys the paper's ``train_and_score`` and protocol
    read); ``split(session, data)`` is the data the search
    trains and validates on; ``published`` is the paper's own point as hyperparameter values (it must lie
    inside the space). ``--from-tuning`` applies a search's best point to ``target`` only. ``in_profile`` names
    the profiles that run this search before the protocol (where the paper tuned without printing its choice);
    ``--no-search`` skips it. ``needed(settings)`` says whether a run with these settings trains what the search
    tunes (a profile runs only the searches its run needs; default: always).
    """

    target: str
    declare: Callable[[kt.HyperParameters, argparse.Namespace], dict[str, Any]]
    objective: kt.Objective
    split: Callable[[Session, Any], Any]
    published: Mapping[str, Any]
    tuner: str = "bayesian"
    trials: Mapping[str, int] = field(default_factory=lambda: {"smoke": 3, "paper": 20})
    source: str = ""
    in_profile: tuple[str, ...] = ()
    needed: Callable[[Any], bool] = lambda settings: True


@dataclass(frozen=True)
class ExtraCorpus:
    """A second corpus a paper reads beside its main one (Huang's MUSAN noise), with its own root flag."""

    name: str
    flag: str
    help: str


@dataclass(frozen=True)
class SettingFlag:
    """A convenience flag that sets one profile setting (``--noise-factor X`` = ``--set noise_factor=X``)."""

    flag: str
    setting: str
    type: Callable[[str], Any]
    help: str


@dataclass(frozen=True)
class Paper:
    """Everything the engine needs to run one reproduction.

    - ``prepare(session)`` opens nothing itself: it turns ``session.corpus`` (and ``session.corpora``) into
      the paper's data (features, folds), once per invocation.
    - ``experiments`` yield the result rows, in the paper's order.
    - ``searches`` map a target (network, dimension) to its keras-tuner :class:`Search`;
      ``train_and_score(session, data, target, config, split)`` is the training the protocol itself uses,
      returning the metrics a search optimises.
    - ``benchmark()`` returns the models ``benchmarks/`` times (``common.benchmarking.ModelSpec``).
    - ``strategies``: the values of ``--strategy`` the paper honours; others are refused with a clear error.
    - ``flaws``: corrected variant name -> the flaw of the paper it corrects; every row of such a variant with a
      faithful twin gets its effect measured (faithful minus corrected, ``flaw_effects.csv``).
    - ``test_argv``: flags that shrink the smoke profile to a run of seconds; the registry-wide contract tests
      (tests/engine) run every paper with them.
    - ``headline``, ``models``, ``reproduced``, ``limits``: the README's paper and status tables
      (``python -m reproductions readme --write``): the paper as the tables name it, its models, what the run
      reproduces, and what it cannot reproduce here (the corrected variants come from ``flaws``).
    """

    name: str
    title: str
    citation: str
    corpora: tuple[str, ...]
    profiles: Mapping[str, Profile]
    split: str
    prepare: Callable[[Session], Any]
    experiments: tuple[Experiment, ...]
    searches: Mapping[str, Search] = field(default_factory=dict)
    train_and_score: Callable[..., dict[str, float]] | None = None
    benchmark: Callable[[], Sequence[Any]] | None = None
    extra_corpora: tuple[ExtraCorpus, ...] = ()
    setting_flags: tuple[SettingFlag, ...] = ()
    strategies: tuple[str, ...] = ("default", "mirrored")
    default_hp_source: str = "paper"
    description: str = ""
    test_argv: tuple[str, ...] = ()
    flaws: Mapping[str, str] = field(default_factory=dict)
    headline: str = ""
    models: str = ""
    reproduced: str = ""
    limits: str = ""

    @property
    def settings_type(self) -> type[Settings]:
        """The paper's settings dataclass: the class every profile's settings are an instance of."""
        return type(next(iter(self.profiles.values())).settings)

    @property
    def folder(self) -> Path:
        """The reproduction's own folder (where ``prepare`` is defined): its code is part of each unit's key."""
        return Path(inspect.getfile(self.prepare)).resolve().parent

    def report_name(self, stem: str, corpus: str, suffix: str = ".md") -> str:
        """A per-run report's file name: ``stem + suffix``, with ``-<corpus>`` added when the paper runs on more
        than one main corpus (their runs share one results folder, so neither replaces the other's report)."""
        return f"{stem}-{corpus}{suffix}" if len(self.corpora) > 1 else f"{stem}{suffix}"

    @property
    def default_target(self) -> str | None:
        return next(iter(self.searches), None)
