"""Latif et al. 2017 as a ``common.engine.Paper``: profiles, data preparation, experiments and searches."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from common.engine import Experiment, Paper, Profile, Session, Settings, setting
from reproductions.latif2017.benchmark import benchmark
from reproductions.latif2017.data import Data, session_groups
from reproductions.latif2017.models import LSTM_UNITS
from reproductions.latif2017.protocol import (
    LABEL_FREE,
    MODELS,
    SPEAKER_INDEPENDENT,
    fig2,
    table1,
    table2,
)
from reproductions.latif2017.search_space import SEARCHES, train_and_score
from reproductions.latif2017.segments import corpus_segments

log = logging.getLogger(__name__)

PAPER_LATENT_SIZES = (32, 64, 128, 256, 512)  # §5.3 / Fig. 2
SUBSETS = ("Improvised", "Scripted", "Complete Data")  # Table 1 rows (§4.1)
SPLITS = ("random", "session")  # Table 2: the paper's random 10 folds and our speaker-independent variant


@dataclass(frozen=True)
class LatifSettings(Settings):
    """Every setting of the reproduction (the values of the paper profile)."""

    folds: int = setting(0, source="§5.1-§5.2: every fold (5 LOSO, 10 random); 0 = all, n = the first n")
    ae_epochs: int = setting(30, source="assumption (§3.1 stops on a threshold it does not give)")
    ae_batch: int = setting(256, source="assumption")
    lstm_batch: int = setting(32, source="assumption")
    lstm_units: int = setting(LSTM_UNITS, source="§4.3")
    latent_sizes: tuple[int, ...] = setting(PAPER_LATENT_SIZES, source="§5.3 / Fig. 2")
    dimensional_splits: tuple[str, ...] = setting(SPLITS, source="§5.2 (random); session: assumption",
                                                  choices=SPLITS)
    subsets: tuple[str, ...] = setting(SUBSETS, source="§4.1 / Table 1", choices=SUBSETS)
    models: tuple[str, ...] = setting(tuple(MODELS), source="Tables 1-2", choices=tuple(MODELS))


PROFILES = {
    # Reduced: first fold of every split, a few epochs, small LSTMs, two of the five latent sizes (128 is shared
    # with Tables 1-2); the speaker-independent Table 2 variant only in the paper profile (or --set).
    "smoke": Profile(runs=1, epochs=2, settings=LatifSettings(
        folds=1, ae_epochs=2, lstm_batch=16, lstm_units=32, latent_sizes=(32, 128), dimensional_splits=("random",))),
    # The paper's protocol: all 5 LOSO folds (§5.1), all 10 folds (§5.2), all latent sizes (§5.3), at most 20 LSTM
    # epochs (§4.3). One run: the paper reports single numbers. AE epoch cap and batch sizes: README assumptions.
    "paper": Profile(runs=1, epochs=20, settings=LatifSettings()),
}


def prepare(session: Session) -> Data:
    """The corpus table (positions = utterance indices), the 100 ms log-mel segments of every utterance
    (§4.2-4.3, cached) and each utterance's session."""
    corpus = session.corpus
    log.info("IEMOCAP (%s, %s): %s", corpus.data, corpus.root, corpus.table.attrs.get("report", ""))
    table = corpus.table.reset_index(drop=True)
    return Data(table, corpus_segments(corpus), session_groups(table))


PAPER = Paper(
    name="latif2017",
    title="Latif et al. 2017, Variational Autoencoders to Learn Latent Representations of Speech Emotion",
    citation="S. Latif, R. Rana, J. Qadir, J. Epps. Variational Autoencoders to Learn Latent Representations of "
             "Speech Emotion. Interspeech 2018 (arXiv:1712.08708).",
    corpora=("iemocap",),
    profiles=PROFILES,
    split="leave-one-session-out",
    prepare=prepare,
    experiments=(Experiment("Table 1", table1), Experiment("Table 2", table2), Experiment("Fig. 2", fig2)),
    searches=SEARCHES,
    train_and_score=train_and_score,
    benchmark=benchmark,
    default_hp_source="paper (LSTM size: suite default, §4.3 does not print it)",
    description="AE / VAE / CVAE latent features of 100 ms log-mel segments, two-layer LSTM classifier; Table 1 "
                "(4 emotions, leave-one-session-out), Table 2 (low/mid/high arousal, power, valence, 10-fold), "
                "Fig. 2 (latent size), with the label-free CVAE and speaker-independent variants. Without "
                "--data-dir it runs on the synthetic IEMOCAP twin. See README.md.",
    flaws={LABEL_FREE: "CVAE conditioned on the true label of test utterances (§4.3)",
           SPEAKER_INDEPENDENT: "10-fold split with the same speakers (and their partners) in train and test (§5.2)",
           f"{LABEL_FREE}, {SPEAKER_INDEPENDENT}": "both: label leakage and speaker overlap"},
    headline='Latif et al. 2017, *Variational autoencoders to learn latent representations of speech emotion*',
    models='AE / VAE / CVAE + LSTM',
    reproduced='Table 1 WA/UA for AE/VAE/CVAE-LSTM × improvised/scripted/complete (LOSO), Table 2 F-measure for '
               'arousal/power/valence with the CVAE conditioned on the emotion category, Fig. 2 latent-size sweep',
    limits='literature columns of Tables 1–2 are published-only; Fig. 2 has no printed numbers',
    test_argv=("--epochs", "1", "--set", "ae_epochs=1", "--set", "latent_sizes=[128]",
               "--set", 'subsets=["Complete Data"]', "--set", 'models=["cvae"]'),
)
