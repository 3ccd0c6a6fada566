"""Huang & Narayanan 2017: four convolution types in CLDNNs for speech emotion recognition under clean and
noisy conditions (eNTERFACE'05 + MUSAN noise). See README.md."""

import math
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common.cli import Profile, build_parser, main_guard, parse_args
from common.corpora import open_corpus
from common.errors import ConfigError
from common.training import configure_threads
from common.tuning import best_hyperparameters, run_search
from reproductions.huang2017.search_space import MODELS, TABLE2, TUNE_SPACE

PAPER = "huang2017"
PROFILES = {
    # Every model and analysis, reduced: one utterance per subject and emotion, cropped to 1 s, 1 noisy copy
    # per utterance (x2 instead of x61), one point of each Table 2 range, top-1 for ST, three h1 for Fig. 2.
    "smoke": Profile(runs=1, epochs=1, settings={
        "noise_factor": 1 / 60, "grid_points": 1, "st_top_k": 1, "fig2_h1": [4, 22, 30],
        "svm_sets": ["EC", "PC", "SSC", "STC", "ComParE"], "utts_per_group": 1, "max_seconds": 1.0,
        "models": list(MODELS)}),
    # §5.2 x61 noisy set, §6.2 exhaustive Table 2 grids, §7.4 h1 = 4..30; one run (the paper reports one);
    # at most 100 epochs (not stated; early stopping with patience 3 ends training long before).
    "paper": Profile(runs=1, epochs=100, settings={
        "noise_factor": 1.0, "grid_points": None, "st_top_k": 3, "fig2_h1": list(range(4, 31)),
        "svm_sets": ["EC", "PC", "SSC", "STC", "ComParE"], "utts_per_group": None, "max_seconds": None,
        "models": list(MODELS)}),
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(PAPER, __doc__, PROFILES)
    parser.add_argument("--noise-dir", type=Path, default=None,
                        help="root of your MUSAN copy (holding musan/noise/); required with --data-dir")
    parser.add_argument("--noise-factor", type=float, default=None,
                        help="fraction of the 60 noisy copies per utterance (1 = the paper's x61 set; "
                             "default: the profile's)")
    parser.add_argument("--tune-model", choices=list(MODELS), default="S-CLDNN (log-Mels)",
                        help="model whose filter shapes --tune searches and --from-tuning sets "
                             "(default: S-CLDNN (log-Mels) over h1 4..30, h2 3..4)")
    args = parse_args(parser, PROFILES, argv)
    if args.noise_factor is not None:
        if not 0 < args.noise_factor <= 1:
            raise ConfigError(f"--noise-factor {args.noise_factor}: expected a fraction in (0, 1]")
        args.settings["noise_factor"] = args.noise_factor
    if (args.data_dir is None) != (args.noise_dir is None):
        raise ConfigError("--data-dir (eNTERFACE'05) and --noise-dir (MUSAN) go together: give both for real "
                          "data or neither for the synthetic twins")
    if args.noise_dir is not None and not args.noise_dir.exists():
        raise ConfigError(f"--noise-dir {args.noise_dir}: no such directory")
    configure_threads()
    corpus = open_corpus("enterface", args.data_dir, size=args.synth_size, seed=0)
    noise = open_corpus("musan", args.noise_dir, size=args.synth_size, seed=0)
    conv_type, _ = MODELS[args.tune_model]
    if args.tune or args.from_tuning:
        from reproductions.huang2017.protocol import tune_hypermodel

    if args.tune:
        if conv_type in (None, "ST"):
            raise ConfigError(f"--tune-model {args.tune_model!r}: only S, T and FST CLDNNs have a searchable "
                              "Table 2 range (ST is searched over the top-k S and T pairs by the protocol)")
        space = TUNE_SPACE if conv_type == "S" else TABLE2[conv_type]
        hypermodel, objective = tune_hypermodel(args, corpus, noise, args.tune_model, space)
        run_search(PAPER, hypermodel, objective, args, default_tuner="grid",
                   default_trials=math.prod(len(v) for v in space.values()))
        return 0
    overrides = None
    if args.from_tuning:
        overrides = {args.tune_model: best_hyperparameters(PAPER, args.from_tuning, args.out)}
    from reproductions.huang2017.protocol import run_protocol

    run_protocol(args, corpus, noise, overrides)
    return 0


if __name__ == "__main__":
    main_guard(main)
