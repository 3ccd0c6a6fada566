"""Latif 2017 protocol on the synthetic IEMOCAP twin: session-disjoint folds, what each CVAE is conditioned on,
the corrected variants of Tables 1-2 and Fig. 2, evidence, curves, searches, and a short run that beats chance."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import reproductions.latif2017.protocol as protocol
from common.corpora import open_corpus
from common.engine.unit import Fit, Observer
from common.metrics import unweighted_accuracy, weighted_accuracy
from common.splits import leave_one_session_out
from common.training.curves import read_curves
from reproductions.latif2017.data import Data, session_groups
from reproductions.latif2017.labels import CATEGORY_TO_CLASS, CLASSES, CONDITIONS, OTHER, categorical_table
from reproductions.latif2017.paper import PAPER, PROFILES, LatifSettings
from reproductions.latif2017.protocol import (
    LABEL_FREE,
    SPEAKER_INDEPENDENT,
    TARGETS,
    carve_sessions,
    train_config,
)
from reproductions.latif2017.segments import SegmentSet, corpus_segments
from reproductions.latif2017.training import TrainConfig, run_unit


@pytest.fixture(scope="module")
def twin():
    corpus = open_corpus("iemocap")
    return corpus, corpus.table.reset_index(drop=True)


class FakeSession:
    """What the experiments read of a ``Session``, with every unit computed in place and recorded."""

    def __init__(self, settings: LatifSettings, out: Path, tuned: dict | None = None) -> None:
        self.settings = settings
        self.seed, self.runs, self.epochs, self.verbose = 0, 1, 1, 0
        self.out, self.origin = out, "synthetic"
        self.tuned = tuned or {}
        self.folds: dict[str, list] = {}
        self.checked: list[tuple] = []
        self.keys: list[tuple] = []
        self.figures: list[str] = []
        self.args = SimpleNamespace(strategy="default")

    def unit(self, key, compute, monitor=None, mode="max", store=True):
        """Computed in place; the check of every training of the unit recorded."""
        self.keys.append(key)
        payload = compute(Fit(key))
        if monitor is not None:
            trainings: dict[str, list[str]] = {}
            for name in read_curves(payload):
                training, _, metric = name.rpartition(":")
                trainings.setdefault(training, []).append(metric)
            for training, metrics in sorted(trainings.items()):
                self.checked.append(((*key, training), monitor(training), mode, tuple(sorted(metrics))))
        return payload

    def config(self, target, default):
        return {**default, **self.tuned.get(target, {})}

    def hp_source(self, target=None):
        return f"tuning:fake-{target}" if target in self.tuned else "paper"

    def write_folds(self, folds, name):
        self.folds[name] = folds

    def scope(self):
        return contextlib.nullcontext()

    def save_figure(self, fig, name):
        import matplotlib.pyplot as plt

        plt.close(fig)
        self.figures.append(name)


def settings(**changes) -> LatifSettings:
    changes = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
    return replace(PROFILES["smoke"].settings, **{"folds": 0, **changes})


@pytest.fixture
def calls(monkeypatch):
    """Replace the unit's training by a recorder that predicts the truth (no Keras)."""
    seen = []

    def fake_unit(kind, seg, fold, targets, n_classes, cfg, seed, condition=None, n_conditions=0, marginal=False,
                  groups=None, schedule=None, part=(), scope=None):
        seen.append({"kind": kind, "fold": fold, "targets": dict(targets), "n_classes": dict(n_classes),
                     "condition": None if condition is None else condition.copy(), "n_conditions": n_conditions,
                     "marginal": marginal, "cfg": cfg})
        out = {"groups": np.asarray(groups)[fold.test], "curve:ae:val_reconstruction_mse": np.ones(2, np.float32),
               "curve:lstm-faithful-x:val_loss": np.ones(2, np.float32)}
        for name, y in targets.items():
            out[f"true__{name}"] = y[fold.test]
            for variant in ("faithful", "marginal") if marginal else ("faithful",):
                out[f"pred__{variant}__{name}"] = y[fold.test]
        return out

    monkeypatch.setattr(protocol, "run_unit", fake_unit)
    return seen


def fake_data(table: pd.DataFrame) -> Data:
    seg = SegmentSet(np.zeros((len(table), 800), np.float32), np.arange(len(table) + 1))
    return Data(table, seg, session_groups(table))


def sessions_of(table: pd.DataFrame, idx: np.ndarray) -> set[str]:
    return set(table["session"].astype(str).to_numpy()[idx])


def test_loso_folds_and_their_validation_part_hold_out_whole_sessions(twin):
    _, table = twin
    df, _ = categorical_table(table, "Complete Data")
    flat = df.reset_index(drop=True)
    for fold in leave_one_session_out(flat):
        fold = carve_sessions(fold, flat, frac=0.2, seed=0)
        parts = [sessions_of(flat, getattr(fold.indices(flat), p)) for p in ("train", "val", "test")]
        assert len(parts[2]) == 1 and len(parts[1]) == 1  # one test session, one validation session (of 4)
        assert not parts[0] & parts[1] and not parts[2] & (parts[0] | parts[1])


def test_table2_cvae_is_conditioned_on_the_categorical_emotion_not_on_the_dimension_bins(twin, calls, tmp_path):
    _, table = twin
    session = FakeSession(settings(models=["cvae"], dimensional_splits=["random"]), tmp_path)
    rows = list(protocol.table2(session, fake_data(table)))
    assert len(calls) == 10  # 10 random folds, one CVAE per fold for all three dimensions
    for call in calls:
        assert set(call["targets"]) == {"A", "P", "V"} and call["n_conditions"] == len(CONDITIONS) == 5
        expected = table["category"].map(CATEGORY_TO_CLASS).fillna(OTHER).to_numpy()
        np.testing.assert_array_equal(call["condition"], expected)  # 4 classes of §4.1, everything else "other"
        assert call["marginal"]
    assert {c for c in table["category"] if c not in CATEGORY_TO_CLASS} and (calls[0]["condition"] == OTHER).any()
    variants = {r.variant for r in rows}
    assert variants == {"faithful", LABEL_FREE}
    assert all("leakage" in r.note for r in rows if r.variant == "faithful")


def test_table1_cvae_is_conditioned_on_the_four_classes(twin, calls, tmp_path):
    _, table = twin
    session = FakeSession(settings(models=["cvae"], subsets=["Improvised"]), tmp_path)
    list(protocol.table1(session, fake_data(table)))
    df, y = categorical_table(table, "Improvised")
    for call in calls:
        assert call["n_conditions"] == len(CLASSES)
        np.testing.assert_array_equal(call["condition"][df.index.to_numpy()], y)


def test_speaker_independent_table2_holds_out_whole_sessions(twin, calls, tmp_path):
    _, table = twin
    session = FakeSession(settings(models=["vae"], dimensional_splits=["session"]), tmp_path)
    rows = list(protocol.table2(session, fake_data(table)))
    assert len(calls) == 5  # leave-one-session-out: IEMOCAP partners share a session
    held = set()
    for call in calls:
        fold = call["fold"]
        test, val, train = (sessions_of(table, getattr(fold, p)) for p in ("test", "val", "train"))
        assert len(test) == 1 and len(val) >= 1 and not test & (train | val) and not val & train
        held |= test
    assert held == set(table["session"].astype(str))
    assert {r.variant for r in rows} == {SPEAKER_INDEPENDENT}
    assert {r.split for r in rows} == {"leave-one-session-out (5 folds)"}
    assert [f.name for f in session.folds["dimensional-loso.csv"]] == [f"session{s}" for s in range(1, 6)]


def test_fig2_has_the_corrected_variants_of_tables_1_and_2(twin, calls, tmp_path):
    _, table = twin
    session = FakeSession(settings(folds=1, models=["vae", "cvae"], latent_sizes=[32],
                                   dimensional_splits=["random", "session"]), tmp_path)
    rows = list(protocol.fig2(session, fake_data(table)))
    fig2a = {(r.row, r.variant) for r in rows if r.table == "Fig. 2a"}
    fig2b = {(r.row, r.variant) for r in rows if r.table == "Fig. 2b"}
    assert fig2a == {("VAE-LSTM", "faithful"), ("CVAE-LSTM", "faithful"), ("CVAE-LSTM", LABEL_FREE)}
    assert fig2b == {("VAE-LSTM", "faithful"), ("CVAE-LSTM", "faithful"), ("CVAE-LSTM", LABEL_FREE),
                     ("VAE-LSTM", SPEAKER_INDEPENDENT), ("CVAE-LSTM", SPEAKER_INDEPENDENT),
                     ("CVAE-LSTM", f"{LABEL_FREE}, {SPEAKER_INDEPENDENT}")}
    assert {c["cfg"].latent_dim for c in calls} == {32}
    sweep = pd.read_csv(tmp_path / "latent_sweep.csv")
    assert set(sweep["variant"]) == {v for _, v in fig2b} and session.figures == ["latent_sweep.png"]


def test_rows_carry_session_grouped_evidence_and_every_training_is_checked(twin, calls, tmp_path):
    _, table = twin
    session = FakeSession(settings(models=["ae"], subsets=["Scripted"]), tmp_path)
    rows = list(protocol.table1(session, fake_data(table)))
    df, y = categorical_table(table, "Scripted")
    for r in rows:
        ev = r.evidence
        assert ev.metric == {"WA": "accuracy", "UA": "ua"}[r.metric] and ev.scale == 100
        assert len(ev.y_true) == 1 and len(ev.y_true[0]) == len(df)  # every utterance tested once over 5 folds
        assert sorted(set(ev.groups[0])) == sorted(set(df["session"].astype(str)))
        np.testing.assert_array_equal(np.sort(ev.y_true[0]), np.sort(y))
    assert {(u[-1], m) for u, m, _, _ in session.checked} == {("ae", "val_reconstruction_mse"),
                                                              ("lstm-faithful-x", "val_loss")}


def test_a_tuned_lstm_size_applies_to_its_own_network_only(twin, tmp_path):
    session = FakeSession(settings(), tmp_path, tuned={TARGETS["vae"]: {"lstm_units": 256}})
    assert train_config(session, "vae").lstm_units == 256
    assert train_config(session, "cvae").lstm_units == train_config(session, "ae").lstm_units == 32
    assert set(PAPER.searches) == {"ae-lstm", "vae-lstm", "cvae-lstm"}
    assert all(s.target == t and "paper" in s.in_profile for t, s in PAPER.searches.items())


def test_short_vae_lstm_run_beats_chance_and_keeps_its_curves(twin):
    corpus, table = twin
    seg = corpus_segments(corpus)
    df, y = categorical_table(table, "Complete Data")
    labels = np.full(len(table), -1)
    labels[df.index.to_numpy()] = y
    fold = carve_sessions(leave_one_session_out(df.reset_index(drop=True))[0], df.reset_index(drop=True))
    index = fold.indices(table)
    cfg = TrainConfig(ae_epochs=3, lstm_epochs=8, lstm_batch=8, lstm_units=32)
    out = run_unit("vae", seg, index, {"emotion": labels}, {"emotion": len(CLASSES)}, cfg, seed=0,
                   groups=session_groups(table))
    truth, pred = out["true__emotion"], out["pred__faithful__emotion"]
    assert len(truth) == len(index.test) == len(out["groups"]) and set(out["groups"]) == {"1"}
    majority = np.bincount(truth).max() / len(truth)
    assert unweighted_accuracy(truth, pred) > 0.25 + 0.1
    assert weighted_accuracy(truth, pred) > majority
    assert 1 <= len(out["curve:ae:loss"]) <= 3 and len(out["curve:ae:val_reconstruction_mse"]) == len(
        out["curve:ae:loss"])
    assert 1 <= len(out["curve:lstm-faithful-emotion:val_loss"]) <= 8


def test_every_fit_of_a_unit_goes_through_the_units_schedule(twin):
    corpus, table = twin
    seg = corpus_segments(corpus)
    df, y = categorical_table(table, "Scripted")
    labels = np.full(len(table), -1)
    labels[df.index.to_numpy()] = y
    flat = df.reset_index(drop=True)
    index = carve_sessions(leave_one_session_out(flat)[0], flat).indices(table)
    asked = []

    class Shortening(Observer):  # what a cost measurement may do: a few steps of one epoch
        def fit(self, key, epochs, steps_per_epoch):
            asked.append((key, epochs, steps_per_epoch))
            return {"epochs": 1, "steps_per_epoch": 1}, []

    cfg = TrainConfig(ae_epochs=7, lstm_epochs=9, ae_batch=64, lstm_batch=4, lstm_units=8)
    out = run_unit("cvae", seg, index, {"emotion": labels}, {"emotion": len(CLASSES)}, cfg, seed=0,
                   condition=labels, n_conditions=len(CLASSES), marginal=True,
                   schedule=Fit(("u",), [Shortening()]).schedule)
    n_train_segments = len(seg.rows(index.train))
    assert asked == [(("u", "ae"), 7, -(-n_train_segments // 64)),
                     (("u", "lstm", "faithful", "emotion"), 9, -(-len(index.train) // 4)),
                     (("u", "lstm", "marginal", "emotion"), 9, -(-len(index.train) // 4))]
    assert len(out["curve:ae:loss"]) == 1 and len(out["curve:lstm-marginal-emotion:val_loss"]) == 1


def test_unit_keys_name_the_lstm_size_so_a_searched_size_never_reuses_a_default_unit(twin, calls, tmp_path):
    _, table = twin
    session = FakeSession(settings(folds=1, models=["ae", "vae"], subsets=["Improvised"]), tmp_path,
                          tuned={TARGETS["vae"]: {"lstm_units": 256}})
    list(protocol.table1(session, fake_data(table)))
    assert session.keys == [("categorical", "Improvised", "z128", "lstm32", "ae", "session1", "run0"),
                                          ("categorical", "Improvised", "z128", "lstm256", "vae", "session1", "run0")]
