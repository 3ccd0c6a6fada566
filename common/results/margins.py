"""The equivalence margin m of each published cell and the range its metric can take.

A cell is ``reproduced`` when the 95 % interval of Δ = ours − published lies within ±m (common.results.diff). The
margins, and why (README, "How a verdict is reached"):

- accuracies, UA/WA, F-measures in percent: **5 percentage points**. The papers print no spread of their own; the
  closest is Huang §7.5, whose module gains vary by 2.3–5.2 points (std over six CLDNNs), and differences below
  5 points between re-implementations of one SER model on IEMOCAP or EmoDB are within the fold-to-fold spread the
  field reports, so a smaller gap cannot tell a faithful reproduction from a different one. The same 5 % of the
  range for ratios in [0, 1] (Wieser's UAR/WAR: 0.05).
- CCC and Pearson's r: **0.05** (2.5 % of their range; AVEC 2016's baseline and the papers' models differ by
  0.03–0.1 on the dev set, Khorram Tables 1–2). RMSE: **0.02** (about 20 % of the RMSEs of Khorram Tables 1–2).
- a confusion matrix: the mean over true classes of the total-variation distance between our row distribution
  and the paper's, margin **10 points** (a tenth of each class's utterances classified differently).
- deterministic cells (counts, label statistics; ``deterministic=yes`` in published.csv): half a unit of the
  printed last digit (the paper's rounding).
- anything else (signal statistics, times): the cell's ``abs_tol`` where published.csv gives one, else 10 % of
  the published value — no convention of the field exists for these.

``python -m common.compare PAPER --margin METRIC=M`` replaces the margin of one metric (e.g. ``UA=3``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

INF = math.inf
#: percentage points for accuracies in percent (see the module docstring)
PERCENT_MARGIN = 5.0
#: the same share of the range for ratios in [0, 1]
RATIO_MARGIN = 0.05
#: CCC and Pearson's r
CORRELATION_MARGIN = 0.05
RMSE_MARGIN = 0.02
#: mean total-variation distance between row distributions of two confusion matrices, in percentage points
MATRIX_MARGIN = 10.0
#: where no convention exists: this share of the published value
RELATIVE_MARGIN = 0.10
MATRIX_METRIC = "confusion distance"

#: metric name (lower case) -> (margin, lower limit, upper limit, basis)
_RULES: dict[str, tuple[float, float, float, str]] = {
    "ccc": (CORRELATION_MARGIN, -1.0, 1.0, "correlation convention"),
    "pearson": (CORRELATION_MARGIN, -1.0, 1.0, "correlation convention"),
    "rmse": (RMSE_MARGIN, 0.0, INF, "RMSE convention"),
    "uar": (RATIO_MARGIN, 0.0, 1.0, "5 % of the range"),
    "war": (RATIO_MARGIN, 0.0, 1.0, "5 % of the range"),
    "ua gain mean": (PERCENT_MARGIN, -100.0, 100.0, "accuracy convention (points)"),
    "ua gain std": (PERCENT_MARGIN, 0.0, 100.0, "accuracy convention (points)"),
    "test ccc improvement over valstar": (PERCENT_MARGIN, -100.0, INF, "accuracy convention (points)"),
    MATRIX_METRIC: (MATRIX_MARGIN, 0.0, 100.0, "mean row total-variation distance"),
}
#: metrics in percent of a [0, 100] range judged with PERCENT_MARGIN
_PERCENT = {"accuracy", "average_accuracy", "validation_accuracy", "validation_ua", "ua", "wa", "f-measure",
            "f1", "f1_macro", "confusion", "power share below 1 hz"}


@dataclass(frozen=True)
class Margin:
    """The margin ``m`` of a cell (in its units), the metric's range and where ``m`` comes from."""

    m: float
    low: float
    high: float
    basis: str


def margin_for(metric: str, published: float, abs_tol: float = math.nan, deterministic: bool = False,
               decimals: int = 0, overrides: Mapping[str, float] | None = None) -> Margin:
    """The :class:`Margin` of one published cell (``overrides``: metric name -> m, from ``--margin``)."""
    key = str(metric).strip().lower()
    low, high = -INF, INF
    if key in _RULES:
        m, low, high, basis = _RULES[key]
    elif key in _PERCENT:
        m, low, high, basis = PERCENT_MARGIN, 0.0, 100.0, "accuracy convention (points)"
    elif not math.isnan(abs_tol):
        m, basis = abs_tol, "abs_tol of published.csv"
    else:
        m, basis = RELATIVE_MARGIN * abs(published), "10 % of the published value (no convention)"
    if deterministic:
        m, basis = 0.5 * 10.0 ** -decimals, "printed rounding (deterministic)"
    for name, value in (overrides or {}).items():
        if name.strip().lower() == key:
            m, basis = float(value), "--margin"
    return Margin(m, low, high, basis)


def parse_margins(items: list[str]) -> dict[str, float]:
    """``["UA=3", "CCC=0.03"]`` -> ``{"UA": 3.0, "CCC": 0.03}``; a malformed item raises ValueError."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not name.strip() or out.get(name.strip(), -1) < 0:
            raise ValueError(f"--margin {item!r}: expected METRIC=M with M a number >= 0 (e.g. UA=3)")
    return out
