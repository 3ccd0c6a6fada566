"""IEMOCAP reader on the synthetic twin, on hand-written EmoEvaluation blocks, and on bad input."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from common.audio import load_audio
from common.corpora import read_iemocap
from common.corpora._base import ReadReport
from common.corpora.iemocap import parse_emo_evaluation, speaker_of
from common.errors import CorpusLayoutError, LabelFormatError

EMO_EVALUATION = (
    "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]\n\n"
    "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]\n"
    "C-E2:\tNeutral;\t()\n"
    "C-E3:\tNeutral;\t()\n"
    "C-E4:\tNeutral;\t()\n"
    "C-F1:\tNeutral;\t(curious)\n"
    "A-E3:\tval 3; act 2; dom  2;\t()\n"
    "A-E4:\tval 2; act 3; dom  3;\t(mildly aggravated but staying polite, attitude)\n"
    "A-F1:\tval 3; act 2; dom  1;\t()\n\n"
    "[10.0100 - 11.3925]\tSes01F_impro01_M000\txxx\t[2.5000, 3.0000, 3.0000]\n"
    "C-E1:\tFrustration; Anger;\t(comment)\n"
    "C-E2:\tNeutral;\t()\n"
    "C-E3:\tSadness;\t()\n"
    "A-E2:\tval 3; act 2; dom  2;\t()\n"
    "A-E3:\tval 2; act 4; dom  4;\t()\n\n"
    "[14.8872 - 18.0175]\tSes01F_impro01_F001\toth\t[3.0000, 3.5000, 3.0000]\n"
    "C-E2:\tOther;\t(sarcastic)\n"
    "A-E2:\tval 3; act 4; dom  3;\t()\n\n"
)


@pytest.fixture
def mini(tmp_path, make_wav):
    """Session1 with one dialog: three labelled turns, one label without audio, one audio without label."""
    root = tmp_path / "IEMOCAP_full_release"
    emo = root / "Session1" / "dialog" / "EmoEvaluation"
    emo.mkdir(parents=True)
    (emo / "Ses01F_impro01.txt").write_text(
        EMO_EVALUATION + "[20.0 - 21.0]\tSes01F_impro01_M001\tang\t[1.5000, 4.0000, 4.5000]\nC-E1:\tAnger;\t()\n",
        encoding="utf-8")
    (emo / "Categorical").mkdir()  # the real folder holds sub-folders that are not read
    wav = root / "Session1" / "sentences" / "wav" / "Ses01F_impro01"
    for uid, sec in [("Ses01F_impro01_F000", 1.9), ("Ses01F_impro01_M000", 1.4), ("Ses01F_impro01_F001", 3.1),
                     ("Ses01F_impro01_F002", 1.0)]:
        make_wav(wav / f"{uid}.wav", sec)
    (wav / "._Ses01F_impro01_F000.wav").write_bytes(b"mac resource fork")
    return root


def test_speaker_is_the_letter_before_the_turn_index():
    assert speaker_of("Ses01F_impro01_M000") == ("Ses01M", 1, "M")
    assert speaker_of("Ses05M_script02_2_F013") == ("Ses05F", 5, "F")


def test_parse_blocks_with_xxx_and_evaluator_lines(mini):
    blocks = {b["id"]: b for b in parse_emo_evaluation(mini / "Session1/dialog/EmoEvaluation/Ses01F_impro01.txt")}
    neu, xxx, oth = blocks["Ses01F_impro01_F000"], blocks["Ses01F_impro01_M000"], blocks["Ses01F_impro01_F001"]
    assert (neu["start"], neu["end"], neu["category"]) == (6.2901, 8.2357, "neu")
    assert (neu["valence"], neu["activation"], neu["dominance"]) == (2.5, 2.5, 2.5)
    assert neu["cat_votes"]["F1"] == ["Neutral"] and neu["dim_votes"]["E4"] == (2.0, 3.0, 3.0)
    assert "E2" not in neu["dim_votes"]
    assert xxx["category"] == "xxx" and xxx["cat_votes"]["E1"] == ["Frustration", "Anger"]
    assert xxx["dim_votes"]["E2"] == (3.0, 2.0, 2.0)
    assert oth["category"] == "oth"


def test_read_mini_counts_every_drop(mini):
    df = read_iemocap(mini)
    rep = df.attrs["report"]
    assert set(df["id"]) == {"Ses01F_impro01_F000", "Ses01F_impro01_M000", "Ses01F_impro01_F001"}
    assert (rep.found, rep.kept, rep.n_dropped) == (5, 3, 2)
    assert rep.dropped["label without audio"] == ["Ses01F_impro01_M001"]
    assert rep.dropped["audio without label"] == ["Ses01F_impro01_F002"]
    assert any("xxx" in k for k in rep.notes) and any("'oth'" in k for k in rep.notes)
    assert "found 5 utterances, kept 3, dropped 2" in str(rep)
    row = df.set_index("id").loc["Ses01F_impro01_M000"]
    assert (row.speaker, row.gender, row.session, row["mode"], row.label) == ("Ses01M", "M", 1, "improvised", "xxx")
    assert row.duration == pytest.approx(1.4)


def test_bad_audio_is_a_counted_drop_and_other_rates_are_resampled(mini, make_wav, truncate_file, corrupt_file):
    wav = mini / "Session1/sentences/wav/Ses01F_impro01"
    truncate_file(wav / "Ses01F_impro01_F000.wav")
    corrupt_file(wav / "Ses01F_impro01_M000.wav")
    make_wav(wav / "Ses01F_impro01_F001.wav", 3.1, sr=44100)
    df = read_iemocap(mini)
    rep = df.attrs["report"]
    assert df["id"].tolist() == ["Ses01F_impro01_F001"]
    assert [v for k, v in rep.dropped.items() if "truncated" in k] == [["Ses01F_impro01_F000"]]
    assert any("soundfile could not read its header" in k for k in rep.dropped)
    assert any("sample rate differs" in k for k in rep.notes)
    assert df["sample_rate"].iloc[0] == 44100
    assert len(load_audio(df["path"].iloc[0])) == pytest.approx(3.1 * 16000, abs=2)


def test_malformed_label_line_names_file_and_line(mini):
    f = mini / "Session1/dialog/EmoEvaluation/Ses01F_impro01.txt"
    f.write_text(f.read_text().replace("[10.0100 - 11.3925]\tSes01F", "[10.0100 - ]\tSes01F"))
    with pytest.raises(LabelFormatError, match=r"Ses01F_impro01\.txt:12: malformed utterance line"):
        read_iemocap(mini)


def test_layout_errors_name_root_expected_found_and_nearest(tmp_path, mini):
    with pytest.raises(CorpusLayoutError) as e:
        read_iemocap(tmp_path / "IEMOCAP_ful_release")
    msg = str(e.value)
    assert "IEMOCAP_ful_release" in msg and "does not exist" in msg and "Session[1-5]/sentences/wav" in msg
    assert str(mini) in msg  # similar name suggested
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CorpusLayoutError, match="found: an empty directory"):
        read_iemocap(empty)
    with pytest.raises(CorpusLayoutError, match="one level too high") as e:
        read_iemocap(tmp_path)
    assert str(mini) in str(e.value)
    with pytest.raises(CorpusLayoutError, match="one level too low") as e:
        read_iemocap(mini / "Session1")
    assert "found: dialog/, sentences/" in str(e.value)


def test_twin(iemocap_twin):
    df = iemocap_twin.table
    assert iemocap_twin.data == "synthetic" and df.attrs["corpus"] == "IEMOCAP"
    assert 150 <= len(df) <= 250 and df.attrs["report"].n_dropped == 0
    assert sorted(df["session"].unique()) == [1, 2, 3, 4, 5]
    assert df["speaker"].nunique() == 10 and (df.groupby("session")["speaker"].nunique() == 2).all()
    assert set(df["mode"]) == {"improvised", "scripted"}
    assert {"neu", "hap", "exc", "sad", "ang", "fru", "sur", "fea", "dis", "oth", "xxx"} <= set(df["label"])
    assert (df["duration"] > 6).sum() >= 5 and (df["duration"] > 8).sum() >= 3 and df["duration"].min() >= 1.5
    assert df["dim_votes"].map(lambda d: "E2" in d).mean() > 0.7
    # the gender letter after the session number is the dialog's, not the speaker's
    crossed = df[df["id"].str[5] != df["gender"]]
    assert len(crossed) > 0 and (crossed["speaker"].str[-1] == crossed["gender"]).all()
    for _, r in df.iterrows():
        assert abs(np.mean([v[1] for v in r.dim_votes.values()]) - r.activation) < 1e-3


def test_twin_copy_reads_like_the_original(iemocap_twin, tmp_path):
    """The reader sees a twin exactly as it sees a distributed copy: copying it changes nothing."""
    copy = shutil.copytree(iemocap_twin.root / "Session2", tmp_path / "IEMOCAP_full_release" / "Session2")
    df = read_iemocap(copy.parent)
    assert set(df["session"]) == {2} and len(df) == (iemocap_twin.table["session"] == 2).sum()
    assert any("session missing" in k for k in df.attrs["report"].notes)


def test_evaluator_line_without_dominance_keeps_valence_and_activation(tmp_path):
    """The distributed copy has lines such as ``val 3; act 2; dom ;``: E-2's valence and activation must survive."""
    f = tmp_path / "Ses01F_impro01.txt"
    f.write_text("[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]\n"
                 "A-E2:\tval 3; act 2; dom ;\t()\n"
                 "A-E3:\tval 2; act 4; dom  4;\t()\n", encoding="utf-8")
    report = ReadReport("IEMOCAP", str(tmp_path))
    votes = parse_emo_evaluation(f, report)[0]["dim_votes"]
    assert votes["E2"][:2] == (3.0, 2.0) and np.isnan(votes["E2"][2])
    assert votes["E3"] == (2.0, 4.0, 4.0)
    assert report.notes["dimensional evaluator line without dominance (valence and activation kept)"] == [f"{f}:2"]
