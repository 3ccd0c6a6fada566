"""§3.2 / §4.1 protocol: 10 speaker folds, 20 % validation carved from the rest, pooled WAR/UAR (Table 5).

Units (network, schedule, fold, run) go through the session's ledger; the pooled tables are computed from the
stored test predictions, so a resumed run writes the same tables.

Validation part (§3.3: "20% randomly chosen samples of all samples considered ... in the respective
cross-validation step"): faithful ``validation_by=window`` draws 20 % of the training part's 6 s *samples*, so
windows of one utterance can fall on both sides (flagged: the validation score the search optimises is then
optimistic); the corrected ``validation_by=utterance`` draws whole utterances.
"""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from common.engine.unit import Fit
from common.errors import ConfigError
from common.metrics import uar, war
from common.results.evidence import Evidence
from common.splits import Fold, FoldIndices, carve_validation, leave_one_speaker_out
from common.training import progress, set_seed
from common.training.batches import releasing
from common.training.curves import curves
from reproductions.wieser2018.data import Samples, WieserData
from reproductions.wieser2018.hyperparameters import (
    DIMENSIONS,
    N_CLASSES,
    NETWORKS,
    SALIENCY_SPEAKER,
    VALIDATION_FRACTION,
)
from reproductions.wieser2018.models import (
    RowInputs,
    SampleBatches,
    build_network,
    functional_stats,
    network_config,
)
from reproductions.wieser2018.schedule import AlternatingHeadsTrainer, compile_for
from reproductions.wieser2018.search_space import tuned_overrides, tuned_source

log = logging.getLogger(__name__)
ROW = {"ELoR": "ELoR net", "LoM": "LoM net", "FTR": "FTR net", "ELoR + FTR": "ELoR + FTR net"}
COLUMN = {"arousal": "Arousal", "valence": "Valence"}
VALIDATION_BY = ("window", "utterance")  # faithful, corrected


def speaker_folds(samples: Samples, seed: int, n_folds: int | None, validation_by: str = "window") -> list[Fold]:
    """Leave-one-speaker-out folds (§3.2) over sample ids, with a random 20 % validation part (§3.3).

    ``n_folds`` < 10 (smoke) keeps the Ses03-F fold (§3.2 visualisations) and the next ones in speaker order.
    """
    if validation_by not in VALIDATION_BY:
        raise ConfigError(f"--set validation_by={validation_by!r}: expected one of {VALIDATION_BY}")
    table = samples.table
    utts = table.drop_duplicates("id").reset_index(drop=True)
    folds: list[Fold] = leave_one_speaker_out(utts)
    folds.sort(key=lambda f: (f.name != SALIENCY_SPEAKER and SALIENCY_SPEAKER not in f.name, f.name))
    ids_of = table.groupby("id", sort=False)["sample_id"].apply(list).to_dict()

    def expand(utterances: list[str]) -> list[str]:
        return [s for u in utterances for s in ids_of[u]]

    out = []
    for f in folds[:n_folds]:
        if validation_by == "utterance":
            carved = carve_validation(f, utts, frac=VALIDATION_FRACTION, seed=seed)
            out.append(Fold(f.name, expand(carved.train), expand(carved.val), expand(carved.test)))
        else:
            whole = Fold(f.name, expand(f.train), [], expand(f.test))
            out.append(carve_validation(whole, table.assign(id=table["sample_id"]), frac=VALIDATION_FRACTION,
                                        seed=seed))
    return out


def fold_indices(samples: Samples, folds: list[Fold]) -> list[FoldIndices]:
    return [f.indices(samples.table, column="sample_id") for f in folds]


def fit_network(session, samples: Samples, network: str, schedule: str, config: dict[str, Any],
                train: np.ndarray, seed: int, fit: Fit):
    """Train one network on the ``train`` rows (Tables 1-4) -> (network, functional stats, History).

    Used by the protocol and by every search trial alike. Epochs: the network's own (Tables 1-4, or the tuned
    point's), capped at ``--epochs``.
    """
    cfg = network_config(network, session.settings, config)
    hp = cfg.training
    set_seed(seed)
    net = build_network(cfg, samples)
    stats = functional_stats(samples, train)
    y = {d: samples.labels(d)[train] for d in DIMENSIONS}
    steps = math.ceil(len(train) / hp.batch_size)
    model = compile_for(net, hp, steps, schedule, seed)
    kw, callbacks = fit.schedule(min(hp.epochs, session.epochs), steps)
    if isinstance(model, AlternatingHeadsTrainer):  # slices its arrays itself, batch by batch (no input pipeline)
        history = model.fit(RowInputs(network, samples, train, stats), y, batch_size=hp.batch_size, **kw,
                            callbacks=callbacks, shuffle=True, verbose=session.verbose)
        return net, stats, history
    with releasing(SampleBatches(network, samples, train, stats, y, hp.batch_size, shuffle=True, seed=seed)) as (
            batches,):
        history = model.fit(batches, **kw, callbacks=callbacks, verbose=session.verbose)
    return net, stats, history


def predict_classes(net, network: str, samples: Samples, rows: np.ndarray, stats) -> dict[str, np.ndarray]:
    """argmax per dimension: "the two output labels with the maximum probability" (§2.1.1)."""
    with releasing(SampleBatches(network, samples, rows, stats, batch_size=32)) as (batches,):
        out = net.predict(batches, verbose=0)
    return {d: np.argmax(out[d], axis=-1) for d in DIMENSIONS}


def weights_path(out: Path, fold: str, run: int) -> Path:
    return out / "models" / f"elor_faithful_{fold}_run{run}.weights.h5"


def run_unit(session, samples: Samples, network: str, schedule: str, fold: FoldIndices, run: int,
             fit: Fit) -> dict[str, Any]:
    """Train + test one (network, schedule, fold, run); keeps the ELoR weights the visualisations use."""
    config = tuned_overrides(session, network)
    net, stats, history = fit_network(session, samples, network, schedule, config, fold.train, session.seed + run,
                                      fit)
    if network == "ELoR" and schedule == "faithful":
        path = weights_path(session.unit_root, fold.name, run)  # named by the unit identity
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"tmp-{os.getpid()}-{path.name}")  # Keras wants the .weights.h5 suffix
        net.save_weights(tmp)
        os.replace(tmp, path)
    pred = predict_classes(net, network, samples, fold.test, stats)
    speakers = samples.table["speaker"].to_numpy(dtype=str)[fold.test]
    return {"test": fold.test, "speaker": np.asarray(speakers, dtype=str), **curves(history),
            **{f"pred_{d}": pred[d] for d in DIMENSIONS},
            **{f"true_{d}": samples.labels(d)[fold.test] for d in DIMENSIONS}}


def pooled(units: list[dict[str, Any]], key: str) -> np.ndarray:
    return np.concatenate([np.asarray(u[key]) for u in units])


def pooled_scores(units: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """WAR and UAR over the pooled predictions of all test folds (§4.1) -> {dim: {WAR, UAR}}."""
    res = {}
    for d in DIMENSIONS:
        y, pred = pooled(units, f"true_{d}"), pooled(units, f"pred_{d}")
        res[d] = {"WAR": war(y, pred), "UAR": uar(y, pred)}
    return res


def baseline_scores(samples: Samples, folds: list[FoldIndices]) -> dict[str, dict[str, dict[str, float]]]:
    """Table 5's reference rows from the pooled test labels.

    faithful "Most frequent label": the majority class of the pooled *test* labels (§4.1: "based on the prior
    probabilities of the test sets" - an oracle); corrected: each fold predicts its *training* majority.
    "Random guessing": expected recalls of a uniform guesser (1/5 for every class, whatever the priors).
    """
    test = np.concatenate([f.test for f in folds])
    out: dict[str, dict[str, dict[str, float]]] = {"oracle": {}, "train_prior": {}, "random": {}}
    for d in DIMENSIONS:
        y = samples.labels(d)
        yt = y[test]
        oracle = np.full_like(yt, np.bincount(yt, minlength=N_CLASSES).argmax())
        train_major = np.concatenate([np.full(len(f.test), np.bincount(y[f.train], minlength=N_CLASSES).argmax())
                                      for f in folds])
        out["oracle"][d] = {"WAR": war(yt, oracle), "UAR": uar(yt, oracle)}
        out["train_prior"][d] = {"WAR": war(yt, train_major), "UAR": uar(yt, train_major)}
        out["random"][d] = {"WAR": 1.0 / N_CLASSES, "UAR": 1.0 / N_CLASSES}
    return out


def table5(session, data: WieserData):
    """All networks x schedules x folds x runs -> Table 5 rows (with per-utterance-window evidence)."""
    from common.engine import Row

    samples, folds = data.samples, data.folds
    yield Row("§3.2", "E-2", "samples", "count", len(samples.table),
              note=f"{samples.waveforms.shape[1]}-sample windows; dropped turns: {samples.dropped}")
    joint = session.settings.joint_variant
    experiments = [(n, "faithful") for n in NETWORKS] + [(n, "joint") for n in joint]
    units = [(n, s, f, r) for n, s in experiments for f in folds for r in range(session.runs)]
    done: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for network, schedule, fold, run in progress(units, "wieser2018 Table 5 units"):
        key = (network, schedule, fold.name, run)
        payload = session.unit(key, lambda fit, n=network, s=schedule, f=fold, r=run:
                               run_unit(session, samples, n, s, f, r, fit), "loss", "min")
        done.setdefault((network, schedule, run), []).append(payload)
    n_folds = f"{len(folds)} speaker folds"
    split = data.split
    for network, schedule in experiments:
        per_run = [done[(network, schedule, r)] for r in range(session.runs)]
        scores = [pooled_scores(u) for u in per_run]
        how = "alternating heads" if schedule == "faithful" else "joint loss"
        feats = f"; FTR features: {samples.functionals_set}" if "FTR" in network else ""
        for d in DIMENSIONS:
            for m, metric in (("WAR", "accuracy"), ("UAR", "ua")):
                evidence = Evidence(metric, y_true=[pooled(u, f"true_{d}") for u in per_run],
                                    y_pred=[pooled(u, f"pred_{d}") for u in per_run],
                                    groups=[pooled(u, "speaker") for u in per_run], scale=1)
                yield Row("Table 5", ROW[network], COLUMN[d], m, [s[d][m] for s in scores], variant=schedule,
                          split=split, note=f"pooled over {n_folds}; {how}{feats}",
                          hp_source=tuned_source(session, network),
                          evidence=evidence)
    base = baseline_scores(samples, folds)
    for key, row, variant, note in (
            ("random", "Random guessing", "faithful", "expected recalls of uniform guessing"),
            ("oracle", "Most frequent label", "faithful", "majority of the pooled test labels (oracle, as §4.1)"),
            ("train_prior", "Most frequent label", "train-prior", "majority of each fold's training labels")):
        for d in DIMENSIONS:
            for m in ("WAR", "UAR"):
                yield Row("Table 5", row, COLUMN[d], m, base[key][d][m], variant=variant, split=split, note=note)
    test = np.concatenate([f.test for f in folds])
    for d in DIMENSIONS:  # §4.1 names the class "based on the prior probabilities of the test sets"
        yield Row("§4.1", "Most frequent label", COLUMN[d], "class", [samples.majority(d, test)], split=split,
                  note="majority class of the pooled test labels")
