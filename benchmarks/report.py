"""results/benchmarks.csv (one row per figure, merged by section) and the page results/benchmarks.md."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from benchmarks.rows import COLUMNS, Row
from common.atomic import atomic_write_text

SECTIONS = {
    "throughput": "1. Training throughput per model (paper input shapes, synthetic tensors)",
    "khorram-claim": "2. Published cost claims: Khorram §6.2 conv vs BLSTM epoch time, Wieser §3.3 one ELoR trial",
    "overhead": "3. Suite overhead: the suite's training path against a bare model.fit",
    "pipeline": "4. Input pipeline: loader-fed steps/s against preloaded tensors",
    "features": "5. Features: real-time factor on one core, feature-cache hit against recomputation",
    "end-to-end": "6. End to end: run.py --profile smoke wall time",
    "projection": "7. Before you rent a GPU: the paper profile projected from each paper's rehearsal",
    "calibration": "8. How hard the full-size twins are: a paper model well and badly configured, per difficulty",
    "coverage": "9. Are the verdicts' 95 % intervals calibrated? Coverage at the corpora's real group counts",
    "startup": "10. Start-up of the read-only commands: python -m reproductions list, fresh process",
}


def accelerator(device: object) -> str:
    """The GPU a row's device string names (``gpu: NVIDIA H200 (jax)`` -> ``NVIDIA H200``), or ''."""
    match = re.search(r"gpu: ([^()]+?)\s*(?:\(|$)", str(device))
    return match.group(1) if match else ""


def _keys(df: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(zip(df["section"], df["backend"], df["device"].map(accelerator), strict=True))


def merge_csv(path: Path, rows: list[Row], measured: pd.DataFrame | None = None) -> pd.DataFrame:
    """Replace the (section, backend, accelerator) triples present in ``rows`` (and in ``measured``, rows read from
    another machine's CSV) in the CSV at ``path``; the others are kept, so a JAX-only, single-section or GPU run
    updates just its rows. Written atomically."""
    new = pd.concat([pd.DataFrame([r.record() for r in rows], columns=COLUMNS),
                     *([] if measured is None else [measured[COLUMNS]])], ignore_index=True)
    if path.exists():
        old = pd.read_csv(path, keep_default_na=False, na_values=[""])
        replaced = set(_keys(new))
        keep = [k not in replaced for k in _keys(old)]
        new = pd.concat([old[keep], new], ignore_index=True)
    order = {s: i for i, s in enumerate(SECTIONS)}
    new = new.sort_values("section", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    atomic_write_text(path, new.to_csv(index=False))
    return new


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if x == 0:
        return "0"
    mag = abs(x)
    if mag >= 1000:
        return f"{x:,.0f}"
    if mag >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def _table(df: pd.DataFrame) -> list[str]:
    lines = ["| figure | backend | metric | median | IQR | min – max | n | target | met | note |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in df.itertuples():
        unit = f" {r.unit}" if isinstance(r.unit, str) and r.unit else ""
        iqr = f"{_fmt(r.q1)} – {_fmt(r.q3)}" if r.n > 1 else "–"
        span = f"{_fmt(r.min)} – {_fmt(r.max)}" if r.n > 1 else "–"
        gpu = accelerator(r.device)
        backend = f"{r.backend} on {gpu}" if gpu else r.backend
        lines.append(f"| {r.name} | {backend} | {r.metric} | {_fmt(r.median)}{unit} | {iqr} | {span} | {r.n} | "
                     f"{r.target if isinstance(r.target, str) else ''} | {r.met if isinstance(r.met, str) else ''} | "
                     f"{r.note if isinstance(r.note, str) else ''} |")
    return lines


def _provenance(df: pd.DataFrame) -> str:
    parts = []
    for key in ("device", "commit", "load_avg", "measured_at"):
        values = sorted({str(v) for v in df[key].dropna()})
        parts.append(f"{key.replace('_', ' ')}: {', '.join(values) if values else '–'}")
    return "; ".join(parts)


def render(df: pd.DataFrame, header: list[str], analysis: str) -> str:
    """The page: header (hardware, versions, how to run), one table per section, then the analysis text."""
    lines = ["# Benchmarks: what each reproduction costs, and where time goes", "", *header, ""]
    for section, title in SECTIONS.items():
        part = df[df["section"] == section]
        lines += [f"## {title}", ""]
        if part.empty:
            lines += ["Not measured in this run (see the analysis below).", ""]
            continue
        lines += [f"_{_provenance(part)}_", "", *_table(part), ""]
    if analysis:
        lines += [analysis.strip(), ""]
    return "\n".join(lines)


def write_page(path: Path, df: pd.DataFrame, header: list[str], analysis: str) -> None:
    atomic_write_text(path, render(df, header, analysis))
