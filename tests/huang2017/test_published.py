"""published.csv holds every number of Tables 3-5 and the §7.4 / §7.5 text, transcribed from the paper."""

import pytest

from common.results import load_published


@pytest.fixture(scope="module")
def pub():
    return load_published("huang2017")


def cell(pub, table, row, column, metric="UA"):
    hit = pub[(pub.table == table) & (pub.row == row) & (pub.column == column) & (pub.metric == metric)]
    assert len(hit) == 1, (table, row, column, metric)
    return float(hit.value.iloc[0])


def test_row_counts(pub):
    assert len(pub[pub.table == "Table 3"]) == 11
    assert len(pub[pub.table == "Table 4"]) == 18
    assert len(pub[pub.table == "Table 5"]) == 24


@pytest.mark.parametrize(("table", "row", "column", "value"), [
    ("Table 3", "LOSO", "EC", 66.61), ("Table 3", "LOSO", "STC", 81.18), ("Table 3", "TVT", "ComParE", 80.83),
    ("Table 3", "Yan et al. [29]", "PC", 74.21),
    ("Table 4", "SVM (ComParE)", "clean", 80.83), ("Table 4", "SKRRR [29]", "clean", 87.46),
    ("Table 4", "LDNN (MFCCs)", "noisy", 75.51), ("Table 4", "FST-CLDNN (log-Mels)", "noisy", 86.21),
    ("Table 4", "FST-CLDNN (log-Mels)", "clean", 94.58), ("Table 4", "ST-CLDNN (log-Mels)", "clean", 93.75),
    ("Table 5", "T-CLDNN (MFCCs)", "Raw", 23.75), ("Table 5", "S-CLDNN (log-Mels)", "CNN", 45.83),
    ("Table 5", "T-CLDNN (log-Mels)", "BLSTM", 93.33), ("Table 5", "FST-CLDNN (MFCCs)", "MLP", 92.50),
    ("§7.4", "S-CLDNN (log-Mels), h1=22", "noisy", 85.87), ("§7.4", "S-CLDNN (log-Mels), h1=22", "clean", 95.42),
])
def test_cells(pub, table, row, column, value):
    assert cell(pub, table, row, column) == pytest.approx(value)


def test_module_contributions_follow_from_table5(pub):
    rows = pub[pub.table == "Table 5"].pivot(index="row", columns="column", values="value")
    for prev, module in (("Raw", "CNN"), ("CNN", "BLSTM"), ("BLSTM", "MLP")):
        gain = (rows[module] - rows[prev]).to_numpy()
        assert cell(pub, "§7.5", "module contribution", module, "UA gain mean") == pytest.approx(gain.mean(), abs=0.01)
        assert cell(pub, "§7.5", "module contribution", module, "UA gain std") == pytest.approx(
            gain.std(ddof=1), abs=0.01)


def test_cell_kinds(pub):
    assert list(pub.columns)[-2:] == ["kind", "abs_tol"]
    assert set(pub["kind"]) == {"value", "argmax"}
    # §7.4 names the best of the h1 sweep ("peaks at h1 = 22"): an argmax cell, not a measured value
    assert set(pub[pub["kind"] == "argmax"]["row"]) == {"peak h1"}
    assert (pub["abs_tol"].fillna("").astype(str).str.strip() == "").all()  # no cell needs an absolute tolerance
