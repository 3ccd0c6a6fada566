"""Published vs reproduced: one joined table with a verdict per cell, used by results.md and ``common.compare``.

How a verdict is reached (README, "How a verdict is reached"):

1. Only rows that reproduce the paper are judged: real data (a twin is ``synthetic`` wherever it is read from),
   the release the paper used (else ``not the paper's corpus: <what differs>``), the faithful variant, and the
   paper profile with no override of its protocol (else ``not the paper protocol: <what differs>``, with Δ and
   its interval still shown). Of those, the latest row per cell and backend is judged; older ones are
   ``earlier run``.
2. A ``value`` cell is an equivalence test: Δ = ours − published with the row's 95 % interval (common.stats: speaker
   groups and runs resampled together), clipped to the metric's range. ``reproduced`` when the interval of Δ lies
   within ±m (common.results.margins), ``not reproduced`` when it lies wholly outside ±m, ``inconclusive``
   otherwise, saying what would decide it. Deterministic cells are compared within their printed rounding.
3. Bounds hold when the whole interval (or a deterministic value) is on their side; an ``argmax`` (``argmin``)
   must be the argmax (argmin) of every run; a ``not-argmax`` must be the argmax of no run.
4. A confusion matrix gets one verdict: the mean total-variation distance between its rows and the paper's, with
   an interval from its cells' intervals (each moves the distance by at most half its width), equivalent when it
   lies below the matrix margin. Its cells are shown, never counted one by one.
5. A degenerate model (one predicted class, or UA whose interval holds chance) is never ``reproduced``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from common.results.margins import MATRIX_METRIC, Margin, margin_for
from common.results.published import KEY

NOT_RUN = "not run"
SYNTHETIC = "synthetic"
VARIANT = "variant: not compared"
REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
INCONCLUSIVE = "inconclusive"
NOT_PAPER_CORPUS = "not the paper's corpus"
NOT_PAPER_PROTOCOL = "not the paper protocol"
EARLIER = "earlier run"
IN_MATRIX = "judged as a matrix"
CONFUSION = "confusion"
#: the statuses a published cell (or matrix) can be counted under, one per cell and backend
VERDICTS = (REPRODUCED, NOT_REPRODUCED, INCONCLUSIVE, NOT_PAPER_CORPUS, NOT_PAPER_PROTOCOL, SYNTHETIC, NOT_RUN)
JUDGED = (REPRODUCED, NOT_REPRODUCED, INCONCLUSIVE)
#: a reproduced matrix whose rows all put at least this share (%) in one column predicts one class
ONE_CLASS_SHARE = 99.0
MORE_EVIDENCE = "more runs (--runs) or more speakers would narrow it"


def _text(row: pd.Series, column: str) -> str:
    value = row.get(column, "")
    return "" if pd.isna(value) else str(value)


def eligibility(row: pd.Series) -> tuple[str, str] | None:
    """(status, why) of a row that is not judged against the paper, or None when it is."""
    if pd.isna(row["mean"]):
        return NOT_RUN, ""
    if row["data"] != "real":
        return SYNTHETIC, "synthetic twin: not a reproduction"
    if row["variant"] != "faithful":
        return VARIANT, ""
    if _text(row, "corpus_differs"):
        return NOT_PAPER_CORPUS, _text(row, "corpus_differs")
    differs = [f"profile {row['profile']}"] if row["profile"] != "paper" else []
    differs += [_text(row, "overrides")] if _text(row, "overrides") else []
    if _text(row, "hp_source").startswith("tuning:"):
        differs.append(f"hyperparameters from {_text(row, 'hp_source')} (--from-tuning)")
    if differs:
        return NOT_PAPER_PROTOCOL, "; ".join(differs)
    return None


def _run_values(row: pd.Series) -> np.ndarray:
    text = row.get("values", "")
    if isinstance(text, str) and text.strip():
        return np.array([float(v) for v in text.split()])
    return np.array([row["mean"]], dtype=float)


def _interval(row: pd.Series, margin: Margin) -> tuple[float, float]:
    low, high = float(row.get("ci_low", np.nan)), float(row.get("ci_high", np.nan))
    return float(np.clip(low, margin.low, margin.high)), float(np.clip(high, margin.low, margin.high))


def _equivalence(delta_low: float, delta_high: float, m: float) -> tuple[str, str]:
    band = f"Δ [{delta_low:+.3g}, {delta_high:+.3g}]"
    if -m <= delta_low and delta_high <= m:
        return REPRODUCED, f"{band} within ±{m:.3g}"
    if delta_low > m or delta_high < -m:
        return NOT_REPRODUCED, f"{band} wholly outside ±{m:.3g}"
    if delta_high - delta_low > 2 * m:
        return INCONCLUSIVE, f"{band} wider than ±{m:.3g}: {MORE_EVIDENCE}"
    return INCONCLUSIVE, f"{band} crosses ±{m:.3g}: a narrower interval would decide ({MORE_EVIDENCE})"


def _bound(kind: str, pub: float, low: float, high: float, deterministic: bool, mean: float) -> tuple[str, str]:
    if deterministic:
        low = high = mean
    elif np.isnan(low) or np.isnan(high):
        return INCONCLUSIVE, f"no interval: {MORE_EVIDENCE}"
    above, below = low > pub, high < pub
    shown = f"{mean:.4g}" if deterministic else f"[{low:.4g}, {high:.4g}]"
    if kind == "lower-bound":
        return (REPRODUCED, f"{shown} above the bound {pub:g}") if above else \
            (NOT_REPRODUCED, f"{shown} below the bound {pub:g}") if high < pub or deterministic else \
            (INCONCLUSIVE, f"{shown} straddles the bound {pub:g}: {MORE_EVIDENCE}")
    return (REPRODUCED, f"{shown} below the bound {pub:g}") if below else \
        (NOT_REPRODUCED, f"{shown} above the bound {pub:g}") if low > pub or deterministic else \
        (INCONCLUSIVE, f"{shown} straddles the bound {pub:g}: {MORE_EVIDENCE}")


def verdict(row: pd.Series, margins: Mapping[str, float] | None = None) -> tuple[str, str]:
    """(verdict, explanation) of one published cell joined with one reproduced row."""
    not_judged = eligibility(row)
    if not_judged is not None:
        return not_judged
    status, why = _judge(row, margins)
    reason = _text(row, "degenerate")
    if status == REPRODUCED and reason:
        return INCONCLUSIVE, f"degenerate model ({reason}): a constant predictor cannot reproduce it; {why}"
    return status, why


def _judge(row: pd.Series, margins: Mapping[str, float] | None) -> tuple[str, str]:
    kind, pub, mean = row.get("kind", "value"), float(row["published"]), float(row["mean"])
    deterministic = bool(row.get("deterministic", False))
    margin = margin_for(row["metric"], pub, float(row.get("abs_tol", np.nan)), deterministic,
                        int(row.get("decimals", 0) or 0), margins)
    low, high = _interval(row, margin)
    if kind in ("argmax", "argmin"):
        hits = _run_values(row) == pub
        if hits.all():
            return REPRODUCED, f"{kind} in all {hits.size} runs"
        if not hits.any():
            return NOT_REPRODUCED, f"{kind} {mean:.4g} (mean over runs), published {pub:.4g}"
        return INCONCLUSIVE, f"{kind} in {hits.sum()} of {hits.size} runs: more runs would decide it"
    if kind == "not-argmax":
        hits = _run_values(row) == pub
        if not hits.any():
            return REPRODUCED, f"{pub:.4g} is the argmax in none of {hits.size} runs"
        if hits.all():
            return NOT_REPRODUCED, f"{pub:.4g} is the argmax in all {hits.size} runs"
        return INCONCLUSIVE, f"{pub:.4g} is the argmax in {hits.sum()} of {hits.size} runs: more runs would decide it"
    if kind in ("lower-bound", "upper-bound"):
        return _bound(kind, pub, low, high, deterministic, mean)
    if deterministic:
        ok = abs(mean - pub) <= margin.m + 1e-12
        return (REPRODUCED if ok else NOT_REPRODUCED), \
            f"deterministic: |Δ| {abs(mean - pub):.3g} {'<=' if ok else '>'} {margin.m:g} ({margin.basis})"
    if np.isnan(low) or np.isnan(high):
        return INCONCLUSIVE, f"no interval (one run without per-item predictions): {MORE_EVIDENCE}"
    return _equivalence(low - pub, high - pub, margin.m)


def _latest(joined: pd.DataFrame) -> pd.DataFrame:
    """Judged rows other than the latest per cell and backend become ``earlier run``."""
    judged = joined["status"].isin(JUDGED)
    if not judged.any():
        return joined
    order = joined[judged].sort_values("date", kind="stable")
    latest = order.groupby([*KEY, "backend"], sort=False).tail(1).index
    superseded = judged & ~joined.index.isin(latest)
    joined.loc[superseded, "why"] = "superseded by a later paper-profile run: " + joined.loc[superseded, "status"]
    joined.loc[superseded, "status"] = EARLIER
    return joined


def _rank(status: str) -> int:
    return VERDICTS.index(status) if status in VERDICTS else len(VERDICTS)


def matrix_name(row: str) -> str:
    """The matrix a confusion cell belongs to: its row label before ``:`` (Zhao's 'audio clips: Ang')."""
    return row.split(":")[0].strip() if ":" in row else ""


def _distance(cells: pd.DataFrame, margin: Margin, base: dict) -> dict:
    """Mean row total-variation distance between the paper's matrix and ours (points), with the interval its cells'
    intervals allow: each cell moves a row's distance by at most half its interval's half-width."""
    pub = cells.pivot_table(index="row", columns="column", values="published", aggfunc="first")
    rep = cells.pivot_table(index="row", columns="column", values="mean", aggfunc="first")
    half = cells.assign(h=(cells["ci_high"] - cells["ci_low"]) / 2).pivot_table(
        index="row", columns="column", values="h", aggfunc="first")
    distance = float((0.5 * (pub - rep).abs().sum(axis=1)).mean())
    spread = float((0.5 * half.sum(axis=1)).mean()) if cells[["ci_low", "ci_high"]].notna().all().all() else np.nan
    low, high = float(np.clip(distance - spread, 0.0, 100.0)), float(np.clip(distance + spread, 0.0, 100.0))
    return {**base, "mean": distance, "ci_low": low, "ci_high": high, "delta": distance, "delta_low": low,
            "delta_high": high, "date": cells["date"].max(), "commit": cells["commit"].iloc[-1],
            "n_runs": cells["n_runs"].max(), "margin": margin.m}


def _matrix_row(table: str, name: str, cells: pd.DataFrame, backend: str,
                margins: Mapping[str, float] | None) -> dict:
    """One verdict for one reproduced confusion matrix (the latest judged cells of ``backend``)."""
    margin = margin_for(MATRIX_METRIC, 0.0, overrides=margins)
    base = {"table": table, "row": name or table, "column": "all classes", "metric": MATRIX_METRIC,
            "published": 0.0, "kind": "value", "variant": "faithful", "backend": backend, "data": "real",
            "profile": "paper", "unit": "points", "note": "mean total-variation distance between rows"}
    ours = cells[cells["status"].isin(JUDGED)]
    if ours.empty:  # not judged: the distance of the most telling rows, under their status
        ranks = cells["status"].map(_rank)
        shown = cells[ranks == ranks.min()].sort_values("date", kind="stable")
        shown = shown.drop_duplicates(["row", "column"], keep="last")
        first = shown.iloc[0]
        base = {**base, "data": first["data"], "profile": first["profile"]}
        if pd.isna(first["mean"]):
            return {**base, "status": first["status"], "why": _text(first, "why"), "mean": np.nan}
        measured = _distance(shown, margin, base)
        return {**measured, "status": first["status"], "why": _text(first, "why")}
    missing = len(cells.drop_duplicates(["row", "column"])) - len(ours)
    row = _distance(ours, margin, base)
    distance, low, high = row["mean"], row["ci_low"], row["ci_high"]
    spread = high - low
    rep = ours.pivot_table(index="row", columns="column", values="mean", aggfunc="first")
    one_class = (rep.max(axis=1) >= ONE_CLASS_SHARE).all() and rep.idxmax(axis=1).nunique() == 1
    degenerate = "; ".join(sorted({_text(r, "degenerate") for _, r in ours.iterrows()} - {""}))
    if missing:
        status, why = INCONCLUSIVE, f"{missing} of the matrix's cells not judged"
    elif np.isnan(spread):
        status, why = INCONCLUSIVE, f"distance {distance:.3g}, no interval for some cells: {MORE_EVIDENCE}"
    elif high <= margin.m:
        status, why = REPRODUCED, f"distance [{low:.3g}, {high:.3g}] below {margin.m:g}"
    elif low > margin.m:
        status, why = NOT_REPRODUCED, f"distance [{low:.3g}, {high:.3g}] above {margin.m:g}"
    else:
        status, why = INCONCLUSIVE, f"distance [{low:.3g}, {high:.3g}] crosses {margin.m:g}: {MORE_EVIDENCE}"
    if one_class or degenerate:
        reason = degenerate or f"every true class put into {rep.idxmax(axis=1).iloc[0]}"
        if status == REPRODUCED:
            status = INCONCLUSIVE
        why = f"degenerate model ({reason}); {why}"
    return {**row, "status": status, "why": why}


def matrix_verdicts(joined: pd.DataFrame, margins: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One row per published confusion matrix and backend that has reproduced cells (others: not run)."""
    conf = joined[joined["metric"] == CONFUSION]
    rows = []
    for (table, name), cells in conf.groupby([conf["table"], conf["row"].map(matrix_name)], sort=False):
        faithful = cells[cells["variant"].isna() | (cells["variant"] == "faithful")]
        backends = [b for b in dict.fromkeys(faithful["backend"]) if not pd.isna(b)]
        if not backends:
            rows.append({"table": table, "row": name or table, "column": "all classes", "metric": MATRIX_METRIC,
                         "published": 0.0, "kind": "value", "status": NOT_RUN, "why": "", "mean": np.nan})
        for backend in backends:
            mine = faithful[faithful["backend"] == backend]
            # the judged cells if any; else the cells of the row that shows why none is judged
            rows.append(_matrix_row(table, name, mine, backend, margins))
    return pd.DataFrame(rows)


def diff_table(published: pd.DataFrame, reproduced: pd.DataFrame,
               margins: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Every published cell joined with each reproduced row of the same (table, row, column, metric), judged; then
    one row per confusion matrix (metric ``confusion distance``), whose cells become ``judged as a matrix``."""
    pub = published.rename(columns={"value": "published"})
    rep_cols = [*KEY, "variant", "mean", "std", "n_runs", "values", "ci_low", "ci_high", "data", "profile",
                "backend", "hp_source", "corpus_differs", "overrides", "degenerate", "date", "commit"]
    rep = reproduced.reindex(columns=rep_cols) if len(reproduced) else pd.DataFrame(columns=rep_cols)
    joined = pub.merge(rep, on=KEY, how="left").reset_index(drop=True)
    joined["delta"] = joined["mean"] - joined["published"]
    bands = [margin_for(r["metric"], float(r["published"]), float(r.get("abs_tol", np.nan)),
                        bool(r.get("deterministic", False)), int(r.get("decimals", 0) or 0), margins)
             for _, r in joined.iterrows()]
    joined["margin"] = [b.m if kind == "value" else np.nan for b, kind in zip(bands, joined["kind"], strict=True)]
    joined["ci_low"] = [np.clip(v, b.low, b.high) for v, b in zip(joined["ci_low"].astype(float), bands, strict=True)]
    joined["ci_high"] = [np.clip(v, b.low, b.high) for v, b in zip(joined["ci_high"].astype(float), bands,
                                                                    strict=True)]
    joined["delta_low"] = joined["ci_low"] - joined["published"]
    joined["delta_high"] = joined["ci_high"] - joined["published"]
    judged = [verdict(r, margins) for _, r in joined.iterrows()]
    joined["status"] = [v for v, _ in judged]
    joined["why"] = [w for _, w in judged]
    joined = _latest(joined)
    matrices = matrix_verdicts(joined, margins)
    is_cell = joined["metric"] == CONFUSION
    in_matrix = is_cell & joined["status"].isin(JUDGED)
    if in_matrix.any():
        joined.loc[in_matrix, "why"] = "cell " + joined.loc[in_matrix, "status"].astype(str) + " (shown, not counted)"
        joined.loc[in_matrix, "status"] = IN_MATRIX
    return pd.concat([joined, matrices], ignore_index=True) if len(matrices) else joined


def extra_rows(published: pd.DataFrame, reproduced: pd.DataFrame) -> pd.DataFrame:
    """Reproduced rows with no published counterpart (analyses, corrected variants of new rows)."""
    if not len(reproduced):
        return reproduced
    keys = set(map(tuple, published[KEY].astype(str).to_numpy()))
    mask = [tuple(map(str, k)) not in keys for k in reproduced[KEY].to_numpy()]
    return reproduced[np.array(mask, dtype=bool)]


def summary_counts(diff: pd.DataFrame) -> dict[str, int]:
    """One verdict per published cell (a confusion matrix is one cell) and backend: the judged row's if there is
    one, else the first of :data:`VERDICTS` among its rows. Never a best-of over runs or profiles."""
    counted = diff[diff["metric"] != CONFUSION]
    counts = dict.fromkeys(VERDICTS, 0)
    backend = counted["backend"].fillna("") if "backend" in counted else pd.Series("", index=counted.index)
    for _, statuses in counted.groupby([*[counted[k] for k in KEY], backend], sort=False)["status"]:
        present = set(statuses)
        for status in VERDICTS:
            if status in present:
                counts[status] += 1
                break
    counts["published cells"] = len(counted.drop_duplicates(KEY))
    return counts
