"""eNTERFACE'05 utterances, the spliced Kaldi features of §6.2 and the batches of each condition (§5.2).

The Kaldi frames of every copy of a partition's plan (clean and noisy) are computed once and kept in the frame
cache (``common.cache.FrameStore``, memory-mapped): training, validation and testing of every model then read
them, and only the normalisation and splicing are done per batch. Parts read from files use it; parts built in
memory (tests) mix and featurise every batch on the fly, with the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from common.audio import TARGET_SR, load_audio
from common.cache import FeatureCache, FrameStore
from common.corpora import Corpus
from common.errors import ConfigError
from common.features import check_finite, kaldi_fbank, kaldi_mfcc, splice
from common.identity import config_hash
from common.splits import Fold
from reproductions.huang2017.models import N_MELS, N_MFCC, SPLICE_LEFT, SPLICE_RIGHT
from reproductions.huang2017.noisy_set import (
    BATCH_SIZE,
    PREDICT_BATCH_SIZE,
    MixedBatches,
    NoiseBank,
    clean_plan,
    make_plan,
    render,
)

FEATURES = ("log-Mels", "MFCCs")
N_BANDS = {"log-Mels": N_MELS, "MFCCs": N_MFCC}
STD_FLOOR = 1e-5


def frame_features(wave: np.ndarray, feature: str) -> np.ndarray:
    """Kaldi 40 log-Mels or 13 MFCCs, 25 ms / 10 ms (§6.2) -> (T, M)."""
    if feature == "log-Mels":
        return kaldi_fbank(wave, num_mel_bins=N_MELS)
    if feature == "MFCCs":
        return kaldi_mfcc(wave, num_ceps=N_MFCC)
    raise ConfigError(f"feature must be one of {FEATURES}, got {feature!r}")


def checked_frames(wave: np.ndarray, feature: str) -> np.ndarray:
    """:func:`frame_features`, refused when not finite."""
    return check_finite(frame_features(wave, feature), f"{feature} of a {len(wave)}-sample waveform")


def normalised_splice(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """Frames normalised per band and spliced with 10 left / 5 right context (§6.2) -> (T, M, 16)."""
    return splice((x - mean) / std, SPLICE_LEFT, SPLICE_RIGHT).astype(np.float32)


def spliced(wave: np.ndarray, feature: str, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """Normalised frames of ``wave`` spliced with 10 left / 5 right context (§6.2) -> (T, M, 16)."""
    return normalised_splice(checked_frames(wave, feature), mean, std)


@dataclass
class Partitioned:
    """Clean waves, labels and the TVT fold of eNTERFACE'05 plus the MUSAN noise bank."""

    table: pd.DataFrame
    waves: dict[str, np.ndarray]
    labels: dict[str, int]
    speakers: dict[str, str]
    classes: list[str]
    fold: Fold
    noise: NoiseBank
    noise_ids: list[str]
    #: the audio files the waves and the noise bank come from, and the crop: the frame cache's key. Empty for a
    #: part built in memory, whose batches are then featurised on the fly.
    files: list[str] = field(default_factory=list)
    max_seconds: float | None = None

    @classmethod
    def load(cls, corpus: Corpus, noise: Corpus, fold: Fold, max_seconds: float | None = None) -> Partitioned:
        """Read every utterance (16 kHz); ``max_seconds`` crops them (smoke only; None keeps them whole)."""
        table = corpus.table.set_index("id", drop=False)
        classes = sorted(table["label"].unique())
        n_max = int(max_seconds * TARGET_SR) if max_seconds else None
        waves = {uid: load_audio(table.at[uid, "path"])[:n_max] for uid in table.index}
        labels = {uid: classes.index(table.at[uid, "label"]) for uid in table.index}
        speakers = {uid: str(table.at[uid, "speaker"]) for uid in table.index}
        bank = NoiseBank(dict(zip(noise.table["id"], noise.table["path"], strict=True)))
        files = [str(f) for f in (*table["path"], *noise.table["path"])]
        return cls(table, waves, labels, speakers, classes, fold, bank, list(noise.table["id"]), files, max_seconds)

    def frames(self, plan: pd.DataFrame, feature: str) -> FrameStore | None:
        """Kaldi frames of every row of ``plan`` from the frame cache (computed on first use); None in memory."""
        if not self.files:
            return None
        rows = list(plan.itertuples(index=False))
        config = {"feature": feature, "plan": config_hash(plan.to_dict("list")), "max_seconds": self.max_seconds,
                  "frames": "kaldi-native-fbank, huang2017.data.frame_features"}
        return FeatureCache().frames("huang2017-noisy-frames", config, self.files, rows,
                                     lambda row: checked_frames(render(row, self.waves, self.noise), feature))

    def batches(self, plan: pd.DataFrame, feature: str, featurize: partial, finish: partial, shuffle: bool = False,
                seed: int = 0) -> MixedBatches:
        """Training batches of ``plan`` (shuffled, §6.2's 10) or prediction batches (in plan order, 61 at a time)."""
        return MixedBatches(plan, self.waves, self.labels, self.noise, featurize,
                            BATCH_SIZE if shuffle else PREDICT_BATCH_SIZE, shuffle=shuffle, seed=seed,
                            speakers=self.speakers, frames=self.frames(plan, feature), finish=finish)

    def norm_stats(self, feature: str) -> tuple[np.ndarray, np.ndarray]:
        """Per-band mean / std over every frame of the clean training partition."""
        frames = np.concatenate([frame_features(self.waves[u], feature) for u in self.fold.train])
        return frames.mean(axis=0), np.maximum(frames.std(axis=0), STD_FLOOR)


@dataclass
class ConditionData:
    """Batches of one feature kind: noisy training, and validation / test under both conditions (§6.2)."""

    feature: str
    n_bands: int
    n_classes: int
    train: MixedBatches
    val: dict[str, MixedBatches]
    test: dict[str, MixedBatches]
    featurize: partial
    part: Partitioned
    finish: partial

    def clean(self, ids: list[str]) -> MixedBatches:
        """Clean-condition batches of ``ids`` in order (module analysis, §7.5)."""
        return self.part.batches(clean_plan(ids), self.feature, self.featurize, self.finish)

    @classmethod
    def build(cls, part: Partitioned, feature: str, noise_factor: float, seed: int) -> ConditionData:
        mean, std = part.norm_stats(feature)
        featurize = partial(spliced, feature=feature, mean=mean, std=std)
        finish = partial(normalised_splice, mean=mean, std=std)

        batches = partial(part.batches, feature=feature, featurize=featurize, finish=finish, seed=seed)

        def noisy(ids: list[str], offset: int) -> pd.DataFrame:
            return make_plan(ids, part.noise_ids, seed + offset, noise_factor)

        return cls(feature, N_BANDS[feature], len(part.classes),
                   train=batches(noisy(part.fold.train, 0), shuffle=True),
                   val={"noisy": batches(noisy(part.fold.val, 1)), "clean": batches(clean_plan(part.fold.val))},
                   test={"noisy": batches(noisy(part.fold.test, 2)), "clean": batches(clean_plan(part.fold.test))},
                   featurize=featurize, part=part, finish=finish)
