"""keras-tuner spaces of Huang & Narayanan 2017: the Table 2 filter ranges and the §7.4 h1 sweep.

§6.2: "We exhaust all of the parameter combinations for the S-Conv, T-Conv and FST-Conv types ...
we limit our attention to the combinations of top k parameters from the S-Conv and T-Conv" (ST-Conv).
Every trial trains on the noisy training partition and reports validation UA under both conditions
(the noisy one is the objective) and, for reading off the selected model, test UA under both.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import keras
import keras_tuner as kt
import numpy as np

from common.metrics import unweighted_accuracy
from common.training import set_seed, standard_callbacks
from reproductions.huang2017.data import ConditionData
from reproductions.huang2017.models import build_cldnn, build_ldnn
from reproductions.huang2017.noisy_set import MixedBatches

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


def slug(name: str) -> str:
    """File-system name of a model or trial ('FST-CLDNN (log-Mels)' -> 'fst-cldnn_log-mels')."""
    return re.sub(r"[^a-z0-9-]+", "_", name.lower()).strip("_")


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


def predict_ua(model: keras.Model, batches: MixedBatches) -> float:
    """UA (§7) of ``model`` on every item of ``batches``."""
    probs = model.predict(batches, verbose=0)
    return unweighted_accuracy(batches.y, np.argmax(probs, axis=1))


class ValidationUA(keras.callbacks.Callback):
    """Puts val_ua_noisy / val_ua_clean into the epoch logs (for early stopping and the tuner)."""

    def __init__(self, val: dict[str, MixedBatches]) -> None:
        super().__init__()
        self.val = val
        self.history: list[dict[str, float]] = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        scores = {f"val_ua_{c}": predict_ua(self.model, b) for c, b in self.val.items()}
        self.history.append(scores)
        if logs is not None:
            logs.update(scores)

    def best(self) -> dict[str, float]:
        """Scores of the epoch early stopping restores (first maximum of the noisy validation UA)."""
        return max(self.history, key=lambda s: s["val_ua_noisy"])


class CLDNNHyperModel(kt.HyperModel):
    """One model of Table 4 over a grid of filter shapes; ``space`` maps hp name -> candidate values."""

    def __init__(self, model_name: str, data: ConditionData, space: dict[str, list], epochs: int,
                 weights_dir: Path, seed: int = 0) -> None:
        super().__init__(name=slug(model_name))
        self.model_name = model_name
        self.conv_type, _ = MODELS[model_name]
        self.data, self.space, self.epochs = data, space, epochs
        self.weights_dir, self.seed = Path(weights_dir), seed

    def build(self, hp: kt.HyperParameters) -> keras.Model:
        values = {name: hp.Choice(name, values, ordered=not isinstance(values[0], str))
                  for name, values in self.space.items()}
        set_seed(self.seed)
        if self.conv_type is None:
            return build_ldnn(self.data.n_bands, self.data.n_classes)
        return build_cldnn(self.conv_type, self.data.n_bands, self.data.n_classes,
                           **kernel_args(self.conv_type, values, self.data.n_bands))

    def weights_path(self, values: dict[str, Any]) -> Path:
        tag = "_".join(f"{k}{v}" for k, v in sorted(values.items()) if not k.startswith("tuner/")) or "fixed"
        return self.weights_dir / f"{self.name}__{tag}.weights.h5"

    def fit(self, hp: kt.HyperParameters, model: keras.Model, *args: Any, epochs: int | None = None,
            callbacks: list | None = None, **kwargs: Any) -> dict[str, float]:
        """Noisy training (§6.2) with early stopping on the noisy validation UA; returns val and test UA."""
        val_ua = ValidationUA(self.data.val)
        cbs = [val_ua, *standard_callbacks("val_ua_noisy", "max", PATIENCE), *(callbacks or [])]
        model.fit(self.data.train, epochs=epochs or self.epochs, callbacks=cbs, verbose=kwargs.get("verbose", 0))
        self.weights_dir.mkdir(parents=True, exist_ok=True)
        model.save_weights(self.weights_path(hp.values))
        metrics = val_ua.best()
        metrics.update({f"test_ua_{c}": predict_ua(model, b) for c, b in self.data.test.items()})
        return metrics
