"""keras-tuner replacement of §3.3's hyperopt/TPE searches (ELoR 70, LoM 150, FTR 150 evaluations).

keras-tuner has no TPE; ``bayesian`` (Gaussian-process Bayesian optimisation) is the closest model-based
sequential optimiser it ships, so it is the default. Ranges are centred on the published / assumed values
(§3.3: "a uniform distribution with a mean based on the hyperparameters suggested by Trigeorgis et al."); every
hp below was tuned by the paper (§3.3, Tables 1-3, the italic values of Fig. 2 / Fig. 3). The objective is the
accuracy (WAR) on the 20 % validation part of a cross-validation step (§3.3), averaged over the two dimensions.

One search per network (targets ``ELoR``, ``LoM``, ``FTR``; §3.3: "optimized for each architecture
individually"): a tuned point applies to its own network only. ELoR + FTR was combined by hand (§3.3, Table 4)
and is not searched: it keeps Table 4's training values and takes the CNN of ELoR's tuned point when
``--from-tuning`` supplies one (§3.3: "combinations of the results for the ELoR network and the FTR network").
Epochs are searched up to the run's ``--epochs`` cap (at least ``EPOCHS_LOW``), so a sampled point is never
silently cut short by the cap; the paper profile's cap is ``EPOCHS_HIGH``.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

import keras_tuner as kt
import numpy as np

from common.metrics import war
from reproductions.wieser2018.data import WieserData
from reproductions.wieser2018.hyperparameters import (
    DIMENSIONS,
    ELOR_CNN,
    HEAD_MLP,
    LOM_CNN,
    TRAINING_HP,
)
from reproductions.wieser2018.models import USES_CNN

OBJECTIVE = kt.Objective("val_mean_war", direction="max")
TUNABLE_NETWORKS = ("ELoR", "LoM", "FTR")  # §3.3: ELoR + FTR was combined by hand, not searched


def _point(network: str) -> dict[str, Any]:
    point: dict[str, Any] = {"network": network, **asdict(TRAINING_HP[network])}
    cnn = {"ELoR": ELOR_CNN, "LoM": LOM_CNN}.get(network)
    if cnn is not None:
        for i in range(3):
            point |= {f"filters_{i + 1}": cnn.filters[i], f"kernel_{i + 1}": cnn.kernel_sizes[i],
                      f"pool_{i + 1}": cnn.pool_sizes[i]}
    return point | {"hidden_1": HEAD_MLP.hidden_units[0], "hidden_2": HEAD_MLP.hidden_units[1],
                    "dropout": HEAD_MLP.dropout}


PUBLISHED_POINTS = {n: _point(n) for n in TUNABLE_NETWORKS}  # Tables 1-3 + the Fig. 2/3 assumptions
PUBLISHED_POINT = PUBLISHED_POINTS["ELoR"]


#: §3.3: the combined network and the searched network whose CNN it takes
COMBINED_CNN = {"ELoR + FTR": "ELoR"}
CNN_KEYS = tuple(f"{k}_{i}" for k in ("filters", "kernel", "pool") for i in (1, 2, 3))


def tuned_overrides(session, network: str) -> dict[str, Any]:
    """What ``network`` trains with beyond its defaults: its own search's point, or, for ELoR + FTR, the CNN of
    ELoR's tuned point (§3.3 combined the tuned ELoR and FTR networks by hand; Table 4 keeps its training values)."""
    source = COMBINED_CNN.get(network)
    if source is None:
        return session.config(network, {})
    return {k: v for k, v in session.config(source, {}).items() if k in CNN_KEYS}


def tuned_source(session, network: str) -> str | None:
    """``hp_source`` of a Table 5 row: its search's, ELoR's for the CNN of ELoR + FTR, None for the others."""
    target = COMBINED_CNN.get(network, network)
    return session.hp_source(target) if target in session.paper.searches else None


#: epochs searched: EPOCHS_LOW..min(EPOCHS_HIGH, --epochs); Tables 1-3 chose 9, 14, 16 (assumed range)
EPOCHS_LOW, EPOCHS_HIGH = 4, 20


def epoch_bounds(cap: int) -> tuple[int, int]:
    """The searched epoch range under an ``--epochs`` cap: never above the cap, never empty."""
    high = min(EPOCHS_HIGH, int(cap))
    return min(EPOCHS_LOW, high), high


def declare(hp: kt.HyperParameters, network: str, args: argparse.Namespace | None = None) -> dict[str, Any]:
    """The search space of ``network`` -> the chosen values as ``network_config`` overrides."""
    o: dict[str, Any] = {"network": hp.Fixed("network", network)}
    # Tables 1-3 (§3.3): training hyperparameters of every searched network.
    o["batch_size"] = hp.Int("batch_size", 5, 30, step=5)
    o["learning_rate"] = hp.Float("learning_rate", 1e-5, 0.1, sampling="log")
    low, high = epoch_bounds(args.epochs if args is not None else EPOCHS_HIGH)
    o["epochs"] = hp.Int("epochs", low, high)
    o["learning_decay"] = hp.Float("learning_decay", 0.7, 1.0)
    o["momentum"] = hp.Float("momentum", 0.5, 0.9)
    o["alpha_w"] = hp.Float("alpha_w", 1e-10, 1e-2, sampling="log")
    # Fig. 2 / Fig. 3a (italic = tuned): filter counts and sizes of the three conv/pool layers.
    if USES_CNN[network] == "elor":
        for i, (k_lo, k_hi) in enumerate(((10, 40), (20, 80), (20, 80)), start=1):
            o[f"filters_{i}"] = hp.Int(f"filters_{i}", 8, 80, step=8)
            o[f"kernel_{i}"] = hp.Int(f"kernel_{i}", k_lo, k_hi, step=10)
            o[f"pool_{i}"] = hp.Choice(f"pool_{i}", [2, 5, 10])
    elif USES_CNN[network] == "lom":
        for i in (1, 2, 3):
            o[f"filters_{i}"] = hp.Int(f"filters_{i}", 8, 80, step=8)
            o[f"kernel_{i}"] = hp.Int(f"kernel_{i}", 3, 11, step=2)
            o[f"pool_{i}"] = hp.Choice(f"pool_{i}", [2, 3])
    # Fig. 2 / Fig. 3 (italic = tuned): MLP widths and dropout of the heads.
    o["hidden_1"] = hp.Int("hidden_1", 50, 400, step=50)
    o["hidden_2"] = hp.Int("hidden_2", 50, 400, step=50)
    o["dropout"] = hp.Float("dropout", 0.1, 0.7)
    return o


def declare_for(network: str):
    """``Search.declare`` of one network."""
    return lambda hp, args: declare(hp, network, args)


def search_split(session, data: WieserData):
    """The first fold (Ses03-F): its training part trains, its 20 % validation part scores (§3.3)."""
    return data.folds[0]


def train_and_score(session, data: WieserData, target: str, config: dict[str, Any], split) -> dict[str, float]:
    """One search trial: the protocol's own training of ``target`` (faithful schedule) on ``split.train``, scored
    by the mean WAR of both dimensions on ``split.val``."""
    from reproductions.wieser2018.protocol import fit_network, predict_classes

    samples = data.samples
    if len(split.val) == 0:
        raise ValueError(f"fold {split.name} has no validation part to score a search trial on")

    def compute(fit) -> dict[str, float]:
        net, stats, _ = fit_network(session, samples, target, "faithful", config, split.train, session.seed, fit)
        pred = predict_classes(net, target, samples, split.val, stats)
        return {OBJECTIVE.name: float(np.mean([war(samples.labels(d)[split.val], pred[d]) for d in DIMENSIONS]))}

    return session.unit(("search", target, split.name), compute, store=False)
