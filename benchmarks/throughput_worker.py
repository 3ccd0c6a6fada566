"""Section 1 worker: training throughput of the registered models on one Keras backend, in its own process.

``python -m benchmarks.throughput_worker --backend jax --out t.json [--smoke] [--reps 5] [--models a,b] [--seconds S]``.
The backend must be chosen before Keras is imported, hence a process per backend. Repetitions are interleaved
across models (rep 1 of every model, then rep 2, ...), so a change of machine load hits all models alike and the
side-by-side ratios of section 2 compare like with like. With ``--seconds`` no model is warmed up and no
repetition after the first is started once that many seconds have passed (a machine lent for minutes); the models
left out are reported as not measured.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import numpy as np

MAX_INPUT_BYTES = 256 * 2**20  # cap on the synthetic inputs of one repetition
TARGET_REP_S = 2.0  # a repetition times enough steps to take about this long (at least one step)


def _nbytes(batch: Any) -> int:
    if isinstance(batch, dict):
        return sum(_nbytes(v) for v in batch.values())
    if isinstance(batch, tuple | list):
        return sum(_nbytes(v) for v in batch)
    return int(np.asarray(batch).nbytes)


def _tile(batch: Any, steps: int) -> Any:
    """``steps`` copies of a batch along the sample axis (same data every step)."""
    if isinstance(batch, dict):
        return {k: _tile(v, steps) for k, v in batch.items()}
    if isinstance(batch, tuple | list):
        return type(batch)(_tile(v, steps) for v in batch)
    return np.concatenate([batch] * steps)


def _step_timer():
    """A callback timing the steps after the first one of a fit call (fit set-up and the first step, which
    carries iterator start-up, are left out)."""
    import time

    import keras

    class StepTimer(keras.callbacks.Callback):
        def on_train_begin(self, logs=None) -> None:
            self.first_end = self.last_end = 0.0
            self.steps = 0

        def on_train_batch_end(self, batch, logs=None) -> None:
            now = time.perf_counter()
            if self.steps == 0:
                self.first_end = now
            self.last_end, self.steps = now, self.steps + 1

        def seconds_per_step(self) -> float:
            return (self.last_end - self.first_end) / (self.steps - 1)

    return StepTimer()


class Bench:
    """One model, its synthetic data and its timed repetitions."""

    def __init__(self, spec, smoke: bool, rng: np.random.Generator) -> None:
        import keras

        self.spec = spec
        self.shape = spec.smoke_shape if smoke else spec.shape
        self.batch_size = min(spec.batch_size, 2) if smoke else spec.batch_size
        keras.utils.set_random_seed(0)
        self.model = spec.build(self.shape)
        self.x, self.y = spec.batch(self.shape, self.batch_size, rng)
        self.steps = 2
        self.timer = _step_timer()
        self.times: list[float] = []

    def fit(self, steps: int) -> float:
        """Seconds per training step over one fit call of ``steps`` (>= 2) steps."""
        x, y = _tile(self.x, steps), _tile(self.y, steps)
        self.model.fit(x, y, batch_size=self.batch_size, epochs=1, verbose=0, shuffle=False, callbacks=[self.timer])
        return self.timer.seconds_per_step()

    def warm_up(self, smoke: bool) -> None:
        """Trace the train function, then size a repetition to about TARGET_REP_S seconds of timed steps."""
        step = self.fit(2)
        if smoke:
            return
        cap = max(2, MAX_INPUT_BYTES // max(1, _nbytes((self.x, self.y))))
        self.steps = int(min(cap, 1 + max(1, math.ceil(TARGET_REP_S / max(step, 1e-6)))))

    def result(self) -> dict[str, Any]:
        return {"name": self.spec.name, "step_s": self.times, "steps": self.steps, "batch": self.batch_size,
                "shape": list(self.shape), "params": sum(int(np.prod(v.shape)) for v in self.model.trainable_variables)}


def device_name(backend: str) -> str:
    """The device the backend computes on, e.g. 'cpu' or 'NVIDIA H100 80GB HBM3'."""
    if backend == "jax":
        import jax
        d = jax.devices()[0]
        return f"{d.platform}: {getattr(d, 'device_kind', d)}"
    import tensorflow as tf
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        return "gpu: " + ", ".join(tf.config.experimental.get_device_details(g).get("device_name", g.name)
                                   for g in gpus)
    return "cpu"


def run(backend: str, names: list[str], reps: int, smoke: bool, seconds: float = math.inf) -> dict[str, Any]:
    """Build every model, warm it up, then time ``reps`` interleaved repetitions (fewer, but at least one, when
    ``seconds`` run out)."""
    import keras

    from benchmarks.registry import by_name

    if backend == "tensorflow":
        from common.training import configure_threads
        configure_threads()
    rng = np.random.default_rng(0)
    deadline = time.monotonic() + seconds
    benches, failed = [], []
    for name in names:
        if time.monotonic() > deadline:
            failed.append({"name": name, "error": f"not measured: the {seconds:.0f} s budget ran out"})
            continue
        try:
            bench = Bench(by_name()[name], smoke, rng)
            bench.warm_up(smoke)
            benches.append(bench)
            print(f"[throughput {backend}] {name}: warm, {bench.steps} steps per rep", file=sys.stderr, flush=True)
        except Exception as err:  # a model that does not run on this backend is reported, not fatal
            failed.append({"name": name, "error": f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"})
            traceback.print_exc(file=sys.stderr)
    for rep in range(reps):
        if rep and time.monotonic() > deadline:
            break
        for bench in benches:
            bench.times.append(bench.fit(bench.steps))
    return {"backend": backend, "keras": keras.__version__, "device": device_name(backend),
            "results": [b.result() for b in benches], "failed": failed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("tensorflow", "jax"), required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--models", default="", help="comma-separated registry names (default: all)")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--seconds", type=float, default=math.inf, help="time budget (default: none)")
    args = parser.parse_args(argv)
    if os.environ.get("KERAS_BACKEND") != args.backend:
        raise SystemExit(f"set KERAS_BACKEND={args.backend} before starting this worker")
    from benchmarks.registry import models

    names = [n for n in args.models.split(",") if n] or [m.name for m in models()]
    args.out.write_text(json.dumps(run(args.backend, names, args.reps, args.smoke, args.seconds), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
