"""Splits: no speaker overlap, fold counts and sizes, determinism under a seed, CSV round trip."""

from __future__ import annotations

import pandas as pd
import pytest

from common.splits import (
    Fold,
    SpeakerLeakError,
    assert_speaker_disjoint,
    carve_validation,
    leave_one_session_out,
    leave_one_speaker_out,
    random_kfold,
    random_split,
    read_folds,
    speaker_kfold,
    speaker_pairs_holdout,
    subject_tvt,
    write_folds,
)


@pytest.fixture
def table() -> pd.DataFrame:
    """10 speakers in 5 sessions, 12 utterances each, 4 balanced labels."""
    rows = [dict(id=f"s{s}{g}_{i:02d}", speaker=f"Ses0{s}{g}", session=s, label="abcd"[i % 4])
            for s in range(1, 6) for g in "FM" for i in range(12)]
    return pd.DataFrame(rows)


def _covers_once(folds, df):
    tested = [i for f in folds for i in f.test]
    assert sorted(tested) == sorted(df["id"])


def _check_partition(fold, df):
    ids = fold.train + fold.val + fold.test
    assert len(ids) == len(set(ids)) == len(df)


def test_leave_one_session_out(table):
    folds = leave_one_session_out(table)
    assert [f.name for f in folds] == [f"session{s}" for s in range(1, 6)]
    assert all(len(f.test) == 24 and len(f.train) == 96 for f in folds)
    _covers_once(folds, table)


def test_leave_one_speaker_out(table):
    folds = leave_one_speaker_out(table)
    assert len(folds) == 10 and folds[0].name == "Ses01F" and all(len(f.test) == 12 for f in folds)
    _covers_once(folds, table)


def test_speaker_kfold(table):
    folds = speaker_kfold(table, 5, seed=3)
    assert len(folds) == 5 and all(len(f.test) == 24 for f in folds)
    _covers_once(folds, table)
    assert [f.test for f in folds] == [f.test for f in speaker_kfold(table, 5, seed=3)]
    assert len(speaker_kfold(table, 10, seed=0)) == 10


def test_subject_tvt(table):
    fold = subject_tvt(table, seed=1)
    spk = table.set_index("id")["speaker"]
    assert [spk[p].nunique() for p in (fold.train, fold.val, fold.test)] == [7, 1, 2]
    _check_partition(fold, table)
    assert subject_tvt(table, seed=1) == fold
    assert any(subject_tvt(table, seed=s).test != fold.test for s in range(2, 6))


def test_speaker_pairs_holdout(table):
    folds = speaker_pairs_holdout(table, n_test=2, seed=0)
    spk = table.set_index("id")["speaker"]
    assert len(folds) == 5 and all(spk[f.test].nunique() == 2 and spk[f.train].nunique() == 8 for f in folds)
    _covers_once(folds, table)
    assert folds == speaker_pairs_holdout(table, n_test=2, seed=0)


def test_random_split_is_stratified_and_seeded(table):
    fold = random_split(table, test_frac=0.2, seed=7)
    _check_partition(fold, table)
    assert len(fold.test) == 24 and table.set_index("id").loc[fold.test, "label"].value_counts().tolist() == [6] * 4
    assert random_split(table, 0.2, seed=7) == fold and random_split(table, 0.2, seed=8) != fold
    assert len(random_split(table, test_frac=0.1, seed=0).test) == 12  # Latif's 90/10


def test_random_kfold(table):
    folds = random_kfold(table, k=10, seed=0)
    assert len(folds) == 10 and all(len(f.test) == 12 and len(f.train) == 108 for f in folds)
    _covers_once(folds, table)
    assert folds == random_kfold(table, k=10, seed=0)


def test_carve_validation(table):
    base = leave_one_session_out(table)[0]
    fold = carve_validation(base, table, frac=0.25, seed=0, by_speaker=True)
    spk = table.set_index("id")["speaker"]
    assert spk[fold.val].nunique() == 2 and fold.test == base.test
    _check_partition(fold, table)
    assert_speaker_disjoint(fold, table)
    plain = carve_validation(random_split(table, 0.2, 0), table, frac=0.25, seed=0)
    assert len(plain.val) == 24 and plain == carve_validation(random_split(table, 0.2, 0), table, frac=0.25, seed=0)


def test_leak_is_caught(table):
    leak = Fold("bad", train=["s1F_00", "s1F_01"], test=["s1F_02"])
    with pytest.raises(SpeakerLeakError, match="Ses01F"):
        assert_speaker_disjoint(leak, table)


def test_write_and_read_folds(tmp_path, table):
    folds = [carve_validation(f, table, 0.25, 0, True) for f in leave_one_session_out(table)]
    path = write_folds(folds, tmp_path / "results" / "paper" / "splits" / "loso.csv")
    back = pd.read_csv(path)
    assert list(back.columns) == ["fold", "part", "id"] and len(back) == 5 * len(table)
    assert read_folds(path) == folds


def test_splits_of_a_filtered_subset_keep_its_own_ids(table):
    """A filtered table keeps its old index labels; folds must still pick rows by position."""
    subset = table[table["label"] != "a"]  # index 1, 2, 3, 5, ... (not a RangeIndex)
    for folds in (leave_one_session_out(subset), random_kfold(subset, k=3, seed=0), [random_split(subset, seed=0)],
                  [subject_tvt(subset, seed=0)]):
        for fold in folds:
            _check_partition(fold, subset)
            assert set(fold.train + fold.val + fold.test) <= set(subset["id"])


def test_carve_validation_by_session_keeps_partners_together(iemocap_twin):
    from common.splits import carve_validation, leave_one_session_out

    df = iemocap_twin.table
    fold = carve_validation(leave_one_session_out(df)[0], df, frac=0.25, seed=3, by="session")
    by_id = df.set_index("id")
    val_sessions = set(by_id.loc[fold.val, "session"])
    assert val_sessions and not val_sessions & set(by_id.loc[fold.train, "session"])
    assert set(by_id.loc[fold.val, "speaker"]) == set(df[df["session"].isin(val_sessions)]["speaker"])
