"""§5.3's claims on the Fig. 2 latent-size sweep as cells: per run, the latent size with the lowest and with the
highest score.

§5.3: "a very small number of features (32) perform poorly" (published.csv kind ``argmin``: the lowest point of
every run's curve is 32) and "a very large number of features (512) does not produce the best performance"
(kind ``not-argmax``: no run's highest point is 512). Fig. 2 has no numbers, so these are its only cells.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from common.engine import Row

LOWEST, HIGHEST = "lowest", "highest"


@dataclass
class Curve:
    """One Fig. 2 curve (figure, model, variant, metric): per latent size, one score per run."""

    split: str
    hp_source: str | None
    note: str
    scores: dict[int, Sequence[float]] = field(default_factory=dict)


def extremes(scores: Mapping[int, Sequence[float]]) -> dict[str, list[int]]:
    """Per run, the latent size of the lowest and of the highest score (ties: the smaller size)."""
    sizes = sorted(scores)
    table = np.array([list(scores[d]) for d in sizes], dtype=float)  # (sizes, runs)
    return {LOWEST: [sizes[i] for i in np.argmin(table, axis=0)],
            HIGHEST: [sizes[i] for i in np.argmax(table, axis=0)]}


def section53_rows(curves: Mapping[tuple[str, str, str, str], Curve]) -> Iterator[Row]:
    """``§5.3, <model>, <figure>, latent size, <lowest|highest> <metric>`` for every curve of two or more sizes."""
    for (figure, model, variant, metric), curve in curves.items():
        if len(curve.scores) < 2:
            continue
        swept = ", ".join(str(d) for d in sorted(curve.scores))
        for which, sizes in extremes(curve.scores).items():
            yield Row("§5.3", model, figure, f"latent size, {which} {metric}", sizes, variant=variant,
                      split=curve.split, hp_source=curve.hp_source,
                      note=f"per run, over the swept sizes {swept}; {curve.note}".rstrip("; "))
