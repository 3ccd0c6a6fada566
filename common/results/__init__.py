"""Result records, the published numbers, and their side-by-side comparison."""

from common.results.context import DATA_KINDS, RunContext
from common.results.diff import DEFAULT_REL_TOL, diff_table, summary_counts
from common.results.published import load_published
from common.results.store import RECORD_COLUMNS, Record, ResultsStore, read_results, write_markdown

__all__ = [
    "DATA_KINDS",
    "DEFAULT_REL_TOL",
    "RECORD_COLUMNS",
    "Record",
    "ResultsStore",
    "RunContext",
    "diff_table",
    "load_published",
    "read_results",
    "summary_counts",
    "write_markdown",
]
