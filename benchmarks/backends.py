"""TensorFlow and JAX smoke numbers side by side: ``results/backends.md``.

    python -m benchmarks.backends --jax-root DIR   # DIR/<paper>/results.csv from KERAS_BACKEND=jax run.py --out

Each paper's committed (TensorFlow) rows are matched with the JAX run's rows of the same table, row, column,
metric and variant; the page gives per paper the number of matched numbers and the median and largest absolute
difference per metric, and the provenance (commit, seeds) of both sides. The two backends draw different random
numbers from the same seed and order floating-point sums differently, so smoke numbers of a few epochs differ;
the page says by how much.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from common.atomic import atomic_write_text
from common.paths import RESULTS_ROOT
from common.results import read_results

KEY = ["table", "row", "column", "metric", "variant"]


def compare(tf_rows: pd.DataFrame, jax_rows: pd.DataFrame) -> pd.DataFrame:
    """One line per metric: matched numbers, median and max |TF - JAX|, and the values' typical size."""
    joined = tf_rows.merge(jax_rows, on=KEY, suffixes=("_tf", "_jax"))
    joined = joined[joined["mean_tf"].notna() & joined["mean_jax"].notna()]
    joined["abs_diff"] = (joined["mean_tf"] - joined["mean_jax"]).abs()
    return (joined.groupby("metric")
            .agg(matched=("abs_diff", "size"), median_abs_diff=("abs_diff", "median"),
                 max_abs_diff=("abs_diff", "max"), median_tf_value=("mean_tf", "median"))
            .reset_index().sort_values("matched", ascending=False))


def page(jax_root: Path) -> str:
    import reproductions

    lines = ["# TensorFlow and JAX smoke numbers side by side", "",
             "Written by `python -m benchmarks.backends`. TensorFlow rows: the committed "
             "`results/<paper>/results.csv`; "
             "JAX rows: the same `run.py` smoke profile with `KERAS_BACKEND=jax`. Same seeds, same synthetic twins. "
             "The backends draw different random numbers from a seed and sum in different orders, so a few epochs "
             "of training end in different places: the differences below are what to expect between backends on "
             "the smoke profile, not an error of either.", ""]
    for name in reproductions.names():
        tf_rows = read_results(RESULTS_ROOT / name / "results.csv")
        jax_rows = read_results(jax_root / name / "results.csv")
        lines += [f"## {name}", ""]
        if not len(jax_rows) or not len(tf_rows):
            lines += ["No JAX run to compare.", ""]
            continue
        stamp = {b: r.iloc[0] for b, r in (("tensorflow", tf_rows), ("jax", jax_rows))}
        lines += [f"TensorFlow: commit {stamp['tensorflow']['commit']}, seeds {stamp['tensorflow']['seeds']}; "
                  f"JAX: commit {stamp['jax']['commit']}, seeds {stamp['jax']['seeds']}.", "",
                  "| metric | numbers matched | median abs. difference | largest abs. difference | median TF value |",
                  "|---|---|---|---|---|"]
        for r in compare(tf_rows, jax_rows).itertuples():
            lines.append(f"| {r.metric} | {r.matched} | {r.median_abs_diff:.3g} | {r.max_abs_diff:.3g} | "
                         f"{r.median_tf_value:.3g} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.backends", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jax-root", type=Path, required=True, help="folder holding <paper>/results.csv of JAX runs")
    parser.add_argument("--out", type=Path, default=RESULTS_ROOT / "backends.md")
    args = parser.parse_args(argv)
    atomic_write_text(args.out, page(args.jax_root))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
