"""Synthetic twins: CLI, determinism, atomic generation, open_corpus reuse, and labels carried by the audio."""

from __future__ import annotations

import filecmp

import numpy as np
import pytest
from scipy.signal import stft
from sklearn.linear_model import RidgeClassifier
from sklearn.model_selection import LeaveOneGroupOut, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import common.synth as synth
from common.audio import load_audio
from common.corpora import open_corpus
from common.errors import ConfigError
from common.synth.__main__ import main

EDGES = np.geomspace(60, 7900, 25)


def _log_band_stats(path: str) -> np.ndarray:
    """Mean and std over time of log energies in 24 log-spaced bands: a crude log-mel summary."""
    f, _, z = stft(load_audio(path), fs=16000, nperseg=400, noverlap=240)
    p = np.abs(z) ** 2
    edges = zip(EDGES[:-1], EDGES[1:], strict=True)
    bands = np.log(np.stack([p[(f >= lo) & (f < hi)].sum(0) for lo, hi in edges]) + 1e-10)
    return np.concatenate([bands.mean(1), bands.std(1)])


def _loso_accuracy(df) -> float:
    x = np.stack([_log_band_stats(p) for p in df["path"]])
    clf = make_pipeline(StandardScaler(), RidgeClassifier(alpha=10.0))
    y, g = df["label"].to_numpy(dtype=str), df["speaker"].to_numpy(dtype=str)
    return float(cross_val_score(clf, x, y, groups=g, cv=LeaveOneGroupOut()).mean())


def test_emodb_twin_beats_chance_speaker_independently(emodb_twin):
    assert _loso_accuracy(emodb_twin.table) > 3 * (1 / 7)


def test_iemocap_twin_beats_chance_speaker_independently(iemocap_twin):
    df = iemocap_twin.table
    df = df[df["label"].isin(["neu", "hap", "exc", "sad", "ang"])].replace({"label": {"exc": "hap"}})
    assert _loso_accuracy(df) > 2 * (1 / 4)


def test_emotion_drives_energy(emodb_twin):
    df = emodb_twin.table
    rms = {lab: np.mean([np.sqrt(np.mean(load_audio(p) ** 2)) for p in g["path"][:6]])
           for lab, g in df.groupby("label")}
    assert rms["anger"] > 2 * rms["sadness"] and rms["anger"] > rms["neutral"] > rms["boredom"]


def test_cli_is_deterministic_under_a_seed(tmp_path, capsys):
    assert main(["musan", str(tmp_path / "a"), "--seed", "4"]) == 0
    assert main(["musan", str(tmp_path / "b"), "--seed", "4", "--size", "smoke"]) == 0
    assert "wrote the smoke musan twin" in capsys.readouterr().out
    sub = "musan/noise/free-sound"
    cmp = filecmp.dircmp(tmp_path / "a" / sub, tmp_path / "b" / sub)
    assert cmp.left_list and not cmp.diff_files
    assert main(["musan", str(tmp_path / "a")]) == 2  # not empty: refused
    main(["musan", str(tmp_path / "c"), "--seed", "5"])
    f = "musan/noise/free-sound/noise-free-sound-0000.wav"
    assert (tmp_path / "a" / f).read_bytes() != (tmp_path / "c" / f).read_bytes()


def test_generate_is_atomic(tmp_path, monkeypatch):
    def explode(out, rng, size, difficulty):
        (out / "half").write_text("x")
        raise RuntimeError("interrupted")

    monkeypatch.setitem(synth.WRITERS, "musan", explode)
    with pytest.raises(RuntimeError):
        synth.generate("musan", tmp_path / "twin")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ConfigError, match="unknown twin size"):
        synth.generate("musan", tmp_path / "twin", size="huge")


def test_open_corpus_generates_once_then_reuses(tmp_path, monkeypatch):
    monkeypatch.setenv("SEREPROD_CACHE", str(tmp_path))
    first = open_corpus("musan", seed=2)
    assert first.data == "synthetic" and first.root == tmp_path / "synth" / "musan-smoke-s2"
    stamp = {p: p.stat().st_mtime_ns for p in first.root.rglob("*.wav")}
    calls = []
    monkeypatch.setattr(synth, "generate", lambda *a, **k: calls.append(a))
    second = open_corpus("musan", seed=2)
    assert calls == [] and second.table["id"].tolist() == first.table["id"].tolist()
    assert stamp == {p: p.stat().st_mtime_ns for p in second.root.rglob("*.wav")}
    given = open_corpus("musan", data_dir=first.root)  # a twin stays synthetic when given as --data-dir
    assert given.data == "synthetic" and len(given.table) == len(first.table)
    with pytest.raises(ConfigError, match="unknown corpus"):
        open_corpus("timit")


def test_difficulty_makes_the_twin_harder_but_not_hopeless(tmp_path):
    clean = synth.generate("emodb", tmp_path / "clean", seed=0, size="smoke", difficulty=0.0)
    hard = synth.generate("emodb", tmp_path / "hard", seed=0, size="smoke", difficulty=0.5)
    from common.corpora import read_emodb

    easy_acc, hard_acc = _loso_accuracy(read_emodb(clean)), _loso_accuracy(read_emodb(hard))
    assert hard_acc < easy_acc - 0.1 and hard_acc > 1.5 * (1 / 7), (easy_acc, hard_acc)
    with pytest.raises(ConfigError, match="difficulty"):
        synth.generate("emodb", tmp_path / "bad", size="smoke", difficulty=2.0)


def test_full_size_twins_have_the_real_counts_and_a_printed_disk_size() -> None:
    from common.synth import emodb, enterface, iemocap, musan, recola

    assert sum(sum(t) for t in iemocap._turns("full")) == 10039
    assert len(iemocap._dialogs(1, "full")) == 30
    assert sum(sum(c) for c in emodb._counts("full").values()) == 535
    subjects, sentences = enterface.SUBJECTS["full"]
    assert len(subjects) * 6 * sentences - (sentences - enterface.SHORT_COUNT) == 1257
    assert recola.FILES["full"] == (9, 300.0) and sum(musan.CLIPS["full"]) == 930
    assert 10 < iemocap.expected_seconds("full") / 3600 < 14
    assert 1.0e9 < synth.estimated_bytes("iemocap", "full") < 1.8e9
