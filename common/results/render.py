"""The results page (``results/<paper>/results.md``) and the terminal table of ``python -m common.compare``.

The page opens with how its verdicts are reached (the margins, which runs are judged, the counts), then the
headline numbers (every published cell that is not a confusion-matrix entry, and one line per matrix: published,
reproduced with its 95 % interval, Δ with its interval, the margin, verdict and why), then the confusion matrices
as matrices (ours beside the paper's), the effect of each known flaw (faithful minus corrected variant), and the
exhaustive cell list in a collapsed section. ``results.csv`` holds every number; ``python -m common.compare
PAPER --render`` re-renders a page from it without training.
"""

from __future__ import annotations

import math

import pandas as pd

from common.results.diff import CONFUSION, JUDGED, NOT_PAPER_CORPUS, NOT_PAPER_PROTOCOL, SYNTHETIC, summary_counts
from common.results.margins import (
    CORRELATION_MARGIN,
    MATRIX_MARGIN,
    PERCENT_MARGIN,
    RATIO_MARGIN,
    RELATIVE_MARGIN,
    RMSE_MARGIN,
)


def _num(x: float, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x):
        return "–"
    x = 0.0 if abs(float(x)) < 1e-9 else float(x)  # float noise of a bootstrap around zero
    return f"{x:.{digits}g}"


def _reproduced(row: pd.Series) -> str:
    if pd.isna(row["mean"]):
        return "–"
    text = _num(row["mean"])
    if not pd.isna(row.get("ci_low", float("nan"))):
        text += f" [{_num(row['ci_low'], 3)}, {_num(row['ci_high'], 3)}]"
    if row.get("n_runs", 1) and row["n_runs"] > 1:
        text += f" (n={int(row['n_runs'])})"
    return text


def _delta(row: pd.Series) -> str:
    if pd.isna(row.get("delta", float("nan"))):
        return "–"
    text = f"{row['delta']:+.3g}"
    low, high = row.get("delta_low", float("nan")), row.get("delta_high", float("nan"))
    if not pd.isna(low) and not pd.isna(high):
        text += f" [{low:+.3g}, {high:+.3g}]"
    return text


def _margin(row: pd.Series) -> str:
    m = row.get("margin", float("nan"))
    return "–" if pd.isna(m) else f"±{_num(m, 3)}"


def _verdict(row: pd.Series) -> str:
    why = row.get("why", "")
    return f"{row['status']}: {why}" if row["status"] in (NOT_PAPER_CORPUS, NOT_PAPER_PROTOCOL) and why else \
        row["status"]


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "/") for cell in r) + " |" for r in rows]
    return "\n".join(lines)


def diff_rows(diff: pd.DataFrame) -> list[list[str]]:
    rows = []
    for _, r in diff.iterrows():
        data = "–" if pd.isna(r["data"]) else f"{r['data']}/{r['profile']}"
        variant = "" if pd.isna(r["variant"]) or r["variant"] == "faithful" else f" [{r['variant']}]"
        kind = "" if r.get("kind", "value") == "value" else f" ({r['kind']})"
        rows.append([r["table"], r["row"] + variant, r["column"], r["metric"], _num(r["published"]) + kind,
                     _reproduced(r), _delta(r), _margin(r), data, _verdict(r)])
    return rows


DIFF_HEADER = ["Table", "Row", "Column", "Metric", "Published", "Reproduced [95 % CI]", "Δ [95 % CI]", "Margin",
               "Data/profile", "Verdict"]

MARGINS_TEXT = (f"Equivalence margins m (a cell is reproduced when the 95 % interval of Δ = ours − published lies "
                f"within ±m, not reproduced when wholly outside): accuracies, UA, WA, F-measures ±{PERCENT_MARGIN:g} "
                f"points; ratios in [0, 1] ±{RATIO_MARGIN:g}; CCC and r ±{CORRELATION_MARGIN:g}; RMSE "
                f"±{RMSE_MARGIN:g}; a confusion matrix: mean row total-variation distance below {MATRIX_MARGIN:g} "
                f"points; deterministic cells: their printed rounding; others: abs_tol or "
                f"{RELATIVE_MARGIN:.0%} of the published value (README, \"How a verdict is reached\"; "
                "`python -m common.compare PAPER --margin METRIC=M` to change one).")


def judged_runs(diff: pd.DataFrame) -> list[str]:
    """The runs whose rows carry the verdicts: commit and latest date per backend."""
    judged = diff[diff["status"].isin(JUDGED)]
    if "date" not in judged or judged["date"].isna().all():
        return []
    out = []
    for backend, rows in judged.dropna(subset=["date"]).groupby("backend", sort=False):
        commits = ", ".join(dict.fromkeys(rows["commit"].dropna().astype(str)))
        out.append(f"{backend}: commit {commits}, rows up to {rows['date'].max()}")
    return out


def p_value(p: float) -> str:
    """A p-value as text; a bootstrap that never crossed zero says so instead of printing 0."""
    from common.stats import N_RESAMPLES

    if pd.isna(p):
        return "–"
    return f"< {1 / N_RESAMPLES:.2g}" if float(p) == 0 else f"{float(p):.2g}"


def _headline(diff: pd.DataFrame) -> list[str]:
    """The numbers the suite reproduces (literature rows the paper only cites stay in the full list)."""
    head = diff[(diff["metric"] != CONFUSION) & (diff["variant"] == "faithful") & diff["mean"].notna()]
    if not len(head):
        return []
    rows = [[r["table"], r["row"], r["column"], r["metric"], _num(r["published"]), _reproduced(r), _delta(r),
             _margin(r), r["status"], r["why"]] for _, r in head.iterrows()]
    return ["## Headline numbers", "",
            _markdown_table(["Table", "Row", "Column", "Metric", "Published", "Reproduced [95 % CI]", "Δ [95 % CI]",
                             "Margin", "Verdict", "Why"], rows), ""]


def _matrix(cells: pd.DataFrame, value: str) -> str:
    labels = list(dict.fromkeys(cells["row"]))
    cols = list(dict.fromkeys(cells["column"]))
    grid = cells.pivot_table(index="row", columns="column", values=value, aggfunc="first").reindex(
        index=labels, columns=cols)
    rows = [[lab, *(_num(v, 3) for v in grid.loc[lab])] for lab in labels]
    return _markdown_table(["true \\ predicted", *cols], rows)


def _confusions(diff: pd.DataFrame, reproduced: pd.DataFrame) -> list[str]:
    conf_pub = diff[diff["metric"] == CONFUSION]
    if not len(conf_pub):
        return []
    parts = ["## Confusion matrices (percent of each true class)", ""]
    ours_all = reproduced[(reproduced["metric"] == CONFUSION) & (reproduced["variant"] == "faithful")]
    for table in dict.fromkeys(conf_pub["table"]):
        pub = conf_pub[conf_pub["table"] == table].drop_duplicates(["row", "column"])
        parts += [f"### {table}", "", "Published:", "", _matrix(pub, "published"), ""]
        ours = ours_all[ours_all["table"] == table].sort_values("date", kind="stable")
        runs = ["data", "profile", "overrides", "backend"]
        for key, run in ours.groupby([ours[c].fillna("") for c in runs], sort=False):
            run = run.drop_duplicates(["row", "column"], keep="last")
            label = ", ".join(f"{c} {v}" for c, v in zip(runs, key, strict=True) if v)
            parts += [f"Reproduced ({label}, faithful, latest row per cell):", "", _matrix(run, "mean"), ""]
        verdicts = diff[(diff["metric"] == "confusion distance") & (diff["table"] == table)]
        parts += [f"Verdict ({v.row}, {v.backend if isinstance(v.backend, str) else 'no run'}): **{v.status}** "
                  f"{v.why}" for v in verdicts.itertuples()]
        parts += [""] if len(verdicts) else []
    return parts


def _effects(effects: pd.DataFrame) -> list[str]:
    if not len(effects):
        return []
    rows = [[e["table"], e["row"], e["column"], e["metric"], e["flaw"], f"{e['corrected']}",
             f"{_num(e['faithful'])} vs {_num(e['corrected_value'])}",
             f"{float(e['effect']):+.3g} [{_num(e['ci_low'], 3)}, {_num(e['ci_high'], 3)}]", p_value(e["p"]),
             e["method"], e["data"]] for _, e in effects.iterrows()]
    return ["## What each known flaw does to the numbers", "",
            "Effect = faithful (with the paper's flaw) minus the corrected variant, with its 95 % interval and a "
            "paired test (common.stats).", "",
            _markdown_table(["Table", "Row", "Column", "Metric", "Flaw", "Corrected variant", "Faithful vs corrected",
                             "Effect [95 % CI]", "p", "Pairing", "Data"], rows), ""]


def render_markdown(paper: str, diff: pd.DataFrame, extras: pd.DataFrame, reproduced: pd.DataFrame,
                    effects: pd.DataFrame | None = None) -> str:
    """``results/<paper>/results.md``."""
    counts = summary_counts(diff)
    parts = [f"# {paper}: results", ""]
    if len(reproduced):
        prov = reproduced.drop_duplicates(["data", "profile", "backend", "commit", "hardware", "seeds", "hp_source"])
        parts += ["Runs in this page:", ""]
        parts += [f"- data **{p.data}**, corpus {p.corpus}, profile {p.profile}, backend {p.backend}, seeds {p.seeds}, "
                  f"commit {p.commit}, hyperparameters from {p.hp_source}, hardware {p.hardware}, {p.date}"
                  for p in prov.itertuples()]
        parts.append("")
    if (reproduced.get("data", pd.Series(dtype=str)) == "synthetic").any():
        parts += ["> **Synthetic rows are not reproductions.** They come from the suite's synthetic twin of the "
                  "corpus and only show that the protocol runs end to end; their verdict is always `synthetic`. "
                  "Run with `--data-dir` on the real corpus to reproduce.", ""]
    parts += [summary_line(counts), "", "Intervals are 95 %: speaker groups (IEMOCAP sessions) and runs resampled "
              "together, bootstrap-t on the group count, clipped to the metric's range (common.stats). Only rows of "
              "the paper profile, on real data of the paper's corpus, with no override are judged; the latest "
              "such row per cell and backend gives the verdict.", "", MARGINS_TEXT, ""]
    runs = judged_runs(diff)
    if runs:
        parts += ["Judged runs:", "", *(f"- {r}" for r in runs), ""]
    parts += _headline(diff)
    parts += _confusions(diff, reproduced)
    parts += _effects(effects if effects is not None else pd.DataFrame())
    parts += ["<details><summary>Every published cell</summary>", "",
              _markdown_table(DIFF_HEADER, diff_rows(diff)), "", "</details>", ""]
    if len(extras):
        rows = [[r["table"], r["row"], r["column"], r["metric"], r["variant"], _reproduced(r),
                 f"{r['data']}/{r['profile']}", str(r.get("note", "") or "")] for _, r in extras.iterrows()]
        parts += ["<details><summary>Reproduced numbers without a published counterpart</summary>", "",
                  _markdown_table(["Table", "Row", "Column", "Metric", "Variant", "Value [95 % CI]", "Data/profile",
                                   "Note"], rows), "", "</details>", ""]
    return "\n".join(parts)


def summary_line(counts: dict[str, int]) -> str:
    """The counts, one verdict per published cell (a matrix counts once) and backend."""
    return (f"Published cells: {counts['published cells']} (a confusion matrix counts once; one verdict per cell "
            f"and backend): reproduced {counts['reproduced']}; not reproduced {counts['not reproduced']}; "
            f"inconclusive {counts['inconclusive']}; not the paper's corpus {counts[NOT_PAPER_CORPUS]}; not the "
            f"paper protocol {counts[NOT_PAPER_PROTOCOL]}; synthetic only {counts[SYNTHETIC]}; not run "
            f"{counts['not run']}.")


def render_terminal(diff: pd.DataFrame) -> str:
    """Fixed-width text version of the side-by-side table for ``python -m common.compare``."""
    rows = [DIFF_HEADER, *diff_rows(diff)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(DIFF_HEADER))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows)
