"""No silent emptiness: a run stops when a corpus gives it no utterance or drops too much of it on reading.

The readers count every candidate utterance as kept or dropped with a reason (``common.corpora.ReadReport``);
a run proceeds only when some were kept and at most :data:`MAX_DROPPED_SHARE` of them were dropped.
"""

from __future__ import annotations

from typing import Any

from common.errors import UnusableCorpusError

#: the stated share of a corpus's candidate utterances that may be dropped on reading (unreadable audio, labels
#: without audio, ...); the distributed corpora read whole, so a larger share means a damaged or partial copy
MAX_DROPPED_SHARE = 0.10


def check_usable(corpus: Any) -> None:
    """Raise :class:`UnusableCorpusError` naming the root and the reasons when ``corpus`` (a
    ``common.corpora.Corpus``) has no utterance or dropped more than :data:`MAX_DROPPED_SHARE` of them."""
    report = corpus.table.attrs.get("report")
    kept = len(corpus.table)
    found = report.found if report is not None else kept
    dropped = report.n_dropped if report is not None else 0
    if kept and dropped <= MAX_DROPPED_SHARE * found:
        return
    reasons = str(report) if report is not None else f"{corpus.name} at {corpus.root}: no utterance"
    why = "no utterance can be used" if not kept else \
        f"{dropped} of {found} utterances dropped, more than the {MAX_DROPPED_SHARE:.0%} a run accepts"
    raise UnusableCorpusError(f"{corpus.name} at {corpus.root}: {why}; the reader's report:\n{reasons}")
