"""End to end: run.py's smoke profile (made tiny), resume, --tune and its --from-tuning handoff, bad --data-dir."""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from common.errors import SereprodError
from common.results import read_results
from reproductions.zhao2019.models import TrainConfig
from reproductions.zhao2019.run import main, train_config
from reproductions.zhao2019.search_space import OPTIMIZERS, PUBLISHED_POINT, ZhaoHyperModel

TINY = ["--profile", "smoke", "--runs", "1", "--epochs", "1", "--set", 'networks=["1d"]',
        "--set", "clip_samples=2048", "--set", "si_folds=1", "--set", 'tune_network="1d"']
RUN = Path(__file__).resolve().parents[2] / "reproductions" / "zhao2019" / "run.py"


def test_smoke_run_writes_synthetic_rows_and_resumes(tmp_path):
    assert main([*TINY, "--out", str(tmp_path)]) == 0
    rows = read_results(tmp_path / "results.csv")
    assert set(rows["data"]) == {"synthetic"} and set(rows["profile"]) == {"smoke"}
    assert set(rows["variant"]) == {"faithful", "clean"}
    t7 = rows[rows["table"] == "Table 7(a)"]
    assert set(t7["row"]) == {"Berlin EmoDB (speaker-dependent)", "Berlin EmoDB (speaker-independent)"}
    assert t7["mean"].between(0, 100).all()
    conf = rows[(rows["table"] == "Table 3") & (rows["metric"] == "confusion") & (rows["variant"] == "clean")]
    assert len(conf) == 49 and conf.groupby("row")["mean"].sum().round(6).isin([0.0, 100.0]).all()
    assert (tmp_path / "splits" / "emodb-synthetic-speaker-independent.csv").is_file()
    assert (tmp_path / "confusion-emodb-synthetic-smoke.png").stat().st_size > 0
    assert "Average accuracy" in (tmp_path / "tables-emodb-synthetic-smoke.md").read_text()
    units = sorted(tmp_path.glob(".ledger/*/*.npz"))
    assert len(units) == 4
    stamps = [u.stat().st_mtime_ns for u in units]
    assert main([*TINY, "--out", str(tmp_path)]) == 0  # same arguments: every unit is read back
    assert [u.stat().st_mtime_ns for u in units] == stamps
    assert read_results(tmp_path / "results.csv")["mean"].tolist() == rows["mean"].tolist()


def test_tune_then_from_tuning(tmp_path):
    assert main([*TINY, "--out", str(tmp_path), "--tune", "--trials", "1", "--search-name", "t"]) == 0
    (trial,) = (tmp_path / "tuning" / "t").glob("trial_*/trial.json")
    chosen = json.loads(trial.read_text())["hyperparameters"]["values"]
    config = train_config(argparse.Namespace(from_tuning="t", out=tmp_path))
    assert config.as_dict() == {k: chosen[k] for k in config.as_dict()}
    assert config.optimizer in OPTIMIZERS and 1e-4 <= config.learning_rate <= 1e-1
    assert train_config(argparse.Namespace(from_tuning=None, out=tmp_path)) == TrainConfig()


def test_published_point_lies_in_the_search_space():
    import numpy as np

    from common.tuning import assert_point_in_space

    x = np.zeros((2, 1024, 1), dtype="float32")
    hypermodel = ZhaoHyperModel("1d", 7, x, np.zeros(2), x, np.zeros(2))
    assert_point_in_space(hypermodel, PUBLISHED_POINT)
    assert PUBLISHED_POINT["optimizer"] in OPTIMIZERS == ["adagrad", "adam", "sgd", "rmsprop"]


def test_bad_data_dir_is_a_clear_error(tmp_path):
    with pytest.raises(SereprodError, match="nonexistent"):
        main(["--data-dir", str(tmp_path / "nonexistent")])
    proc = subprocess.run([sys.executable, str(RUN), "--data-dir", "/nonexistent"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "/nonexistent" in proc.stderr
