"""Published vs reproduced: one joined table with a verdict per cell, used by results.md and ``common.compare``.

How a verdict is reached: every reproduced number carries a 95 % interval (common.stats: bootstrap over
speakers combined with the spread over runs). A ``value`` cell is ``reproduced`` when the published value lies
inside the interval (widened by the cell's ``abs_tol``) and the interval is narrow enough to tell (half-width at
most ``DECISIVE_SHARE`` of the value, or the ``abs_tol``), ``not reproduced`` when it lies outside (the distance is
given in interval widths), and ``inconclusive`` otherwise; a bound holds when the whole interval is on its side;
an ``argmax`` must be the argmax of every run. Only ``data=real`` rows of the faithful variant get a verdict;
synthetic rows get ``synthetic`` whatever their numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from common.results.published import KEY

NOT_RUN = "not run"
SYNTHETIC = "synthetic"
VARIANT = "variant: not compared"
REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
INCONCLUSIVE = "inconclusive"
VERDICTS = (REPRODUCED, NOT_REPRODUCED, INCONCLUSIVE, SYNTHETIC, NOT_RUN)
#: an interval wider than this share of the published value (each side) cannot confirm it
DECISIVE_SHARE = 0.10
MORE_EVIDENCE = "more runs (--runs) or the paper profile's full test set would decide it"


def _run_values(row: pd.Series) -> np.ndarray:
    text = row.get("values", "")
    if isinstance(text, str) and text.strip():
        return np.array([float(v) for v in text.split()])
    return np.array([row["mean"]], dtype=float)


def verdict(row: pd.Series) -> tuple[str, str]:
    """(verdict, explanation) of one published cell joined with one reproduced row."""
    if pd.isna(row["mean"]):
        return NOT_RUN, ""
    if row["data"] != "real":
        return SYNTHETIC, "synthetic twin: not a reproduction"
    if row["variant"] != "faithful":
        return VARIANT, ""
    kind, pub = row.get("kind", "value"), float(row["published"])
    low, high = float(row.get("ci_low", np.nan)), float(row.get("ci_high", np.nan))
    if kind == "argmax":
        hits = _run_values(row) == pub
        if hits.all():
            return REPRODUCED, f"argmax in all {hits.size} runs"
        if not hits.any():
            return NOT_REPRODUCED, f"argmax {row['mean']:.4g} (mean over runs), published {pub:.4g}"
        return INCONCLUSIVE, f"argmax in {hits.sum()} of {hits.size} runs"
    if np.isnan(low) or np.isnan(high):
        tol = row.get("abs_tol", np.nan)
        if kind == "value" and not pd.isna(tol):
            ok = abs(row["mean"] - pub) <= tol
            return (REPRODUCED if ok else NOT_REPRODUCED), f"|Δ| {'<=' if ok else '>'} abs_tol {tol:g} (no interval)"
        return INCONCLUSIVE, f"no interval (one run without per-item predictions): {MORE_EVIDENCE}"
    if kind == "lower-bound":
        if low > pub:
            return REPRODUCED, f"interval [{low:.4g}, {high:.4g}] above the bound {pub:g}"
        return (NOT_REPRODUCED, f"interval below the bound {pub:g}") if high < pub else \
            (INCONCLUSIVE, f"interval [{low:.4g}, {high:.4g}] straddles the bound {pub:g}")
    if kind == "upper-bound":
        if high < pub:
            return REPRODUCED, f"interval [{low:.4g}, {high:.4g}] below the bound {pub:g}"
        return (NOT_REPRODUCED, f"interval above the bound {pub:g}") if low > pub else \
            (INCONCLUSIVE, f"interval [{low:.4g}, {high:.4g}] straddles the bound {pub:g}")
    tol = 0.0 if pd.isna(row.get("abs_tol", np.nan)) else float(row["abs_tol"])
    lo, hi = low - tol, high + tol
    width = max(hi - lo, 1e-12)
    if pub < lo or pub > hi:
        distance = (lo - pub if pub < lo else pub - hi) / width
        return NOT_REPRODUCED, f"published value {distance:.1f} interval widths outside [{lo:.4g}, {hi:.4g}]"
    if (high - low) / 2 > max(tol, DECISIVE_SHARE * abs(pub)):
        return INCONCLUSIVE, f"interval [{lo:.4g}, {hi:.4g}] too wide to decide: {MORE_EVIDENCE}"
    return REPRODUCED, f"published value inside [{lo:.4g}, {hi:.4g}]"


def diff_table(published: pd.DataFrame, reproduced: pd.DataFrame) -> pd.DataFrame:
    """Every published cell, joined with each reproduced row of the same (table, row, column, metric), judged."""
    pub = published.rename(columns={"value": "published"})
    rep_cols = [*KEY, "variant", "mean", "std", "n_runs", "values", "ci_low", "ci_high", "data", "profile",
                "backend", "hp_source"]
    rep = reproduced.reindex(columns=rep_cols) if len(reproduced) else pd.DataFrame(columns=rep_cols)
    joined = pub.merge(rep, on=KEY, how="left")
    joined["delta"] = joined["mean"] - joined["published"]
    judged = [verdict(r) for _, r in joined.iterrows()]
    joined["status"] = [v for v, _ in judged]
    joined["why"] = [w for _, w in judged]
    return joined


def extra_rows(published: pd.DataFrame, reproduced: pd.DataFrame) -> pd.DataFrame:
    """Reproduced rows with no published counterpart (analyses, corrected variants of new rows)."""
    if not len(reproduced):
        return reproduced
    keys = set(map(tuple, published[KEY].astype(str).to_numpy()))
    mask = [tuple(map(str, k)) not in keys for k in reproduced[KEY].to_numpy()]
    return reproduced[np.array(mask, dtype=bool)]


def summary_counts(diff: pd.DataFrame) -> dict[str, int]:
    """Published cells per verdict (a cell counts once, by its best-judged faithful row)."""
    per_cell = diff.groupby(KEY, sort=False)["status"].agg(set)
    counts = dict.fromkeys(VERDICTS, 0)
    for statuses in per_cell:
        for status in VERDICTS:
            if status in statuses:
                counts[status] += 1
                break
    counts["published cells"] = len(per_cell)
    return counts
