"""Guided backpropagation (§2.3.2) and activation maximisation (Eq. 4) on tiny networks (any Keras backend)."""

import csv
from pathlib import Path
from types import SimpleNamespace

import keras
import numpy as np
import pytest
from keras import ops

from reproductions.wieser2018.activation_maximisation import (
    ActivationMaximiser,
    dbfs_to_rms,
    neuron_score_model,
    training_loudness_dbfs,
)
from reproductions.wieser2018.gradients import input_gradient
from reproductions.wieser2018.hyperparameters import CNNHP, MLPHP
from reproductions.wieser2018.models import build_elor
from reproductions.wieser2018.paper import PROFILES
from reproductions.wieser2018.saliency import (
    guided_logits_model,
    guided_relu,
    saliency_correlations,
    saliency_maps,
)
from reproductions.wieser2018.visualise import ascent_level_dbfs

PUBLISHED = Path(__file__).resolve().parents[2] / "reproductions" / "wieser2018" / "published.csv"
LEVEL_DBFS = -30.0  # a speech-like training loudness, far from Table 6's -55.6 to -58.3 dBFS


def test_guided_relu_passes_only_positive_gradients_where_input_positive():
    x = np.array([-1.0, 2.0, 3.0, -4.0, 5.0], dtype="float32")
    dy = np.array([1.0, -1.0, 2.0, 3.0, 0.5], dtype="float32")
    np.testing.assert_allclose(ops.convert_to_numpy(guided_relu(ops.convert_to_tensor(x))), [0, 2, 3, 0, 5])
    # d sum(dy * relu(x)) / dx: the upstream gradient is dy
    _, grad = input_gradient(lambda t: ops.sum(guided_relu(t) * dy))(x)
    np.testing.assert_allclose(grad, [0, 0, 2, 0, 0.5])


def _tiny_net(seed=0):
    """x (L, 1) -> Conv1D(4, k=1) -> ReLU -> Flatten -> {dim}_logits (5) -> softmax, known weights."""
    rng = np.random.default_rng(seed)
    x = keras.Input((3, 1))
    h = keras.layers.Conv1D(4, 1, name="cnn_conv1")(x)
    r = keras.layers.ReLU(name="cnn_relu1")(h)
    f = keras.layers.Flatten(name="cnn_flatten")(r)
    outs = {d: keras.layers.Activation("softmax", name=d)(keras.layers.Dense(5, name=f"{d}_logits")(f))
            for d in ("arousal", "valence")}
    net = keras.Model(x, outs)
    net.set_weights([rng.normal(size=w.shape).astype("float32") for w in net.get_weights()])
    return net


def test_guided_saliency_matches_hand_computation_on_tiny_network():
    net = _tiny_net()
    k, b = net.get_layer("cnn_conv1").get_weights()
    dense = {d: net.get_layer(f"{d}_logits").get_weights() for d in ("arousal", "valence")}
    x = np.array([[0.5, -1.0, 2.0]], dtype="float32")
    maps = saliency_maps(guided_logits_model(net), x)
    for d in ("arousal", "valence"):
        h = x[0][:, None] * k[0, 0][None, :] + b[None, :]              # (3, 4)
        logits = np.maximum(h, 0).reshape(-1) @ dense[d][0] + dense[d][1]
        up = dense[d][0][:, np.argmax(logits)].reshape(3, 4)          # d score / d relu output
        guided = up * (h > 0) * (up > 0)
        np.testing.assert_allclose(maps[d][0], guided @ k[0, 0], rtol=1e-5, atol=1e-6)
        plain = (up * (h > 0)) @ k[0, 0]
        assert not np.allclose(plain, guided @ k[0, 0])           # the guided rule changed something
    # the original network is untouched (still plain ReLU) and gives the same forward pass
    assert isinstance(net.get_layer("cnn_relu1"), keras.layers.ReLU)


def _ascent(steps_net_seed=0):
    keras.utils.set_random_seed(steps_net_seed)
    net = build_elor(1e-9, window=400, cnn=CNNHP((4, 4, 4), (5, 5, 5), (2, 2, 2)), mlp=MLPHP((8, 8), 0.5))
    return ActivationMaximiser(neuron_score_model(net, "valence"), 400, l2_lambda=1e-3,
                               level_rms=dbfs_to_rms(LEVEL_DBFS))


def test_activation_maximisation_increases_target_score():
    ascent = _ascent()
    for neuron in (0, 3):
        x, hist = ascent.run(neuron, steps=25, init_std=1e-5, seed=0)
        assert x.shape == (400,) and np.abs(x).max() <= 1.0 and len(hist) == 26
        assert hist[-1] > hist[0]


def test_ascent_scale_is_set_by_the_level_not_by_the_number_of_steps():
    """The ascent moves x by at most the level's RMS whether it runs 10 or 200 steps; the old rule (a fixed 1e-3
    RMS per step) kept growing with the steps."""
    ascent, init = _ascent(), 1e-5
    level = dbfs_to_rms(LEVEL_DBFS)
    for steps in (10, 200):
        x, _ = ascent.run(2, steps=steps, init_std=init, seed=1)
        rms = float(np.sqrt(np.mean(x ** 2)))
        assert rms <= level + 2 * init
        assert 20 * np.log10(rms) > LEVEL_DBFS - 12   # it did move towards the level


def _table6_loudness() -> list[float]:
    with PUBLISHED.open(newline="") as f:
        return [float(r["value"]) for r in csv.DictReader(f) if r["row"] == "Loudness (dBFS)"]


def test_ascent_budget_is_the_training_loudness_never_the_judged_table_6_row():
    """Before, every profile capped the ascent at -56.8 dBFS, the mean of the Table 6 row it is judged against."""
    assert round(float(np.mean(_table6_loudness())), 1) == -56.8  # the row the old cap was taken from
    for profile in PROFILES.values():
        assert profile.settings.am_level_dbfs is None  # measured from the fold's training windows
    rng = np.random.default_rng(0)
    waves = np.stack([rng.normal(0, dbfs_to_rms(level), 4000) for level in (-20.0, -30.0, -40.0, -99.0)])
    train = np.array([0, 1, 2])  # row 3 is a test window: never measured
    assert training_loudness_dbfs(waves, train) == pytest.approx(-30.0, abs=0.1)
    fold = SimpleNamespace(train=train)
    samples = SimpleNamespace(waveforms=waves)
    assert ascent_level_dbfs(None, samples, fold) == pytest.approx(-30.0, abs=0.1)
    assert ascent_level_dbfs(-45.0, samples, fold) == -45.0  # --set am_level_dbfs overrides


def test_saliency_means_and_counts_leave_out_the_same_constant_maps():
    """Before, np.nanmean skipped a constant map's undefined correlation while n_saliency still counted it."""
    rng = np.random.default_rng(0)
    waves = rng.normal(size=(3, 50)).astype("float32")
    maps = {"arousal": rng.normal(size=(3, 50)), "valence": rng.normal(size=(3, 50))}
    maps["arousal"][1] = 0.0  # a dead path: constant map, no correlation
    means, counts = saliency_correlations(waves, maps, np.array([50, 50, 50]))
    assert counts == {"arousal": 2, "valence": 3, "arousal_vs_valence": 2}
    expected = np.mean([np.corrcoef(np.abs(waves[i]), np.abs(maps["arousal"][i]))[0, 1] for i in (0, 2)])
    assert means["arousal"] == pytest.approx(expected)
