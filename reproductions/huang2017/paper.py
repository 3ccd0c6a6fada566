"""huang2017 as a ``common.engine.Paper``: profiles, the experiments of §6-§7 and one search per CLDNN grid."""

from __future__ import annotations

from dataclasses import dataclass

from common.engine import Experiment, ExtraCorpus, Paper, Profile, Search, SettingFlag, Settings, setting
from reproductions.huang2017.benchmark import benchmark
from reproductions.huang2017.protocol import fig2, prepare, table3, table4, table5
from reproductions.huang2017.search_space import MODELS, OBJECTIVE, PUBLISHED, SEARCH_SPACES, declarer
from reproductions.huang2017.svm_baselines import TABLE3_SETS
from reproductions.huang2017.training import train_and_score


@dataclass(frozen=True)
class HuangSettings(Settings):
    """Every setting of the reproduction (the values of the paper profile)."""

    noise_factor: float = setting(1.0, source="§5.2: 60 noisy copies per utterance (x61); a fraction keeps fewer")
    grid_points: int | None = setting(None, source="§6.2 / Table 2: every grid point (n: n per range)")
    st_top_k: int = setting(3, source="§6.2: the top 3 S and T filter pairs")
    fig2_h1: tuple[int, ...] = setting(tuple(range(4, 31)), source="§7.4 / Fig. 2: h1 = 4..30")
    svm_sets: tuple[str, ...] = setting(tuple(TABLE3_SETS), source="§6.1 / Table 3", choices=tuple(TABLE3_SETS))
    utts_per_group: int | None = setting(None, source="assumption (a reduced corpus: n per subject and emotion)")
    max_seconds: float | None = setting(None, source="assumption (crop utterances to n seconds)")
    models: tuple[str, ...] = setting(tuple(MODELS), source="Table 4", choices=tuple(MODELS))
    gender_csv: str | None = setting(None, source="assumption (eNTERFACE'05 ships no gender labels; Figs. 3-9)",
                                     keyed=False)  # Table 5 units key their gender list themselves


PROFILES = {
    # Every model and analysis, reduced: one utterance per subject and emotion, cropped to 1 s, 1 noisy copy
    # per utterance (x2 instead of x61), one point of each Table 2 range, top-1 for ST, three h1 for Fig. 2.
    "smoke": Profile(runs=1, epochs=1, settings=HuangSettings(
        noise_factor=1 / 60, grid_points=1, st_top_k=1, fig2_h1=(4, 22, 30), utts_per_group=1, max_seconds=1.0)),
    # §5.2 x61 noisy set, §6.2 exhaustive Table 2 grids, §7.4 h1 = 4..30; one run (the paper reports one);
    # at most 100 epochs (not stated; early stopping with patience 3 ends training long before).
    "paper": Profile(runs=1, epochs=100, settings=HuangSettings()),
}


def _search(model_name: str) -> Search:
    _, feature = MODELS[model_name]
    n_points = 1
    for values in SEARCH_SPACES[model_name].values():
        n_points *= len(values)
    return Search(model_name, declarer(model_name), OBJECTIVE, lambda session, data: data.condition(feature),
                  PUBLISHED[model_name], tuner="grid", trials={"smoke": 3, "paper": n_points},
                  source="§6.2 / Table 2" + (" and §7.4" if model_name.startswith("S-") else ""))


PAPER = Paper(
    name="huang2017",
    title="Characterizing Types of Convolution in Deep Convolutional Recurrent Neural Networks for Robust "
          "Speech Emotion Recognition",
    citation="C.-W. Huang and S. S. Narayanan, \"Characterizing Types of Convolution in Deep Convolutional "
             "Recurrent Neural Networks for Robust Speech Emotion Recognition\", arXiv preprint, 2017.",
    corpora=("enterface",),
    profiles=PROFILES,
    split="subject TVT 70:10:20",
    prepare=prepare,
    experiments=(Experiment("Table 3", table3), Experiment("Table 4", table4),
                 Experiment("Fig. 2 / §7.4", fig2), Experiment("Table 5 / Figs. 3-9", table5, consumes=("Table 4",))),
    searches={name: _search(name) for name in SEARCH_SPACES},
    train_and_score=train_and_score,
    benchmark=benchmark,
    extra_corpora=(ExtraCorpus("musan", "--noise-dir",
                               "root of your MUSAN copy (holding musan/noise/); required with --data-dir"),),
    setting_flags=(SettingFlag("--noise-factor", "noise_factor", float,
                               "fraction of the 60 noisy copies per utterance (1 = the paper's x61 set; default: "
                               "the profile's)"),),
    strategies=("default", "mirrored"),
    description="Four convolution types in CLDNNs, clean and noisy (eNTERFACE'05 + MUSAN)",
    flaws={"val-selected": "SVM kernel chosen on the test partition (§6.1)",
           "train-norm": "test speakers z-scored with their own statistics (transductive, §6.1)",
           "train-norm+val-selected": "both: kernel chosen on test and transductive normalisation",
           "val-selected h1": "test UA reported at h1 = 22, the peak of the paper's own validation curve, not this "
                              "run's (§7.4)"},
    headline='Huang & Narayanan 2017, *Characterizing types of convolution in deep convolutional recurrent neural'
             ' networks for robust SER*',
    models='LDNN, S/T/ST/FST-CLDNN, SVM',
    reproduced='Table 3 (SVM on openSMILE functionals incl. IS13_ComParE, LOSO + TVT), Table 4 (LDNN and '
               'S/T/ST/FST-CLDNN, noisy and clean), Fig. 2 (h1 sweep), Table 5 + Figs. 3–9 (module-wise SVM, LDA,'
               ' ρ; gender rows from an optional subject-gender CSV)',
    limits="STC uses openSMILE's IS12 (6,125 functionals; the paper says 5,757); eNTERFACE'05 ships no gender "
           'labels; SKRRR row is published-only',
    test_argv=("--profile", "smoke", "--epochs", "1", "--set", 'models=["LDNN (log-Mels)", "FST-CLDNN (MFCCs)"]',
               "--set", "fig2_h1=[22]", "--set", 'svm_sets=["EC"]'),
)
