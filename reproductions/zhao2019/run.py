"""Zhao et al. (2019) reproduction: 1D and 2D CNN LSTM networks on Berlin EmoDB and IEMOCAP. See README.md."""

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import logging
from dataclasses import fields
from functools import partial

from common.cache import FeatureCache
from common.cli import Profile, build_parser, main_guard, parse_args
from common.corpora import open_corpus
from common.errors import ConfigError
from common.results import ResultsStore, RunContext
from common.splits import write_folds
from common.training import Ledger, configure_threads, progress
from common.tuning import best_hyperparameters, run_search
from reproductions.zhao2019.data import CORPUS_NAMES, IEMOCAP_PAPER_COUNTS, network_inputs, select_utterances
from reproductions.zhao2019.models import CLIP_SAMPLES, N_MELS, NETWORKS, TrainConfig
from reproductions.zhao2019.protocol import (
    PROTOCOLS,
    SELECTIONS,
    protocol_folds,
    protocol_units,
    standardise,
    train_unit,
)
from reproductions.zhao2019.report import INPUT_OF, plot_confusions, record, summarise, write_paper_tables
from reproductions.zhao2019.search_space import OBJECTIVE, ZhaoHyperModel

PAPER = "zhao2019"
log = logging.getLogger(PAPER)
PAPER_SETTINGS = {
    "clip_samples": CLIP_SAMPLES,  # §3.5: 8 s at 16 kHz
    "n_fft": 2048,  # §3.5
    "hop_length": 512,  # §3.5 -> 251 frames
    "n_mels": N_MELS,  # §3.5
    "networks": list(NETWORKS),  # §3.2, §3.3 and our time-pooling variant
    "si_folds": 5,  # §4.2: 10 speakers -> 5 disjoint test pairs
    "tune_network": "2d",  # §3.4 tunes both; the 2D network is the paper's headline model
}
PROFILES = {
    # Smoke: 0.5 s clips (8,000 samples: 31 LSTM steps in the 1D network) and hop 62 (128 x 130 spectrograms,
    # about the smallest input the faithful 2D pools accept), one speaker pair, 1 run, 2 epochs.
    # Everything else is the paper's. The full shapes of Tables 1-2 are checked by tests/zhao2019/test_models.py.
    "smoke": Profile(runs=1, epochs=2, settings={**PAPER_SETTINGS, "clip_samples": 8000, "hop_length": 62,
                                                 "si_folds": 1}),
    # Paper: runs and maximum epochs are not given (§4: "extensive experiments"); 5 runs, 100 epochs with
    # early stopping (patience 8, §4.1) are ours.
    "paper": Profile(runs=5, epochs=100, settings=PAPER_SETTINGS),
}


def train_config(args) -> TrainConfig:
    """The paper's training configuration, or the best point of a keras-tuner search (``--from-tuning``)."""
    if not args.from_tuning:
        return TrainConfig()
    best = best_hyperparameters(PAPER, args.from_tuning, args.out)
    return TrainConfig(**{f.name: best[f.name] for f in fields(TrainConfig) if f.name in best})


def tune(args, selection, inputs) -> int:
    """§3.4: Bayesian search on the first speaker-independent fold, validated on a held-out training speaker."""
    network = args.settings["tune_network"]
    folds = protocol_folds(selection.table, args.corpus, "speaker-independent", args.seed, 1)
    (unit,) = protocol_units(selection.table, folds[:1], "speaker-independent", "clean", args.seed, 1)
    x = standardise(inputs[INPUT_OF[network]], unit.train)[..., None]
    y = selection.y
    hypermodel = ZhaoHyperModel(network, len(selection.classes), x[unit.train], y[unit.train],
                                x[unit.val], y[unit.val])
    run_search(PAPER, hypermodel, OBJECTIVE, args, default_tuner="bayesian", default_trials=20)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(build_parser(PAPER, __doc__, PROFILES, corpora=("emodb", "iemocap")), PROFILES, argv)
    settings = args.settings
    unknown = sorted(set(settings["networks"]) - set(NETWORKS))
    if unknown or settings["tune_network"] not in NETWORKS:
        raise ConfigError(f"networks must be among {NETWORKS}; got {settings['networks']}, "
                          f"tune_network {settings['tune_network']!r}")
    configure_threads()
    corpus = open_corpus(args.corpus, args.data_dir, size=args.synth_size, seed=args.seed)
    selection = select_utterances(corpus)
    counts = selection.table["label"].value_counts().to_dict()
    log.info("%s (%s): %d utterances selected, per class %s", corpus.name, corpus.data, len(selection.table),
             counts)
    if corpus.name == "iemocap":
        log.info("§3.5 prototypical improvised counts for comparison: %s", IEMOCAP_PAPER_COUNTS)
    networks = [settings["tune_network"]] if args.tune else settings["networks"]
    kinds = sorted({INPUT_OF[n] for n in networks})
    cache = FeatureCache()
    inputs = {kind: network_inputs(selection, kind, settings, cache) for kind in kinds}
    if args.tune:
        return tune(args, selection, inputs)

    config = train_config(args)
    table, y, n_classes = selection.table, selection.y, len(selection.classes)
    ledger = Ledger(args.out, {"paper": PAPER, "corpus": corpus.name, "data": corpus.data, "root": str(corpus.root),
                               "profile": args.profile, "epochs": args.epochs, "seed": args.seed,
                               "settings": settings, "config": config.as_dict()})
    experiments = []
    for protocol in PROTOCOLS:
        folds = protocol_folds(table, corpus.name, protocol, args.seed, args.runs)
        write_folds(folds, args.out / "splits" / f"{corpus.name}-{corpus.data}-{protocol}.csv")
        for network in networks:
            for selection_mode in SELECTIONS:
                units = protocol_units(table, folds, protocol, selection_mode, args.seed, args.runs,
                                       settings["si_folds"])
                payloads = []
                for u in progress(units, desc=f"{network} {protocol} {selection_mode}"):
                    compute = partial(train_unit, u, network, inputs[INPUT_OF[network]], y, n_classes, config,
                                      args.epochs, args.seed + u.run, args.strategy,
                                      verbose=2 if args.verbose > 1 else 0)
                    payloads.append(ledger.unit((network, protocol, selection_mode, u.fold.name, u.run), compute))
                experiments.append(summarise(network, protocol, selection_mode, units, payloads, y, n_classes))

    ctx = RunContext.from_args(args, PAPER, corpus, split="speaker-dependent 80/20; speaker-independent 8/2")
    store = ResultsStore(ctx, args.out)
    name = CORPUS_NAMES[corpus.name]
    for exp in experiments:
        record(store, corpus.name, name, exp, selection.abbreviations)
    store.write()
    stem = f"{corpus.name}-{corpus.data}-{args.profile}"
    write_paper_tables(args.out / f"tables-{stem}.md", corpus.name, name, corpus.data, experiments,
                       selection.abbreviations)
    plot_confusions(args.out / f"confusion-{stem}.png", name, corpus.data, experiments, selection.abbreviations)
    log.info("wrote %s, %s and tables-%s.md; %d units trained, %d resumed", store.csv_path,
             args.out / "results.md", stem, ledger.computed, ledger.reused)
    return 0


if __name__ == "__main__":
    main_guard(main)
