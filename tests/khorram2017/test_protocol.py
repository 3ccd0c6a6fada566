"""The corrected variant selects on held-out train speakers; the BLSTM proxy is never keyed or judged as [24]."""

from types import SimpleNamespace

import pytest

import reproductions
from common.corpora import open_corpus
from common.results.published import load_published
from reproductions.khorram2017 import protocol

PAPER = reproductions.get("khorram2017")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("k")
    session = SimpleNamespace(corpus=open_corpus("recola", None, size="smoke", seed=0), seed=0,
                              settings=PAPER.profiles["paper"].settings, write_folds=lambda folds, name: out / name)
    return PAPER.prepare(session)


def test_corrected_searches_never_see_dev_and_faithful_ones_score_on_dev(data: dict) -> None:
    dev = {u.id for u in data.dev}
    train = {u.id for u in data.train}
    for name, search in PAPER.searches.items():
        fit_on, scored_on = search.split(None, data)
        ids_fit, ids_scored = {u.id for u in fit_on}, {u.id for u in scored_on}
        if name.endswith("/held-out-val"):
            assert ids_fit | ids_scored <= train and not ids_fit & ids_scored and ids_scored
            assert not (ids_fit | ids_scored) & dev
        else:
            assert ids_fit == train and ids_scored == dev


def test_dev_groups_name_the_speaker_of_every_dev_frame(data: dict) -> None:
    assert data.dev_group.dtype.kind == "U"
    assert len(data.dev_group) == sum(len(u.x) for u in data.dev)
    assert set(data.dev_group) == {u.id for u in data.dev}  # RECOLA: one speaker per recording


def test_blstm_proxy_rows_are_never_matched_to_the_published_cells_of_24() -> None:
    published = load_published("khorram2017")
    published_rows = set(published["row"])
    assert "BLSTM [24]" in published_rows and "BLSTM" in published_rows  # [24]'s numbers stay recorded
    assert protocol.ROWS["blstm"] == protocol.LABELS["blstm"] == "BLSTM (suite proxy)"
    assert protocol.ROWS["blstm"] not in published_rows and "proxy" in protocol.PROXY_NOTE
    assert protocol.model_config(None, "blstm", "arousal", "faithful") == (None, "suite-default")


def test_unsearched_suite_defaults_say_so() -> None:
    assert PAPER.default_hp_source == "suite-default"
