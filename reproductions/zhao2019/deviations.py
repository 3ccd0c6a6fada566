"""The suite's deviation from the paper's training, measured beside the flaws: batch-normalisation statistics.

The paper trains with Keras's batch normalisation (§3.1.1, §3.4), whose inference statistics are moving averages.
The suite recalibrates them on the training utterances before every validation (``recalibrate_bn``, README
"Defaults that learn"; on by default, faithful rows included). For the networks in the ``bn_deviation`` setting,
each protocol's faithful units are trained once more with Keras's moving averages (variant ``keras-bn``), so the
run measures the recalibration's effect (faithful minus ``keras-bn``, ``flaw_effects.csv``) instead of asserting it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from common.errors import ConfigError
from reproductions.zhao2019.models import TrainConfig
from reproductions.zhao2019.protocol import SELECTIONS

BN_DEVIATION = "keras-bn"  # results variant: the faithful protocol with Keras's moving-average BN statistics
DEVIATIONS = {BN_DEVIATION: "deviation of the suite, not a flaw of the paper: batch-normalisation statistics "
                            "recalibrated on the training utterances (README 'Defaults that learn'); this variant "
                            "keeps Keras's moving averages, as the paper's Keras did"}
#: networks whose rows share keys with no other network's variant of the same name (2d-timeseq rows are prefixed)
BN_DEVIATION_NETWORKS = ("1d", "2d")


def base_config(settings: Any) -> TrainConfig:
    """The suite's default training configuration under the run's ``recalibrate_bn`` setting."""
    return TrainConfig(recalibrate_bn=bool(settings.recalibrate_bn))


def training_modes(settings: Any, network: str, config: TrainConfig
                   ) -> Iterator[tuple[str, TrainConfig, str | None]]:
    """(selection mode, configuration, deviation) of every experiment of ``network``: §4's two selection modes,
    then the faithful mode with Keras's BN statistics when ``network`` is in ``bn_deviation`` and the run
    recalibrates."""
    wanted = list(settings.bn_deviation)
    unknown = sorted(set(wanted) - set(BN_DEVIATION_NETWORKS))
    if unknown:
        raise ConfigError(f"--set bn_deviation={wanted}: expected networks among {list(BN_DEVIATION_NETWORKS)}")
    for selection in SELECTIONS:
        yield selection, config, None
    if network in wanted and config.recalibrate_bn:
        yield "faithful", replace(config, recalibrate_bn=False), BN_DEVIATION
