"""One place that turns (network, profile settings, tuned overrides) into a model and its inputs (§2.1-§2.2)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import keras
import numpy as np

from common.training.batches import ShuffledBatches
from reproductions.wieser2018.data import Samples
from reproductions.wieser2018.hyperparameters import (
    CNNHP,
    ELOR_CNN,
    HEAD_MLP,
    LOM_CNN,
    MLPHP,
    TRAINING_HP,
    TrainingHP,
    scaled_cnn,
)
from reproductions.wieser2018.models import build_elor, build_elor_ftr, build_ftr, build_lom

USES_CNN = {"ELoR": "elor", "LoM": "lom", "FTR": None, "ELoR + FTR": "elor"}


@dataclass(frozen=True)
class NetworkConfig:
    """Everything one network needs: Tables 1-4 training values, its CNN (Fig. 2/3a) and heads."""

    network: str
    training: TrainingHP
    cnn: CNNHP | None
    mlp: MLPHP


def network_config(network: str, settings: dict[str, Any], overrides: dict[str, Any] | None = None) -> NetworkConfig:
    """The paper's values (scaled by the profile's settings), then any tuned ``overrides`` (search_space.py)."""
    o = dict(overrides or {})
    training = replace(TRAINING_HP[network], **{k: o[k] for k in TrainingHP.__dataclass_fields__ if k in o})
    kind = USES_CNN[network]
    cnn = None
    if kind:
        base = scaled_cnn(ELOR_CNN if kind == "elor" else LOM_CNN, settings.get(f"{kind}_filters"))
        if settings.get(f"{kind}_kernel_sizes"):
            base = replace(base, kernel_sizes=tuple(settings[f"{kind}_kernel_sizes"]))
        if "filters_1" in o:
            cnn = CNNHP(filters=tuple(o[f"filters_{i}"] for i in (1, 2, 3)),
                        kernel_sizes=tuple(o[f"kernel_{i}"] for i in (1, 2, 3)),
                        pool_sizes=tuple(o[f"pool_{i}"] for i in (1, 2, 3)))
        else:
            cnn = base
    hidden = tuple(settings.get("hidden_units") or HEAD_MLP.hidden_units)
    mlp = MLPHP(hidden_units=(o.get("hidden_1", hidden[0]), o.get("hidden_2", hidden[1])),
                dropout=o.get("dropout", HEAD_MLP.dropout))
    return NetworkConfig(network, training, cnn, mlp)


def build_network(cfg: NetworkConfig, samples: Samples) -> keras.Model:
    """The functional model of ``cfg.network`` sized to the samples' window / MFCC frames / feature count."""
    a = cfg.training.alpha_w
    window = samples.waveforms.shape[1]
    if cfg.network == "ELoR":
        return build_elor(a, window=window, cnn=cfg.cnn, mlp=cfg.mlp)
    if cfg.network == "LoM":
        return build_lom(a, cnn=cfg.cnn, frames=samples.mfccs.shape[1], mlp=cfg.mlp)
    if cfg.network == "FTR":
        return build_ftr(a, n_features=samples.functionals.shape[1], mlp=cfg.mlp)
    return build_elor_ftr(a, window=window, cnn=cfg.cnn, n_features=samples.functionals.shape[1], mlp=cfg.mlp)


def functional_stats(samples: Samples, train_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Training-fold mean / std of the functionals (z-normalisation; README assumption)."""
    f = samples.functionals[train_rows]
    return f.mean(axis=0), f.std(axis=0) + 1e-8


def network_inputs(network: str, samples: Samples, rows: np.ndarray,
                   stats: tuple[np.ndarray, np.ndarray]) -> Any:
    """Inputs of ``network`` for the sample ``rows``: waveform (N, L, 1), MFCC (N, T, 26), functionals (N, D)."""
    if network == "LoM":
        return samples.mfccs[rows]
    feats = ((samples.functionals[rows] - stats[0]) / stats[1]).astype(np.float32)
    if network == "FTR":
        return feats
    wave = samples.waveforms[rows, :, None]
    return wave if network == "ELoR" else {"waveform": wave, "functionals": feats}


class RowInputs:
    """:func:`network_inputs` of the sample ``rows``, built only for the rows asked: ``view[i]`` is the inputs of
    ``rows[i]``. What the alternating-heads trainer slices batch by batch, so the rows' 6 s waveforms (about
    2.4 GB for a full fold) are never copied at once."""

    def __init__(self, network: str, samples: Samples, rows: np.ndarray, stats: tuple[np.ndarray, np.ndarray]) -> None:
        self.network, self.samples, self.rows, self.stats = network, samples, np.asarray(rows), stats

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, items: np.ndarray) -> Any:
        return network_inputs(self.network, self.samples, self.rows[items], self.stats)


class SampleBatches(ShuffledBatches):
    """:func:`network_inputs` of the sample ``rows``, built batch by batch, with the class labels of both
    dimensions (training) or without (prediction): no copy of the rows' 6 s waveforms is made for ``fit``."""

    HELD = ("samples", "rows", "stats", "y")

    def __init__(self, network: str, samples: Samples, rows: np.ndarray, stats: tuple[np.ndarray, np.ndarray],
                 y: dict[str, np.ndarray] | None = None, batch_size: int = 32, shuffle: bool = False,
                 seed: int = 0) -> None:
        super().__init__(len(rows), batch_size, shuffle, seed)
        self.network, self.samples, self.rows, self.stats, self.y = network, samples, np.asarray(rows), stats, y

    def __getitem__(self, index: int) -> Any:
        items = self.items(index)
        x = network_inputs(self.network, self.samples, self.rows[items], self.stats)
        return x if self.y is None else (x, {d: v[items] for d, v in self.y.items()})
