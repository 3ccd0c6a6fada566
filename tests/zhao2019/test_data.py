"""§3.5 utterance selection (IEMOCAP prototypical improvised set) and the network inputs."""

import numpy as np
import pytest

from common.audio import load_audio
from common.cache import FeatureCache
from reproductions.zhao2019.data import (
    EMODB_CLASSES,
    IEMOCAP_CLASSES,
    Selection,
    is_prototypical,
    network_inputs,
    select_utterances,
    vote_code,
)
from reproductions.zhao2019.paper import ZhaoSettings


def test_vote_codes_of_iemocap_category_names():
    names = ["Neutral state", "Frustration", "Anger", "Happiness", "Excited", "Sadness", "Surprise", "Other"]
    assert [vote_code(n) for n in names] == ["neu", "fru", "ang", "hap", "exc", "sad", "sur", "oth"]


@pytest.mark.parametrize("votes,consensus,expected", [
    ({"E1": ["Anger"], "E2": ["Anger"], "E3": ["Anger"]}, "ang", True),
    ({"E1": ["Anger"], "E2": ["Anger"], "E3": ["Frustration"]}, "ang", False),  # majority only
    ({"E1": ["Anger", "Frustration"], "E2": ["Anger"], "E3": ["Anger"]}, "ang", False),  # a double vote
    ({"E1": ["Sadness"], "E2": ["Sadness"], "F1": ["Neutral state"]}, "sad", True),  # self-assessment ignored
    ({"E1": ["Sadness"], "F1": ["Sadness"]}, "sad", False),  # one external vote agrees with nothing
    ({"E1": ["Excited"], "E2": ["Excited"]}, "hap", False),  # votes disagree with the consensus code
])
def test_prototypical_means_every_external_evaluator_agrees(votes, consensus, expected):
    assert is_prototypical(votes, consensus) is expected


def test_iemocap_selection_is_improvised_prototypical_six_classes(iemocap_twin):
    sel = select_utterances(iemocap_twin)
    t = sel.table
    assert len(t) > 0 and set(t["mode"]) == {"improvised"}
    assert set(t["label"]) <= set(IEMOCAP_CLASSES) and sel.abbreviations == tuple(IEMOCAP_CLASSES.values())
    for votes, label in zip(t["cat_votes"], t["label"], strict=True):
        external = [v for e, v in votes.items() if e.startswith("E")]
        assert len(external) >= 2 and all(v == [external[0][0]] and vote_code(v[0]) == label for v in external)
    # Everything left out is scripted, another class, or short of unanimity.
    full = iemocap_twin.table
    rest = full[~full["id"].isin(t["id"])]
    kept_anyway = rest[(rest["mode"] == "improvised") & rest["label"].isin(list(IEMOCAP_CLASSES))]
    assert not any(is_prototypical(v, c) for v, c in zip(kept_anyway["cat_votes"], kept_anyway["label"],
                                                           strict=True))
    assert np.array_equal(sel.y, [sel.classes.index(c) for c in t["label"]])


def test_emodb_keeps_every_utterance_in_table3_order(emodb_twin):
    sel = select_utterances(emodb_twin)
    assert len(sel.table) == len(emodb_twin.table)
    assert sel.abbreviations == ("Ang", "Bor", "Dis", "Fea", "Hap", "Neu", "Sad")
    assert sel.classes == tuple(EMODB_CLASSES)


def test_inputs_are_padded_clips_and_log_mel_grids(emodb_twin, tmp_path):
    full = select_utterances(emodb_twin)
    few = full.table.sort_values("duration").index[[0, 1, -1]]  # two short clips and the longest
    sel = Selection(full.table.loc[few].reset_index(drop=True), full.classes, full.abbreviations, full.y[few])
    cache = FeatureCache(tmp_path)
    audio = network_inputs(sel, "audio", ZhaoSettings(clip_samples=128000), cache)
    assert audio.shape == (len(sel.table), 128000)
    waves = [load_audio(p) for p in sel.table["path"]]
    for clip, wave in zip(audio, waves, strict=True):  # the twin's clips are all shorter than 8 s
        assert np.array_equal(clip[:len(wave)], wave) and not clip[len(wave):].any()  # zero-padded (§3.5)
    cut = network_inputs(sel, "audio", ZhaoSettings(clip_samples=8000), cache)
    assert all(np.array_equal(clip, wave[:8000]) for clip, wave in zip(cut, waves, strict=True))  # cut
    logmel = network_inputs(sel, "logmel", ZhaoSettings(clip_samples=128000, n_fft=2048, hop_length=512, n_mels=128),
                            cache)
    assert logmel.shape == (len(sel.table), 128, 251)  # §3.5: 128 x 251
    assert np.isfinite(logmel).all()
