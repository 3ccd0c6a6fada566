"""A tiny smoke run through run.main: every result goes to results.csv as synthetic, folds are written,
the TVT split shares no subject, and the SVM baseline beats chance on the twin."""

import pandas as pd

from common.corpora import open_corpus
from common.errors import ConfigError
from reproductions.huang2017.run import main


def test_smoke_end_to_end(tmp_path):
    argv = ["--profile", "smoke", "--out", str(tmp_path), "--epochs", "1",
            "--set", 'models=["LDNN (log-Mels)", "FST-CLDNN (MFCCs)"]', "--set", "fig2_h1=[22]",
            "--set", 'svm_sets=["EC"]']
    assert main(argv) == 0
    res = pd.read_csv(tmp_path / "results.csv")
    assert (res["data"] == "synthetic").all() and (res["profile"] == "smoke").all()
    for table in ("Table 3", "Table 4", "Fig. 2", "§7.4", "Table 5", "Fig. 9"):
        assert (res["table"] == table).any(), table
    t4 = res[(res["table"] == "Table 4") & (res["row"] == "FST-CLDNN (MFCCs)")]
    assert set(t4["column"]) == {"noisy", "clean"} and t4["mean"].between(0, 100).all()
    ec = res[(res["table"] == "Table 3") & (res["row"] == "TVT") & (res["column"] == "EC")]
    assert (ec["mean"] > 100 / 6).all()  # six classes: chance UA is 16.7 %
    folds = pd.read_csv(tmp_path / "splits" / "tvt.csv")
    table = open_corpus("enterface").table.set_index("id")
    subjects = {part: set(table.loc[folds[folds["part"] == part]["id"], "speaker"])
                for part in ("train", "val", "test")}
    assert not (subjects["train"] & subjects["test"]) and not (subjects["train"] & subjects["val"])
    assert not (subjects["val"] & subjects["test"])
    assert (tmp_path / "fig2_s_cldnn_h1_sweep.png").is_file()
    # resume: the same command again reuses every unit
    assert main(argv) == 0


def test_bad_arguments(tmp_path):
    import pytest

    with pytest.raises(ConfigError):
        main(["--data-dir", str(tmp_path), "--out", str(tmp_path)])  # eNTERFACE'05 without MUSAN
    with pytest.raises(ConfigError):
        main(["--noise-factor", "2", "--out", str(tmp_path)])
