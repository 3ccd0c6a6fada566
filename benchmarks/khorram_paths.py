"""Sections 3 and 4 on Khorram's training path (RECOLA twin, dilated net, batch one, §6.1).

Section 3 compares the suite's path (ledger unit -> ``training.fit_model``: the ``UtteranceBatches`` PyDataset,
early-stopping and epoch-timer callbacks, validation) with a bare ``model.fit`` on stacked in-memory arrays,
same model, data, validation and epochs. Section 4 compares steps/s when batches come from the corpus reader and
the feature cache (open the corpus, cache hit, z-norm, stack, PyDataset) with the same steps from preloaded
tensors. Repetitions alternate between the two paths.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass

import numpy as np

from benchmarks.rows import Row, ratio_rows
from benchmarks.stats import Summary

DIMENSION = "arousal"


@dataclass
class RecolaArrays:
    """The twin's train/dev utterances (``Utterance`` lists) and the same data stacked as arrays."""

    train: list
    dev: list
    x_train: np.ndarray
    y_train: np.ndarray
    x_dev: np.ndarray
    y_dev: np.ndarray


def load_recola(max_steps: int | None) -> RecolaArrays:
    """Reader + feature cache, exactly as the Khorram run does; ``max_steps`` crops utterances (smoke)."""
    from common.corpora import open_corpus
    from reproductions.khorram2017.data import load_utterances

    data = load_utterances(open_corpus("recola"))
    if max_steps:
        for part in ("train", "dev"):
            for u in data[part]:
                u.x, u.arousal = u.x[:max_steps], u.arousal[:max_steps]
    lengths = {len(u.x) for u in data["train"] + data["dev"]}
    if len(lengths) != 1:
        raise ValueError(f"the bare-fit comparison stacks utterances; the twin has lengths {sorted(lengths)}")

    def stack(part: str) -> tuple[np.ndarray, np.ndarray]:
        return (np.stack([u.x for u in data[part]]),
                np.stack([u.target(DIMENSION) for u in data[part]])[..., None])

    return RecolaArrays(data["train"], data["dev"], *stack("train"), *stack("dev"))


def suite_overhead(epochs: int, reps: int, smoke: bool) -> list[Row]:
    """Section 3: wall time of ledger + fit_model against bare model.fit (each rep builds a fresh model)."""
    from common.training import Ledger, set_seed
    from reproductions.khorram2017.models import build_dilated
    from reproductions.khorram2017.training import fit_model

    data = load_recola(64 if smoke else None)

    def suite() -> None:
        with tempfile.TemporaryDirectory() as out:
            ledger = Ledger(out, {"benchmark": "overhead", "epochs": epochs})
            ledger.unit(("dilated", DIMENSION, 0), lambda: fit_model(build_dilated, data.train, data.dev, DIMENSION,
                                                                      epochs, seed=0, patience=epochs + 1)[1])

    def bare() -> None:
        set_seed(0)
        build_dilated().fit(data.x_train, data.y_train, batch_size=1, validation_data=(data.x_dev, data.y_dev),
                            epochs=epochs, verbose=0)

    suite_t, bare_t = _alternate(suite, bare, reps, warm_up=not smoke)
    note = f"khorram2017 dilated, {len(data.train)} train + {len(data.dev)} dev twin utterances x " \
           f"{data.x_train.shape[1]} steps, {epochs} epochs, build included"
    return [Row("overhead", "suite path (ledger + fit_model)", "wall time", "s", Summary.of(suite_t), note=note),
            Row("overhead", "bare model.fit", "wall time", "s", Summary.of(bare_t), note=note),
            ratio_rows("overhead", "suite / bare", "time ratio", suite_t, bare_t, target="<= 1.10", note=note)]


def input_pipeline(epochs: int, reps: int, smoke: bool) -> list[Row]:
    """Section 4: steps/s from reader + cache + PyDataset against preloaded arrays, same model and steps."""
    from common.training import set_seed
    from reproductions.khorram2017.models import build_dilated
    from reproductions.khorram2017.training import UtteranceBatches

    max_steps = 64 if smoke else None
    data = load_recola(max_steps)
    set_seed(0)
    streamed, preloaded = build_dilated(), build_dilated()
    x, y = data.x_train, data.y_train
    steps = epochs * len(data.train)
    load_t: list[float] = []

    def from_loader() -> None:
        start = time.perf_counter()
        train = load_recola(max_steps).train
        load_t.append(time.perf_counter() - start)
        streamed.fit(UtteranceBatches(train, DIMENSION, 0), epochs=epochs, verbose=0, shuffle=False)

    def from_tensors() -> None:
        preloaded.fit(x, y, batch_size=1, epochs=epochs, verbose=0, shuffle=True)

    loader_t, tensor_t = _alternate(from_loader, from_tensors, reps, warm_up=not smoke)
    load_t = load_t[-reps:]  # drop the warm-up
    fit_t = [a - b for a, b in zip(loader_t, load_t, strict=True)]
    note = f"khorram2017 dilated, {len(data.train)} twin utterances x {data.x_train.shape[1]} steps, {epochs} epochs"
    per_s = Summary.of([steps / t for t in loader_t])
    return [Row("pipeline", "reader + cache + PyDataset", "throughput", "steps/s", per_s, note=note),
            Row("pipeline", "preloaded tensors", "throughput", "steps/s", Summary.of([steps / t for t in tensor_t]),
                note=note),
            Row("pipeline", "reader + feature-cache hit (once per run)", "wall time", "s", Summary.of(load_t),
                note=note),
            ratio_rows("pipeline", "preloaded / loader steps/s (load included)", "throughput ratio", loader_t,
                       tensor_t, target="<= 1.05", note=note),
            ratio_rows("pipeline", "preloaded / PyDataset steps/s (fit only)", "throughput ratio", fit_t, tensor_t,
                       target="<= 1.05", note=note)]


def _alternate(a, b, reps: int, warm_up: bool = True) -> tuple[list[float], list[float]]:
    """One untimed warm-up of each (unless ``warm_up`` is False), then ``reps`` timed calls of a and b in
    alternation."""
    if warm_up:
        a(), b()
    ta, tb = [], []
    for _ in range(reps):
        for fn, out in ((a, ta), (b, tb)):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return ta, tb
