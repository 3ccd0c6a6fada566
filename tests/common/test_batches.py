"""Shuffled PyDataset batches and the release of their data once fit/predict is done."""

from __future__ import annotations

import gc
import weakref

import keras
import numpy as np

from common.training.batches import ShuffledBatches, releasing, varying_length


class Rows(ShuffledBatches):
    HELD = ("x",)

    def __init__(self, x: np.ndarray, batch_size: int, shuffle: bool = False, seed: int = 0) -> None:
        super().__init__(len(x), batch_size, shuffle, seed)
        self.x = x

    def __getitem__(self, index: int) -> np.ndarray:
        return self.x[self.items(index)]


class Holder:
    pass


def test_every_item_once_per_epoch_and_a_seeded_new_order_after_each() -> None:
    batches = Rows(np.arange(10), batch_size=4, shuffle=True, seed=0)
    assert len(batches) == 3
    first = np.concatenate([batches[i] for i in range(3)])
    batches.on_epoch_end()
    second = np.concatenate([batches[i] for i in range(3)])
    assert sorted(first) == sorted(second) == list(range(10)) and not np.array_equal(first, second)
    again = Rows(np.arange(10), batch_size=4, shuffle=True, seed=0)
    np.testing.assert_array_equal(np.concatenate([again[i] for i in range(3)]), first)
    np.testing.assert_array_equal(Rows(np.arange(10), 4)[2], [8, 9])  # unshuffled: in order


def test_releasing_frees_the_data_while_the_batches_object_is_still_referenced() -> None:
    data = Holder()
    alive = weakref.ref(data)
    kept = []  # stands for the generator registry TensorFlow keeps for the life of the process
    with releasing(Rows(np.array([data] * 4, dtype=object), batch_size=2)) as (batches,):
        kept.append(batches)
        assert batches[0][0] is data
    del data
    gc.collect()
    assert alive() is None and kept[0].x is None


class Ragged(ShuffledBatches):
    """Item i is a row of i + 1 ones: every batch is padded to its longest item."""

    def __init__(self, n: int, shuffle: bool) -> None:
        super().__init__(n, 2, shuffle, seed=0)

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        items = self.items(index)
        x = np.zeros((len(items), items.max() + 1, 1), np.float32)
        for row, i in enumerate(items):
            x[row, :i + 1] = 1.0
        return x, items.astype(np.int64)


def test_batches_of_varying_length_are_read_whole_and_reshuffled_after_every_pass() -> None:
    feed = varying_length(Ragged(7, shuffle=True))
    passes = [[(x.shape[1], tuple(i)) for x, i in feed.as_numpy_iterator()] for _ in range(2)]
    assert all(sorted(i for _, b in p for i in b) == list(range(7)) for p in passes)
    assert all(t == max(b) + 1 for p in passes for t, b in p)  # no batch cut to the first batches' length
    assert passes[0] != passes[1]
    model = keras.Sequential([keras.Input((None, 1)), keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(varying_length(Ragged(7, shuffle=False)), epochs=1, verbose=0)
