"""Training schedules of §2.1.1: SGD with Nesterov momentum, per-epoch learning decay, and the alternating heads.

Faithful: the two MLPs are "updated successively on the same input": one head's loss updates that head and the
shared CNN, then, on the updated network, the other head's loss updates the other head and again the CNN; which
head goes first is random per step. Variant ``joint``: one update of the summed losses (standard Keras fit).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import keras
import numpy as np

from reproductions.wieser2018.gradients import head_step
from reproductions.wieser2018.hyperparameters import DIMENSIONS, TrainingHP


def make_optimizer(hp: TrainingHP, steps_per_epoch: int) -> keras.optimizers.Optimizer:
    """Nesterov SGD (§2.1.1) with lr * decay**epoch (Tables 1-4 "learning decay", applied once per epoch)."""
    schedule = keras.optimizers.schedules.ExponentialDecay(
        hp.learning_rate, decay_steps=max(1, steps_per_epoch), decay_rate=hp.learning_decay, staircase=True)
    return keras.optimizers.SGD(learning_rate=schedule, momentum=hp.momentum, nesterov=True)


def head_of(variable: keras.Variable, heads: tuple[str, ...]) -> str | None:
    """The head a variable belongs to (layer name prefix), or None for the shared feature extractor."""
    layer = variable.path.split("/")[-2] if "/" in variable.path else variable.path
    return next((h for h in heads if layer.startswith(f"{h}_")), None)


class AlternatingHeadsTrainer:
    """Trains a two-head network with the two random-order half-steps of §2.1.1, on any supported backend.

    Each head has its own Nesterov-SGD optimizer over (its MLP + the shared CNN), as two separate update
    functions would have; the CNN therefore gets two updates per input. The loss of a half-step is that head's
    cross-entropy plus alpha_w * ||w||^2 over the kernels it updates (Eq. 3). ``fit`` mirrors ``keras.Model.fit``
    for what the protocol uses (arrays, batch size, epochs, ``steps_per_epoch``, callbacks, shuffling) and returns
    a ``keras.callbacks.History``; the gradients come from :mod:`gradients` (tf.GradientTape or jax.grad).
    """

    def __init__(self, net: keras.Model, make_opt: Callable[[], keras.optimizers.Optimizer],
                 heads: tuple[str, ...] = DIMENSIONS, seed: int = 0) -> None:
        self.net = net
        self.heads = heads
        self.rng = np.random.default_rng(seed)
        self.cross_entropy = keras.losses.SparseCategoricalCrossentropy()
        self.head_optimizers = {h: make_opt() for h in heads}
        self.indices = {h: [i for i, v in enumerate(net.trainable_variables) if head_of(v, heads) in (h, None)]
                        for h in heads}
        for h, opt in self.head_optimizers.items():
            opt.build(self.head_variables(h))
        self.steps = {h: head_step(net, self._loss_of(h), self.indices[h], self.head_optimizers[h])
                      for h in heads}

    @property
    def trainable_variables(self) -> list[keras.Variable]:
        return self.net.trainable_variables

    def head_variables(self, head: str) -> list[keras.Variable]:
        """Trainable variables one half-step updates: the head's MLP and the shared feature extractor."""
        return [self.net.trainable_variables[i] for i in self.indices[head]]

    def _loss_of(self, head: str):
        regularised = [(i, v.regularizer) for i, v in enumerate(self.net.trainable_variables)
                       if i in self.indices[head] and getattr(v, "regularizer", None) is not None]

        def loss_of(out, y, trainable):
            l2 = [reg(trainable[i]) for i, reg in regularised]
            return self.cross_entropy(y, out[head]) + (sum(l2) if l2 else 0.0)
        return loss_of

    def half_step(self, x, y: dict, head: str) -> float:
        """One head's update: its loss, gradients w.r.t. its MLP + shared CNN only, one optimizer step."""
        return self.steps[head](x, y[head])

    def fit(self, x, y: dict, batch_size: int, epochs: int, steps_per_epoch: int | None = None,
            callbacks: list | None = None, shuffle: bool = True, verbose: int = 0) -> keras.callbacks.History:
        """Epochs of mini-batches; per batch both heads in random order (§2.1.1). History: per-head and summed loss."""
        n = len(x[next(iter(x))] if isinstance(x, dict) else x)
        per_epoch = math.ceil(n / batch_size)
        steps = min(per_epoch, steps_per_epoch) if steps_per_epoch else per_epoch
        history = keras.callbacks.History()
        cbs = [*(callbacks or []), history]
        for cb in cbs:
            cb.set_model(self.net)
            cb.on_train_begin()
        for epoch in range(epochs):
            for cb in cbs:
                cb.on_epoch_begin(epoch)
            order = self.rng.permutation(n) if shuffle else np.arange(n)
            sums = {h: 0.0 for h in self.heads}
            for b in range(steps):
                rows = order[b * batch_size:(b + 1) * batch_size]
                xb = {k: v[rows] for k, v in x.items()} if isinstance(x, dict) else x[rows]
                yb = {h: np.asarray(y[h][rows]) for h in self.heads}
                for cb in cbs:
                    cb.on_train_batch_begin(b)
                heads = self.heads if self.rng.random() < 0.5 else self.heads[::-1]
                for h in heads:
                    sums[h] += self.half_step(xb, yb, h)
                for cb in cbs:
                    cb.on_train_batch_end(b)
            logs = {f"{h}_loss": sums[h] / steps for h in self.heads}
            logs["loss"] = sum(logs.values())
            if verbose:
                print(f"epoch {epoch + 1}/{epochs}: " + ", ".join(f"{k} {v:.4f}" for k, v in logs.items()))
            for cb in cbs:
                cb.on_epoch_end(epoch, logs)
        for cb in cbs:
            cb.on_train_end()
        return history


def compile_for(net: keras.Model, hp: TrainingHP, steps_per_epoch: int, schedule: str,
                seed: int) -> keras.Model | AlternatingHeadsTrainer:
    """A compiled model ready for ``fit``: ``faithful`` alternating heads, or the ``joint`` summed-loss variant."""
    if schedule == "faithful":
        return AlternatingHeadsTrainer(net, lambda: make_optimizer(hp, steps_per_epoch), seed=seed)
    if schedule == "joint":
        net.compile(optimizer=make_optimizer(hp, steps_per_epoch),
                    loss={h: keras.losses.SparseCategoricalCrossentropy() for h in DIMENSIONS})
        return net
    raise ValueError(f"schedule must be 'faithful' or 'joint', got {schedule!r}")
