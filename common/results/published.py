"""The paper's own numbers: ``reproductions/<paper>/published.csv``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from common.errors import ConfigError
from common.paths import REPO_ROOT

PUBLISHED_COLUMNS = ("table", "row", "column", "metric", "value", "unit", "note")
KEY = ["table", "row", "column", "metric"]
#: how a published cell is judged (common.results.diff.verdict): a point value, a bound the paper states
#: ("> 95 %", "< 5 %"), or the argmax of a sweep ("best filter length 512")
KINDS = ("value", "lower-bound", "upper-bound", "argmax", "argmin", "not-argmax")


def published_path(paper: str) -> Path:
    return REPO_ROOT / "reproductions" / paper / "published.csv"


def load_published(paper: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate a published.csv: the columns of ``PUBLISHED_COLUMNS``, numeric values, unique keys, and
    the optional ``kind`` (one of ``KINDS``, default ``value``), ``abs_tol`` (the equivalence margin in the cell's
    units where no convention of the field gives one, e.g. a zero in a table of signal statistics) and
    ``deterministic`` (``yes`` for numbers computed without training, such as counts and label statistics: compared
    exactly within the printed rounding). ``decimals`` (added) is the number of printed decimals of the value."""
    path = Path(path) if path else published_path(paper)
    if not path.is_file():
        raise ConfigError(f"no published numbers for {paper!r}: expected {path}")
    table = pd.read_csv(path, dtype={"table": str, "row": str, "column": str, "metric": str, "value": str},
                        keep_default_na=False)
    missing = [c for c in PUBLISHED_COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(f"{path}: missing columns {missing}; expected {list(PUBLISHED_COLUMNS)}")
    values = pd.to_numeric(table["value"], errors="coerce")
    if values.isna().any():
        bad = table.loc[values.isna(), KEY].to_dict("records")[:3]
        raise ConfigError(f"{path}: non-numeric value in rows {bad}")
    table["decimals"] = [len(v.strip().partition(".")[2]) for v in table["value"].astype(str)]
    table["value"] = values
    dup = table.duplicated(KEY, keep=False)
    if dup.any():
        raise ConfigError(f"{path}: duplicate keys {table.loc[dup, KEY].to_dict('records')[:3]}")
    if "kind" not in table.columns:
        table["kind"] = "value"
    table["kind"] = table["kind"].replace("", "value")
    bad_kind = ~table["kind"].isin(KINDS)
    if bad_kind.any():
        raise ConfigError(f"{path}: unknown kind {sorted(set(table.loc[bad_kind, 'kind']))}; expected one of {KINDS}")
    table["abs_tol"] = pd.to_numeric(table["abs_tol"], errors="coerce") if "abs_tol" in table.columns else float("nan")
    flags = table["deterministic"].astype(str).str.strip().str.lower() if "deterministic" in table else ""
    if "deterministic" in table and not flags.isin(["", "yes"]).all():
        raise ConfigError(f"{path}: deterministic must be 'yes' or empty, got {sorted(set(flags) - {'', 'yes'})}")
    table["deterministic"] = flags == "yes" if "deterministic" in table else False
    last = ["decimals", "deterministic", "kind", "abs_tol"]  # how a cell is judged, after what it says
    return table[[c for c in table.columns if c not in last] + last]
