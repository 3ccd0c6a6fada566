"""Paired comparison of two prediction files over speakers: planted differences found, bad files exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from common.compare_predictions import compare, main, pair, read_predictions
from common.metrics import ccc, unweighted_accuracy
from reproductions.__main__ import main as sereprod

N_SPEAKERS, PER_SPEAKER = 8, 30


def _classes(tmp_path: Path, name: str, hit_rate: float, seed: int) -> Path:
    """Planted predictions: each utterance right with probability ``hit_rate``, else the next class."""
    rng = np.random.default_rng(seed)
    truth = np.tile(np.arange(3), N_SPEAKERS * PER_SPEAKER // 3)
    hit = rng.random(len(truth)) < hit_rate
    table = pd.DataFrame({"id": [f"u{i}" for i in range(len(truth))],
                          "speaker": np.repeat([f"s{k}" for k in range(N_SPEAKERS)], PER_SPEAKER),
                          "label": truth, "prediction": np.where(hit, truth, (truth + 1) % 3), "fold": 1})
    path = tmp_path / f"{name}.csv"
    table.sample(frac=1, random_state=seed % 7).to_csv(path, index=False)   # row order must not matter
    return path


def test_planted_accuracy_gain_is_found_with_an_interval_above_zero(tmp_path, capsys):
    a, b = _classes(tmp_path, "a", 0.4, 1), _classes(tmp_path, "b", 0.9, 2)
    assert main([str(a), str(b), "--resamples", "500"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.split()[0] in ("accuracy", "ua")}
    assert set(rows) == {"accuracy", "ua"}
    diff, low, high = float(rows["accuracy"][3]), float(rows["accuracy"][4][1:-1]), float(rows["accuracy"][5][:-1])
    assert 0.35 < diff < 0.65 and 0 < low < diff < high
    assert "240 utterances of 8 speakers, paired by id" in out


def test_identical_files_differ_by_zero_and_point_values_are_the_suite_metrics(tmp_path):
    a = _classes(tmp_path, "a", 0.6, 3)
    both = pair(read_predictions(a), read_predictions(a), "a", "a")
    same = compare(both, "ua", n_resamples=200)
    assert same.difference == 0 and same.low == same.high == 0
    truth = both["label"].astype(str).to_numpy()
    assert same.a == pytest.approx(unweighted_accuracy(truth, both["pred_a"].astype(str).to_numpy()))


def test_continuous_labels_are_scored_by_ccc(tmp_path, capsys):
    rng = np.random.default_rng(0)
    y = rng.normal(size=N_SPEAKERS * PER_SPEAKER)
    base = {"id": [f"u{i}" for i in range(len(y))], "speaker": np.repeat(np.arange(N_SPEAKERS), PER_SPEAKER),
            "label": y}
    noisy, close = y + rng.normal(scale=2.0, size=len(y)), y + rng.normal(scale=0.2, size=len(y))
    pd.DataFrame({**base, "prediction": noisy}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({**base, "y_pred": close}).to_csv(tmp_path / "b.csv", index=False)
    assert main([str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--resamples", "300"]) == 0
    row = next(line.split() for line in capsys.readouterr().out.splitlines() if line.startswith("ccc"))
    assert float(row[1]) == pytest.approx(ccc(y, noisy), abs=1e-4) and float(row[2]) == pytest.approx(ccc(y, close),
                                                                                                    abs=1e-4)
    assert float(row[4][1:-1]) > 0


def test_bad_files_exit_2_naming_the_file(tmp_path, capsys):
    a = _classes(tmp_path, "a", 0.5, 1)
    pd.read_csv(a).drop(columns="speaker").to_csv(tmp_path / "nospk.csv", index=False)
    assert main([str(a), str(tmp_path / "nospk.csv")]) == 2
    assert f"{tmp_path / 'nospk.csv'}: no 'speaker' column" in capsys.readouterr().err
    pd.read_csv(a).iloc[:-1].to_csv(tmp_path / "short.csv", index=False)
    assert main([str(a), str(tmp_path / "short.csv")]) == 2
    assert "hold different utterances: 1 ids in one only" in capsys.readouterr().err
    relabelled = pd.read_csv(a)
    relabelled.loc[0, "label"] = (relabelled.loc[0, "label"] + 1) % 3
    relabelled.to_csv(tmp_path / "relabelled.csv", index=False)
    assert main([str(a), str(tmp_path / "relabelled.csv")]) == 2
    assert "disagree on the label of 1 utterances" in capsys.readouterr().err
    assert main([str(a), str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv: cannot read a CSV" in capsys.readouterr().err


def test_sereprod_compare_predictions_and_no_tensorflow(tmp_path):
    a, b = _classes(tmp_path, "a", 0.5, 1), _classes(tmp_path, "b", 0.7, 2)
    assert sereprod(["compare-predictions", str(a), str(b), "--resamples", "100"]) == 0
    probe = ("import runpy, sys\nsys.argv = ['compare', *sys.argv[1:]]\n"
             "try:\n    runpy.run_module('common.compare_predictions', run_name='__main__')\n"
             "except SystemExit as e:\n    code = e.code\n"
             "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'tensorflow', 'jax', 'keras'}))\n")
    done = subprocess.run([sys.executable, "-c", probe, str(a), str(b), "--resamples", "100"], capture_output=True,
                          text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip().splitlines()[-1] == "0 []"
