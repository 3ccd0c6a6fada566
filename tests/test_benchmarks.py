"""The benchmark harness works: ``--smoke`` writes the CSV with the documented columns and positive figures.

No timing assertions: timing belongs in benchmarks/, not in pytest.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import reproductions
from benchmarks.__main__ import main
from benchmarks.registry import by_name, models
from benchmarks.rows import COLUMNS, Row
from benchmarks.stats import Summary


def test_summary_median_and_spread() -> None:
    s = Summary.of([4.0, 1.0, 3.0, 2.0, 5.0])
    assert (s.median, s.q1, s.q3, s.low, s.high, s.n) == (3.0, 2.0, 4.0, 1.0, 5.0, 5)
    inverse = s.map(lambda v: 60 / v)  # decreasing: the bounds swap
    assert (inverse.low, inverse.high, inverse.median) == (12.0, 60.0, 20.0)


def test_target_verdicts() -> None:
    assert Row("x", "a", "m", "u", Summary.of([1.08]), target="<= 1.10").met == "yes"
    assert Row("x", "a", "m", "u", Summary.of([25.0]), target=">= 20").met == "yes"
    assert Row("x", "a", "m", "u", Summary.of([19.0]), target=">= 20").met == "no"


def test_registry_reads_every_papers_own_figures() -> None:
    specs = by_name()
    assert specs["khorram2017/dilated"].shape == (7500, 160) and specs["khorram2017/dilated"].corpus_size == 9
    assert specs["zhao2019/1d"].shape == (128_000, 1) and specs["zhao2019/2d"].shape == (128, 251, 1)
    assert specs["huang2017/ldnn"].shape[1:3] == (40, 16) and specs["huang2017/ldnn"].corpus_size == 1257 * 61
    assert specs["wieser2018/elor-faithful"].corpus_size == 8522
    assert {m.paper for m in models()} == set(reproductions.names())


def test_smoke_run_writes_positive_figures(tmp_path) -> None:
    assert main(["--smoke", "--out-dir", str(tmp_path), "--backends", "tensorflow"]) == 0
    df = pd.read_csv(tmp_path / "benchmarks.csv")
    assert list(df.columns) == COLUMNS
    assert {"throughput", "khorram-claim", "overhead", "pipeline", "features"} <= set(df["section"])
    measured = df[df["metric"] != "status"]
    assert len(measured) > 10
    assert all(math.isfinite(v) and v > 0 for v in measured["median"])
    assert (measured["min"] <= measured["median"]).all() and (measured["median"] <= measured["max"]).all()
    page = (tmp_path / "benchmarks.md").read_text()
    assert "Smoke mode" in page and "## 3. Suite overhead" in page


def test_projection_rows_come_from_each_papers_rehearsal_and_say_how_it_ran(tmp_path, monkeypatch) -> None:
    from benchmarks import projection

    base = {"corpus": "iemocap", "profile": "paper", "data": "synthetic", "hardware": "cpu", "backend": "tensorflow",
            "commit": "bbbbbbb", "units": 7, "wall_s": 60.0, "peak_rss_gib": 3.5, "projected_hours": 12.0}
    (tmp_path / "latif2017").mkdir()
    (tmp_path / "latif2017" / "rehearsal.json").write_text(json.dumps(
        {**base, "complete": False, "sittings": 2, "commits": ["aaaaaaa", "bbbbbbb"]}))
    monkeypatch.setattr(projection, "RESULTS_ROOT", tmp_path)
    rows = [r for r in projection.rehearsal_rows() if r.name == "latif2017"]
    hours = next(r for r in rows if r.unit == "h")
    assert hours.summary.median == 12.0 and "first 7 units only" in hours.metric
    assert "INCOMPLETE" in hours.note and "2 sittings" in hours.note and "aaaaaaa, bbbbbbb" in hours.note
    assert not any("feature cache" in r.metric for r in rows)  # a page from before the cache was recorded
    (tmp_path / "latif2017" / "rehearsal.json").write_text(json.dumps(
        {**base, "feature_cache_gb": 4.5, "feature_cache_entries": 3}))
    disk = next(r for r in projection.rehearsal_rows() if r.name == "latif2017" and "feature cache" in r.metric)
    assert disk.summary.median == 4.5 and disk.unit == "GB" and disk.note.startswith("3 entries")
    others = [r for r in projection.rehearsal_rows() if r.name == "wieser2018"]
    assert any("not rehearsed yet" in r.note for r in others)


def test_a_gpu_rehearsal_gets_rows_of_its_own_with_its_accelerator_memory(tmp_path, monkeypatch) -> None:
    from benchmarks import projection

    base = {"corpus": "recola", "profile": "paper", "data": "synthetic", "backend": "jax", "commit": "ccccccc",
            "units": 9, "wall_s": 60.0, "peak_rss_gib": 3.0, "complete": True}
    (tmp_path / "khorram2017").mkdir()
    for name, hardware, hours, device in (("rehearsal", "EPYC x2", 20.0, None),
                                          ("rehearsal-gpu", "EPYC x16 + NVIDIA H200", 2.0, 1.5)):
        (tmp_path / "khorram2017" / f"{name}.json").write_text(json.dumps(
            {**base, "hardware": hardware, "projected_hours": hours, "peak_device_gib": device}))
    monkeypatch.setattr(projection, "RESULTS_ROOT", tmp_path)
    rows = {r.metric: r.summary.median for r in projection.rehearsal_rows() if r.name == "khorram2017"}
    assert rows["projected paper-profile wall time (upper bound)"] == 20.0
    assert rows["projected paper-profile wall time (on NVIDIA H200) (upper bound)"] == 2.0
    assert rows["peak accelerator memory (on NVIDIA H200) (rehearsal)"] == 1.5
    assert not any(m.startswith("peak accelerator memory") and "H200" not in m for m in rows)


def test_the_throughput_worker_reports_models_it_had_no_time_for() -> None:
    from benchmarks.sections import _throughput_rows
    from benchmarks.throughput_worker import run

    report = run("tensorflow", ["khorram2017/dilated", "khorram2017/blstm"], reps=3, smoke=True, seconds=0.0)
    assert report["results"] == [] and [f["name"] for f in report["failed"]] == ["khorram2017/dilated",
                                                                                "khorram2017/blstm"]
    notes = [r.note for r in _throughput_rows(report, smoke=True)]
    assert notes and all(n.startswith("not measured: the 0 s budget ran out") for n in notes)


def test_gpu_rows_merge_beside_the_cpu_rows_of_the_same_backend(tmp_path) -> None:
    from benchmarks import report

    assert report.accelerator("gpu: NVIDIA H200 (jax)") == "NVIDIA H200"
    assert report.accelerator("AMD EPYC x2 (jax: cpu: cpu)") == ""

    def row(median: float, device: str) -> Row:
        return Row("throughput", "khorram2017/dilated", "training throughput", "samples/s", Summary.of([median]),
                   backend="jax", provenance={"device": device})

    path = tmp_path / "benchmarks.csv"
    report.merge_csv(path, [row(30.0, "EPYC x2 (jax: cpu: cpu)")])
    gpu = pd.DataFrame([row(180.0, "gpu: NVIDIA H200 (jax)").record()])
    df = report.merge_csv(path, [], gpu)
    assert sorted(df["median"]) == [30.0, 180.0]
    df = report.merge_csv(path, [], gpu.assign(median=200.0))  # a second GPU run replaces the GPU rows only
    assert sorted(df["median"]) == [30.0, 200.0]
    page = report.render(df, [], "")
    assert "| jax on NVIDIA H200 | training throughput | 200.0 samples/s" in page
    assert "| jax | training throughput | 30.0 samples/s" in page


def test_memory_per_unit_is_the_resident_growth_after_the_warm_up(monkeypatch) -> None:
    from benchmarks import memory_per_unit

    trained: list[int] = []
    monkeypatch.setattr(memory_per_unit, "train_unit", lambda x, y, seed, epochs: trained.append(seed))
    resident = iter([100.0, 110.0, 120.0, 150.0, 180.0])  # MiB after each unit: +30 per unit after 3 warm-up units
    monkeypatch.setattr(memory_per_unit, "resident_gib", lambda: next(resident) / 1024)
    per_unit, seen = memory_per_unit.growth_per_unit(5, frames=128)
    assert trained == [0, 1, 2, 3, 4] and seen == [100.0, 110.0, 120.0, 150.0, 180.0] and per_unit == 30.0
    with pytest.raises(ValueError, match="warm-up"):
        memory_per_unit.growth_per_unit(memory_per_unit.WARM_UP + 1, frames=128)


def test_a_memory_unit_trains_the_paper_network_end_to_end() -> None:
    from benchmarks import memory_per_unit

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(48, 128, 128)).astype("float32"), rng.integers(0, 4, 48)
    predicted = memory_per_unit.train_unit(x, y, seed=0)
    assert predicted.shape == (48,) and set(predicted) <= set(range(memory_per_unit.N_CLASSES))


def test_the_coverage_simulation_runs_and_reports_both_interval_methods() -> None:
    from benchmarks.coverage import SETTINGS, coverage_rows

    rows = coverage_rows(sims=4, settings=SETTINGS[:1])
    assert [r.name.split(": ")[1] for r in rows] == ["percentile", "bootstrap-t"]
    assert all(0 <= r.summary.median <= 100 and r.target == ">= 90" for r in rows)


def test_the_startup_section_times_the_listing_in_wall_and_cpu_seconds() -> None:
    from benchmarks.startup import startup_rows

    wall, cpu = startup_rows(reps=2)
    assert (wall.metric, wall.target, wall.summary.n) == ("wall time", "<= 2", 2)
    assert cpu.metric == "CPU time (user + system)" and 0 < cpu.summary.median < 60
