"""Search spaces of Huang & Narayanan 2017: the Table 2 filter ranges and the §7.4 h1 sweep.

§6.2: "We exhaust all of the parameter combinations for the S-Conv, T-Conv and FST-Conv types ...
we limit our attention to the combinations of top k parameters from the S-Conv and T-Conv" (ST-Conv).
Every trial trains on the noisy training partition and reports validation UA under both conditions
(the noisy one is the objective) and, for reading off the selected model, test UA under both.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable
from typing import Any

import keras_tuner as kt

# §6.2: "An early-stopping strategy with the patience of 3 epochs".
PATIENCE = 3
# §7: UA throughout; §6.2: parameter tuning on the validation partition (noisy condition for the noisy column).
OBJECTIVE = kt.Objective("val_ua_noisy", direction="max")

# Table 2 ranges (first layer: h1, w1; second layer: h2, w2). FST's h1 is M and its h2 is 1 (Table 1).
TABLE2 = {
    "T": {"w1": list(range(3, 9)), "w2": [2, 3]},
    "S": {"h1": list(range(4, 10)), "h2": [3, 4]},
    "FST": {"w1": list(range(3, 9)), "w2": [2, 3]},
}
# §7.4 / Fig. 2: h1 from 4 to 30 with h2 = 3.
FIG2_H1 = list(range(4, 31))
FIG2_H2 = 3
# The default --tune space: S-CLDNN (log-Mels) over Table 2's h2 and the union of Table 2's and §7.4's h1.
TUNE_SPACE = {"h1": FIG2_H1, "h2": TABLE2["S"]["h2"]}
# §7.4: "the accuracy ... peaks at h1 = 22 for both conditions" (with h2 = 3): the paper's published choice.
PUBLISHED_POINT: dict[str, Any] = {"h1": 22, "h2": FIG2_H2}

MODELS: dict[str, tuple[str | None, str]] = {
    "LDNN (MFCCs)": (None, "MFCCs"),
    "LDNN (log-Mels)": (None, "log-Mels"),
    "T-CLDNN (MFCCs)": ("T", "MFCCs"),
    "FST-CLDNN (MFCCs)": ("FST", "MFCCs"),
    "T-CLDNN (log-Mels)": ("T", "log-Mels"),
    "S-CLDNN (log-Mels)": ("S", "log-Mels"),
    "ST-CLDNN (log-Mels)": ("ST", "log-Mels"),
    "FST-CLDNN (log-Mels)": ("FST", "log-Mels"),
}


def pair(text: str) -> tuple[int, int]:
    """'9x3' -> (9, 3): one top-k (first, second) filter pair of the ST grid."""
    a, b = text.split("x")
    return int(a), int(b)


def kernel_args(conv_type: str, values: dict[str, Any], n_bands: int) -> dict[str, int]:
    """h1, w1, h2, w2 of one grid point (ST points come as 's_kernels' / 't_kernels' pairs)."""
    if conv_type == "ST":
        (h1, h2), (w1, w2) = pair(values["s_kernels"]), pair(values["t_kernels"])
        return {"h1": h1, "w1": w1, "h2": h2, "w2": w2}
    out = {"h1": 1, "w1": 1, "h2": 1, "w2": 1}
    if conv_type == "FST":
        out["h1"] = n_bands
    out.update({k: int(v) for k, v in values.items() if k in out})
    return out


# One keras-tuner search per searchable model (--tune --target NAME): S over the union of Table 2's and §7.4's
# ranges, T and FST over Table 2. ST is not searchable on its own: §6.2 builds its grid from the top-k S and T
# filters, which the protocol does.
SEARCH_SPACES: dict[str, dict[str, list]] = {
    "S-CLDNN (log-Mels)": TUNE_SPACE,
    "T-CLDNN (log-Mels)": TABLE2["T"],
    "FST-CLDNN (log-Mels)": TABLE2["FST"],
    "T-CLDNN (MFCCs)": TABLE2["T"],
    "FST-CLDNN (MFCCs)": TABLE2["FST"],
}
# The paper prints a chosen filter only for S (§7.4: h1 = 22, h2 = 3); the T and FST filters behind Table 4
# are not given, so those searches have no published point.
PUBLISHED: dict[str, dict[str, Any]] = {name: {} for name in SEARCH_SPACES} | {"S-CLDNN (log-Mels)": PUBLISHED_POINT}


def declare_choices(hp: kt.HyperParameters, space: dict[str, list]) -> dict[str, Any]:
    """Declare every key of ``space`` as a keras-tuner Choice -> the sampled configuration."""
    return {name: hp.Choice(name, values, ordered=not isinstance(values[0], str)) for name, values in space.items()}


def declarer(model_name: str) -> Callable[[kt.HyperParameters, argparse.Namespace], dict[str, Any]]:
    """``declare(hp, args)`` of the search of ``model_name`` (its SEARCH_SPACES grid)."""
    space = SEARCH_SPACES[model_name]
    return lambda hp, args: declare_choices(hp, space)


def grid_points(space: dict[str, list]) -> list[dict[str, Any]]:
    """Every point of a grid, in order (one empty point for a model without a grid)."""
    return [dict(zip(space, combo, strict=True)) for combo in itertools.product(*space.values())]


def point_tag(values: dict[str, Any]) -> str:
    """File-system name of a grid point ('h122_h23'; 'fixed' when empty)."""
    return "_".join(f"{k}{v}" for k, v in sorted(values.items())) or "fixed"
