"""Batches of a training set served one at a time (``keras.utils.PyDataset``), in a fixed or reshuffled order.

A ``PyDataset`` keeps ``fit`` from turning a whole training set into one tensor: under TensorFlow, arrays passed
to ``fit`` are copied into the input pipeline at every call, and a process that fits many models on large arrays
keeps growing. Subclasses build the batch of the items :meth:`ShuffledBatches.items` returns.
"""

from __future__ import annotations

import math

import keras
import numpy as np


class ShuffledBatches(keras.utils.PyDataset):
    """``n`` items in batches of ``batch_size``; with ``shuffle`` the order is redrawn (seeded) after every epoch,
    as ``fit(shuffle=True)`` does for arrays."""

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
