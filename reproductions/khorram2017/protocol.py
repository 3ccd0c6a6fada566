"""The experiments of Khorram et al. 2017: §4 / Fig. 1, §5.2 / Fig. 4, Tables 1-2 (§6.1-6.2) and Fig. 5."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import keras
import numpy as np
import pandas as pd

from common.atomic import atomic_write_text
from common.corpora import write_avec_arff
from common.metrics import ccc_pooled, rmse
from common.results import ResultsStore
from reproductions.khorram2017.smoothness import power_share_below, relative_first_difference_power
from common.training import Ledger, get_strategy, progress
from reproductions.khorram2017 import plots
from reproductions.khorram2017.data import Utterance
from reproductions.khorram2017.label_analysis import LABEL_RATE_HZ, LOW_BAND_HZ, label_report
from reproductions.khorram2017.models import DOWNUP_WIDTH, build_blstm, build_dilated, build_downup, build_preliminary
from reproductions.khorram2017.search_space import build_from_values
from reproductions.khorram2017.training import fit_model, predict

log = logging.getLogger(__name__)

TABLES = {"arousal": "Table 1", "valence": "Table 2"}  # §6.2
ROWS = {"dilated": "Dilated", "downup": "Down/Up", "blstm": "BLSTM [24]"}  # Tables 1-2 row names
FIG5_SECONDS = 40  # Fig. 5: "a 40-second segment"
FAITHFUL = "faithful"  # early stopping and model selection on dev, dev reported (§6.1)
CORRECTED = "held-out-val"  # early stopping on train speakers held out; dev untouched until evaluation
FUSED = "avg-of-runs"  # the run-averaged prediction (§6.1: test submissions average the five runs)
SYNTH_NOTE = "SYNTHETIC twin: not a reproduction of the published number"


def _note(data: str, text: str = "") -> str:
    return "; ".join(t for t in (SYNTH_NOTE if data == "synthetic" else "", text) if t)


def _split(pred: np.ndarray, lengths: Sequence[int]) -> list[np.ndarray]:
    return np.split(np.asarray(pred), np.cumsum(lengths)[:-1])


def _scores(utts: Sequence[Utterance], preds: Sequence[np.ndarray], dim: str) -> tuple[float, float]:
    truth = [u.target(dim) for u in utts]
    return ccc_pooled(truth, preds), rmse(np.concatenate(truth), np.concatenate(preds))


# --- §4 / Fig. 1 --------------------------------------------------------------------------------------------

def run_preliminary(data: dict[str, list[Utterance]], args: argparse.Namespace, ledger: Ledger,
                    store: ResultsStore) -> Path:
    """One long filter -> tanh -> linear, filter length swept (§4); dev CCC mean/std over runs per length."""
    lengths, runs = list(args.settings["prelim_lengths"]), int(args.settings["prelim_runs"])
    dims = args.settings["dimensions"]
    rows, curves = [], {}
    units = [(d, n, r) for d in dims for n in lengths for r in range(runs)]
    results: dict[tuple[str, int], list[float]] = {}
    for dim, length, r in progress(units, "§4 filter-length sweep"):
        def compute(dim=dim, length=length, r=r) -> dict:
            with get_strategy(args.strategy).scope():
                model, info = fit_model(lambda: build_preliminary(length), data["train"], data["dev"], dim,
                                        args.epochs, args.seed + r, args.settings["patience"])
            dev_ccc, dev_rmse = _scores(data["dev"], predict(model, data["dev"]), dim)
            keras.backend.clear_session()
            return {"dev_ccc": dev_ccc, "dev_rmse": dev_rmse, **info}
        results.setdefault((dim, length), []).append(ledger.unit(("prelim", dim, length, r), compute)["dev_ccc"])
    for dim in dims:
        means = np.array([np.mean(results[(dim, n)]) for n in lengths])
        stds = np.array([np.std(results[(dim, n)]) for n in lengths])
        curves[dim] = (np.array(lengths), means, stds)
        for n, m, s in zip(lengths, means, stds, strict=False):
            rows.append({"dimension": dim, "filter_length": n, "seconds": n * 0.04, "dev_ccc_mean": m,
                         "dev_ccc_std": s, "runs": runs})
            store.add("Fig. 1", f"filter length {n}", dim, "Dev CCC", results[(dim, n)],
                      note=_note(store.ctx.data, "§4 one-filter model"))
        store.add("§4", "Preliminary", "Fig. 1", "best filter length", [lengths[int(np.argmax(means))]],
                  variant=dim, note=_note(store.ctx.data, f"{dim}: argmax of mean dev CCC over the swept lengths"))
    table = pd.DataFrame(rows)
    atomic_write_text(args.out / "fig1_filter_length.csv", table.to_csv(index=False, float_format="%.4f"))
    return plots.plot_receptive_field(curves, args.out / "fig1_filter_length.png",
                                      f"Fig. 1 style, {store.ctx.data} data, {runs} runs per length")


# --- §5.2 / Fig. 4 ------------------------------------------------------------------------------------------

def run_label_analysis(data: dict[str, list[Utterance]], args: argparse.Namespace, store: ResultsStore) -> Path:
    """Power below 1 Hz and downsample/spline-rebuild CCC of the gold standard (train + dev labels)."""
    factors = list(args.settings["label_factors"])
    reports = {dim: label_report([u.target(dim) for u in data["train"] + data["dev"]], factors)
               for dim in args.settings["dimensions"]}
    note = _note(store.ctx.data, "train+dev gold standard")
    rows = []
    for dim, rep in reports.items():
        store.add("§5.2", "Gold standard", dim, "power share below 1 Hz", [rep["power_below_1hz"]], note=note)
        store.add("§5.2", "Gold standard", dim, "power share below 1 Hz", [rep["power_below_1hz_with_mean"]],
                  variant="mean-kept", note=note)
        for f, c, loss in zip(factors, rep["ccc"], rep["relative_loss"], strict=False):
            store.add("Fig. 4", f"Downsample factor {f}", dim, "CCC", [c], note=note)
            store.add("Fig. 4", f"Downsample factor {f}", dim, "relative CCC loss", [loss], note=note)
            rows.append({"dimension": dim, "factor": f, "ccc": c, "relative_loss_percent": loss})
    store.add("§5.2", "Gold standard", "arousal+valence", "power share below 1 Hz",
              [min(r["power_below_1hz"] for r in reports.values())], note=_note(store.ctx.data, "min over dims"))
    if 64 in factors:
        store.add("Fig. 4", "Downsample factor 64", "arousal+valence", "relative CCC loss",
                  [max(r["relative_loss"][factors.index(64)] for r in reports.values())],
                  note=_note(store.ctx.data, "max over dims"))
    atomic_write_text(args.out / "fig4_label_rebuild.csv", pd.DataFrame(rows).to_csv(index=False,
                                                                                      float_format="%.5f"))
    return plots.plot_label_rebuild(reports, args.out / "fig4_label_rebuild.png",
                                    f"Fig. 4 style, {store.ctx.data} gold standard")


# --- Tables 1-2 ---------------------------------------------------------------------------------------------

def model_builders(dim: str, overrides: dict | None) -> dict[str, Callable[[], keras.Model]]:
    """The three Table 1-2 models of one dimension; ``overrides`` (a tuning result) replace the architecture it
    names."""
    builders: dict[str, Callable[[], keras.Model]] = {
        "dilated": build_dilated,
        "downup": lambda: build_downup(width=DOWNUP_WIDTH[dim]),
        "blstm": build_blstm,
    }
    if overrides:
        builders[overrides["architecture"]] = lambda: build_from_values(overrides)
    return builders


def run_tables(data: dict[str, list[Utterance]], args: argparse.Namespace, ledger: Ledger, store: ResultsStore,
               val_split: tuple[list[Utterance], list[Utterance]], overrides: dict | None) -> dict:
    """Train every model ``args.runs`` times per dimension (and the corrected variant), score dev, write the
    run-averaged test predictions as AVEC ARFF. Returns the run-averaged dev predictions for Fig. 5."""
    dims, models = args.settings["dimensions"], args.settings["models"]
    variants = {FAITHFUL: (data["train"], data["dev"]), CORRECTED: val_split}
    corrected_models = args.settings["corrected_models"]
    dev, test = data["dev"], data["test"]
    lengths = {"dev": [len(u.x) for u in dev], "test": [len(u.x) for u in test]}
    fused_dev: dict[str, dict[str, np.ndarray]] = {d: {} for d in dims}
    run_dev: dict[str, dict[str, list[list[np.ndarray]]]] = {d: {} for d in dims}
    epoch_times: dict[str, list[float]] = {}
    units = [(v, d, m, r) for v in variants for d in dims for m in models for r in range(args.runs)
             if v == FAITHFUL or m in corrected_models]
    payloads: dict[tuple, dict] = {}
    for variant, dim, name, r in progress(units, "Tables 1-2 models"):
        train, val = variants[variant]

        def compute(variant=variant, dim=dim, name=name, r=r, train=train, val=val) -> dict:
            with get_strategy(args.strategy).scope():
                model, info = fit_model(model_builders(dim, overrides)[name], train, val, dim, args.epochs,
                                        args.seed + r, args.settings["patience"])
            out = {"dev_pred": np.concatenate(predict(model, dev)), **info}
            if test:
                out["test_pred"] = np.concatenate(predict(model, test))
            keras.backend.clear_session()
            return out
        payloads[(variant, dim, name, r)] = ledger.unit(("tables", variant, dim, name, r), compute)
    for variant in variants:
        for dim in dims:
            for name in [m for m in models if variant == FAITHFUL or m in corrected_models]:
                runs = [payloads[(variant, dim, name, r)] for r in range(args.runs)]
                preds = [_split(p["dev_pred"], lengths["dev"]) for p in runs]
                scores = [_scores(dev, p, dim) for p in preds]
                table, row = TABLES[dim], ROWS[name]
                note = _note(store.ctx.data, f"{len(runs)} runs; early stopping on "
                                             f"{'dev' if variant == FAITHFUL else 'held-out train speakers'}")
                store.add(table, row, "Dev", "CCC", [s[0] for s in scores], variant=variant, note=note)
                store.add(table, row, "Dev", "RMSE", [s[1] for s in scores], variant=variant, note=note)
                fused = [np.mean([p[i] for p in preds], axis=0) for i in range(len(dev))]
                f_ccc, f_rmse = _scores(dev, fused, dim)
                fused_variant = FUSED if variant == FAITHFUL else f"{variant}+{FUSED}"
                store.add(table, row, "Dev", "CCC", [f_ccc], variant=fused_variant, note=note)
                store.add(table, row, "Dev", "RMSE", [f_rmse], variant=fused_variant, note=note)
                store.add("§6.2", row, f"Epoch time ({dim})", "seconds per epoch",
                          [p["epoch_time_s"] for p in runs], variant=variant,
                          note=_note(store.ctx.data, f"train pass only; {len(data['train'])} utterances"))
                if variant == FAITHFUL:
                    store.add("§6.2", row, f"Parameters ({dim})", "count", [runs[0]["n_params"]])
                    fused_dev[dim][name] = np.concatenate(fused)
                    run_dev[dim][name] = preds
                    epoch_times.setdefault(name, []).extend(p["epoch_time_s"] for p in runs)
                    if test:
                        _write_test_arff(args.out / "test_predictions" / name / dim, test,
                                         [_split(p["test_pred"], lengths["test"]) for p in runs])
    for name, key in (("dilated", "Conv net"), ("blstm", "BLSTM")):
        if name in epoch_times:
            store.add("§6.2", key, "Epoch time", "seconds per epoch", epoch_times[name],
                      note=_note(store.ctx.data, f"{args.runs} runs x {len(dims)} dims; this machine, this data"))
    return {"fused_dev": fused_dev, "run_dev": run_dev}


def _write_test_arff(folder: Path, test: Sequence[Utterance], run_preds: list[list[np.ndarray]]) -> None:
    """§6.1: "Our test submissions were created by averaging the predictions produced from the five runs"."""
    for i, u in enumerate(test):
        write_avec_arff(folder / f"{u.id}.arff", u.id, u.times, np.mean([p[i] for p in run_preds], axis=0))


# --- Fig. 5 and smoothness ----------------------------------------------------------------------------------

def run_smoothness(data: dict[str, list[Utterance]], preds: dict, args: argparse.Namespace,
                   store: ResultsStore) -> list[Path]:
    """Fig. 5 segment plot and the smooth-vs-erratic numbers: power below 1 Hz and first-difference power of
    each model's dev output relative to the labels, per run (mean +- std)."""
    dev = data["dev"]
    lengths = [len(u.x) for u in dev]
    summary: dict[str, dict[str, tuple[float, float]]] = {}
    note = _note(store.ctx.data, "dev predictions")
    for dim, by_model in preds["run_dev"].items():
        truth = [u.target(dim) for u in dev]
        label_share = 100 * power_share_below(truth, LABEL_RATE_HZ, LOW_BAND_HZ)
        store.add("Fig. 5", "Gold standard", dim, "power share below 1 Hz", [label_share], note=note)
        summary[dim] = {"gold standard": (label_share, 1.0)}
        for name, runs in by_model.items():
            shares = [100 * power_share_below(list(p), LABEL_RATE_HZ, LOW_BAND_HZ) for p in runs]
            rough = [float(np.mean([relative_first_difference_power(pi, ti) for pi, ti in zip(p, truth, strict=True)]))
                     for p in runs]
            store.add("Fig. 5", ROWS[name], dim, "power share below 1 Hz", shares, note=note)
            store.add("Fig. 5", ROWS[name], dim, "first-difference power / labels", rough, note=note)
            summary[dim][ROWS[name]] = (float(np.mean(shares)), float(np.mean(rough)))
    paths = [plots.plot_smoothness(summary, args.out / "fig5_smoothness.png",
                                   f"smoothness of dev outputs, {store.ctx.data} data")]
    n = min(int(FIG5_SECONDS * LABEL_RATE_HZ), lengths[0])
    start = (lengths[0] - n) // 2
    truth = {dim: dev[0].target(dim)[start:start + n] for dim in preds["fused_dev"]}
    segment = {dim: {ROWS[m]: _split(p, lengths)[0][start:start + n] for m, p in by_model.items() if m != "blstm"}
               for dim, by_model in preds["fused_dev"].items()}
    paths.append(plots.plot_segment(truth, segment, LABEL_RATE_HZ, args.out / "fig5_segment.png",
                                    f"Fig. 5 style: {dev[0].id}, {n / LABEL_RATE_HZ:.0f} s, run-averaged, "
                                    f"{store.ctx.data} data"))
    return paths
