"""The keras-tuner spaces: Table 2 ranges, the ST top-k rule, and the published point (§7.4: h1 = 22, h2 = 3)."""

from types import SimpleNamespace

from common.tuning import assert_point_in_space
from reproductions.huang2017.protocol import grid_values, select_trials, table2_space, top_k
from reproductions.huang2017.search_space import PUBLISHED_POINT, TABLE2, TUNE_SPACE, CLDNNHyperModel, kernel_args


def test_published_point_in_tune_space(tmp_path):
    stub = SimpleNamespace(n_bands=40, n_classes=6)
    assert_point_in_space(CLDNNHyperModel("S-CLDNN (log-Mels)", stub, TUNE_SPACE, 1, tmp_path), PUBLISHED_POINT)


def test_table2_ranges():
    assert TABLE2["T"] == {"w1": [3, 4, 5, 6, 7, 8], "w2": [2, 3]}
    assert TABLE2["S"] == {"h1": [4, 5, 6, 7, 8, 9], "h2": [3, 4]}
    assert table2_space("FST", None) == TABLE2["FST"]
    assert grid_values(list(range(4, 10)), 1) == [4] and grid_values(list(range(4, 10)), 2) == [4, 9]


def test_kernel_args_per_type():
    assert kernel_args("FST", {"w1": 5, "w2": 2}, 13) == {"h1": 13, "w1": 5, "h2": 1, "w2": 2}
    assert kernel_args("ST", {"s_kernels": "9x3", "t_kernels": "8x2"}, 40) == {"h1": 9, "w1": 8, "h2": 3, "w2": 2}


def test_selection_per_condition_and_top_k():
    trials = [{"values": {"h1": h, "h2": 3}, "val_ua_noisy": v, "val_ua_clean": c, "test_ua_noisy": 0.0,
               "test_ua_clean": 0.0} for h, v, c in ((4, 0.5, 0.9), (5, 0.7, 0.6), (6, 0.6, 0.8))]
    chosen = select_trials(trials)
    assert chosen["noisy"]["values"]["h1"] == 5 and chosen["clean"]["values"]["h1"] == 4
    assert top_k(trials, ("h1", "h2"), 2) == ["5x3", "6x3"]
