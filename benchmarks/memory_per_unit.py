"""``[KERAS_BACKEND=jax] python -m benchmarks.memory_per_unit [--units N] [--frames T] [--epochs E]``: host memory a
process keeps per trained unit.

A paper profile trains up to hundreds of units in one process. Each unit here is a Zhao (2019) unit at a smaller
input: ``protocol.fit_unit`` on the 2D network (batch-norm recalibration, early stopping and the prediction of every
utterance included), cut by its schedule to ``--epochs`` epochs (default two) of three steps. Resident memory is read
after each unit (garbage collected); the figure is its growth per unit after the first ``WARM_UP`` units (tracing,
allocator pools). Under TensorFlow on a CPU it grows by tens of MiB per unit (reproductions/zhao2019/README.md,
"Memory over many units"), which is why a paper profile under TensorFlow runs in sittings (common.engine.sittings);
under JAX it stays flat.
"""

from __future__ import annotations

import argparse
import gc
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from common.engine.memory import resident_gib  # noqa: E402
from common.splits import Fold  # noqa: E402
from reproductions.zhao2019.models import TrainConfig  # noqa: E402
from reproductions.zhao2019.protocol import Unit, fit_unit  # noqa: E402

#: units left out of the growth: the first ones trace functions and fill allocator pools
WARM_UP = 3
N_MELS, N_CLASSES, N_UTTERANCES, BATCH = 128, 4, 120, 16


def train_unit(x: np.ndarray, y: np.ndarray, seed: int, epochs: int = 2) -> np.ndarray:
    """One Zhao unit (70 % train, 15 % validation, 15 % test), ``epochs`` epochs of three steps (early stopping
    off); its predicted classes."""
    n_train, n_val = int(0.7 * len(x)), int(0.85 * len(x))
    unit = Unit("speaker-dependent", "faithful", Fold("memory", []), 0, np.arange(n_train),
                np.arange(n_train, n_val), np.arange(n_val, len(x)))
    payload = fit_unit(unit, "2d", x, y, N_CLASSES, TrainConfig(batch_size=BATCH), epochs=epochs, seed=seed,
                       patience=epochs,
                       schedule=lambda epochs, steps: ({"epochs": epochs, "steps_per_epoch": min(steps, 3)}, []))
    return payload["y_pred"]


def growth_per_unit(units: int, frames: int, epochs: int = 2) -> tuple[float, list[float]]:
    """MiB of resident memory kept per unit after the warm-up, and the resident MiB after every unit."""
    if units <= WARM_UP + 1:
        raise ValueError(f"--units must exceed {WARM_UP + 1} (the first {WARM_UP} are warm-up)")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N_UTTERANCES, N_MELS, frames)).astype("float32")
    y = rng.integers(0, N_CLASSES, N_UTTERANCES)
    resident = []
    for seed in range(units):
        train_unit(x, y, seed, epochs)
        gc.collect()
        resident.append(resident_gib() * 1024)
    return (resident[-1] - resident[WARM_UP - 1]) / (units - WARM_UP), resident


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory_per_unit", description=__doc__)
    parser.add_argument("--units", type=int, default=15)
    parser.add_argument("--frames", type=int, default=130, help="spectrogram frames per utterance (smoke: 130)")
    parser.add_argument("--epochs", type=int, default=2, help="epochs per unit (growth per fit or per epoch?)")
    args = parser.parse_args(argv)
    per_unit, resident = growth_per_unit(args.units, args.frames, args.epochs)
    print(f"{keras.backend.backend()}: {per_unit:+.1f} MiB resident per unit of {args.epochs} epochs after {WARM_UP} "
          "warm-up units "
          f"({args.units} units; resident MiB: {', '.join(f'{r:.0f}' for r in resident)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
