"""§2.1.1 alternating heads: a half-step leaves the other head untouched; both heads move per train step."""

import numpy as np

from reproductions.wieser2018.hyperparameters import CNNHP, MLPHP, TABLE_1_ELOR
from reproductions.wieser2018.models import build_elor
from reproductions.wieser2018.schedule import AlternatingHeadsTrainer, head_of, make_optimizer


def _setup():
    net = build_elor(1e-9, window=200, cnn=CNNHP((4, 4, 4), (5, 5, 5), (2, 2, 2)), mlp=MLPHP((8, 8), 0.0))
    trainer = AlternatingHeadsTrainer(net, lambda: make_optimizer(TABLE_1_ELOR, 2), seed=0)
    rng = np.random.default_rng(0)
    x = rng.normal(0, 0.3, (6, 200, 1)).astype("float32")
    y = {"arousal": rng.integers(0, 5, 6), "valence": rng.integers(0, 5, 6)}
    return net, trainer, x, y


def _snapshot(net, group):
    return {v.path: v.numpy().copy() for v in net.trainable_variables if head_of(v, ("arousal", "valence")) == group}


def test_half_step_updates_only_its_head_and_the_shared_cnn():
    net, trainer, x, y = _setup()
    before = {g: _snapshot(net, g) for g in ("arousal", "valence", None)}
    assert before["arousal"] and before["valence"] and before[None]
    moving = net.get_layer("cnn_bn1").moving_mean.numpy().copy()
    trainer.half_step(x, y, "arousal")
    after = {g: _snapshot(net, g) for g in ("arousal", "valence", None)}
    assert int(trainer.head_optimizers["arousal"].iterations.numpy()) == 1    # each head keeps its own state
    assert int(trainer.head_optimizers["valence"].iterations.numpy()) == 0
    assert not np.array_equal(moving, net.get_layer("cnn_bn1").moving_mean.numpy())  # batch-norm stats advance
    assert all(np.array_equal(before["valence"][k], after["valence"][k]) for k in before["valence"])
    assert any(not np.array_equal(before["arousal"][k], after["arousal"][k]) for k in before["arousal"])
    assert any(not np.array_equal(before[None][k], after[None][k]) for k in before[None])
    trainer.half_step(x, y, "valence")
    final = _snapshot(net, "arousal")
    assert all(np.array_equal(after["arousal"][k], final[k]) for k in final)


def test_fit_moves_both_heads():
    net, trainer, x, y = _setup()
    before = {g: _snapshot(net, g) for g in ("arousal", "valence")}
    hist = trainer.fit(x, y, batch_size=3, epochs=1, verbose=0)
    assert set(hist.history) == {"arousal_loss", "valence_loss", "loss"}
    for g in ("arousal", "valence"):
        after = _snapshot(net, g)
        assert any(not np.array_equal(before[g][k], after[k]) for k in after)
