"""§4.1–§4.2 protocols: random 80/20, five disjoint speaker pairs, and the faithful vs clean validation sets."""

import numpy as np
import pytest

from common.splits import assert_speaker_disjoint
from reproductions.zhao2019.data import select_utterances
from reproductions.zhao2019.protocol import protocol_folds, protocol_units


@pytest.fixture(scope="module")
def emodb(emodb_twin):
    return select_utterances(emodb_twin).table


@pytest.fixture(scope="module")
def iemocap(iemocap_twin):
    return select_utterances(iemocap_twin).table


def _speakers(table, idx):
    return set(table["speaker"].iloc[idx])


def test_speaker_independent_folds_are_five_disjoint_pairs(emodb):
    folds = protocol_folds(emodb, "emodb", "speaker-independent", seed=0, runs=3)
    assert len(folds) == 5
    test_speakers = [set(emodb.set_index("id").loc[f.test, "speaker"]) for f in folds]
    assert all(len(s) == 2 for s in test_speakers)
    assert set().union(*test_speakers) == set(emodb["speaker"]) and sum(map(len, test_speakers)) == 10


def test_iemocap_pairs_are_its_sessions(iemocap):
    folds = protocol_folds(iemocap, "iemocap", "speaker-independent", seed=0, runs=1)
    for fold in folds:
        assert len(set(iemocap.set_index("id").loc[fold.test, "session"])) == 1


def test_clean_speaker_independent_split_shares_no_speaker(emodb):
    folds = protocol_folds(emodb, "emodb", "speaker-independent", seed=0, runs=2)
    units = protocol_units(emodb, "emodb", folds, "speaker-independent", "clean", seed=0, runs=2)
    assert len(units) == 10
    for u in units:
        assert_speaker_disjoint(u.fold, emodb)
        train, val, test = (_speakers(emodb, i) for i in (u.train, u.val, u.test))
        assert len(val) == 1 and len(test) == 2 and len(train) == 7  # one validation speaker of the 8
        assert not (train & val or train & test or val & test)
        assert len(u.train) + len(u.val) + len(u.test) == len(emodb)
        assert np.array_equal(u.evaluated, u.test)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_iemocap_clean_validation_is_whole_sessions_absent_from_training(iemocap, seed):
    """A validation speaker's dialogue partner (same session) must not stay in training (crosstalk)."""
    folds = protocol_folds(iemocap, "iemocap", "speaker-independent", seed=seed, runs=1)
    for u in protocol_units(iemocap, "iemocap", folds, "speaker-independent", "clean", seed=seed, runs=1):
        session = iemocap["session"].astype(str).to_numpy()
        val_sessions = set(session[u.val])
        assert len(val_sessions) == 1
        assert not val_sessions & set(session[u.train]) and not val_sessions & set(session[u.test])
        whole = iemocap[iemocap["session"].astype(str).isin(val_sessions)]
        assert sorted(iemocap["id"].iloc[u.val]) == sorted(whole["id"])  # both partners, every utterance
        assert len(set(iemocap["speaker"].iloc[u.val])) == len(set(whole["speaker"]))


def test_faithful_mode_validates_on_test_and_evaluates_everything(emodb):
    folds = protocol_folds(emodb, "emodb", "speaker-dependent", seed=0, runs=2)
    units = protocol_units(emodb, "emodb", folds, "speaker-dependent", "faithful", seed=0, runs=2)
    assert [u.run for u in units] == [0, 1] and units[0].fold.test != units[1].fold.test  # a new split per run
    for u in units:
        assert np.array_equal(u.val, u.test)
        assert len(u.test) == round(0.2 * len(emodb))  # §4.1: 80/20
        assert np.array_equal(u.evaluated, np.arange(len(emodb)))


def test_clean_speaker_dependent_carves_validation_from_training(emodb):
    folds = protocol_folds(emodb, "emodb", "speaker-dependent", seed=0, runs=1)
    (u,) = protocol_units(emodb, "emodb", folds, "speaker-dependent", "clean", seed=0, runs=1)
    assert not set(u.val) & set(u.test) and not set(u.val) & set(u.train)
    faithful = protocol_units(emodb, "emodb", folds, "speaker-dependent", "faithful", 0, 1)[0]
    assert np.array_equal(u.test, faithful.test)
