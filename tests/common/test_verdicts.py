"""Verdicts that are never wrong in the paper's favour: data kind, protocol, equivalence, matrices, degenerate models,
and rows that survive concurrent writers (common.results, common.corpora)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from common import compare
from common.corpora import SYNTH_MARKER, open_corpus
from common.results import ResultsStore, RunContext, diff_table, load_published, read_results, summary_counts
from common.results.diff import (
    IN_MATRIX,
    INCONCLUSIVE,
    NOT_PAPER_CORPUS,
    NOT_PAPER_PROTOCOL,
    NOT_REPRODUCED,
    REPRODUCED,
    SYNTHETIC,
)
from common.results.evidence import Evidence
from common.settings import Profile, Settings, setting

REPO = Path(__file__).resolve().parents[2]
PUBLISHED = """table,row,column,metric,value,unit,note,kind,abs_tol
Table 7(a),EmoDB,Log-mel,average_accuracy,95.33,%,,value,
Table 7(a),EmoDB,Log-mel,ua,25.0,%,,value,
Table 3,m: A,A,confusion,90,%,,value,
Table 3,m: A,B,confusion,10,%,,value,
Table 3,m: A,C,confusion,0,%,,value,
Table 3,m: B,A,confusion,0,%,,value,
Table 3,m: B,B,confusion,100,%,,value,
Table 3,m: B,C,confusion,0,%,,value,
Table 3,m: C,A,confusion,0,%,,value,
Table 3,m: C,B,confusion,0,%,,value,
Table 3,m: C,C,confusion,100,%,,value,
"""


@pytest.fixture
def paper(published_toy) -> str:
    return published_toy(PUBLISHED)


def _ctx(data: str = "real", profile: str = "paper", **extra) -> RunContext:
    return RunContext(paper="toy", data=data, corpus="emodb", profile=profile, seeds=(0,),
                      **{"commit": "abc1234", "hardware": "test", **extra})


def _diff(paper: str, out: Path, **kw) -> pd.DataFrame:
    return diff_table(load_published(paper), read_results(out / "results.csv"), **kw)


def _emodb(root: Path, make_wav, n: int = 4) -> Path:
    for i in range(n):
        make_wav(root / "wav" / f"{(3, 8)[i % 2]:02d}a0{i}Fa.wav", seconds=0.2)
    return root


def test_a_twin_passed_as_data_dir_is_synthetic(tmp_path: Path, make_wav) -> None:
    twin = _emodb(tmp_path / "twin", make_wav)
    (twin / SYNTH_MARKER).write_text(json.dumps({"corpus": "emodb"}))
    corpus = open_corpus("emodb", data_dir=twin)
    assert corpus.data == "synthetic" and corpus.fingerprint.startswith("4 files, ")  # the hidden marker is not counted
    ctx = RunContext.from_args(argparse.Namespace(profile="paper", seed=0, runs=1), "zhao2019", corpus)
    assert ctx.data == "synthetic"


def test_a_real_copy_carries_a_fingerprint_and_is_told_apart_from_the_release(tmp_path: Path, make_wav) -> None:
    root = _emodb(tmp_path / "copy", make_wav)
    corpus = open_corpus("emodb", data_dir=root)
    assert corpus.data == "real" and corpus.fingerprint.startswith("4 files, ")
    assert "4 utterances, the release has 535" in corpus.release_differs
    assert "2 speakers, the release has 10" in corpus.release_differs
    same = open_corpus("emodb", data_dir=root).fingerprint
    make_wav(root / "wav" / "09a01Fa.wav", seconds=0.2)
    assert open_corpus("emodb", data_dir=root).fingerprint != same  # one more file: another copy
    ctx = RunContext.from_args(argparse.Namespace(profile="paper", seed=0, runs=1), "zhao2019", corpus)
    assert ctx.corpus_fingerprint.startswith("emodb: 4 files") and ctx.utterances == "emodb=4"
    assert not ctx.judgeable


def test_rows_off_the_paper_corpus_or_protocol_are_not_judged(paper: str, tmp_path: Path) -> None:
    cases = {"smoke": _ctx(profile="smoke"), "cut": _ctx(overrides="--runs 1 (profile: 5) --set si_folds=1"),
             "rehearsal": _ctx(profile="paper-rehearsal", overrides="--rehearse"),
             "subset": _ctx(corpus_differs="emodb: 4 utterances, the release has 535"),
             "tuned": _ctx(hp_source="tuning:bayesian-paper")}
    for name, ctx in cases.items():
        store = ResultsStore(ctx, tmp_path / name)
        store.add("Table 7(a)", "EmoDB", "Log-mel", "average_accuracy", [95.3, 95.4, 95.3])
        store.write()
        row = _diff(paper, tmp_path / name).set_index("metric").loc["average_accuracy"]
        expected = NOT_PAPER_CORPUS if name == "subset" else NOT_PAPER_PROTOCOL
        assert row["status"] == expected, name
        assert not np.isnan(row["delta_low"])  # Δ and its interval are still shown
        page = (tmp_path / name / "results.md").read_text()
        assert f"{expected}: " in page and "Margin" in page and "±5" in page


def test_a_cut_down_run_keeps_the_full_runs_rows_and_only_the_full_one_is_judged(paper: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    full = ResultsStore(_ctx(), out)
    full.add("Table 7(a)", "EmoDB", "Log-mel", "average_accuracy", [95.3, 95.2, 95.4])
    full.write()
    cut = ResultsStore(_ctx(overrides="--runs 1 (profile: 3)"), out)
    cut.add("Table 7(a)", "EmoDB", "Log-mel", "average_accuracy", [50.0])
    cut.write()
    table = read_results(out / "results.csv")
    assert sorted(table["overrides"]) == ["", "--runs 1 (profile: 3)"]
    counts = summary_counts(_diff(paper, out))
    assert counts[REPRODUCED] == 1 and counts[NOT_PAPER_PROTOCOL] == 0  # one verdict per cell and backend


def test_counts_take_the_latest_paper_run_never_the_best(paper: str, tmp_path: Path) -> None:
    tables = []
    for name, values, date in (("old", [95.3, 95.2, 95.4], "2020-01-01T00:00:00Z"),
                               ("new", [60.0, 61.0, 60.5], "2030-01-01T00:00:00Z")):
        store = ResultsStore(_ctx(commit=name), tmp_path / name)
        store.add("Table 7(a)", "EmoDB", "Log-mel", "average_accuracy", values)
        tables.append(store.write().assign(date=date))
    (tmp_path / "both").mkdir()
    pd.concat(tables[::-1], ignore_index=True).to_csv(tmp_path / "both" / "results.csv", index=False)
    diff = _diff(paper, tmp_path / "both")
    counts = summary_counts(diff)
    assert counts[NOT_REPRODUCED] == 1 and counts[REPRODUCED] == 0
    assert set(diff.loc[diff["metric"] == "average_accuracy", "status"]) == {NOT_REPRODUCED, "earlier run"}


def test_the_loose_old_pass_rule_case_is_not_reproduced(paper: str, tmp_path: Path) -> None:
    """87 with [78.5, 95.5] used to 'reproduce' 95.33 (inside the interval, half-width under 10 %)."""
    row = pd.Series({"kind": "value", "published": 95.33, "mean": 87.0, "ci_low": 78.5, "ci_high": 95.5,
                     "values": "87", "data": "real", "variant": "faithful", "metric": "average_accuracy",
                     "profile": "paper", "overrides": "", "corpus_differs": ""})
    from common.results.diff import verdict

    assert verdict(row)[0] == INCONCLUSIVE


def test_no_interval_leaves_its_metrics_range(paper: str, tmp_path: Path) -> None:
    store = ResultsStore(_ctx(), tmp_path / "out")
    store.add("Table 7(a)", "EmoDB", "Log-mel", "average_accuracy", [99.0, 100.0, 93.0])  # t over runs: > 100
    y = np.repeat([0, 1], 50)
    groups = np.repeat(["a", "b", "c", "d", "e"], 20)
    rng = np.random.default_rng(0)
    pred = np.where(rng.random(100) < 0.98, y, 1 - y)
    store.add("Table 7(a)", "EmoDB", "Log-mel", "ua", [100 * np.mean(pred == y)], evidence=Evidence(
        "ua", [y], [pred], [groups]))
    store.write()
    diff = _diff(paper, tmp_path / "out")
    judged = diff[diff["metric"].isin(["average_accuracy", "ua"])]
    assert (judged["ci_high"] <= 100).all() and (judged["ci_low"] >= 0).all()
    raw = read_results(tmp_path / "out" / "results.csv").set_index("metric")
    assert raw.loc["ua", "ci_high"] <= 100


def _constant_run(store: ResultsStore) -> None:
    """A model that says class A to everything, on 5 speaker groups, 3 classes."""
    y = np.tile([0, 1, 2, 1], 50)
    groups = np.repeat([f"s{i}" for i in range(5)], 40)
    pred = np.zeros_like(y)
    ua = Evidence("ua", [y], [pred], [groups])
    store.add("Table 7(a)", "EmoDB", "Log-mel", "ua", [100 / 3], evidence=ua)
    store.add("Table 7(a)", "EmoDB", "Log-mel", "average_accuracy", [25.0], evidence=Evidence(
        "accuracy", [y], [pred], [groups]))
    for true in "ABC":
        for predicted in "ABC":
            store.add("Table 3", f"m: {true}", predicted, "confusion", [100.0 if predicted == "A" else 0.0] * 3)


def test_a_constant_predictor_collects_no_reproduced(paper: str, tmp_path: Path) -> None:
    store = ResultsStore(_ctx(), tmp_path / "out")
    _constant_run(store)
    store.write()
    diff = _diff(paper, tmp_path / "out", margins={"ua": 10.0})
    assert REPRODUCED not in set(diff["status"])
    assert diff.set_index("metric").loc["ua", "why"].startswith("degenerate model (one predicted class")
    matrix = diff[diff["metric"] == "confusion distance"].iloc[0]
    assert matrix["status"] == NOT_REPRODUCED and "degenerate" in matrix["why"]
    cells = diff[diff["metric"] == "confusion"]
    assert set(cells["status"]) == {IN_MATRIX}  # shown, never counted one by one
    counts = summary_counts(diff)
    assert counts["published cells"] == 3  # two values and one matrix


def test_a_matrix_close_to_the_papers_is_reproduced_as_one_verdict(paper: str, tmp_path: Path) -> None:
    store = ResultsStore(_ctx(), tmp_path / "out")
    published = load_published(paper)
    for _, cell in published[published["metric"] == "confusion"].iterrows():
        value = float(cell["value"])
        store.add("Table 3", cell["row"], cell["column"], "confusion", [value - 1, value, value + 1])
    store.write()
    diff = _diff(paper, tmp_path / "out")
    matrix = diff[diff["metric"] == "confusion distance"].iloc[0]
    assert matrix["status"] == REPRODUCED and matrix["mean"] == pytest.approx(0.0, abs=1e-9)
    assert summary_counts(diff)[REPRODUCED] == 1
    assert "Verdict (m, tensorflow): **reproduced**" in (tmp_path / "out" / "results.md").read_text()


def test_compare_prints_the_margin_and_takes_another(paper: str, tmp_path: Path, capsys) -> None:
    store = ResultsStore(_ctx(), tmp_path / "out")
    store.add("Table 7(a)", "EmoDB", "Log-mel", "average_accuracy", [92.0, 92.5, 93.0])  # Δ about -2.8
    store.write()
    csv = str(tmp_path / "out" / "results.csv")
    assert compare.main([paper, "--results", csv]) == 0
    out = capsys.readouterr().out
    assert "±5" in out and "reproduced 1" in out
    assert compare.main([paper, "--results", csv, "--margin", "average_accuracy=1", "--strict"]) == 1
    assert "not reproduced 1" in capsys.readouterr().out
    assert compare.main([paper, "--results", csv, "--margin", "average_accuracy"]) == 2


def test_context_records_the_overrides_of_the_profile() -> None:
    @dataclass(frozen=True)
    class ToySettings(Settings):
        si_folds: int = setting(10, source="§4.2")
        clip_s: float = setting(2.0, source="§3.5")

    profile = Profile(runs=5, epochs=100, settings=ToySettings())
    args = argparse.Namespace(profile="paper", seed=0, runs=1, epochs=100, settings=ToySettings(si_folds=1),
                              rehearse=False, no_search=False, from_tuning=None)
    corpus = argparse.Namespace(data="real", name="emodb", fingerprint="535 files", release_differs="",
                                table=pd.DataFrame({"id": range(535)}))
    ctx = RunContext.from_args(args, "zhao2019", corpus, profile=profile)
    assert ctx.overrides == "--runs 1 (profile: 5) --set si_folds=1 (profile: 10)" and not ctx.judgeable
    args.runs, args.settings, args.rehearse = 5, ToySettings(), True
    assert RunContext.from_args(args, "zhao2019", corpus, profile=profile).overrides == "--rehearse"
    args.rehearse = False
    full = RunContext.from_args(args, "zhao2019", corpus, profile=profile)
    assert full.overrides == "" and full.judgeable and full.utterances == "emodb=535"


def test_two_processes_writing_one_out_folder_lose_no_row(paper: str, tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys
        from common.results import ResultsStore, RunContext
        import common.results.store as store
        store.write_markdown = lambda paper, out: None
        who = sys.argv[1]
        s = ResultsStore(RunContext(paper="toy", data="synthetic", corpus="emodb", profile="smoke", seeds=(0,),
                                    commit="c", hardware="h"), {str(tmp_path / "out")!r})
        for i in range(25):
            s.add("T", f"{{who}}-{{i}}", "c", "m", [float(i)])
            s.write()
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, who], cwd=REPO) for who in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    rows = set(read_results(tmp_path / "out" / "results.csv")["row"])
    assert rows == {f"{who}-{i}" for who in "ab" for i in range(25)}


def test_common_stats_imports_on_its_own() -> None:
    subprocess.run([sys.executable, "-c", "import common.stats"], cwd=REPO, check=True)


def test_synthetic_rows_stay_synthetic(paper: str, tmp_path: Path) -> None:
    store = ResultsStore(_ctx("synthetic"), tmp_path / "out")
    store.add("Table 7(a)", "EmoDB", "Log-mel", "average_accuracy", [95.33, 95.33])
    store.write()
    assert summary_counts(_diff(paper, tmp_path / "out"))[SYNTHETIC] == 1


def test_a_paper_without_published_cells_still_gets_a_page(tmp_path: Path) -> None:
    empty = pd.DataFrame(columns=["table", "row", "column", "metric", "value", "unit", "note", "kind", "abs_tol"])
    store = ResultsStore(_ctx(), tmp_path / "out")
    store.add("Fig. 9", "curve", "epoch 1", "accuracy", [50.0])
    store.write()
    diff = diff_table(empty, read_results(tmp_path / "out" / "results.csv"))
    assert diff.empty and summary_counts(diff)["published cells"] == 0


def test_label_statistics_counts_and_the_argmax_cell_get_verdicts(tmp_path: Path) -> None:
    """Khorram §5.2 (> 95 %), Fig. 4 (< 5 %) and §4 (best length 512), Wieser §3.2 (8,522 windows): judged, not
    'inconclusive' forever for want of an interval."""
    store = ResultsStore(_ctx(), tmp_path / "k")
    store.add("§5.2", "Gold standard", "arousal+valence", "power share below 1 Hz", [97.2])
    store.add("Fig. 4", "Downsample factor 64", "arousal+valence", "relative CCC loss", [2.4])
    store.add("§4", "Preliminary", "Fig. 1", "best filter length", [512, 512, 512, 512])
    store.write()
    diff = diff_table(load_published("khorram2017"), read_results(tmp_path / "k" / "results.csv"))
    judged = diff.set_index("table").loc[["§5.2", "Fig. 4", "§4"], "status"]
    assert list(judged) == [REPRODUCED] * 3
    store = ResultsStore(_ctx(), tmp_path / "w")
    store.add("§3.2", "E-2", "samples", "count", [8521])
    store.write()
    diff = diff_table(load_published("wieser2018"), read_results(tmp_path / "w" / "results.csv"))
    assert diff.set_index("metric").loc["count", "status"] == NOT_REPRODUCED  # exact: one window off


def test_the_interval_is_centred_on_the_rows_own_mean(paper: str, tmp_path: Path) -> None:
    """A mean of folds (Latif) differs from the metric of the pooled items: the interval follows the row."""
    y = np.tile([0, 1], 100)
    groups = np.repeat([f"s{i}" for i in range(10)], 20)
    pred = np.where(np.random.default_rng(3).random(200) < 0.2, 1 - y, y)  # pooled accuracy about 80 %
    store = ResultsStore(_ctx(), tmp_path / "out")
    record = store.add("Table 7(a)", "EmoDB", "Log-mel", "average_accuracy", [70.0],
                       evidence=Evidence("accuracy", [y], [pred], [groups]))
    assert record.ci_low < 70.0 < record.ci_high and record.ci_high < 80.0
