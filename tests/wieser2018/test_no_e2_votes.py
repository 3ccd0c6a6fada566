"""A copy of IEMOCAP without any ``A-E2`` vote ends in a clear error naming its root, not in a KeyError."""

import numpy as np
import pytest

from common.audio import write_wav
from common.cli import main_guard
from common.corpora import Corpus, read_iemocap
from common.errors import LabelFormatError
from reproductions.wieser2018.data import build_samples

BLOCKS = ("[0.0 - 2.0]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]\n"
          "A-E1:\tval 3; act 2; dom  2;\t()\n"
          "A-E3:\tval 2; act 3; dom  3;\t()\n\n"
          "[3.0 - 5.0]\tSes01F_impro01_M000\tang\t[2.0000, 4.0000, 4.0000]\n"
          "A-E4:\tval 2; act 4; dom  4;\t()\n")


def test_corpus_without_e2_votes_names_its_root(tmp_path, capsys):
    root = tmp_path / "IEMOCAP_full_release"
    emo = root / "Session1" / "dialog" / "EmoEvaluation"
    emo.mkdir(parents=True)
    (emo / "Ses01F_impro01.txt").write_text(BLOCKS, encoding="utf-8")
    for uid in ("Ses01F_impro01_F000", "Ses01F_impro01_M000"):
        write_wav(root / "Session1" / "sentences" / "wav" / "Ses01F_impro01" / f"{uid}.wav",
                  np.full(32000, 0.1, dtype=np.float32), 16000)
    corpus = Corpus(read_iemocap(root), "real", root, "iemocap")
    with pytest.raises(LabelFormatError, match=rf"IEMOCAP at {root}: no turn has a usable vote of evaluator E-2"):
        build_samples(corpus, 16000, 8000, "IS09")
    with pytest.raises(SystemExit) as stop:  # the console prints the message and exits 2
        main_guard(lambda argv: build_samples(corpus, 16000, 8000, "IS09"))
    assert stop.value.code == 2 and str(root) in capsys.readouterr().err
