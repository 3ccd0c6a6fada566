"""Print a paper's published vs reproduced numbers with their difference.

    python -m common.compare khorram2017            # the table, from results/khorram2017/results.csv
    python -m common.compare khorram2017 --strict   # exit 1 if a judged cell is "not reproduced"
    python -m common.compare khorram2017 --margin UA=3 --margin CCC=0.03   # another equivalence margin
    python -m common.compare khorram2017 --render   # re-render results/khorram2017/results.md from its csv
    python -m common.compare --flaws [--update-readme]  # what each known flaw does, across the papers

Each published cell is judged by its kind (value, bound, argmax): a value by an equivalence test, the 95 %
interval of Δ = ours − published within ±m (common.results.diff, common.results.margins). Only rows of the paper
profile on real data of the paper's corpus with no override are judged; the others show their status and why.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from common.atomic import atomic_write_text
from common.errors import SereprodError
from common.paths import REPO_ROOT
from common.results.diff import NOT_REPRODUCED, diff_table, summary_counts
from common.results.margins import parse_margins
from common.results.published import load_published
from common.results.render import MARGINS_TEXT, p_value, render_terminal, summary_line
from common.results.store import read_results, write_markdown

START, END = "<!-- flaw-effects:start -->", "<!-- flaw-effects:end -->"
EFFECT_COLUMNS = ["Paper", "Table", "Row", "Column", "Flaw", "Corrected variant", "Effect [95 % CI]", "p", "Data"]


def _num(x: float, signed: bool = False) -> str:
    """3 significant digits; float noise around zero prints as 0 and a missing value as a dash."""
    x = float(x)
    if math.isnan(x):
        return "–"
    x = 0.0 if abs(x) < 1e-9 else x
    return f"{x:+.3g}" if signed else f"{x:.3g}"


def cross_paper_effects(results_root: Path = REPO_ROOT / "results") -> str:
    """Markdown: one line per paper and flaw, the effect on its table's headline rows (faithful minus corrected)."""
    from common.results.store import read_effects

    lines = ["| " + " | ".join(EFFECT_COLUMNS) + " |", "|" + "---|" * len(EFFECT_COLUMNS)]
    for folder in sorted(p for p in results_root.iterdir() if p.is_dir()):
        effects = read_effects(folder)
        if not len(effects):
            continue
        effects = effects[effects["metric"] != "confusion"].drop_duplicates(["table", "flaw", "corrected"])
        for _, e in effects.iterrows():
            ci = f"{_num(e['effect'], signed=True)} [{_num(e['ci_low'])}, {_num(e['ci_high'])}]"
            p = p_value(e["p"])
            lines.append(f"| {folder.name} | {e['table']} | {e['row']} | {e['column']} | {e['flaw']} | "
                         f"{e['corrected']} | {ci} | {p} | {e['data']} |")
    return "\n".join(lines)


def update_readme(path: Path, table: str) -> None:
    """Replace the text between the flaw-effects markers of ``path`` with ``table``."""
    text = path.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{path}: no {START} ... {END} block")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    atomic_write_text(path, f"{head}{START}\n{table}\n{END}{tail}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m common.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paper", nargs="?", help="paper id, e.g. khorram2017 (a directory under reproductions/)")
    parser.add_argument("--flaws", action="store_true",
                        help="print the cross-paper table of flaw effects (results/*/flaw_effects.csv)")
    parser.add_argument("--update-readme", action="store_true",
                        help="with --flaws: write the table into README.md between its flaw-effects markers")
    parser.add_argument("--results", type=Path, default=None,
                        help="results.csv to compare (default: results/<paper>/results.csv)")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 when any judged cell (paper profile, real data) is not reproduced")
    parser.add_argument("--margin", action="append", default=[], metavar="METRIC=M",
                        help="equivalence margin of one metric as named in published.csv (e.g. UA=3, CCC=0.03, "
                             "'confusion distance=8'); repeatable")
    parser.add_argument("--render", action="store_true",
                        help="re-render results.md beside the results.csv (with the default margins), no training")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.flaws:
        table = cross_paper_effects()
        print(table)
        if args.update_readme:
            update_readme(REPO_ROOT / "README.md", table)
        return 0
    if not args.paper:
        build_parser().error("give a paper, or --flaws")
    results = args.results or REPO_ROOT / "results" / args.paper / "results.csv"
    try:
        margins = parse_margins(args.margin)
        published = load_published(args.paper)
        reproduced = read_results(results)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except SereprodError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.render:
        print(write_markdown(args.paper, Path(results).parent))
        return 0
    diff = diff_table(published, reproduced, margins)
    print(render_terminal(diff))
    counts = summary_counts(diff)
    print(f"\n{summary_line(counts)}\n{MARGINS_TEXT}")
    if margins:
        print("margins given: " + ", ".join(f"{k} ±{v:g}" for k, v in margins.items()))
    if args.strict and counts[NOT_REPRODUCED]:
        print(f"strict: {counts[NOT_REPRODUCED]} judged cells not reproduced", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
