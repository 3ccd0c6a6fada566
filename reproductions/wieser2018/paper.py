"""Wieser et al. (2018) as a ``common.engine.Paper``: profiles, data preparation, Table 5, §4.2 and the searches."""

from __future__ import annotations

from dataclasses import dataclass

from common.engine import Experiment, Paper, Profile, Search, Session, Settings, setting
from reproductions.wieser2018.benchmark import benchmark
from reproductions.wieser2018.data import WieserData, build_samples, ftr_feature_set
from reproductions.wieser2018.hyperparameters import NETWORKS, SAMPLE_RATE, TUNING_EVALUATIONS
from reproductions.wieser2018.protocol import fold_indices, speaker_folds, table5
from reproductions.wieser2018.search_space import (
    OBJECTIVE,
    PUBLISHED_POINTS,
    TUNABLE_NETWORKS,
    declare_for,
    search_split,
    train_and_score,
)
from reproductions.wieser2018.visualise import section42

VALIDATION_BY = ("window", "utterance")  # faithful §3.3 rule and the corrected one (protocol.py)


@dataclass(frozen=True)
class WieserSettings(Settings):
    """Every setting of the reproduction (the values of the paper profile; ``None``: the paper's own sizes)."""

    window_seconds: float = setting(6.0, source="§2.1.2: 6 s windows")
    elor_filters: int | None = setting(None, source="assumption (Fig. 2 sizes, hyperparameters in models.py)")
    elor_kernel_sizes: tuple[int, ...] | None = setting(None, source="assumption (Fig. 2 sizes)")
    lom_filters: int | None = setting(None, source="assumption (Fig. 3 sizes)")
    hidden_units: tuple[int, ...] | None = setting(None, source="Tables 1-4 (head MLP)")
    folds: int | None = setting(None, source="§3.2: all 10 speaker folds (n: the first n)")
    validation_by: str = setting("window", source="§3.3 (window); utterance: corrected variant",
                                 choices=VALIDATION_BY)
    joint_variant: tuple[str, ...] = setting(("ELoR",), source="assumption (a joint-loss variant of these networks)",
                                             choices=NETWORKS)
    saliency_samples: int | None = setting(None, source="§4.2.1: every Ses03-F sample (n: the first n)")
    am_steps: int = setting(500, source="assumption (§4.2.2 gives no step count)")
    am_lambda: float = setting(1e-2, source="assumption (§4.2.2 regulariser weight)")
    am_init_std: float = setting(1e-5, source="assumption (§4.2.2 initial noise)")
    am_level_dbfs: float | None = setting(None, source="assumption (§4.2.2 gives no level; None: the loudness of the "
                                                       "fold's training windows, activation_maximisation.py)")


PROFILES = {
    # Reduced so every experiment runs on the twin in minutes on 2 CPU cores: 1 s windows (0.5 s last-slice rule),
    # 8 filters per conv layer, ELoR kernels 20/10/10, 32/16-unit heads, 2 of the 10 speaker folds, 2 epochs
    # (cap), 30 ascent steps, 8 saliency samples.
    "smoke": Profile(runs=1, epochs=2, settings=WieserSettings(
        window_seconds=1.0, elor_filters=8, elor_kernel_sizes=(20, 10, 10), lom_filters=8, hidden_units=(32, 16),
        folds=2, saliency_samples=8, am_steps=30)),
    # The paper's protocol: 6 s windows (§2.1.2), Fig. 2/3 sizes (assumed, hyperparameters.py), all 10 speaker
    # folds (§3.2), each network's own epochs from Tables 1-4 (all <= the cap 20, the top of the searched epoch
    # range), one run (the paper reports single numbers), saliency on every Ses03-F sample (§4.2.1).
    "paper": Profile(runs=1, epochs=20, settings=WieserSettings()),
}
SPLIT = "leave-one-speaker-out, 20 % random validation (§3.2, §3.3)"


def prepare(session: Session) -> WieserData:
    """Samples of §3.2 (windows, MFCCs, functionals) and the speaker folds over sample ids."""
    s = session.settings
    window = int(round(s.window_seconds * SAMPLE_RATE))
    samples = build_samples(session.corpus, window, window // 2, ftr_feature_set())
    folds = speaker_folds(samples, session.seed, s.folds, s.validation_by)
    session.write_folds(folds, "folds.csv")
    by = s.validation_by
    split = SPLIT if by == "window" else SPLIT.replace("random validation", "random validation by utterance")
    return WieserData(samples=samples, folds=fold_indices(samples, folds), split=split)


PAPER = Paper(
    name="wieser2018",
    title="Wieser et al. (2018): Understanding auditory representations of emotional expressions with neural "
          "networks",
    citation="Wieser, I., Barros, P., Heinrich, S., & Wermter, S. (2018). Understanding auditory representations "
             "of emotional expressions with neural networks. Neural Computing and Applications.",
    corpora=("iemocap",),
    profiles=PROFILES,
    split=SPLIT,
    prepare=prepare,
    experiments=(Experiment("Table 5", table5), Experiment("§4.2 / Table 6", section42)),
    searches={n: Search(n, declare_for(n), OBJECTIVE, search_split, PUBLISHED_POINTS[n], tuner="bayesian",
                        trials={"smoke": 3, "paper": TUNING_EVALUATIONS[n.lower()]}, source="§3.3")
              for n in TUNABLE_NETWORKS},
    train_and_score=train_and_score,
    benchmark=benchmark,
    strategies=("default",),
    description="raw-waveform CNN (ELoR) vs LoM/FTR/ELoR+FTR on IEMOCAP E-2 ratings, with guided-backprop "
                "saliency and activation maximisation",
    flaws={"train-prior": "'most frequent label' chosen from the test set's priors (§3.3, Table 5)"},
    headline='Wieser et al. 2018, *Understanding auditory representations of emotional expressions with neural '
             'networks*',
    models='raw-waveform ELoR CNN, LoM, FTR, ELoR+FTR; saliency, activation maximisation',
    reproduced='Table 5 (ELoR, LoM, FTR, ELoR+FTR, random and most-frequent baselines, WAR/UAR), §3.2 sample '
               'count, §4.2.1 saliency correlations + Fig. 4, Fig. 5 + Table 6 (activation maximisation at the '
               "training windows' loudness), joint-loss variant; one search per network",
    limits="Fig. 2/3 layer sizes are missing from the paper's text: documented assumptions, exposed to the tuner",
    test_argv=("--profile", "smoke", "--epochs", "1", "--set", "folds=1", "--set", "joint_variant=[]",
               "--set", "saliency_samples=2", "--set", "am_steps=3"),
)
