"""``[KERAS_BACKEND=jax] python -m benchmarks.memory_per_unit [--units N] [--frames T]``: host memory a process keeps
per trained unit.

A paper profile trains up to hundreds of units in one process. Each unit here is what a Zhao (2019) unit does at a
smaller input: build the 2D network, fit it through ``ArrayBatches`` for two epochs of three steps with validation,
and predict every utterance. Resident memory is read after each unit (garbage collected); the figure is its growth per
unit after the first ``WARM_UP`` units (tracing, allocator pools). Under TensorFlow on a CPU it grows by tens of MiB per
unit (reproductions/zhao2019/README.md, "Memory over many units"); under JAX it stays flat.
"""

from __future__ import annotations

import argparse
import gc
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import psutil  # noqa: E402

from common.training.batches import ArrayBatches, releasing  # noqa: E402
from reproductions.zhao2019.models import TrainConfig, build_network  # noqa: E402

#: units left out of the growth: the first ones trace functions and fill allocator pools
WARM_UP = 3
N_MELS, N_CLASSES, N_UTTERANCES, BATCH = 128, 4, 120, 16


def train_unit(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """One unit: build, fit two epochs of three steps with validation; the predictions for all utterances."""
    keras.utils.set_random_seed(seed)
    model = build_network("2d", N_CLASSES, x.shape[1:-1], TrainConfig(batch_size=BATCH))
    n_train, n_val = int(0.7 * len(x)), int(0.85 * len(x))
    with releasing(ArrayBatches(x, np.arange(n_train), y, BATCH, shuffle=True, seed=seed),
                   ArrayBatches(x, np.arange(n_train, n_val), y, BATCH),
                   ArrayBatches(x, np.arange(len(x)), batch_size=BATCH)) as (train, val, every):
        model.fit(train, validation_data=val, epochs=2, steps_per_epoch=3, verbose=0)
        return model.predict(every, verbose=0)


def growth_per_unit(units: int, frames: int) -> tuple[float, list[float]]:
    """MiB of resident memory kept per unit after the warm-up, and the resident MiB after every unit."""
    if units <= WARM_UP + 1:
        raise ValueError(f"--units must exceed {WARM_UP + 1} (the first {WARM_UP} are warm-up)")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N_UTTERANCES, N_MELS, frames, 1)).astype("float32")
    y = rng.integers(0, N_CLASSES, N_UTTERANCES)
    me, resident = psutil.Process(), []
    for seed in range(units):
        train_unit(x, y, seed)
        gc.collect()
        resident.append(me.memory_info().rss / 2**20)
    return (resident[-1] - resident[WARM_UP - 1]) / (units - WARM_UP), resident


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory_per_unit", description=__doc__)
    parser.add_argument("--units", type=int, default=15)
    parser.add_argument("--frames", type=int, default=130, help="spectrogram frames per utterance (smoke: 130)")
    args = parser.parse_args(argv)
    per_unit, resident = growth_per_unit(args.units, args.frames)
    print(f"{keras.backend.backend()}: {per_unit:+.1f} MiB resident per unit after {WARM_UP} warm-up units "
          f"({args.units} units; resident MiB: {', '.join(f'{r:.0f}' for r in resident)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
