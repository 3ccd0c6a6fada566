"""EmoDB reader on the twin, on hand-written file names, and on bad input."""

from __future__ import annotations

import pytest

from common.corpora import read_emodb
from common.errors import CorpusLayoutError


def test_twin(emodb_twin):
    df = emodb_twin.table
    assert sorted(df["speaker"].unique()) == ["03", "08", "09", "10", "11", "12", "13", "14", "15", "16"]
    assert set(df["label"]) == {"anger", "boredom", "disgust", "fear", "happiness", "sadness", "neutral"}
    assert (df.groupby(["speaker", "label"]).size() >= 2).all()
    assert (df["session"] == df["speaker"]).all() and set(df["sample_rate"]) == {16000}
    assert df["duration"].between(1.0, 3.0).all()
    assert df.set_index("speaker")["gender"].to_dict()["03"] == "M"


def test_names_decide_labels_never_side_files(tmp_path, make_wav, truncate_file):
    wav = tmp_path / "emodb" / "wav"
    for name in ["03a01Fa", "08b02Wb", "16a05Tc", "03a01Xa", "05a01Wa", "readme"]:
        make_wav(wav / f"{name}.wav")
    truncate_file(make_wav(wav / "09a01Na.wav"))
    (wav / "notes.txt").write_text("not audio")
    (tmp_path / "emodb" / "labels.csv").write_text("file,emotion\n03a01Fa.wav,anger\n")  # must be ignored
    df = read_emodb(tmp_path / "emodb")
    rep = df.attrs["report"]
    assert df.set_index("id")["label"].to_dict() == {"03a01Fa": "happiness", "08b02Wb": "anger",
                                                     "16a05Tc": "sadness"}
    row = df.set_index("id").loc["08b02Wb"]
    assert [row.text, row.emotion, row.version, row.gender] == ["b02", "W", "b", "F"]
    assert (rep.found, rep.kept, rep.n_dropped) == (7, 3, 4)
    reasons = " | ".join(rep.dropped)
    for what in ("unknown emotion letter", "unknown speaker", "does not follow the EmoDB scheme", "truncated"):
        assert what in reasons
    assert any("535" in k for k in rep.notes) and any("non-wav" in k for k in rep.notes)


def test_layout_errors(tmp_path, make_wav):
    make_wav(tmp_path / "emodb" / "wav" / "03a01Fa.wav")
    with pytest.raises(CorpusLayoutError, match="one level too low") as e:
        read_emodb(tmp_path / "emodb" / "wav")
    assert "wav/03a01Fa.wav" in str(e.value) and str(tmp_path / "emodb") in str(e.value)
    with pytest.raises(CorpusLayoutError, match="one level too high"):
        read_emodb(tmp_path)
    with pytest.raises(CorpusLayoutError, match="does not exist"):
        read_emodb(tmp_path / "nowhere")


def test_wav_corpus_folder_of_some_copies_is_read(tmp_path, make_wav):
    for name in ("03a01Fa", "08b02Wb"):
        make_wav(tmp_path / "emodb" / "wav_corpus" / f"{name}.wav")
    df = read_emodb(tmp_path / "emodb")
    assert list(df["id"]) == ["03a01Fa", "08b02Wb"] and list(df["label"]) == ["happiness", "anger"]
    assert any("wav_corpus" in v for vs in df.attrs["report"].notes.values() for v in vs)
