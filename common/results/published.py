"""The paper's own numbers: ``reproductions/<paper>/published.csv``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from common.errors import ConfigError
from common.paths import REPO_ROOT

PUBLISHED_COLUMNS = ("table", "row", "column", "metric", "value", "unit", "note")
KEY = ["table", "row", "column", "metric"]


def published_path(paper: str) -> Path:
    return REPO_ROOT / "reproductions" / paper / "published.csv"


def load_published(paper: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate a published.csv: the columns of ``PUBLISHED_COLUMNS`` (an optional
    ``tolerance`` column holds an absolute tolerance per cell), numeric values, unique keys."""
    path = Path(path) if path else published_path(paper)
    if not path.is_file():
        raise ConfigError(f"no published numbers for {paper!r}: expected {path}")
    table = pd.read_csv(path, dtype={"table": str, "row": str, "column": str, "metric": str}, keep_default_na=False)
    missing = [c for c in PUBLISHED_COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(f"{path}: missing columns {missing}; expected {list(PUBLISHED_COLUMNS)}")
    values = pd.to_numeric(table["value"], errors="coerce")
    if values.isna().any():
        bad = table.loc[values.isna(), KEY].to_dict("records")[:3]
        raise ConfigError(f"{path}: non-numeric value in rows {bad}")
    table["value"] = values
    dup = table.duplicated(KEY, keep=False)
    if dup.any():
        raise ConfigError(f"{path}: duplicate keys {table.loc[dup, KEY].to_dict('records')[:3]}")
    if "tolerance" in table.columns:
        table["tolerance"] = pd.to_numeric(table["tolerance"], errors="coerce")
    return table
