"""Latif et al. 2017 protocol: Table 1 (categorical, LOSO), Table 2 (dimensional, 10-fold), Fig. 2 (latent sweep).

Every (experiment, model, fold, run) is one ledger unit, so an interrupted run resumes where it stopped.
Reported numbers are percentages (the paper's unit): per-fold metrics averaged over folds, one value per run.
IEMOCAP sessions hold two speakers who talk to each other, so every speaker-independent split, and every
validation part carved out of one, holds out whole sessions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from common.engine import Evidence, Fit, Row, Session
from common.errors import ConfigError
from common.metrics import f1_macro, unweighted_accuracy, weighted_accuracy
from common.results.evidence import MeanEvidence
from common.splits import PARTS, Fold, FoldIndices, carve_validation, leave_one_session_out, random_kfold
from reproductions.latif2017.data import Data
from reproductions.latif2017.labels import (
    BINS,
    CLASSES,
    CONDITIONS,
    SUBSETS,
    categorical_condition,
    categorical_table,
    dimensional_table,
)
from reproductions.latif2017.models import LATENT_DIM
from reproductions.latif2017.sweep import Curve, section53_rows
from reproductions.latif2017.training import TrainConfig, run_unit

MODELS = {"ae": "AE-LSTM", "vae": "VAE-LSTM", "cvae": "CVAE-LSTM"}  # Tables 1-2 rows/columns
TARGETS = {kind: f"{kind}-lstm" for kind in MODELS}  # search targets: one per network kind (search_space.py)
LABEL_FREE = "label-free CVAE (marginalised over c)"
SPEAKER_INDEPENDENT = "speaker-independent (leave-one-session-out)"
DIM_SPLITS = {"random": "random 10-fold", "session": "leave-one-session-out (5 folds)"}
N_DIM_FOLDS = 10  # §5.2: "10-fold cross-validation" (90 % train / 10 % test, §5)
VALIDATION_FRACTION = 0.2  # early-stopping data carved from each training part (paper silent; README)
SWEEP_SUBSET = "Complete Data"  # Fig. 2a: the subset of the categorical sweep (paper silent; README)
DIM_TARGETS = ("A", "P", "V")
LEAK_NOTE = ("CVAE conditioned on the TRUE categorical emotion label of every utterance, test included: label "
             "leakage")


def assert_session_disjoint(fold: Fold, df: pd.DataFrame) -> None:
    """Raise when a session has utterances in two parts of ``fold`` (its two speakers are partners)."""
    session = dict(zip(df["id"].astype(str), df["session"].astype(str), strict=True))
    sets = {p: {session[i] for i in getattr(fold, p)} for p in PARTS}
    for a, b in (("train", "val"), ("train", "test"), ("val", "test")):
        if sets[a] & sets[b]:
            raise ConfigError(f"fold {fold.name}: sessions {sorted(sets[a] & sets[b])} are in both {a} and {b}")


def carve_sessions(fold: Fold, df: pd.DataFrame, frac: float = VALIDATION_FRACTION, seed: int = 0) -> Fold:
    """Move a seeded ``frac`` of the training *sessions* (at least one, never all) into the validation part:
    carving speakers would leave each carved speaker's partner in training, and IEMOCAP partners share a session."""
    out = carve_validation(fold, df, frac=frac, seed=seed, by="session")
    assert_session_disjoint(out, df)
    return out


def prepare_folds(session: Session, data: Data, name: str, df: pd.DataFrame, folds: list[Fold],
                  by_session: bool) -> list[FoldIndices]:
    """Keep ``folds`` setting's first folds, carve validation (whole sessions when ``by_session``), write the
    fold lists to ``<out>/splits/<name>.csv`` and map ids to row positions of the corpus table."""
    max_folds = int(session.settings.folds)
    folds = folds[:max_folds] if max_folds else folds
    if by_session:
        folds = [carve_sessions(f, df, seed=session.seed) for f in folds]
    else:
        folds = [carve_validation(f, df, frac=VALIDATION_FRACTION, seed=session.seed) for f in folds]
    session.write_folds(folds, f"{name}.csv")
    return [f.indices(data.table) for f in folds]


def default_config(session: Session) -> dict[str, int]:
    """What a search may change (search_space.py): latent size 128 (§4.3, §5.3) and the LSTM size (our default)."""
    return {"latent_dim": LATENT_DIM, "lstm_units": int(session.settings.lstm_units)}


def train_config(session: Session, kind: str, latent_dim: int | None = None,
                 config: dict[str, Any] | None = None) -> TrainConfig:
    """Sizes of one unit of ``kind``: profile settings, ``--epochs`` as the LSTM cap, and ``config`` (default:
    the kind's tuned point over ``default_config``); ``latent_dim`` overrides the latent size (Fig. 2)."""
    s = session.settings
    config = {**default_config(session), **(config or session.config(TARGETS[kind], default_config(session)))}
    return TrainConfig(latent_dim=int(latent_dim or config["latent_dim"]), ae_epochs=int(s.ae_epochs),
                       ae_batch=int(s.ae_batch), lstm_epochs=session.epochs, lstm_batch=int(s.lstm_batch),
                       lstm_units=int(config["lstm_units"]), verbose=session.verbose)


#: one tf.distribute strategy per name and process: a pooled model (training.POOL) is re-initialised inside the
#: scope it was built in, and ``Session.scope()`` makes a new strategy object on every call
_STRATEGIES: dict[str, Any] = {}


def model_scope(session: Session) -> Callable[[], contextlib.AbstractContextManager]:
    """What builds and compiles the models: no scope, or the scope of the ``--strategy`` the user chose."""
    name = session.args.strategy
    if name == "default":
        return contextlib.nullcontext
    if name not in _STRATEGIES:
        from common.training import get_strategy

        _STRATEGIES[name] = get_strategy(name)
    return _STRATEGIES[name].scope


def monitor(training: str) -> str:
    """The validation metric each training of a unit keeps its model on: the autoencoder's reconstruction, else the
    LSTM's loss."""
    return "val_reconstruction_mse" if training == "ae" else "val_loss"


@dataclass
class RunResult:
    """One run of one (model, variant): per-fold metrics and the pooled test predictions of its folds."""

    metrics: list[dict[str, float]]
    true: dict[str, list[np.ndarray]]
    pred: dict[str, list[np.ndarray]]
    groups: list[np.ndarray]

    def mean(self) -> dict[str, float]:
        return pd.DataFrame(self.metrics).mean().to_dict()


Metrics = Callable[[dict[str, np.ndarray], str], dict[str, float]]


def evaluate(session: Session, data: Data, key: tuple, folds: list[FoldIndices], targets: dict[str, np.ndarray],
             n_classes: dict[str, int], condition: np.ndarray, n_conditions: int, latent_dim: int | None,
             metrics: Metrics) -> dict[tuple[str, str], list[RunResult]]:
    """Run every (model, run, fold) unit; return {(kind, variant): [RunResult of each run]}."""
    models = tuple(session.settings.models)
    unknown = set(models) - set(MODELS)
    if unknown:
        raise ConfigError(f"--set models: unknown {sorted(unknown)}; expected some of {list(MODELS)}")
    out: dict[tuple[str, str], list[RunResult]] = {}
    for kind in models:
        cfg = train_config(session, kind, latent_dim)
        for run in range(session.runs):
            seed = session.seed + run
            results: dict[str, RunResult] = {}
            for fold in folds:
                # the LSTM size is in the key: a profile search sets it after the ledger's configuration is fixed
                unit = (*key, f"z{cfg.latent_dim}", f"lstm{cfg.lstm_units}", kind, fold.name, f"run{run}")

                def compute(fit: Fit, kind=kind, cfg=cfg, fold=fold, seed=seed) -> dict[str, np.ndarray]:
                    return run_unit(kind, data.seg, fold, targets, n_classes, cfg, seed, condition, n_conditions,
                                    marginal=kind == "cvae", groups=data.groups, schedule=fit.schedule,
                                    scope=model_scope(session))

                payload = session.unit(unit, compute, monitor, "min")
                variants = sorted({k.split("__")[1] for k in payload if k.startswith("pred__")})
                for variant in variants:
                    r = results.setdefault(variant, RunResult([], {t: [] for t in targets},
                                                              {t: [] for t in targets}, []))
                    r.metrics.append(metrics(payload, variant))
                    r.groups.append(np.asarray(payload["groups"]))
                    for t in targets:
                        r.true[t].append(np.asarray(payload[f"true__{t}"]))
                        r.pred[t].append(np.asarray(payload[f"pred__{variant}__{t}"]))
            for variant, r in results.items():
                out.setdefault((kind, variant), []).append(r)
    return out


def evidence(runs: list[RunResult], target: str, metric: str) -> Evidence:
    """The pooled test predictions of every run (all folds of a run together), grouped by session."""
    return Evidence(metric, y_true=[np.concatenate(r.true[target]) for r in runs],
                    y_pred=[np.concatenate(r.pred[target]) for r in runs],
                    groups=[np.concatenate(r.groups) for r in runs], scale=100.0)


def categorical_metrics(payload: dict[str, np.ndarray], variant: str) -> dict[str, float]:
    """WA and UA in percent (Table 1)."""
    y, p = payload["true__emotion"], payload[f"pred__{variant}__emotion"]
    return {"WA": 100 * weighted_accuracy(y, p), "UA": 100 * unweighted_accuracy(y, p)}


def dimensional_metrics(payload: dict[str, np.ndarray], variant: str) -> dict[str, float]:
    """Macro F-measure over low/mid/high per dimension and their arithmetic mean, in percent (Table 2)."""
    scores = {d: 100 * f1_macro(payload[f"true__{d}"], payload[f"pred__{variant}__{d}"], labels=[0, 1, 2])
              for d in DIM_TARGETS}
    return {**scores, "Mean": float(np.mean(list(scores.values())))}


def categorical_targets(data: Data, subset: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The 4-class utterances of ``subset`` and the class of every corpus utterance (-1 outside them)."""
    df, y = categorical_table(data.table, subset)
    labels = np.full(len(data.table), -1, dtype=np.int64)
    labels[df.index.to_numpy()] = y
    return df, labels


def categorical(session: Session, data: Data, subset: str, latent_dim: int | None = None
                ) -> dict[tuple[str, str], list[RunResult]]:
    """One Table 1 row (or one Fig. 2a point): LOSO over the 4-class utterances of ``subset`` (§5, §5.1).

    The CVAE is conditioned on the same four classes it is scored on (§3.1, §4.3).
    """
    df, labels = categorical_targets(data, subset)
    name = f"loso-{subset.lower().replace(' ', '-')}"
    folds = prepare_folds(session, data, name, df, leave_one_session_out(df), by_session=True)
    return evaluate(session, data, ("categorical", subset), folds, {"emotion": labels},
                    {"emotion": len(CLASSES)}, labels, len(CLASSES), latent_dim, categorical_metrics)


def dimensional(session: Session, data: Data, split: str, latent_dim: int | None = None
                ) -> dict[tuple[str, str], list[RunResult]]:
    """Table 2 (or one Fig. 2b point): low/mid/high of A, P, V over ``split`` folds (§5, §5.2).

    ``random``: the paper's 10-fold split of utterances (faithful; speakers and sessions cross folds).
    ``session``: leave-one-session-out, the speaker-independent reading of §5 (IEMOCAP partners share a session,
    so a speaker-wise split would keep each test speaker's partner in training).
    The CVAE is conditioned on the categorical emotion label (§4.3): the four classes of §4.1, or "other".
    """
    if split not in DIM_SPLITS:
        raise ConfigError(f"--set dimensional_splits: unknown split {split!r}; expected some of {list(DIM_SPLITS)}")
    df, bins = dimensional_table(data.table)
    targets = {}
    for name, b in bins.items():
        targets[name] = np.full(len(data.table), -1, dtype=np.int64)
        targets[name][df.index.to_numpy()] = b
    if split == "random":
        folds = prepare_folds(session, data, "dimensional-random-10fold", df,
                              random_kfold(df, k=N_DIM_FOLDS, seed=session.seed), by_session=False)
    else:
        folds = prepare_folds(session, data, "dimensional-loso", df, leave_one_session_out(df), by_session=True)
    return evaluate(session, data, ("dimensional", split), folds, targets, dict.fromkeys(DIM_TARGETS, len(BINS)),
                    categorical_condition(data.table), len(CONDITIONS), latent_dim, dimensional_metrics)


def variant_name(variant: str, split: str = "random") -> str:
    """Row variant: faithful, the label-free CVAE, the speaker-independent split, or both corrections."""
    parts = [LABEL_FREE] if variant == "marginal" else []
    if split == "session":
        parts.append(SPEAKER_INDEPENDENT)
    return ", ".join(parts) or "faithful"


def _note(kind: str, variant: str) -> str:
    return LEAK_NOTE if kind == "cvae" and variant == "faithful" else ""


def table1(session: Session, data: Data) -> Iterator[Row]:
    """Table 1: WA / UA of AE-, VAE-, CVAE-LSTM on improvised, scripted and complete data, LOSO (§5.1)."""
    subsets = tuple(session.settings.subsets)
    unknown = set(subsets) - set(SUBSETS)
    if unknown:
        raise ConfigError(f"--set subsets: unknown {sorted(unknown)}; expected some of {list(SUBSETS)}")
    for subset in subsets:
        for (kind, variant), runs in categorical(session, data, subset).items():
            for metric, ev in (("WA", "accuracy"), ("UA", "ua")):
                yield Row("Table 1", subset, MODELS[kind], metric, [r.mean()[metric] for r in runs],
                          variant=variant_name(variant), split="leave-one-session-out", note=_note(kind, variant),
                          hp_source=session.hp_source(TARGETS[kind]), evidence=evidence(runs, "emotion", ev))


def table2(session: Session, data: Data) -> Iterator[Row]:
    """Table 2: F-measure of A, P, V and their mean (§5.2), per split of the ``dimensional_splits`` setting."""
    for split in session.settings.dimensional_splits:
        for (kind, variant), runs in dimensional(session, data, split).items():
            for column in (*DIM_TARGETS, "Mean"):
                yield Row("Table 2", MODELS[kind], column, "F-measure", [r.mean()[column] for r in runs],
                          variant=variant_name(variant, split), split=DIM_SPLITS[split], note=_note(kind, variant),
                          hp_source=session.hp_source(TARGETS[kind]),
                          evidence=evidence(runs, column, "f1_macro") if column != "Mean" else
                          MeanEvidence(tuple(evidence(runs, d, "f1_macro") for d in DIM_TARGETS)))


def fig2(session: Session, data: Data) -> Iterator[Row]:
    """Fig. 2: categorical accuracy (2a) and mean dimensional F-measure (2b) against the latent size (§5.3),
    with the same corrected variants as Tables 1-2; writes ``latent_sweep.csv`` and ``latent_sweep.png``."""
    from common.atomic import atomic_write_text
    from reproductions.latif2017.plots import plot_latent_sweep

    points, curves = [], {}
    for d in [int(v) for v in session.settings.latent_sizes]:
        for (kind, variant), runs in categorical(session, data, SWEEP_SUBSET, d).items():
            name = variant_name(variant)
            for metric in ("WA", "UA"):
                values = [r.mean()[metric] for r in runs]
                yield Row("Fig. 2a", MODELS[kind], f"latent {d}", metric, values, variant=name,
                          split="leave-one-session-out", note=_note(kind, variant),
                          hp_source=session.hp_source(TARGETS[kind]))
                points.append({"figure": "2a", "model": MODELS[kind], "variant": name, "latent": d,
                               "metric": metric, "value": float(np.mean(values))})
                curves.setdefault(("Fig. 2a", MODELS[kind], name, metric), Curve(
                    "leave-one-session-out", session.hp_source(TARGETS[kind]), _note(kind, variant))).scores[d] = values
        for split in session.settings.dimensional_splits:
            for (kind, variant), runs in dimensional(session, data, split, d).items():
                name = variant_name(variant, split)
                values = [r.mean()["Mean"] for r in runs]
                yield Row("Fig. 2b", MODELS[kind], f"latent {d}", "Mean F-measure", values, variant=name,
                          split=DIM_SPLITS[split], note=_note(kind, variant),
                          hp_source=session.hp_source(TARGETS[kind]))
                points.append({"figure": "2b", "model": MODELS[kind], "variant": name, "latent": d,
                               "metric": "Mean F-measure", "value": float(np.mean(values))})
                curves.setdefault(("Fig. 2b", MODELS[kind], name, "Mean F-measure"), Curve(
                    DIM_SPLITS[split], session.hp_source(TARGETS[kind]), _note(kind, variant))).scores[d] = values
    yield from section53_rows(curves)
    sweep = pd.DataFrame(points)
    atomic_write_text(session.out / "latent_sweep.csv", sweep.to_csv(index=False))
    session.save_figure(plot_latent_sweep(sweep, session.origin), "latent_sweep.png")
