"""published.csv holds every cell of Table 5, Table 6 and the §3.2/§4.2.1/§3.3 numbers as printed."""

from pathlib import Path

import pandas as pd

CSV = Path(__file__).resolve().parents[2] / "reproductions" / "wieser2018" / "published.csv"


def _cell(df, table, row, column, metric):
    hit = df[(df.table == table) & (df.row == row) & (df.column == column) & (df.metric == metric)]
    assert len(hit) == 1, (table, row, column, metric)
    return float(hit.value.iloc[0])


def test_published_cells():
    df = pd.read_csv(CSV)
    assert list(df.columns) == ["table", "row", "column", "metric", "value", "unit", "note", "kind", "abs_tol",
                                "deterministic"]
    assert set(df[df.table != "§4.1"].kind) == {"value"}   # printed point values (no "> X" or best-of-sweep cells)
    majority = df[df.table == "§4.1"].set_index("column")
    assert set(majority.kind) == {"argmax"} and majority.value.to_dict() == {"Arousal": 3, "Valence": 1}
    zero = df[(df.table == "Table 6") & (df.value == 0)]
    assert len(zero) == 7 and zero.abs_tol.notna().all()   # 0 kHz / 0 ms cells: tolerance at the print resolution
    assert df[df.value != 0].abs_tol.isna().all()
    assert len(df[df.table == "Table 5"]) == 6 * 4 and len(df[df.table == "Table 6"]) == 7 * 10
    assert _cell(df, "Table 5", "ELoR net", "Arousal", "WAR") == 0.524
    assert _cell(df, "Table 5", "ELoR net", "Valence", "UAR") == 0.300
    assert _cell(df, "Table 5", "LoM net", "Arousal", "UAR") == 0.351
    assert _cell(df, "Table 5", "FTR net", "Valence", "WAR") == 0.412
    assert _cell(df, "Table 5", "ELoR + FTR net", "Valence", "UAR") == 0.302
    assert _cell(df, "Table 5", "Most frequent label", "Arousal", "WAR") == 0.408
    assert _cell(df, "Table 5", "Most frequent label", "Valence", "WAR") == 0.392
    assert _cell(df, "Table 5", "Random guessing", "Valence", "UAR") == 0.200
    assert _cell(df, "§3.2", "E-2", "samples", "count") == 8522
    assert _cell(df, "§4.2.1", "Arousal", "r(|x|; saliency)", "pearson") == 0.50
    assert _cell(df, "§4.2.1", "Valence", "r(|x|; saliency)", "pearson") == 0.53
    assert _cell(df, "§4.2.1", "Arousal vs valence", "r(saliency maps)", "pearson") == 0.96
    assert _cell(df, "Table 6", "Loudness (dBFS)", "Arousal 0", "value") == -57.3
    assert _cell(df, "Table 6", "Min. amplitude", "Valence 0", "value") == -0.020
    assert _cell(df, "Table 6", "Pause d. (ms)", "Arousal 0", "value") == 500
    assert _cell(df, "Table 6", "Dom. f. high (kHz)", "Arousal 1", "value") == 0.23
    assert _cell(df, "Table 6", "Voiced s. (s)", "Valence 2", "value") == 1
