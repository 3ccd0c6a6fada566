"""Zhao et al. (2019) on the engine: the 1D and 2D CNN LSTM networks of §3 on Berlin EmoDB and IEMOCAP.

``prepare`` selects §3.5's utterances and draws the §4.1–§4.2 folds; one experiment per protocol trains every
(network, selection mode, fold, run) unit and yields the cells of Tables 3–9; the last one writes the
paper-style tables, the confusion plot and the Figs. 9–10 curves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from functools import partial
from typing import Any

import numpy as np

from common.cache import FeatureCache
from common.engine import Experiment, Fit, Paper, Profile, Search, Session, Settings, setting
from common.errors import ConfigError
from common.results import load_published
from common.training import progress
from reproductions.zhao2019.benchmark import benchmark
from reproductions.zhao2019.data import CORPUS_NAMES, IEMOCAP_PAPER_COUNTS, ZhaoData, network_inputs, select_utterances
from reproductions.zhao2019.deviations import BN_DEVIATION_NETWORKS, DEVIATIONS, base_config, training_modes
from reproductions.zhao2019.models import CLIP_SAMPLES, N_MELS, NETWORKS, TrainConfig
from reproductions.zhao2019.protocol import MONITOR, PROTOCOLS, fit_unit, protocol_folds, protocol_units
from reproductions.zhao2019.report import (
    INPUT_OF,
    confusion_figure,
    curves_figure,
    fig8_figure,
    rows,
    summarise,
    write_paper_tables,
)
from reproductions.zhao2019.search_space import OBJECTIVE, PUBLISHED_POINT, declare

log = logging.getLogger("zhao2019")
@dataclass(frozen=True)
class ZhaoSettings(Settings):
    """Every setting of the reproduction (the values of the paper profile)."""

    clip_samples: int = setting(CLIP_SAMPLES, source="§3.5: 8 s at 16 kHz")
    n_fft: int = setting(2048, source="§3.5")
    hop_length: int = setting(512, source="§3.5 (251 frames)")
    n_mels: int = setting(N_MELS, source="§3.5")
    networks: tuple[str, ...] = setting(NETWORKS, source="§3.2-§3.3; 2d-timeseq: assumption (our variant)",
                                        choices=NETWORKS)
    si_folds: int = setting(5, source="§4.2: 10 speakers, 5 disjoint test pairs")
    recalibrate_bn: bool = setting(True, source="assumption (ours: BN statistics from the training utterances, "
                                                "deviations.py)")
    bn_deviation: tuple[str, ...] = setting(("2d",), source="assumption (networks also trained faithfully with "
                                                            "Keras's BN statistics, deviations.py)",
                                            choices=BN_DEVIATION_NETWORKS)


PROFILES = {
    # Smoke: 0.5 s clips (8,000 samples: 31 LSTM steps in the 1D network) and hop 62 (128 x 130 spectrograms,
    # about the smallest input the faithful 2D pools accept), one speaker pair, 1 run, 2 epochs.
    # Everything else is the paper's. The full shapes of Tables 1-2 are checked by tests/zhao2019/test_models.py.
    "smoke": Profile(runs=1, epochs=2, settings=ZhaoSettings(clip_samples=8000, hop_length=62, si_folds=1,
                                                             bn_deviation=())),
    # Paper: runs and maximum epochs are not given (§4: "extensive experiments"); 5 runs, 100 epochs with
    # early stopping (patience 8, §4.1) are ours.
    "paper": Profile(runs=5, epochs=100, settings=ZhaoSettings()),
}
SD, SI = "Speaker-dependent: Tables 3-4, 7, 8-9", "Speaker-independent: Tables 5-6, 7, 8-9"
SPLIT = "speaker-dependent 80/20; speaker-independent 8/2 speakers (IEMOCAP: sessions)"


def _networks(session: Session) -> list[str]:
    networks = list(session.settings.networks)
    unknown = sorted(set(networks) - set(NETWORKS))
    if unknown or not networks:
        raise ConfigError(f"--set networks=...: must be a non-empty list among {list(NETWORKS)}; got {networks}")
    return networks


def prepare(session: Session) -> ZhaoData:
    """§3.5's utterances and inputs of ``session.corpus``, and the §4.1–§4.2 folds (written under splits/)."""
    networks = _networks(session)
    corpus = session.corpus
    selection = select_utterances(corpus)
    log.info("%s (%s): %d utterances selected, per class %s", corpus.name, corpus.data, len(selection.table),
             selection.table["label"].value_counts().to_dict())
    if corpus.name == "iemocap":
        log.info("§3.5 prototypical improvised counts for comparison: %s", IEMOCAP_PAPER_COUNTS)
    table = selection.table
    # the unit of independence of each utterance for the intervals: the IEMOCAP session (partners share one)
    group_column = "session" if corpus.name == "iemocap" else "speaker"
    folds = {}
    for protocol in PROTOCOLS:
        folds[protocol] = protocol_folds(table, corpus.name, protocol, session.seed, session.runs)
        session.write_folds(folds[protocol], f"{corpus.name}-{protocol}.csv")
    wanted = set(networks) | ({session.args.target} if session.args.tune and session.args.target else set())
    cache = FeatureCache()
    inputs = {kind: network_inputs(selection, kind, session.settings, cache)
              for kind in sorted({INPUT_OF[n] for n in wanted})}
    return ZhaoData(selection=selection, networks=networks, folds=folds, inputs=inputs,
                    groups=table[group_column].astype(str).to_numpy())


def train_config(session: Session, network: str) -> TrainConfig:
    """The suite's default training configuration with the point of a search of ``network`` applied."""
    chosen = session.config(network, base_config(session.settings).as_dict())
    return TrainConfig(**{f.name: chosen[f.name] for f in fields(TrainConfig)})


def _fit(session: Session, data: ZhaoData, network: str, config: TrainConfig, unit, fit: Fit) -> dict[str, Any]:
    sel = data.selection
    return fit_unit(unit, network, data.inputs[INPUT_OF[network]], sel.y, len(sel.classes), config,
                    session.epochs, session.seed + unit.run, schedule=fit.schedule, scope=session.scope(),
                    verbose=session.verbose)


def train_and_score(session: Session, data: ZhaoData, target: str, config: dict, split) -> dict[str, float]:
    """The protocol's own training of ``target`` on the search unit ``split``: validation accuracy (§3.4).

    Only the validation part is scored: the search never reads the unit's test speakers.
    """
    base = base_config(session.settings)
    chosen = TrainConfig(**{f.name: config.get(f.name, getattr(base, f.name)) for f in fields(TrainConfig)})
    payload = session.unit(("search", target, split.fold.name), partial(_fit, session, data, target, chosen, split),
                           store=False)
    y = data.selection.y
    return {MONITOR: payload["val_accuracy"],
            "val_ua": float(np.mean([np.mean(payload["y_pred"][split.val][y[split.val] == c] == c)
                                     for c in np.unique(y[split.val])]))}


def search_split(session: Session, data: ZhaoData):
    """§3.4's "independent data set": the first speaker-independent fold in clean mode (validation = a held-out
    training speaker, or training session for IEMOCAP)."""
    table = data.selection.table
    (unit,) = protocol_units(table, session.corpus.name, data.folds["speaker-independent"][:1],
                             "speaker-independent", "clean", session.seed, 1)
    return unit


def protocol_experiment(protocol: str, session: Session, data: ZhaoData):
    """Every network x selection mode of ``protocol``: Tables 3–6, 7(a), 7(b) and the 8/9 rows."""
    corpus = session.corpus.name
    sel = data.selection
    done = []
    for network in data.networks:
        config = train_config(session, network)
        for selection_mode, mode_config, deviation in training_modes(session.settings, network, config):
            units = protocol_units(sel.table, corpus, data.folds[protocol], protocol, selection_mode,
                                   session.seed, session.runs, session.settings.si_folds)
            payloads = []
            for u in progress(units, desc=f"{network} {protocol} {selection_mode}"):
                key = (network, protocol, selection_mode, u.fold.name, u.run, *([deviation] if deviation else []))
                payloads.append(session.unit(key, partial(_fit, session, data, network, mode_config, u), MONITOR))
            exp = summarise(network, protocol, selection_mode, units, payloads, sel.y, len(sel.classes),
                            data.groups, deviation)
            done.append(exp)
            yield from rows(corpus, CORPUS_NAMES[corpus], exp, sel.abbreviations, session.hp_source(network))
    return done


def figures(session: Session, data: ZhaoData, *protocols: list):
    """The paper-style tables (markdown), the confusion heatmaps and Figs. 9–10 (training curves) of the
    experiments every protocol summarised."""
    corpus = session.corpus.name
    sel = data.selection
    experiments = [exp for done in protocols for exp in done]
    stem = f"{corpus}-{session.origin}-{session.profile}"
    write_paper_tables(session.out / f"tables-{stem}.md", corpus, CORPUS_NAMES[corpus], session.origin, experiments,
                       sel.abbreviations)
    session.save_figure(confusion_figure(corpus, CORPUS_NAMES[corpus], session.origin, experiments, sel.abbreviations,
                                         load_published("zhao2019")),
                        f"confusion-{stem}.png")
    if corpus == "emodb":  # Fig. 8 shows EmoDB utterances only
        session.save_figure(fig8_figure(sel.table, session.settings, session.origin), f"fig8-{stem}.png")
    for network in data.networks:
        for protocol in PROTOCOLS:
            mine = [e for e in experiments if e.network == network and e.protocol == protocol]
            if mine:
                session.save_figure(curves_figure(CORPUS_NAMES[corpus], network, protocol, mine),
                                    f"curves-{stem}-{network}-{protocol}.png")
    return ()


def zhao2019_searches() -> dict[str, Search]:
    """§3.4: one Bayesian search per network (and the corpus the run is on), part of ``--profile paper``."""
    return {network: Search(network, declare, OBJECTIVE, search_split, PUBLISHED_POINT, tuner="bayesian",
                            trials={"smoke": 3, "paper": 20}, source="§3.4", in_profile=("paper",),
                            needed=lambda settings, n=network: n in settings.networks)
            for network in NETWORKS}


PAPER = Paper(
    name="zhao2019",
    title="Zhao, Mao & Chen (2019): Speech emotion recognition using deep 1D & 2D CNN LSTM networks",
    citation="Zhao, J., Mao, X., & Chen, L. (2019). Speech emotion recognition using deep 1D & 2D CNN LSTM "
             "networks. Biomedical Signal Processing and Control, 47, 312-323.",
    corpora=("emodb", "iemocap"),
    profiles=PROFILES,
    split=SPLIT,
    prepare=prepare,
    experiments=(Experiment(SD, partial(protocol_experiment, PROTOCOLS[0])),
                 Experiment(SI, partial(protocol_experiment, PROTOCOLS[1])),
                 Experiment("Paper-style tables, confusion plot, Figs. 9-10", figures, consumes=(SD, SI))),
    searches=zhao2019_searches(),
    train_and_score=train_and_score,
    benchmark=benchmark,
    strategies=("default", "mirrored"),
    default_hp_source="suite-default",
    flaws={"clean": "the test set is the validation set: early stopping and model selection on test (§4.1, Table 7)",
           "timeseq-faithful": "the 2D network's pools leave its LSTM one time step (Table 2, §3.2)",
           "timeseq-clean": "both: model selected on test and one LSTM time step", **DEVIATIONS},
    description="1D CNN LSTM on raw audio, 2D CNN LSTM on log-mel spectrograms; Berlin EmoDB and IEMOCAP.",
    headline='Zhao et al. 2019, *Speech emotion recognition using deep 1D & 2D CNN LSTM networks*',
    models='1D and 2D CNN-LSTM',
    reproduced='Tables 3–6 (confusion matrices with WA and UA), Table 7 (a) and (b), the "Our work" cells of '
               'Tables 8–9, Figs. 9–10 (training and validation curves of every unit), the §3.4 searches in the '
               'paper profile',
    limits="the paper's 2D network gives its LSTM one time step (kept faithful, flagged); comparison rows of "
           'Tables 8–9 are published-only',
    test_argv=("--profile", "smoke", "--runs", "1", "--epochs", "1", "--set", 'networks=["1d"]',
               "--set", "clip_samples=2048", "--set", "si_folds=1"),
)
