"""keras-tuner search over the LSTM classifier's sizes ("chosen through cross-validation", §4.3) and the latent size
(§5.3: "a suitable number of latent features needs to be determined empirically")."""

from __future__ import annotations

from typing import Any

import keras
import keras_tuner as kt
import numpy as np

from common.metrics import unweighted_accuracy
from common.training import standard_callbacks
from reproductions.latif2017.models import DENSE_UNITS, LATENT_DIM, LSTM_UNITS, build_classifier
from reproductions.latif2017.segments import SegmentSet, pad_sequences
from reproductions.latif2017.training import (
    LSTM_PATIENCE,
    FoldIndex,
    Standardiser,
    TrainConfig,
    encode,
    predict,
    train_autoencoder,
)

OBJECTIVE = kt.Objective("val_ua", direction="max")  # validation UA (%) of the categorical task (Table 1's UA)
LATENT_SIZES = [32, 64, 128, 256, 512]  # §5.3 / Fig. 2: the latent sizes the paper compares
LSTM_SIZES = [32, 64, 128, 256]  # §4.3: LSTM "network parameters were chosen through cross-validation"
DENSE_SIZES = [32, 64, 128]  # §4.3: the dense layer's size, same sentence
# The paper's choice: latent 128 (§4.3); the LSTM and dense sizes are not published, so our defaults stand in.
PUBLISHED_POINT: dict[str, Any] = {"latent_dim": LATENT_DIM, "lstm_units": LSTM_UNITS, "dense_units": DENSE_UNITS}


def declare_space(hp: kt.HyperParameters) -> dict[str, int]:
    return {"latent_dim": hp.Choice("latent_dim", LATENT_SIZES), "lstm_units": hp.Choice("lstm_units", LSTM_SIZES),
            "dense_units": hp.Choice("dense_units", DENSE_SIZES)}


class LatentLSTMHyperModel(kt.HyperModel):
    """Trains the autoencoder of ``kind`` (once per latent size) and the LSTM on one training fold, scoring
    validation UA on speakers held out of it (cross-validation data, never the fold's test session)."""

    def __init__(self, seg: SegmentSet, fold: FoldIndex, labels: np.ndarray, n_classes: int, cfg: TrainConfig,
                 kind: str = "vae", seed: int = 0) -> None:
        super().__init__(name=f"latif2017-{kind}-lstm")
        self.seg, self.fold, self.labels, self.n_classes = seg, fold, labels, n_classes
        self.cfg, self.kind, self.seed = cfg, kind, seed
        self._latents: dict[int, np.ndarray] = {}

    def build(self, hp: kt.HyperParameters) -> keras.Model:
        space = declare_space(hp)
        width = space["latent_dim"] * (1 if self.kind == "ae" else 2)  # [mu, sigma] for the VAEs (§5.3)
        return build_classifier(width, self.n_classes, space["lstm_units"], space["dense_units"])

    def latents(self, latent_dim: int) -> np.ndarray:
        """Segment latents of every utterance from an autoencoder trained on the fold's training part."""
        if latent_dim not in self._latents:
            train, val = self.seg.rows(self.fold.train), self.seg.rows(self.fold.val)
            scale = Standardiser.fit(self.seg.segments[train])
            x = scale(self.seg.segments)
            cfg = TrainConfig(**{**self.cfg.__dict__, "latent_dim": latent_dim})
            encoder = train_autoencoder(self.kind, x[train], x[val], cfg, self.seed)
            self._latents[latent_dim] = encode(self.kind, encoder, x)
        return self._latents[latent_dim]

    def fit(self, hp: kt.HyperParameters, model: keras.Model, *args: Any, **kwargs: Any) -> dict[str, float]:
        latents = self.latents(hp.get("latent_dim"))
        seqs = {p: pad_sequences(latents, self.seg, getattr(self.fold, p)) for p in ("train", "val")}
        y_train, y_val = self.labels[self.fold.train], self.labels[self.fold.val]
        cfg = TrainConfig(**{**self.cfg.__dict__, "lstm_epochs": kwargs.get("epochs", self.cfg.lstm_epochs)})
        callbacks = [*kwargs.get("callbacks", []), *standard_callbacks("val_loss", "min", LSTM_PATIENCE)]
        model.fit(seqs["train"], y_train, validation_data=(seqs["val"], y_val), epochs=cfg.lstm_epochs,
                  batch_size=cfg.lstm_batch, callbacks=callbacks, verbose=0)
        return {OBJECTIVE.name: 100 * unweighted_accuracy(y_val, predict(model, seqs["val"]))}

