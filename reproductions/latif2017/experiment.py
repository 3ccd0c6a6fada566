"""Wiring of a latif2017 run: corpus -> segments -> protocol -> results, plots; or a keras-tuner search."""

from __future__ import annotations

import argparse
import logging
import time
from dataclasses import asdict
from typing import Any

import numpy as np

from common.atomic import atomic_write_text
from common.corpora import Corpus, open_corpus
from common.errors import ConfigError
from common.results import ResultsStore, RunContext
from common.splits import carve_validation, leave_one_session_out
from common.training import Ledger, configure_threads
from common.tuning import best_hyperparameters, run_search
from reproductions.latif2017.labels import CLASSES, categorical_table
from reproductions.latif2017.models import LATENT_DIM
from reproductions.latif2017.plots import plot_latent_sweep
from reproductions.latif2017.protocol import (
    SWEEP_SUBSET,
    VALIDATION_FRACTION,
    Protocol,
    run_sweep,
    run_table1,
    run_table2,
)
from reproductions.latif2017.search_space import OBJECTIVE, LatentLSTMHyperModel
from reproductions.latif2017.segments import corpus_segments
from reproductions.latif2017.training import FoldIndex, TrainConfig

log = logging.getLogger(__name__)

TUNED = ("latent_dim", "lstm_units", "dense_units")


def train_config(args: argparse.Namespace, overrides: dict[str, Any] | None = None) -> TrainConfig:
    """Training sizes of this run: profile settings, ``--epochs`` as the LSTM cap, tuned values on top."""
    s = args.settings
    cfg = TrainConfig(latent_dim=LATENT_DIM, ae_epochs=int(s["ae_epochs"]), ae_batch=int(s["ae_batch"]),
                      lstm_epochs=args.epochs, lstm_batch=int(s["lstm_batch"]), lstm_units=int(s["lstm_units"]),
                      dense_units=int(s["dense_units"]), verbose=max(0, args.verbose - 1))
    unknown = set(overrides or {}) - set(TUNED)
    if unknown:
        raise ConfigError(f"--from-tuning {args.from_tuning}: unexpected hyperparameters {sorted(unknown)}")
    return TrainConfig(**{**asdict(cfg), **(overrides or {})})


def _open(args: argparse.Namespace) -> Corpus:
    corpus = open_corpus("iemocap", args.data_dir, size=args.synth_size)
    log.info("IEMOCAP (%s, %s): %s", corpus.data, corpus.root, corpus.table.attrs.get("report", ""))
    return corpus


def run_experiment(paper: str, args: argparse.Namespace) -> None:
    """Tables 1-2 and Fig. 2 through the ledger; writes results.csv/.md, sweep CSV and plot under ``args.out``."""
    started = time.monotonic()
    configure_threads()
    corpus = _open(args)
    table = corpus.table.reset_index(drop=True)
    overrides = best_hyperparameters(paper, args.from_tuning, args.out) if args.from_tuning else None
    cfg = train_config(args, overrides)
    seg = corpus_segments(corpus)
    ledger = Ledger(args.out, {"paper": paper, "data": corpus.data, "root": str(corpus.root), "profile": args.profile,
                               "seed": args.seed, "settings": args.settings, "cfg": asdict(cfg)})
    store = ResultsStore(RunContext.from_args(args, paper, corpus, split="leave-one-session-out"), args.out)
    p = Protocol(table=table, seg=seg, cfg=cfg, ledger=ledger, store=store, out=args.out, runs=args.runs,
                 seed=args.seed, max_folds=int(args.settings["folds"]), models=tuple(args.settings["models"]))
    run_table1(p, cfg.latent_dim, tuple(args.settings["subsets"]))
    run_table2(p, cfg.latent_dim, tuple(args.settings["dimensional_splits"]))
    sweep = run_sweep(p, [int(d) for d in args.settings["latent_sizes"]])
    store.write()
    atomic_write_text(args.out / "latent_sweep.csv", sweep.to_csv(index=False))
    plot_latent_sweep(sweep, args.out / "latent_sweep.png", corpus.data)
    log.info("latif2017 %s profile on %s data: %d units computed, %d reused, %.0f s; see %s", args.profile,
             corpus.data, ledger.computed, ledger.reused, time.monotonic() - started, args.out / "results.md")


def run_tuning(paper: str, args: argparse.Namespace) -> None:
    """--tune: search the §4.3/§5.3 space on the first LOSO fold of the complete data, validation speakers
    carved from its training sessions (the test session is never seen)."""
    configure_threads()
    corpus = _open(args)
    table = corpus.table.reset_index(drop=True)
    df, y = categorical_table(table, SWEEP_SUBSET)
    labels = np.full(len(table), -1, dtype=np.int64)
    labels[df.index.to_numpy()] = y
    fold = carve_validation(leave_one_session_out(df)[0], df, frac=VALIDATION_FRACTION, seed=args.seed,
                            by_speaker=True)
    pos = {uid: i for i, uid in enumerate(table["id"])}
    index = FoldIndex(*(np.array([pos[u] for u in getattr(fold, p)]) for p in ("train", "val", "test")))
    hypermodel = LatentLSTMHyperModel(corpus_segments(corpus), index, labels, len(CLASSES), train_config(args),
                                      kind=args.settings["tune_model"], seed=args.seed)
    run_search(paper, hypermodel, OBJECTIVE, args)
