"""``python -m common.tuning summary <paper> <search-name>``: print and save a search's trials table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from common.errors import SereprodError
from common.tuning.search import search_dir
from common.tuning.summary import write_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m common.tuning", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    summary = sub.add_parser("summary", help="trials table (CSV + plot) of one search")
    summary.add_argument("paper")
    summary.add_argument("search_name")
    summary.add_argument("--out-root", type=Path, default=None, help="the run's --out (default results/<paper>)")
    args = parser.parse_args(argv)
    root = search_dir(args.paper, args.search_name, args.out_root)
    try:
        table = write_summary(root)
    except SereprodError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with pd.option_context("display.max_columns", None, "display.width", 200):
        print(table.to_string(index=False))
    print(f"\nwritten: {root / 'trials.csv'} and {root / 'trials.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
