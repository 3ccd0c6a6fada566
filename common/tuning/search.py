"""One keras-tuner interface for every paper's hyperparameter search (replaces hyperopt/Bayesian search).

A paper declares each search as ``common.engine.Search``: ``declare(hp, session) -> config`` and the split
it trains on; the paper's own ``train_and_score(session, data, target, config, split) -> metrics`` (the same
function its protocol calls) scores a point. :func:`run_search` wraps both for keras-tuner, with no second
training loop. The state lives in ``<out>/tuning/<search-name>/`` and a restart with the same arguments
resumes it (``overwrite=False``). Under keras-tuner's distributed mode (``KERASTUNER_TUNER_ID``,
``KERASTUNER_ORACLE_IP``, ``KERASTUNER_ORACLE_PORT``) the same call serves the oracle on the chief and
runs trials on the workers.

Every search records the identity of what it ran on (``common.identity.run_identity``) in ``search.json``; a search
is resumed or reused only under the same identity. keras-tuner's own state files (oracle, trials) are written
atomically here (its ``save_json`` writes in place, and a kill during that write made the state unreadable).
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import keras_tuner as kt
from keras_tuner.src import utils as kt_utils

from common.atomic import atomic_write_text
from common.errors import ConfigError
from common.identity import differences
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
Declare = Callable[[kt.HyperParameters], dict[str, Any]]
Score = Callable[[dict[str, Any], int | None], Mapping[str, float]]


_SAVE_JSON = kt_utils.save_json


def _save_json_atomically(path: str, obj: Any) -> str:
    """keras-tuner's ``utils.save_json``, atomic for local paths (a kill mid-write leaves the old state)."""
    if "://" in str(path):  # a remote file system (gs://...) through tf.io.gfile
        return _SAVE_JSON(path, obj)
    text = json.dumps(obj)
    atomic_write_text(path, text)
    return text


kt_utils.save_json = _save_json_atomically  # the oracle, trials and tuner save through this module attribute


class DeclaredSpace(kt.HyperModel):
    """A search space given as ``declare(hp) -> config``: ``build`` declares it (keras-tuner discovers
    conditional branches through it) and returns the configuration, not a model."""

    def __init__(self, declare: Declare, name: str) -> None:
        super().__init__(name=name)
        self.declare = declare

    def build(self, hp: kt.HyperParameters) -> dict[str, Any]:
        return self.declare(hp)


class _ScoredTrials(kt.Tuner):
    """Runs a trial as ``score(config, epochs)`` instead of build + fit; reports ``trial_seconds`` too."""

    score: Score

    def run_trial(self, trial: kt.engine.trial.Trial, *args: Any, **kwargs: Any) -> dict[str, float]:
        start = time.monotonic()
        config = self.hypermodel.build(trial.hyperparameters)
        metrics = {k: float(v) for k, v in self.score(config, kwargs.get("epochs")).items()}
        if self.oracle.objective.name not in metrics:
            raise ConfigError(f"the search's score returned {sorted(metrics)}, without the objective "
                              f"{self.oracle.objective.name!r}")
        metrics[TRIAL_SECONDS] = time.monotonic() - start
        return metrics


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


def search_dir(paper: str, name: str, out_root: str | Path | None = None) -> Path:
    """``<out_root or results/<paper>>/tuning/<name>/``: the search's state, trials and summary."""
    return Path(out_root or results_dir(paper)) / "tuning" / name


def make_tuner(kind: str, declare: Declare, score: Score, objective: kt.Objective, directory: Path, name: str,
               max_trials: int | None, executions_per_trial: int, seed: int, max_epochs: int) -> kt.Tuner:
    """The keras-tuner class for ``kind``, running trials through ``score`` (resuming ``directory/name``)."""
    if kind not in TUNER_CLASSES:
        raise ConfigError(f"unknown tuner {kind!r}; expected one of {sorted(TUNER_CLASSES)}")
    base = TUNER_CLASSES[kind]
    cls = type(f"Scored{base.__name__}", (base, _ScoredTrials), {"score": staticmethod(score)})
    common: dict[str, Any] = dict(hypermodel=DeclaredSpace(declare, name), objective=objective,
                                  executions_per_trial=executions_per_trial, directory=str(directory),
                                  project_name=name, overwrite=False, seed=seed)
    if kind == "hyperband":
        return cls(max_epochs=max_epochs, factor=3, **common)
    return cls(max_trials=max_trials, **common)


def is_worker() -> bool:
    """True in a keras-tuner distributed worker (not the chief, not a single-process search)."""
    return "KERASTUNER_ORACLE_IP" in os.environ and "chief" not in os.environ.get("KERASTUNER_TUNER_ID", "")


def run_search(paper: str, name: str, declare: Declare, score: Score, objective: kt.Objective, *, kind: str,
               max_trials: int, out: Path, seed: int, epochs: int, executions_per_trial: int = 1,
               meta: Mapping[str, Any] | None = None, verbose: int = 0) -> None:
    """Run (or resume) one search and write its summary table and plot. A search whose ``max_trials`` trials all
    finished earlier is left as it is (a resumed run, or a later sitting of one, does not reload keras-tuner).

    ``meta`` (target, corpus, data, profile, identity) is stored in ``search.json`` beside keras-tuner's state; it
    is what ``--from-tuning`` reads to know which network the search tuned and on what. A search of the same name
    recorded under another identity is refused (:func:`check_identity`), never resumed.
    """
    from common.tuning.summary import write_summary

    directory = Path(out) / "tuning"
    if not is_worker() and (directory / name / SEARCH_FILE).exists() and meta and "identity" in meta:
        check_identity(_read_json(directory / name / SEARCH_FILE), meta["identity"],
                       f"search {name} in {directory / name}", "give another --search-name or remove that folder")
    finished = len(completed_trials(directory / name))
    if kind != "hyperband" and not is_worker() and finished >= max_trials and (directory / name / SEARCH_FILE).exists():
        log.info("search %s: its %d trials finished earlier (state in %s)", name, finished, directory / name)
        return
    tuner = make_tuner(kind, declare, score, objective, directory, name, max_trials, executions_per_trial, seed,
                       max_epochs=epochs)
    if not is_worker():
        atomic_write_text(directory / name / SEARCH_FILE, json.dumps(
            {"paper": paper, "tuner": kind, "objective": objective.name, "direction": objective.direction,
             "max_trials": max_trials, "seed": seed, **(meta or {})}, indent=1))
    log.info("search %s: %s tuner, objective %s (%s), up to %s trials, state in %s", name, kind, objective.name,
             objective.direction, max_trials, directory / name)
    tuner.search(epochs=epochs, verbose=verbose)
    if not is_worker():
        table = write_summary(directory / name)
        if len(table):
            log.info("best trial of %s: %s; train the full protocol with it: --from-tuning %s", name,
                     table.iloc[0].to_dict(), name)


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def completed_trials(root: Path) -> list[dict[str, Any]]:
    """keras-tuner's ``trial.json`` of every completed trial of the search kept in ``root``."""
    trials = [_read_json(path) for path in sorted(root.glob("trial_*/trial.json"))]
    return [trial for trial in trials if trial.get("status") == "COMPLETED"]


def search_meta(paper: str, name: str, out_root: str | Path | None = None) -> dict[str, Any]:
    """``search.json`` of search ``name`` (paper, tuner, objective, target, corpus, ...)."""
    meta_path = search_dir(paper, name, out_root) / SEARCH_FILE
    if not meta_path.is_file():
        raise ConfigError(f"--from-tuning {name}: no search at {meta_path.parent} (expected {meta_path}); "
                          f"run with --tune --search-name {name} first")
    return _read_json(meta_path)


def best_hyperparameters(paper: str, name: str, out_root: str | Path | None = None) -> dict[str, Any]:
    """The hyperparameter values of the best completed trial of search ``name``."""
    root = search_dir(paper, name, out_root)
    meta = search_meta(paper, name, out_root)
    sign = 1.0 if meta["direction"] == "max" else -1.0
    best: tuple[float, dict[str, Any]] | None = None
    for trial in completed_trials(root):
        score = trial.get("score")
        if score is None or math.isnan(score):
            continue
        if best is None or sign * score > sign * best[0]:
            best = (score, trial["hyperparameters"]["values"])
    if best is None:
        raise ConfigError(f"--from-tuning {name}: no completed trial under {root}")
    return {k: v for k, v in best[1].items() if not k.startswith("tuner/")}


def check_identity(meta: Mapping[str, Any], identity: Mapping[str, Any], what: str, remedy: str) -> None:
    """Raise ``ConfigError`` naming every difference when ``meta`` (a ``search.json``) records another identity."""
    if "identity" not in meta:
        raise ConfigError(f"{what} records no identity (it predates identities); {remedy}")
    diff = differences(meta["identity"], identity)
    if diff:
        raise ConfigError(f"{what} ran on something else than this run (search -> this run): {'; '.join(diff)}; "
                          f"{remedy}")


def config_of(declare: Declare, values: Mapping[str, Any], what: str = "the point") -> dict[str, Any]:
    """The configuration ``declare`` returns at the point ``values`` (a trial's or the paper's).

    The point must fit the space: a value outside it, a name the space does not declare (a renamed
    hyperparameter) or an active hyperparameter without a value is a ``ConfigError`` naming each, never dropped."""
    problems = point_problems(declare, values, complete=True)
    if problems:
        raise ConfigError(f"{what} does not fit the search space the code declares: {'; '.join(problems)}")
    hp = kt.HyperParameters()
    hp.values.update(values)  # activates the conditional branches the point lives in
    return declare(hp)


def assert_point_in_space(declare: Declare, point: Mapping[str, Any]) -> None:
    """Check that the paper's published choice is a point of the search space (tests call this)."""
    problems = point_problems(declare, point)
    if problems:
        raise AssertionError("published point not in the search space: " + "; ".join(problems))


def point_problems(declare: Declare, point: Mapping[str, Any], complete: bool = False) -> list[str]:
    """Why ``point`` is not a point of the space ``declare`` declares (empty if it is). ``complete``: every active
    hyperparameter must have a value too."""
    hp = kt.HyperParameters()
    hp.values.update(point)
    declare(hp)
    space = {h.name: h for h in hp.space}
    problems = [f"{h.name} has no value (a hyperparameter the point does not know)" for h in hp.space
                if complete and h.name not in point and hp.is_active(h)]
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
        elif isinstance(h, kt.engine.hyperparameters.Boolean) and not isinstance(value, bool):
            problems.append(f"{name}={value!r} is not a boolean")
    return problems
