"""The callbacks the papers' ``fit`` calls share: early stopping and best-model checkpoints."""

from __future__ import annotations

from pathlib import Path

import keras


def standard_callbacks(monitor: str, mode: str, patience: int, restore_best: bool = True,
                       checkpoint_path: str | Path | None = None) -> list[keras.callbacks.Callback]:
    """Early stopping on ``monitor`` (``mode`` 'min' or 'max') with the paper's ``patience``,
    restoring the best weights, plus an optional best-only checkpoint (``.weights.h5``)."""
    callbacks: list[keras.callbacks.Callback] = [
        keras.callbacks.EarlyStopping(monitor=monitor, mode=mode, patience=patience,
                                      restore_best_weights=restore_best)
    ]
    if checkpoint_path is not None:
        Path(checkpoint_path).parent.mkdir(parents=True, exist_ok=True)
        callbacks.append(keras.callbacks.ModelCheckpoint(str(checkpoint_path), monitor=monitor, mode=mode,
                                                         save_best_only=True, save_weights_only=True))
    return callbacks
