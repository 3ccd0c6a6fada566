"""The §6.1 searches: one per network and emotion dimension, scored on dev (faithful) or on held-out train
speakers (corrected).

§6.1: "use the development partition for early stopping and hyper-parameter selection (e.g., learning rate,
number of layers layer size, filter width, l2 regularization, dilation factors, downsampling factors)", then
prints the final networks: dilated "a depth of 10 layers, each having a width of 32" (dilation 2^n, §5.1);
down/up "four downsampling layers, one intermediate layer, and four transposed convolution layers, each having
width of 32 for arousal and 128 for valence", "a downsampling factor of three". The faithful searches fix those
printed values (``hp.Fixed``) and search only what the paper leaves unstated: learning rate, l2, filter width and
the transposed conv's n_w. The corrected searches redo the whole §6.1 selection on held-out train speakers,
the printed network included (it was chosen on dev too). The paper profile runs them before the protocol
(``Search.in_profile``).
"""

from __future__ import annotations

import argparse
from typing import Any

import keras
import keras_tuner as kt

from reproductions.khorram2017.models import (
    DILATED_KERNEL,
    DILATED_LAYERS,
    DILATED_WIDTH,
    DILATION_BASE,
    DOWNUP_FACTOR,
    DOWNUP_KERNEL,
    DOWNUP_STAGES,
    DOWNUP_UP_OVERLAP,
    DOWNUP_WIDTH,
    LEARNING_RATE,
    build_dilated,
    build_downup,
)
from reproductions.khorram2017.training import MONITOR

OBJECTIVE = kt.Objective(MONITOR, direction="max")  # §6.1: dev CCC (corrected: held-out train CCC) selects
ARCHITECTURES = ("dilated", "downup")  # the two §5 networks; the BLSTM proxy of [24] is not tuned
DIMENSIONS = ("arousal", "valence")
CORRECTED = "held-out-val"  # corrected variant: selection and early stopping on held-out train speakers
TRIALS = {"smoke": 3, "paper": 25}  # the paper does not say how many settings it tried (README: assumptions)


def published_point(architecture: str, dimension: str) -> dict[str, Any]:
    """The §6.1 choice as hyperparameter values; values §6.1 does not print are our defaults (README)."""
    common = {"learning_rate": LEARNING_RATE, "l2": 0.0}
    if architecture == "dilated":
        return {**common, "width": DILATED_WIDTH, "kernel_size": DILATED_KERNEL, "n_layers": DILATED_LAYERS,
                "base": DILATION_BASE}
    return {**common, "width": DOWNUP_WIDTH[dimension], "kernel_size": DOWNUP_KERNEL, "stages": DOWNUP_STAGES,
            "factor": DOWNUP_FACTOR, "up_overlap": DOWNUP_UP_OVERLAP}


def default_config(architecture: str, dimension: str) -> dict[str, Any]:
    """The configuration the protocol trains when no search or ``--from-tuning`` set the target."""
    return {"architecture": architecture, **published_point(architecture, dimension)}


def declarer(architecture: str, dimension: str, variant: str = "faithful"):
    """``declare(hp, args)`` of one network's §6.1 space; returns the builder configuration of the point.

    Faithful: the network §6.1 printed is fixed, only the unprinted values are searched. Corrected: the printed
    values are searched too (§6.1 chose them on dev)."""
    printed = published_point(architecture, dimension)

    def shape(hp: kt.HyperParameters, name: str, searched: Any) -> Any:
        return hp.Fixed(name, printed[name]) if variant == "faithful" else searched(name)

    def declare(hp: kt.HyperParameters, args: argparse.Namespace | None = None) -> dict[str, Any]:
        config: dict[str, Any] = {
            "architecture": architecture,
            "learning_rate": hp.Choice("learning_rate", [1e-4, 3e-4, 1e-3, 3e-3]),  # §6.1 "learning rate"
            "l2": hp.Choice("l2", [0.0, 1e-5, 1e-4, 1e-3]),  # §6.1 "l2 regularization"
            "kernel_size": hp.Choice("kernel_size", [2, 3, 5, 7]),  # §6.1 "filter width" (not printed)
            # §6.1 "layer size": printed 32 (dilated; down/up arousal) and 128 (down/up valence)
            "width": shape(hp, "width", lambda n: hp.Choice(n, [16, 32, 64, 128])),
        }
        if architecture == "dilated":
            config["n_layers"] = shape(hp, "n_layers", lambda n: hp.Int(n, 4, 12))  # §6.1 printed 10
            config["base"] = shape(hp, "base", lambda n: hp.Choice(n, [2, 3]))  # §5.1 printed 2^n
        else:
            config["stages"] = shape(hp, "stages", lambda n: hp.Int(n, 2, 5))  # §6.1 printed 4 down + 4 up
            config["factor"] = shape(hp, "factor", lambda n: hp.Choice(n, [2, 3, 4]))  # §6.1 printed 3
            # §5.2 n_w of the transposed convs (a "filter width" of §6.1, not printed), as a multiple of s:
            # overlapping only
            config["up_overlap"] = hp.Choice("up_overlap", [2, 3])
        return config
    return declare


def target(architecture: str, dimension: str, variant: str = "faithful") -> str:
    """Search target name: ``downup/valence`` (faithful, scored on dev) or ``downup/valence/held-out-val``."""
    return f"{architecture}/{dimension}" + ("" if variant == "faithful" else f"/{variant}")


def parse_target(name: str) -> tuple[str, str, str]:
    """``downup/valence/held-out-val`` -> ("downup", "valence", "held-out-val"); faithful when no third part."""
    parts = name.split("/")
    return parts[0], parts[1], parts[2] if len(parts) > 2 else "faithful"


def build_from_values(config: dict[str, Any]) -> keras.Model:
    """Build the architecture named in ``config`` with the remaining values as builder arguments."""
    kwargs = {k: v for k, v in config.items() if k != "architecture"}
    return build_dilated(**kwargs) if config["architecture"] == "dilated" else build_downup(**kwargs)
