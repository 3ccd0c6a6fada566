"""keras-tuner search over what §6.1 tunes on dev: "learning rate, number of layers, layer size, filter width,
l2 regularization, dilation factors, downsampling factors", for both proposed architectures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import keras_tuner as kt
import numpy as np

from reproductions.khorram2017.data import Utterance
from reproductions.khorram2017.models import build_dilated, build_downup
from reproductions.khorram2017.training import MONITOR, PATIENCE, utterance_dataset

OBJECTIVE = kt.Objective(MONITOR, direction="max")  # §6.1: dev CCC selects the hyperparameters
ARCHITECTURES = ("dilated", "downup")

# The paper's final choices (§6.1) for arousal: the down/up net (best arousal dev CCC, Table 1).
# learning_rate and kernel_size are not stated: our defaults (README: assumptions).
PUBLISHED_POINT: dict[str, Any] = {"architecture": "downup", "learning_rate": 1e-3, "l2": 0.0, "width": 32,
                                   "kernel_size": 3, "stages": 4, "factor": 3}
PUBLISHED_DILATED_POINT: dict[str, Any] = {"architecture": "dilated", "learning_rate": 1e-3, "l2": 0.0,
                                           "width": 32, "kernel_size": 3, "n_layers": 10, "base": 2}


def declare_space(hp: kt.HyperParameters) -> dict[str, Any]:
    """Declare the §6.1 space and return the builder keyword arguments of the sampled point."""
    arch = hp.Choice("architecture", list(ARCHITECTURES))  # the two §5 networks
    kwargs: dict[str, Any] = {
        "learning_rate": hp.Choice("learning_rate", [1e-4, 3e-4, 1e-3, 3e-3]),  # §6.1 "learning rate"
        "l2": hp.Choice("l2", [0.0, 1e-5, 1e-4, 1e-3]),  # §6.1 "l2 regularization"
        "width": hp.Choice("width", [16, 32, 64, 128]),  # §6.1 "layer size" (32 / 128 chosen)
        "kernel_size": hp.Choice("kernel_size", [2, 3, 5, 7]),  # §6.1 "filter width"
    }
    if arch == "dilated":
        with hp.conditional_scope("architecture", ["dilated"]):
            kwargs["n_layers"] = hp.Int("n_layers", 4, 12)  # §6.1 "number of layers" (10 chosen)
            kwargs["base"] = hp.Choice("base", [2, 3])  # §6.1 "dilation factors" (2^n chosen)
    else:
        with hp.conditional_scope("architecture", ["downup"]):
            kwargs["stages"] = hp.Int("stages", 2, 5)  # §6.1 "number of layers" (4 down + 4 up chosen)
            kwargs["factor"] = hp.Choice("factor", [2, 3, 4])  # §6.1 "downsampling factors" (3 chosen)
    return {"architecture": arch, **kwargs}


def build_from_values(values: dict[str, Any]) -> keras.Model:
    """Build the architecture named in ``values`` with the remaining values as builder arguments."""
    kwargs = {k: v for k, v in values.items() if k != "architecture"}
    return build_dilated(**kwargs) if values["architecture"] == "dilated" else build_downup(**kwargs)


class KhorramHyperModel(kt.HyperModel):
    """Trains each trial's model on RECOLA train and returns its best dev CCC (early stopping on dev, §6.1)."""

    def __init__(self, train: Sequence[Utterance], dev: Sequence[Utterance], dimension: str = "arousal",
                 patience: int = PATIENCE, seed: int = 0) -> None:
        super().__init__(name=f"khorram2017-{dimension}")
        self.train, self.dev, self.dimension = train, dev, dimension
        self.patience, self.seed = patience, seed

    def build(self, hp: kt.HyperParameters) -> keras.Model:
        return build_from_values(declare_space(hp))

    def fit(self, hp: kt.HyperParameters, model: keras.Model, *args: Any, **kwargs: Any) -> dict[str, float]:
        callbacks = [*kwargs.pop("callbacks", []),
                     keras.callbacks.EarlyStopping(MONITOR, mode="max", patience=self.patience,
                                                   restore_best_weights=True)]
        history = model.fit(utterance_dataset(self.train, self.dimension, self.seed),
                            validation_data=utterance_dataset(self.dev, self.dimension, None),
                            epochs=kwargs.pop("epochs", 1), verbose=kwargs.pop("verbose", 0), callbacks=callbacks,
                            shuffle=False)
        val = np.nan_to_num(np.asarray(history.history[MONITOR], dtype=float), nan=-1.0)
        return {MONITOR: float(val.max())}
