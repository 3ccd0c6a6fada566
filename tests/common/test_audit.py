"""Fold-file audit: planted speaker and partner leaks caught, clean splits passed, bad files exit 2, no TensorFlow."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from common.audit import main, read_fold_files
from common.corpora.iemocap import speaker_of
from common.splits import leave_one_session_out, write_folds
from reproductions.__main__ import main as sereprod

IEMOCAP_TRAIN = ["Ses02F_impro01_F000", "Ses02F_impro01_M000", "Ses03M_script01_2_F004", "Ses03M_script01_2_M002"]
IEMOCAP_TEST = ["Ses01F_impro02_F000", "Ses01F_script01_2_M001"]


def _emobox(folder: Path, train: list[str], test: list[str]) -> Path:
    """EmoBox layout: ``fold_1/iemocap_{train,test}_fold_1.jsonl``, keys ``iemocap-<id>``."""
    for part, ids in (("train", train), ("test", test)):
        f = folder / "fold_1" / f"iemocap_{part}_fold_1.jsonl"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("".join(json.dumps({"key": f"iemocap-{u}", "dataset": "iemocap", "wav": f"x/{u}.wav",
                                         "emo": "neu", "channel": 1}) + "\n" for u in ids))
    return folder


def _plain(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    pd.DataFrame(rows, columns=["id", "fold", "set"]).to_csv(path, index=False)
    return path


EMODB_CLEAN = [("03a01Fa", "1", "test"), ("08b02Wa", "1", "test"), ("09a01Fa", "1", "train"),
               ("10a04Wb", "1", "train"), ("11b03La", "1", "valid"), ("03a02Ta", "2", "train"),
               ("09b01Na", "2", "test")]


def test_emobox_clean_passes_and_planted_speaker_leak_fails(tmp_path, capsys):
    clean = _emobox(tmp_path / "clean", IEMOCAP_TRAIN, IEMOCAP_TEST)
    assert main([str(clean)]) == 0
    out = capsys.readouterr().out
    assert "speakers from the iemocap ids" in out and out.rstrip().endswith("clean: 0 leaking overlaps")
    assert "note  fold fold1: 1 texts in both train and test: script01_2" in out  # scripts: reported, no leak
    leaky = _emobox(tmp_path / "leaky", [*IEMOCAP_TRAIN, "Ses01F_impro03_F002"], IEMOCAP_TEST)
    assert main([str(leaky / "fold_1" / "iemocap_train_fold_1.jsonl"),
                 str(leaky / "fold_1" / "iemocap_test_fold_1.jsonl")]) == 1
    assert "LEAK  fold fold1: 1 speakers in both train and test: Ses01F" in capsys.readouterr().out


def test_iemocap_dialogue_partner_on_the_other_side_is_a_leak(tmp_path, capsys):
    # Ses01F_impro02_M000 is the male actor of session 1: no speaker shared, but his partner is in test
    leaky = _emobox(tmp_path, [*IEMOCAP_TRAIN, "Ses01F_impro02_M000"], ["Ses01F_impro02_F000"])
    assert main([str(leaky), "--corpus", "iemocap"]) == 1
    out = capsys.readouterr().out
    assert "LEAK  fold fold1: 1 IEMOCAP sessions split between partners in both train and test: Session1" in out
    assert "speakers in both" not in out


def test_plain_csv_clean_passes_and_planted_leak_fails(tmp_path, capsys):
    assert main([str(_plain(tmp_path / "clean.csv", EMODB_CLEAN))]) == 0
    out = capsys.readouterr().out
    assert "fold 1: train 2 utterances of 2 speakers, val 1 utterances of 1 speakers, test 2 utterances of 2 " \
           "speakers" in out
    assert "note  fold 1: 1 texts in both train and test: a01" in out   # every EmoDB speaker reads the same texts
    assert main([str(tmp_path / "clean.csv"), "--text-leak"]) == 1
    leaky = _plain(tmp_path / "leaky.csv", [*EMODB_CLEAN, ("03b10Aa", "1", "train")])
    assert main([str(leaky)]) == 1
    assert "LEAK  fold 1: 1 speakers in both train and test: 03" in capsys.readouterr().out
    twice = _plain(tmp_path / "twice.csv", [*EMODB_CLEAN, ("09b01Na", "2", "train")])
    assert main([str(twice)]) == 1
    assert "LEAK  fold 2: 1 utterances in both train and test: 09b01Na" in capsys.readouterr().out


def test_speaker_column_for_ids_of_no_known_corpus(tmp_path, capsys):
    path = tmp_path / "own.csv"
    pd.DataFrame({"id": ["u1", "u2", "u3"], "set": ["train", "train", "test"],
                  "speaker": ["ann", "bob", "bob"]}).to_csv(path, index=False)
    assert main([str(path)]) == 1
    assert "LEAK  fold all: 1 speakers in both train and test: bob" in capsys.readouterr().out


def test_suite_split_csv_s3prl_and_speechbrain(tmp_path, capsys):
    table = pd.DataFrame({"id": IEMOCAP_TRAIN + IEMOCAP_TEST})
    table["speaker"], table["session"], _ = zip(*table["id"].map(speaker_of), strict=True)
    assert main([str(write_folds(leave_one_session_out(table), tmp_path / "folds.csv"))]) == 0
    assert "fold session1: train 4 utterances of 4 speakers, test 2 utterances of 2 speakers" in capsys.readouterr().out
    s3prl = tmp_path / "s3prl" / "Session1"
    s3prl.mkdir(parents=True)
    for part, ids in (("train", IEMOCAP_TRAIN), ("test", IEMOCAP_TEST)):
        meta = [{"path": f"Session{u[4]}/sentences/wav/{u.rsplit('_', 1)[0]}/{u}.wav", "label": "neu",
                 "speaker": u[:6]} for u in ids]
        (s3prl / f"{part}_meta_data.json").write_text(json.dumps({"labels": {"neu": 0}, "meta_data": meta}))
    sb = tmp_path / "sb"
    sb.mkdir()
    for part, ids in (("train", IEMOCAP_TRAIN[:2]), ("valid", IEMOCAP_TRAIN[2:]), ("test", IEMOCAP_TEST)):
        (sb / f"{part}.json").write_text(json.dumps({u: {"wav": f"{u}.wav", "length": 1.0, "emo": "neu"}
                                                     for u in ids}))
    entries = read_fold_files([tmp_path / "s3prl", sb])
    assert {(e.fold, e.part) for e in entries} == {("Session1", "train"), ("Session1", "test"), ("sb", "train"),
                                                   ("sb", "val"), ("sb", "test")}
    assert main([str(tmp_path / "s3prl"), str(sb)]) == 0


@pytest.mark.parametrize(("content", "expected"), [
    ("id,fold\n03a01Fa,1\n", "expected a header with 'id' and one of 'part', 'set', 'split'"),
    ("id,set\n03a01Fa,holdout\n", "part 'holdout' is none of"),
    ("id,set\nu1,train\n", "no speaker for ids such as 'u1'"),
])
def test_bad_csv_exits_2_naming_the_file(tmp_path, capsys, content, expected):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and expected in err


def test_bad_json_and_wrong_corpus_exit_2(tmp_path, capsys):
    bad = tmp_path / "emodb_test_fold_1.jsonl"
    bad.write_text('{"key": "emodb-03a01Fa"}\n{not json\n')
    assert main([str(bad)]) == 2
    assert f"{bad}: not JSON" in capsys.readouterr().err
    nameless = tmp_path / "folds.json"
    nameless.write_text("{}")
    assert main([str(nameless)]) == 2
    assert "the file name says no part" in capsys.readouterr().err
    assert main([str(_plain(tmp_path / "e.csv", EMODB_CLEAN)), "--corpus", "iemocap"]) == 2
    assert "is not a iemocap utterance id" in capsys.readouterr().err


def test_sereprod_audit_split_and_no_tensorflow(tmp_path):
    path = _plain(tmp_path / "clean.csv", EMODB_CLEAN)
    assert sereprod(["audit-split", str(path)]) == 0
    probe = ("import runpy, sys\nsys.argv = ['audit', sys.argv[1]]\n"
             "try:\n    runpy.run_module('common.audit', run_name='__main__')\nexcept SystemExit as e:\n"
             "    code = e.code\n"
             "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'tensorflow', 'jax', 'keras'}))\n")
    done = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip().splitlines()[-1] == "0 []"


def test_two_csvs_never_share_a_fold_and_window_ids_count_as_their_utterance(tmp_path, capsys):
    a = _plain(tmp_path / "a.csv", [("03a01Fa#0", "1", "train"), ("03a01Fa#1", "1", "train"),
                                    ("08a01Fa#0", "1", "test")])
    b = _plain(tmp_path / "b.csv", [("08a02Fa#0", "1", "train"), ("03a02Fa#0", "1", "test")])
    assert main([str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "fold a/1: train 2 utterances of 1 speakers, test 1 utterances of 1 speakers" in out
    assert "speakers from the emodb ids" in out
