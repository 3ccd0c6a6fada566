"""published.csv holds all of Tables 1 and 2 as printed in Latif et al. 2017."""

from common.results import load_published

EXPECTED = {  # transcribed from the paper, not read from it
    ("Table 1", "Improvised", "CVAE-LSTM", "WA"): 64.93,
    ("Table 1", "Improvised", "Attentive CNN [25] LogMel", "WA"): 61.716,
    ("Table 1", "Scripted", "AE-LSTM", "UA"): 48.52,
    ("Table 1", "Complete Data", "VAE-LSTM", "UA"): 56.08,
    ("Table 1", "Complete Data", "Attentive CNN [25] eGeMAPS", "WA"): 54.78,
    ("Table 1", "Improvised", "BLSTM [18]", "WA"): 62.85,
    ("Table 2", "AE-LSTM", "A", "F-measure"): 42.21,
    ("Table 2", "CVAE-LSTM", "Mean", "F-measure"): 56.42,
    ("Table 2", "VAE-LSTM", "V", "F-measure"): 48.46,
    ("Table 2", "Hierarchical Feature Fusion [23]", "Mean", "F-measure"): 55.3,
    ("Table 2", "DN+LLD features [19]", "V", "F-measure"): 39.5,
}


def test_published_cells_match_the_paper():
    pub = load_published("latif2017").set_index(["table", "row", "column", "metric"])["value"]
    for key, value in EXPECTED.items():
        assert pub[key] == value, key


def test_published_covers_both_tables():
    pub = load_published("latif2017")
    t1, t2 = pub[pub["table"] == "Table 1"], pub[pub["table"] == "Table 2"]
    assert len(t1) == 3 * 6 + 3 * 3 + 2  # 3 models x WA/UA, 3 attentive CNN columns, 2 BLSTM cells (others NA)
    assert len(t2) == 7 * 4
    assert set(pub[pub["table"] != "§5.3"]["unit"]) == {"%"}
    # Table 2 "Mean" is the arithmetic mean of A, P, V for the paper's own rows
    for model in ("AE-LSTM", "VAE-LSTM", "CVAE-LSTM"):
        rows = t2[t2["row"] == model].set_index("column")["value"]
        assert abs(rows[["A", "P", "V"]].mean() - rows["Mean"]) < 0.02


def test_every_cell_has_a_kind_and_a_blank_tolerance():
    pub = load_published("latif2017")
    assert list(pub.columns)[-2:] == ["kind", "abs_tol"]
    # every printed number of Tables 1-2 is a point value ("64.93", "56.42"): no bound, no argmax; §5.3's two
    # claims on the Fig. 2 curves are the lowest (argmin 32) and not the highest (not-argmax 512) latent size
    assert set(pub[pub["table"] != "§5.3"]["kind"]) == {"value"}
    assert set(pub[pub["table"] == "§5.3"]["kind"]) == {"argmin", "not-argmax"}
    assert (pub["abs_tol"].fillna("").astype(str).str.strip() == "").all()
