"""A short training run on the EmoDB twin beats chance on held-out speakers (clean selection, §4.2 split)."""

import numpy as np

from common.cache import FeatureCache
from common.corpora import Corpus
from reproductions.zhao2019.data import network_inputs, select_utterances
from reproductions.zhao2019.models import TrainConfig
from reproductions.zhao2019.protocol import protocol_folds, protocol_units, train_unit

CLASSES = ["anger", "neutral", "sadness"]  # three classes keep the run short; chance is 1/3


def test_1d_network_beats_chance_on_held_out_speakers(emodb_twin, tmp_path):
    table = emodb_twin.table[emodb_twin.table["label"].isin(CLASSES)]
    sel = select_utterances(Corpus(table, emodb_twin.data, emodb_twin.root, emodb_twin.name))
    x = network_inputs(sel, "audio", {"clip_samples": 4096}, FeatureCache(tmp_path))
    folds = protocol_folds(sel.table, "emodb", "speaker-independent", seed=0, runs=1)
    (unit,) = protocol_units(sel.table, folds[:1], "speaker-independent", "clean", seed=0, runs=1)
    payload = train_unit(unit, "1d", x, sel.y, len(sel.classes), TrainConfig(batch_size=16), epochs=4, seed=0)
    accuracy = float(np.mean(payload["y_pred"][unit.test] == sel.y[unit.test]))
    assert len(unit.test) >= 10
    assert accuracy >= 0.6, accuracy  # chance: 1/3
    assert 1 <= payload["best_epoch"] <= payload["epochs_run"] <= 4
    assert payload["val_accuracy"] == payload["val_curve"].max()
