"""A sixth paper in a few lines: logistic regression on per-utterance energy statistics of EmoDB.

It exists to prove that a new reproduction needs nothing but a ``Paper`` and one registry line.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

import keras_tuner as kt
import numpy as np
from sklearn.linear_model import LogisticRegression

from common.audio import load_audio
from common.engine import Experiment, Paper, Profile, Row, Search, Session, Settings, setting
from common.metrics import unweighted_accuracy
from common.splits import random_split

DEFAULT = {"C": 1.0}


@dataclass(frozen=True)
class ToySettings(Settings):
    test_frac: float = setting(0.3, source="§2: a 70/30 split")


def prepare(session: Session) -> dict[str, Any]:
    table = session.corpus.table.reset_index(drop=True)
    x = np.array([[np.log(np.mean(w**2) + 1e-9), np.std(w), np.mean(np.abs(np.diff(w)))]
                  for w in (load_audio(p) for p in table["path"])])
    fold = random_split(table, test_frac=session.settings.test_frac, seed=session.seed)
    session.write_folds([fold], "toy.csv")
    return {"x": x, "y": table["label"].to_numpy(), "fold": fold.indices(table), "id": table["id"].to_numpy(str),
            "speaker": table["speaker"].to_numpy(str)}


def train_and_score(session: Session, data: dict, target: str, config: dict, split: Any) -> dict[str, float]:
    idx = split
    model = LogisticRegression(C=config["C"], max_iter=500).fit(data["x"][idx.train], data["y"][idx.train])
    return {"ua": unweighted_accuracy(data["y"][idx.test], model.predict(data["x"][idx.test]))}


def predict(data: dict, config: dict) -> dict[str, Any]:
    """The test utterances' ids, speakers, labels and predictions, and their UA."""
    test = data["fold"].test
    model = LogisticRegression(C=config["C"], max_iter=500).fit(data["x"][data["fold"].train],
                                                                 data["y"][data["fold"].train])
    pred = model.predict(data["x"][test])
    return {"ua": unweighted_accuracy(data["y"][test], pred), "id": data["id"][test],
            "speaker": data["speaker"][test], "y_true": data["y"][test].astype(str), "y_pred": pred.astype(str)}


def table1(session: Session, data: dict):
    config = session.config("logreg", DEFAULT)
    scores = [session.unit(("table1", r), lambda fit: predict(data, config))["ua"] for r in range(session.runs)]
    yield Row("Table 1", "LogReg", "EmoDB", "UA", [100 * s for s in scores], hp_source=session.hp_source("logreg"))


def declare(hp: kt.HyperParameters, args: argparse.Namespace) -> dict[str, Any]:
    return {"C": hp.Choice("C", [0.1, 1.0, 10.0])}


PAPER = Paper(
    name="toy2026", title="Toy et al. 2026", citation="Toy, A. (2026). A toy.", corpora=("emodb",),
    profiles={"smoke": Profile(runs=2, epochs=1, settings=ToySettings()),
              "paper": Profile(runs=5, epochs=1, settings=ToySettings())},
    split="random 70/30", prepare=prepare, experiments=(Experiment("Table 1", table1),),
    searches={"logreg": Search("logreg", declare, kt.Objective("ua", "max"), lambda s, d: d["fold"], {"C": 1.0},
                               tuner="grid")},
    train_and_score=train_and_score, strategies=("default",))
