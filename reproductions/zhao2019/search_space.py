"""Bayesian hyperparameter search of Zhao et al. (2019), §3.4, with keras-tuner instead of hyperopt.

§3.4 tunes "the distribution over the choice ('adagrad', 'adam', 'sgd', 'rmsprop')" of the optimiser with
Bayesian optimisation; §5.2 adds penalties on layer parameters and activity whose values it does not give.
The learning rate, batch size and the two penalties are the other hyperparameters the paper leaves open.
The objective is the best validation accuracy under §4.1's early stopping, on validation data held out of
the training speakers (a training speaker of EmoDB, a whole training session of IEMOCAP): the test
speakers are never seen (README "Assumptions and deviations").
"""

from __future__ import annotations

import argparse
from typing import Any

import keras_tuner as kt

from reproductions.zhao2019.models import TrainConfig
from reproductions.zhao2019.protocol import MONITOR

OPTIMIZERS = ["adagrad", "adam", "sgd", "rmsprop"]  # §3.4
OBJECTIVE = kt.Objective(MONITOR, direction="max")  # §3.4 / §4.1: validation accuracy
# The paper does not publish its tuned values; this is the suite's default (TrainConfig), which must lie
# inside the space (README "Assumptions and deviations").
SEARCHED = ("optimizer", "learning_rate", "batch_size", "kernel_penalty", "activity_penalty")
PUBLISHED_POINT: dict = {k: v for k, v in TrainConfig().as_dict().items() if k in SEARCHED}


def declare(hp: kt.HyperParameters, args: argparse.Namespace | None = None) -> dict[str, Any]:
    """Declare the search space on ``hp`` and return the training configuration it picks (TrainConfig keys).

    ``bn_momentum`` and ``recalibrate_bn`` are not searched: they are the suite's fix of batch normalisation
    (README "Defaults that learn"), not hyperparameters of the paper.
    """
    return {
        "optimizer": hp.Choice("optimizer", OPTIMIZERS),  # §3.4: the optimiser choice
        "learning_rate": hp.Float("learning_rate", 1e-4, 1e-1, sampling="log"),  # §3.4: tuned, range ours
        "batch_size": hp.Choice("batch_size", [16, 32, 64]),  # §3.4: tuned, not given
        "kernel_penalty": hp.Float("kernel_penalty", 1e-6, 1e-2, sampling="log"),  # §5.2: parameter penalty
        "activity_penalty": hp.Float("activity_penalty", 1e-8, 1e-4, sampling="log"),  # §5.2: activity penalty
    }
