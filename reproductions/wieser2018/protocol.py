"""§3.2 / §4.1 protocol: 10 speaker folds, 20 % validation carved from the rest, pooled WAR/UAR (Table 5).

Units (network, schedule, fold, run) go through ``common.training.Ledger``; the pooled tables are computed from
the stored test predictions, so a resumed run writes the same tables.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from common.metrics import uar, war
from common.results import ResultsStore
from common.splits import Fold, carve_validation, leave_one_speaker_out, write_folds
from common.training import Ledger, progress, set_seed
from reproductions.wieser2018.data import Samples
from reproductions.wieser2018.hyperparameters import (
    DIMENSIONS,
    N_CLASSES,
    NETWORKS,
    SALIENCY_SPEAKER,
    VALIDATION_FRACTION,
)
from reproductions.wieser2018.networks import (
    build_network,
    functional_stats,
    network_config,
    network_inputs,
)
from reproductions.wieser2018.schedule import compile_for

log = logging.getLogger(__name__)
ROW = {"ELoR": "ELoR net", "LoM": "LoM net", "FTR": "FTR net", "ELoR + FTR": "ELoR + FTR net"}
COLUMN = {"arousal": "Arousal", "valence": "Valence"}


@dataclass
class FoldRows:
    """Sample (window) indices of one fold's train / validation / test parts."""

    name: str
    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


def speaker_folds(samples: Samples, seed: int, n_folds: int | None, out: Path) -> list[FoldRows]:
    """Leave-one-speaker-out folds (§3.2) with a random 20 % validation part (§3.3) -> fold lists on disk.

    ``n_folds`` < 10 (smoke) keeps the Ses03-F fold (§3.2 visualisations) and the next ones in speaker order.
    """
    utts = samples.table.drop_duplicates("id").reset_index(drop=True)
    folds: list[Fold] = leave_one_speaker_out(utts)
    folds.sort(key=lambda f: (f.name != SALIENCY_SPEAKER and SALIENCY_SPEAKER not in f.name, f.name))
    folds = [carve_validation(f, utts, frac=VALIDATION_FRACTION, seed=seed) for f in folds[:n_folds]]
    write_folds(folds, out / "splits" / "folds.csv")
    return [FoldRows(f.name, samples.rows_of(f.train), samples.rows_of(f.val), samples.rows_of(f.test))
            for f in folds]


def train_network(network: str, schedule: str, samples: Samples, fold: FoldRows, settings: dict[str, Any],
                  max_epochs: int, seed: int, overrides: dict[str, Any] | None = None, verbose: int = 0):
    """Train one network on one fold's training part (Tables 1-4) -> (model, functional stats)."""
    cfg = network_config(network, settings, overrides)
    hp = cfg.training
    set_seed(seed)
    net = build_network(cfg, samples)
    stats = functional_stats(samples, fold.train)
    x = network_inputs(network, samples, fold.train, stats)
    y = {d: samples.labels(d)[fold.train] for d in DIMENSIONS}
    model = compile_for(net, hp, math.ceil(len(fold.train) / hp.batch_size), schedule, seed)
    model.fit(x, y, batch_size=hp.batch_size, epochs=min(hp.epochs, max_epochs), shuffle=True, verbose=verbose)
    return net, stats


def predict_classes(net, network: str, samples: Samples, rows: np.ndarray, stats) -> dict[str, np.ndarray]:
    """argmax per dimension: "the two output labels with the maximum probability" (§2.1.1)."""
    out = net.predict(network_inputs(network, samples, rows, stats), batch_size=32, verbose=0)
    return {d: np.argmax(out[d], axis=-1) for d in DIMENSIONS}


def weights_path(out: Path, fold: str, run: int) -> Path:
    return out / "models" / f"elor_faithful_{fold}_run{run}.weights.h5"


def run_unit(network: str, schedule: str, samples: Samples, fold: FoldRows, settings: dict[str, Any],
             max_epochs: int, seed: int, out: Path, run: int, overrides: dict[str, Any] | None,
             verbose: int) -> dict[str, Any]:
    """Train + test one (network, schedule, fold, run); keeps the ELoR weights the visualisations use."""
    net, stats = train_network(network, schedule, samples, fold, settings, max_epochs, seed, overrides, verbose)
    if network == "ELoR" and schedule == "faithful":
        path = weights_path(out, fold.name, run)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"tmp-{os.getpid()}-{path.name}")  # Keras wants the .weights.h5 suffix
        net.save_weights(tmp)
        os.replace(tmp, path)
    pred = predict_classes(net, network, samples, fold.test, stats)
    return {"test": fold.test, **{f"pred_{d}": pred[d] for d in DIMENSIONS}}


def pooled_scores(samples: Samples, units: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """WAR and UAR over the pooled predictions of all test folds (§4.1) -> {dim: {WAR, UAR}}."""
    rows = np.concatenate([u["test"] for u in units])
    res = {}
    for d in DIMENSIONS:
        pred = np.concatenate([u[f"pred_{d}"] for u in units])
        res[d] = {"WAR": war(samples.labels(d)[rows], pred), "UAR": uar(samples.labels(d)[rows], pred)}
    return res


def baseline_scores(samples: Samples, folds: list[FoldRows]) -> dict[str, dict[str, dict[str, float]]]:
    """Table 5's reference rows from the pooled test labels.

    faithful "Most frequent label": the majority class of the pooled *test* labels (§4.1: "based on the prior
    probabilities of the test sets" - an oracle); corrected: each fold predicts its *training* majority.
    "Random guessing": expected recalls of a uniform guesser (1/5 for every class, whatever the priors).
    """
    test = np.concatenate([f.test for f in folds])
    out: dict[str, dict[str, dict[str, float]]] = {"oracle": {}, "train_prior": {}, "random": {}}
    for d in DIMENSIONS:
        y = samples.labels(d)
        yt = y[test]
        oracle = np.full_like(yt, np.bincount(yt, minlength=N_CLASSES).argmax())
        train_major = np.concatenate([np.full(len(f.test), np.bincount(y[f.train], minlength=N_CLASSES).argmax())
                                      for f in folds])
        out["oracle"][d] = {"WAR": war(yt, oracle), "UAR": uar(yt, oracle)}
        out["train_prior"][d] = {"WAR": war(yt, train_major), "UAR": uar(yt, train_major)}
        out["random"][d] = {"WAR": 1.0 / N_CLASSES, "UAR": 1.0 / N_CLASSES}
    return out


def run_table5(samples: Samples, folds: list[FoldRows], args, store: ResultsStore, ledger: Ledger,
               overrides: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """All networks x schedules x folds x runs -> Table 5 rows in ``store``; returns the pooled scores."""
    settings = args.settings
    experiments = [(n, "faithful") for n in NETWORKS] + [(n, "joint") for n in settings["joint_variant"]]
    units = [(n, s, f, r) for n, s in experiments for f in folds for r in range(args.runs)]
    done: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for network, schedule, fold, run in progress(units, "wieser2018 Table 5 units"):
        payload = ledger.unit((network, schedule, fold.name, run), lambda n=network, s=schedule, f=fold, r=run:
                              run_unit(n, s, samples, f, settings, args.epochs, args.seed + r, args.out, r,
                                       overrides, args.verbose))
        done.setdefault((network, schedule, run), []).append(payload)
    n_folds = f"{len(folds)} speaker folds"
    scores: dict[str, dict[str, Any]] = {}
    for network, schedule in experiments:
        per_run = [pooled_scores(samples, done[(network, schedule, r)]) for r in range(args.runs)]
        scores[f"{network}/{schedule}"] = per_run
        for d in DIMENSIONS:
            for m in ("WAR", "UAR"):
                how = "alternating heads" if schedule == "faithful" else "joint loss"
                feats = f"; FTR features: {samples.functionals_set}" if "FTR" in network else ""
                store.add("Table 5", ROW[network], COLUMN[d], m, [s[d][m] for s in per_run], variant=schedule,
                          note=f"pooled over {n_folds}; {how}{feats}")
    base = baseline_scores(samples, folds)
    for key, row, variant, note in (
            ("random", "Random guessing", "faithful", "expected recalls of uniform guessing"),
            ("oracle", "Most frequent label", "faithful", "majority of the pooled test labels (oracle, as §4.1)"),
            ("train_prior", "Most frequent label", "train-prior", "majority of each fold's training labels")):
        for d in DIMENSIONS:
            for m in ("WAR", "UAR"):
                store.add("Table 5", row, COLUMN[d], m, base[key][d][m], variant=variant, note=note)
    scores["baselines"] = base
    return scores
