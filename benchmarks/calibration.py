"""How hard the full-size twins are: the procedure behind ``common.synth.DEFAULT_DIFFICULTY["full"]``.

A twin is useful for checking a reproduction only if a well-configured paper model lands well below 100 % and
well above chance on it, and badly configured training visibly fails. The probe is the setting in which the 2D
CNN-LSTM of Zhao et al. (2019) did not train on real EmoDB: the paper's 2D network (§3.3), 2 s clips at hop 240
(128 x 134 log-Mels), one speaker-independent pair held out (§4.2, clean validation), early stopping with the
paper's patience (§4.1). Per difficulty of the full-size EmoDB twin it trains

- ``well configured``: the suite's defaults (``TrainConfig()``: Adam 1e-3, batch 32, batch-norm statistics
  recomputed from the training data before each validation);
- ``Keras batch-norm defaults``: the same with Keras's moving statistics (what did not learn on real speech);
- ``learning rate far too high``: SGD at 50;

and reports test accuracy (chance 1/7), the kept epoch and whether the undertraining warning fired. The default
is the lowest difficulty whose well-configured accuracy lies in ``TARGET`` while both bad configurations stay
at least ``GAP`` below it. ``python -m benchmarks --sections calibration`` measures it (about 17-25 min per
difficulty on one CPU core; ``--calibrate 0.5,0.75`` picks the difficulties).
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.rows import Row
from benchmarks.stats import Summary

DIFFICULTIES = (0.25, 0.5, 0.75, 1.0)
#: a well-configured model's test accuracy must land in this range ("well below 100 %, well above chance")
TARGET = (0.45, 0.85)
#: ... and each badly configured training at least this far below it
GAP = 0.15
CLIP = {"clip_samples": 32000, "n_fft": 2048, "hop_length": 240, "n_mels": 128}  # 2 s -> 128 x 134
EPOCHS, PATIENCE = 40, 8  # §4.1's patience; the cap is ours
CONFIGS = {"well configured": {}, "Keras batch-norm defaults": {"recalibrate_bn": False},
           "learning rate far too high": {"optimizer": "sgd", "learning_rate": 50.0}}


def probe(difficulty: float, seed: int = 0, size: str = "full") -> dict[str, dict[str, float]]:
    """Train every configuration of ``CONFIGS`` on the EmoDB twin of ``difficulty``; -> per configuration its
    test accuracy, kept epoch, epochs run, seconds and whether the undertraining warning fired."""
    from common.cache import FeatureCache
    from common.corpora import open_corpus
    from common.training.curves import read_curves, undertraining
    from reproductions.zhao2019.data import network_inputs, select_utterances
    from reproductions.zhao2019.models import TrainConfig
    from reproductions.zhao2019.paper import ZhaoSettings
    from reproductions.zhao2019.protocol import MONITOR, fit_unit, protocol_folds, protocol_units

    sel = select_utterances(open_corpus("emodb", size=size, seed=seed, difficulty=difficulty))
    x = network_inputs(sel, "logmel", ZhaoSettings(**CLIP), FeatureCache())
    folds = protocol_folds(sel.table, "emodb", "speaker-independent", seed=seed, runs=1)
    (unit,) = protocol_units(sel.table, "emodb", folds[:1], "speaker-independent", "clean", seed=seed, runs=1)
    out = {}
    for name, change in CONFIGS.items():
        started = time.perf_counter()
        payload = fit_unit(unit, "2d", x, sel.y, len(sel.classes), TrainConfig(**change), epochs=EPOCHS, seed=seed,
                           patience=PATIENCE)
        warned = undertraining(read_curves(payload), MONITOR, "max")
        out[name] = {"test_accuracy": float(np.mean(payload["y_pred"][unit.test] == sel.y[unit.test])),
                     "best_epoch": payload["best_epoch"], "epochs_run": payload["epochs_run"],
                     "warned": float(bool(warned)), "seconds": time.perf_counter() - started}
    return out


def chosen(results: dict[float, dict[str, dict[str, float]]]) -> float | None:
    """The lowest difficulty meeting ``TARGET`` and ``GAP`` (None when none does)."""
    for d in sorted(results):
        good = results[d]["well configured"]["test_accuracy"]
        bad = [r["test_accuracy"] for n, r in results[d].items() if n != "well configured"]
        if TARGET[0] <= good <= TARGET[1] and all(b <= good - GAP for b in bad):
            return d
    return None


def measure(difficulties: tuple[float, ...] = DIFFICULTIES) -> dict[float, dict[str, dict[str, float]]]:
    """:func:`probe` at every difficulty."""
    return {d: probe(d) for d in difficulties}


def calibration_rows(results: dict[float, dict[str, dict[str, float]]]) -> list[Row]:
    """One row per difficulty and configuration, and the difficulty the procedure picks."""
    from common.provenance import keras_backend

    backend, rows = keras_backend(), []
    for d, by_config in sorted(results.items()):
        for name, r in by_config.items():
            note = (f"kept epoch {r['best_epoch']} of {r['epochs_run']}, undertraining warning "
                    f"{'fired' if r['warned'] else 'quiet'}, {r['seconds']:.0f} s")
            rows.append(Row("calibration", "zhao2019 2D, EmoDB full twin", f"difficulty {d:g}: {name}", "accuracy",
                            Summary.of([r["test_accuracy"]]), backend=backend, note=note))
    pick = chosen(results)
    rows.append(Row("calibration", "zhao2019 2D, EmoDB full twin", "difficulty chosen", "",
                    Summary.of([np.nan if pick is None else pick]), backend=backend,
                    note=f"lowest measured difficulty with well-configured accuracy in {TARGET} and both bad "
                         f"configurations at least {GAP:.0%} below"))
    return rows
