"""run.py end to end on the synthetic twin (smoke, shrunk), and the clear error for a missing --data-dir."""

import subprocess
import sys
from pathlib import Path

import pandas as pd

RUN = Path(__file__).resolve().parents[2] / "reproductions" / "wieser2018" / "run.py"


def test_smoke_run_writes_synthetic_rows_and_beats_majority(tmp_path):
    from reproductions.wieser2018.run import main

    argv = ["--profile", "smoke", "--out", str(tmp_path), "--epochs", "2", "--set", "folds=1",
            "--set", "joint_variant=[]", "--set", "saliency_samples=2", "--set", "am_steps=3"]
    assert main(argv) == 0
    res = pd.read_csv(tmp_path / "results.csv")
    assert set(res["data"]) == {"synthetic"} and set(res["profile"]) == {"smoke"}
    t5 = res[res["table"] == "Table 5"]
    assert {"ELoR net", "LoM net", "FTR net", "ELoR + FTR net", "Random guessing",
            "Most frequent label"} <= set(t5["row"])
    uar = t5[(t5["metric"] == "UAR") & (t5["variant"] == "faithful")].set_index(["row", "column"])["mean"]
    # arousal, the dimension the paper (and the twin) encodes most clearly in the signal (§4.1)
    assert uar[("ELoR net", "Arousal")] > uar[("Most frequent label", "Arousal")]
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
