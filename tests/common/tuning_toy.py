"""A tiny search space and model for the tuning tests; also runnable as a chief/worker process.

Each ``fit`` appends one line to ``<out>/fits-<KERASTUNER_TUNER_ID or tuner0>.txt`` so a test can see
which process ran how many trials; ``interrupt_after`` raises KeyboardInterrupt to simulate a kill.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import keras
import keras_tuner as kt
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common.tuning import best_hyperparameters, run_search  # noqa: E402

PAPER = "toy"
OBJECTIVE = kt.Objective("val_accuracy", "max")


class ToyHyperModel(kt.HyperModel):
    def __init__(self, out: Path, interrupt_after: int | None = None) -> None:
        super().__init__()
        self.out = out
        self.interrupt_after = interrupt_after
        rng = np.random.default_rng(0)
        self.x = rng.normal(size=(64, 4)).astype("float32")
        self.y = (self.x[:, 0] > 0).astype("int32")

    def build(self, hp: kt.HyperParameters) -> keras.Model:
        inputs = keras.Input((4,))
        hidden = keras.layers.Dense(hp.Choice("units", [2, 4, 8, 16]), activation="relu")(inputs)
        model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(hidden))
        model.compile(keras.optimizers.Adam(hp.Float("lr", 1e-3, 1e-1, sampling="log")),
                      "sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    def fit(self, hp: kt.HyperParameters, model: keras.Model, *args, **kwargs) -> dict[str, float]:
        log = self.out / f"fits-{os.environ.get('KERASTUNER_TUNER_ID', 'tuner0')}.txt"
        done = len(log.read_text().splitlines()) if log.exists() else 0
        if self.interrupt_after is not None and done >= self.interrupt_after:
            raise KeyboardInterrupt
        history = model.fit(self.x[:48], self.y[:48], validation_data=(self.x[48:], self.y[48:]),
                            epochs=kwargs.get("epochs", 1), verbose=0)
        with log.open("a") as f:
            f.write(json.dumps(hp.values) + "\n")
        return {"val_accuracy": float(max(history.history["val_accuracy"]))}


def namespace(out: Path, trials: int, tuner: str = "random", name: str = "toy-search") -> argparse.Namespace:
    return argparse.Namespace(out=out, trials=trials, tuner=tuner, objective=None, search_name=name, profile="smoke",
                              seed=1, executions_per_trial=1, epochs=1, verbose=0, data_dir=None)


def wait_for_completed(out: Path, name: str, n: int, timeout: float = 120.0) -> None:
    """Block until the shared search directory holds ``n`` completed trials (the other workers' too)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = [json.loads(p.read_text()).get("status") for p in (out / "tuning" / name).glob("trial_*/trial.json")]
        if statuses.count("COMPLETED") >= n:
            return
        time.sleep(0.5)
    raise TimeoutError(f"fewer than {n} completed trials after {timeout} s")


if __name__ == "__main__":
    out, trials = Path(sys.argv[1]), int(sys.argv[2])
    args = namespace(out, trials)
    run_search(PAPER, ToyHyperModel(out), OBJECTIVE, args)
    wait_for_completed(out, args.search_name, trials)
    best = best_hyperparameters(PAPER, args.search_name, out)
    print("BEST " + json.dumps(best, sort_keys=True), flush=True)
