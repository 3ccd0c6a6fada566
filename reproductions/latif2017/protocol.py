"""Latif et al. 2017 protocol: Table 1 (categorical, LOSO), Table 2 (dimensional, 10-fold), Fig. 2 (latent sweep).

Every (experiment, model, fold, run) is one ledger unit, so an interrupted run resumes where it stopped.
Reported numbers are percentages (the paper's unit): per-fold metrics averaged over folds, one value per run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from common.metrics import f1_macro, unweighted_accuracy, weighted_accuracy
from common.results import ResultsStore
from common.splits import (
    Fold,
    carve_validation,
    leave_one_session_out,
    leave_one_speaker_out,
    random_kfold,
    write_folds,
)
from common.training import Ledger, progress
from reproductions.latif2017.labels import BINS, CLASSES, SUBSETS, categorical_table, dimensional_table
from reproductions.latif2017.segments import SegmentSet
from reproductions.latif2017.training import FoldIndex, TrainConfig, run_unit

log = logging.getLogger(__name__)

MODELS = {"ae": "AE-LSTM", "vae": "VAE-LSTM", "cvae": "CVAE-LSTM"}  # Tables 1-2 rows/columns
LEAKAGE_FREE = "label-free CVAE (marginalised over c)"
SPEAKER_INDEPENDENT = "speaker-independent 10-fold"
N_DIM_FOLDS = 10  # §5.2: "10-fold cross-validation" (90 % train / 10 % test, §5)
VALIDATION_FRACTION = 0.2  # early-stopping data carved from each training part (paper silent; README)
SWEEP_SUBSET = "Complete Data"  # Fig. 2a: the subset of the categorical sweep (paper silent; README)
DIM_TARGETS = ("A", "P", "V")


@dataclass
class Protocol:
    """What every experiment needs: data, training sizes, repetition and where records go."""

    table: pd.DataFrame
    seg: SegmentSet
    cfg: TrainConfig
    ledger: Ledger
    store: ResultsStore
    out: Path
    runs: int
    seed: int
    max_folds: int  # 0 = every fold
    models: tuple[str, ...] = tuple(MODELS)

    def folds(self, name: str, df: pd.DataFrame, folds: list[Fold], by_speaker: bool) -> list[tuple[str, FoldIndex]]:
        """Carve validation data, write the fold lists to ``<out>/splits/<name>.csv``, map ids to indices."""
        folds = folds[: self.max_folds] if self.max_folds else folds
        folds = [carve_validation(f, df, frac=VALIDATION_FRACTION, seed=self.seed, by_speaker=by_speaker)
                 for f in folds]
        write_folds(folds, self.out / "splits" / f"{name}.csv")
        pos = pd.Series(np.arange(len(self.table)), index=self.table["id"])
        return [(f.name, FoldIndex(*(pos[list(getattr(f, p))].to_numpy() for p in ("train", "val", "test"))))
                for f in folds]

    def evaluate(self, key: tuple, kinds: tuple[str, ...], folds: list[tuple[str, FoldIndex]],
                 targets: dict[str, np.ndarray], n_classes: dict[str, int], cfg: TrainConfig, marginal: bool,
                 metrics: Callable[[dict[str, np.ndarray], str], dict[str, float]]) -> dict[tuple, list[dict]]:
        """Run every (model, run, fold) unit; return {(kind, variant): [fold-averaged metrics of each run]}."""
        units = [(k, r, f) for k in kinds for r in range(self.runs) for f in folds]
        per_unit: dict[tuple, list[dict[str, float]]] = {}
        for kind, run, (fold_name, fold) in progress(units, desc="/".join(map(str, key))):
            seed = self.seed + run
            payload = self.ledger.unit(
                (*key, kind, fold_name, f"run{run}"),
                lambda kind=kind, fold=fold, seed=seed: run_unit(kind, self.seg, fold, targets, n_classes, cfg,
                                                                 seed, marginal=marginal and kind == "cvae"))
            for variant in sorted({k.split("__")[1] for k in payload if k.startswith("pred__")}):
                per_unit.setdefault((kind, variant, run), []).append(metrics(payload, variant))
        out: dict[tuple, list[dict]] = {}
        for (kind, variant, _run), values in per_unit.items():
            out.setdefault((kind, variant), []).append(pd.DataFrame(values).mean().to_dict())
        return out


def categorical_metrics(payload: dict[str, np.ndarray], variant: str) -> dict[str, float]:
    """WA and UA in percent (Table 1)."""
    y, p = payload["true__emotion"], payload[f"pred__{variant}__emotion"]
    return {"WA": 100 * weighted_accuracy(y, p), "UA": 100 * unweighted_accuracy(y, p)}


def dimensional_metrics(payload: dict[str, np.ndarray], variant: str) -> dict[str, float]:
    """Macro F-measure over low/mid/high per dimension and their arithmetic mean, in percent (Table 2)."""
    scores = {d: 100 * f1_macro(payload[f"true__{d}"], payload[f"pred__{variant}__{d}"], labels=[0, 1, 2])
              for d in DIM_TARGETS}
    return {**scores, "Mean": float(np.mean(list(scores.values())))}


def _variant(variant: str, base: str = "faithful") -> str:
    return LEAKAGE_FREE if variant == "marginal" else base


def categorical(p: Protocol, subset: str, latent_dim: int, marginal: bool) -> dict[tuple, list[dict]]:
    """One Table 1 row (or one Fig. 2a point): LOSO over the 4-class utterances of ``subset`` (§5.1)."""
    df, y = categorical_table(p.table, subset)
    targets = {"emotion": np.full(len(p.table), -1, dtype=np.int64)}
    targets["emotion"][df.index.to_numpy()] = y
    split_name = f"loso-{subset.lower().replace(' ', '-')}"
    folds = p.folds(split_name, df, leave_one_session_out(df), by_speaker=True)
    return p.evaluate(("categorical", subset, f"z{latent_dim}"), p.models, folds, targets,
                      {"emotion": len(CLASSES)}, replace(p.cfg, latent_dim=latent_dim), marginal, categorical_metrics)


def dimensional(p: Protocol, latent_dim: int, split: str, marginal: bool) -> dict[tuple, list[dict]]:
    """Table 2 (or one Fig. 2b point): low/mid/high of A, P, V over ``split`` folds (§5.2).

    ``random``: the paper's 10-fold split of utterances (faithful; speakers cross folds). ``speaker``: 10 folds
    of one speaker each, the speaker-independent reading of "90 % / 10 %" with IEMOCAP's ten speakers.
    """
    df, bins = dimensional_table(p.table)
    targets = {}
    for name, b in bins.items():
        targets[name] = np.full(len(p.table), -1, dtype=np.int64)
        targets[name][df.index.to_numpy()] = b
    if split == "random":
        folds = p.folds("dimensional-random-10fold", df, random_kfold(df, k=N_DIM_FOLDS, seed=p.seed), False)
    else:
        folds = p.folds("dimensional-speaker-10fold", df, leave_one_speaker_out(df), True)
    return p.evaluate(("dimensional", split, f"z{latent_dim}"), p.models, folds, targets,
                      dict.fromkeys(DIM_TARGETS, len(BINS)), replace(p.cfg, latent_dim=latent_dim), marginal,
                      dimensional_metrics)


def run_table1(p: Protocol, latent_dim: int, subsets: tuple[str, ...] = tuple(SUBSETS)) -> None:
    """Table 1: WA / UA of AE-, VAE-, CVAE-LSTM on improvised, scripted and complete data, LOSO (§5.1)."""
    for subset in subsets:
        for (kind, variant), runs in categorical(p, subset, latent_dim, marginal=True).items():
            for metric in ("WA", "UA"):
                p.store.add("Table 1", subset, MODELS[kind], metric, [r[metric] for r in runs],
                            variant=_variant(variant), split="leave-one-session-out",
                            note="CVAE conditioned on the TRUE label of every utterance, test included: label "
                                 "leakage" if kind == "cvae" and variant == "faithful" else "")


def run_table2(p: Protocol, latent_dim: int, splits: tuple[str, ...]) -> None:
    """Table 2: F-measure of A, P, V and their mean, 10-fold (§5.2); ``splits`` in {random, speaker}."""
    for split in splits:
        base = "faithful" if split == "random" else SPEAKER_INDEPENDENT
        for (kind, variant), runs in dimensional(p, latent_dim, split, marginal=True).items():
            name = _variant(variant, base)
            if variant == "marginal" and split != "random":
                name = f"{LEAKAGE_FREE}, {SPEAKER_INDEPENDENT}"
            for column in (*DIM_TARGETS, "Mean"):
                p.store.add("Table 2", MODELS[kind], column, "F-measure", [r[column] for r in runs], variant=name,
                            split="random 10-fold" if split == "random" else "leave-one-speaker-out (10 folds)",
                            note="CVAE conditioned on the TRUE bin of every utterance, test included: label "
                                 "leakage" if kind == "cvae" and variant == "faithful" else "")


def run_sweep(p: Protocol, latent_sizes: list[int]) -> pd.DataFrame:
    """Fig. 2: categorical accuracy (2a) and mean dimensional F-measure (2b) against the latent size (§5.3)."""
    rows = []
    for d in latent_sizes:
        for (kind, variant), runs in categorical(p, SWEEP_SUBSET, d, marginal=False).items():
            if variant != "faithful":
                continue
            for metric in ("WA", "UA"):
                values = [r[metric] for r in runs]
                p.store.add("Fig. 2a", MODELS[kind], f"latent {d}", metric, values, split="leave-one-session-out")
                rows.append({"figure": "2a", "model": MODELS[kind], "latent": d, "metric": metric,
                             "value": float(np.mean(values))})
        for (kind, variant), runs in dimensional(p, d, "random", marginal=False).items():
            if variant != "faithful":
                continue
            values = [r["Mean"] for r in runs]
            p.store.add("Fig. 2b", MODELS[kind], f"latent {d}", "Mean F-measure", values, split="random 10-fold")
            rows.append({"figure": "2b", "model": MODELS[kind], "latent": d, "metric": "Mean F-measure",
                         "value": float(np.mean(values))})
    return pd.DataFrame(rows)
