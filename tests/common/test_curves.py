"""The undertraining warning (common.training.curves): each reason fires on its case, a healthy curve is quiet."""

from __future__ import annotations

import numpy as np

from common.training.curves import curves, read_curves, undertraining

HEALTHY = {"loss": [1.9, 1.2, 0.9, 0.7, 0.6, 0.55, 0.5], "accuracy": [0.3, 0.5, 0.6, 0.7, 0.75, 0.78, 0.8],
           "val_accuracy": [0.28, 0.45, 0.55, 0.6, 0.62, 0.63, 0.62]}


def _with(**changes) -> dict:
    return {**HEALTHY, **{k: np.asarray(v, dtype=float) for k, v in changes.items()}}


def test_a_healthy_run_raises_no_warning() -> None:
    assert undertraining(HEALTHY, "val_accuracy") == []


def test_each_reason_fires_on_its_own_case() -> None:
    early = undertraining(_with(val_accuracy=[0.6, 0.5, 0.45, 0.4, 0.42, 0.41, 0.4]), "val_accuracy")
    assert any("epoch 1 of 7" in r for r in early)
    gap = undertraining(_with(val_accuracy=[0.2, 0.25, 0.5, 0.45, 0.44, 0.43, 0.42],
                              accuracy=[0.2, 0.3, 0.4, 0.6, 0.8, 0.95, 1.0]), "val_accuracy")
    assert any("far below its final" in r for r in gap)
    swings = undertraining(_with(val_accuracy=[0.25, 0.45, 0.14, 0.12, 0.48, 0.16, 0.5]), "val_accuracy")
    assert any("swings" in r for r in swings)
    diverged = undertraining(_with(loss=[1.9, 5.0, 1e3, 7e5, 6e5, 7e5, np.nan]), "val_accuracy")
    assert any("diverging" in r for r in diverged)
    flat = undertraining(_with(loss=[14.2, 13.9, 14.4, 13.6, 14.0, 13.8, 14.1]), "val_accuracy")
    assert any("no learning" in r for r in flat) and not any("diverging" in r for r in flat)
    assert not any("no learning" in r for r in undertraining(_with(loss=[1.9, 1.8, 1.85]), "val_accuracy"))


def test_curves_travel_through_a_payload() -> None:
    payload = curves({"loss": [1.0, 0.5], "val_ccc": [0.1, 0.3]})
    assert set(payload) == {"curve:loss", "curve:val_ccc"} and payload["curve:loss"].dtype == np.float32
    assert read_curves({**payload, "other": 1})["val_ccc"].tolist() == [np.float32(0.1), np.float32(0.3)]
    assert undertraining({"val_ccc": [np.nan, np.nan]}, "val_ccc") == ["no finite val_ccc values"]
