"""One search per network: a tuned point reaches its own network only; the epoch range agrees with the cap."""

import keras_tuner as kt
import pytest

from common.engine.runner import parse
from common.engine.session import Session
from common.tuning import config_of
from reproductions.wieser2018.hyperparameters import TRAINING_HP
from reproductions.wieser2018.models import network_config
from reproductions.wieser2018.paper import PAPER as wieser2018
from reproductions.wieser2018.search_space import (
    EPOCHS_HIGH,
    PUBLISHED_POINTS,
    declare,
    epoch_bounds,
    tuned_overrides,
    tuned_source,
)


def test_one_search_per_network():
    assert set(wieser2018.searches) == {"ELoR", "LoM", "FTR"}
    for target, search in wieser2018.searches.items():
        assert search.published == PUBLISHED_POINTS[target] and search.published["network"] == target
    assert wieser2018.searches["ELoR"].trials["paper"] == 70 and wieser2018.searches["LoM"].trials["paper"] == 150


def test_an_elor_point_leaves_lom_untouched(tmp_path):
    """Before, one shared override dict gave LoM the ELoR search's pools (2/10/10), shrinking its 599 frames."""
    args = parse(wieser2018, ["--profile", "paper", "--out", str(tmp_path)])
    elor_point = {**PUBLISHED_POINTS["ELoR"], "pool_1": 10, "pool_2": 10, "pool_3": 10, "filters_1": 16}
    tuned = {"ELoR": config_of(lambda hp: declare(hp, "ELoR", args), elor_point)}
    session = Session(wieser2018, args, None, {}, None, None, tuned, {"ELoR": "tuning:x"})
    lom = network_config("LoM", args.settings, session.config("LoM", {}))
    assert lom == network_config("LoM", args.settings, {})
    assert lom.cnn.pool_sizes == (2, 2, 2) and lom.training.batch_size == 5
    elor = network_config("ELoR", args.settings, session.config("ELoR", {}))
    assert elor.cnn.pool_sizes == (10, 10, 10) and elor.cnn.filters[0] == 16
    assert session.config("FTR", {}) == {} and session.hp_source("FTR") == "paper"


def test_elor_ftr_takes_the_tuned_elor_cnn_and_keeps_table_4(tmp_path):
    """§3.3: ELoR + FTR combined the tuned ELoR and FTR networks by hand; before, it kept the assumed CNN."""
    args = parse(wieser2018, ["--profile", "paper", "--out", str(tmp_path)])
    elor_point = {**PUBLISHED_POINTS["ELoR"], "pool_1": 5, "filters_1": 16, "batch_size": 25}
    tuned = {"ELoR": config_of(lambda hp: declare(hp, "ELoR", args), elor_point)}
    session = Session(wieser2018, args, None, {}, None, None, tuned, {"ELoR": "tuning:x"})
    combined = network_config("ELoR + FTR", args.settings, tuned_overrides(session, "ELoR + FTR"))
    elor = network_config("ELoR", args.settings, tuned_overrides(session, "ELoR"))
    assert combined.cnn == elor.cnn and combined.cnn.filters[0] == 16 and combined.cnn.pool_sizes[0] == 5
    assert combined.training == TRAINING_HP["ELoR + FTR"] and elor.training.batch_size == 25  # Table 4 kept
    assert tuned_source(session, "ELoR + FTR") == "tuning:x" and tuned_source(session, "FTR") == "paper"
    untuned = Session(wieser2018, args, None, {}, None, None, {}, {})
    assert network_config("ELoR + FTR", args.settings, tuned_overrides(untuned, "ELoR + FTR")) == \
        network_config("ELoR + FTR", args.settings, {})


@pytest.mark.parametrize("cap", [1, 2, 9, 16, 20, 40])
def test_searched_epochs_never_exceed_the_cap(cap):
    """Before, epochs were searched over 4-20 while training stopped at the profile's 16: points above 16 were
    different points of the space trained identically."""
    args = parse(wieser2018, ["--profile", "paper", "--epochs", str(cap)])
    hp = kt.HyperParameters()
    declare(hp, "FTR", args)
    epochs = next(h for h in hp.space if h.name == "epochs")
    assert epochs.max_value == min(cap, EPOCHS_HIGH) and epochs.min_value <= epochs.max_value
    assert epoch_bounds(cap) == (epochs.min_value, epochs.max_value)


def test_paper_profile_cap_covers_the_space_and_tables_1_to_3():
    args = parse(wieser2018, ["--profile", "paper"])
    assert args.epochs == EPOCHS_HIGH
    assert all(PUBLISHED_POINTS[n]["epochs"] <= args.epochs for n in PUBLISHED_POINTS)
