"""Learning on the synthetic RECOLA twin beats a constant (the engine's contract tests run the smoke + resume)."""

import numpy as np
import pytest

from common.corpora import open_corpus
from common.metrics import ccc_pooled
from reproductions.khorram2017.data import load_utterances
from reproductions.khorram2017.models import build_dilated
from reproductions.khorram2017.training import UtteranceBatches, fit_model, predict


@pytest.fixture(scope="module")
def twin_data() -> dict:
    return load_utterances(open_corpus("recola", None, size="smoke", seed=0))


def test_short_training_beats_a_constant_predictor_and_keeps_its_curves(twin_data: dict) -> None:
    """A constant prediction has dev CCC 0; a few epochs of the dilated net must do clearly better."""
    model, info = fit_model(lambda: build_dilated(n_layers=6, width=16), twin_data["train"], twin_data["dev"],
                            "arousal", epochs=4, seed=0, patience=4)
    dev = twin_data["dev"]
    score = ccc_pooled([u.arousal for u in dev], predict(model, dev))
    assert score > 0.2, info
    assert info["epoch_time_s"] > 0 and info["n_params"] == model.count_params()
    assert info["curve:val_ccc"].shape == (info["epochs_run"],) and "curve:loss" in info


def test_batches_are_whole_utterances_reshuffled_each_epoch(twin_data: dict) -> None:
    train = twin_data["train"]
    batches = UtteranceBatches(train, "arousal", shuffle_seed=3)
    first = [batches[i][0].shape for i in range(len(batches))]
    assert all(s[0] == 1 and s[2] == 160 for s in first) and len(batches) == len(train)
    orders = [batches.order.copy()]
    for _ in range(4):
        batches.on_epoch_end()
        orders.append(batches.order.copy())
    assert all(sorted(o) == list(range(len(train))) for o in orders)
    assert len({tuple(o) for o in orders}) > 1
    x, y = batches[0]
    u = train[int(batches.order[0])]
    np.testing.assert_array_equal(x[0], u.x)
    np.testing.assert_array_equal(y[0, :, 0], u.arousal)


def test_utterances_of_different_lengths_train_on_the_default_backend() -> None:
    """TensorFlow infers the batch signature from the first batches: the time axis must stay free."""
    from reproductions.khorram2017.data import Utterance

    rng = np.random.default_rng(0)

    def utt(i: int, t: int) -> Utterance:
        y = np.tanh(np.cumsum(rng.standard_normal(t)) / 10).astype("float32")
        return Utterance(f"u{i}", "train", rng.standard_normal((t, 5)).astype("float32"), np.arange(t) * 0.04, y, y)

    train = [utt(i, t) for i, t in enumerate((90, 90, 90, 90, 90, 90, 131, 60))]  # the odd lengths come last
    model, info = fit_model(lambda: build_dilated(n_layers=2, width=4, input_dim=5), train, [utt(9, 77)],
                            "arousal", epochs=2, seed=0, patience=2)
    assert info["epochs_run"] == 2 and predict(model, [utt(10, 33)])[0].shape == (33,)
