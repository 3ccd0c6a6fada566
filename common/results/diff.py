"""Published vs reproduced: one joined table, used by results.md and ``python -m common.compare``.

Only ``data=real`` rows of the faithful variant can count as reproductions; synthetic rows are shown,
with their difference, and always marked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from common.results.published import KEY

DEFAULT_REL_TOL = 0.05
NOT_RUN = "not run"
SYNTHETIC = "synthetic: not a reproduction"
VARIANT = "variant: not compared"
REPRODUCED = "reproduced"
DIFFERS = "differs"


def _status(row: pd.Series, rel_tol: float) -> str:
    if pd.isna(row["mean"]):
        return NOT_RUN
    if row["data"] != "real":
        return SYNTHETIC
    if row["variant"] != "faithful":
        return VARIANT
    return REPRODUCED if abs(row["delta"]) <= row["tol"] else DIFFERS


def diff_table(published: pd.DataFrame, reproduced: pd.DataFrame, rel_tol: float = DEFAULT_REL_TOL) -> pd.DataFrame:
    """Every published cell, joined with each reproduced row of the same (table, row, column, metric).

    ``tol`` is the cell's ``tolerance`` column when given, else ``rel_tol * |published|``.
    """
    pub = published.rename(columns={"value": "published"})
    tol = pub["published"].abs() * rel_tol
    if "tolerance" in pub.columns:
        tol = pub["tolerance"].fillna(tol)
    pub = pub.assign(tol=tol)
    rep_cols = [*KEY, "variant", "mean", "std", "n_runs", "data", "profile", "hp_source"]
    rep = reproduced[rep_cols] if len(reproduced) else pd.DataFrame(columns=rep_cols)
    joined = pub.merge(rep, on=KEY, how="left")
    joined["delta"] = joined["mean"] - joined["published"]
    joined["status"] = joined.apply(_status, axis=1, rel_tol=rel_tol) if len(joined) else []
    return joined


def extra_rows(published: pd.DataFrame, reproduced: pd.DataFrame) -> pd.DataFrame:
    """Reproduced rows with no published counterpart (analyses, corrected variants of new rows)."""
    if not len(reproduced):
        return reproduced
    keys = set(map(tuple, published[KEY].astype(str).to_numpy()))
    mask = [tuple(map(str, k)) not in keys for k in reproduced[KEY].to_numpy()]
    return reproduced[np.array(mask, dtype=bool)]


def summary_counts(diff: pd.DataFrame) -> dict[str, int]:
    """How many published cells are reproduced on real data, differ, were run on synthetic data only, or not run."""
    per_cell = diff.groupby(KEY, sort=False)["status"].agg(set)
    counts = {REPRODUCED: 0, DIFFERS: 0, SYNTHETIC: 0, NOT_RUN: 0}
    for statuses in per_cell:
        for status in (REPRODUCED, DIFFERS, SYNTHETIC, NOT_RUN):
            if status in statuses:
                counts[status] += 1
                break
    counts["published cells"] = len(per_cell)
    return counts
