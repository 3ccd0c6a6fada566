"""One record per reproduced number, upserted into ``results/<paper>/results.csv`` under a file lock.

Processes sharing an ``--out`` never lose a row: :meth:`ResultsStore.write` reads, merges and writes the csv while
holding ``results.csv.lock``. That lock file stays in the folder: removing a lock file that another writer may be
waiting on would let a third one in beside it (a lost row). Rows of a run with overrides (``--runs 1``,
``--set ...``, ``--rehearse``) are keyed apart from the profile's own, so a cut-down run never replaces a full one.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from filelock import FileLock

from common.atomic import atomic_write_text
from common.errors import ConfigError
from common.results.context import RunContext
from common.results.diff import diff_table, extra_rows
from common.results.evidence import Evidence, MeanEvidence
from common.results.published import load_published, published_path
from common.results.render import render_markdown
from common.stats import clip, evidence_range, interval, interval_from_runs, paired_effect, paired_effect_from_runs

#: Rows with the same values here describe the same number; a new run replaces the old row.
#: the lock file of a results folder (kept: see the module docstring)
RESULTS_LOCK = "results.csv.lock"
RECORD_KEY = ["table", "row", "column", "metric", "variant", "data", "profile", "overrides", "backend"]
#: columns a results.csv written before they existed reads as empty
NEW_TEXT_COLUMNS = ("corpus_fingerprint", "corpus_differs", "overrides", "utterances", "degenerate")


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
    values: str
    ci_low: float
    ci_high: float
    ci_method: str
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
    corpus_fingerprint: str = ""
    corpus_differs: str = ""
    overrides: str = ""
    utterances: str = ""
    degenerate: str = ""


RECORD_COLUMNS = list(Record.__dataclass_fields__)


def read_results(path: str | Path) -> pd.DataFrame:
    """Read a results.csv (empty frame with the record columns when absent)."""
    path = Path(path)
    if not path.is_file():
        return pd.DataFrame(columns=RECORD_COLUMNS)
    table = pd.read_csv(path, dtype={c: str for c in ("table", "row", "column", "metric", "seeds", "values")},
                        keep_default_na=False, na_values={c: [""] for c in ("mean", "std", "ci_low", "ci_high")})
    defaults = {"computed_by": table.get("commit", ""), "backend": "tensorflow", "values": table.get("mean", ""),
                "ci_low": float("nan"), "ci_high": float("nan"), "ci_method": "",
                **dict.fromkeys(NEW_TEXT_COLUMNS, "")}
    for column, default in defaults.items():
        if column not in table:
            table[column] = default
    table["values"] = table["values"].astype(str)
    return table[RECORD_COLUMNS]


class ResultsStore:
    """Collects a run's records and writes ``results.csv`` + ``results.md`` under ``out_dir``."""

    def __init__(self, ctx: RunContext, out_dir: str | Path, flaws: Mapping[str, str] | None = None) -> None:
        self.ctx = ctx
        self.out_dir = Path(out_dir)
        self.flaws = dict(flaws or {})
        self.started = time.monotonic()
        self.pending: list[Record] = []
        self.evidence: dict[tuple[str, ...], Evidence | MeanEvidence] = {}

    @property
    def csv_path(self) -> Path:
        return self.out_dir / "results.csv"

    def add(self, table: str, row: str, column: str, metric: str, values: float | Sequence[float],
            variant: str = "faithful", split: str | None = None, note: str = "", hp_source: str | None = None,
            computed_by: Sequence[str] = (), evidence: Evidence | MeanEvidence | None = None) -> Record:
        """Record one number: ``values`` holds one value per run (mean, sample std and n are derived).

        ``computed_by`` names the commits whose code computed the ledger units behind the number (default:
        this run's commit); ``hp_source`` overrides the run's source of hyperparameters for this row.
        """
        vals = np.atleast_1d(np.asarray(values, dtype=float))
        if vals.size == 0:
            raise ConfigError(f"no values for {table} / {row} / {column} / {metric}")
        std = float(vals.std(ddof=1)) if vals.size > 1 else float("nan")
        low, high, method = _interval(vals, evidence)
        record = Record(
            paper=self.ctx.paper, table=table, row=row, column=column, metric=metric, variant=variant,
            mean=float(vals.mean()), std=std, n_runs=int(vals.size), values=" ".join(f"{v:.6g}" for v in vals),
            ci_low=low, ci_high=high, ci_method=method, data=self.ctx.data, corpus=self.ctx.corpus,
            split=split if split is not None else self.ctx.split, profile=self.ctx.profile,
            seeds=" ".join(map(str, self.ctx.seeds)), commit=self.ctx.commit,
            computed_by=" ".join(computed_by) or self.ctx.commit, backend=self.ctx.backend,
            hardware=self.ctx.hardware, hp_source=hp_source or self.ctx.hp_source,
            wall_time_s=round(time.monotonic() - self.started, 1),
            date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), note=note,
            corpus_fingerprint=self.ctx.corpus_fingerprint, corpus_differs=self.ctx.corpus_differs,
            overrides=self.ctx.overrides, utterances=self.ctx.utterances,
            degenerate=degenerate(evidence) if evidence is not None else "")
        self.pending.append(record)
        if evidence is not None:
            self.evidence[(table, row, column, metric, variant)] = evidence
        return record

    def write(self) -> pd.DataFrame:
        """Upsert the pending records into results.csv and flaw_effects.csv and re-render results.md, all under
        the folder's lock: rows another process wrote meanwhile are kept."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with FileLock(self.csv_path.with_name(RESULTS_LOCK)):
            return self._write_locked()

    def _write_locked(self) -> pd.DataFrame:
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
        self._write_effects()
        self.pending.clear()
        write_markdown(self.ctx.paper, self.out_dir)
        return table

    def _write_effects(self) -> None:
        """Upsert ``flaw_effects.csv`` with every faithful/corrected pair among the pending records."""
        effects = flaw_effects(self.pending, self.evidence, self.flaws)
        if not effects:
            return
        path = self.out_dir / FLAW_EFFECTS
        old = pd.read_csv(path, keep_default_na=False, dtype=str) if path.is_file() else pd.DataFrame()
        new = pd.DataFrame(effects)
        if len(old):
            old = old.assign(**{c: old[c] if c in old else "" for c in EFFECT_KEY})
            keys_new = set(map(tuple, new[EFFECT_KEY].astype(str).to_numpy()))
            old = old[[tuple(k) not in keys_new for k in old[EFFECT_KEY].astype(str).to_numpy()]]
            new = pd.concat([old, new], ignore_index=True)
        buf = io.StringIO()
        new.to_csv(buf, index=False)
        atomic_write_text(path, buf.getvalue())


def _interval(values: np.ndarray, evidence: Evidence | MeanEvidence | None) -> tuple[float, float, str]:
    """The row's 95 % interval, centred on the row's own mean over runs (a mean of folds stays the centre even when
    the evidence pools the folds' items) and kept inside the metric's range."""
    if evidence is None:
        ci = interval_from_runs(values)
        return ci.low, ci.high, ci.method
    ci = interval(evidence)
    if np.isnan(ci.low):
        return ci.low, ci.high, ci.method
    shift = float(values.mean()) - ci.mean
    return (*clip(ci.low + shift, ci.high + shift, evidence_range(evidence)), ci.method)


def degenerate(evidence: Evidence | MeanEvidence) -> str:
    """Why the model behind ``evidence`` learnt nothing ('' when it did): one predicted class in every run, or an
    unweighted accuracy whose interval holds chance (1 / number of true classes); for a mean, of any part."""
    if isinstance(evidence, MeanEvidence):
        return "; ".join(dict.fromkeys(r for r in map(degenerate, evidence.parts) if r))
    if evidence.metric == "ccc":
        return ""
    predicted = np.unique(np.concatenate([np.ravel(p) for p in evidence.y_pred]))
    if predicted.size == 0:
        return ""
    if predicted.size == 1:
        return f"one predicted class ({predicted[0]})"
    classes = np.unique(np.concatenate([np.ravel(t) for t in evidence.y_true])).size
    ua = interval(Evidence("ua", evidence.y_true, evidence.y_pred, evidence.groups, scale=100.0))
    chance = 100.0 / max(classes, 1)
    if not np.isnan(ua.low) and ua.low <= chance:
        return f"UA {ua.mean:.3g} [{ua.low:.3g}, {ua.high:.3g}] holds chance {chance:.3g}"
    return ""


FLAW_EFFECTS = "flaw_effects.csv"
EFFECT_KEY = ["table", "row", "column", "metric", "corrected", "data", "profile", "overrides", "backend"]


def flaw_effects(records: Sequence[Record], evidence: Mapping[tuple[str, ...], Evidence | MeanEvidence],
                 flaws: Mapping[str, str]) -> list[dict]:
    """Faithful minus corrected for every record of a corrected variant (``flaws``: variant -> the flaw it
    corrects) whose faithful twin is among ``records``: paired over speakers and runs (common.stats)."""
    by_key = {(r.table, r.row, r.column, r.metric, r.variant): r for r in records}
    out = []
    for r in records:
        if r.variant not in flaws or (r.table, r.row, r.column, r.metric, "faithful") not in by_key:
            continue
        f = by_key[(r.table, r.row, r.column, r.metric, "faithful")]
        ev_f = evidence.get((r.table, r.row, r.column, r.metric, "faithful"))
        ev_c = evidence.get((r.table, r.row, r.column, r.metric, r.variant))
        if isinstance(ev_f, Evidence) and isinstance(ev_c, Evidence) and len(ev_f.y_true) == len(ev_c.y_true):
            eff = paired_effect(ev_f, ev_c)
        else:
            fv, cv = [float(v) for v in f.values.split()], [float(v) for v in r.values.split()]
            n = min(len(fv), len(cv))
            eff = paired_effect_from_runs(fv[:n], cv[:n])
        out.append({"paper": r.paper, "table": r.table, "row": r.row, "column": r.column, "metric": r.metric,
                    "corrected": r.variant, "flaw": flaws[r.variant], "faithful": f.mean, "corrected_value": r.mean,
                    "effect": eff.delta, "ci_low": eff.low, "ci_high": eff.high, "p": eff.p, "method": eff.method,
                    "data": r.data, "profile": r.profile, "overrides": r.overrides, "backend": r.backend,
                    "commit": r.commit})
    return out


def read_effects(out_dir: str | Path) -> pd.DataFrame:
    """``flaw_effects.csv`` of a results folder (empty frame when absent)."""
    path = Path(out_dir) / FLAW_EFFECTS
    if not path.is_file():
        return pd.DataFrame()
    return pd.read_csv(path, dtype={c: str for c in ("table", "row", "column", "metric")}, keep_default_na=False,
                       na_values={c: [""] for c in ("faithful", "corrected_value", "effect", "ci_low", "ci_high", "p")})


def write_markdown(paper: str, out_dir: str | Path) -> Path:
    """Render ``out_dir/results.md`` from ``out_dir/results.csv``, ``flaw_effects.csv`` and the published.csv."""
    out_dir = Path(out_dir)
    reproduced = read_results(out_dir / "results.csv")
    published = load_published(paper) if published_path(paper).is_file() else pd.DataFrame(
        columns=["table", "row", "column", "metric", "value", "unit", "note", "kind", "abs_tol"])
    diff = diff_table(published, reproduced)
    text = render_markdown(paper, diff, extra_rows(published, reproduced), reproduced, read_effects(out_dir))
    for warnings in sorted(out_dir.glob("training-warnings*.md")):  # the engine's undertraining check
        body = warnings.read_text().split("\n", 1)[1]  # (common.training.curves); -<corpus> where there are two
        corpus = warnings.stem.removeprefix("training-warnings").lstrip("-")
        heading = "Units whose kept model looks undertrained" + (f" ({corpus})" if corpus else "")
        text += f"\n## {heading}\n\n{body.strip()}\n"
    atomic_write_text(out_dir / "results.md", text)
    return out_dir / "results.md"
