"""The results page (``results/<paper>/results.md``) and the terminal table of ``python -m common.compare``.

The page opens with the headline numbers (every published cell that is not a confusion-matrix entry: published,
reproduced with its 95 % interval, verdict), then the confusion matrices as matrices (ours beside the paper's),
then the effect of each known flaw (faithful minus corrected variant), and ends with the exhaustive cell list
in a collapsed section. ``results.csv`` holds every number.
"""

from __future__ import annotations

import math

import pandas as pd

from common.results.diff import SYNTHETIC, summary_counts

CONFUSION = "confusion"


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
    return "–" if pd.isna(row["delta"]) else f"{row['delta']:+.3g}"


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
                     _reproduced(r), _delta(r), data, r["status"]])
    return rows


DIFF_HEADER = ["Table", "Row", "Column", "Metric", "Published", "Reproduced [95 % CI]", "Δ", "Data/profile",
               "Verdict"]


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
    rows = [[r["table"], r["row"], r["column"], r["metric"], _num(r["published"]), _reproduced(r), r["status"],
             r["why"]] for _, r in head.iterrows()]
    return ["## Headline numbers", "",
            _markdown_table(["Table", "Row", "Column", "Metric", "Published", "Reproduced [95 % CI]", "Verdict",
                             "Why"], rows), ""]


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
        ours = ours_all[ours_all["table"] == table]
        if len(ours):
            data = "/".join(sorted(set(ours["data"])))
            parts += [f"Reproduced ({data}, faithful):", "", _matrix(ours, "mean"), ""]
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
    parts += [f"Published cells: {counts['published cells']}; reproduced: {counts['reproduced']}; not reproduced: "
              f"{counts['not reproduced']}; inconclusive: {counts['inconclusive']}; synthetic only: "
              f"{counts[SYNTHETIC]}; not run: {counts['not run']}. Intervals are 95 %, by bootstrap over speakers "
              "combined with the spread over runs (common/API.md, common.stats).", ""]
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


def render_terminal(diff: pd.DataFrame) -> str:
    """Fixed-width text version of the side-by-side table for ``python -m common.compare``."""
    rows = [DIFF_HEADER, *diff_rows(diff)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(DIFF_HEADER))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows)
