"""Print a paper's published vs reproduced numbers with their difference.

    python -m common.compare khorram2017            # the table, from results/khorram2017/results.csv
    python -m common.compare khorram2017 --strict   # exit 1 if a real-data cell is "not reproduced"

Each published cell is judged by its kind (value, bound, argmax) against the reproduced number's 95 % interval
(common.results.diff). Synthetic rows are shown with the verdict "synthetic"; --strict ignores them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from common.errors import SereprodError
from common.paths import REPO_ROOT
from common.results.diff import INCONCLUSIVE, NOT_REPRODUCED, REPRODUCED, SYNTHETIC, diff_table, summary_counts
from common.results.published import load_published
from common.results.render import render_terminal
from common.results.store import read_results


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m common.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paper", help="paper id, e.g. khorram2017 (a directory under reproductions/)")
    parser.add_argument("--results", type=Path, default=None,
                        help="results.csv to compare (default: results/<paper>/results.csv)")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 when any real-data cell of the faithful variant is not reproduced")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        published = load_published(args.paper)
        reproduced = read_results(args.results or REPO_ROOT / "results" / args.paper / "results.csv")
    except SereprodError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    diff = diff_table(published, reproduced)
    print(render_terminal(diff))
    counts = summary_counts(diff)
    print(f"\n{counts['published cells']} published cells: {counts[REPRODUCED]} reproduced, "
          f"{counts[NOT_REPRODUCED]} not reproduced, {counts[INCONCLUSIVE]} inconclusive (real data); "
          f"{counts[SYNTHETIC]} synthetic only (not reproductions); {counts['not run']} not run.")
    if args.strict and counts[NOT_REPRODUCED]:
        print(f"strict: {counts[NOT_REPRODUCED]} real-data cells not reproduced", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
