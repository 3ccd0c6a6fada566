"""Training of §6.1: full-length utterances, batch size one, CCC loss, early stopping on dev CCC."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import keras
import numpy as np
import tensorflow as tf

from common.training import set_seed, standard_callbacks
from reproductions.khorram2017.data import Utterance

MONITOR = "val_ccc"  # §6.1: "use the development partition for early stopping" (pooled dev CCC, AVEC 2016)
PATIENCE = 10  # not stated (README: assumptions)


class EpochTimer(keras.callbacks.Callback):
    """Seconds spent on the training pass of each epoch (validation excluded), for the §6.2 epoch-time claim."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []
        self._start = 0.0
        self._open = False

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._start, self._open = time.perf_counter(), True

    def _close(self) -> None:
        if self._open:
            self.times.append(time.perf_counter() - self._start)
            self._open = False

    def on_test_begin(self, logs: dict | None = None) -> None:
        self._close()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._close()

    def steady_epoch_time(self) -> float:
        """Median epoch time, leaving out the first epoch (graph tracing) when there are more."""
        times = self.times[1:] if len(self.times) > 1 else self.times
        return float(np.median(times))


def utterance_dataset(utterances: Sequence[Utterance], dimension: str, shuffle_seed: int | None) -> tf.data.Dataset:
    """One full-length utterance per batch (§6.1: "we train on full length utterances and use a batch size of
    one"); the order is reshuffled every epoch when ``shuffle_seed`` is given."""
    dim = utterances[0].x.shape[1]

    def gen():
        order = np.arange(len(utterances))
        if shuffle_seed is not None:
            np.random.default_rng(shuffle_seed + gen.epoch).shuffle(order)
            gen.epoch += 1
        for i in order:
            u = utterances[i]
            yield u.x[None], u.target(dimension)[None, :, None]

    gen.epoch = 0
    spec = (tf.TensorSpec((1, None, dim), tf.float32), tf.TensorSpec((1, None, 1), tf.float32))
    dataset = tf.data.Dataset.from_generator(gen, output_signature=spec)
    return dataset.apply(tf.data.experimental.assert_cardinality(len(utterances)))


def fit_model(build: Callable[[], keras.Model], train: Sequence[Utterance], dev: Sequence[Utterance],
              dimension: str, epochs: int, seed: int, patience: int = PATIENCE,
              verbose: int = 0) -> tuple[keras.Model, dict]:
    """Seed, build and train one model; keep the weights of the best dev-CCC epoch.

    Returns the model and ``{"epochs_run", "best_epoch", "best_val_ccc", "epoch_time_s", "n_params"}``.
    """
    set_seed(seed)
    model = build()
    timer = EpochTimer()
    history = model.fit(utterance_dataset(train, dimension, seed), validation_data=utterance_dataset(dev, dimension,
                        None), epochs=epochs, verbose=verbose, shuffle=False,
                        callbacks=[*standard_callbacks(MONITOR, "max", patience), timer])
    val = np.asarray(history.history[MONITOR], dtype=float)
    return model, {"epochs_run": len(val), "best_epoch": int(np.nanargmax(val)) + 1 if np.isfinite(val).any() else 0,
                   "best_val_ccc": float(np.nanmax(val)) if np.isfinite(val).any() else float("nan"),
                   "epoch_time_s": timer.steady_epoch_time(), "n_params": int(model.count_params())}


def predict(model: keras.Model, utterances: Sequence[Utterance]) -> list[np.ndarray]:
    """Full-length prediction of every utterance -> list of (T,) arrays."""
    return [np.asarray(model.predict_on_batch(u.x[None]), dtype=np.float32).reshape(-1) for u in utterances]
