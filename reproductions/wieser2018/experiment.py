"""What ``run.py`` does: samples, folds, Table 5, §4.2 visualisations, tuning, all written through ResultsStore."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from common.corpora import open_corpus
from common.errors import ConfigError
from common.results import ResultsStore, RunContext
from common.training import Ledger, configure_threads
from common.tuning import best_hyperparameters, run_search
from common.tuning.search import TRIAL_SECONDS
from reproductions.wieser2018.data import build_samples, ftr_feature_set
from reproductions.wieser2018.hyperparameters import (
    DIMENSIONS,
    N_CLASSES,
    SALIENCY_SPEAKER,
    SAMPLE_RATE,
    TUNING_EVALUATIONS,
)
from reproductions.wieser2018.plots import plot_fig4, plot_fig5
from reproductions.wieser2018.protocol import COLUMN, run_table5, speaker_folds
from reproductions.wieser2018.search_space import OBJECTIVE, TUNABLE_NETWORKS, WieserHyperModel
from reproductions.wieser2018.visualise import visualisations

log = logging.getLogger(__name__)
SPLIT = "leave-one-speaker-out, 20 % random validation (§3.2, §3.3)"


def run_experiment(paper: str, args: argparse.Namespace) -> int:
    configure_threads()
    s = args.settings
    out = Path(args.out)
    corpus = open_corpus("iemocap", args.data_dir, size=args.synth_size, seed=args.seed)
    window = int(round(s["window_seconds"] * SAMPLE_RATE))
    samples = build_samples(corpus, window, window // 2, ftr_feature_set())
    folds = speaker_folds(samples, args.seed, s["folds"], out)
    store = ResultsStore(RunContext.from_args(args, paper, corpus, SPLIT), out)
    if args.tune:
        return tune(paper, args, samples, folds[0], store)
    overrides = best_hyperparameters(paper, args.from_tuning, out) if args.from_tuning else None
    store.add("§3.2", "E-2", "samples", "count", len(samples.table),
              note=f"{window}-sample windows; dropped turns: {samples.dropped}")
    ledger = Ledger(out, {"paper": paper, "data": corpus.data, "root": str(corpus.root), "profile": args.profile,
                          "settings": s, "epochs": args.epochs, "seed": args.seed, "overrides": overrides})
    run_table5(samples, folds, args, store, ledger, overrides)
    vis_fold = next((f for f in folds if SALIENCY_SPEAKER in f.name), folds[0])
    vis = ledger.unit(("visualisation", vis_fold.name), lambda: visualisations(samples, vis_fold, args, overrides))
    record_visualisations(vis, vis_fold.name, store, out)
    store.write()
    log.info("results: %s (ledger: %d computed, %d reused)", out / "results.md", ledger.computed, ledger.reused)
    return 0


def record_visualisations(vis: dict, fold: str, store: ResultsStore, out: Path) -> None:
    """§4.2.1 correlations, Table 6 characteristics and the Fig. 4 / Fig. 5 plots."""
    corr, note = vis["correlations"], f"ELoR of test fold {fold}, {int(vis['n_saliency'])} samples"
    for d in DIMENSIONS:
        store.add("§4.2.1", COLUMN[d], "r(|x|; saliency)", "pearson", corr[d], note=note)
    store.add("§4.2.1", "Arousal vs valence", "r(saliency maps)", "pearson", corr["arousal_vs_valence"], note=note)
    for column, chars in vis["table6"].items():
        for row, value in chars.items():
            store.add("Table 6", row, column, "value", value, note=f"generalised input, ELoR of fold {fold}")
    plot_fig4(vis["example_wave"], vis["example_arousal"], out / "fig4_saliency_arousal.png",
              f"Guided-backprop saliency (arousal), fold {fold}")
    plot_fig5({d: vis[f"am_{d}"] for d in DIMENSIONS}, out / "fig5_generalised_inputs.png",
              f"Generalised inputs by activation maximisation, ELoR of fold {fold}")
    for d in DIMENSIONS:
        gains = ", ".join(f"{g:+.3g}" for g in vis[f"am_gain_{d}"][:N_CLASSES])
        log.info("activation maximisation %s: score gain per label %s", d, gains)


def tune(paper: str, args: argparse.Namespace, samples, fold, store: ResultsStore) -> int:
    """§3.3 search of one network (``--set tune_network=...``) on one fold's 20 % validation part."""
    network = args.settings["tune_network"]
    if network not in TUNABLE_NETWORKS:
        raise ConfigError(f"--set tune_network={network!r}: expected one of {TUNABLE_NETWORKS}")
    hypermodel = WieserHyperModel(network, samples, fold, args.settings, args.seed)
    default_trials = TUNING_EVALUATIONS[network.lower()] if args.profile == "paper" else 3
    tuner = run_search(paper, hypermodel, OBJECTIVE, args, default_tuner="bayesian", default_trials=default_trials)
    seconds = [t.metrics.get_last_value(TRIAL_SECONDS) for t in tuner.oracle.trials.values()
               if t.metrics.exists(TRIAL_SECONDS)]
    if network == "ELoR" and seconds:
        store.add("§3.3", "ELoR search", "per evaluation", "wall_time", seconds, variant="keras-tuner",
                  note=f"{len(seconds)} trials; profile {args.profile}; this machine's hardware")
        store.write()
    return 0
