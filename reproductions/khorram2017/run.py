"""Khorram et al. 2017 reproduction: dilated and down/up conv nets for continuous emotion (RECOLA / AVEC 2016).

Runs the §4 filter-length sweep (Fig. 1), the §5.2 label analysis (Fig. 4), the dilated, down/up and BLSTM models of
Tables 1-2 (five runs each, dev scores, averaged test predictions as AVEC ARFF), and Fig. 5. See README.md.
"""

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common.cli import Profile, build_parser, main_guard, parse_args  # noqa: E402

PAPER = "khorram2017"
TUNING_TRIALS = 50  # the paper does not say how many settings it tried (README: assumptions)
PAPER_LENGTHS = [2**k for k in range(1, 12)]  # §4: filter lengths "from 2 to 2048 frames"
PROFILES = {
    # Reduced: 4 of the 11 filter lengths, 2 runs, few epochs; 3 x 60 s recordings per partition (synthetic twin).
    # Graph optimisation (grappler) is off in smoke: for a few steps per model it costs more than it saves.
    "smoke": Profile(runs=2, epochs=3, settings={
        "prelim_lengths": [4, 128, 2048], "prelim_runs": 2, "patience": 2,
        "label_factors": [2, 4, 8, 16, 32, 64, 128], "dimensions": ["arousal", "valence"],
        "models": ["dilated", "downup", "blstm"], "corrected_models": ["dilated", "downup"],
        "tune_dimension": "arousal", "graph_optimizer": False}),
    # The paper's counts: §6.1 five runs; §4 ten runs per length, lengths 2..2048; §5.2 factors 2..128.
    # Epochs and patience are not stated (README: assumptions).
    "paper": Profile(runs=5, epochs=100, settings={
        "prelim_lengths": PAPER_LENGTHS, "prelim_runs": 10, "patience": 10,
        "label_factors": [2, 4, 8, 16, 32, 64, 128], "dimensions": ["arousal", "valence"],
        "models": ["dilated", "downup", "blstm"], "corrected_models": ["dilated", "downup", "blstm"],
        "tune_dimension": "arousal", "graph_optimizer": True}),
}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(build_parser(PAPER, __doc__, PROFILES, corpora=("recola",)), PROFILES, argv)
    from common.tuning import best_hyperparameters, run_search
    from reproductions.khorram2017.experiment import load_data, run_experiment
    from reproductions.khorram2017.search_space import OBJECTIVE, KhorramHyperModel

    corpus, data = load_data(args)
    if args.tune:
        hypermodel = KhorramHyperModel(data["train"], data["dev"], args.settings["tune_dimension"],
                                       args.settings["patience"], args.seed)
        run_search(PAPER, hypermodel, OBJECTIVE, args, default_tuner="bayesian", default_trials=TUNING_TRIALS)
        return 0
    overrides = best_hyperparameters(PAPER, args.from_tuning, args.out) if args.from_tuning else None
    run_experiment(PAPER, args, corpus, data, overrides)
    return 0


if __name__ == "__main__":
    main_guard(main)
