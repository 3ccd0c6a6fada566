"""Data splits of the five papers, as utterance-id lists (API.md, common.splits).

Cross-validation schemes return ``list[Fold]``; single hold-out splits (``subject_tvt``, ``random_split``)
return one ``Fold``. Every speaker-independent split checks that no speaker crosses a boundary, and
``write_folds`` stores the exact lists as CSV so that users can reuse and cite them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold, KFold, LeaveOneGroupOut, StratifiedKFold, train_test_split

from common.atomic import atomic_write_text
from common.errors import ConfigError

PARTS = ("train", "val", "test")


class SpeakerLeakError(AssertionError):
    """A speaker occurs in two parts of a speaker-independent fold."""


@dataclass
class Fold:
    """One fold: utterance ids of its train, validation and test parts."""

    name: str
    train: list[str]
    val: list[str] = field(default_factory=list)
    test: list[str] = field(default_factory=list)

    def indices(self, table: pd.DataFrame | pd.Series | list[str], column: str = "id") -> FoldIndices:
        """Row positions of this fold's ids in ``table`` (a frame with ``column``, or a sequence of ids).

        Raises ``ConfigError`` naming the fold when an id of the fold is not in the table.
        """
        ids = table[column] if isinstance(table, pd.DataFrame) else table
        pos = {str(u): i for i, u in enumerate(ids)}
        missing = [u for p in PARTS for u in getattr(self, p) if u not in pos]
        if missing:
            raise ConfigError(f"fold {self.name}: {len(missing)} ids not in the table, e.g. {missing[:3]}")
        return FoldIndices(self.name, *(np.array([pos[u] for u in getattr(self, p)], dtype=np.int64)
                                        for p in PARTS))


@dataclass(frozen=True)
class FoldIndices:
    """A fold as row positions into one table (``Fold.indices``)."""

    name: str
    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


def _ids(df: pd.DataFrame, mask) -> list[str]:
    """Ids selected by a boolean mask or by positions (never by index labels: subsets keep their old index)."""
    return [str(i) for i in df["id"].to_numpy()[np.asarray(mask)]]


def _groups(df: pd.DataFrame, column: str) -> np.ndarray:
    return df[column].astype(str).to_numpy()


def assert_speaker_disjoint(fold: Fold, df: pd.DataFrame) -> None:
    """Raise ``SpeakerLeakError`` if any speaker has utterances in two of train/val/test."""
    speaker = dict(zip(df["id"].astype(str), df["speaker"].astype(str), strict=True))
    sets = {p: {speaker[i] for i in getattr(fold, p)} for p in PARTS}
    for a, b in (("train", "val"), ("train", "test"), ("val", "test")):
        shared = sets[a] & sets[b]
        if shared:
            raise SpeakerLeakError(f"fold {fold.name}: speakers {sorted(shared)} are in both {a} and {b}")


def _by_group(df: pd.DataFrame, column: str, name_of=str) -> list[Fold]:
    g = _groups(df, column)
    folds = []
    for train, test in LeaveOneGroupOut().split(df, groups=g):
        fold = Fold(name_of(g[test[0]]), _ids(df, train), [], _ids(df, test))
        assert_speaker_disjoint(fold, df)
        folds.append(fold)
    return folds


def leave_one_session_out(df: pd.DataFrame) -> list[Fold]:
    """IEMOCAP's 5 folds, one session held out each (Latif §5, Zhao §4.2); fold names ``session1``..."""
    return _by_group(df, "session", lambda s: f"session{s}")


def leave_one_speaker_out(df: pd.DataFrame) -> list[Fold]:
    """One fold per speaker, named after it (Wieser §3.2: ten folds of exactly one speaker each)."""
    return _by_group(df, "speaker")


def speaker_kfold(df: pd.DataFrame, k: int, seed: int = 0) -> list[Fold]:
    """Speaker-wise k-fold (seeded ``GroupKFold``); k = number of speakers is leave-one-speaker-out."""
    g = _groups(df, "speaker")
    if not 2 <= k <= len(set(g)):
        raise ConfigError(f"speaker_kfold: k={k} needs 2 <= k <= {len(set(g))} speakers")
    folds = []
    for j, (train, test) in enumerate(GroupKFold(k, shuffle=True, random_state=seed).split(df, groups=g)):
        fold = Fold(f"fold{j + 1}", _ids(df, train), [], _ids(df, test))
        assert_speaker_disjoint(fold, df)
        folds.append(fold)
    return folds


def subject_tvt(df: pd.DataFrame, ratios: tuple[float, float, float] = (0.7, 0.1, 0.2), seed: int = 0) -> Fold:
    """Seeded train/validation/test partition of the *subjects* in ``ratios`` (Huang §5.2: 70:10:20)."""
    if len(ratios) != 3 or min(ratios) < 0 or not np.isclose(sum(ratios), 1.0):
        raise ConfigError(f"subject_tvt: ratios {ratios} must be three non-negative numbers summing to 1")
    speakers = np.array(sorted(df["speaker"].astype(str).unique()))
    np.random.default_rng(seed).shuffle(speakers)
    n = len(speakers)
    n_test = max(1, int(round(ratios[2] * n))) if ratios[2] > 0 else 0
    n_val = max(1, int(round(ratios[1] * n))) if ratios[1] > 0 else 0
    if n - n_test - n_val < 1:
        raise ConfigError(f"subject_tvt: {n} subjects are too few for ratios {ratios}")
    test, val, train = set(speakers[:n_test]), set(speakers[n_test:n_test + n_val]), set(speakers[n_test + n_val:])
    spk = df["speaker"].astype(str)
    fold = Fold(f"tvt-s{seed}", _ids(df, spk.isin(train)), _ids(df, spk.isin(val)), _ids(df, spk.isin(test)))
    assert_speaker_disjoint(fold, df)
    return fold


def speaker_pairs_holdout(df: pd.DataFrame, n_test: int = 2, seed: int = 0) -> list[Fold]:
    """Speaker-independent hold-out of ``n_test`` speakers, over all disjoint groups of a seeded shuffle of
    the speakers (Zhao §4.2: 8 speakers train, 2 test; 10 speakers give 5 folds). Leftover speakers join
    the last group."""
    speakers = np.array(sorted(df["speaker"].astype(str).unique()))
    if not 1 <= n_test < len(speakers):
        raise ConfigError(f"speaker_pairs_holdout: n_test={n_test} needs 1 <= n_test < {len(speakers)} speakers")
    np.random.default_rng(seed).shuffle(speakers)
    groups = [list(speakers[i:i + n_test]) for i in range(0, len(speakers) - n_test + 1, n_test)]
    groups[-1] += list(speakers[len(groups) * n_test:])
    spk = df["speaker"].astype(str)
    folds = []
    for group in groups:
        held = spk.isin(group)
        fold = Fold("test-" + "+".join(sorted(group)), _ids(df, ~held), [], _ids(df, held))
        assert_speaker_disjoint(fold, df)
        folds.append(fold)
    return folds


def _strata(df: pd.DataFrame, stratify: str | None):
    return None if stratify is None else df[stratify].astype(str).to_numpy()


def random_split(df: pd.DataFrame, test_frac: float = 0.2, seed: int = 0, stratify: str | None = "label") -> Fold:
    """Seeded random (speaker-dependent) split: Zhao §4.1 80/20, Latif §5 90/10 (``test_frac=0.1``)."""
    train, test = train_test_split(np.arange(len(df)), test_size=test_frac, random_state=seed,
                                   stratify=_strata(df, stratify))
    return Fold(f"random-s{seed}", _ids(df, np.sort(train)), [], _ids(df, np.sort(test)))


def random_kfold(df: pd.DataFrame, k: int = 10, seed: int = 0, stratify: str | None = "label") -> list[Fold]:
    """Seeded random k-fold over utterances (Latif §5.2: 10-fold, i.e. 90% train / 10% test per fold)."""
    cv = StratifiedKFold(k, shuffle=True, random_state=seed) if stratify else KFold(k, shuffle=True, random_state=seed)
    return [Fold(f"fold{j + 1}", _ids(df, train), [], _ids(df, test))
            for j, (train, test) in enumerate(cv.split(np.zeros(len(df)), _strata(df, stratify)))]


def carve_validation(fold: Fold, df: pd.DataFrame, frac: float = 0.2, seed: int = 0, by_speaker: bool = False,
                     by: str | None = None) -> Fold:
    """Move a seeded ``frac`` of ``fold.train`` into ``fold.val``: whole groups of column ``by`` (``"speaker"``,
    or ``"session"`` for IEMOCAP, whose two speakers talk to each other; ``by_speaker=True`` is ``by="speaker"``),
    at least one group carved and one left; otherwise utterances stratified by label where possible."""
    by = by or ("speaker" if by_speaker else None)
    train = list(fold.train)
    sub = df.set_index(df["id"].astype(str)).loc[train]
    rng = np.random.default_rng(seed)
    if by:
        groups = np.array(sorted(sub[by].astype(str).unique()))
        if len(groups) < 2:
            raise ConfigError(f"carve_validation: fold {fold.name} has {len(groups)} training {by}(s); "
                              f"at least 2 are needed to carve a validation {by}")
        rng.shuffle(groups)
        n_val = min(max(1, int(round(frac * len(groups)))), len(groups) - 1)
        held = sub[by].astype(str).isin(groups[:n_val]).to_numpy()
    else:
        labels = sub["label"].astype(str).to_numpy() if "label" in sub else None
        strat = labels if labels is not None and min(np.unique(labels, return_counts=True)[1]) >= 2 else None
        _, val_idx = train_test_split(np.arange(len(train)), test_size=frac, random_state=seed, stratify=strat)
        held = np.zeros(len(train), dtype=bool)
        held[val_idx] = True
    carved = [t for t, h in zip(train, held, strict=True) if h]
    kept = [t for t, h in zip(train, held, strict=True) if not h]
    out = Fold(fold.name, kept, list(fold.val) + carved, list(fold.test))
    if by:
        assert_speaker_disjoint(out, df)
    return out


def write_folds(folds: list[Fold], path: str | os.PathLike) -> Path:
    """Write ``fold,part,id`` rows (one per utterance and fold) atomically; return the path."""
    path = Path(path)
    rows = [(f.name, part, uid) for f in folds for part in PARTS for uid in getattr(f, part)]
    atomic_write_text(path, pd.DataFrame(rows, columns=["fold", "part", "id"]).to_csv(index=False))
    return path


def read_folds(path: str | os.PathLike) -> list[Fold]:
    """Folds back from a ``write_folds`` CSV, in file order."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    folds: dict[str, Fold] = {}
    for name, part, uid in table[["fold", "part", "id"]].itertuples(index=False):
        getattr(folds.setdefault(name, Fold(name, [], [], [])), part).append(uid)
    return list(folds.values())
