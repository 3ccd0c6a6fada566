"""eNTERFACE'05 reader (the folder holding ``subject 1/``); used by Huang §5.1.

Layout ``subject N/<emotion>/sentence N/sN_<em>_N.avi``. The audio track of the .avi is decoded with
PyAV; a .wav with the same stem beside it is used instead. Copies in circulation are irregular: one
subject lacks the ``sentence N`` level, subject 23 has only two happiness utterances (hence the
1,257 utterances of Huang §5.1), and the files of subject 11 are named ``s12_*`` like subject 12's. All are
read and reported in the notes; the speaker and the utterance id always come from the ``subject N`` folder
(``subject 11/anger/sentence 1/s12_an_1.avi`` is ``s11_an_1`` of ``subject 11``), so both subjects are kept.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from common.corpora._base import ReadReport, finish, is_hidden, probe_audio, require_layout

CORPUS = "eNTERFACE'05"
EMOTIONS = ("anger", "disgust", "fear", "happiness", "sadness", "surprise")
ABBREV = {"an": "anger", "di": "disgust", "fe": "fear", "ha": "happiness", "sa": "sadness", "su": "surprise"}
AUDIO_SUFFIXES = (".avi", ".wav")
EXPECTED = ["subject N/{" + ",".join(EMOTIONS) + "}/sentence N/sN_<em>_N.avi"]
EXTRA_COLUMNS = ["subject", "sentence", "source"]
_SUBJECT = re.compile(r"^subject\s*(\d+)$", re.IGNORECASE)
_SENTENCE = re.compile(r"^sentence\s*(\d+)$", re.IGNORECASE)
_FILE = re.compile(r"_([a-z]{2})_?(\d+)$", re.IGNORECASE)
_FILE_SUBJECT = re.compile(r"^s(\d+)_", re.IGNORECASE)


def utterance_id(stem: str, subject: int) -> str:
    """The id of a file of ``subject N/``: its stem with the subject number taken from the folder."""
    return _FILE_SUBJECT.sub(f"s{subject}_", stem, count=1)


def speaker_of(utt_id: str) -> tuple[str, str]:
    """(speaker ``subject N``, sentence ``<emotion>/<N>``) of an id such as ``s11_an_1``; ``ValueError`` otherwise.

    Every subject reads the same five sentences per emotion, so the sentence key names a text."""
    sm, fm = _FILE_SUBJECT.match(utt_id), _FILE.search(utt_id)
    if not sm or not fm or fm.group(1).lower() not in ABBREV:
        raise ValueError(utt_id)
    return f"subject {int(sm.group(1))}", f"{ABBREV[fm.group(1).lower()]}/{int(fm.group(2))}"


def _emotion_folders(subj_dir: Path) -> dict[str, list[Path]]:
    """The folders of one subject per emotion, matched without regard to case (``Anger/`` is anger)."""
    found: dict[str, list[Path]] = {}
    for p in sorted(subj_dir.iterdir()):
        if p.is_dir() and p.name.lower() in EMOTIONS:
            found.setdefault(p.name.lower(), []).append(p)
    return found


def _matches(root: Path) -> bool:
    return any(_SUBJECT.match(p.name) and _emotion_folders(p) for p in root.iterdir() if p.is_dir())


def _utterances(emo_dir: Path, report: ReadReport, where: str) -> list[tuple[Path, int | None]]:
    """(file, sentence number) under one emotion folder, with or without the ``sentence N`` level."""
    found = []
    for entry in sorted(emo_dir.iterdir()):
        if is_hidden(entry):
            continue
        sm = _SENTENCE.match(entry.name) if entry.is_dir() else None
        if sm:
            found += [(f, int(sm.group(1))) for f in sorted(entry.iterdir()) if f.is_file() and not is_hidden(f)]
        elif entry.is_file():
            found.append((entry, None))
        else:
            report.note("unexpected folder (ignored)", f"{where}/{entry.name}")
    if any(sentence is None for _, sentence in found):
        report.note("no 'sentence N' level (files directly in the emotion folder)", where)
    return found


def read_enterface(root: str | os.PathLike) -> pd.DataFrame:
    """One row per utterance; ``label`` = emotion folder, ``speaker`` = ``subject N``, ``session`` = speaker.

    A folder spelled with another case (``Anger/``) is read too; its files take the emotion of their file name
    (``s1_an_1``), the folder's only when the name carries none.

    Gender is not distributed per subject and is ``unknown``.
    """
    root = require_layout(root, CORPUS, EXPECTED, _matches)
    report = ReadReport(CORPUS, str(root))
    rows = []
    seen: set[str] = set()
    per_cell: Counter = Counter()
    for subj_dir in sorted(root.iterdir(), key=lambda p: (len(p.name), p.name)):
        sm = _SUBJECT.match(subj_dir.name)
        if not subj_dir.is_dir() or not sm:
            if not is_hidden(subj_dir):
                report.note("not a subject folder (ignored)", subj_dir.name)
            continue
        subject = int(sm.group(1))
        folders = _emotion_folders(subj_dir)
        for emotion in EMOTIONS:
            if emotion not in folders:
                report.note("emotion folder missing", f"{subj_dir.name}/{emotion}")
        for folder_emotion, emo_dir in ((e, d) for e in EMOTIONS for d in folders.get(e, [])):
            if emo_dir.name != folder_emotion:
                report.note("emotion folder spelled with another case (emotion from the file name)",
                            f"{subj_dir.name}/{emo_dir.name}")
            files = _utterances(emo_dir, report, f"{subj_dir.name}/{emo_dir.name}")
            by_stem: dict[str, dict[str, Path]] = {}
            sentence_of: dict[str, int | None] = {}
            for f, sentence in files:
                if f.suffix.lower() not in AUDIO_SUFFIXES:
                    report.note("not an .avi/.wav file (ignored)", f"{subj_dir.name}/{emo_dir.name}/{f.name}")
                    continue
                by_stem.setdefault(f.stem, {})[f.suffix.lower()] = f
                sentence_of[f.stem] = sentence
            for stem, variants in sorted(by_stem.items()):
                report.found += 1
                uid = utterance_id(stem, subject)
                if uid != stem:
                    report.note("file named for another subject (id and speaker from the folder)",
                                f"{subj_dir.name}/{emo_dir.name}/{stem}")
                path = variants.get(".wav") or variants[".avi"]
                if ".wav" in variants and ".avi" in variants:
                    report.note(".wav beside the .avi used", uid)
                fm = _FILE.search(stem)
                named = ABBREV.get(fm.group(1).lower(), folder_emotion) if fm else folder_emotion
                emotion = named if emo_dir.name != folder_emotion else folder_emotion
                if named != folder_emotion:
                    used = "file name" if emotion == named else "folder"
                    report.note(f"file name emotion differs from its folder ({used} used)", f"{subj_dir.name}/{uid}")
                sentence = sentence_of[stem] if sentence_of[stem] is not None else (int(fm.group(2)) if fm else None)
                if uid in seen:
                    report.drop("duplicate utterance id", f"{subj_dir.name}/{emo_dir.name}/{path.name}")
                    continue
                probed = probe_audio(path, report, uid, expected_sr=None)
                if probed is None:
                    continue
                sr, duration = probed
                seen.add(uid)
                per_cell[(subject, emotion)] += 1
                speaker = f"subject {subject}"
                rows.append(dict(id=uid, path=str(path), speaker=speaker, gender="unknown", session=speaker,
                                 label=emotion, duration=duration, sample_rate=sr, subject=subject,
                                 sentence=sentence, source=path.suffix.lower().lstrip(".")))
    if per_cell:
        usual = Counter(per_cell.values()).most_common(1)[0][0]
        for (subject, emotion), n in sorted(per_cell.items()):
            if n != usual:
                report.note(f"irregular utterance count per subject and emotion (usual {usual})",
                            f"subject {subject}/{emotion}: {n}")
    return finish(rows, report, CORPUS, root, EXTRA_COLUMNS)
