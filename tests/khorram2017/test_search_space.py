"""The §6.1 searches: one per network and dimension (and per variant), each point applied to its own target only."""

import json
from pathlib import Path

import keras
import keras_tuner as kt
import pytest

import reproductions
from common.engine.runner import open_corpora, parse, resolve_tuning
from common.engine.session import Session
from common.identity import run_identity
from common.tuning import assert_point_in_space
from reproductions.khorram2017.models import DILATED_LAYERS, DOWNUP_FACTOR, DOWNUP_STAGES, DOWNUP_WIDTH
from reproductions.khorram2017.protocol import model_config
from reproductions.khorram2017.search_space import OBJECTIVE, build_from_values, declarer, published_point

PAPER = reproductions.get("khorram2017")


def test_one_search_per_network_dimension_and_variant_all_run_by_the_paper_profile_only() -> None:
    assert set(PAPER.searches) == {f"{a}/{d}{v}" for a in ("dilated", "downup") for d in ("arousal", "valence")
                                   for v in ("", "/held-out-val")}
    for search in PAPER.searches.values():
        assert search.in_profile == ("paper",) and search.source.startswith("§6.1")
        assert_point_in_space(search.declare, search.published)
    assert OBJECTIVE.name == "val_ccc" and OBJECTIVE.direction == "max"


def test_published_points_build_the_paper_models() -> None:
    down = published_point("downup", "arousal")
    assert down["stages"] == DOWNUP_STAGES and down["factor"] == DOWNUP_FACTOR
    assert published_point("downup", "valence")["width"] == DOWNUP_WIDTH["valence"] == 128
    dilated = build_from_values({"architecture": "dilated", **published_point("dilated", "arousal")})
    assert len([la for la in dilated.layers if la.name.startswith("dilated_")]) == DILATED_LAYERS


def test_space_lists_each_tuned_quantity_including_the_transposed_filter_width() -> None:
    hp = kt.HyperParameters()
    declarer("downup", "arousal", "held-out-val")(hp)
    names = {h.name for h in hp.space if not isinstance(h, kt.engine.hyperparameters.Fixed)}
    assert {"learning_rate", "l2", "width", "kernel_size", "stages", "factor", "up_overlap"} <= names
    assert min(next(h for h in hp.space if h.name == "up_overlap").values) >= 2  # n_w >= 2s: overlapping only
    hp = kt.HyperParameters()
    declarer("dilated", "arousal", "held-out-val")(hp)
    assert {"n_layers", "base"} <= {h.name for h in hp.space}


def _conv_summary(model) -> list[tuple[str, int, int]]:
    """(layer kind, filters, stride or dilation) of every hidden conv, in order."""
    return [(type(la).__name__, la.filters, la.strides[0] if "Transpose" in type(la).__name__ else la.dilation_rate[0])
            for la in model.layers if isinstance(la, keras.layers.Conv1D | keras.layers.Conv1DTranspose)
            and la.name != "output_1x1"]


@pytest.mark.parametrize("dim", ["arousal", "valence"])
def test_faithful_searches_of_the_paper_profile_train_the_networks_section_6_1_printed(dim: str) -> None:
    """§6.1: dilated 10 layers x 32 (dilation 2^n, §5.1); down/up 4 down + 1 intermediate + 4 transposed at 32
    (arousal) or 128 (valence), factor 3. Only lr, l2, kernel and n_w vary."""
    for arch in ("dilated", "downup"):
        search = PAPER.searches[f"{arch}/{dim}"]
        assert "paper" in search.in_profile
        hp = kt.HyperParameters()
        search.declare(hp)
        free = {h.name for h in hp.space if not isinstance(h, kt.engine.hyperparameters.Fixed)}
        assert free <= {"learning_rate", "l2", "kernel_size", "up_overlap"}, free
        for seed in range(3):  # random points of the space: the architecture never moves
            values = {h.name: h.random_sample(seed) for h in hp.space}
            point = kt.HyperParameters()
            point.values.update(values)
            model = build_from_values(search.declare(point))
            summary = _conv_summary(model)
            if arch == "dilated":
                assert summary == [("Conv1D", 32, 2**n) for n in range(10)]
            else:
                width = {"arousal": 32, "valence": 128}[dim]
                assert summary == [("Conv1D", width, 1)] * 5 + [("Conv1DTranspose", width, 3)] * 4
                assert [la.pool_size[0] for la in model.layers if "pool" in la.name] == [3] * 4
            keras.backend.clear_session()


def _fake_search(out: Path, target: str, values: dict, identity: dict) -> None:
    root = out / "tuning" / "fake"
    (root / "trial_0").mkdir(parents=True)
    (root / "search.json").write_text(json.dumps({"paper": "khorram2017", "objective": "val_ccc", "direction": "max",
                                                  "target": target, "identity": identity}))
    (root / "trial_0" / "trial.json").write_text(json.dumps(
        {"status": "COMPLETED", "score": 0.5, "hyperparameters": {"values": values}}))


@pytest.mark.parametrize("tuned", ["downup/valence", "dilated/arousal/held-out-val"])
def test_from_tuning_sets_one_model_dimension_and_variant(tuned: str, tmp_path: Path) -> None:
    point = {**PAPER.searches[tuned].published, "kernel_size": 5, "learning_rate": 3e-4}
    args = parse(PAPER, ["--out", str(tmp_path), "--from-tuning", "fake"])
    corpora = open_corpora(PAPER, args)
    _fake_search(tmp_path, tuned, point, run_identity(PAPER, args, corpora))
    tuned_configs = resolve_tuning(PAPER, args, corpora)
    session = Session(PAPER, args, None, {}, None, None, tuned_configs, {t: "tuning:fake" for t in tuned_configs})
    for name in ("dilated", "downup"):
        for dim in ("arousal", "valence"):
            for variant in ("faithful", "held-out-val"):
                target = f"{name}/{dim}" + ("" if variant == "faithful" else f"/{variant}")
                config, source = model_config(session, name, dim, variant)
                if target == tuned:
                    assert config["kernel_size"] == 5 and config["learning_rate"] == 3e-4 and source == "tuning:fake"
                else:  # untouched: the paper's point, valence down/up keeps its §6.1 width of 128
                    assert config == {"architecture": name, **published_point(name, dim)}, target
                    assert source == "suite-default"
    assert model_config(session, "downup", "arousal", "faithful")[0]["width"] == 32
    assert model_config(session, "blstm", "valence", "faithful") == (None, "suite-default")
