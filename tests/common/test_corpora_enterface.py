"""eNTERFACE'05 reader: .avi audio via PyAV, irregular subjects, .wav preferred, bad input."""

from __future__ import annotations

import pytest

from common.audio import load_audio
from common.corpora import read_enterface
from common.errors import CorpusLayoutError
from common.synth.enterface import write_avi


def test_twin_decodes_avi_and_reports_irregular_subjects(enterface_twin):
    df = enterface_twin.table
    rep = df.attrs["report"]
    assert set(df["label"]) == {"anger", "disgust", "fear", "happiness", "sadness", "surprise"}
    assert df["speaker"].nunique() == 8 and set(df["source"]) == {"avi"} and set(df["sample_rate"]) == {48000}
    assert len(df) == 8 * 6 * 3 - 1 and rep.n_dropped == 0
    flat = df[df["subject"] == 6]
    assert len(flat) == 18 and flat["sentence"].notna().all()
    assert any("no 'sentence N' level" in k for k in rep.notes)
    assert rep.notes[next(k for k in rep.notes if "irregular" in k)] == ["subject 23/happiness: 2"]
    x = load_audio(df["path"].iloc[0])
    assert len(x) == pytest.approx(df["duration"].iloc[0] * 16000, abs=2) and x.std() > 1e-3
    misnamed = df[df["subject"] == 11]
    assert len(misnamed) == 18 and (misnamed["speaker"] == "subject 11").all()
    assert misnamed["id"].str.startswith("s11_").all() and misnamed["path"].str.contains("/s12_").all()
    assert len(df[df["subject"] == 12]) == 18


def test_subject_11_files_named_s12_keep_both_subjects(tmp_path):
    root = tmp_path / "enterface database"
    write_avi(root / "subject 11" / "anger" / "sentence 1" / "s12_an_1.avi", [0.1] * 9600)
    write_avi(root / "subject 12" / "anger" / "sentence 1" / "s12_an_1.avi", [0.2] * 9600)
    df = read_enterface(root).set_index("id")
    assert df.loc["s11_an_1", "speaker"] == "subject 11" and df.loc["s12_an_1", "speaker"] == "subject 12"
    assert df.attrs["report"].n_dropped == 0
    assert any("another subject" in k for k in df.attrs["report"].notes)


def test_hand_made_irregular_folders(tmp_path, make_wav, corrupt_file):
    root = tmp_path / "enterface database"
    s1 = root / "subject 1" / "anger" / "sentence 1"
    write_avi(s1 / "s1_an_1.avi", [0.1] * 4800)
    make_wav(s1 / "s1_an_1.wav", 0.7, 44100)  # a .wav beside the .avi wins
    write_avi(root / "subject 1" / "fear" / "sentence 2" / "s1_fe_2.avi", [0.1] * 9600)
    write_avi(root / "subject 2" / "sadness" / "s2_sa_4.avi", [0.1] * 9600)  # no sentence level
    corrupt_file(root / "subject 2" / "sadness" / "s2_sa_5.avi")
    (root / "subject 2" / "sadness" / "Thumbs.db").write_bytes(b"x")
    (root / "README.txt").write_text("x")
    df = read_enterface(root).set_index("id")
    rep = df.attrs["report"]
    assert df.loc["s1_an_1", ["source", "sample_rate", "label", "subject", "sentence"]].tolist() == \
        ["wav", 44100, "anger", 1, 1]
    assert df.loc["s2_sa_4", ["speaker", "label", "sentence"]].tolist() == ["subject 2", "sadness", 4]
    assert (rep.found, rep.kept, rep.n_dropped) == (4, 3, 1)
    assert any("PyAV could not decode" in k for k in rep.dropped)
    assert any(".wav beside the .avi" in k for k in rep.notes)
    assert any("no 'sentence N' level" in k for k in rep.notes)
    with pytest.raises(CorpusLayoutError, match="one level too low"):
        read_enterface(root / "subject 1")
    with pytest.raises(CorpusLayoutError, match="one level too high"):
        read_enterface(tmp_path)


def test_emotion_folder_spelled_with_another_case_is_read_and_counted(tmp_path):
    root = tmp_path / "enterface database"
    write_avi(root / "subject 1" / "Anger" / "sentence 1" / "s1_an_1.avi", [0.1] * 4800)
    write_avi(root / "subject 1" / "Anger" / "sentence 2" / "s1_ha_2.avi", [0.1] * 4800)  # the file name wins
    write_avi(root / "subject 1" / "fear" / "sentence 1" / "s1_fe_1.avi", [0.1] * 4800)
    write_avi(root / "subject 1" / "fear" / "sentence 2" / "s1_su_2.avi", [0.1] * 4800)  # the exact folder wins
    df = read_enterface(root).set_index("id")
    rep = df.attrs["report"]
    assert df["label"].to_dict() == {"s1_an_1": "anger", "s1_ha_2": "happiness", "s1_fe_1": "fear",
                                     "s1_su_2": "fear"}
    assert (rep.found, rep.kept, rep.n_dropped) == (4, 4, 0)
    assert rep.notes["emotion folder spelled with another case (emotion from the file name)"] == ["subject 1/Anger"]
    assert "subject 1/anger" not in rep.notes["emotion folder missing"]
    assert rep.notes["file name emotion differs from its folder (file name used)"] == ["subject 1/s1_ha_2"]
    assert rep.notes["file name emotion differs from its folder (folder used)"] == ["subject 1/s1_su_2"]
