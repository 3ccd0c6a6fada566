"""Flaw 3 (one LSTM time step) and the batch-normalisation recalibration are measured beside the flaws; the
paper-style Table 7(b) has its UA column; Fig. 8 is drawn."""

from types import SimpleNamespace

import numpy as np
import pytest

from common.corpora import open_corpus
from common.errors import ConfigError
from reproductions.zhao2019.deviations import BN_DEVIATION, base_config, training_modes
from reproductions.zhao2019.models import TrainConfig
from reproductions.zhao2019.paper import PAPER, PROFILES, ZhaoSettings, train_config
from reproductions.zhao2019.report import fig8_figure, fig8_utterances, rows, summarise, write_paper_tables
from tests.zhao2019.test_report import _unit

Y = np.array([0, 0, 0, 1, 1, 1, 0, 1])
PAYLOAD = {"y_pred": np.array([0, 0, 0, 1, 1, 1, 1, 0]), "val_accuracy": 0.5, "best_epoch": 3}


def _experiment(network: str, deviation: str | None = None):
    return summarise(network, "speaker-dependent", "faithful", [_unit("faithful")], [PAYLOAD], Y, 2,
                     deviation=deviation)


def _keys(exp) -> dict[tuple, str]:
    return {(r.table, r.row, r.column, r.metric): r.variant for r in rows("emodb", "Berlin EmoDB", exp, ["A", "B"],
                                                                           "suite-default")}


def test_time_pooling_is_a_registered_flaw_paired_with_the_faithful_2d_rows():
    """Flaw 3 on its own: 2D (one LSTM step) against 2D-timeseq (15 steps), both selected as the paper did."""
    faithful, timeseq = _keys(_experiment("2d")), _keys(_experiment("2d-timeseq"))
    assert set(faithful) == set(timeseq) and set(timeseq.values()) == {"timeseq-faithful"}
    assert {"timeseq-faithful", "timeseq-clean", "clean"} <= set(PAPER.flaws)


def test_batch_norm_recalibration_is_a_setting_on_by_default_and_its_effect_a_deviation_variant():
    for profile in PROFILES.values():
        assert profile.settings.recalibrate_bn is True
    assert PROFILES["paper"].settings.bn_deviation == ("2d",)
    settings = ZhaoSettings(recalibrate_bn=True, bn_deviation=("2d",))
    modes = list(training_modes(settings, "2d", base_config(settings)))
    assert [(s, c.recalibrate_bn, d) for s, c, d in modes] == [
        ("faithful", True, None), ("clean", True, None), ("faithful", False, BN_DEVIATION)]
    assert len(list(training_modes(settings, "1d", base_config(settings)))) == 2  # not asked for the 1D network
    off = ZhaoSettings(recalibrate_bn=False, bn_deviation=("2d",))
    assert [c.recalibrate_bn for _, c, _ in training_modes(off, "2d", base_config(off))] == [False, False]
    session = SimpleNamespace(settings=off, config=lambda target, default: default)
    assert train_config(session, "2d") == TrainConfig(recalibrate_bn=False)
    with pytest.raises(ConfigError, match="bn_deviation"):
        list(training_modes(SimpleNamespace(recalibrate_bn=True, bn_deviation=("2d-timeseq",)), "2d", TrainConfig()))
    deviation = _keys(_experiment("2d", BN_DEVIATION))
    assert set(deviation) == set(_keys(_experiment("2d"))) and set(deviation.values()) == {BN_DEVIATION}
    assert BN_DEVIATION in PAPER.flaws and "not a flaw of the paper" in PAPER.flaws[BN_DEVIATION]


def test_paper_style_table_7_has_a_validation_ua_column(tmp_path):
    path = tmp_path / "tables.md"
    write_paper_tables(path, "emodb", "Berlin EmoDB", "synthetic", [_experiment("2d")], ["A", "B"])
    header, _, row = [line for line in path.read_text().splitlines() if line.startswith("|")][-3:]
    assert header.endswith("(b) validation accuracy | (b) validation unweighted |")
    assert row.count("|") == header.count("|")


def test_fig8_draws_the_captions_seven_emodb_files():
    table = open_corpus("emodb", None, size="smoke", seed=0).table
    chosen, papers = fig8_utterances(table)
    assert len(chosen) == 7 and chosen["label"].nunique() == 7
    if papers:
        assert list(chosen["id"]) == ["03a01Wa", "03a04Lc", "03b10Ec", "03a04Ad", "03a01Fa", "03a01Nc", "03a02Ta"]
    fig = fig8_figure(table, ZhaoSettings(clip_samples=4000, n_fft=512, hop_length=128, n_mels=32), "synthetic")
    assert len(fig.axes) == 14
