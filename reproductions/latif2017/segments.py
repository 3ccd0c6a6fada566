"""Latif et al. 2017 §4.2-§4.3 input: 100 ms segments of 10 log-mel frames (800 features) per utterance.

Utterances are stored as one concatenated segment matrix plus offsets, so utterance i owns rows
``offsets[i]:offsets[i + 1]``; the LSTM later sees them again as one sequence per utterance (§5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from common.audio import load_audio
from common.cache import FeatureCache
from common.corpora import Corpus
from common.features import check_finite, log_mel_spectrogram, stack_frames
from common.training.batches import ShuffledBatches

FRAMES_PER_SEGMENT = 10  # §4.3: 100 ms segments of 10 ms frames; 10 x 80 = 800 features
# §4.2: Hamming window of 25 ms, 10 ms shift, 80 mel bands. The 400-sample window is zero-padded to a 512-point
# DFT (the next power of two, as Kaldi and most toolkits do); the paper does not give the DFT size.
LATIF_LOGMEL: dict[str, Any] = {"n_fft": 512, "win_length": 400, "hop_length": 160, "window": "hamming", "n_mels": 80}
N_MELS = LATIF_LOGMEL["n_mels"]  # §4.2: 80 mel bands


def utterance_segments(wave: np.ndarray, sr: int = 16000) -> np.ndarray:
    """(n_segments, 800): the (T, 80) log-mel frames grouped 10 by 10 without overlap (hop = 100 ms)."""
    frames = log_mel_spectrogram(wave, sr=sr, **LATIF_LOGMEL).T
    return stack_frames(frames, n=FRAMES_PER_SEGMENT)


@dataclass(frozen=True)
class SegmentSet:
    """Segments of every utterance of a table, in table order."""

    segments: np.ndarray  # (total_segments, 800) float32
    offsets: np.ndarray  # (n_utterances + 1,) int64

    def rows(self, utterances: np.ndarray) -> np.ndarray:
        """Segment row indices of the given utterance indices, utterance by utterance."""
        return np.concatenate([np.arange(self.offsets[u], self.offsets[u + 1]) for u in utterances])

    def lengths(self, utterances: np.ndarray) -> np.ndarray:
        return self.offsets[np.asarray(utterances) + 1] - self.offsets[np.asarray(utterances)]

    def owner(self) -> np.ndarray:
        """Utterance index of every segment row."""
        return np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))


def corpus_segments(corpus: Corpus, cache: FeatureCache | None = None) -> SegmentSet:
    """Segments of every utterance in ``corpus.table`` (cached on disk by file fingerprint and config)."""
    table = corpus.table
    paths = list(table["path"])

    def compute() -> dict[str, np.ndarray]:
        per_utt = []
        for path in paths:
            segs = utterance_segments(load_audio(path), 16000)
            per_utt.append(check_finite(segs, str(path)))
        lengths = np.array([len(s) for s in per_utt], dtype=np.int64)
        return {"segments": np.concatenate(per_utt).astype(np.float32),
                "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)}

    config = {"feature": "latif2017-logmel-segments", **LATIF_LOGMEL, "frames_per_segment": FRAMES_PER_SEGMENT}
    arrays = (cache or FeatureCache()).get_or_compute("latif2017_segments", config, paths, compute)
    return SegmentSet(arrays["segments"], arrays["offsets"])


def padded_length(n: int, minimum: int = 16) -> int:
    """Next power of two >= n: few distinct sequence shapes, so Keras traces its step functions only a few times."""
    return max(minimum, 1 << (int(n) - 1).bit_length())


def pad_sequences(latents: np.ndarray, set_: SegmentSet, utterances: np.ndarray) -> np.ndarray:
    """(n, L, F) utterance sequences of segment latents (§5), zero-padded at the end (masked by the LSTM);
    L = ``padded_length`` of the longest utterance of ``set_`` (one shape for every batch and fold).

    ``latents`` holds one row per segment of ``set_`` (all utterances).
    """
    utterances = np.asarray(utterances)
    lengths = set_.lengths(utterances)
    width = padded_length(np.diff(set_.offsets).max())
    out = np.zeros((len(utterances), width, latents.shape[1]), dtype=np.float32)
    for i, u in enumerate(utterances):
        out[i, :lengths[i]] = latents[set_.offsets[u]:set_.offsets[u + 1]]
    return out


class SequenceBatches(ShuffledBatches):
    """Batches of utterance sequences (:func:`pad_sequences`), padded one batch at a time.

    The padded (n, L, F) array of a whole fold is never built: at the paper's largest latent size (512, so F =
    1,024 for mean and sigma) and IEMOCAP's longest turns (L = 512 segments) it would take about 10 GB for the
    4-class set alone.
    """

    HELD = ("latents", "set_", "utterances", "y")

    def __init__(self, latents: np.ndarray, set_: SegmentSet, utterances: np.ndarray, y: np.ndarray | None = None,
                 batch_size: int = 64, shuffle: bool = False, seed: int = 0) -> None:
        super().__init__(len(utterances), batch_size, shuffle, seed)
        self.latents, self.set_, self.utterances = latents, set_, np.asarray(utterances)
        self.y = None if y is None else np.asarray(y)

    def __getitem__(self, index: int) -> Any:
        items = self.items(index)
        x = pad_sequences(self.latents, self.set_, self.utterances[items])
        return x if self.y is None else (x, self.y[items])


@dataclass(frozen=True)
class Standardiser:
    """Per-feature z-score with statistics of the training segments only (README: Assumptions)."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, segments: np.ndarray, rows: np.ndarray, chunk: int = 65536) -> Standardiser:
        """Statistics of ``segments[rows]``, accumulated in float64 over chunks of rows (no copy of the set)."""
        total = np.zeros(segments.shape[1])
        squares = np.zeros(segments.shape[1])
        for start in range(0, len(rows), chunk):
            x = segments[rows[start:start + chunk]].astype(np.float64)
            total += x.sum(axis=0)
            squares += np.square(x).sum(axis=0)
        mean = total / len(rows)
        return cls(mean, np.sqrt(np.maximum(squares / len(rows) - mean ** 2, 0.0)) + 1e-6)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.std).astype(np.float32)


class SegmentBatches(ShuffledBatches):
    """Standardised segments ``segments[rows]`` as (input, reconstruction target) batches of an autoencoder
    (§3.1); ``cond`` (one one-hot row per segment of ``segments``) is the CVAE's second input."""

    HELD = ("segments", "rows", "scale", "cond")

    def __init__(self, segments: np.ndarray, rows: np.ndarray, scale: Standardiser, cond: np.ndarray | None = None,
                 batch_size: int = 256, shuffle: bool = False, seed: int = 0) -> None:
        super().__init__(len(rows), batch_size, shuffle, seed)
        self.segments, self.rows, self.scale, self.cond = segments, np.asarray(rows), scale, cond

    def __getitem__(self, index: int) -> Any:
        rows = self.rows[self.items(index)]
        x = self.scale(self.segments[rows])
        return ((x, self.cond[rows]) if self.cond is not None else x), x
