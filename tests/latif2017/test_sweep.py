"""§5.3's claims on the Fig. 2 sweep as cells: the lowest point (argmin, published 32) and the highest point
(not-argmax, published 512) of every run's curve, keyed as their published.csv rows."""



from common.results import load_published
from reproductions.latif2017.sweep import Curve, extremes, section53_rows

SECTION53 = {"argmin", "not-argmax"}


def test_extremes_name_the_latent_size_of_each_runs_lowest_and_highest_score():
    scores = {32: [0.40, 0.50], 128: [0.60, 0.45], 512: [0.55, 0.70]}  # run 0 peaks at 128, run 1 at 512
    assert extremes(scores) == {"lowest": [32, 128], "highest": [128, 512]}


def test_section_5_3_rows_are_keyed_as_the_published_cells_and_need_a_sweep():
    published = load_published("latif2017").query("kind in @SECTION53")
    assert set(published["kind"]) == {"argmin", "not-argmax"}
    assert set(published[published["kind"] == "argmin"]["value"]) == {32}
    assert set(published[published["kind"] == "not-argmax"]["value"]) == {512}
    curves = {(fig, model, "faithful", metric): Curve("split", "paper", "", {32: [0.3], 128: [0.6], 512: [0.5]})
              for model in ("AE-LSTM", "VAE-LSTM", "CVAE-LSTM")
              for fig, metric in (("Fig. 2a", "WA"), ("Fig. 2b", "Mean F-measure"))}
    curves[("Fig. 2a", "AE-LSTM", "other", "UA")] = Curve("split", None, "", {128: [0.5]})  # one size: no cell
    rows = list(section53_rows(curves))
    keys = {(r.table, r.row, r.column, r.metric): list(r.values) for r in rows}
    assert set(keys) == set(zip(published["table"], published["row"], published["column"], published["metric"],
                                strict=True))
    for (_, _, _, metric), values in keys.items():
        assert values == ([32] if "lowest" in metric else [128])


def test_fig2_yields_the_section_5_3_cells_of_its_sweep(monkeypatch, tmp_path):
    """The protocol's Fig. 2 experiment turns each curve it sweeps into the §5.3 cells (before: none)."""
    from types import SimpleNamespace

    import reproductions.latif2017.protocol as protocol

    class Runs:
        def __init__(self, score: float) -> None:
            self.score = score

        def mean(self) -> dict[str, float]:
            return {"WA": self.score, "UA": self.score, "Mean": self.score}

    quality = {32: 0.3, 128: 0.6, 512: 0.5}
    monkeypatch.setattr(protocol, "categorical", lambda session, data, subset, d: {
        (kind, "faithful"): [Runs(quality[d])] for kind in ("ae", "vae", "cvae")})
    monkeypatch.setattr(protocol, "dimensional", lambda session, data, split, d: {
        (kind, "faithful"): [Runs(quality[d])] for kind in ("ae", "vae", "cvae")})
    session = SimpleNamespace(settings=SimpleNamespace(latent_sizes=(32, 128, 512), dimensional_splits=("random",)),
                              hp_source=lambda target: "paper", out=tmp_path, save_figure=lambda *a, **k: None,
                              origin="synthetic")
    cells = {(r.row, r.column, r.metric): list(r.values) for r in protocol.fig2(session, None) if r.table == "§5.3"}
    published = load_published("latif2017").query("kind in @SECTION53")
    assert {(row, column, metric) for row, column, metric in cells if "UA" not in metric} == set(
        zip(published["row"], published["column"], published["metric"], strict=True))
    assert cells[("AE-LSTM", "Fig. 2a", "latent size, lowest WA")] == [32]
    assert cells[("CVAE-LSTM", "Fig. 2b", "latent size, highest Mean F-measure")] == [128]
