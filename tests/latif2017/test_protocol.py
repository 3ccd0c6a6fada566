"""Latif 2017 protocol on the synthetic IEMOCAP twin: speaker-independent LOSO folds, a short run beats chance,
and run.py end to end (smoke, reduced)."""

import numpy as np
import pandas as pd
import pytest

from common.corpora import open_corpus
from common.metrics import unweighted_accuracy, weighted_accuracy
from common.splits import carve_validation, leave_one_session_out
from reproductions.latif2017.labels import CLASSES, categorical_table
from reproductions.latif2017.run import main
from reproductions.latif2017.segments import corpus_segments
from reproductions.latif2017.training import FoldIndex, TrainConfig, run_unit


@pytest.fixture(scope="module")
def twin():
    corpus = open_corpus("iemocap")
    return corpus, corpus.table.reset_index(drop=True)


def test_loso_folds_share_no_session(twin):
    _, table = twin
    df, _ = categorical_table(table, "Complete Data")
    flat = df.reset_index(drop=True)
    folds = leave_one_session_out(flat)
    assert len(folds) == 5
    session = dict(zip(flat["id"], flat["session"], strict=True))
    for fold in folds:
        fold = carve_validation(fold, flat, frac=0.2, seed=0, by_speaker=True)
        parts = [{session[i] for i in getattr(fold, p)} for p in ("train", "val", "test")]
        assert len(parts[2]) == 1 and not parts[2] & (parts[0] | parts[1])
        speakers = [set(flat.set_index("id").loc[list(getattr(fold, p)), "speaker"]) for p in ("train", "val")]
        assert not speakers[0] & speakers[1]


def test_short_vae_lstm_run_beats_chance(twin):
    corpus, table = twin
    seg = corpus_segments(corpus)
    df, y = categorical_table(table, "Complete Data")
    labels = np.full(len(table), -1)
    labels[df.index.to_numpy()] = y
    flat = df.reset_index(drop=True)
    fold = carve_validation(leave_one_session_out(flat)[0], flat, frac=0.2, seed=0, by_speaker=True)
    pos = pd.Series(np.arange(len(table)), index=table["id"])
    index = FoldIndex(*(pos[list(getattr(fold, p))].to_numpy() for p in ("train", "val", "test")))
    cfg = TrainConfig(ae_epochs=3, lstm_epochs=8, lstm_batch=8, lstm_units=32, dense_units=16)
    out = run_unit("vae", seg, index, {"emotion": labels}, {"emotion": len(CLASSES)}, cfg, seed=0)
    truth, pred = out["true__emotion"], out["pred__faithful__emotion"]
    assert len(truth) == len(index.test)
    majority = np.bincount(truth).max() / len(truth)
    assert unweighted_accuracy(truth, pred) > 0.25 + 0.1
    assert weighted_accuracy(truth, pred) > majority


def test_run_py_smoke_end_to_end(tmp_path):
    argv = ["--out", str(tmp_path), "--epochs", "1", "--set", "ae_epochs=1", "--set", "latent_sizes=[128]",
            "--set", 'subsets=["Improvised"]', "--set", 'models=["cvae"]', "--set", 'dimensional_splits=["speaker"]']
    assert main(argv) == 0
    res = pd.read_csv(tmp_path / "results.csv")
    assert set(res["data"]) == {"synthetic"} and set(res["profile"]) == {"smoke"}
    t1 = res[res["table"] == "Table 1"]
    assert set(t1["row"]) == {"Improvised"} and set(t1["column"]) == {"CVAE-LSTM"}
    assert set(t1["variant"]) == {"faithful", "label-free CVAE (marginalised over c)"}
    assert t1[t1["variant"] == "faithful"]["note"].str.contains("leakage").all()
    t2 = res[res["table"] == "Table 2"]
    assert set(t2["column"]) == {"A", "P", "V", "Mean"}
    assert set(t2["variant"]) == {"speaker-independent 10-fold",
                                  "label-free CVAE (marginalised over c), speaker-independent 10-fold"}
    mean = t2[t2["column"] == "Mean"].set_index("variant")["mean"]
    parts = t2[t2["column"] != "Mean"].groupby("variant")["mean"].mean()
    pd.testing.assert_series_equal(mean.sort_index(), parts.sort_index(), check_names=False)
    assert ((res["mean"] >= 0) & (res["mean"] <= 100)).all()
    assert set(res[res["table"] == "Fig. 2b"]["column"]) == {"latent 128"}
    assert (tmp_path / "latent_sweep.png").stat().st_size > 0
    folds = pd.read_csv(tmp_path / "splits" / "loso-improvised.csv")
    assert set(folds["part"]) == {"train", "val", "test"}
    # a second run with the same arguments reuses every unit and writes the same table
    assert main(argv) == 0
    again = pd.read_csv(tmp_path / "results.csv")
    pd.testing.assert_series_equal(res["mean"], again["mean"])


def test_bad_data_dir_is_a_clear_error(capsys):
    from common.cli import main_guard

    with pytest.raises(SystemExit) as exit_info:
        main_guard(lambda _argv: main(["--data-dir", "/nonexistent"]))
    assert exit_info.value.code == 2
    assert "/nonexistent" in capsys.readouterr().err
