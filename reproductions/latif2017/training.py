"""Training one autoencoder and one LSTM classifier, and turning segments into latent features (§3, §4.3, §5).

Every ``fit`` goes through the unit's ``schedule`` (``Fit.schedule``: the epochs, unless the engine shortens
the fit) and returns its per-epoch curves, which the unit payloads keep (``curve:<training>:<metric>``).
Only Keras 3 API and NumPy are used, so the same code trains under the TensorFlow and the JAX backend.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np

from common.splits import FoldIndices
from common.training import set_seed, standard_callbacks
from common.training.batches import releasing
from common.training.curves import curves
from reproductions.latif2017.labels import one_hot
from reproductions.latif2017.models import LATENT_DIM, LSTM_UNITS, build_autoencoder, build_classifier
from reproductions.latif2017.segments import SegmentBatches, SegmentSet, SequenceBatches, Standardiser

#: a unit's ``Fit.schedule``: (epochs, steps per epoch, *training name) -> (fit keyword arguments, callbacks)
Schedule = Callable[..., tuple[dict[str, Any], list]]
Scope = Callable[[], contextlib.AbstractContextManager]


def every_epoch(epochs: int, steps_per_epoch: int, *training: str) -> tuple[dict[str, Any], list]:
    """The schedule outside a run: every epoch, no callback."""
    return {"epochs": int(epochs)}, []


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
    hidden_units: int = 0  # 0: the paper's head (§3.2); > 0: the hidden-dense variant (README)
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


def scope_key(scope: Scope) -> int:
    """Pooled models are kept per distribution strategy (the object a ``strategy.scope`` is bound to)."""
    return id(getattr(scope, "__self__", scope))


def train_autoencoder(kind: str, train: SegmentBatches, val: SegmentBatches, cfg: TrainConfig, seed: int,
                      n_conditions: int = 0, schedule: Schedule = every_epoch, part: tuple = ("ae",),
                      scope: Scope = contextlib.nullcontext) -> tuple[keras.Model, dict[str, np.ndarray]]:
    """Fit an AE/VAE/CVAE on training segments with the §3.1 stopping rule; return its encoder and curves.

    A CVAE's batches carry its one-hot conditions (``SegmentBatches.cond``) and ``n_conditions`` > 0.
    """
    set_seed(seed)
    with scope():
        model, encoder = POOL.get(("ae", kind, cfg.latent_dim, n_conditions, scope_key(scope)),
                                  lambda: build_autoencoder(kind, cfg.latent_dim, n_conditions, seed=seed))
    kw, cbs = schedule(cfg.ae_epochs, len(train), *part)
    callbacks = [*cbs, ReconstructionThreshold(), *standard_callbacks("val_reconstruction_mse", "min", AE_PATIENCE)]
    history = model.fit(train, validation_data=val, callbacks=callbacks, verbose=cfg.verbose, **kw)
    return encoder, curves(history)


def encode(kind: str, encoder: keras.Model, x: np.ndarray, cond: np.ndarray | None = None) -> np.ndarray:
    """Latent features of segments: the AE code, or [mu, sigma] of the (C)VAE posterior.

    §5.3: "we have used 128 set of mean and variances ... as latent features", so a VAE/CVAE with latent size d
    gives 2d features: mu and sigma = exp(log_var / 2). ``cond``: one-hot rows for a CVAE.
    """
    parts = []
    for start in range(0, len(x), ENCODE_BATCH):
        batch = x[start:start + ENCODE_BATCH]
        if kind == "ae":
            parts.append(keras.ops.convert_to_numpy(encoder(batch, training=False)))
            continue
        inputs = [batch, cond[start:start + ENCODE_BATCH]] if kind == "cvae" else batch
        mu, log_var = (keras.ops.convert_to_numpy(t) for t in encoder(inputs, training=False))
        parts.append(np.concatenate([mu, np.exp(0.5 * log_var)], axis=1))
    return np.concatenate(parts).astype(np.float32)


def encode_marginal(encoder: keras.Model, x: np.ndarray, n_conditions: int) -> np.ndarray:
    """Label-free CVAE features: [mu, sigma] averaged over every possible condition c (uniform prior)."""
    feats = [encode("cvae", encoder, x, one_hot(np.full(len(x), c), n_conditions)) for c in range(n_conditions)]
    return np.mean(feats, axis=0)


def train_classifier(train: SequenceBatches, val: SequenceBatches, n_classes: int, cfg: TrainConfig, seed: int,
                     schedule: Schedule = every_epoch, part: tuple = ("lstm",), scope: Scope = contextlib.nullcontext
                     ) -> tuple[keras.Model, dict[str, np.ndarray]]:
    """Two-layer LSTM on utterance sequences with early stopping on validation loss (§4.3); model and curves."""
    set_seed(seed)
    width = train.latents.shape[-1]
    key = ("lstm", width, n_classes, cfg.lstm_units, cfg.hidden_units, scope_key(scope))
    with scope():
        (model,) = POOL.get(key, lambda: (build_classifier(width, n_classes, cfg.lstm_units, cfg.hidden_units),))
    kw, cbs = schedule(cfg.lstm_epochs, len(train), *part)
    history = model.fit(train, validation_data=val, callbacks=[*cbs, *standard_callbacks("val_loss", "min",
                                                                                          LSTM_PATIENCE)],
                        verbose=cfg.verbose, **kw)
    return model, curves(history)


def predict(model: keras.Model, x: SequenceBatches) -> np.ndarray:
    """Arg-max class of every sequence (``x`` unshuffled, without labels)."""
    return model.predict(x, verbose=0).argmax(axis=1)


def _curve_keys(name: str, curve_set: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``curve:<metric>`` -> ``curve:<name>:<metric>``: one unit keeps the curves of several trainings."""
    return {k.replace("curve:", f"curve:{name}:", 1): v for k, v in curve_set.items()}


def latent_features(kind: str, seg: SegmentSet, fold: FoldIndices, cfg: TrainConfig, seed: int,
                    condition: np.ndarray | None = None, n_conditions: int = 0, marginal: bool = False,
                    schedule: Schedule = every_epoch, part: tuple = (),
                    scope: Scope = contextlib.nullcontext) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Train the autoencoder of ``kind`` on the fold's training segments; segment latents of its utterances.

    Returns ``({variant: latents}, curves)``; latents have one row per segment of ``seg`` (rows of utterances
    outside the fold stay zero). AE and VAE give the ``faithful`` variant only. A CVAE is conditioned on
    ``condition`` (one class per utterance, §3.1/§4.3); its ``faithful`` features encode every utterance, test
    included, with its own TRUE condition (the paper's label leakage); ``marginal`` adds the label-free variant.
    """
    used = seg.rows(np.concatenate([fold.train, fold.val, fold.test]))
    train_rows, val_rows = seg.rows(fold.train), seg.rows(fold.val)
    scale = Standardiser.fit(seg.segments, train_rows)
    cond = None
    if kind == "cvae":
        if condition is None or n_conditions < 1:
            raise ValueError("a CVAE needs a condition for every utterance and n_conditions >= 1")
        owner = seg.owner()
        if (condition[owner[used]] < 0).any():
            raise ValueError("every utterance of the fold needs a CVAE condition (>= 0)")
        cond = one_hot(np.maximum(condition[owner], 0), n_conditions)
    with releasing(SegmentBatches(seg.segments, train_rows, scale, cond, cfg.ae_batch, shuffle=True, seed=seed),
                   SegmentBatches(seg.segments, val_rows, scale, cond, cfg.ae_batch)) as (train, val):
        encoder, ae_curves = train_autoencoder(kind, train, val, cfg, seed, n_conditions if kind == "cvae" else 0,
                                               schedule=schedule, part=(*part, "ae"), scope=scope)
    width = cfg.latent_dim * (1 if kind == "ae" else 2)
    latents = {v: np.zeros((len(seg.segments), width), dtype=np.float32)
               for v in ("faithful", *(("marginal",) if kind == "cvae" and marginal else ()))}
    for start in range(0, len(used), ENCODE_BATCH):
        rows = used[start:start + ENCODE_BATCH]
        x = scale(seg.segments[rows])
        latents["faithful"][rows] = encode(kind, encoder, x, None if cond is None else cond[rows])
        if "marginal" in latents:
            latents["marginal"][rows] = encode_marginal(encoder, x, n_conditions)
    return latents, _curve_keys("ae", ae_curves)


def classify(latents: np.ndarray, seg: SegmentSet, fold: FoldIndices, y: np.ndarray, n_classes: int,
             cfg: TrainConfig, seed: int, schedule: Schedule = every_epoch, part: tuple = ("lstm",),
             scope: Scope = contextlib.nullcontext) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Train the LSTM on the fold's training utterances (early stopping on its validation part); predicted
    classes of its test utterances and the LSTM's curves."""
    with releasing(SequenceBatches(latents, seg, fold.train, y[fold.train], cfg.lstm_batch, shuffle=True, seed=seed),
                   SequenceBatches(latents, seg, fold.val, y[fold.val], cfg.lstm_batch),
                   SequenceBatches(latents, seg, fold.test, batch_size=64)) as (train, val, test):
        clf, clf_curves = train_classifier(train, val, n_classes, cfg, seed, schedule=schedule, part=part, scope=scope)
        return predict(clf, test), clf_curves


def run_unit(kind: str, seg: SegmentSet, fold: FoldIndices, targets: dict[str, np.ndarray],
             n_classes: dict[str, int], cfg: TrainConfig, seed: int, condition: np.ndarray | None = None,
             n_conditions: int = 0, marginal: bool = False, groups: np.ndarray | None = None,
             schedule: Schedule = every_epoch, part: tuple = (),
             scope: Scope = contextlib.nullcontext) -> dict[str, np.ndarray]:
    """One (model, fold, run) unit: autoencoder -> latents -> one LSTM per target and variant -> predictions.

    ``targets`` maps a target name (``emotion`` or A/P/V) to labels of every utterance. One autoencoder serves
    every target (the CVAE's condition is the categorical emotion label, whatever the target, §4.3). Returns
    ``true__<t>``, ``pred__<variant>__<t>``, ``groups`` (the group of each test utterance, for intervals) and
    ``curve:<training>:<metric>`` arrays.
    """
    latents, out = latent_features(kind, seg, fold, cfg, seed, condition, n_conditions, marginal, schedule, part,
                                   scope)
    for name, y in targets.items():
        out[f"true__{name}"] = y[fold.test]
        for variant, feats in latents.items():
            pred, clf_curves = classify(feats, seg, fold, y, n_classes[name], cfg, seed, schedule,
                                        (*part, "lstm", variant, name), scope)
            out[f"pred__{variant}__{name}"] = pred
            out.update(_curve_keys(f"lstm-{variant}-{name}", clf_curves))
    if groups is not None:
        out["groups"] = np.asarray(groups)[fold.test]
    return out
