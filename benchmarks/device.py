"""The GPU figures in one call, for a CUDA machine with JAX and no TensorFlow.

    KERAS_BACKEND=jax python -m benchmarks.device --out DIR [--smoke] [--paper zhao2019] [--seconds S]

1. The throughput section (section 1) on the JAX backend, every registered model at its paper shape.
2. The rehearsal of the cheapest full paper protocol (``--profile paper --rehearse --synth-size full``; the paper
   with the smallest projected hours among the committed ``results/*/rehearsal.json``, or ``--paper``).

Writes ``DIR/benchmarks-device.csv`` (rows in the benchmark page's columns, device named) and the paper's
``rehearsal.{md,csv,json}`` under ``DIR/<paper>/``. Needs keras, keras-tuner, the feature libraries and JAX; it
never imports TensorFlow (tests run it here with TensorFlow made unimportable). ``--smoke`` shrinks both parts
to a CPU check of the script itself. ``--seconds`` fits both parts into a machine lent for minutes: the throughput
section warms up no model after ``THROUGHPUT_SHARE`` of it, and the rehearsal is stopped when it is spent, leaving
the page of the units it finished (marked incomplete), which resumes with the same command on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from common.paths import REPO_ROOT, RESULTS_ROOT

FALLBACK = "zhao2019"
#: the part of ``--seconds`` after which the throughput section starts no new model
THROUGHPUT_SHARE = 0.4


def cheapest_paper() -> str:
    """The registered paper whose committed rehearsal projects the fewest hours (``FALLBACK`` when none)."""
    import reproductions

    hours = {}
    for name in reproductions.names():
        paths = list((RESULTS_ROOT / name).glob("rehearsal*.json"))
        if paths:
            hours[name] = min(json.loads(p.read_text())["projected_hours"] for p in paths)
    return min(hours, key=hours.get) if hours else FALLBACK


def rehearse(paper: str, out: Path, smoke: bool, seconds: float | None = None) -> int:
    """Run the paper's rehearsal in a fresh process (same environment) and return its exit code (0 when it was
    stopped after ``seconds``: its page then covers the units it finished)."""
    import reproductions

    argv = ([*reproductions.get(paper).test_argv] if smoke else ["--profile", "paper", "--synth-size", "full"])
    cmd = [sys.executable, str(REPO_ROOT / "reproductions" / paper / "run.py"), *argv, "--rehearse",
           "--out", str(out / paper)]
    print("+", " ".join(cmd), flush=True)
    try:
        return subprocess.run(cmd, cwd=REPO_ROOT, timeout=seconds).returncode
    except subprocess.TimeoutExpired:
        print(f"rehearsal of {paper} stopped after {seconds:.0f} s; its page covers the units it finished",
              flush=True)
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.device", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--smoke", action="store_true", help="tiny shapes and the paper's test run (a CPU check)")
    parser.add_argument("--paper", default=None, help="paper to rehearse (default: the cheapest)")
    parser.add_argument("--reps", type=int, default=None, help="throughput repetitions (default 5; smoke 1)")
    parser.add_argument("--seconds", type=float, default=None, help="wall-time budget of both parts (default: none)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if os.environ.get("KERAS_BACKEND") != "jax":
        raise SystemExit("set KERAS_BACKEND=jax: this script is for machines with JAX and no TensorFlow")
    from benchmarks import environment, report, sections

    args.out.mkdir(parents=True, exist_ok=True)
    rows, reports = sections.throughput(args.reps or (1 if args.smoke else 5), args.smoke, ["jax"], None,
                                        args.seconds and THROUGHPUT_SHARE * args.seconds)
    device = reports["jax"]["device"] if "jax" in reports else "unknown"
    if "jax" in reports:  # the papers' own GPU cost claims, measured on a GPU
        rows += sections.khorram_claim(reports["jax"]) + sections.wieser_trial(reports["jax"])
    for r in rows:
        r.provenance = environment.provenance(f"{device} (jax)")
    report.merge_csv(args.out / "benchmarks-device.csv", rows)
    paper = args.paper or cheapest_paper()
    left = args.seconds and max(1.0, args.seconds - (time.monotonic() - started))
    code = rehearse(paper, args.out, args.smoke, left)
    print(f"device {device}: {len(rows)} throughput rows; rehearsal of {paper} exit {code}; see {args.out}")
    return code


if __name__ == "__main__":
    sys.exit(main())
