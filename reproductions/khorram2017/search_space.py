"""The §6.1 searches: one per network and emotion dimension, scored on dev (faithful) or on held-out train
speakers (corrected).

§6.1: "use the development partition for early stopping and hyper-parameter selection (e.g., learning rate,
number of layers layer size, filter width, l2 regularization, dilation factors, downsampling factors)". The
paper prints only the final depth, widths (32 arousal / 128 valence for down/up) and the downsampling factor,
so the paper profile runs these searches before the protocol (``Search.in_profile``).
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
ARCHITECTURES = ("dilated", "downup")  # the two §5 networks; the BLSTM row reproduces [24] and is not tuned
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


def declarer(architecture: str):
    """``declare(hp, args)`` of one network's §6.1 space; returns the builder configuration of the point."""
    def declare(hp: kt.HyperParameters, args: argparse.Namespace | None = None) -> dict[str, Any]:
        config: dict[str, Any] = {
            "architecture": architecture,
            "learning_rate": hp.Choice("learning_rate", [1e-4, 3e-4, 1e-3, 3e-3]),  # §6.1 "learning rate"
            "l2": hp.Choice("l2", [0.0, 1e-5, 1e-4, 1e-3]),  # §6.1 "l2 regularization"
            "width": hp.Choice("width", [16, 32, 64, 128]),  # §6.1 "layer size" (32 / 128 chosen)
            "kernel_size": hp.Choice("kernel_size", [2, 3, 5, 7]),  # §6.1 "filter width"
        }
        if architecture == "dilated":
            config["n_layers"] = hp.Int("n_layers", 4, 12)  # §6.1 "number of layers" (10 chosen)
            config["base"] = hp.Choice("base", [2, 3])  # §6.1 "dilation factors" (2^n chosen)
        else:
            config["stages"] = hp.Int("stages", 2, 5)  # §6.1 "number of layers" (4 down + 4 up chosen)
            config["factor"] = hp.Choice("factor", [2, 3, 4])  # §6.1 "downsampling factors" (3 chosen)
            # §5.2 n_w of the transposed convs (a "filter width" of §6.1), as a multiple of s: overlapping only
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
