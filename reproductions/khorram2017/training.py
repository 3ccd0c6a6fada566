"""Training of §6.1: full-length utterances, batch size one, CCC loss, early stopping on dev CCC."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import keras
import numpy as np

from common.training import set_seed, standard_callbacks
from common.training.curves import curves
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


class UtteranceBatches(keras.utils.PyDataset):
    """One full-length utterance per batch (§6.1: "we train on full length utterances and use a batch size of
    one"), as a backend-neutral ``PyDataset``; with ``shuffle_seed`` the order is reshuffled every epoch.

    Under TensorFlow, Keras infers the batch signature from the first few batches and leaves a dimension free
    only where they differ; when the utterances differ in length, the first epoch therefore starts with the
    shortest and the longest one, so the time axis of the signature is free (RECOLA's are all 300 s).
    """

    def __init__(self, utterances: Sequence[Utterance], dimension: str, shuffle_seed: int | None = None) -> None:
        super().__init__()
        self.utterances, self.dimension, self.shuffle_seed = list(utterances), dimension, shuffle_seed
        self.epoch = 0
        self.order = self._order()
        lengths = [len(u.x) for u in self.utterances]
        if len(set(lengths)) > 1:
            first = [int(np.argmin(lengths)), int(np.argmax(lengths))]
            self.order = np.array(first + [i for i in self.order if i not in first])

    def _order(self) -> np.ndarray:
        order = np.arange(len(self.utterances))
        if self.shuffle_seed is not None:
            np.random.default_rng(self.shuffle_seed + self.epoch).shuffle(order)
        return order

    def __len__(self) -> int:
        return len(self.utterances)

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        u = self.utterances[int(self.order[index])]
        return u.x[None].astype(np.float32), u.target(self.dimension)[None, :, None].astype(np.float32)

    def on_epoch_end(self) -> None:
        self.epoch += 1
        self.order = self._order()


def fit_model(build: Callable[[], keras.Model], train: Sequence[Utterance], dev: Sequence[Utterance],
              dimension: str, epochs: int, seed: int, patience: int = PATIENCE, verbose: int = 0,
              fit_kwargs: dict | None = None, callbacks: Sequence[keras.callbacks.Callback] = ()
              ) -> tuple[keras.Model, dict]:
    """Seed, build and train one model; keep the weights of the best dev-CCC epoch.

    ``fit_kwargs`` / ``callbacks`` come from the unit's ``Fit.schedule`` (``{"epochs": epochs}`` unless the engine
    shortens the fit).
    Returns the model and ``{"epochs_run", "best_epoch", "best_val_ccc", "epoch_time_s", "n_params"}`` plus the
    per-epoch curves (``curve:loss``, ``curve:val_ccc``, ...).
    """
    set_seed(seed)
    model = build()
    timer = EpochTimer()
    kwargs = dict(fit_kwargs or {"epochs": epochs})
    history = model.fit(UtteranceBatches(train, dimension, seed), validation_data=UtteranceBatches(dev, dimension),
                        verbose=verbose, callbacks=[*callbacks, *standard_callbacks(MONITOR, "max", patience), timer],
                        **kwargs)
    val = np.asarray(history.history[MONITOR], dtype=float)
    return model, {"epochs_run": len(val), "best_epoch": int(np.nanargmax(val)) + 1 if np.isfinite(val).any() else 0,
                   "best_val_ccc": float(np.nanmax(val)) if np.isfinite(val).any() else float("nan"),
                   "epoch_time_s": timer.steady_epoch_time(), "n_params": int(model.count_params()),
                   **curves(history)}


def predict(model: keras.Model, utterances: Sequence[Utterance]) -> list[np.ndarray]:
    """Full-length prediction of every utterance -> list of (T,) arrays."""
    return [np.asarray(model.predict_on_batch(u.x[None]), dtype=np.float32).reshape(-1) for u in utterances]
