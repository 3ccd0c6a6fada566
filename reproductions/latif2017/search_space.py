"""The keras-tuner searches of Latif et al. 2017: the LSTM size on each kind of latent features (§4.3).

§4.3: the LSTM's "network parameters were chosen through cross-validation experiments" and are not printed, so
each network (AE-, VAE-, CVAE-LSTM) has its own search of the LSTM size, which the paper profile runs before the
protocol (``in_profile``). The latent size is not searched: the paper prints 128 for Tables 1-2 (§4.3, §5.3) and
Fig. 2 is itself the sweep of the latent size. Each trial is scored by the protocol's own training
(``latent_features`` + ``classify``, the two halves of a protocol unit) on the first leave-one-session-out fold
of the complete data, one of its training sessions held out for early stopping and scoring: the fold's test
session is never seen.
"""

from __future__ import annotations

import argparse
from typing import Any

import keras_tuner as kt

from common.engine import Fit, Search, Session
from common.metrics import unweighted_accuracy, weighted_accuracy
from common.splits import FoldIndices, leave_one_session_out
from reproductions.latif2017.data import Data
from reproductions.latif2017.labels import CLASSES
from reproductions.latif2017.models import LSTM_UNITS
from reproductions.latif2017.protocol import (
    MODELS,
    SWEEP_SUBSET,
    TARGETS,
    carve_sessions,
    categorical_targets,
    model_scope,
    train_config,
)
from reproductions.latif2017.training import classify, latent_features

OBJECTIVE = kt.Objective("ua", direction="max")  # UA (%) of the categorical task on the held-out session
LSTM_SIZES = [32, 64, 128, 256]  # §4.3: LSTM "network parameters were chosen through cross-validation"
# The paper prints no LSTM size; our default stands in as the "published" point (it must lie in the space).
PUBLISHED: dict[str, Any] = {"lstm_units": LSTM_UNITS}


def declare(hp: kt.HyperParameters, args: argparse.Namespace) -> dict[str, Any]:
    return {"lstm_units": hp.Choice("lstm_units", LSTM_SIZES)}


def search_split(session: Session, data: Data) -> dict[str, Any]:
    """First LOSO fold of the complete 4-class data, its test session dropped; one training session (seeded)
    becomes the validation part, used for early stopping and as the trial's score."""
    df, labels = categorical_targets(data, SWEEP_SUBSET)
    fold = carve_sessions(leave_one_session_out(df)[0], df, seed=session.seed)
    idx = fold.indices(data.table)
    return {"fold": FoldIndices(f"search-{fold.name}", idx.train, idx.val, idx.val), "labels": labels}


def train_and_score(session: Session, data: Data, target: str, config: dict[str, Any],
                    split: dict[str, Any]) -> dict[str, float]:
    """Train ``target`` (``<kind>-lstm``) at ``config`` on ``split``; WA / UA (%) of the held-out part.

    The autoencoder does not depend on the LSTM size: its latents are kept with the prepared data
    (``Data.search_latents``) for the search's later trials. A CVAE is scored on its label-free features, so
    the search never reads the labels of the utterances it scores through their input.
    """
    kind = next(k for k, t in TARGETS.items() if t == target)
    cfg = train_config(session, kind, config=config)
    fold, labels = split["fold"], split["labels"]
    memo = data.search_latents
    key = (kind, cfg.latent_dim, cfg.ae_epochs, fold.name, session.seed)

    def compute(fit: Fit) -> dict[str, float]:
        if key not in memo:
            memo[key] = latent_features(kind, data.seg, fold, cfg, session.seed, labels, len(CLASSES),
                                        marginal=kind == "cvae", schedule=fit.schedule, part=(),
                                        scope=model_scope(session))[0]
        latents = memo[key]["marginal" if kind == "cvae" else "faithful"]
        pred, _ = classify(latents, data.seg, fold, labels, len(CLASSES), cfg, session.seed, fit.schedule,
                           (f"lstm{cfg.lstm_units}",), model_scope(session))
        truth = labels[fold.test]
        return {"ua": 100 * unweighted_accuracy(truth, pred), "wa": 100 * weighted_accuracy(truth, pred)}

    return session.unit(("search", target, fold.name), compute, store=False)


SEARCHES = {TARGETS[kind]: Search(TARGETS[kind], declare, OBJECTIVE, search_split, PUBLISHED, tuner="grid",
                                  trials={"smoke": len(LSTM_SIZES), "paper": len(LSTM_SIZES)},
                                  source=f"§4.3 ({MODELS[kind]})", in_profile=("paper",),
                                  needed=lambda settings, k=kind: k in settings.models)
            for kind in MODELS}
