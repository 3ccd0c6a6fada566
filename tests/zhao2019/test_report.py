"""Aggregation of Tables 3–9: faithful mode counts every utterance, clean mode only the test utterances."""

import numpy as np
import pandas as pd

from common.splits import Fold
from reproductions.zhao2019.protocol import Unit
from reproductions.zhao2019.report import rows, summarise


def _unit(selection: str, run: int = 0, protocol: str = "speaker-dependent") -> Unit:
    train, test = np.array([0, 1, 2, 3, 4, 5]), np.array([6, 7])
    val = test if selection == "faithful" else np.array([5])
    if selection == "clean":
        train = train[:-1]
    return Unit(protocol, selection, Fold("f", [], [], []), run, train, val, test)


def test_faithful_counts_training_utterances_clean_does_not():
    y = np.array([0, 0, 0, 1, 1, 1, 0, 1])
    y_pred = np.array([0, 0, 0, 1, 1, 1, 1, 0])  # training utterances right, both test utterances wrong
    payload = {"y_pred": y_pred, "val_accuracy": 0.5, "best_epoch": 3}
    faithful = summarise("2d", "speaker-dependent", "faithful", [_unit("faithful")], [payload], y, 2)
    clean = summarise("2d", "speaker-dependent", "clean", [_unit("clean")], [payload], y, 2)
    assert faithful.accuracy == [75.0] and clean.accuracy == [0.0]
    assert np.allclose(faithful.confusion[0], [[75, 25], [25, 75]])
    assert np.allclose(clean.confusion[0], [[0, 100], [100, 0]])
    assert faithful.validation_accuracy == [50.0] and faithful.variant == "faithful"


def test_runs_are_kept_apart_for_mean_and_std():
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    right = {"y_pred": y.copy(), "val_accuracy": 1.0, "best_epoch": 1}
    wrong = {"y_pred": 1 - y, "val_accuracy": 0.0, "best_epoch": 1}
    exp = summarise("2d-timeseq", "speaker-dependent", "clean", [_unit("clean", 0), _unit("clean", 1)],
                    [right, wrong], y, 2)
    assert exp.accuracy == [100.0, 0.0] and exp.variant == "timeseq-clean"
    assert pd.Series(exp.accuracy).std() > 0


def _cells(exp, corpus="iemocap"):
    return {(r.table, r.row, r.column, r.metric): r for r in rows(corpus, "IEMOCAP", exp, ["A", "B"], "x")}


def test_table9_speaker_independent_test_accuracy_is_the_test_accuracy_in_clean_mode():
    """Clean mode validates on a training speaker: Table 9's "Test Accuracy" must be the test speakers' accuracy,
    not that validation accuracy; faithful mode keeps the paper's 7(b) value (validation set = test set)."""
    y = np.array([0, 0, 0, 1, 1, 1, 0, 1])
    y_pred = np.array([0, 0, 0, 1, 1, 0, 0, 1])  # validation utterance 5 wrong, both test utterances right
    payload = {"y_pred": y_pred, "val_accuracy": 0.0, "best_epoch": 2}
    clean = summarise("2d", "speaker-independent", "clean", [_unit("clean", protocol="speaker-independent")],
                      [payload], y, 2)
    key = ("Table 9", "Our Work", "Test Accuracy (speaker-indep)", "accuracy")
    cell = _cells(clean)[key]
    assert list(cell.values) == [100.0] and cell.variant == "clean"
    assert cell.evidence is not None and len(cell.evidence.y_true[0]) == 2  # the 2 test utterances
    faithful = summarise("2d", "speaker-independent", "faithful", [_unit("faithful", protocol="speaker-independent")],
                         [{**payload, "val_accuracy": 0.25}], y, 2)
    assert list(_cells(faithful)[key].values) == [25.0]


def test_every_accuracy_cell_has_an_unweighted_twin_with_evidence():
    y = np.array([0, 0, 0, 0, 0, 1, 0, 1])  # unbalanced: 6 of class 0
    y_pred = np.zeros(8, dtype=int)  # always the majority class
    payload = {"y_pred": y_pred, "val_accuracy": 0.5, "best_epoch": 1}
    exp = summarise("2d", "speaker-dependent", "faithful", [_unit("faithful")], [payload], y, 2,
                    groups=np.array(list("ababab" "ab")))
    cells = _cells(exp)
    wa = cells[("Table 7(a)", "IEMOCAP (speaker-dependent)", "Log-mel Spectrogram", "average_accuracy")]
    ua = cells[("Table 7(a)", "IEMOCAP (speaker-dependent)", "Log-mel Spectrogram", "ua")]
    assert list(wa.values) == [75.0] and list(ua.values) == [50.0]
    assert wa.evidence.metric == "accuracy" and ua.evidence.metric == "ua"
    assert set(ua.evidence.groups[0]) == {"a", "b"}
    for table in ("Table 4", "Table 7(b)", "Table 9"):
        metrics = {k[3] for k in cells if k[0] == table}
        assert any("ua" in m for m in metrics), (table, metrics)
    assert all(r.hp_source == "x" for r in cells.values())


def test_table_7b_carries_the_selection_set_predictions_as_evidence():
    """Table 7(b), the accuracy on the selection set, is judged like any accuracy: its items are kept."""
    y = np.array([0, 0, 0, 1, 1, 1, 0, 1])
    y_pred = np.array([0, 0, 0, 1, 1, 1, 0, 0])  # of the selection set (6, 7): one right, one wrong
    payload = {"y_pred": y_pred, "val_accuracy": 0.5, "best_epoch": 2}
    exp = summarise("2d", "speaker-dependent", "faithful", [_unit("faithful")], [payload], y, 2,
                    groups=np.array(list("ababab" "ab")))
    cell = _cells(exp)[("Table 7(b)", "IEMOCAP (speaker-dependent)", "Log-mel Spectrogram", "validation_accuracy")]
    assert cell.evidence is not None and cell.evidence.metric == "accuracy"
    assert list(cell.evidence.y_true[0]) == [0, 1] and list(cell.evidence.y_pred[0]) == [0, 0]
