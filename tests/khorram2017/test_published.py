"""published.csv holds every number of Tables 1-2 and matches the paper (cells hard-coded from the paper)."""

import pandas as pd
import pytest

from common.results import load_published

PAPER_CELLS = {  # (table, row, column, metric) -> value, transcribed from Tables 1 and 2
    ("Table 1", "Valstar et al. [2]", "Dev", "CCC"): 0.796,
    ("Table 1", "Brady et al. [6]", "Dev", "RMSE"): 0.107,
    ("Table 1", "Povolny et al. [7]", "Test", "RMSE"): 0.141,
    ("Table 1", "BLSTM [24]", "Test", "CCC"): 0.664,
    ("Table 1", "Dilated", "Test", "CCC"): 0.684,
    ("Table 1", "Down/Up", "Dev", "CCC"): 0.867,
    ("Table 2", "Valstar et al. [2]", "Test", "CCC"): 0.375,
    ("Table 2", "Povolny et al. [7]", "Test", "RMSE"): 0.355,
    ("Table 2", "BLSTM [24]", "Test", "RMSE"): 0.116,
    ("Table 2", "Dilated", "Dev", "CCC"): 0.538,
    ("Table 2", "Down/Up", "Dev", "CCC"): 0.592,
    ("Table 2", "Down/Up", "Test", "CCC"): 0.502,
}
ROWS = ["Valstar et al. [2]", "Brady et al. [6]", "Povolny et al. [7]", "BLSTM [24]", "Dilated", "Down/Up"]


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return load_published("khorram2017")


def test_cells_match_the_paper(published: pd.DataFrame) -> None:
    cells = published.set_index(["table", "row", "column", "metric"])["value"]
    for key, value in PAPER_CELLS.items():
        assert cells[key] == pytest.approx(value), key


def test_every_table_cell_is_present(published: pd.DataFrame) -> None:
    tables = published[published["table"].isin(["Table 1", "Table 2"])]
    # 6 rows x 4 cells per table, minus the dashes: Valstar 2 (no RMSE), Brady 2 (no test)
    assert len(tables) == 2 * (6 * 4 - 4)
    assert set(tables["row"]) == set(ROWS)
    assert tables["value"].between(0, 1).all()


def test_cell_kinds_follow_the_source_sentences(published: pd.DataFrame) -> None:
    kinds = published.set_index(["table", "row", "column", "metric"])["kind"]
    assert set(published["kind"]) <= {"value", "lower-bound", "upper-bound", "argmax"}
    assert kinds[("§5.2", "Gold standard", "arousal+valence", "power share below 1 Hz")] == "lower-bound"  # "more than"
    assert kinds[("Fig. 4", "Downsample factor 64", "arousal+valence", "relative CCC loss")] == "upper-bound"  # "< 5%"
    assert kinds[("§4", "Preliminary", "Fig. 1", "best filter length")] == "argmax"
    assert (kinds[kinds.index.get_level_values(0).isin(["Table 1", "Table 2"])] == "value").all()
    assert {"kind", "abs_tol"} <= set(published.columns) and published["abs_tol"].isna().all()
    label_statistics = published.set_index(["table", "metric"])["deterministic"]  # no training: compared exactly
    assert label_statistics[("§5.2", "power share below 1 Hz")] and label_statistics[("Fig. 4", "relative CCC loss")]


def test_text_claims_are_recorded(published: pd.DataFrame) -> None:
    cells = published.set_index(["table", "row", "column", "metric"])["value"]
    assert cells[("§5.2", "Gold standard", "arousal+valence", "power share below 1 Hz")] == 95
    assert cells[("Fig. 4", "Downsample factor 64", "arousal+valence", "relative CCC loss")] == 5
    assert cells[("§6.2", "BLSTM", "Epoch time", "seconds per epoch")] == 600
