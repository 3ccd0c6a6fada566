"""RECOLA / AVEC 2016 inputs of §3: stacked, speaker-normalised Kaldi MFBs aligned with the 40 ms gold standard."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common.audio import load_audio
from common.cache import FeatureCache
from common.corpora import Corpus
from common.corpora.recola import FRAME_STEP
from common.errors import CorpusLayoutError
from common.features import check_finite, kaldi_fbank, speaker_znorm, stack_frames

N_MELS = 40  # §3: "40-dimensional log MFB features"
FRAME_LENGTH_MS = 25.0  # §3: "window length of 25ms"
FRAME_SHIFT_MS = 10.0  # §3: "hop size of 10ms"
STACK = 4  # §3: "we stack four subsequent MFB frames" -> one step per 40 ms label
DIMENSIONS = ("arousal", "valence")


@dataclass
class Utterance:
    """One RECOLA recording: ``x`` (T, 160) features, ``times`` (T,) label frame times, labels (T,) or None."""

    id: str
    partition: str
    x: np.ndarray
    times: np.ndarray
    arousal: np.ndarray | None
    valence: np.ndarray | None

    def target(self, dimension: str) -> np.ndarray:
        y = getattr(self, dimension)
        if y is None:
            raise ValueError(f"{self.id}: no {dimension} labels (AVEC 2016 withholds the test gold standard)")
        return y


def label_times(row: dict) -> np.ndarray:
    """Frame times of the gold standard; for test (withheld) the AVEC grid 0, 40 ms, ... up to the duration."""
    if row["label_times"] is not None:
        return np.asarray(row["label_times"], dtype=np.float64)
    return np.arange(int(np.floor(row["duration"] / FRAME_STEP + 1e-6)) + 1) * FRAME_STEP


def align(stacked: np.ndarray, n_labels: int) -> np.ndarray:
    """Give every label frame one input step: stacked step i covers 10 ms frames 4i..4i+3, i.e. starts at
    i * 40 ms like label i. Kaldi's edge snipping leaves the features up to one step short of the label grid
    (300 s: 7,500 steps vs 7,501 labels), so the last step is repeated; surplus steps are cropped."""
    if stacked.shape[0] >= n_labels:
        return stacked[:n_labels]
    return np.pad(stacked, ((0, n_labels - stacked.shape[0]), (0, 0)), mode="edge")


def _fbanks(corpus: Corpus) -> dict[str, np.ndarray]:
    table = corpus.table
    config = {"feature": "kaldi_fbank", "num_mel_bins": N_MELS, "frame_length_ms": FRAME_LENGTH_MS,
              "frame_shift_ms": FRAME_SHIFT_MS}

    def compute() -> dict[str, np.ndarray]:
        return {r.id: kaldi_fbank(load_audio(r.path), num_mel_bins=N_MELS, frame_length_ms=FRAME_LENGTH_MS,
                                  frame_shift_ms=FRAME_SHIFT_MS) for r in table.itertuples()}

    files = [Path(p) for p in table["path"]]
    return FeatureCache().get_or_compute(f"recola-fbank-{corpus.data}", config, files, compute)


def load_utterances(corpus: Corpus) -> dict[str, list[Utterance]]:
    """Utterances per partition (train/dev/test) with §3 features aligned to the label grid."""
    table = corpus.table.reset_index(drop=True)
    fbank = _fbanks(corpus)
    rows = table.to_dict("records")
    normed = speaker_znorm([check_finite(fbank[r["id"]], r["path"]) for r in rows], list(table["speaker"]))
    out: dict[str, list[Utterance]] = {"train": [], "dev": [], "test": []}
    for row, feats in zip(rows, normed, strict=False):
        times = label_times(row)
        x = align(stack_frames(feats, STACK), len(times))
        labels = {d: None if row[d] is None else np.asarray(row[d], dtype=np.float32) for d in DIMENSIONS}
        out[row["partition"]].append(Utterance(row["id"], row["partition"], x, times, **labels))
    for part in ("train", "dev"):
        if not out[part]:
            raise CorpusLayoutError(f"{corpus.root}: no {part} recordings with a gold standard; expected AVEC 2016 "
                                    "RECOLA (recordings_audio/ + ratings_gold_standard/)")
    return out


@dataclass(frozen=True)
class KhorramData:
    """The prepared data (``paper.prepare``): the AVEC 2016 partitions (train / dev / test, test without labels),
    the corrected variant's (fit, selection) utterances from the train speakers, and the speaker of every dev
    frame (the unit of independence of the intervals)."""

    train: list[Utterance]
    dev: list[Utterance]
    test: list[Utterance]
    held: tuple[list[Utterance], list[Utterance]]
    dev_group: np.ndarray
