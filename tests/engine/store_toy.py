"""A toy paper that writes to every store a run keeps: the feature cache, the ledger, a profile search (keras-tuner
state) and the results table, in two experiments. The crash and identity tests run it."""

from __future__ import annotations

import argparse
from typing import Any

import keras_tuner as kt
import numpy as np
from sklearn.linear_model import RidgeClassifier

from common.audio import load_audio
from common.cache import FeatureCache
from common.engine import Experiment, Paper, Profile, Row, Search, Session
from common.metrics import unweighted_accuracy
from common.splits import random_split


def energy_statistics(paths: list[str]) -> dict[str, np.ndarray]:
    """Log energy, deviation and mean absolute difference of each utterance."""
    waves = [load_audio(p) for p in paths]
    return {"x": np.array([[np.log(np.mean(w**2) + 1e-9), np.std(w), np.mean(np.abs(np.diff(w)))] for w in waves])}


def prepare(session: Session) -> dict[str, Any]:
    table = session.corpus.table.reset_index(drop=True)
    paths = [str(p) for p in table["path"]]
    x = FeatureCache().get_or_compute("store-toy", {"ids": list(table["id"])}, paths,
                                      lambda: energy_statistics(paths))["x"]
    fold = random_split(table, test_frac=0.3, seed=session.seed)
    return {"x": x, "y": table["label"].to_numpy(), "fold": fold.indices(table)}


def train_and_score(session: Session, data: dict, target: str, config: dict, split: Any) -> dict[str, float]:
    model = RidgeClassifier(alpha=config["C"]).fit(data["x"][split.train], data["y"][split.train])
    return {"ua": unweighted_accuracy(data["y"][split.test], model.predict(data["x"][split.test]))}


def experiment(table: str, scale: float):
    def run(session: Session, data: dict):
        config = session.config("ridge", {"C": 1.0})
        config = {"C": config["C"] * scale}
        scores = [session.unit((table, r), lambda fit: train_and_score(session, data, "ridge", config,
                                                                       data["fold"]))["ua"]
                  for r in range(session.runs)]
        yield Row(table, "Ridge", "EmoDB", "UA", [100 * s for s in scores], hp_source=session.hp_source("ridge"))
    return run


def declare(hp: kt.HyperParameters, args: argparse.Namespace) -> dict[str, Any]:
    return {"C": hp.Choice("C", [0.1, 1.0, 10.0])}


PAPER = Paper(
    name="storetoy", title="Store toy", citation="Toy, A. (2026). A toy.", corpora=("emodb",),
    profiles={"smoke": Profile(runs=3, epochs=1)}, split="random 70/30", prepare=prepare,
    experiments=(Experiment("Table 1", experiment("Table 1", 1.0)), Experiment("Table 2", experiment("Table 2", 0.1))),
    searches={"ridge": Search("ridge", declare, kt.Objective("ua", "max"), lambda s, d: d["fold"], {"C": 1.0},
                               tuner="grid", trials={"smoke": 3}, in_profile=("smoke",))},
    train_and_score=train_and_score, strategies=("default",))
