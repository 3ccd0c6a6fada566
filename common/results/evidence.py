"""The predictions behind a reproduced number, from which its 95 % interval is computed (common.stats)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: metric names an Evidence may carry (common.stats.METRICS computes each from y_true, y_pred)
METRIC_NAMES = ("accuracy", "ua", "f1_macro", "ccc")


@dataclass(frozen=True)
class Evidence:
    """Per-item predictions of every run of one number.

    ``y_true[r]``, ``y_pred[r]`` and ``groups[r]`` hold run ``r``'s test items (utterances, or frames for CCC);
    ``groups`` names the unit of independence each item belongs to (the speaker; the IEMOCAP session where
    partners share one), which the bootstrap resamples. ``scale`` maps the metric to the table's units
    (100 for percent).
    """

    metric: str
    y_true: Sequence[np.ndarray]
    y_pred: Sequence[np.ndarray]
    groups: Sequence[np.ndarray]
    scale: float = 100.0

    def __post_init__(self) -> None:
        if self.metric not in METRIC_NAMES:
            raise ValueError(f"Evidence metric {self.metric!r}: expected one of {METRIC_NAMES}")
        if not len(self.y_true) == len(self.y_pred) == len(self.groups) or not self.y_true:
            raise ValueError("Evidence needs y_true, y_pred and groups for each run (at least one)")
        for t, p, g in zip(self.y_true, self.y_pred, self.groups, strict=True):
            if not len(t) == len(p) == len(g):
                raise ValueError(f"Evidence: run lengths differ (y_true {len(t)}, y_pred {len(p)}, groups {len(g)})")


@dataclass(frozen=True)
class MeanEvidence:
    """The evidence of a derived cell that is a weighted sum of other cells: the mean of Latif Table 2's A, P, V
    F-measures (default weights 1/n), or Huang §7.5's mean gain of a module over the six CLDNNs (+1/6 for the
    module's UA, -1/6 for the module before it). Every part is computed on the same resampled groups and runs, so
    the interval comes from the parts. The parts share their groups and number of runs."""

    parts: tuple[Evidence, ...]
    weights: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not self.parts:
            raise ValueError("MeanEvidence needs at least one part")
        runs = {len(p.y_true) for p in self.parts}
        if len(runs) != 1:
            raise ValueError(f"MeanEvidence: parts have different numbers of runs {sorted(runs)}")
        if self.weights and len(self.weights) != len(self.parts):
            raise ValueError(f"MeanEvidence: {len(self.weights)} weights for {len(self.parts)} parts")

    @property
    def coefficients(self) -> tuple[float, ...]:
        return self.weights or (1.0 / len(self.parts),) * len(self.parts)

    @property
    def metric(self) -> str:
        return self.parts[0].metric

    @property
    def scale(self) -> float:
        return self.parts[0].scale

    @property
    def y_true(self) -> Sequence[np.ndarray]:
        return self.parts[0].y_true

    @property
    def y_pred(self) -> Sequence[np.ndarray]:
        return self.parts[0].y_pred

    @property
    def groups(self) -> Sequence[np.ndarray]:
        return self.parts[0].groups
