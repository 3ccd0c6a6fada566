"""Batches of a training set served one at a time (``keras.utils.PyDataset``), in a fixed or reshuffled order.

A ``PyDataset`` keeps ``fit`` from turning a whole training set into one tensor: under TensorFlow, arrays passed
to ``fit`` are copied into the input pipeline at every call. Under TensorFlow, Keras serves a PyDataset through
``tf.data.Dataset.from_generator``, and TensorFlow keeps every generator it made (so the PyDataset and everything
it refers to) until the process ends: a process that fits many models on large inputs grows by their size at
every ``fit``/``predict``. :func:`releasing` drops the data of the batches once they are done with, which leaves
only an empty shell behind. Subclasses name their data in ``HELD`` and build the batch of the items
:meth:`ShuffledBatches.items` returns. Batches whose arrays change length from batch to batch (utterances padded
to the longest of their batch) go to Keras through :func:`varying_length`.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any, ClassVar

import keras
import numpy as np


class ShuffledBatches(keras.utils.PyDataset):
    """``n`` items in batches of ``batch_size``; with ``shuffle`` the order is redrawn (seeded) after every epoch,
    as ``fit(shuffle=True)`` does for arrays."""

    HELD: ClassVar[tuple[str, ...]] = ()  # attributes holding the data, dropped by :meth:`release`

    def __init__(self, n: int, batch_size: int, shuffle: bool = False, seed: int = 0) -> None:
        super().__init__()
        self.n, self.batch_size, self.shuffle = int(n), int(batch_size), shuffle
        self.rng = np.random.default_rng(seed)
        self.order = self.rng.permutation(self.n) if shuffle else np.arange(self.n)

    def __len__(self) -> int:
        return math.ceil(self.n / self.batch_size)

    def items(self, index: int) -> np.ndarray:
        """Positions (in ``0..n-1``) of the items of batch ``index``."""
        return self.order[index * self.batch_size:(index + 1) * self.batch_size]

    def on_epoch_end(self) -> None:
        if self.shuffle:
            self.order = self.rng.permutation(self.n)

    def release(self) -> None:
        """Drop the data (``HELD`` and the order): the batches cannot be read afterwards."""
        for name in (*self.HELD, "order"):
            setattr(self, name, None)


@contextlib.contextmanager
def releasing(*batches: ShuffledBatches) -> Iterator[tuple[ShuffledBatches, ...]]:
    """``with releasing(train, val) as (train, val): ...``: the batches' data is dropped on leaving the block."""
    try:
        yield batches
    finally:
        for b in batches:
            b.release()


class ArrayBatches(ShuffledBatches):
    """Rows ``rows`` of an in-memory ``x`` (with their labels ``y`` for training), batch by batch: ``fit`` and
    ``predict`` on part of a large array without a copy of that part, in the input pipeline or outside it."""

    HELD = ("x", "y", "rows")

    def __init__(self, x: np.ndarray, rows: np.ndarray, y: np.ndarray | None = None, batch_size: int = 32,
                 shuffle: bool = False, seed: int = 0) -> None:
        super().__init__(len(rows), batch_size, shuffle, seed)
        self.x, self.y, self.rows = x, y, np.asarray(rows)

    def __getitem__(self, index: int) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        rows = self.rows[self.items(index)]
        return self.x[rows] if self.y is None else (self.x[rows], self.y[rows])


def varying_length(batches: ShuffledBatches) -> Any:
    """What ``fit``/``predict`` read for ``batches`` whose arrays change length along axis 1 from batch to batch.

    Under TensorFlow, Keras serves a PyDataset with the shapes of its first two batches and fixes every axis they
    agree on, so a later batch of longer utterances is refused. This returns, under TensorFlow, a ``tf.data``
    pipeline over ``batches`` whose signature leaves the batch axis and axis 1 of every array open (reshuffled after
    every pass, as Keras does for the PyDataset); other backends read the batches themselves.
    """
    if keras.backend.backend() != "tensorflow":
        return batches
    import tensorflow as tf

    def spec(array: np.ndarray) -> tf.TensorSpec:
        array = np.asarray(array)
        shape = [None if axis < 2 else n for axis, n in enumerate(array.shape)]
        return tf.TensorSpec(shape, tf.as_dtype(array.dtype))

    def one_pass() -> Iterator[Any]:
        for index in range(len(batches)):
            yield batches[index]
        batches.on_epoch_end()

    signature = keras.tree.map_structure(spec, batches[0])
    dataset = tf.data.Dataset.from_generator(one_pass, output_signature=signature)
    return dataset.apply(tf.data.experimental.assert_cardinality(len(batches))).prefetch(tf.data.AUTOTUNE)
