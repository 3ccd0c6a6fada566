"""RECOLA/AVEC 2016 reader, ARFF parsing and writing, smooth twin trajectories."""

from __future__ import annotations

import numpy as np
import pytest

from common.audio import load_audio
from common.corpora import read_arff, read_recola, write_avec_arff
from common.errors import CorpusLayoutError, LabelFormatError

ARFF = """@relation GoldStandard

@attribute Instance_name string
@attribute frameTime numeric
@attribute GoldStandard numeric

@data

'train_1',0.00,0.120000
'train_1',0.04,0.130000
'train_1',0.08,-0.050000
"""


def test_read_hand_written_arff(tmp_path):
    p = tmp_path / "train_1.arff"
    p.write_text(ARFF)
    name, t, v = read_arff(p)
    assert name == "train_1" and np.allclose(t, [0, 0.04, 0.08]) and np.allclose(v, [0.12, 0.13, -0.05])


@pytest.mark.parametrize("bad, match", [
    (ARFF.replace("'train_1',0.04,0.130000", "'train_1',0.04"), r"train_1\.arff:10: malformed data row"),
    (ARFF.replace("GoldStandard numeric", "Arousal numeric"), "attributes"),
    (ARFF.split("@data")[0], "no @data section"),
])
def test_malformed_arff(tmp_path, bad, match):
    p = tmp_path / "train_1.arff"
    p.write_text(bad)
    with pytest.raises(LabelFormatError, match=match):
        read_arff(p)


def test_write_avec_arff_roundtrip(tmp_path):
    t = np.arange(5) * 0.04
    write_avec_arff(tmp_path / "pred" / "test_1.arff", "test_1", t, [0.1, 0.2, 0.3, 0.4, 0.5])
    name, t2, v = read_arff(tmp_path / "pred" / "test_1.arff")
    assert name == "test_1" and np.allclose(t2, t) and np.allclose(v, [0.1, 0.2, 0.3, 0.4, 0.5])
    assert [p.name for p in (tmp_path / "pred").iterdir()] == ["test_1.arff"]


def test_twin(recola_twin):
    df = recola_twin.table.set_index("id")
    assert sorted(df.index) == sorted(f"{p}_{k}" for p in ("train", "dev", "test") for k in (1, 2, 3))
    assert (df["partition"] == df["session"]).all() and set(df["sample_rate"]) == {44100}
    assert df.loc["test_1", "arousal"] is None and df.loc["test_1", "label_times"] is None
    a, t = df.loc["train_1", "arousal"], df.loc["train_1", "label_times"]
    assert np.allclose(np.diff(t), 0.04) and len(a) == len(df.loc["train_1", "valence"]) == 1501
    for uid in ("train_1", "dev_2"):
        for dim in ("arousal", "valence"):
            y = df.loc[uid, dim] - df.loc[uid, dim].mean()
            power = np.abs(np.fft.rfft(y)) ** 2
            f = np.fft.rfftfreq(len(y), 0.04)
            assert power[f < 1.0].sum() / power.sum() > 0.95  # Khorram §5.2
            assert np.abs(df.loc[uid, dim]).max() <= 1.0
    x = load_audio(df.loc["dev_1", "path"])
    assert len(x) == 60 * 16000


def test_twin_voice_follows_arousal(recola_twin):
    """Louder frames where the gold-standard arousal is higher: the audio carries the labels."""
    row = recola_twin.table.set_index("id").loc["train_1"]
    x = load_audio(row["path"])
    frames = x[: len(x) // 640 * 640].reshape(-1, 640)
    energy = np.log(np.mean(frames ** 2, axis=1) + 1e-10)
    n = min(len(energy), len(row["arousal"]))
    voiced = energy[:n] > np.percentile(energy[:n], 30)
    assert np.corrcoef(energy[:n][voiced], row["arousal"][:n][voiced])[0, 1] > 0.3


def test_missing_labels_and_audio_are_counted(tmp_path, make_wav):
    root = tmp_path / "AVEC2016"
    make_wav(root / "recordings_audio" / "train_1.wav", 0.2)
    make_wav(root / "recordings_audio" / "train_2.wav", 0.2)
    make_wav(root / "recordings_audio" / "test_1.wav", 0.2)
    for dim in ("arousal", "valence"):
        (root / "ratings_gold_standard" / dim).mkdir(parents=True)
        (root / "ratings_gold_standard" / dim / "train_1.arff").write_text(ARFF)
        (root / "ratings_gold_standard" / dim / "dev_9.arff").write_text(ARFF.replace("train_1", "dev_9"))
    (root / "ratings_gold_standard" / "valence" / "train_2.arff").write_text(ARFF.replace("train_1", "train_2"))
    df = read_recola(root)
    rep = df.attrs["report"]
    assert sorted(df["id"]) == ["test_1", "train_1"]
    assert rep.dropped["label file without audio"] == ["dev_9"]
    assert rep.dropped["no gold standard for arousal"] == ["train_2"]
    with pytest.raises(CorpusLayoutError, match="one level too low"):
        read_recola(root / "recordings_audio")
