"""published.csv holds every number of Zhao et al.'s Tables 3–9, transcribed from the paper."""

import pandas as pd
import pytest

from common.results import load_published

# Class totals of the whole corpora (EmoDB: 535 utterances; IEMOCAP improvised prototypical: 1144 of 1150).
EMODB_COUNTS = {"Ang": 127, "Bor": 81, "Dis": 46, "Fea": 69, "Hap": 71, "Neu": 79, "Sad": 62}
IEMOCAP_COUNTS = {"Ang": 71, "Exc": 178, "Fru": 271, "Hap": 31, "Neu": 328, "Sad": 265}


@pytest.fixture(scope="module")
def pub() -> pd.DataFrame:
    return load_published("zhao2019")


def _cell(pub, table, row, column, metric):
    hit = pub[(pub.table == table) & (pub.row == row) & (pub.column == column) & (pub.metric == metric)]
    assert len(hit) == 1, (table, row, column, metric)
    return float(hit.value.iloc[0])


@pytest.mark.parametrize("table,row,column,metric,value", [
    ("Table 3", "audio clips: Ang", "Ang", "confusion", 95.28),
    ("Table 3", "log-mel spectrograms: Neu", "Bor", "confusion", 5.06),
    ("Table 4", "audio clips: Hap", "Exc", "confusion", 29.03),
    ("Table 4", "log-mel spectrograms", "Average accuracy", "accuracy", 89.16),
    ("Table 5", "audio clips: Hap", "Ang", "confusion", 19.72),
    ("Table 6", "log-mel spectrograms: Hap", "Neu", "confusion", 41.94),
    ("Table 6", "audio clips", "Average accuracy", "accuracy", 79.72),
    ("Table 7(a)", "IEMOCAP (speaker-independent)", "Log-mel Spectrogram", "average_accuracy", 85.58),
    ("Table 7(b)", "Berlin EmoDB (speaker-independent)", "Log-mel Spectrogram", "validation_accuracy", 82.42),
    ("Table 7(b)", "IEMOCAP (speaker-dependent)", "Audio Clip", "validation_accuracy", 46.12),
    ("Table 8", "Wu et al. [10]", "Accuracy (speaker-indep)", "accuracy", 85.8),
    ("Table 8", "Semiye Demircan et al. [14]", "Accuracy (speaker-indep)", "accuracy", 92.9),
    ("Table 9", "W. Q. Zheng et al. [21]", "Test Accuracy (speaker-indep)", "accuracy", 40.02),
    ("Table 9", "Our Work", "Test Accuracy (speaker-indep)", "accuracy", 52.14),
])
def test_cells_match_the_paper(pub, table, row, column, metric, value):
    assert _cell(pub, table, row, column, metric) == value


def test_every_table_is_complete(pub):
    sizes = pub.groupby("table").size().to_dict()
    # Tables 3/5: two 7x7 matrices + 2 averages; Tables 4/6: two 6x6 + 2; Table 7: 4 x 2 each.
    assert sizes == {"Table 3": 100, "Table 4": 74, "Table 5": 100, "Table 6": 74, "Table 7(a)": 8,
                     "Table 7(b)": 8, "Table 8": 8, "Table 9": 4}
    assert set(pub.unit) == {"%"}


def test_confusion_rows_sum_to_100(pub):
    conf = pub[pub.metric == "confusion"]
    sums = conf.groupby(["table", "row"]).value.sum()
    assert len(sums) == 2 * (7 + 6 + 7 + 6)
    assert sums.between(99.9, 100.1).all(), sums[~sums.between(99.9, 100.1)]


@pytest.mark.parametrize("table,counts", [("Table 3", EMODB_COUNTS), ("Table 4", IEMOCAP_COUNTS),
                                          ("Table 5", EMODB_COUNTS), ("Table 6", IEMOCAP_COUNTS)])
def test_average_accuracies_count_the_whole_corpus(pub, table, counts):
    """The finding behind the faithful mode: each "Average accuracy" is correct predictions over the whole
    corpus (training utterances included), since every diagonal % times the full class total is an integer."""
    for half in ("audio clips", "log-mel spectrograms"):
        hits = [_cell(pub, table, f"{half}: {c}", c, "confusion") * n / 100 for c, n in counts.items()]
        assert all(abs(h - round(h)) < 0.02 for h in hits)
        overall = 100 * sum(round(h) for h in hits) / sum(counts.values())
        assert round(overall, 2) == _cell(pub, table, half, "Average accuracy", "accuracy")


def test_table7a_equals_the_confusion_averages(pub):
    for table, row in [("Table 3", "Berlin EmoDB (speaker-dependent)"), ("Table 6", "IEMOCAP (speaker-independent)")]:
        for half, column in [("audio clips", "Audio Clip"), ("log-mel spectrograms", "Log-mel Spectrogram")]:
            assert _cell(pub, table, half, "Average accuracy", "accuracy") == _cell(
                pub, "Table 7(a)", row, column, "average_accuracy")


def test_cell_kinds_and_confusion_tolerance_of_one_utterance(pub):
    """Every cell is a point value; confusion cells carry one utterance's share of the class as abs_tol."""
    assert set(pub["kind"]) == {"value"}
    conf = pub[pub.metric == "confusion"]
    counts = {"Table 3": EMODB_COUNTS, "Table 5": EMODB_COUNTS, "Table 4": IEMOCAP_COUNTS, "Table 6": IEMOCAP_COUNTS}
    for table, row, tol in conf[["table", "row", "abs_tol"]].itertuples(index=False):
        assert float(tol) == pytest.approx(100 / counts[table][row.split(": ")[1]], abs=0.005)
    rest = pub[pub.metric != "confusion"]
    assert rest["abs_tol"].isna().all() or (rest["abs_tol"].astype(str).isin(["", "nan"])).all()
