"""Every constant of Wieser et al. (2018), named after the paper and cited to its section/table.

Values from Fig. 2 / Fig. 3 (filter counts and sizes, MLP widths, dropout) are not in the paper's text; they are
assumptions (README, "Assumptions and deviations") and each one is a tunable hyperparameter in search_space.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

SAMPLE_RATE = 16000            # §2.1.2: "a sampling rate of 16 kHz"
WINDOW_SECONDS = 6.0           # §2.1.2: each sample is 6 s long
WINDOW_SAMPLES = 96000         # §2.1.2: input array 1 x 96,000
MIN_LAST_SAMPLES = 48000       # §3.2: the last slice is used only if it is longer than 3 s
N_CLASSES = 5                  # §2.1.3: five output neurons per dimension
DIMENSIONS = ("arousal", "valence")  # §2.1.1: one MLP per emotional dimension
EVALUATOR = "E2"               # §3.1: only evaluator "E-2" (written "A-E2:" in the EmoEvaluation files)
RATING_MIN, RATING_MAX = 1, 5  # §3.1: five-point scale; class = rating - 1 (README: class mapping)
PUBLISHED_SAMPLE_COUNT = 8522  # §3.2: "This results in 8522 samples for evaluator E-2"
N_MFCC = 26                    # §2.2.1: the first 26 MFCCs
MFCC_FRAMES = 599              # §2.2.1: 599 x 26 for 6 s
FTR_FEATURE_SET = "IS10"       # §2.2.2: INTERSPEECH 2010 Paralinguistic Challenge set
FTR_DIM = 1582                 # §2.2.2: 1582 features
VALIDATION_FRACTION = 0.2      # §3.3: validation = 20 % randomly chosen samples of the CV step
SALIENCY_SPEAKER = "Ses03F"    # §3.2: visualisations on test set Ses03-F
TUNING_EVALUATIONS = {"elor": 70, "lom": 150, "ftr": 150}  # §3.3: hyperopt evaluation phases
PUBLISHED_TUNING_GPU_DAYS = 49  # §3.3: ELoR search, 70 evaluations on a GTX 1080


@dataclass(frozen=True)
class TrainingHP:
    """Tables 1-4: batch size, learning rate, epochs, learning decay, momentum, L2 factor alpha_w (Eq. 3)."""

    batch_size: int
    learning_rate: float
    epochs: int
    learning_decay: float
    momentum: float
    alpha_w: float


TABLE_1_ELOR = TrainingHP(batch_size=15, learning_rate=0.006, epochs=9, learning_decay=0.9,
                          momentum=0.65, alpha_w=1e-9)
TABLE_2_LOM = TrainingHP(batch_size=5, learning_rate=0.08, epochs=14, learning_decay=0.75,
                         momentum=0.7, alpha_w=0.001)
TABLE_3_FTR = TrainingHP(batch_size=30, learning_rate=0.00004, epochs=16, learning_decay=0.99,
                         momentum=0.65, alpha_w=3.4e-8)
TABLE_4_ELOR_FTR = TrainingHP(batch_size=15, learning_rate=0.005, epochs=6, learning_decay=0.9,
                              momentum=0.65, alpha_w=1e-9)


@dataclass(frozen=True)
class CNNHP:
    """Three Conv1D + max-pool pairs (§2.1.1); counts/sizes of Fig. 2 / Fig. 3a are assumptions."""

    filters: tuple[int, int, int]
    kernel_sizes: tuple[int, int, int]
    pool_sizes: tuple[int, int, int]


@dataclass(frozen=True)
class MLPHP:
    """Each head: two sigmoid hidden layers with dropout (§2.1.1); widths and rate of Fig. 2 are assumptions."""

    hidden_units: tuple[int, int]
    dropout: float


# Assumption (§3.3: "a mean based on the hyperparameters suggested by Trigeorgis et al."): Trigeorgis' raw-audio
# front end is 40 filters of 20 samples + pool 2, then 40 filters of 40 samples + pool 10; the third layer, which
# Wieser adds, repeats the second.
ELOR_CNN = CNNHP(filters=(40, 40, 40), kernel_sizes=(20, 40, 40), pool_sizes=(2, 10, 10))
# Assumption (§3.3: LoM space "based on the hyperparameters suggested by Barros et al."): three 1D conv layers over
# the 599 MFCC frames with the 26 coefficients as channels (§2.2.1).
LOM_CNN = CNNHP(filters=(40, 40, 40), kernel_sizes=(9, 7, 5), pool_sizes=(2, 2, 2))
# Assumption: widths 200/100, dropout 0.5 (Hinton et al. [29], the paper's dropout reference) on every layer.
HEAD_MLP = MLPHP(hidden_units=(200, 100), dropout=0.5)

NETWORKS = ("ELoR", "LoM", "FTR", "ELoR + FTR")  # §2.2, Table 5 rows
TRAINING_HP = {"ELoR": TABLE_1_ELOR, "LoM": TABLE_2_LOM, "FTR": TABLE_3_FTR, "ELoR + FTR": TABLE_4_ELOR_FTR}


def scaled_cnn(cnn: CNNHP, filters: int | None) -> CNNHP:
    """The same CNN with every layer's filter count set to ``filters`` (smoke profile); None keeps it."""
    return cnn if filters is None else replace(cnn, filters=(filters,) * len(cnn.filters))
