"""What every result row says about its origin: data kind, corpus, profile, seeds, commit, hardware."""

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
    commit: str = field(default_factory=git_commit)
    backend: str = field(default_factory=keras_backend)
    hardware: str = field(default_factory=hardware)

    def __post_init__(self) -> None:
        if self.data not in DATA_KINDS:
            raise ValueError(f"data must be one of {DATA_KINDS}, got {self.data!r}")

    @classmethod
    def from_args(cls, args: argparse.Namespace, paper: str, corpus: Any, split: str = "",
                  also: tuple[Any, ...] = ()) -> RunContext:
        """Build from parsed ``run.py`` flags and the opened ``common.corpora.Corpus``.

        ``also`` names further corpora the numbers depend on (Huang's MUSAN noise): the corpus column
        joins their names with ``+`` and the row is ``real`` only when every one of them is real.
        Run ``r`` uses seed ``args.seed + r``; ``--from-tuning NAME`` makes ``hp_source`` ``tuning:NAME``.
        """
        corpora = (corpus, *also)
        data = "real" if all(c.data == "real" for c in corpora) else "synthetic"
        from_tuning = getattr(args, "from_tuning", None)
        return cls(paper=paper, data=data, corpus="+".join(c.name for c in corpora), profile=args.profile,
                   seeds=tuple(args.seed + r for r in range(args.runs)), split=split,
                   hp_source=f"tuning:{from_tuning}" if from_tuning else "paper")
