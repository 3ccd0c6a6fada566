"""What every result row says about its origin: data kind, corpus (and its fingerprint), profile, the overrides
that changed the paper's protocol, seeds, commit, hardware."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any

from common.provenance import git_commit, hardware, keras_backend

DATA_KINDS = ("synthetic", "real")


@dataclass(frozen=True)
class RunContext:
    """Provenance shared by all records of one run."""

    paper: str
    data: str
    corpus: str
    profile: str
    seeds: tuple[int, ...]
    split: str = ""
    hp_source: str = "paper"
    #: file count, bytes and hash of each real corpus (``name: fingerprint``, joined by ``; ``)
    corpus_fingerprint: str = ""
    #: how the corpora differ from the releases the papers used ('' when they match)
    corpus_differs: str = ""
    #: flags that changed the profile's protocol (``--runs 1 --set si_folds=1 --rehearse``; '' for none)
    overrides: str = ""
    #: items read per corpus (``iemocap=10039 musan=930``)
    utterances: str = ""
    commit: str = field(default_factory=git_commit)
    backend: str = field(default_factory=keras_backend)
    hardware: str = field(default_factory=hardware)

    def __post_init__(self) -> None:
        if self.data not in DATA_KINDS:
            raise ValueError(f"data must be one of {DATA_KINDS}, got {self.data!r}")

    @property
    def judgeable(self) -> bool:
        """True when rows of this run may get a verdict: real data, the paper's corpus, the paper's protocol."""
        return (self.data == "real" and not self.corpus_differs and self.profile == "paper" and not self.overrides
                and not self.hp_source.startswith("tuning:"))

    @classmethod
    def from_args(cls, args: argparse.Namespace, paper: str, corpus: Any, split: str = "",
                  also: tuple[Any, ...] = (), profile: Any = None) -> RunContext:
        """Build from parsed ``run.py`` flags and the opened ``common.corpora.Corpus``.

        ``also`` names further corpora the numbers depend on (Huang's MUSAN noise): the corpus column
        joins their names with ``+`` and the row is ``real`` only when every one of them is real.
        Run ``r`` uses seed ``args.seed + r``; ``--from-tuning NAME`` makes ``hp_source`` ``tuning:NAME``.
        ``profile`` (the chosen ``Profile``) tells which of ``--runs``, ``--epochs`` and ``--set`` changed it.
        """
        corpora = (corpus, *also)
        data = "real" if all(c.data == "real" for c in corpora) else "synthetic"
        from_tuning = getattr(args, "from_tuning", None)
        return cls(paper=paper, data=data, corpus="+".join(c.name for c in corpora), profile=args.profile,
                   seeds=tuple(args.seed + r for r in range(args.runs)), split=split,
                   hp_source=f"tuning:{from_tuning}" if from_tuning else "paper",
                   corpus_fingerprint="; ".join(f"{c.name}: {getattr(c, 'fingerprint', '')}" for c in corpora
                                                if getattr(c, "fingerprint", "")),
                   corpus_differs="; ".join(f"{c.name}: {getattr(c, 'release_differs', '')}" for c in corpora
                                            if getattr(c, "release_differs", "")),
                   overrides=overrides(args, profile),
                   utterances=" ".join(f"{c.name}={len(c.table)}" for c in corpora if hasattr(c, "table")))


def overrides(args: argparse.Namespace, profile: Any = None) -> str:
    """The flags of ``args`` that change the profile's protocol, as text ('' when it runs as the profile says).
    ``--from-tuning`` is not among them: it is the row's ``hp_source`` (``tuning:NAME``), judged as an override too."""
    found = []
    if profile is not None:
        for flag, value, default in (("--runs", args.runs, profile.runs), ("--epochs", args.epochs, profile.epochs)):
            if value != default:
                found.append(f"{flag} {value} (profile: {default})")
        ours, theirs = args.settings.as_key(), profile.settings.as_key()
        found += [f"--set {k}={v} (profile: {theirs[k]})" for k, v in sorted(ours.items()) if v != theirs[k]]
    else:  # without the profile: the --set flags as given
        found += [f"--set {item}" for item in getattr(args, "overrides", []) or []]
        found += [f"--set {name.removeprefix('setting_')}={value}" for name, value in sorted(vars(args).items())
                  if name.startswith("setting_") and value is not None]
    for flag in ("rehearse", "whole_passes", "no_search"):
        if getattr(args, flag, False):
            found.append("--" + flag.replace("_", "-"))
    return " ".join(found)
