"""The corrected variant selects on held-out train speakers; the BLSTM row is labelled a sized proxy of [24]."""

from types import SimpleNamespace

import pytest

import reproductions
from common.corpora import open_corpus
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


def test_blstm_is_labelled_a_sized_proxy_outside_the_published_table_keys() -> None:
    assert protocol.ROWS["blstm"] == "BLSTM [24]"  # the published Table 1-2 key, compared against
    assert "proxy" in protocol.LABELS["blstm"] and "proxy" in protocol.PROXY_NOTE
    assert protocol.model_config(None, "blstm", "arousal", "faithful") == (None, "paper")
