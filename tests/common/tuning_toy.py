"""A tiny search space and Keras model for the tuning tests; also runnable as a chief/worker process.

The space is declared as ``declare(hp) -> config`` and scored by ``score(config, epochs)``, as a paper's
search is. Each scored point appends one line to ``<out>/fits-<KERASTUNER_TUNER_ID or tuner0>.txt`` so a test
can see which process ran how many trials; ``interrupt_after`` raises KeyboardInterrupt to simulate a kill.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import keras
import keras_tuner as kt
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common.tuning import best_hyperparameters, completed_trials, run_search  # noqa: E402

PAPER = "toy"
NAME = "toy-search"
OBJECTIVE = kt.Objective("val_accuracy", "max")
_RNG = np.random.default_rng(0)
X = _RNG.normal(size=(64, 4)).astype("float32")
Y = (X[:, 0] > 0).astype("int32")


def declare(hp: kt.HyperParameters) -> dict[str, Any]:
    return {"units": hp.Choice("units", [2, 4, 8, 16]), "lr": hp.Float("lr", 1e-3, 1e-1, sampling="log")}


def scorer(out: Path, interrupt_after: int | None = None):
    def score(config: dict[str, Any], epochs: int | None) -> dict[str, float]:
        log = out / f"fits-{os.environ.get('KERASTUNER_TUNER_ID', 'tuner0')}.txt"
        done = len(log.read_text().splitlines()) if log.exists() else 0
        if interrupt_after is not None and done >= interrupt_after:
            raise KeyboardInterrupt
        inputs = keras.Input((4,))
        hidden = keras.layers.Dense(config["units"], activation="relu")(inputs)
        model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(hidden))
        model.compile(keras.optimizers.Adam(config["lr"]), "sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(X[:48], Y[:48], validation_data=(X[48:], Y[48:]), epochs=epochs or 1, verbose=0)
        with log.open("a") as f:
            f.write(json.dumps(config) + "\n")
        return {"val_accuracy": float(max(history.history["val_accuracy"]))}
    return score


def search(out: Path, trials: int, interrupt_after: int | None = None, kind: str = "random") -> None:
    run_search(PAPER, NAME, declare, scorer(out, interrupt_after), OBJECTIVE, kind=kind, max_trials=trials,
               out=out, seed=1, epochs=1, meta={"target": "toy"})


def wait_for_completed(out: Path, name: str, n: int, timeout: float = 120.0) -> None:
    """Block until the shared search directory holds ``n`` completed trials (the other workers' too)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(completed_trials(out / "tuning" / name)) >= n:
            return
        time.sleep(0.5)
    raise TimeoutError(f"fewer than {n} completed trials after {timeout} s")


if __name__ == "__main__":
    out, trials = Path(sys.argv[1]), int(sys.argv[2])
    search(out, trials)
    wait_for_completed(out, NAME, trials)
    best = best_hyperparameters(PAPER, NAME, out)
    print("BEST " + json.dumps(best, sort_keys=True), flush=True)
