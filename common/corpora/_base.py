"""Shared pieces of the corpus readers: the read report, layout validation and the result table."""

from __future__ import annotations

import difflib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from common.audio import TARGET_SR, audio_info
from common.errors import AudioReadError, CorpusLayoutError

log = logging.getLogger("common.corpora")

BASE_COLUMNS = ["id", "path", "speaker", "gender", "session", "label", "duration", "sample_rate"]


def cache_dir() -> Path:
    """``$SEREPROD_CACHE`` or ``<repo>/.cache/sereprod``."""
    env = os.environ.get("SEREPROD_CACHE")
    return Path(env) if env else Path(__file__).resolve().parents[2] / ".cache" / "sereprod"


@dataclass
class ReadReport:
    """Counts of one read: every candidate utterance is either kept or dropped with a reason.

    ``notes`` lists things that were kept but deserve a mention (resampled rates, irregular folders,
    ignored non-audio files); they never change ``found``/``kept``.
    """

    corpus: str
    root: str
    found: int = 0
    kept: int = 0
    dropped: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def drop(self, reason: str, item: str) -> None:
        self.dropped.setdefault(reason, []).append(item)

    def note(self, what: str, item: str) -> None:
        self.notes.setdefault(what, []).append(item)

    @property
    def n_dropped(self) -> int:
        return sum(len(v) for v in self.dropped.values())

    def __str__(self) -> str:
        lines = [f"{self.corpus} at {self.root}: found {self.found} utterances, kept {self.kept}, "
                 f"dropped {self.n_dropped}"]
        for reason, items in sorted(self.dropped.items()):
            lines.append(f"  dropped {len(items):5d}: {reason} (e.g. {', '.join(items[:3])})")
        for what, items in sorted(self.notes.items()):
            lines.append(f"  note    {len(items):5d}: {what} (e.g. {', '.join(items[:3])})")
        return "\n".join(lines)


def _listing(d: Path, limit: int = 8) -> str:
    try:
        entries = sorted(d.iterdir())
    except OSError as e:
        return f"unreadable ({e.strerror})"
    if not entries:
        return "an empty directory"
    names = [e.name + ("/" if e.is_dir() else "") for e in entries[:limit]]
    more = f" ... ({len(entries)} entries)" if len(entries) > limit else ""
    return ", ".join(names) + more


def _subdirs(d: Path) -> list[Path]:
    try:
        return sorted(p for p in d.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def _suggest(root: Path, matches: Callable[[Path], bool]) -> str:
    """Nearest directory with the expected layout: one or two levels up or down, or a similar name."""
    if root.exists():
        for up, hint in ((root.parent, "one level too low"), (root.parent.parent, "two levels too low")):
            if up != root and matches(up):
                return f"{up} has the expected layout (the given root is {hint})"
        children = _subdirs(root)
        for child in children:
            if matches(child):
                return f"{child} has the expected layout (the given root is one level too high)"
        for child in children[:50]:
            for grandchild in _subdirs(child)[:50]:
                if matches(grandchild):
                    return f"{grandchild} has the expected layout (the given root is two levels too high)"
        return ""
    parent = root.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    names = [p.name for p in _subdirs(parent)]
    close = difflib.get_close_matches(root.name, names, n=1, cutoff=0.5)
    if close:
        return f"{parent / close[0]} exists (a similar name)"
    return ""


def require_layout(root: str | os.PathLike, corpus: str, expected: Iterable[str],
                   matches: Callable[[Path], bool]) -> Path:
    """Return ``root`` resolved if ``matches(root)``; otherwise raise a ``CorpusLayoutError`` that names the
    root, the expected paths, what was found and the nearest directory with the right layout."""
    root = Path(root).expanduser()
    if root.is_dir() and matches(root):
        return root.resolve()
    if not root.exists():
        found = "nothing: the directory does not exist"
    elif not root.is_dir():
        found = "a file, not a directory"
    else:
        found = _listing(root)
    suggestion = _suggest(root, matches)
    expected_txt = "\n".join(f"    {root}/{e}" for e in expected)
    msg = (f"{corpus}: {root} is not a {corpus} corpus root as distributed.\n"
           f"  expected:\n{expected_txt}\n  found: {found}")
    if suggestion:
        msg += f"\n  nearest match: {suggestion}; pass that directory instead."
    raise CorpusLayoutError(msg)


def probe_audio(path: Path, report: ReadReport, uid: str, expected_sr: int | None = TARGET_SR
                ) -> tuple[int, float] | None:
    """(sample_rate, duration) from the header; ``None`` and a counted drop if the file is unreadable."""
    try:
        sr, n = audio_info(path)
    except AudioReadError as e:
        report.drop(f"unreadable audio ({e.why.split(' (')[0].split(':')[0]})", uid)
        return None
    if expected_sr is not None and sr != expected_sr:
        report.note(f"sample rate differs from {expected_sr} Hz (kept, resampled to {TARGET_SR} Hz on load)",
                    f"{uid}@{sr}")
    return sr, n / sr


def finish(rows: list[dict], report: ReadReport, corpus: str, root: Path, extra: list[str]) -> pd.DataFrame:
    """Build the table, check that found == kept + dropped, log the report and attach it."""
    df = pd.DataFrame(rows, columns=BASE_COLUMNS + extra)
    df = df.sort_values("id", kind="stable").reset_index(drop=True)
    report.kept = len(df)
    if report.found != report.kept + report.n_dropped:  # a bookkeeping bug, never a data problem
        raise AssertionError(f"{corpus}: found {report.found} != kept {report.kept} + dropped {report.n_dropped}")
    if df["id"].duplicated().any():
        raise AssertionError(f"{corpus}: duplicate ids {df['id'][df['id'].duplicated()].tolist()[:5]}")
    df.attrs["report"] = report
    df.attrs["root"] = str(root)
    df.attrs["corpus"] = corpus
    log.info("%s", report)
    return df


def is_hidden(p: Path) -> bool:
    """macOS resource forks (``._x.wav``) and other dot files are never corpus files."""
    return p.name.startswith(".")
