"""The experiments of Khorram et al. 2017: §5.2 / Fig. 4, §4 / Fig. 1, Tables 1-2 (§6.1-6.2) and Fig. 5.

Each experiment is a generator of result rows (``common.engine.Row``); every trained model is one ledger unit.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import Any

import keras
import numpy as np
import pandas as pd

from common.atomic import atomic_write_text
from common.corpora import write_avec_arff
from common.engine import Evidence, Fit, Row, Session
from common.metrics import ccc_pooled, rmse
from common.training import progress
from reproductions.khorram2017 import plots
from reproductions.khorram2017.data import KhorramData, Utterance
from reproductions.khorram2017.label_analysis import LABEL_RATE_HZ, LOW_BAND_HZ, label_report
from reproductions.khorram2017.models import build_blstm, build_preliminary
from reproductions.khorram2017.search_space import (
    CORRECTED,
    build_from_values,
    default_config,
    parse_target,
    target,
)
from reproductions.khorram2017.smoothness import power_share_below, relative_first_difference_power, varies
from reproductions.khorram2017.training import MONITOR, fit_model, predict

TABLES = {"arousal": "Table 1", "valence": "Table 2"}  # §6.2
BLSTM_PROXY = "BLSTM (suite proxy)"  # our BLSTM is not [24]'s network: a size-matched stand-in, never judged
ROWS = {"dilated": "Dilated", "downup": "Down/Up", "blstm": BLSTM_PROXY}  # Tables 1-2 row names (published keys)
LABELS = ROWS  # how rows outside Tables 1-2 and plots name the models
PROXY_NOTE = ("sized proxy of [24]: one BLSTM layer of 28 units sized to the dilated net's parameter count "
              "([24]'s architecture is not restated)")
FIG5_SECONDS = 40  # Fig. 5: "a 40-second segment"
FAITHFUL = "faithful"  # early stopping and hyperparameter selection on dev, dev reported (§6.1)
FUSED = "avg-of-runs"  # the run-averaged prediction (§6.1: test submissions average the five runs)
PAPER_HP = "paper"  # rows that train nothing: every number they use is the paper's
SUITE_HP = "suite-default"  # trained rows on the suite's unsearched defaults (README: assumptions)


def _split(pred: np.ndarray, lengths: Sequence[int]) -> list[np.ndarray]:
    return np.split(np.asarray(pred), np.cumsum(lengths)[:-1])


def _scores(utts: Sequence[Utterance], preds: Sequence[np.ndarray], dim: str) -> tuple[float, float]:
    truth = [u.target(dim) for u in utts]
    return ccc_pooled(truth, preds), rmse(np.concatenate(truth), np.concatenate(preds))


def _note(session: Session, text: str = "") -> str:
    synth = "SYNTHETIC twin: not a reproduction of the published number" if session.synthetic else ""
    return "; ".join(t for t in (synth, text) if t)


# --- the one training loop (protocol and searches) ------------------------------------------------------------

def fit_unit(session: Session, build: Any, train: Sequence[Utterance], val: Sequence[Utterance], dim: str,
             fit: Fit, seed: int) -> tuple[keras.Model, dict]:
    """Train one model on ``train`` with early stopping on ``val`` (the session's epochs, patience and strategy,
    the unit's fit schedule); the payload part holds the curves and timings."""
    kwargs, callbacks = fit.schedule(session.epochs, len(train))  # batch 1: one step per utterance
    with session.scope():
        return fit_model(build, train, val, dim, session.epochs, seed, session.settings.patience,
                         verbose=session.verbose, fit_kwargs=kwargs, callbacks=callbacks)


def train_and_score(session: Session, data: KhorramData, search_target: str, config: dict,
                    split: Any) -> dict[str, float]:
    """What a §6.1 search scores: the protocol's training of ``config`` on ``split`` = (train, validation
    utterances), best validation CCC (dev for the faithful targets, held-out train speakers for the corrected)."""
    _, dim, _ = parse_target(search_target)
    train, val = split
    info = session.unit(("search", search_target),
                        lambda fit: fit_unit(session, lambda: build_from_values(config), train, val, dim, fit,
                                             session.seed)[1], store=False)
    keras.backend.clear_session()
    return {MONITOR: info["best_val_ccc"]}


# --- §5.2 / Fig. 4 ------------------------------------------------------------------------------------------

def label_analysis(session: Session, data: KhorramData) -> Iterator[Row]:
    """Power below 1 Hz and downsample/spline-rebuild CCC of the gold standard (train + dev labels)."""
    factors = list(session.settings.label_factors)
    dims = session.settings.dimensions
    reports = {dim: label_report([u.target(dim) for u in data.train + data.dev], factors) for dim in dims}
    note = _note(session, "train+dev gold standard")
    rows = []
    for dim, rep in reports.items():
        yield Row("§5.2", "Gold standard", dim, "power share below 1 Hz", [rep["power_below_1hz"]], note=note,
                  hp_source=PAPER_HP)
        yield Row("§5.2", "Gold standard", dim, "power share below 1 Hz", [rep["power_below_1hz_with_mean"]],
                  variant="mean-kept", note=note, hp_source=PAPER_HP)
        for f, c, loss in zip(factors, rep["ccc"], rep["relative_loss"], strict=True):
            yield Row("Fig. 4", f"Downsample factor {f}", dim, "CCC", [c], note=note, hp_source=PAPER_HP)
            yield Row("Fig. 4", f"Downsample factor {f}", dim, "relative CCC loss", [loss], note=note,
                      hp_source=PAPER_HP)
            rows.append({"dimension": dim, "factor": f, "ccc": c, "relative_loss_percent": loss})
    yield Row("§5.2", "Gold standard", "arousal+valence", "power share below 1 Hz",
              [min(r["power_below_1hz"] for r in reports.values())], note=_note(session, "min over dims"),
              hp_source=PAPER_HP)
    if 64 in factors:
        yield Row("Fig. 4", "Downsample factor 64", "arousal+valence", "relative CCC loss",
                  [max(r["relative_loss"][factors.index(64)] for r in reports.values())],
                  note=_note(session, "max over dims"), hp_source=PAPER_HP)
    atomic_write_text(session.out / "fig4_label_rebuild.csv",
                      pd.DataFrame(rows).to_csv(index=False, float_format="%.5f"))
    session.save_figure(plots.plot_label_rebuild(reports, f"Fig. 4 style, {session.origin} gold standard"),
                        "fig4_label_rebuild.png")


# --- §4 / Fig. 1 --------------------------------------------------------------------------------------------

def preliminary(session: Session, data: KhorramData) -> Iterator[Row]:
    """One long filter -> tanh -> linear, filter length swept (§4); dev CCC mean/std over runs per length."""
    lengths, runs = list(session.settings.prelim_lengths), int(session.settings.prelim_runs)
    dims = session.settings.dimensions
    results: dict[tuple[str, int], list[float]] = {}
    for dim, length, r in progress([(d, n, r) for d in dims for n in lengths for r in range(runs)],
                                   "§4 filter-length sweep"):
        key = ("prelim", dim, length, r)

        def compute(fit: Fit, dim=dim, length=length, r=r) -> dict:
            model, info = fit_unit(session, lambda: build_preliminary(length), data.train, data.dev, dim, fit,
                                   session.seed + r)
            dev_ccc, dev_rmse = _scores(data.dev, predict(model, data.dev), dim)
            keras.backend.clear_session()
            return {"dev_ccc": dev_ccc, "dev_rmse": dev_rmse, **info}
        results.setdefault((dim, length), []).append(float(session.unit(key, compute, MONITOR)["dev_ccc"]))
    rows, curves = [], {}
    for dim in dims:
        means = np.array([np.mean(results[(dim, n)]) for n in lengths])
        stds = np.array([np.std(results[(dim, n)]) for n in lengths])
        curves[dim] = (np.array(lengths), means, stds)
        for n, m, s in zip(lengths, means, stds, strict=True):
            rows.append({"dimension": dim, "filter_length": n, "seconds": n * 0.04, "dev_ccc_mean": m,
                         "dev_ccc_std": s, "runs": runs})
            yield Row("Fig. 1", f"filter length {n}", dim, "Dev CCC", results[(dim, n)],
                      note=_note(session, "§4 one-filter model"), hp_source=SUITE_HP)
        yield Row("§4", "Preliminary", "Fig. 1", "best filter length", [lengths[int(np.argmax(means))]],
                  variant=dim, note=_note(session, f"{dim}: argmax of mean dev CCC over the swept lengths"),
                  hp_source=SUITE_HP)
    # the paper's claim (512 frames) for both dimensions: the argmax of every run of each, judged as an argmax
    yield Row("§4", "Preliminary", "Fig. 1", "best filter length",
              [lengths[int(np.argmax([results[(dim, n)][r] for n in lengths]))] for dim in dims for r in range(runs)],
              note=_note(session, "argmax of dev CCC over the swept lengths, per run and dimension"),
              hp_source=SUITE_HP)
    atomic_write_text(session.out / "fig1_filter_length.csv",
                      pd.DataFrame(rows).to_csv(index=False, float_format="%.4f"))
    session.save_figure(plots.plot_receptive_field(curves, f"Fig. 1 style, {session.origin} data, {runs} runs per "
                                                   "length"), "fig1_filter_length.png")


# --- Tables 1-2 ---------------------------------------------------------------------------------------------

def model_config(session: Session, name: str, dim: str, variant: str) -> tuple[dict | None, str]:
    """(configuration, hp_source) of one Table 1-2 model: the §6.1 search of that network, dimension and variant
    (``--from-tuning`` or the paper profile's search), else the paper's point. The BLSTM proxy is not tuned."""
    if name == "blstm":
        return None, SUITE_HP
    tgt = target(name, dim, variant)
    return session.config(tgt, default_config(name, dim)), session.hp_source(tgt)


def _builder(config: dict | None):
    return build_blstm if config is None else (lambda: build_from_values(config))


def tables(session: Session, data: KhorramData) -> Generator[Row, None, dict]:
    """Train every model ``runs`` times per dimension (and the corrected variant), score dev, write the
    run-averaged test predictions as AVEC ARFF. Produces the run-averaged and per-run dev predictions (Fig. 5)."""
    dims, models = session.settings.dimensions, session.settings.models
    corrected_models = session.settings.corrected_models
    variants = {FAITHFUL: (data.train, data.dev), CORRECTED: data.held}
    dev, test = data.dev, data.test
    lengths = {"dev": [len(u.x) for u in dev], "test": [len(u.x) for u in test]}
    dev_group = data.dev_group
    fused_dev: dict[str, dict[str, np.ndarray]] = {d: {} for d in dims}
    run_dev: dict[str, dict[str, list[list[np.ndarray]]]] = {d: {} for d in dims}
    epoch_times: dict[str, list[float]] = {}
    units = [(v, d, m, r) for v in variants for d in dims for m in models for r in range(session.runs)
             if v == FAITHFUL or m in corrected_models]
    payloads: dict[tuple, dict] = {}
    for variant, dim, name, r in progress(units, "Tables 1-2 models"):
        train, val = variants[variant]
        config, _ = model_config(session, name, dim, variant)
        key = ("tables", variant, dim, name, r)

        def compute(fit: Fit, dim=dim, r=r, train=train, val=val, config=config) -> dict:
            model, info = fit_unit(session, _builder(config), train, val, dim, fit, session.seed + r)
            out = {"dev_pred": np.concatenate(predict(model, dev)),
                   "dev_true": np.concatenate([u.target(dim) for u in dev]), "dev_group": dev_group, **info}
            if test:
                out["test_pred"] = np.concatenate(predict(model, test))
            keras.backend.clear_session()
            return out
        payloads[(variant, dim, name, r)] = session.unit(key, compute, MONITOR)
    for variant in variants:
        for dim in dims:
            for name in [m for m in models if variant == FAITHFUL or m in corrected_models]:
                runs = [payloads[(variant, dim, name, r)] for r in range(session.runs)]
                preds = [_split(p["dev_pred"], lengths["dev"]) for p in runs]
                scores = [_scores(dev, p, dim) for p in preds]
                table, row = TABLES[dim], ROWS[name]
                _, hp_source = model_config(session, name, dim, variant)
                where = "dev" if variant == FAITHFUL else "held-out train speakers"
                note = _note(session, f"{len(runs)} runs; early stopping and hyperparameter selection on {where}"
                             + (f"; {PROXY_NOTE}" if name == "blstm" else ""))
                evidence = Evidence("ccc", [np.asarray(p["dev_true"]) for p in runs],
                                    [np.asarray(p["dev_pred"]) for p in runs],
                                    [np.asarray(p["dev_group"]) for p in runs], scale=1.0)
                yield Row(table, row, "Dev", "CCC", [s[0] for s in scores], variant=variant, note=note,
                          hp_source=hp_source, evidence=evidence)
                yield Row(table, row, "Dev", "RMSE", [s[1] for s in scores], variant=variant, note=note,
                          hp_source=hp_source)
                fused = [np.mean([p[i] for p in preds], axis=0) for i in range(len(dev))]
                f_ccc, f_rmse = _scores(dev, fused, dim)
                fused_variant = FUSED if variant == FAITHFUL else f"{variant}+{FUSED}"
                fused_evidence = Evidence("ccc", [np.asarray(runs[0]["dev_true"])], [np.concatenate(fused)],
                                          [np.asarray(runs[0]["dev_group"])], scale=1.0)
                yield Row(table, row, "Dev", "CCC", [f_ccc], variant=fused_variant, note=note, hp_source=hp_source,
                          evidence=fused_evidence)
                yield Row(table, row, "Dev", "RMSE", [f_rmse], variant=fused_variant, note=note,
                          hp_source=hp_source)
                yield Row("§6.2", LABELS[name], f"Epoch time ({dim})", "seconds per epoch",
                          [float(p["epoch_time_s"]) for p in runs], variant=variant, hp_source=hp_source,
                          note=_note(session, f"train pass only; {len(variants[variant][0])} utterances"))
                if variant == FAITHFUL:
                    yield Row("§6.2", LABELS[name], f"Parameters ({dim})", "count", [float(runs[0]["n_params"])],
                              hp_source=hp_source)
                    fused_dev[dim][name] = np.concatenate(fused)
                    run_dev[dim][name] = preds
                    epoch_times.setdefault(name, []).extend(float(p["epoch_time_s"]) for p in runs)
                    if test:
                        _write_test_arff(session.out / "test_predictions" / name / dim, test,
                                         [_split(p["test_pred"], lengths["test"]) for p in runs])
    for name, key in (("dilated", "Conv net"), ("blstm", BLSTM_PROXY)):
        if name in epoch_times:
            yield Row("§6.2", key, "Epoch time", "seconds per epoch", epoch_times[name],
                      hp_source=model_config(session, name, dims[0], FAITHFUL)[1],
                      note=_note(session, f"{session.runs} runs x {len(dims)} dims; this machine, this data"
                                 + ("; " + PROXY_NOTE if name == "blstm" else "")))
    return {"fused_dev": fused_dev, "run_dev": run_dev}


def _write_test_arff(folder: Path, test: Sequence[Utterance], run_preds: list[list[np.ndarray]]) -> None:
    """§6.1: "Our test submissions were created by averaging the predictions produced from the five runs"."""
    for i, u in enumerate(test):
        write_avec_arff(folder / f"{u.id}.arff", u.id, u.times, np.mean([p[i] for p in run_preds], axis=0))


# --- Fig. 5 and smoothness ----------------------------------------------------------------------------------

def smoothness(session: Session, data: KhorramData, preds: dict) -> Iterator[Row]:
    """Fig. 5 segment plot and the smooth-vs-erratic numbers: power below 1 Hz and first-difference power of
    each model's dev output (``preds``: what :func:`tables` produced) relative to the labels, per run (mean +- std)."""
    dev = data.dev
    lengths = [len(u.x) for u in dev]
    summary: dict[str, dict[str, tuple[float, float]]] = {}
    note = _note(session, "dev predictions")
    for dim, by_model in preds["run_dev"].items():
        truth = [u.target(dim) for u in dev]
        label_share = 100 * power_share_below(truth, LABEL_RATE_HZ, LOW_BAND_HZ)
        yield Row("Fig. 5", "Gold standard", dim, "power share below 1 Hz", [label_share], note=note,
                  hp_source=PAPER_HP)
        summary[dim] = {"gold standard": (label_share, 1.0)}
        for name, runs in by_model.items():
            _, hp_source = model_config(session, name, dim, FAITHFUL)
            moving = [list(p) for p in runs if varies(list(p))]
            if len(moving) < len(runs):  # a collapsed run has no spectrum: said on the results page, left out
                session.warn(f"Fig. 5, {LABELS[name]} ({dim}): {len(runs) - len(moving)} of {len(runs)} runs output "
                             "a constant on the dev set; their power share below 1 Hz is undefined and left out")
            shares = [100 * power_share_below(p, LABEL_RATE_HZ, LOW_BAND_HZ) for p in moving]
            rough = [float(np.mean([relative_first_difference_power(pi, ti) for pi, ti in zip(p, truth, strict=True)]))
                     for p in runs]
            if shares:
                yield Row("Fig. 5", LABELS[name], dim, "power share below 1 Hz", shares, note=note,
                          hp_source=hp_source)
            yield Row("Fig. 5", LABELS[name], dim, "first-difference power / labels", rough, note=note,
                      hp_source=hp_source)
            mean_rough = float(np.mean(rough))  # 0 when every run is constant: no bar on the log axis
            summary[dim][LABELS[name]] = (float(np.mean(shares)) if shares else float("nan"),
                                          mean_rough if mean_rough > 0 else float("nan"))
    session.save_figure(plots.plot_smoothness(summary, f"smoothness of dev outputs, {session.origin} data"),
                        "fig5_smoothness.png")
    n = min(int(FIG5_SECONDS * LABEL_RATE_HZ), lengths[0])
    start = (lengths[0] - n) // 2
    truth = {dim: dev[0].target(dim)[start:start + n] for dim in preds["fused_dev"]}
    segment = {dim: {LABELS[m]: _split(p, lengths)[0][start:start + n] for m, p in by_model.items() if m != "blstm"}
               for dim, by_model in preds["fused_dev"].items()}
    session.save_figure(plots.plot_segment(truth, segment, LABEL_RATE_HZ,
                                           f"Fig. 5 style: {dev[0].id}, {n / LABEL_RATE_HZ:.0f} s, run-averaged, "
                                           f"{session.origin} data"), "fig5_segment.png")
