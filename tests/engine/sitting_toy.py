"""A toy paper whose run goes in sittings: one search of two trials, then five units, each a tiny Keras fit.

Every training appends ``<unit> <process id> <sitting>`` to ``<out>/trained.txt``, so a test can see which process
trained what. Run as a script (``python sitting_toy.py [flags]``) it goes through ``main_guard`` as ``run.py`` does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import keras  # noqa: E402
import keras_tuner as kt  # noqa: E402
import numpy as np  # noqa: E402

from common.cli import main_guard  # noqa: E402
from common.engine import Experiment, Fit, Paper, Profile, Row, Search, Session, run  # noqa: E402
from common.engine.sittings import sitting  # noqa: E402

UNITS = 5


def trained(out: Path) -> list[tuple[str, int, int]]:
    """(unit, process id, sitting) of every training so far under ``out`` (``--out``)."""
    path = next(out.rglob("trained.txt"), None)
    lines = path.read_text().split("\n")[:-1] if path else []
    return [(u, int(p), int(s)) for u, p, s in (line.split() for line in lines)]


def _prepare(session: Session) -> dict:
    return {"x": np.linspace(0, 1, 32, dtype="float32")[:, None], "y": np.linspace(0, 2, 32, dtype="float32")}


def _fit(session: Session, data: dict, fit: Fit, name: str, learning_rate: float) -> float:
    with open(session.out / "trained.txt", "a") as log:
        log.write(f"{name} {os.getpid()} {sitting()}\n")
    keras.utils.set_random_seed(session.seed)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(learning_rate), "mse")
    kw, callbacks = fit.schedule(session.epochs, 8)
    model.fit(data["x"], data["y"], batch_size=4, verbose=0, callbacks=callbacks, **kw)
    return float(model.evaluate(data["x"], data["y"], verbose=0))


def _score(session: Session, data: dict, target: str, config: dict, split: Any) -> dict[str, float]:
    lr = config["lr"]
    return session.unit(("search", lr), lambda fit: {"loss": _fit(session, data, fit, f"search/{lr}", lr)},
                        store=False)


def _table1(session: Session, data: dict):
    lr = session.config("toy", {"lr": 0.1})["lr"]
    losses = [session.unit(("table1", u), lambda fit, u=u: {"loss": _fit(session, data, fit, f"table1/{u}", lr)}
                           )["loss"] for u in range(UNITS)]
    yield Row("Table 1", "toy", "EmoDB", "loss", losses)


PAPER = Paper(name="sittingtoy", title="Toy", citation="", corpora=("emodb",),
              profiles={"smoke": Profile(runs=1, epochs=2), "paper": Profile(runs=1, epochs=2)},
              split="none", prepare=_prepare, experiments=(Experiment("Table 1", _table1),),
              searches={"toy": Search("toy", lambda hp, args: {"lr": hp.Choice("lr", [0.1, 0.01])},
                                      kt.Objective("loss", "min"), lambda s, d: None, {"lr": 0.1}, tuner="grid",
                                      trials={"paper": 2}, in_profile=("paper",))},
              train_and_score=_score)


if __name__ == "__main__":
    main_guard(lambda argv: run(PAPER, argv))
