"""common.results and common.compare: records, atomic upserts, published-vs-reproduced diff, --strict."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from common import compare
from common.results import ResultsStore, RunContext, diff_table, load_published, read_results, summary_counts
from common.results.diff import INCONCLUSIVE, NOT_REPRODUCED, NOT_RUN, REPRODUCED, SYNTHETIC, verdict
from common.results.evidence import Evidence

PUBLISHED = """table,row,column,metric,value,unit,note,kind,abs_tol
Table 1,Dilated,Dev,CCC,0.857,,,value,
Table 1,Dilated,Dev,RMSE,0.102,,,value,
Table 1,Down/Up,Dev,CCC,0.867,,,value,
"""


@pytest.fixture
def paper(published_toy) -> str:
    """A throwaway paper whose published.csv lives in tmp_path."""
    return published_toy(PUBLISHED)


def _ctx(data: str, profile: str = "smoke") -> RunContext:
    return RunContext(paper="toy", data=data, corpus="recola", profile=profile, seeds=(0, 1, 2),
                      split="AVEC 2016 train/dev", commit="abc1234", hardware="test-cpu x2")


def test_record_carries_provenance_and_statistics(paper: str, tmp_path: Path) -> None:
    store = ResultsStore(_ctx("synthetic"), tmp_path / "out")
    rec = store.add("Table 1", "Dilated", "Dev", "CCC", [0.5, 0.6, 0.7])
    assert rec.mean == pytest.approx(0.6) and rec.std == pytest.approx(0.1) and rec.n_runs == 3
    store.write()
    table = read_results(tmp_path / "out" / "results.csv")
    row = table.iloc[0]
    assert (row["data"], row["profile"], row["seeds"], row["commit"], row["hardware"]) == (
        "synthetic", "smoke", "0 1 2", "abc1234", "test-cpu x2")
    assert row["corpus"] == "recola" and row["split"] == "AVEC 2016 train/dev" and row["hp_source"] == "paper"
    assert row["date"].endswith("Z") and row["wall_time_s"] >= 0


def test_rewrite_replaces_same_key_and_keeps_others(paper: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = ResultsStore(_ctx("synthetic"), out)
    first.add("Table 1", "Dilated", "Dev", "CCC", [0.1])
    first.add("Table 1", "Dilated", "Dev", "RMSE", [0.3])
    first.write()
    second = ResultsStore(_ctx("synthetic"), out)
    second.add("Table 1", "Dilated", "Dev", "CCC", [0.2])
    second.write()
    table = read_results(out / "results.csv")
    assert len(table) == 2
    assert table.set_index("metric").loc["CCC", "mean"] == pytest.approx(0.2)
    assert not list(out.glob(".results*")), "no temp files left behind"


def test_synthetic_rows_are_shown_but_never_counted(paper: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    store = ResultsStore(_ctx("synthetic"), out)
    store.add("Table 1", "Dilated", "Dev", "CCC", [0.857])  # equal to the published number
    store.write()
    diff = diff_table(load_published(paper), read_results(out / "results.csv"))
    counts = summary_counts(diff)
    assert counts[REPRODUCED] == 0 and counts[SYNTHETIC] == 1 and counts[NOT_RUN] == 2
    md = (out / "results.md").read_text()
    assert "Synthetic rows are not reproductions" in md and SYNTHETIC in md and "0.857" in md


def test_real_rows_are_judged_against_their_interval(paper: str, tmp_path: Path) -> None:
    store = ResultsStore(_ctx("real", "paper"), tmp_path / "out")
    store.add("Table 1", "Dilated", "Dev", "CCC", [0.85, 0.86, 0.855])  # tight interval around 0.855
    store.add("Table 1", "Down/Up", "Dev", "CCC", [0.5, 0.52, 0.51])  # far off
    store.add("Table 1", "Down/Up", "Dev", "CCC", [0.867], variant="corrected")  # variants are not judged
    store.add("Fig. 4", "factor 64", "all", "CCC", [0.97])  # no published counterpart
    store.write()
    reproduced = read_results(tmp_path / "out" / "results.csv")
    diff = diff_table(load_published(paper), reproduced)
    status = diff.set_index(["row", "variant"])["status"]
    assert status[("Dilated", "faithful")] == REPRODUCED
    assert status[("Down/Up", "faithful")] == NOT_REPRODUCED
    assert status[("Down/Up", "corrected")].startswith("variant")
    assert diff.set_index(["row", "variant"]).loc[("Dilated", "faithful"), "delta"] == pytest.approx(-0.002)
    md = (tmp_path / "out" / "results.md").read_text()
    assert "without a published counterpart" in md and "factor 64" in md and "## Headline numbers" in md


def _cell(kind: str, published: float, mean: float, low: float, high: float, values: str = "", abs_tol=np.nan,
          data: str = "real", metric: str = "UA", profile: str = "paper", **extra) -> pd.Series:
    return pd.Series({"kind": kind, "published": published, "mean": mean, "ci_low": low, "ci_high": high,
                      "values": values or str(mean), "abs_tol": abs_tol, "data": data, "variant": "faithful",
                      "metric": metric, "profile": profile, "overrides": "", "corpus_differs": "", **extra})


def test_verdict_of_each_cell_kind() -> None:
    assert verdict(_cell("value", 60.0, 61.0, 58.0, 64.0))[0] == REPRODUCED  # Δ [-2, +4] within ±5
    status, why = verdict(_cell("value", 70.0, 61.0, 58.0, 64.0))
    assert status == NOT_REPRODUCED and "wholly outside ±5" in why
    status, why = verdict(_cell("value", 60.0, 55.0, 30.0, 80.0))
    assert status == INCONCLUSIVE and "wider than ±5" in why  # too wide to tell
    assert verdict(_cell("value", 60.0, 61.0, np.nan, np.nan))[0] == INCONCLUSIVE  # one run, no predictions
    assert verdict(_cell("value", 0.0, 0.04, 0.0, 0.08, metric="value", abs_tol=0.1))[0] == REPRODUCED
    assert verdict(_cell("value", 0.0, 3.0, 2.5, 3.5, metric="value", abs_tol=1.0))[0] == NOT_REPRODUCED
    assert verdict(_cell("lower-bound", 95.0, 97.0, 96.0, 98.0))[0] == REPRODUCED
    assert verdict(_cell("lower-bound", 95.0, 95.5, 94.0, 97.0))[0] == INCONCLUSIVE
    assert verdict(_cell("lower-bound", 95.0, 90.0, 89.0, 91.0))[0] == NOT_REPRODUCED
    assert verdict(_cell("upper-bound", 5.0, 3.0, 2.0, 4.0))[0] == REPRODUCED
    assert verdict(_cell("upper-bound", 5.0, 7.0, 6.0, 8.0))[0] == NOT_REPRODUCED
    assert verdict(_cell("argmax", 512, 512, np.nan, np.nan, values="512 512 512"))[0] == REPRODUCED
    assert verdict(_cell("argmax", 512, 341.3, np.nan, np.nan, values="256 256 512"))[0] == INCONCLUSIVE
    assert verdict(_cell("argmax", 512, 256, np.nan, np.nan, values="256 256"))[0] == NOT_REPRODUCED
    assert verdict(_cell("value", 60.0, 61.0, 58.0, 64.0, data="synthetic"))[0] == SYNTHETIC


def test_deterministic_cells_are_compared_within_their_printed_rounding() -> None:
    exact = {"deterministic": True, "decimals": 0}
    assert verdict(_cell("value", 8522, 8522, np.nan, np.nan, metric="count", **exact))[0] == REPRODUCED
    assert verdict(_cell("value", 8522, 8530, np.nan, np.nan, metric="count", **exact))[0] == NOT_REPRODUCED
    share = {"deterministic": True, "metric": "power share below 1 Hz"}  # a label statistic: no interval needed
    assert verdict(_cell("lower-bound", 95.0, 97.2, np.nan, np.nan, **share))[0] == REPRODUCED
    assert verdict(_cell("lower-bound", 95.0, 93.0, np.nan, np.nan, **share))[0] == NOT_REPRODUCED


def test_evidence_gives_the_interval_and_flaw_effects_are_measured(paper: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 4, 400)
    groups = np.repeat([f"s{i}" for i in range(10)], 40)
    leaky = np.where(rng.random(400) < 0.8, y, (y + 1) % 4)
    clean = np.where(rng.random(400) < 0.5, y, (y + 1) % 4)
    store = ResultsStore(_ctx("synthetic"), tmp_path / "out", flaws={"clean": "test-set model selection"})
    for variant, pred in (("faithful", leaky), ("clean", clean)):
        ev = Evidence("accuracy", [y], [pred], [groups])
        store.add("Table 1", "Dilated", "Dev", "CCC", [100 * float(np.mean(pred == y))], variant=variant, evidence=ev)
    store.write()
    row = read_results(tmp_path / "out" / "results.csv").set_index("variant").loc["faithful"]
    assert row["ci_low"] < row["mean"] < row["ci_high"] and "bootstrap-t over 10 groups" in row["ci_method"]
    effects = pd.read_csv(tmp_path / "out" / "flaw_effects.csv")
    (effect,) = effects.itertuples()
    assert effect.flaw == "test-set model selection" and 20 < effect.effect < 40 and effect.p < 0.01
    assert "What each known flaw does" in (tmp_path / "out" / "results.md").read_text()


def test_compare_cli_strict_fails_only_on_real_misses(paper: str, tmp_path: Path, capsys) -> None:
    synth = ResultsStore(_ctx("synthetic"), tmp_path / "s")
    synth.add("Table 1", "Dilated", "Dev", "CCC", [0.1, 0.12, 0.11])  # far off, but synthetic
    synth.write()
    assert compare.main([paper, "--results", str(tmp_path / "s" / "results.csv"), "--strict"]) == 0
    assert "synthetic only" in capsys.readouterr().out
    real = ResultsStore(_ctx("real", "paper"), tmp_path / "r")
    real.add("Table 1", "Dilated", "Dev", "CCC", [0.1, 0.12, 0.11])
    real.write()
    assert compare.main([paper, "--results", str(tmp_path / "r" / "results.csv"), "--strict"]) == 1
    wide = ResultsStore(_ctx("real", "paper"), tmp_path / "w")
    wide.add("Table 1", "Dilated", "Dev", "CCC", [0.5, 1.2])  # inconclusive is not a failure
    wide.write()
    assert compare.main([paper, "--results", str(tmp_path / "w" / "results.csv"), "--strict"]) == 0


def test_published_csv_validation(tmp_path: Path) -> None:
    bad = tmp_path / "published.csv"
    bad.write_text("table,row,column,metric,value,unit,note\nT1,a,b,c,notanumber,,\n")
    with pytest.raises(Exception, match="non-numeric"):
        load_published("x", bad)
    bad.write_text("table,row,value\nT1,a,1\n")
    with pytest.raises(Exception, match="missing columns"):
        load_published("x", bad)


def test_context_from_args_records_tuning_source() -> None:
    args = argparse.Namespace(profile="paper", seed=10, runs=3, from_tuning="bayesian-paper")
    corpus = argparse.Namespace(data="real", name="iemocap")
    ctx = RunContext.from_args(args, "zhao2019", corpus, split="LOSO")
    assert ctx.seeds == (10, 11, 12) and ctx.hp_source == "tuning:bayesian-paper" and ctx.data == "real"
    noise = argparse.Namespace(data="synthetic", name="musan")
    mixed = RunContext.from_args(args, "huang2017", corpus, also=(noise,))
    assert (mixed.corpus, mixed.data) == ("iemocap+musan", "synthetic")  # real only when every corpus is real
    with pytest.raises(ValueError):
        RunContext(paper="p", data="made-up", corpus="c", profile="smoke", seeds=(0,))


def test_every_repository_published_csv_is_valid() -> None:
    root = Path(__file__).resolve().parents[2] / "reproductions"
    for path in root.glob("*/published.csv"):
        table = load_published(path.parent.name, path)
        assert len(table) > 0 and isinstance(table, pd.DataFrame)


def test_undertraining_warnings_appear_on_the_results_page(paper: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "training-warnings.md").write_text("# toy: units\n\n- table1/0: best val_accuracy at epoch 1 of 9\n")
    store = ResultsStore(_ctx("synthetic"), out)
    store.add("Table 1", "Dilated", "Dev", "CCC", [0.5])
    store.write()
    page = (out / "results.md").read_text()
    assert "looks undertrained" in page and "table1/0: best val_accuracy at epoch 1 of 9" in page


def test_each_corpus_keeps_its_own_undertraining_list_on_the_page(paper: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for corpus, unit in (("emodb", "2d/sd/0"), ("iemocap", "1d/si/3")):
        (out / f"training-warnings-{corpus}.md").write_text(f"# toy on {corpus}: units\n\n- {unit}: swings\n")
    store = ResultsStore(_ctx("synthetic"), out)
    store.add("Table 1", "Dilated", "Dev", "CCC", [0.5])
    store.write()
    page = (out / "results.md").read_text()
    assert "looks undertrained (emodb)" in page and "looks undertrained (iemocap)" in page
    assert page.index("2d/sd/0") < page.index("looks undertrained (iemocap)") < page.index("1d/si/3")
