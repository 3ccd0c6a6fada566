"""IEMOCAP reader (``IEMOCAP_full_release/``); used by Latif §4.1, Wieser §3.2 and Zhao §4.

Audio: ``SessionN/sentences/wav/<dialog>/<utterance>.wav``.
Labels: ``SessionN/dialog/EmoEvaluation/<dialog>.txt``; each block starts with
``[start - end]<TAB>Ses01F_impro01_F000<TAB>neu<TAB>[V, A, D]`` (consensus category, mean valence,
activation, dominance on 1-5) followed by per-evaluator lines ``C-E2:<TAB>Neutral;<TAB>()`` and
``A-E2:<TAB>val 3; act 2; dom  2;<TAB>()``. Some evaluator lines of the distributed copy carry no dominance
number (``val 3; act 2; dom ;``): their valence and activation are kept, dominance is NaN, and the line is noted.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from common.corpora._base import ReadReport, finish, is_hidden, probe_audio, require_layout
from common.errors import LabelFormatError

CORPUS = "IEMOCAP"
CATEGORIES = {
    "neu": "neutral", "hap": "happiness", "exc": "excited", "sad": "sadness", "ang": "anger",
    "fru": "frustration", "sur": "surprise", "fea": "fear", "dis": "disgust", "oth": "other",
    "xxx": "no agreement",
}
EXPECTED = [
    "Session[1-5]/sentences/wav/<dialog>/<utterance>.wav",
    "Session[1-5]/dialog/EmoEvaluation/<dialog>.txt",
]
EXTRA_COLUMNS = ["dialog", "mode", "category", "valence", "activation", "dominance",
                 "cat_votes", "dim_votes", "start", "end"]

_NUM = r"(\d+(?:\.\d*)?)"
_HEADER = re.compile(
    rf"^\[\s*{_NUM}\s*-\s*{_NUM}\s*\]\s+(\S+)\s+(\w+)\s+\[\s*{_NUM}\s*,\s*{_NUM}\s*,\s*{_NUM}\s*\]\s*$")
_EVAL = re.compile(r"^([CA])-([A-Z]+\d*)\s*:\s*(.*)$")
_DIM = re.compile(rf"val\s*{_NUM}\s*;\s*act\s*{_NUM}\s*;\s*dom\s*{_NUM}?")
_UTT = re.compile(r"^Ses(\d\d)[FM]_.+_([FM])\d+$")


def _matches(root: Path) -> bool:
    return any((root / f"Session{n}" / "dialog" / "EmoEvaluation").is_dir() for n in range(1, 6))


def speaker_of(utt_id: str) -> tuple[str, int, str]:
    """(speaker, session, gender) of an utterance id.

    The speaker's gender is the letter before the turn index (``Ses01F_impro01_M000`` is the male actor
    of session 1), not the letter after the session number, which only says who wore the markers.
    """
    m = _UTT.match(utt_id)
    if not m:
        raise ValueError(utt_id)
    session, gender = int(m.group(1)), m.group(2)
    return f"Ses{session:02d}{gender}", session, gender


def parse_emo_evaluation(path: str | os.PathLike, report: ReadReport | None = None) -> list[dict]:
    """Parse one EmoEvaluation file into one dict per utterance block.

    Raises ``LabelFormatError`` (file, line, text, expected form) for a malformed utterance line or an
    evaluator line outside a block; an unparsable dimensional evaluator line is skipped and noted.
    """
    path = Path(path)
    blocks: list[dict] = []
    text = path.read_text(encoding="utf-8", errors="replace")
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        where = f"{path}:{lineno}"
        if line.startswith("["):
            m = _HEADER.match(line)
            if not m:
                raise LabelFormatError(
                    f"{where}: malformed utterance line {raw!r}; expected "
                    "'[start - end]<TAB>SesNNX_<dialog>_X000<TAB><cat><TAB>[V, A, D]'")
            start, end, uid, cat, v, a, d = m.groups()
            try:
                speaker_of(uid)
            except ValueError:
                raise LabelFormatError(f"{where}: utterance id {uid!r} is not of the form SesNNX_<dialog>_X000"
                                       ) from None
            blocks.append(dict(id=uid, start=float(start), end=float(end), category=cat.lower(),
                               valence=float(v), activation=float(a), dominance=float(d),
                               cat_votes={}, dim_votes={}, label_file=where))
            continue
        m = _EVAL.match(line)
        if not m:
            if report is not None:
                report.note("unrecognised line in EmoEvaluation file (skipped)", where)
            continue
        if not blocks:
            raise LabelFormatError(f"{where}: evaluator line {raw!r} before the first utterance line")
        kind, evaluator, rest = m.groups()
        body = rest.split("\t")[0] if "\t" in rest else rest.split("(")[0]
        if kind == "C":
            blocks[-1]["cat_votes"][evaluator] = [c.strip() for c in body.split(";") if c.strip()]
        else:
            dm = _DIM.search(rest)
            if dm:
                val, act, dom = dm.groups()
                if dom is None and report is not None:
                    report.note("dimensional evaluator line without dominance (valence and activation kept)", where)
                blocks[-1]["dim_votes"][evaluator] = (float(val), float(act), float(dom or "nan"))
            elif report is not None:
                report.note("unparsable dimensional evaluator line (vote skipped)", where)
    return blocks


def read_iemocap(root: str | os.PathLike) -> pd.DataFrame:
    """One row per utterance of ``IEMOCAP_full_release/`` (see API.md for the columns).

    ``label`` = ``category``, the raw consensus code; ``xxx`` (no agreement) and ``oth`` are kept and
    counted in the report's notes so that each paper filters them explicitly.
    """
    root = require_layout(root, CORPUS, EXPECTED, _matches)
    report = ReadReport(CORPUS, str(root))
    sessions = [n for n in range(1, 6) if (root / f"Session{n}").is_dir()]
    for n in set(range(1, 6)) - set(sessions):
        report.note("session missing from this copy", f"Session{n}")

    labels: dict[str, dict] = {}
    audio: dict[str, Path] = {}
    for n in sessions:
        emo_dir = root / f"Session{n}" / "dialog" / "EmoEvaluation"
        for txt in sorted(emo_dir.glob("*.txt")) if emo_dir.is_dir() else []:
            if is_hidden(txt):
                continue
            for block in parse_emo_evaluation(txt, report):
                if block["id"] in labels:
                    report.note("utterance labelled twice (first block used)", block["label_file"])
                    continue
                labels[block["id"]] = block
        wav_dir = root / f"Session{n}" / "sentences" / "wav"
        if not wav_dir.is_dir():
            report.note("audio folder missing", str(wav_dir))
            continue
        for f in sorted(wav_dir.glob("*/*")):
            if is_hidden(f) or not f.is_file():
                continue
            if f.suffix.lower() != ".wav":
                report.note("non-wav file in sentences/wav (ignored)", f.name)
                continue
            audio[f.stem] = f

    rows = []
    for uid in sorted(set(labels) | set(audio)):
        report.found += 1
        if uid not in audio:
            report.drop("label without audio", uid)
            continue
        if uid not in labels:
            report.drop("audio without label", uid)
            continue
        probed = probe_audio(audio[uid], report, uid)
        if probed is None:
            continue
        sr, duration = probed
        b = labels[uid]
        speaker, session, gender = speaker_of(uid)
        dialog = uid.rsplit("_", 1)[0]
        mode = "improvised" if "_impro" in dialog else "scripted"
        if b["category"] not in CATEGORIES:
            report.note("unknown consensus category (kept as is)", f"{uid}:{b['category']}")
        if b["category"] in ("xxx", "oth"):
            report.note(f"consensus '{b['category']}' ({CATEGORIES[b['category']]}; kept, label={b['category']})",
                        uid)
        rows.append(dict(id=uid, path=str(audio[uid]), speaker=speaker, gender=gender, session=session,
                         label=b["category"], duration=duration, sample_rate=sr, dialog=dialog, mode=mode,
                         category=b["category"], valence=b["valence"], activation=b["activation"],
                         dominance=b["dominance"], cat_votes=b["cat_votes"], dim_votes=b["dim_votes"],
                         start=b["start"], end=b["end"]))
    return finish(rows, report, CORPUS, root, EXTRA_COLUMNS)
