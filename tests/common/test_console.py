"""What a run prints: one line for undertraining expected by design, no retracing noise from Keras's own steps."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import keras
import numpy as np

from common.engine.runner import write_warnings
from common.engine.unit import Units


def _session(units: Units) -> SimpleNamespace:
    return SimpleNamespace(units=units, paper=SimpleNamespace(name="toy"),
                           args=SimpleNamespace(corpus="emodb", profile="smoke" if units.undertraining_expected
                                                else "paper"))


def _warned(units: Units, tmp_path, caplog) -> list[logging.LogRecord]:
    with caplog.at_level(logging.DEBUG):
        for n in range(3):
            units.warn(f"fold{n}: val_accuracy swings")
        write_warnings(_session(units), tmp_path / "training-warnings.md")
    return [r for r in caplog.records if "undertrained" in r.getMessage()]


def test_expected_undertraining_prints_one_summary_line_pointing_to_the_file(tmp_path, caplog) -> None:
    records = _warned(Units(None, undertraining_expected=True), tmp_path, caplog)
    shown = [r for r in records if r.levelno >= logging.INFO]
    assert len(shown) == 1 and shown[0].levelno == logging.INFO
    assert "3 trained models" in shown[0].getMessage() and "training-warnings.md" in shown[0].getMessage()
    assert sum(r.levelno == logging.DEBUG for r in records) == 3  # each unit still there with -vv
    assert (tmp_path / "training-warnings.md").read_text().count("- fold") == 3


def test_unexpected_undertraining_warns_per_unit_and_sums_up(tmp_path, caplog) -> None:
    records = _warned(Units(None), tmp_path, caplog)
    assert [r.levelno for r in records] == [logging.WARNING] * 4
    assert "see" in records[-1].getMessage() and "training-warnings.md" in records[-1].getMessage()


def test_many_models_predicting_raise_no_retracing_warning(caplog) -> None:
    x = np.zeros((1, 16, 2), np.float32)
    with caplog.at_level(logging.WARNING):
        for _ in range(8):  # each new model traces its own predict step once; TensorFlow counts them together
            model = keras.Sequential([keras.Input((None, 2)), keras.layers.Dense(1)])
            for _ in range(2):
                model.predict_on_batch(x)
    assert not [r for r in caplog.records if "retracing" in r.getMessage()]
