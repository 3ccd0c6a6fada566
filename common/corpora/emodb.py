"""Berlin EmoDB reader (the folder holding ``wav/03a01Fa.wav``, or ``wav_corpus/`` as in some copies in
circulation); used by Zhao §4.

The file name encodes everything: speaker (2 digits), text code (3 characters), emotion letter,
version letter. The emotion is always taken from the name, never from a side file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from common.corpora._base import ReadReport, finish, is_hidden, probe_audio, require_layout

CORPUS = "EmoDB"
EMOTIONS = {"W": "anger", "L": "boredom", "E": "disgust", "A": "fear", "F": "happiness",
            "T": "sadness", "N": "neutral"}
SPEAKER_GENDER = {"03": "M", "08": "F", "09": "F", "10": "M", "11": "M", "12": "M", "13": "F",
                  "14": "F", "15": "M", "16": "F"}
TEXTS = ["a01", "a02", "a04", "a05", "a07", "b01", "b02", "b03", "b09", "b10"]
N_DISTRIBUTED = 535
EXPECTED = ["wav/<speaker:2 digits><text:3 chars><emotion letter><version letter>.wav, e.g. wav/03a01Fa.wav "
            "(or wav_corpus/03a01Fa.wav)"]
WAV_FOLDERS = ("wav", "wav_corpus")  # the distributed name, and the one some copies in circulation use
EXTRA_COLUMNS = ["text", "emotion", "version"]
_NAME = re.compile(r"^(\d\d)([a-z]\d\d)([A-Z])([a-z])$")


def parse_id(utt_id: str) -> tuple[str, str, str, str]:
    """(speaker, text code, emotion letter, version) of an EmoDB id such as ``03a01Fa``; ``ValueError`` otherwise."""
    m = _NAME.match(utt_id)
    if not m:
        raise ValueError(utt_id)
    return m.group(1), m.group(2), m.group(3), m.group(4)


def _wav_folder(root: Path) -> Path | None:
    """``wav/`` or ``wav_corpus/`` under ``root``, whichever holds EmoDB-named files."""
    for name in WAV_FOLDERS:
        wav = root / name
        if wav.is_dir() and any(_NAME.match(p.stem) for p in wav.glob("*.wav")):
            return wav
    return None


def _matches(root: Path) -> bool:
    return _wav_folder(root) is not None


def read_emodb(root: str | os.PathLike) -> pd.DataFrame:
    """One row per ``wav/*.wav``; ``label`` in {anger, boredom, disgust, fear, happiness, sadness, neutral},
    ``session`` = ``speaker`` (EmoDB has no sessions)."""
    root = require_layout(root, CORPUS, EXPECTED, _matches)
    report = ReadReport(CORPUS, str(root))
    rows = []
    wav = _wav_folder(root)
    if wav.name != "wav":
        report.note("audio folder named like some copies in circulation", f"{wav.name}/")
    for f in sorted(wav.iterdir()):
        if is_hidden(f) or not f.is_file():
            continue
        if f.suffix.lower() != ".wav":
            report.note("non-wav file in wav/ (ignored)", f.name)
            continue
        report.found += 1
        m = _NAME.match(f.stem)
        if not m:
            report.drop("file name does not follow the EmoDB scheme 03a01Fa.wav", f.name)
            continue
        spk, text, letter, version = m.groups()
        if letter not in EMOTIONS:
            report.drop(f"unknown emotion letter (expected one of {''.join(EMOTIONS)})", f.name)
            continue
        if spk not in SPEAKER_GENDER:
            report.drop(f"unknown speaker (expected one of {', '.join(SPEAKER_GENDER)})", f.name)
            continue
        probed = probe_audio(f, report, f.stem)
        if probed is None:
            continue
        sr, duration = probed
        rows.append(dict(id=f.stem, path=str(f), speaker=spk, gender=SPEAKER_GENDER[spk], session=spk,
                         label=EMOTIONS[letter], duration=duration, sample_rate=sr, text=text,
                         emotion=letter, version=version))
    if report.found != N_DISTRIBUTED:
        report.note(f"utterance count differs from the {N_DISTRIBUTED} of the distributed corpus",
                    f"found {report.found}")
    return finish(rows, report, CORPUS, root, EXTRA_COLUMNS)
