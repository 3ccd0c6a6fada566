"""Leak audit of fold files: ``python -m common.audit FOLDS... [--corpus NAME]`` (also ``sereprod audit-split``).

Formats read (files, or folders searched for them):

- the suite's split CSVs, ``fold,part,id`` (``common.splits.write_folds``);
- a plain CSV ``id,fold,set`` (``set`` or ``split`` also name the part; ``fold`` may be left out; an optional
  ``speaker`` column);
- EmoBox JSONL: one object per line with ``key`` (``<dataset>-<utterance id>``), e.g. ``iemocap_train_fold_1.jsonl``;
- SpeechBrain manifests: one JSON object ``{utterance id: {"wav": ..., ...}}`` per part (``train.json``, ...);
- s3prl emotion metadata: ``{"labels": ..., "meta_data": [{"path": ..., "speaker": ...}, ...]}``
  (``Session1/train_meta_data.json``).

A JSON file's part is the word ``train`` / ``valid`` / ``val`` / ``dev`` / ``test`` in its name, its fold the
``fold N`` in its name, else its folder's name. Speakers come from the ids of EmoDB, IEMOCAP or eNTERFACE
(``--corpus``, or recognised when every id parses; a window id ``<utterance>#<k>`` counts as its utterance),
else from a ``speaker`` column or field. Two CSV files never share a fold: their folds are named ``<file>/<fold>``.

Checks, per fold and pair of parts: the same utterance in both; shared speakers; shared IEMOCAP sessions
(a speaker's dialogue partner on the other side); shared texts (EmoDB text code, IEMOCAP script, eNTERFACE
sentence). Exit 1 on a leak (utterance, speaker or partner; shared texts only with ``--text-leak``, since every
EmoDB speaker reads the same ten texts), 0 when clean, 2 on a file that cannot be read.

Imports neither TensorFlow nor JAX.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from common.corpora import emodb, enterface, iemocap
from common.errors import SereprodError

PARTS = ("train", "val", "test")
PAIRS = (("train", "val"), ("train", "test"), ("val", "test"))
PART_NAMES = {"train": "train", "training": "train", "val": "val", "valid": "val", "validation": "val",
              "dev": "val", "test": "test"}
_PART_WORD = re.compile(r"(?:^|[_\-.])(" + "|".join(PART_NAMES) + r")(?=$|[_\-.])")
_FOLD_WORD = re.compile(r"fold[_\-]?(\d+)")
WINDOW_MARK = "#"  # the suite's window ids: <utterance id>#<window index> (Wieser §3.2)
LEAKS = ("utterance", "speaker", "partner")
NOUNS = {"utterance": "utterances", "speaker": "speakers", "partner": "IEMOCAP sessions split between partners",
         "text": "texts"}


class FoldFileError(SereprodError):
    """A fold file cannot be read: unknown format, missing column, unknown part, or no way to tell speakers."""


@dataclass(frozen=True)
class Entry:
    """One utterance of one part of one fold, as read from ``source``."""

    fold: str
    part: str
    id: str
    speaker: str | None
    source: str


@dataclass(frozen=True)
class Identity:
    """What an utterance id says: its speaker, IEMOCAP session (whose two speakers talk to each other), text."""

    speaker: str
    session: str | None = None
    text: str | None = None


def _iemocap(uid: str) -> Identity:
    speaker, session, _ = iemocap.speaker_of(uid)
    dialog = uid.rsplit("_", 1)[0]
    return Identity(speaker, f"Session{session}", dialog.split("_", 1)[1] if "_script" in dialog else None)


def _emodb(uid: str) -> Identity:
    speaker, text, _, _ = emodb.parse_id(uid)
    return Identity(speaker, None, text)


def _enterface(uid: str) -> Identity:
    speaker, sentence = enterface.speaker_of(uid)
    return Identity(speaker, None, sentence)


PARSERS: dict[str, Callable[[str], Identity]] = {"iemocap": _iemocap, "emodb": _emodb, "enterface": _enterface}


# ---- reading -------------------------------------------------------------------------------------------------

def _part(value: str, where: str) -> str:
    part = PART_NAMES.get(value.strip().lower())
    if part is None:
        raise FoldFileError(f"{where}: part {value!r} is none of {sorted(PART_NAMES)}")
    return part


def _read_csv(path: Path) -> list[Entry]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns = set(rows[0]) if rows else set()
    part_col = next((c for c in ("part", "set", "split") if c in columns), None)
    if "id" not in columns or part_col is None:
        raise FoldFileError(f"{path}: expected a header with 'id' and one of 'part', 'set', 'split' "
                            f"(and optionally 'fold', 'speaker'); found {sorted(columns) or 'no rows'}")
    entries = []
    for n, row in enumerate(rows, 2):
        uid = (row["id"] or "").strip()
        if not uid:
            raise FoldFileError(f"{path}:{n}: empty id")
        entries.append(Entry(row.get("fold") or "all", _part(row[part_col] or "", f"{path}:{n}"), uid,
                             row.get("speaker") or None, str(path)))
    return entries


def _name_part_fold(path: Path) -> tuple[str, str]:
    stem = path.stem.lower()
    m = _PART_WORD.search(stem)
    if not m:
        raise FoldFileError(f"{path}: the file name says no part; expected one of {sorted(PART_NAMES)} in it "
                            "(e.g. iemocap_train_fold_1.jsonl, valid.json, test_meta_data.json)")
    fold = _FOLD_WORD.search(stem)
    return PART_NAMES[m.group(1)], f"fold{fold.group(1)}" if fold else path.parent.name


def _record_id(rec: dict, where: str) -> tuple[str, str | None]:
    """(utterance id, speaker) of one JSON record of EmoBox (``key``) or s3prl (``path``)."""
    if "key" in rec:
        key, dataset = str(rec["key"]), str(rec.get("dataset", ""))
        uid = key[len(dataset) + 1:] if dataset and key.startswith(dataset + "-") else key
    elif "path" in rec or "wav" in rec:
        uid = Path(str(rec.get("path") or rec["wav"])).stem
    else:
        raise FoldFileError(f"{where}: record without 'key', 'path' or 'wav': {str(rec)[:80]}")
    speaker = rec.get("speaker", rec.get("spk_id"))
    return uid, None if speaker is None else str(speaker)


def _read_json(path: Path) -> list[Entry]:
    part, fold = _name_part_fold(path)
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".jsonl":
            records = [(json.loads(line), f"{path}:{n}") for n, line in enumerate(text.splitlines(), 1)
                       if line.strip()]
        else:
            data = json.loads(text)
            if isinstance(data, dict) and isinstance(data.get("meta_data"), list):       # s3prl
                records = [(r, str(path)) for r in data["meta_data"]]
            elif isinstance(data, dict):                                                 # SpeechBrain
                records = [({**v, "key": k} if isinstance(v, dict) else None, str(path)) for k, v in data.items()]
            else:                                                                        # EmoBox list
                records = [(r, str(path)) for r in data]
    except json.JSONDecodeError as e:
        raise FoldFileError(f"{path}: not JSON ({e})") from None
    entries = []
    for rec, where in records:
        if not isinstance(rec, dict):
            raise FoldFileError(f"{where}: expected a JSON object per utterance, found {str(rec)[:80]}")
        uid, speaker = _record_id(rec, where)
        entries.append(Entry(fold, part, uid, speaker, str(path)))
    return entries


def _files(arg: Path) -> list[Path]:
    """The fold files under a folder: every .csv/.jsonl/.json naming a part (a .json beside its .jsonl twin,
    as EmoBox ships them, is skipped)."""
    if not arg.is_dir():
        return [arg]
    found = sorted(p for p in arg.rglob("*") if p.suffix.lower() in (".csv", ".jsonl", ".json") and p.is_file())
    found = [p for p in found if not (p.suffix.lower() == ".json" and p.with_suffix(".jsonl").is_file())]
    return [p for p in found if p.suffix.lower() == ".csv" or _PART_WORD.search(p.stem.lower())]


def read_fold_files(paths: Iterable[str | Path]) -> list[Entry]:
    """Entries of every fold file (or folder of them); ``FoldFileError`` names the file that cannot be read."""
    entries: list[Entry] = []
    for arg in map(Path, paths):
        if not arg.exists():
            raise FoldFileError(f"{arg}: no such file or folder")
        files = _files(arg)
        if not files:
            raise FoldFileError(f"{arg}: no fold file (.csv, .jsonl or .json naming a part) in this folder")
        for path in files:
            try:
                entries += _read_csv(path) if path.suffix.lower() == ".csv" else _read_json(path)
            except (UnicodeDecodeError, csv.Error) as e:
                raise FoldFileError(f"{path}: cannot read ({e})") from None
    if not entries:
        raise FoldFileError(f"{', '.join(map(str, paths))}: no utterances")
    tables = {e.source for e in entries if e.source.lower().endswith(".csv")}
    if len(tables) > 1:  # each CSV holds whole folds: the same fold name in two of them is two folds
        entries = [replace(e, fold=f"{Path(e.source).stem}/{e.fold}") if e.source in tables else e for e in entries]
    return entries


def identify(entries: list[Entry], corpus: str | None = None) -> tuple[str | None, dict[str, Identity]]:
    """(corpus whose ids these are, or None; identity per id). ``FoldFileError`` when a speaker is unknown."""
    ids = sorted({e.id for e in entries})
    names = [corpus] if corpus else list(PARSERS)
    for name in names:
        try:
            return name, {u: PARSERS[name](u.split(WINDOW_MARK)[0]) for u in ids}
        except ValueError as bad:
            if corpus:
                raise FoldFileError(f"{entries[0].source}: id {bad} is not a {name} utterance id") from None
    column = {e.id: e.speaker for e in entries}
    missing = [e for e in entries if not column[e.id]]
    if missing:
        raise FoldFileError(f"{missing[0].source}: no speaker for ids such as {missing[0].id!r}: expected a "
                            f"'speaker' column or field, or ids of {', '.join(PARSERS)} (--corpus)")
    return None, {u: Identity(str(column[u])) for u in ids}


# ---- checking ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """Items of one kind (``utterance``, ``speaker``, ``partner``, ``text``) in two parts of one fold."""

    fold: str
    kind: str
    a: str
    b: str
    shared: tuple[str, ...]

    @property
    def leak(self) -> bool:
        return self.kind in LEAKS

    def __str__(self) -> str:
        more = ", ..." if len(self.shared) > 6 else ""
        return (f"fold {self.fold}: {len(self.shared)} {NOUNS[self.kind]} in both {self.a} and {self.b}: "
                f"{', '.join(self.shared[:6])}{more}")


def _fold_parts(entries: list[Entry]) -> dict[str, dict[str, list[str]]]:
    folds: dict[str, dict[str, dict[str, None]]] = {}
    for e in entries:
        folds.setdefault(e.fold, {p: {} for p in PARTS})[e.part][e.id] = None
    return {f: {p: list(ids) for p, ids in parts.items()} for f, parts in folds.items()}


def audit(entries: list[Entry], identities: dict[str, Identity]) -> list[Finding]:
    """Every overlap between the parts of each fold."""
    findings = []
    for fold, parts in _fold_parts(entries).items():
        who = {p: [identities[u] for u in ids] for p, ids in parts.items()}
        for a, b in PAIRS:
            spk = {p: {i.speaker for i in who[p]} for p in (a, b)}
            sessions = {p: {i.session: {j.speaker for j in who[p] if j.session == i.session}
                            for i in who[p] if i.session} for p in (a, b)}
            partner = {s for s in sessions[a].keys() & sessions[b].keys() if sessions[a][s] != sessions[b][s]}
            overlaps = {"utterance": set(parts[a]) & set(parts[b]), "speaker": spk[a] & spk[b], "partner": partner,
                        "text": {i.text for i in who[a] if i.text} & {i.text for i in who[b] if i.text}}
            findings += [Finding(fold, kind, a, b, tuple(sorted(shared))) for kind, shared in overlaps.items()
                         if shared]
    return findings


def summary(entries: list[Entry], identities: dict[str, Identity]) -> list[str]:
    """One line per fold: utterances and speakers of each part."""
    lines = []
    for fold, parts in _fold_parts(entries).items():
        cells = [f"{p} {len(ids)} utterances of {len({identities[u].speaker for u in ids})} speakers"
                 for p, ids in parts.items() if ids]
        lines.append(f"fold {fold}: " + ", ".join(cells))
    return lines


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status (1 leak, 0 clean, 2 unreadable file)."""
    parser = argparse.ArgumentParser(prog="python -m common.audit", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folds", nargs="+", metavar="FOLDS", help="fold files, or folders holding them")
    parser.add_argument("--corpus", choices=sorted(PARSERS), help="parse speakers, sessions and texts from the "
                        "ids of this corpus (default: recognised when every id parses)")
    parser.add_argument("--text-leak", action="store_true", help="count shared texts as a leak (exit 1)")
    args = parser.parse_args(argv)
    try:
        entries = read_fold_files(args.folds)
        corpus, identities = identify(entries, args.corpus)
    except SereprodError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"{len(entries)} entries, {len({e.fold for e in entries})} folds; speakers from "
          + (f"the {corpus} ids" if corpus else "the speaker column"))
    print("\n".join(summary(entries, identities)))
    findings = audit(entries, identities)
    leaks = [f for f in findings if f.leak or (args.text_leak and f.kind == "text")]
    for f in findings:
        print(("LEAK  " if f in leaks else "note  ") + str(f))
    print(f"{'leak' if leaks else 'clean'}: {len(leaks)} leaking overlaps")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
