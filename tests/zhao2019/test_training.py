"""Training on the EmoDB twin: a short run beats chance on held-out speakers (clean selection, §4.2 split), keeps
its per-epoch curves, and, on a twin at the calibrated difficulty, the undertraining warning fires for a learning
rate far too high but not for a good one."""


import numpy as np
import pytest

from common.cache import FeatureCache
from common.corpora import READERS, Corpus
from common.engine.unit import Units
from common.synth import DEFAULT_DIFFICULTY, generate
from common.training.curves import read_curves
from reproductions.zhao2019.data import network_inputs, select_utterances
from reproductions.zhao2019.models import TrainConfig
from reproductions.zhao2019.paper import ZhaoSettings
from reproductions.zhao2019.protocol import MONITOR, fit_unit, protocol_folds, protocol_units

CLASSES = ["anger", "neutral", "sadness"]  # three classes keep the run short; chance is 1/3


@pytest.fixture(scope="module")
def three_class(emodb_twin, tmp_path_factory):
    table = emodb_twin.table[emodb_twin.table["label"].isin(CLASSES)]
    sel = select_utterances(Corpus(table, emodb_twin.data, emodb_twin.root, emodb_twin.name))
    x = network_inputs(sel, "audio", ZhaoSettings(clip_samples=4096), FeatureCache(tmp_path_factory.mktemp("cache")))
    folds = protocol_folds(sel.table, "emodb", "speaker-independent", seed=0, runs=1)
    (unit,) = protocol_units(sel.table, "emodb", folds[:1], "speaker-independent", "clean", seed=0, runs=1)
    return sel, x, unit


@pytest.fixture(scope="module")
def seven_class(tmp_path_factory):
    """All 7 classes of a small EmoDB twin (490 utterances) at the full-size twins' calibrated difficulty
    (benchmarks/calibration.py), speaker-dependent clean split, learnt over epochs."""
    root = generate("emodb", tmp_path_factory.mktemp("hard") / "emodb", size="small",
                    difficulty=DEFAULT_DIFFICULTY["full"])
    sel = select_utterances(Corpus(READERS["emodb"](root), "synthetic", root, "emodb"))
    x = network_inputs(sel, "audio", ZhaoSettings(clip_samples=16000),
                       FeatureCache(tmp_path_factory.mktemp("cache7")))
    folds = protocol_folds(sel.table, "emodb", "speaker-dependent", seed=0, runs=1)
    (unit,) = protocol_units(sel.table, "emodb", folds, "speaker-dependent", "clean", seed=0, runs=1)
    return sel, x, unit


def _warnings(payload) -> list[str]:
    units = Units(None)
    units.unit(("unit",), lambda fit: payload, MONITOR, store=False)
    return units.warnings


def test_1d_network_beats_chance_on_held_out_speakers_and_keeps_its_curves(three_class):
    sel, x, unit = three_class
    payload = fit_unit(unit, "1d", x, sel.y, len(sel.classes), TrainConfig(batch_size=16), epochs=4, seed=0)
    accuracy = float(np.mean(payload["y_pred"][unit.test] == sel.y[unit.test]))
    assert len(unit.test) >= 10
    assert accuracy >= 0.6, accuracy  # chance: 1/3
    curves = read_curves(payload)
    assert set(curves) >= {"accuracy", "val_accuracy", "loss", "val_loss"}
    assert 1 <= payload["best_epoch"] <= payload["epochs_run"] == curves["val_accuracy"].size <= 4
    assert payload["val_accuracy"] == pytest.approx(float(curves["val_accuracy"].max()))
    assert 0 <= payload["train_accuracy_inference"] <= 1


@pytest.mark.parametrize("optimizer,learning_rate,fires", [("adam", 1e-3, False), ("sgd", 50.0, True)])
def test_undertraining_warning_fires_for_a_learning_rate_far_too_high_only(seven_class, optimizer, learning_rate,
                                                                          fires):
    sel, x, unit = seven_class
    config = TrainConfig(optimizer=optimizer, learning_rate=learning_rate, batch_size=32)
    payload = fit_unit(unit, "1d", x, sel.y, len(sel.classes), config, epochs=10, seed=0)
    assert bool(_warnings(payload)) is fires, (_warnings(payload), read_curves(payload))


def _bn_stats_gap(recalibrate: bool) -> float:
    """Largest relative gap between a BN layer's moving variance and its input's variance over the training set."""
    import keras

    from common.training import set_seed
    from reproductions.zhao2019.models import build_network
    from reproductions.zhao2019.protocol import RecalibrateBatchNorm

    set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((48, 1024, 1)).astype("float32") * 0.1
    y = rng.integers(0, 3, 48)
    model = build_network("1d", 3, (1024,), TrainConfig(learning_rate=1e-2))
    extra = [RecalibrateBatchNorm(x)] if recalibrate else []
    model.fit(x, y, validation_data=(x[:8], y[:8]), batch_size=16, epochs=2, verbose=0, callbacks=extra)
    gaps = []
    for layer in (lay for lay in model.layers if isinstance(lay, keras.layers.BatchNormalization)):
        a = keras.Model(model.inputs, layer.input).predict(x, verbose=0).reshape(-1, layer.input.shape[-1])
        gaps.append(float(np.max(np.abs(np.asarray(layer.moving_variance) - a.var(0)) / (a.var(0) + 1e-6))))
    return max(gaps)


def test_batch_norm_statistics_are_those_of_the_training_data_before_validation():
    """Keras's moving averages after 6 steps lag far behind (momentum 0.99); recalibrated statistics are exact."""
    assert _bn_stats_gap(recalibrate=True) < 1e-3
    assert _bn_stats_gap(recalibrate=False) > 0.5
    assert TrainConfig().recalibrate_bn
