"""The one training function: curves, per-item test predictions with subjects, kept weights, the search's
metrics, and a rehearsal's cut (a few steps of the real number of steps per epoch)."""

from argparse import Namespace
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from common.engine import Session
from common.engine.rehearsal import EPOCHS, STEPS, Rehearsal
from common.engine.unit import Fit, Units
from common.metrics import unweighted_accuracy
from common.splits import Fold
from common.training.batches import varying_length
from common.training.curves import read_curves
from reproductions.huang2017.data import ConditionData, Partitioned
from reproductions.huang2017.noisy_set import BATCH_SIZE, PREDICT_BATCH_SIZE, MixedBatches, clean_plan
from reproductions.huang2017.paper import PAPER
from reproductions.huang2017.training import METRICS, build, predictions, train, train_and_score


class Bank:
    def __init__(self, clips):
        self.clips = clips

    def get(self, noise_id):
        return self.clips[noise_id]


@pytest.fixture(scope="module")
def cond():
    rng = np.random.default_rng(0)
    speakers = [f"subject {s}" for s in range(1, 7) for _ in range(4)]
    ids = [f"u{i}" for i in range(len(speakers))]
    labels = {u: i % 2 for i, u in enumerate(ids)}
    waves = {u: (0.1 * rng.normal(size=4000) * (1 + labels[u])).astype(np.float32) for u in ids}
    table = pd.DataFrame({"id": ids, "speaker": speakers, "label": [str(labels[u]) for u in ids],
                          "gender": "unknown"}).set_index("id", drop=False)
    fold = Fold("tvt", ids[:16], ids[16:20], ids[20:])
    noise = Bank({"n0": rng.normal(size=8000).astype(np.float32), "n1": rng.normal(size=3000).astype(np.float32)})
    part = Partitioned(table, waves, labels, dict(zip(ids, speakers, strict=True)), ["0", "1"], fold, noise,
                       ["n0", "n1"])
    return ConditionData.build(part, "MFCCs", 1 / 60, seed=0)


def _session(epochs=2):
    args = Namespace(strategy="default", epochs=epochs, verbose=0, seed=0, no_search=False, profile="smoke")
    return Session(PAPER, args, None, {}, Units(None), None)


def _fit(key: tuple, rehearsal=None) -> Fit:
    return Fit(key, [rehearsal] if rehearsal is not None else [])


def test_train_payload_keeps_curves_predictions_subjects_and_weights(cond, tmp_path):
    weights = tmp_path / "w" / "fixed.weights.h5"
    payload = train(_session(), _fit(("t", "ldnn")), "LDNN (MFCCs)", cond, {}, 0, weights)
    curves = read_curves(payload)
    assert len(curves["loss"]) == 2 and len(curves["val_ua_noisy"]) == 2 and len(curves["val_ua_clean"]) == 2
    for c in ("noisy", "clean"):
        batches = cond.test[c]
        assert np.array_equal(payload[f"y_true:{c}"], batches.y)
        assert len(payload[f"y_pred:{c}"]) == len(batches.plan)
        assert payload[f"group:{c}"].dtype.kind == "U"
        assert list(payload[f"group:{c}"]) == [cond.part.speakers[u] for u in batches.plan["utt"]]
        assert payload[f"test_ua_{c}"] == pytest.approx(unweighted_accuracy(payload[f"y_true:{c}"],
                                                                            payload[f"y_pred:{c}"]))
    assert len(payload["y_true:noisy"]) == 2 * len(payload["y_true:clean"])  # clean copy + 1 noisy copy
    assert weights.is_file() and payload["weights"] == str(weights)
    assert payload["val_ua_noisy"] == pytest.approx(float(np.max(curves["val_ua_noisy"])))


def test_train_and_score_reports_the_search_metrics(cond):
    metrics = train_and_score(_session(epochs=1), None, "FST-CLDNN (MFCCs)", {"w1": 3, "w2": 2}, cond)
    assert set(metrics) == set(METRICS) and all(0 <= v <= 1 for v in metrics.values())


def test_rehearsal_cuts_training_to_a_few_timed_steps_of_the_real_epoch(cond):
    rehearsal = Rehearsal()
    train(_session(epochs=50), _fit(("t", "rehearsed"), rehearsal), "LDNN (MFCCs)", cond, {}, 0)
    timing = rehearsal.units["t/rehearsed"]
    assert timing.planned_epochs == 50 and timing.planned_steps == len(cond.train)
    assert 1 <= len(timing.step_seconds) <= EPOCHS * STEPS and STEPS < len(cond.train)
    assert len(timing.epoch_overheads) == EPOCHS


def test_a_sampled_pass_predicts_the_same_batches_and_reports_the_others(cond):
    rng = np.random.default_rng(3)
    ids = [f"s{i}" for i in range(12)]
    waves = {u: (0.1 * rng.normal(size=9000 if i == 7 else 4000)).astype(np.float32) for i, u in enumerate(ids)}
    labels = {u: i % 2 for i, u in enumerate(ids)}
    batches = MixedBatches(clean_plan(ids), waves, labels, cond.part.noise, cond.featurize, batch_size=2)
    reported = []
    sample = batches.sample(3, reported.append)
    assert len(sample) == 3 and list(sample.plan["utt"]) == ["s0", "s1", "s6", "s7", "s10", "s11"]  # s7: longest
    for i, source in enumerate((0, 3, 5)):  # batch 3 (s6, s7) in place of batch 2 (s4, s5)
        np.testing.assert_array_equal(sample[i][0][0], batches[source][0][0])
    assert sample.unrun_cost == batches.batch_costs().sum() - sample.costs.sum() == 3 * 2 * 4000
    model = build("LDNN (MFCCs)", cond, {})
    assert predictions(model, sample).shape == (6,) and len(reported) == 1 and reported[0] > 0
    with pytest.raises(ValueError, match="only prediction batches"):
        cond.train.sample(3, reported.append)


def test_a_rehearsal_samples_the_noisy_passes_and_projects_the_rest(cond):
    rng = np.random.default_rng(4)
    clips = {f"n{i}": rng.normal(size=6000).astype(np.float32) for i in range(20)}
    part = replace(cond.part, noise=Bank(clips), noise_ids=list(clips))
    x61 = ConditionData.build(part, "MFCCs", 1.0, seed=0)  # 4 validation and 4 test utterances x 61
    rehearsal = Rehearsal(pass_sample=2)
    payload = train(_session(epochs=50), _fit(("t", "sampled"), rehearsal), "LDNN (MFCCs)", x61, {}, 0)
    assert len(payload["y_pred:noisy"]) == 2 * PREDICT_BATCH_SIZE  # 2 of the 4 test utterances' batches
    assert len(payload["y_pred:clean"]) == len(x61.test["clean"].plan)  # the clean passes run whole
    timing = rehearsal.units["t/sampled"]
    assert timing.unrun_seconds > 0 and len(timing.epoch_overheads) == EPOCHS
    whole = Rehearsal(pass_sample=None)  # --whole-passes
    payload = train(_session(epochs=50), _fit(("t", "whole"), whole), "LDNN (MFCCs)", x61, {}, 0)
    assert len(payload["y_pred:noisy"]) == len(x61.test["noisy"].plan) == 4 * PREDICT_BATCH_SIZE
    assert whole.units["t/whole"].unrun_seconds == 0


def test_utterances_longer_than_the_first_two_batches_train_and_predict(cond):
    """Keras fixes every axis the first two batches of a PyDataset agree on; eNTERFACE'05's clips vary in length,
    so a later, longer batch must still be accepted (first two batches: 0.25 s clips, the third: 0.5 s)."""
    rng = np.random.default_rng(1)
    ids = [f"v{i}" for i in range(30)]
    waves = {u: (0.1 * rng.normal(size=4000 if i < 20 else 8000)).astype(np.float32) for i, u in enumerate(ids)}
    labels = {u: i % 2 for i, u in enumerate(ids)}
    batches = MixedBatches(clean_plan(ids), waves, labels, cond.part.noise, cond.featurize)
    assert batches[0][0][0].shape[1] == batches[1][0][0].shape[1] < batches[2][0][0].shape[1]
    model = build("LDNN (MFCCs)", cond, {})
    model.fit(varying_length(batches), epochs=1, verbose=0)
    assert predictions(model, batches).shape == (30,)


def test_predictions_do_not_depend_on_the_prediction_batch(cond):
    """Training reads §6.2's batches of 10; validation and test predict an utterance's 61 copies at a time. The
    padding is masked, so clips of two lengths give the same posteriors alone or padded in one batch of 30."""
    assert cond.train.batch_size == BATCH_SIZE == 10 and PREDICT_BATCH_SIZE == 61
    assert all(b.batch_size == PREDICT_BATCH_SIZE for b in (*cond.val.values(), *cond.test.values()))
    rng = np.random.default_rng(2)
    ids = [f"w{i}" for i in range(30)]
    waves = {u: (0.1 * rng.normal(size=4000 if i % 3 else 9000)).astype(np.float32) for i, u in enumerate(ids)}
    labels = {u: i % 2 for i, u in enumerate(ids)}

    def posteriors(model, batch_size):
        batches = MixedBatches(clean_plan(ids), waves, labels, cond.part.noise, cond.featurize, batch_size)
        return model.predict(varying_length(batches), verbose=0)

    for name, values in (("LDNN (MFCCs)", {}), ("T-CLDNN (MFCCs)", {"w1": 3, "w2": 2})):
        model = build(name, cond, values)
        np.testing.assert_allclose(posteriors(model, 1), posteriors(model, PREDICT_BATCH_SIZE), rtol=1e-4,
                                   atol=1e-6)
