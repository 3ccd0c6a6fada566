"""One keras-tuner interface for every paper's hyperparameter search (replaces hyperopt/Bayesian search).

``run.py --tune`` builds the paper's ``keras_tuner.HyperModel`` and calls :func:`run_search`; the state
lives in ``<out>/tuning/<search-name>/`` and a restart with the same arguments resumes it
(``overwrite=False``). Under keras-tuner's distributed mode (``KERASTUNER_TUNER_ID``,
``KERASTUNER_ORACLE_IP``, ``KERASTUNER_ORACLE_PORT``) the same call serves the oracle on the chief
and runs trials on the workers.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import time
from pathlib import Path
from typing import Any

import keras
import keras_tuner as kt

from common.atomic import atomic_write_text
from common.errors import ConfigError
from common.paths import results_dir

log = logging.getLogger(__name__)

TUNER_CLASSES: dict[str, type[kt.Tuner]] = {
    "bayesian": kt.BayesianOptimization,
    "hyperband": kt.Hyperband,
    "random": kt.RandomSearch,
    "grid": kt.GridSearch,
}
TRIAL_SECONDS = "trial_seconds"
SEARCH_FILE = "search.json"


class TimedHyperModel(kt.HyperModel):
    """Wraps a paper's HyperModel so every trial also reports its wall time (``trial_seconds``)."""

    def __init__(self, inner: kt.HyperModel, objective: kt.Objective) -> None:
        super().__init__(name=inner.name, tunable=inner.tunable)
        self.inner = inner
        self.objective = objective

    def declare_hyperparameters(self, hp: kt.HyperParameters) -> None:
        self.inner.declare_hyperparameters(hp)

    def build(self, hp: kt.HyperParameters) -> Any:
        return self.inner.build(hp)

    def fit(self, hp: kt.HyperParameters, model: Any, *args: Any, **kwargs: Any) -> dict[str, float]:
        start = time.monotonic()
        result = self.inner.fit(hp, model, *args, **kwargs)
        metrics = _as_metrics(result, self.objective)
        metrics[TRIAL_SECONDS] = time.monotonic() - start
        return metrics


def _as_metrics(result: Any, objective: kt.Objective) -> dict[str, float]:
    """A float, a metrics dict or a ``History`` as a flat metrics dict holding the objective."""
    if isinstance(result, keras.callbacks.History):
        values = result.history[objective.name]
        best = max(values) if objective.direction == "max" else min(values)
        return {objective.name: float(best)}
    if isinstance(result, dict):
        if objective.name not in result:
            raise ConfigError(f"HyperModel.fit returned {sorted(result)}, without the objective {objective.name!r}")
        return {k: float(v) for k, v in result.items()}
    return {objective.name: float(result)}


def parse_objective(text: str | None, default: kt.Objective) -> kt.Objective:
    """``NAME`` or ``NAME:min|max``; a bare name is minimised when it looks like a loss or an error."""
    if not text:
        return default
    name, _, direction = text.partition(":")
    if not direction:
        direction = "min" if any(w in name for w in ("loss", "rmse", "error", "mse")) else "max"
    if direction not in ("min", "max"):
        raise ConfigError(f"--objective {text!r}: direction must be min or max")
    return kt.Objective(name, direction)


def search_name(args: argparse.Namespace, tuner: str) -> str:
    return args.search_name or f"{tuner}-{args.profile}"


def search_dir(paper: str, name: str, out_root: str | Path | None = None) -> Path:
    """``<out_root or results/<paper>>/tuning/<name>/``: the search's state, trials and summary."""
    return Path(out_root or results_dir(paper)) / "tuning" / name


def make_tuner(kind: str, hypermodel: kt.HyperModel, objective: kt.Objective, directory: Path, name: str,
               max_trials: int | None, executions_per_trial: int, seed: int, max_epochs: int) -> kt.Tuner:
    """Instantiate the keras-tuner class for ``kind`` (resuming any saved state of ``directory/name``)."""
    common: dict[str, Any] = dict(hypermodel=TimedHyperModel(hypermodel, objective), objective=objective,
                                  executions_per_trial=executions_per_trial, directory=str(directory),
                                  project_name=name, overwrite=False, seed=seed)
    if kind == "hyperband":
        return kt.Hyperband(max_epochs=max_epochs, factor=3, **common)
    if kind not in TUNER_CLASSES:
        raise ConfigError(f"unknown tuner {kind!r}; expected one of {sorted(TUNER_CLASSES)}")
    return TUNER_CLASSES[kind](max_trials=max_trials, **common)


def run_search(paper: str, hypermodel: kt.HyperModel, objective: kt.Objective, args: argparse.Namespace,
               default_tuner: str = "bayesian", default_trials: int = 20) -> kt.Tuner:
    """Run (or resume) the search that ``args`` describe and write its summary table and plot.

    ``hypermodel.fit(hp, model, epochs=..., callbacks=...)`` trains on the paper's own train/dev data
    and returns the objective (a float or a metrics dict).
    """
    from common.tuning.summary import write_summary

    kind = args.tuner or default_tuner
    objective = parse_objective(args.objective, objective)
    name = search_name(args, kind)
    directory = Path(args.out) / "tuning"
    max_trials = args.trials or default_trials
    tuner = make_tuner(kind, hypermodel, objective, directory, name, max_trials, args.executions_per_trial,
                       args.seed, max_epochs=args.epochs)
    is_worker = "KERASTUNER_ORACLE_IP" in os.environ and "chief" not in os.environ.get("KERASTUNER_TUNER_ID", "")
    if not is_worker:
        atomic_write_text(directory / name / SEARCH_FILE, json.dumps(
            {"paper": paper, "tuner": kind, "objective": objective.name, "direction": objective.direction,
             "max_trials": max_trials, "profile": args.profile, "seed": args.seed,
             "data": "real" if args.data_dir else "synthetic"}, indent=1))
    log.info("search %s: %s tuner, objective %s (%s), up to %s trials, state in %s", name, kind, objective.name,
             objective.direction, max_trials, directory / name)
    tuner.search(epochs=args.epochs, verbose=max(0, args.verbose - 1))
    if not is_worker:
        table = write_summary(directory / name)
        if len(table):
            log.info("best trial of %s: %s; train the full protocol with it: --from-tuning %s", name,
                     table.iloc[0].to_dict(), name)
    return tuner


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def best_hyperparameters(paper: str, name: str, out_root: str | Path | None = None) -> dict[str, Any]:
    """The hyperparameter values of the best completed trial of search ``name``."""
    root = search_dir(paper, name, out_root)
    meta_path = root / SEARCH_FILE
    if not meta_path.is_file():
        raise ConfigError(f"--from-tuning {name}: no search at {root} (expected {meta_path}); "
                          f"run with --tune --search-name {name} first")
    meta = _read_json(meta_path)
    sign = 1.0 if meta["direction"] == "max" else -1.0
    best: tuple[float, dict[str, Any]] | None = None
    for trial_file in sorted(root.glob("trial_*/trial.json")):
        trial = _read_json(trial_file)
        score = trial.get("score")
        if trial.get("status") != "COMPLETED" or score is None or math.isnan(score):
            continue
        if best is None or sign * score > sign * best[0]:
            best = (score, trial["hyperparameters"]["values"])
    if best is None:
        raise ConfigError(f"--from-tuning {name}: no completed trial under {root}")
    return {k: v for k, v in best[1].items() if not k.startswith("tuner/")}


def assert_point_in_space(hypermodel: kt.HyperModel, point: dict[str, Any]) -> None:
    """Check that the paper's published choice is a point of the search space (tests call this)."""
    hp = kt.HyperParameters()
    hp.values.update(point)  # activates the conditional branches the point lives in
    hypermodel.build(hp)
    space = {h.name: h for h in hp.space}
    problems = []
    for name, value in point.items():
        h = space.get(name)
        if h is None:
            problems.append(f"{name} is not a hyperparameter of the space")
        elif isinstance(h, kt.engine.hyperparameters.Choice) and value not in h.values:
            problems.append(f"{name}={value!r} not among {h.values}")
        elif isinstance(h, kt.engine.hyperparameters.Fixed) and value != h.value:
            problems.append(f"{name}={value!r} differs from the fixed {h.value!r}")
        elif isinstance(h, kt.engine.hyperparameters.Int | kt.engine.hyperparameters.Float) and not (
                h.min_value <= value <= h.max_value):
            problems.append(f"{name}={value!r} outside [{h.min_value}, {h.max_value}]")
    if problems:
        raise AssertionError("published point not in the search space: " + "; ".join(problems))
