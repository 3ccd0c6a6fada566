"""Utterance selection and network inputs of Zhao et al. (2019), §3.5.

Berlin EmoDB: all 535 utterances, 7 classes. IEMOCAP: the improvised "prototypical" utterances ("complete
agreement on the affective state from evaluators") of 6 classes. Inputs: 8 s clips (128,000 samples) for the
1D network, 128 x 251 log-mel spectrograms for the 2D network.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from common.audio import load_audio
from common.cache import FeatureCache
from common.corpora import Corpus
from common.errors import ConfigError
from common.features import check_finite, log_mel_spectrogram, pad_or_crop

# Class order and abbreviations of the confusion matrices, Tables 3-6.
EMODB_CLASSES = {"anger": "Ang", "boredom": "Bor", "disgust": "Dis", "fear": "Fea", "happiness": "Hap",
                 "neutral": "Neu", "sadness": "Sad"}  # Table 3 / 5
IEMOCAP_CLASSES = {"ang": "Ang", "exc": "Exc", "fru": "Fru", "hap": "Hap", "neu": "Neu", "sad": "Sad"}  # §3.5
# §3.5: the improvised prototypical set has 1150 utterances, 1144 in the six classes used.
IEMOCAP_PAPER_COUNTS = {"ang": 71, "exc": 178, "fru": 271, "hap": 31, "neu": 328, "sad": 265}
log = logging.getLogger(__name__)
CORPUS_NAMES = {"emodb": "Berlin EmoDB", "iemocap": "IEMOCAP"}  # row names of Tables 7(a)/(b)

# §3.5: FFT window 2048, hop 512, 128 mel bins; 8 s at 16 kHz -> 128 x 251 (librosa, center=True).
ZHAO_LOGMEL: dict[str, int] = {"n_fft": 2048, "hop_length": 512, "n_mels": 128}


@dataclass(frozen=True)
class Selection:
    """The utterances of one corpus that the paper uses, in a fixed order, with integer labels."""

    table: pd.DataFrame
    classes: tuple[str, ...]  # corpus label codes, index = integer label
    abbreviations: tuple[str, ...]  # the paper's column headers
    y: np.ndarray


def vote_code(name: str) -> str:
    """IEMOCAP evaluator category name -> the 3-letter consensus code ('Neutral state' -> 'neu').

    The first three letters of every IEMOCAP category name are its code (ang, hap, exc, sad, fru, fea,
    sur, dis, oth, neu).
    """
    return name.strip().lower()[:3]


def is_prototypical(cat_votes: Mapping[str, Sequence[str]], consensus: str) -> bool:
    """True when every external evaluator's categorical vote names the consensus category.

    Our reading of §3.5's "complete agreement on the affective state from evaluators": the C-E* lines of
    the EmoEvaluation block (external evaluators; the actors' self-assessments C-F*/C-M* are ignored), each
    evaluator naming exactly one category, all of them equal to the block's consensus code.
    At least two external votes are required, since one vote cannot agree with anything.
    """
    external = [votes for evaluator, votes in cat_votes.items() if evaluator.startswith("E")]
    if len(external) < 2:
        return False
    return all(len(v) == 1 and vote_code(v[0]) == consensus for v in external)


def select_utterances(corpus: Corpus) -> Selection:
    """§3.5's utterance set: every EmoDB utterance, or IEMOCAP improvised prototypical utterances of 6 classes."""
    df = corpus.table
    if corpus.name == "emodb":
        classes = EMODB_CLASSES
    elif corpus.name == "iemocap":
        classes = IEMOCAP_CLASSES
        keep = (df["mode"] == "improvised") & df["label"].isin(list(classes))
        keep &= np.array([is_prototypical(v, c) for v, c in zip(df["cat_votes"], df["label"], strict=True)],
                         dtype=bool)
        df = df[keep]
    else:
        raise ConfigError(f"zhao2019 runs on emodb or iemocap, not {corpus.name!r}")
    df = df[df["label"].isin(list(classes))].sort_values("id").reset_index(drop=True)
    if df.empty:
        raise ConfigError(f"{corpus.root}: no {corpus.name} utterance passes the §3.5 selection "
                          f"(classes {list(classes)}{', improvised prototypical' if corpus.name == 'iemocap' else ''})")
    missing = sorted(set(classes) - set(df["label"]))
    if missing:
        log.warning("%s: no utterance of class(es) %s after the §3.5 selection", corpus.root, missing)
    codes = tuple(classes)
    y = df["label"].map({c: i for i, c in enumerate(codes)}).to_numpy(dtype=np.int64)
    return Selection(df, codes, tuple(classes.values()), y)


def clip(path: str, clip_samples: int) -> np.ndarray:
    """§3.5: the utterance at 16 kHz, cut to its first ``clip_samples`` samples or zero-padded to them."""
    return pad_or_crop(load_audio(path), clip_samples, mode="crop").astype(np.float32)


def network_inputs(selection: Selection, kind: str, settings: Any, cache: FeatureCache) -> np.ndarray:
    """Inputs of every selected utterance: ``kind`` 'audio' -> (n, L) clips, 'logmel' -> (n, M, N) spectrograms.

    ``settings`` (``paper.ZhaoSettings``) gives ``clip_samples`` and, for log-mel, ``n_fft``, ``hop_length``, ``n_mels``
    (§3.5).
    """
    paths = list(selection.table["path"])
    config = {"kind": kind, "clip_samples": settings.clip_samples}
    if kind == "logmel":
        config.update(n_fft=settings.n_fft, hop_length=settings.hop_length, n_mels=settings.n_mels)
    elif kind != "audio":
        raise ValueError(f"kind must be 'audio' or 'logmel', got {kind!r}")

    def compute() -> dict[str, np.ndarray]:
        out = []
        for path in paths:
            wave = clip(path, config["clip_samples"])
            if kind == "logmel":
                wave = log_mel_spectrogram(wave, n_fft=config["n_fft"], hop_length=config["hop_length"],
                                           n_mels=config["n_mels"])
                check_finite(wave, f"log-mel spectrogram of {path}")
            out.append(wave)
        return {"x": np.stack(out).astype(np.float32)}

    return cache.get_or_compute(f"zhao2019-{kind}", config, paths, compute)["x"]


@dataclass(frozen=True)
class ZhaoData:
    """The prepared data (``paper.prepare``): §3.5's selected utterances, the networks the run trains, the
    §4.1-§4.2 folds of each protocol, every network input kind's array and each utterance's group (the speaker, or
    the IEMOCAP session: the unit of independence of the intervals)."""

    selection: Selection
    networks: list[str]
    folds: dict[str, list]
    inputs: dict[str, np.ndarray]
    groups: np.ndarray
