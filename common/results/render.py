"""Markdown and terminal renderings of the published-vs-reproduced table."""

from __future__ import annotations

import math

import pandas as pd

from common.results.diff import SYNTHETIC, summary_counts


def _num(x: float, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.{digits}g}"


def _reproduced(row: pd.Series) -> str:
    if pd.isna(row["mean"]):
        return "–"
    text = _num(row["mean"])
    if row.get("n_runs", 1) and row["n_runs"] > 1 and not pd.isna(row["std"]):
        text += f" ± {_num(row['std'], 2)} (n={int(row['n_runs'])})"
    return text


def _delta(row: pd.Series) -> str:
    if pd.isna(row["delta"]):
        return "–"
    return f"{row['delta']:+.3g}"


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in r) + " |" for r in rows]
    return "\n".join(lines)


def diff_rows(diff: pd.DataFrame) -> list[list[str]]:
    rows = []
    for _, r in diff.iterrows():
        data = "–" if pd.isna(r["data"]) else f"{r['data']}/{r['profile']}"
        variant = "" if pd.isna(r["variant"]) or r["variant"] == "faithful" else f" [{r['variant']}]"
        rows.append([r["table"], r["row"] + variant, r["column"], r["metric"], _num(r["published"]),
                     _reproduced(r), _delta(r), data, r["status"]])
    return rows


DIFF_HEADER = ["Table", "Row", "Column", "Metric", "Published", "Reproduced", "Δ", "Data/profile", "Status"]


def render_markdown(paper: str, diff: pd.DataFrame, extras: pd.DataFrame, reproduced: pd.DataFrame) -> str:
    """``results/<paper>/results.md``: provenance, the side-by-side table, and rows with no published cell."""
    counts = summary_counts(diff)
    parts = [f"# {paper}: published vs reproduced", ""]
    if len(reproduced):
        prov = reproduced.drop_duplicates(["data", "profile", "commit", "hardware", "seeds", "hp_source"])
        parts += ["Runs in this table:", ""]
        parts += [f"- data **{p.data}**, corpus {p.corpus}, profile {p.profile}, seeds {p.seeds}, "
                  f"commit {p.commit}, hyperparameters from {p.hp_source}, hardware {p.hardware}, {p.date}"
                  for p in prov.itertuples()]
        parts.append("")
    if (reproduced.get("data", pd.Series(dtype=str)) == "synthetic").any():
        parts += ["> **Synthetic rows are not reproductions.** They come from the suite's synthetic twin of the "
                  "corpus and only show that the protocol runs end to end; their difference from the published "
                  "number means nothing. Run with `--data-dir` on the real corpus to reproduce.", ""]
    parts += [f"Published cells: {counts['published cells']}; reproduced on real data: {counts['reproduced']}; "
              f"differing on real data: {counts['differs']}; synthetic only: {counts[SYNTHETIC]}; "
              f"not run: {counts['not run']}.", ""]
    parts += [_markdown_table(DIFF_HEADER, diff_rows(diff)), ""]
    if len(extras):
        parts += ["## Reproduced numbers without a published counterpart", ""]
        rows = [[r["table"], r["row"], r["column"], r["metric"], r["variant"], _reproduced(r),
                 f"{r['data']}/{r['profile']}", str(r.get("note", "") or "")] for _, r in extras.iterrows()]
        parts += [_markdown_table(["Table", "Row", "Column", "Metric", "Variant", "Value", "Data/profile", "Note"],
                                  rows), ""]
    return "\n".join(parts)


def render_terminal(diff: pd.DataFrame) -> str:
    """Fixed-width text version of the side-by-side table for ``python -m common.compare``."""
    rows = [DIFF_HEADER, *diff_rows(diff)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(DIFF_HEADER))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows)
