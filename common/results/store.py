"""One record per reproduced number, appended atomically to ``results/<paper>/results.csv``."""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from common.atomic import atomic_write_text
from common.errors import ConfigError
from common.results.context import RunContext
from common.results.diff import DEFAULT_REL_TOL, diff_table, extra_rows
from common.results.evidence import Evidence
from common.results.published import load_published, published_path
from common.results.render import render_markdown

#: Rows with the same values here describe the same number; a new run replaces the old row.
RECORD_KEY = ["table", "row", "column", "metric", "variant", "data", "profile", "backend"]


@dataclass(frozen=True)
class Record:
    paper: str
    table: str
    row: str
    column: str
    metric: str
    variant: str
    mean: float
    std: float
    n_runs: int
    data: str
    corpus: str
    split: str
    profile: str
    seeds: str
    commit: str
    computed_by: str
    backend: str
    hardware: str
    hp_source: str
    wall_time_s: float
    date: str
    note: str


RECORD_COLUMNS = list(Record.__dataclass_fields__)


def read_results(path: str | Path) -> pd.DataFrame:
    """Read a results.csv (empty frame with the record columns when absent)."""
    path = Path(path)
    if not path.is_file():
        return pd.DataFrame(columns=RECORD_COLUMNS)
    table = pd.read_csv(path, dtype={c: str for c in ("table", "row", "column", "metric", "seeds")},
                        keep_default_na=False, na_values={"mean": [""], "std": [""]})
    for column in ("computed_by", "backend"):
        if column not in table:
            table[column] = table["commit"] if column == "computed_by" else "tensorflow"
    return table[RECORD_COLUMNS]


class ResultsStore:
    """Collects a run's records and writes ``results.csv`` + ``results.md`` under ``out_dir``."""

    def __init__(self, ctx: RunContext, out_dir: str | Path) -> None:
        self.ctx = ctx
        self.out_dir = Path(out_dir)
        self.started = time.monotonic()
        self.pending: list[Record] = []

    @property
    def csv_path(self) -> Path:
        return self.out_dir / "results.csv"

    def add(self, table: str, row: str, column: str, metric: str, values: float | Sequence[float],
            variant: str = "faithful", split: str | None = None, note: str = "", hp_source: str | None = None,
            computed_by: Sequence[str] = (), evidence: Evidence | None = None) -> Record:
        """Record one number: ``values`` holds one value per run (mean, sample std and n are derived).

        ``computed_by`` names the commits whose code computed the ledger units behind the number (default:
        this run's commit); ``hp_source`` overrides the run's source of hyperparameters for this row.
        """
        vals = np.atleast_1d(np.asarray(values, dtype=float))
        if vals.size == 0:
            raise ConfigError(f"no values for {table} / {row} / {column} / {metric}")
        std = float(vals.std(ddof=1)) if vals.size > 1 else float("nan")
        record = Record(
            paper=self.ctx.paper, table=table, row=row, column=column, metric=metric, variant=variant,
            mean=float(vals.mean()), std=std, n_runs=int(vals.size), data=self.ctx.data, corpus=self.ctx.corpus,
            split=split if split is not None else self.ctx.split, profile=self.ctx.profile,
            seeds=" ".join(map(str, self.ctx.seeds)), commit=self.ctx.commit,
            computed_by=" ".join(computed_by) or self.ctx.commit, backend=self.ctx.backend,
            hardware=self.ctx.hardware, hp_source=hp_source or self.ctx.hp_source,
            wall_time_s=round(time.monotonic() - self.started, 1),
            date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), note=note)
        self.pending.append(record)
        return record

    def write(self) -> pd.DataFrame:
        """Upsert the pending records into results.csv (atomic) and re-render results.md."""
        old = read_results(self.csv_path)
        new = pd.DataFrame([asdict(r) for r in self.pending], columns=RECORD_COLUMNS)
        if len(old):
            keys_new = set(map(tuple, new[RECORD_KEY].astype(str).to_numpy()))
            keep = [tuple(k) not in keys_new for k in old[RECORD_KEY].astype(str).to_numpy()]
            old = old[np.array(keep, dtype=bool)]
        table = pd.concat([old, new], ignore_index=True) if len(old) else new
        buf = io.StringIO()
        table.to_csv(buf, index=False)
        atomic_write_text(self.csv_path, buf.getvalue())
        self.pending.clear()
        write_markdown(self.ctx.paper, self.out_dir)
        return table


def write_markdown(paper: str, out_dir: str | Path, rel_tol: float = DEFAULT_REL_TOL) -> Path:
    """Render ``out_dir/results.md`` from ``out_dir/results.csv`` and the paper's published.csv."""
    out_dir = Path(out_dir)
    reproduced = read_results(out_dir / "results.csv")
    published = load_published(paper) if published_path(paper).is_file() else pd.DataFrame(
        columns=["table", "row", "column", "metric", "value", "unit", "note"])
    diff = diff_table(published, reproduced, rel_tol)
    text = render_markdown(paper, diff, extra_rows(published, reproduced), reproduced)
    atomic_write_text(out_dir / "results.md", text)
    return out_dir / "results.md"
