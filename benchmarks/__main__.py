"""``python -m benchmarks [--smoke] [--sections a,b] [--out-dir results] [--device-csv F]``: measure and write the
benchmark page.

Sections: throughput (sections 1, 2), overhead (3), pipeline (4), features (5), end-to-end (6), projection (7: from each
paper's rehearsal, ``run.py --profile paper --rehearse --synth-size full``), calibration (8: the full-size twins'
difficulty, benchmarks/calibration.py), coverage (9: the verdicts' intervals at the corpora's group counts,
benchmarks/coverage.py), startup (10: ``python -m reproductions list`` wall and CPU time, benchmarks/startup.py).
A run replaces the rows of the sections it measured in ``benchmarks.csv`` and keeps the others, then renders
``benchmarks.md``. ``--device-csv`` merges the rows ``python -m benchmarks.device`` wrote on a GPU machine (they
replace that GPU's earlier rows only).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pandas as pd  # noqa: E402

from benchmarks import environment, report, sections  # noqa: E402
from benchmarks.rows import Row  # noqa: E402
from common.paths import REPO_ROOT  # noqa: E402

ALL = ("throughput", "overhead", "pipeline", "features", "end-to-end", "projection", "calibration", "coverage",
       "startup")
ANALYSIS = Path(__file__).with_name("analysis.md")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny shapes, 1 repetition, no end-to-end runs (< 60 s)")
    parser.add_argument("--sections", default="", help=f"comma-separated subset of {', '.join(ALL)}")
    parser.add_argument("--out-dir", type=Path, default=REPO_ROOT / "results")
    parser.add_argument("--reps", type=int, default=None, help="repetitions per figure (default 5; smoke 1)")
    parser.add_argument("--backends", default="tensorflow,jax", help="Keras backends for section 1")
    parser.add_argument("--render-only", action="store_true", help="re-render benchmarks.md from benchmarks.csv")
    parser.add_argument("--device-csv", type=Path, default=None,
                        help="benchmarks-device.csv written by python -m benchmarks.device on a GPU machine")
    parser.add_argument("--calibrate", default="", help="twin difficulties for section 8 (default: 0.25,0.5,0.75,1)")
    parser.add_argument("--e2e-timeout", type=int, default=1800, help="seconds allowed per run.py smoke run")
    parser.add_argument("--jax-path", default=os.environ.get("BENCH_JAX_PATH"),
                        help="extra PYTHONPATH entry holding jax for the JAX worker only ($BENCH_JAX_PATH)")
    args = parser.parse_args(argv)
    slow = ("end-to-end", "calibration", "coverage")
    chosen = [s for s in args.sections.split(",") if s] or [s for s in ALL if not (args.smoke and s in slow)]
    unknown = sorted(set(chosen) - set(ALL))
    if unknown:
        parser.error(f"unknown section(s) {unknown}; choose from {', '.join(ALL)}")
    args.sections, args.reps = chosen, args.reps or (1 if args.smoke else 5)
    return args


def measure(section: str, args: argparse.Namespace, host: str) -> list[Row]:
    """Rows of one section, stamped with their provenance."""
    stamp = environment.provenance(host)
    if section == "throughput":
        rows, reports = sections.throughput(args.reps, args.smoke, args.backends.split(","), args.jax_path)
        for backend, rep in reports.items():
            for r in rows:
                if r.backend == backend:
                    r.provenance = environment.provenance(f"{host} ({backend}: {rep['device']})",
                                                          stamp["load_avg"])
        if "tensorflow" in reports:
            extra = sections.khorram_claim(reports["tensorflow"]) + sections.wieser_trial(reports["tensorflow"])
            for r in extra:
                r.provenance = environment.provenance(host, stamp["load_avg"])
            rows += extra
        for r in rows:
            r.provenance = r.provenance or stamp
        return rows
    if section == "features":
        rows = sections.features(args.reps, args.smoke)
    elif section == "end-to-end":
        from benchmarks.endtoend import smoke_times
        rows = smoke_times(timeout_s=args.e2e_timeout)
    elif section == "calibration":
        from benchmarks.calibration import DIFFICULTIES, calibration_rows, measure
        chosen = tuple(float(d) for d in args.calibrate.split(",")) if args.calibrate else DIFFICULTIES
        rows = calibration_rows(measure(chosen))
    elif section == "coverage":
        from benchmarks.coverage import coverage_rows
        rows = coverage_rows()
    elif section == "startup":
        from benchmarks.startup import startup_rows
        rows = startup_rows(args.reps)
    elif section == "projection":
        from benchmarks.projection import rehearsal_rows
        rows = rehearsal_rows()
    else:
        rows = sections.in_process(section, args.reps, args.smoke)
    end = environment.provenance(host, stamp["load_avg"])
    for r in rows:
        r.provenance = end
    return rows


def header(args: argparse.Namespace, host: str, loads: list[str], gpus: list[str]) -> list[str]:
    versions = ", ".join(f"{k} {v}" for k, v in environment.versions().items())
    return [
        "Written by `python -m benchmarks` (benchmarks/); every figure is measured in one process run, repeated "
        "(n in each row), and reported as median, interquartile range and "
        "min – max. " + ("**Smoke mode: tiny shapes, one repetition; not a measurement.**" if args.smoke else ""),
        "",
        f"- Hardware: {host}",
        f"- Versions: {versions}",
        f"- Load average (1/5/15 min): {' → '.join(loads)}",
        "- GPU: " + (f"rows measured on {', '.join(gpus)} by `KERAS_BACKEND=jax python -m benchmarks.device` (a "
                     "machine with JAX and CUDA, no TensorFlow) name it in their backend column; merged with "
                     "`python -m benchmarks --render-only --device-csv FILE`." if gpus else
                     "not measured yet; `KERAS_BACKEND=jax python -m benchmarks.device --out DIR` runs on a GPU "
                     "machine with JAX and no TensorFlow, and `--device-csv DIR/benchmarks-device.csv` merges "
                     "its rows here."),
        "- Reproduce: `python -m benchmarks` (all sections, ~30-60 min on 2 CPU cores), "
        "`python -m benchmarks --sections features`, `python -m benchmarks --smoke` (< 60 s).",
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    host = environment.host()
    loads, rows = [], []
    if args.render_only:
        args.sections, loads = [], ["see each section's provenance line"]
    for section in args.sections:
        loads.append(f"{section} {environment.load_average()}")
        start = time.perf_counter()
        rows += measure(section, args, host)
        print(f"[benchmarks] {section}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if args.sections:
        loads.append(f"end {environment.load_average()}")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    measured = (pd.read_csv(args.device_csv, keep_default_na=False, na_values=[""]) if args.device_csv else None)
    df = report.merge_csv(args.out_dir / "benchmarks.csv", rows, measured)
    gpus = sorted({g for g in df["device"].map(report.accelerator) if g})
    analysis = "" if args.smoke or not ANALYSIS.exists() else ANALYSIS.read_text(encoding="utf-8")
    report.write_page(args.out_dir / "benchmarks.md", df, header(args, host, loads, gpus), analysis)
    print(f"[benchmarks] wrote {args.out_dir / 'benchmarks.csv'} and benchmarks.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
