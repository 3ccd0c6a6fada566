"""Training schedules of §2.1.1: SGD with Nesterov momentum, per-epoch learning decay, and the alternating heads.

Faithful: the two MLPs are "updated successively on the same input": one head's loss updates that head and the
shared CNN, then, on the updated network, the other head's loss updates the other head and again the CNN; which
head goes first is random per step. Variant ``joint``: one update of the summed losses (standard Keras fit).
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import tensorflow as tf

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


class AlternatingHeadsTrainer(keras.Model):
    """Wraps a two-head network; ``train_step`` does the two random-order half-steps of §2.1.1.

    Each head has its own Nesterov-SGD optimizer over (its MLP + the shared CNN), as two separate update
    functions would have; the CNN therefore gets two updates per input. The loss of a half-step is that head's
    cross-entropy plus alpha_w * ||w||^2 over the kernels it updates (Eq. 3).
    """

    def __init__(self, net: keras.Model, make_opt: Callable[[], keras.optimizers.Optimizer],
                 heads: tuple[str, ...] = DIMENSIONS, seed: int = 0, **kwargs) -> None:
        super().__init__(name=f"{net.name}_alternating", **kwargs)
        self.net = net
        self.heads = heads
        self.head_optimizers = {h: make_opt() for h in heads}
        self.cross_entropy = keras.losses.SparseCategoricalCrossentropy()
        self.loss_trackers = {h: keras.metrics.Mean(name=f"{h}_loss") for h in heads}
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training: bool = False):
        return self.net(inputs, training=training)

    def head_variables(self, head: str) -> list[keras.Variable]:
        """Trainable variables one half-step updates: the head's MLP and the shared feature extractor."""
        return [v for v in self.net.trainable_variables if head_of(v, self.heads) in (head, None)]

    def build_optimizers(self) -> None:
        for h, opt in self.head_optimizers.items():
            opt.build(self.head_variables(h))

    def compile(self, **kwargs) -> None:
        super().compile(optimizer=self.head_optimizers[self.heads[0]], **kwargs)
        self.build_optimizers()

    def half_step(self, x, y: dict, head: str) -> tf.Tensor:
        """One head's update: its loss, gradients w.r.t. its MLP + shared CNN only, one optimizer step."""
        variables = self.head_variables(head)
        with tf.GradientTape() as tape:
            out = self.net(x, training=True)
            l2 = [v.regularizer(v) for v in variables if getattr(v, "regularizer", None) is not None]
            loss = self.cross_entropy(y[head], out[head]) + tf.add_n(l2 or [tf.constant(0.0)])
        grads = tape.gradient(loss, variables)
        self.head_optimizers[head].apply_gradients(zip(grads, variables, strict=True))
        self.loss_trackers[head].update_state(loss)
        return loss

    def train_step(self, data):
        x, y = data[0], data[1]
        first = keras.random.uniform((), seed=self.seed_generator) < 0.5
        order_a, order_b = self.heads, self.heads[::-1]

        def run(order: tuple[str, ...]) -> tf.Tensor:
            return tf.add_n([self.half_step(x, y, h) for h in order])

        tf.cond(first, lambda: run(order_a), lambda: run(order_b))
        return {t.name: t.result() for t in self.loss_trackers.values()}

    @property
    def metrics(self):
        return list(self.loss_trackers.values())


def compile_for(net: keras.Model, hp: TrainingHP, steps_per_epoch: int, schedule: str,
                seed: int) -> keras.Model:
    """A compiled model ready for ``fit``: ``faithful`` alternating heads, or the ``joint`` summed-loss variant."""
    if schedule == "faithful":
        trainer = AlternatingHeadsTrainer(net, lambda: make_optimizer(hp, steps_per_epoch), seed=seed)
        trainer.compile()
        return trainer
    if schedule == "joint":
        net.compile(optimizer=make_optimizer(hp, steps_per_epoch),
                    loss={h: keras.losses.SparseCategoricalCrossentropy() for h in DIMENSIONS})
        return net
    raise ValueError(f"schedule must be 'faithful' or 'joint', got {schedule!r}")
