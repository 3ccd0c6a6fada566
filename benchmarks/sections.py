"""The sections of the page: each returns its rows; workers run in subprocesses where isolation matters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.registry import by_name
from benchmarks.rows import Row
from benchmarks.stats import Summary
from common.paths import REPO_ROOT

ONE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")}
NAN = Summary(float("nan"), float("nan"), float("nan"), float("nan"), float("nan"), 0)
SMOKE_MODELS = ("khorram2017/dilated", "khorram2017/blstm")


def _worker(module: str, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run ``python -m benchmarks.<module> ... --out <json>`` and return its JSON report."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        proc = subprocess.run([sys.executable, "-m", f"benchmarks.{module}", *args, "--out", str(out)], cwd=REPO_ROOT,
                              env={**os.environ, **env}, capture_output=True, text=True)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"benchmarks.{module} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        return json.loads(out.read_text())


def jax_available(jax_path: str | None) -> bool:
    """Whether ``import jax`` works in a fresh process with KERAS_BACKEND=jax."""
    env = _jax_env(jax_path)
    proc = subprocess.run([sys.executable, "-c", "import jax, keras"], env={**os.environ, **env}, cwd=REPO_ROOT,
                          capture_output=True)
    return proc.returncode == 0


def _jax_env(jax_path: str | None) -> dict[str, str]:
    env = {"KERAS_BACKEND": "jax"}
    if jax_path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [jax_path, str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return env


def throughput(reps: int, smoke: bool, backends: list[str], jax_path: str | None,
               seconds: float | None = None) -> tuple[list[Row], dict]:
    """Section 1 rows per backend (samples/s and s/epoch) and the raw TF report (for sections 2 and 7); ``seconds``
    bounds each backend's worker (models it had no time for are reported as not measured)."""
    names = ",".join(SMOKE_MODELS) if smoke else ""
    rows: list[Row] = []
    reports: dict[str, dict] = {}
    for backend in backends:
        if backend == "jax" and not jax_available(jax_path):
            rows.append(Row("throughput", "all models", "status", "", NAN, backend="jax", note="not installed"))
            continue
        env = _jax_env(jax_path) if backend == "jax" else {"KERAS_BACKEND": "tensorflow"}
        args = ["--backend", backend, "--reps", str(reps), *(["--smoke"] if smoke else []),
                *(["--models", names] if names else []), *(["--seconds", str(seconds)] if seconds else [])]
        report = _worker("throughput_worker", args, env)
        reports[backend] = report
        rows += _throughput_rows(report, smoke)
    return rows, reports


def _throughput_rows(report: dict, smoke: bool) -> list[Row]:
    backend, rows = report["backend"], []
    for r in report["results"]:
        spec = by_name()[r["name"]]
        per_s = Summary.of([r["batch"] / t for t in r["step_s"]])
        shape = "x".join(map(str, r["shape"]))
        note = (f"input {shape}, batch {r['batch']} ({spec.batch_source}), {r['params']:,} params, "
                f"{r['steps'] - 1} timed steps per rep")
        rows.append(Row("throughput", r["name"], "training throughput", "samples/s", per_s, backend=backend,
                        note=note))
        epoch = per_s.map(lambda v, n=spec.corpus_size: n / v)
        rows.append(Row("throughput", r["name"], f"s per epoch, {spec.corpus} ({spec.corpus_size:,})", "s", epoch,
                        backend=backend, note=f"{spec.size_source}" + (" [smoke shapes]" if smoke else "")))
    for f in report["failed"]:
        rows.append(Row("throughput", f["name"], "status", "", NAN, backend=backend,
                        note=f['error'] if f["error"].startswith("not measured")
                        else f"does not run unchanged: {f['error']}"))
    return rows


def epoch_seconds(report: dict) -> dict[str, list[float]]:
    """Per-repetition seconds per epoch of every model in a throughput report."""
    return {r["name"]: [by_name()[r["name"]].corpus_size * t / r["batch"] for t in r["step_s"]]
            for r in report["results"]}


def khorram_claim(report: dict) -> list[Row]:
    """Section 2: BLSTM / conv epoch-time ratio from interleaved repetitions, next to §6.2's 10 min / 13 s."""
    from reproductions.khorram2017.benchmark import BLSTM as KHORRAM_BLSTM
    from reproductions.khorram2017.benchmark import CONV as KHORRAM_CONV
    from reproductions.khorram2017.benchmark import PAPER_EPOCH_S as KHORRAM_PAPER_EPOCH_S

    epochs = epoch_seconds(report)
    if KHORRAM_BLSTM not in epochs:
        return []
    paper = KHORRAM_PAPER_EPOCH_S["blstm"] / KHORRAM_PAPER_EPOCH_S["conv"]
    rows = []
    for conv in KHORRAM_CONV:
        if conv in epochs:
            ratios = [b / c for b, c in zip(epochs[KHORRAM_BLSTM], epochs[conv], strict=True)]
            rows.append(Row("khorram-claim", f"BLSTM / {conv.split('/')[1]} epoch time", "time ratio", "x",
                            Summary.of(ratios), backend=report["backend"],
                            note=f"paper §6.2: ~600 s / ~13 s = {paper:.0f}x (Theano, GPU not stated)"))
    return rows


def features(reps: int, smoke: bool) -> list[Row]:
    """Section 5 from the one-core worker."""
    report = _worker("features_worker", ["--reps", str(reps), *(["--smoke"] if smoke else [])], ONE_THREAD)
    rows = []
    for r in report["rtf"]:
        rows.append(Row("features", r["name"], "real-time factor, 1 core", "s/s", Summary.of(r["rtf"]),
                        backend="numpy", note=f"{r['audio_s']:g} s of audio; {report['pinned']}"))
    for c in report["cache"]:
        recompute, hit = c["recompute"], c["hit"]
        parts = ", ".join(f"{k} {1e3 * Summary.of(v).median:.2f} ms" for k, v in c["parts"].items())
        note = (f"{c['files']} files x {c['file_s']:g} s; recompute {1e3 * Summary.of(recompute).median:.1f} ms, "
                f"hit {1e3 * Summary.of(hit).median:.2f} ms ({parts}); entry {c['entry_bytes'] / 1024:.0f} KiB")
        ratios = [a / b for a, b in zip(recompute, hit, strict=True)]
        rows.append(Row("features", f"cache hit vs recompute: {c['name']}", "speed-up", "x", Summary.of(ratios),
                        backend="numpy", target=">= 20", note=note))
    return rows


def wieser_trial(report: dict) -> list[Row]:
    """Wieser's one ELoR hyperopt trial (§3.3) from the measured ELoR throughput."""
    epochs = {k: Summary.of(v).median for k, v in epoch_seconds(report).items()}
    rows = []
    elor = "wieser2018/elor-faithful"
    if elor in epochs:
        from reproductions.wieser2018.hyperparameters import PUBLISHED_TUNING_GPU_DAYS, TABLE_1_ELOR, TUNING_EVALUATIONS
        trial_h = TABLE_1_ELOR.epochs * 0.9 * epochs[elor] / 3600
        paper_h = PUBLISHED_TUNING_GPU_DAYS * 24 / TUNING_EVALUATIONS["elor"]
        rows.append(Row("khorram-claim", "wieser2018 one ELoR hyperopt trial", "training time", "h",
                        Summary.of([trial_h]), backend=report["backend"],
                        note=f"Table 1: 9 epochs on 90 % of 8,522; paper §3.3: 49 GPU-days / 70 = {paper_h:.1f} h"))
    return rows


def in_process(section: str, reps: int, smoke: bool) -> list[Row]:
    """Sections 3 and 4 (TensorFlow backend, this process)."""
    from common.training import configure_threads

    configure_threads()
    if section == "overhead":
        from benchmarks.khorram_paths import suite_overhead
        return suite_overhead(1 if smoke else 5, reps, smoke)
    from benchmarks.huang_pipeline import noisy_pipeline
    from benchmarks.khorram_paths import input_pipeline
    rows = input_pipeline(1 if smoke else 10, reps, smoke)
    # Smoke leaves out Huang's noisy-set pipeline (two more graph traces) to stay under a minute.
    return rows if smoke else rows + noisy_pipeline(20, reps, smoke)
