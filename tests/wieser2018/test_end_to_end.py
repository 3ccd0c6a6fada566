"""run.py end to end on the synthetic twin (smoke, shrunk), and the clear error for a missing --data-dir."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

RUN = Path(__file__).resolve().parents[2] / "reproductions" / "wieser2018" / "run.py"


def test_smoke_run_writes_synthetic_rows_and_resumes(tmp_path):
    from reproductions.wieser2018.run import main

    argv = ["--profile", "smoke", "--out", str(tmp_path), "--epochs", "1", "--set", "folds=1",
            "--set", "joint_variant=[]", "--set", "saliency_samples=2", "--set", "am_steps=3"]
    assert main(argv) == 0
    res = pd.read_csv(tmp_path / "results.csv")
    assert set(res["data"]) == {"synthetic"} and set(res["profile"]) == {"smoke"}
    t5 = res[res["table"] == "Table 5"]
    assert {"ELoR net", "LoM net", "FTR net", "ELoR + FTR net", "Random guessing",
            "Most frequent label"} <= set(t5["row"])
    assert ((t5["mean"] >= 0) & (t5["mean"] <= 1)).all()
    assert len(res[res["table"] == "Table 6"]) == 7 * 10
    assert (tmp_path / "fig4_saliency_arousal.png").is_file() and (tmp_path / "fig5_generalised_inputs.png").is_file()
    assert (tmp_path / "splits" / "folds.csv").is_file()
    # resume: the same command reuses every finished unit and writes the same Table 5
    assert main(argv) == 0
    again = pd.read_csv(tmp_path / "results.csv")
    pd.testing.assert_series_equal(
        again[again["table"] == "Table 5"].set_index(["row", "column", "metric", "variant"])["mean"].sort_index(),
        t5.set_index(["row", "column", "metric", "variant"])["mean"].sort_index())


def test_missing_data_dir_is_a_clear_error():
    proc = subprocess.run([sys.executable, str(RUN), "--data-dir", "/nonexistent"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2
    assert "/nonexistent" in proc.stderr and "Traceback" not in proc.stderr


def test_short_training_beats_most_frequent_label_in_uar(tmp_path):
    """FTR (§2.2.2) on the twin's Ses03-F fold, 30 epochs at lr 0.01: UAR above the majority's on both dimensions."""
    from common.corpora import open_corpus
    from common.metrics import uar
    from reproductions.wieser2018.data import build_samples, ftr_feature_set
    from reproductions.wieser2018.protocol import predict_classes, speaker_folds, train_network

    samples = build_samples(open_corpus("iemocap", None, size="smoke", seed=0), 16000, 8000, ftr_feature_set())
    fold = speaker_folds(samples, 0, 1, tmp_path)[0]
    assert fold.name == "Ses03F"
    net, stats = train_network("FTR", "faithful", samples, fold, {"hidden_units": [32, 16]}, 30, 0,
                               {"learning_rate": 0.01, "epochs": 30})
    predictions = predict_classes(net, "FTR", samples, fold.test, stats)
    margins = []
    for dimension in ("arousal", "valence"):
        y = samples.labels(dimension)[fold.test]
        majority = uar(y, [int(np.bincount(y).argmax())] * len(y))
        margins.append(uar(y, predictions[dimension]) - majority)
    assert min(margins) > 0 and np.mean(margins) > 0.02, margins
