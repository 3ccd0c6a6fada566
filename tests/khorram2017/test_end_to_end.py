"""End to end on the synthetic RECOLA twin: smoke run (made tiny), resume, and learning beats a constant."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from common.corpora import open_corpus, read_arff
from common.metrics import ccc_pooled
from reproductions.khorram2017.data import load_utterances
from reproductions.khorram2017.models import build_dilated
from reproductions.khorram2017.run import main
from reproductions.khorram2017.training import fit_model, predict

TINY = ["--profile", "smoke", "--runs", "1", "--epochs", "1", "--set", "prelim_lengths=[4]",
        "--set", "prelim_runs=1", "--set", "dimensions=[\"arousal\"]", "--set", "label_factors=[2,64]",
        "--set", "models=[\"dilated\",\"downup\"]", "--set", "corrected_models=[\"dilated\"]"]


@pytest.fixture(scope="module")
def twin_data() -> dict:
    return load_utterances(open_corpus("recola", None, size="smoke", seed=0))


def test_tiny_smoke_run_writes_synthetic_rows_and_resumes(tmp_path: Path) -> None:
    assert main([*TINY, "--out", str(tmp_path)]) == 0
    results = pd.read_csv(tmp_path / "results.csv")
    assert set(results["data"]) == {"synthetic"}
    dev = results[(results["table"] == "Table 1") & (results["column"] == "Dev") & (results["metric"] == "CCC")]
    assert {"Dilated", "Down/Up"} <= set(dev["row"])
    assert set(dev["variant"]) >= {"faithful", "avg-of-runs", "held-out-val"}
    share = results[(results["table"] == "§5.2") & (results["column"] == "arousal+valence")]["mean"].iloc[0]
    assert 50 < share <= 100
    for name in ("fig1_filter_length.png", "fig4_label_rebuild.png", "fig5_segment.png", "fig5_smoothness.png",
                 "results.md", "splits/folds.csv"):
        assert (tmp_path / name).is_file(), name
    arff = sorted((tmp_path / "test_predictions" / "downup" / "arousal").glob("test_*.arff"))
    assert arff
    _, times, values = read_arff(arff[0])
    assert times[0] == 0.0 and np.allclose(np.diff(times), 0.04, atol=1e-6) and np.isfinite(values).all()
    before = results.set_index(["table", "row", "column", "metric", "variant"])["mean"]
    assert main([*TINY, "--out", str(tmp_path)]) == 0  # every unit comes back from the ledger
    after = pd.read_csv(tmp_path / "results.csv").set_index(["table", "row", "column", "metric", "variant"])
    pd.testing.assert_series_equal(before.sort_index(), after["mean"].sort_index())


def test_short_training_beats_a_constant_predictor(twin_data: dict) -> None:
    """A constant prediction has dev CCC 0; a few epochs of the dilated net must do clearly better."""
    model, info = fit_model(lambda: build_dilated(n_layers=6, width=16), twin_data["train"], twin_data["dev"],
                            "arousal", epochs=4, seed=0, patience=4)
    dev = twin_data["dev"]
    score = ccc_pooled([u.arousal for u in dev], predict(model, dev))
    assert score > 0.2, info
    assert info["epoch_time_s"] > 0 and info["n_params"] == model.count_params()


def test_missing_data_dir_is_a_clear_error(capsys: pytest.CaptureFixture) -> None:
    from common.cli import main_guard

    with pytest.raises(SystemExit) as exit_info:
        import sys
        argv, sys.argv = sys.argv, ["run.py", "--data-dir", "/nonexistent"]
        try:
            main_guard(main)
        finally:
            sys.argv = argv
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "/nonexistent" in err and "Traceback" not in err
