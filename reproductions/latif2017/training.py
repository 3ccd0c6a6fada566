"""Training one autoencoder and one LSTM classifier, and turning segments into latent features (§3, §4.3, §5)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np

from common.training import set_seed, standard_callbacks
from reproductions.latif2017.labels import one_hot
from reproductions.latif2017.models import (
    DENSE_UNITS,
    LATENT_DIM,
    LSTM_UNITS,
    build_autoencoder,
    build_classifier,
)
from reproductions.latif2017.segments import SegmentSet, pad_sequences

# §3.1 stops autoencoder training "when the distance |X - X^|^2 ... becomes smaller than our predefined
# threshold"; the threshold is not given. Our rule: stop once the validation reconstruction MSE per feature of
# standardised log-mels (1.0 = predicting the mean) falls below this, or after AE_PATIENCE epochs without
# improvement, or at the epoch cap (README: Assumptions).
RECONSTRUCTION_THRESHOLD = 0.1
AE_PATIENCE = 3
LSTM_PATIENCE = 5  # §4.3 "early stopping" with at most 20 epochs; patience not given (README)
ENCODE_BATCH = 4096


@dataclass(frozen=True)
class TrainConfig:
    """Sizes and schedules of one unit; defaults are the paper's where it gives them (§4.3)."""

    latent_dim: int = LATENT_DIM
    ae_epochs: int = 30
    ae_batch: int = 256
    lstm_epochs: int = 20  # §4.3: "maximum number of epochs equal to 20"
    lstm_batch: int = 32
    lstm_units: int = LSTM_UNITS
    dense_units: int = DENSE_UNITS
    verbose: int = 0


class ReconstructionThreshold(keras.callbacks.Callback):
    """Stop training once ``monitor`` (a reconstruction distance) falls below ``threshold`` (§3.1)."""

    def __init__(self, threshold: float = RECONSTRUCTION_THRESHOLD,
                 monitor: str = "val_reconstruction_mse") -> None:
        super().__init__()
        self.threshold = threshold
        self.monitor = monitor
        self.stopped_epoch: int | None = None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        value = (logs or {}).get(self.monitor)
        if value is not None and value < self.threshold:
            self.stopped_epoch = epoch
            self.model.stop_training = True


class ModelPool:
    """Keras traces a model's train, test and predict steps on first use: seconds of CPU per model, more than the
    training itself on the smoke twin. A pooled model of the same configuration is re-initialised instead (weights
    copied from a freshly built, freshly seeded model; optimizer slots and step counter zeroed), which trains exactly
    like the new model would, without tracing again."""

    def __init__(self) -> None:
        self._models: dict[tuple, tuple[keras.Model, ...]] = {}

    def get(self, key: tuple, build: Callable[[], tuple[keras.Model, ...]]) -> tuple[keras.Model, ...]:
        """``build()`` returns (compiled model, *sub-models sharing its layers); the pooled tuple comes back."""
        fresh = build()
        if key not in self._models:
            self._models[key] = fresh
            return fresh
        pooled = self._models[key]
        pooled[0].set_weights(fresh[0].get_weights())
        for var in pooled[0].optimizer.variables:
            if not var.path.endswith("learning_rate"):
                var.assign(np.zeros(var.shape, dtype=var.dtype))
        return pooled


POOL = ModelPool()


@dataclass(frozen=True)
class Standardiser:
    """Per-feature z-score with statistics of the training segments only (README: Assumptions)."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardiser:
        return cls(x.mean(axis=0), x.std(axis=0) + 1e-6)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.std).astype(np.float32)


def _ae_inputs(kind: str, x: np.ndarray, cond: np.ndarray | None) -> np.ndarray | list[np.ndarray]:
    return [x, cond] if kind == "cvae" else x


def train_autoencoder(kind: str, x_train: np.ndarray, x_val: np.ndarray, cfg: TrainConfig, seed: int,
                      n_classes: int = 0, c_train: np.ndarray | None = None,
                      c_val: np.ndarray | None = None) -> keras.Model:
    """Fit an AE/VAE/CVAE on training segments with the §3.1 stopping rule; return its encoder.

    ``c_train``/``c_val`` are the CVAE's one-hot conditions (one row per segment).
    """
    set_seed(seed)
    model, encoder = POOL.get(("ae", kind, cfg.latent_dim, n_classes),
                              lambda: build_autoencoder(kind, cfg.latent_dim, n_classes, seed=seed))
    callbacks = [ReconstructionThreshold(), *standard_callbacks("val_reconstruction_mse", "min", AE_PATIENCE)]
    model.fit(_ae_inputs(kind, x_train, c_train), x_train, validation_data=(_ae_inputs(kind, x_val, c_val), x_val),
              epochs=cfg.ae_epochs, batch_size=cfg.ae_batch, shuffle=True, callbacks=callbacks, verbose=cfg.verbose)
    return encoder


def encode(kind: str, encoder: keras.Model, x: np.ndarray, cond: np.ndarray | None = None) -> np.ndarray:
    """Latent features of segments: the AE code, or [mu, sigma] of the (C)VAE posterior.

    §5.3: "we have used 128 set of mean and variances ... as latent features", so a VAE/CVAE with latent size d
    gives 2d features: mu and sigma = exp(log_var / 2). ``cond``: one-hot rows for a CVAE.
    """
    parts = []
    for start in range(0, len(x), ENCODE_BATCH):
        batch = x[start:start + ENCODE_BATCH]
        if kind == "ae":
            parts.append(np.asarray(encoder(batch, training=False)))
            continue
        inputs = [batch, cond[start:start + ENCODE_BATCH]] if kind == "cvae" else batch
        mu, log_var = encoder(inputs, training=False)
        parts.append(np.concatenate([np.asarray(mu), np.exp(0.5 * np.asarray(log_var))], axis=1))
    return np.concatenate(parts).astype(np.float32)


def encode_marginal(encoder: keras.Model, x: np.ndarray, n_classes: int) -> np.ndarray:
    """Leakage-free CVAE features: [mu, sigma] averaged over every possible condition c (uniform prior)."""
    feats = [encode("cvae", encoder, x, one_hot(np.full(len(x), c), n_classes)) for c in range(n_classes)]
    return np.mean(feats, axis=0)


def train_classifier(x_train: np.ndarray, y_train: np.ndarray, x_val: np.ndarray, y_val: np.ndarray,
                     n_classes: int, cfg: TrainConfig, seed: int) -> keras.Model:
    """Two-layer LSTM on utterance sequences with early stopping on validation loss (§4.3)."""
    set_seed(seed)
    key = ("lstm", x_train.shape[-1], n_classes, cfg.lstm_units, cfg.dense_units)
    (model,) = POOL.get(key, lambda: (build_classifier(x_train.shape[-1], n_classes, cfg.lstm_units,
                                                       cfg.dense_units),))
    model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=cfg.lstm_epochs, batch_size=cfg.lstm_batch,
              shuffle=True, callbacks=standard_callbacks("val_loss", "min", LSTM_PATIENCE), verbose=cfg.verbose)
    return model


def predict(model: keras.Model, x: np.ndarray, batch: int = 64) -> np.ndarray:
    """Arg-max class of every sequence."""
    return model.predict(x, batch_size=batch, verbose=0).argmax(axis=1)


@dataclass(frozen=True)
class FoldIndex:
    """Utterance indices (into the SegmentSet) of one fold's train, validation and test parts."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


def run_unit(kind: str, seg: SegmentSet, fold: FoldIndex, targets: dict[str, np.ndarray],
             n_classes: dict[str, int], cfg: TrainConfig, seed: int, marginal: bool = False) -> dict[str, np.ndarray]:
    """One (model, fold, run) unit: autoencoder -> latents -> one LSTM per target -> test predictions.

    ``targets`` maps a target name (``emotion`` or A/P/V) to labels of every utterance. AE and VAE are label-free
    and trained once for all targets; a CVAE is conditioned on, hence trained for, each target's own labels
    (§3.1, §4.3). ``marginal`` adds the leakage-free CVAE variant. Returns ``true__<t>`` and
    ``pred__<variant>__<t>`` arrays.
    """
    owner = seg.owner()
    rows = {part: seg.rows(getattr(fold, part)) for part in ("train", "val", "test")}
    scale = Standardiser.fit(seg.segments[rows["train"]])
    x_all = scale(seg.segments)
    out: dict[str, np.ndarray] = {}

    def classify(variant: str, name: str, latents: np.ndarray) -> None:
        y = targets[name]
        seqs = {p: pad_sequences(latents, seg, getattr(fold, p)) for p in ("train", "val", "test")}
        clf = train_classifier(seqs["train"], y[fold.train], seqs["val"], y[fold.val], n_classes[name], cfg, seed)
        out[f"pred__{variant}__{name}"] = predict(clf, seqs["test"])

    for name, y in targets.items():
        out[f"true__{name}"] = y[fold.test]
    if kind != "cvae":
        encoder = train_autoencoder(kind, x_all[rows["train"]], x_all[rows["val"]], cfg, seed)
        latents = encode(kind, encoder, x_all)
        for name in targets:
            classify("faithful", name, latents)
        return out
    for name, y in targets.items():
        cond = one_hot(y[owner], n_classes[name])
        encoder = train_autoencoder("cvae", x_all[rows["train"]], x_all[rows["val"]], cfg, seed, n_classes[name],
                                    cond[rows["train"]], cond[rows["val"]])
        # Faithful (§3.1): every utterance, test included, is encoded with its TRUE label -> label leakage.
        classify("faithful", name, encode("cvae", encoder, x_all, cond))
        if marginal:
            classify("marginal", name, encode_marginal(encoder, x_all, n_classes[name]))
    return out
