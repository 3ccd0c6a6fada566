"""Shuffled PyDataset batches and the release of their data once fit/predict is done."""

from __future__ import annotations

import gc
import weakref

import numpy as np

from common.training.batches import ShuffledBatches, releasing


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
