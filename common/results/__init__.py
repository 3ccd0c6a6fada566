"""Result records, the published numbers, and their side-by-side comparison."""

from common.results.context import DATA_KINDS, RunContext
from common.results.diff import VERDICTS, diff_table, summary_counts, verdict
from common.results.published import load_published
from common.results.store import RECORD_COLUMNS, Record, ResultsStore, read_results, write_markdown

__all__ = [
    "VERDICTS",
    "DATA_KINDS",
    "RECORD_COLUMNS",
    "Record",
    "ResultsStore",
    "RunContext",
    "diff_table",
    "load_published",
    "read_results",
    "summary_counts",
    "verdict",
    "write_markdown",
]
