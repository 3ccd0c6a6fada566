"""The search spaces: Table 2 ranges, the ST top-k rule, one search per searchable CLDNN, and the published
point (§7.4: h1 = 22, h2 = 3)."""

import keras_tuner as kt

from common.tuning import assert_point_in_space
from reproductions.huang2017.paper import PAPER
from reproductions.huang2017.protocol import grid_values, select_trials, table2_space, top_k
from reproductions.huang2017.search_space import (
    PUBLISHED_POINT,
    TABLE2,
    declarer,
    grid_points,
    kernel_args,
    point_tag,
)


def test_one_search_per_searchable_cldnn():
    assert set(PAPER.searches) == {"S-CLDNN (log-Mels)", "T-CLDNN (log-Mels)", "FST-CLDNN (log-Mels)",
                                   "T-CLDNN (MFCCs)", "FST-CLDNN (MFCCs)"}
    assert PAPER.default_target == "S-CLDNN (log-Mels)"
    assert PAPER.searches["S-CLDNN (log-Mels)"].published == PUBLISHED_POINT


def test_published_point_in_s_space():
    assert_point_in_space(lambda hp: declarer("S-CLDNN (log-Mels)")(hp, None), PUBLISHED_POINT)
    hp = kt.HyperParameters()
    config = declarer("T-CLDNN (MFCCs)")(hp, None)
    assert set(config) == {"w1", "w2"} and [h.values for h in hp.space] == [TABLE2["T"]["w1"], TABLE2["T"]["w2"]]


def test_table2_ranges():
    assert TABLE2["T"] == {"w1": [3, 4, 5, 6, 7, 8], "w2": [2, 3]}
    assert TABLE2["S"] == {"h1": [4, 5, 6, 7, 8, 9], "h2": [3, 4]}
    assert table2_space("FST", None) == TABLE2["FST"]
    assert grid_values(list(range(4, 10)), 1) == [4] and grid_values(list(range(4, 10)), 2) == [4, 9]
    assert len(grid_points(TABLE2["S"])) == 12 and grid_points({}) == [{}]
    assert point_tag({"h2": 3, "h1": 22}) == "h122_h23" and point_tag({}) == "fixed"


def test_kernel_args_per_type():
    assert kernel_args("FST", {"w1": 5, "w2": 2}, 13) == {"h1": 13, "w1": 5, "h2": 1, "w2": 2}
    assert kernel_args("ST", {"s_kernels": "9x3", "t_kernels": "8x2"}, 40) == {"h1": 9, "w1": 8, "h2": 3, "w2": 2}


def test_selection_per_condition_and_top_k():
    trials = [{"values": {"h1": h, "h2": 3}, "val_ua_noisy": v, "val_ua_clean": c, "test_ua_noisy": 0.0,
               "test_ua_clean": 0.0} for h, v, c in ((4, 0.5, 0.9), (5, 0.7, 0.6), (6, 0.6, 0.8))]
    chosen = select_trials(trials)
    assert chosen["noisy"]["values"]["h1"] == 5 and chosen["clean"]["values"]["h1"] == 4
    assert top_k(trials, ("h1", "h2"), 2) == ["5x3", "6x3"]
