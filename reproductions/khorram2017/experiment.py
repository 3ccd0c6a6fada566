"""Ties the Khorram 2017 experiments together: data, folds, ledger, results store, plots."""

from __future__ import annotations

import argparse
import logging
import time

import tensorflow as tf

from common.corpora import Corpus, open_corpus
from common.results import ResultsStore, RunContext
from common.splits import Fold, assert_speaker_disjoint, carve_validation, write_folds
from common.training import Ledger, configure_threads
from reproductions.khorram2017.data import Utterance, load_utterances
from reproductions.khorram2017.protocol import run_label_analysis, run_preliminary, run_smoothness, run_tables

log = logging.getLogger(__name__)

SPLIT = "AVEC 2016 partitions (train / dev; test labels withheld)"
VAL_FRACTION = 0.2  # corrected variant: share of train speakers held out for early stopping (our choice)


def load_data(args: argparse.Namespace) -> tuple[Corpus, dict[str, list[Utterance]]]:
    """Open RECOLA (the user's copy or the synthetic twin) and compute the §3 features."""
    configure_threads()
    if not args.settings["graph_optimizer"]:
        tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    corpus = open_corpus("recola", args.data_dir, size=args.synth_size, seed=args.seed)
    log.info("RECOLA (%s): %s", corpus.data, corpus.table.attrs.get("report", ""))
    return corpus, load_utterances(corpus)


def make_folds(corpus: Corpus, args: argparse.Namespace) -> tuple[Fold, Fold]:
    """The AVEC partitions (faithful) and the corrected fold with early stopping on held-out train speakers."""
    table = corpus.table
    ids = {p: list(table.loc[table["partition"] == p, "id"]) for p in ("train", "dev", "test")}
    avec = Fold("avec2016", train=ids["train"], val=ids["dev"], test=ids["test"])
    base = Fold("held-out-val", train=ids["train"], val=[], test=ids["dev"])
    corrected = carve_validation(base, table, frac=VAL_FRACTION, seed=args.seed, by_speaker=True)
    for fold in (avec, corrected):
        assert_speaker_disjoint(fold, table)
    write_folds([avec, corrected], args.out / "splits" / "folds.csv")
    return avec, corrected


def run_experiment(paper: str, args: argparse.Namespace, corpus: Corpus, data: dict[str, list[Utterance]],
                   overrides: dict | None) -> None:
    """Everything the paper reports, in order; each trained unit goes through the resume ledger."""
    start = time.monotonic()
    args.out.mkdir(parents=True, exist_ok=True)
    store = ResultsStore(RunContext.from_args(args, paper, corpus, SPLIT), args.out)
    ledger = Ledger(args.out, {"paper": paper, "data": corpus.data, "root": str(corpus.root),
                               "profile": args.profile, "epochs": args.epochs, "seed": args.seed,
                               "settings": args.settings, "overrides": overrides})
    _, corrected = make_folds(corpus, args)
    by_id = {u.id: u for u in data["train"]}
    val_split = ([by_id[i] for i in corrected.train], [by_id[i] for i in corrected.val])
    run_label_analysis(data, args, store)
    store.write()
    run_preliminary(data, args, ledger, store)
    store.write()
    preds = run_tables(data, args, ledger, store, val_split, overrides)
    store.write()
    run_smoothness(data, preds, args, store)
    store.write()
    log.info("khorram2017 %s profile done in %.0f s (%d units computed, %d resumed); results in %s",
             args.profile, time.monotonic() - start, ledger.computed, ledger.reused, args.out)
