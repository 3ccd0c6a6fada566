"""keras-tuner replacement of §3.3's hyperopt/TPE searches (ELoR 70, LoM 150, FTR 150 evaluations).

keras-tuner has no TPE; ``bayesian`` (Gaussian-process Bayesian optimisation) is the closest model-based
sequential optimiser it ships, so it is the default. Ranges are centred on the published / assumed values
(§3.3: "a uniform distribution with a mean based on the hyperparameters suggested by Trigeorgis et al."); every
hp below was tuned by the paper (§3.3, Tables 1-3, the italic values of Fig. 2 / Fig. 3). The objective is the
accuracy (WAR) on the 20 % validation part of a cross-validation step (§3.3), averaged over the two dimensions.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import keras_tuner as kt
import numpy as np

from common.metrics import war
from reproductions.wieser2018.data import Samples
from reproductions.wieser2018.hyperparameters import (
    DIMENSIONS,
    ELOR_CNN,
    HEAD_MLP,
    LOM_CNN,
    TRAINING_HP,
)
from reproductions.wieser2018.networks import (
    USES_CNN,
    build_network,
    functional_stats,
    network_config,
    network_inputs,
)
from reproductions.wieser2018.protocol import FoldRows, predict_classes
from reproductions.wieser2018.schedule import compile_for

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


def declare(hp: kt.HyperParameters, network: str) -> dict[str, Any]:
    """The search space of ``network`` -> the chosen values as ``network_config`` overrides."""
    o: dict[str, Any] = {"network": hp.Fixed("network", network)}
    # Tables 1-3 (§3.3): training hyperparameters of every searched network.
    o["batch_size"] = hp.Int("batch_size", 5, 30, step=5)
    o["learning_rate"] = hp.Float("learning_rate", 1e-5, 0.1, sampling="log")
    o["epochs"] = hp.Int("epochs", 4, 20)
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


class WieserHyperModel(kt.HyperModel):
    """Trains ``network`` on one fold's training part and scores its 20 % validation part (§3.3)."""

    def __init__(self, network: str, samples: Samples, fold: FoldRows, settings: dict[str, Any],
                 seed: int = 0) -> None:
        super().__init__(name=f"wieser2018-{network}")
        self.network, self.samples, self.fold, self.settings, self.seed = network, samples, fold, settings, seed
        self.stats = functional_stats(samples, fold.train)

    def build(self, hp: kt.HyperParameters):
        cfg = network_config(self.network, self.settings, declare(hp, self.network))
        steps = math.ceil(len(self.fold.train) / cfg.training.batch_size)
        return compile_for(build_network(cfg, self.samples), cfg.training, steps, "faithful", self.seed)

    def fit(self, hp: kt.HyperParameters, model, *args, **kwargs) -> dict[str, float]:
        x = network_inputs(self.network, self.samples, self.fold.train, self.stats)
        y = {d: self.samples.labels(d)[self.fold.train] for d in DIMENSIONS}
        epochs = min(hp.get("epochs"), kwargs.get("epochs") or hp.get("epochs"))
        model.fit(x, y, batch_size=hp.get("batch_size"), epochs=epochs, verbose=0,
                  callbacks=[c for c in kwargs.get("callbacks", []) if not hasattr(c, "filepath")])
        net = getattr(model, "net", model)
        pred = predict_classes(net, self.network, self.samples, self.fold.val, self.stats)
        scores = [war(self.samples.labels(d)[self.fold.val], pred[d]) for d in DIMENSIONS]
        return {OBJECTIVE.name: float(np.mean(scores))}
