"""common.usable: a corpus with nothing usable, or too much dropped, stops the run naming its root and why."""

from pathlib import Path

import pandas as pd
import pytest

from common.corpora import Corpus, ReadReport
from common.errors import UnusableCorpusError
from common.usable import MAX_DROPPED_SHARE, check_usable


def _corpus(found: int, dropped: int) -> Corpus:
    report = ReadReport("EmoDB", "/data/emodb", found=found, kept=found - dropped)
    for i in range(dropped):
        report.drop("unreadable audio (truncated)", f"u{i}")
    table = pd.DataFrame({"path": [f"/data/emodb/wav/k{i}.wav" for i in range(found - dropped)]})
    table.attrs["report"] = report
    return Corpus(table, "real", Path("/data/emodb"), "emodb")


def test_a_corpus_within_the_stated_share_is_used() -> None:
    check_usable(_corpus(100, int(100 * MAX_DROPPED_SHARE)))


@pytest.mark.parametrize(("found", "dropped", "why"), [(100, 11, "11 of 100 utterances dropped"),
                                                        (5, 5, "no utterance can be used")])
def test_too_many_drops_or_none_kept_stop_the_run(found: int, dropped: int, why: str) -> None:
    with pytest.raises(UnusableCorpusError, match=f"emodb at /data/emodb: {why}") as err:
        check_usable(_corpus(found, dropped))
    assert "unreadable audio (truncated)" in str(err.value)
