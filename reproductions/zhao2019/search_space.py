"""Bayesian hyperparameter search of Zhao et al. (2019), §3.4, with keras-tuner instead of hyperopt.

§3.4 tunes "the distribution over the choice ('adagrad', 'adam', 'sgd', 'rmsprop')" of the optimiser with
Bayesian optimisation; §5.2 adds penalties on layer parameters and activity whose values it does not give.
The learning rate, batch size and the two penalties are the other hyperparameters the paper leaves open.
The objective is the best validation accuracy under §4.1's early stopping, on a validation speaker held
out of the training speakers (never the test speakers).
"""

from __future__ import annotations

import keras_tuner as kt
import numpy as np

from common.training import standard_callbacks
from reproductions.zhao2019.models import TrainConfig, build_network
from reproductions.zhao2019.protocol import MONITOR, PATIENCE

OPTIMIZERS = ["adagrad", "adam", "sgd", "rmsprop"]  # §3.4
OBJECTIVE = kt.Objective(MONITOR, direction="max")  # §3.4 / §4.1: validation accuracy
# The paper does not publish its tuned values; this is our pre-tuning default (TrainConfig), which must lie
# inside the space (README "Assumptions and deviations").
PUBLISHED_POINT: dict = TrainConfig().as_dict()


def config_from_hp(hp: kt.HyperParameters) -> TrainConfig:
    """Declare the search space on ``hp`` and return the training configuration it picks."""
    return TrainConfig(
        optimizer=hp.Choice("optimizer", OPTIMIZERS),  # §3.4: the optimiser choice
        learning_rate=hp.Float("learning_rate", 1e-4, 1e-1, sampling="log"),  # §3.4: tuned, range ours
        batch_size=hp.Choice("batch_size", [16, 32, 64]),  # §3.4: tuned, not given
        kernel_penalty=hp.Float("kernel_penalty", 1e-6, 1e-2, sampling="log"),  # §5.2: parameter penalty
        activity_penalty=hp.Float("activity_penalty", 1e-8, 1e-4, sampling="log"),  # §5.2: activity penalty
    )


class ZhaoHyperModel(kt.HyperModel):
    """Builds the 1D or 2D CNN LSTM for a point of the space and trains it on the training speakers."""

    def __init__(self, network: str, n_classes: int, x_train: np.ndarray, y_train: np.ndarray,
                 x_val: np.ndarray, y_val: np.ndarray, patience: int = PATIENCE) -> None:
        super().__init__(name=f"zhao2019-{network}")
        self.network = network
        self.n_classes = n_classes
        self.x_train, self.y_train, self.x_val, self.y_val = x_train, y_train, x_val, y_val
        self.patience = patience

    def build(self, hp: kt.HyperParameters):
        return build_network(self.network, self.n_classes, self.x_train.shape[1:-1], config_from_hp(hp))

    def fit(self, hp: kt.HyperParameters, model, *args, **kwargs) -> dict[str, float]:
        callbacks = list(kwargs.pop("callbacks", [])) + standard_callbacks(MONITOR, "max", self.patience)
        history = model.fit(self.x_train, self.y_train, validation_data=(self.x_val, self.y_val),
                            batch_size=hp.get("batch_size"), epochs=kwargs.get("epochs", 1),
                            verbose=kwargs.get("verbose", 0), callbacks=callbacks)
        return {MONITOR: float(max(history.history[MONITOR]))}
