"""The experiments of §6-§7: Table 3 (SVMs), Table 4 (LDNNs and X-CLDNNs over the Table 2 grid),
Fig. 2 (h1 sweep), Table 5 and Fig. 3-9 (module-wise analysis). Every number goes through ResultsStore."""

from __future__ import annotations

import argparse
import logging
import math
from pathlib import Path
from typing import Any

import keras_tuner as kt
import numpy as np

from common.corpora import Corpus
from common.errors import ConfigError
from common.results import ResultsStore, RunContext
from common.splits import leave_one_speaker_out, subject_tvt, write_folds
from common.training import Ledger, progress
from reproductions.huang2017.data import ConditionData, Partitioned
from reproductions.huang2017.models import build_cldnn
from reproductions.huang2017.module_analysis import FIGURES, MODULES, cluster_views, probe, representations
from reproductions.huang2017.plots import plot_fig2, plot_views
from reproductions.huang2017.search_space import (
    FIG2_H2,
    MODELS,
    OBJECTIVE,
    TABLE2,
    CLDNNHyperModel,
    kernel_args,
    slug,
)
from reproductions.huang2017.svm_baselines import functionals, loso_scores, select, standardise, tvt_scores

log = logging.getLogger(__name__)
PAPER = "huang2017"
TVT_RATIOS = (0.7, 0.1, 0.2)  # §5.2
CONDITIONS = ("noisy", "clean")
PCT = 100.0  # the paper reports UA in percent
CLDNNS = [m for m, (conv, _) in MODELS.items() if conv is not None]


def grid_values(values: list, points: int | None) -> list:
    """All of a Table 2 range, or ``points`` evenly spaced values of it (smoke)."""
    if not points or points >= len(values):
        return list(values)
    return [values[i] for i in np.unique(np.linspace(0, len(values) - 1, points).round().astype(int))]


def table2_space(conv_type: str, points: int | None) -> dict[str, list]:
    return {k: grid_values(v, points) for k, v in TABLE2[conv_type].items()}


def run_grid(model_name: str, data: ConditionData, space: dict[str, list], args: argparse.Namespace,
             seed: int, project: str) -> list[dict[str, Any]]:
    """Train every grid point (keras-tuner GridSearch, resumable) -> one dict per completed trial."""
    tuning = Path(args.out) / "tuning" / "protocol"
    hm = CLDNNHyperModel(model_name, data, space, args.epochs, tuning / project / "weights", seed)
    if not space:  # the LDNNs have nothing to tune
        values: dict[str, Any] = {}
        model = hm.build(kt.HyperParameters())
        metrics = hm.fit(kt.HyperParameters(), model)
        return [{"values": values, **metrics, "weights": str(hm.weights_path(values))}]
    n_points = math.prod(len(v) for v in space.values())
    tuner = kt.GridSearch(hm, objective=OBJECTIVE, max_trials=n_points, directory=str(tuning),
                          project_name=project, overwrite=False, seed=seed)
    tuner.search(verbose=max(0, args.verbose - 1))
    trials = []
    for trial in tuner.oracle.trials.values():
        if trial.status != "COMPLETED":
            continue
        values = dict(trial.hyperparameters.values)
        metrics = {m: float(trial.metrics.get_last_value(m)) for m in
                   ("val_ua_noisy", "val_ua_clean", "test_ua_noisy", "test_ua_clean")}
        trials.append({"values": values, **metrics, "weights": str(hm.weights_path(values))})
    return trials


def select_trials(trials: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """§6.2: the most competitive model on the noisy (clean) validation set is tested under noisy (clean)."""
    return {c: max(trials, key=lambda t: t[f"val_ua_{c}"]) for c in CONDITIONS}


def top_k(trials: list[dict[str, Any]], keys: tuple[str, str], k: int) -> list[str]:
    """The k best (first, second) filter pairs by noisy validation UA, as 'AxB' strings (§6.2 ST rule)."""
    ranked = sorted(trials, key=lambda t: -t["val_ua_noisy"])
    pairs = list(dict.fromkeys(f"{t['values'][keys[0]]}x{t['values'][keys[1]]}" for t in ranked))
    return pairs[:k]


def reduced(corpus: Corpus, per_group: int | None) -> Corpus:
    """Smoke: keep the first ``per_group`` utterances of every (subject, emotion); None keeps all."""
    if not per_group:
        return corpus
    table = corpus.table.groupby(["speaker", "label"], sort=False).head(per_group).reset_index(drop=True)
    return Corpus(table, corpus.data, corpus.root, corpus.name)


class Experiment:
    """One invocation of the protocol: data, partitions, ledger and results store."""

    def __init__(self, args: argparse.Namespace, corpus: Corpus, noise: Corpus,
                 overrides: dict[str, dict[str, Any]] | None = None) -> None:
        self.args, self.settings, self.out = args, args.settings, Path(args.out)
        corpus = reduced(corpus, self.settings["utts_per_group"])
        self.fold = subject_tvt(corpus.table, TVT_RATIOS, seed=args.seed)
        write_folds([self.fold], self.out / "splits" / "tvt.csv")
        self.part = Partitioned.load(corpus, noise, self.fold, self.settings["max_seconds"])
        self.store = ResultsStore(RunContext.from_args(args, PAPER, corpus, split="subject TVT 70:10:20",
                                                         also=(noise,)), self.out)
        self.ledger = Ledger(self.out, {"paper": PAPER, "profile": args.profile, "epochs": args.epochs,
                                        "seed": args.seed, "settings": self.settings, "data": corpus.data,
                                        "root": str(corpus.root), "overrides": overrides or {}})
        self.overrides = overrides or {}
        self.synthetic = corpus.data == "synthetic"
        self._data: dict[str, ConditionData] = {}

    def data(self, feature: str) -> ConditionData:
        if feature not in self._data:
            self._data[feature] = ConditionData.build(self.part, feature, self.settings["noise_factor"],
                                                      self.args.seed)
        return self._data[feature]

    # ---- Table 3 -------------------------------------------------------------------------------------
    def table3(self) -> dict[str, dict[str, tuple[str, float]]]:
        table, fold = self.part.table.reset_index(drop=True), self.fold
        loso = leave_one_speaker_out(table)
        write_folds(loso, self.out / "splits" / "loso.csv")
        index = {u: i for i, u in enumerate(table["id"])}
        y = np.array([self.part.labels[u] for u in table["id"]])
        results = {}
        for name in progress(self.settings["svm_sets"], desc="Table 3 SVMs"):
            def compute(name: str = name) -> dict[str, Any]:
                x = standardise(functionals(table, name), list(table["speaker"]))
                tvt = select(tvt_scores(x, y, index, fold))
                lo = loso_scores(x, y, index, loso, table, self.args.seed)
                best = max(("linear", "poly", "rbf"), key=lambda k: lo[k]["test"])
                return {"tvt": tvt, "loso": {"faithful": (best, lo[best]["test"]),
                                             "val-selected": ("per fold", lo["val-selected"]["test"])},
                        "dim": int(x.shape[1])}
            payload = self.ledger.unit(("table3", name), compute)
            results[name] = payload
            for protocol, row in (("loso", "LOSO"), ("tvt", "TVT")):
                for variant, (kernel, ua) in payload[protocol].items():
                    self.store.add("Table 3", row, name, "UA", PCT * ua, variant=variant,
                                   split="LOSO" if protocol == "loso" else None,
                                   note=f"kernel {kernel}; {payload['dim']} functionals")
        if "ComParE" in results:
            for variant, (kernel, ua) in results["ComParE"]["tvt"].items():
                self.store.add("Table 4", "SVM (ComParE)", "clean", "UA", PCT * ua, variant=variant,
                               note=f"= Table 3 TVT ComParE, kernel {kernel}")
        return results

    # ---- Table 4 -------------------------------------------------------------------------------------
    def table4(self, run: int) -> dict[str, dict[str, Any]]:
        seed = self.args.seed + run
        points, k = self.settings["grid_points"], self.settings["st_top_k"]
        grids: dict[str, list[dict[str, Any]]] = {}
        models = self.settings["models"]
        order = [m for m in MODELS if m in models and MODELS[m][0] != "ST"]
        order += ["ST-CLDNN (log-Mels)"] if "ST-CLDNN (log-Mels)" in models else []
        for name in progress(order, desc=f"Table 4 models, run {run}"):
            conv, feature = MODELS[name]
            if name in self.overrides:
                space = {h: [v] for h, v in self.overrides[name].items()}
            elif conv is None:
                space = {}
            elif conv == "ST":
                space = {"s_kernels": top_k(grids["S-CLDNN (log-Mels)"], ("h1", "h2"), k),
                         "t_kernels": top_k(grids["T-CLDNN (log-Mels)"], ("w1", "w2"), k)}
            else:
                space = table2_space(conv, points)
            project = f"{slug(name)}-run{run}"
            payload = self.ledger.unit(("table4", slug(name), run), lambda name=name, feature=feature, space=space,
                                       project=project: {"trials": run_grid(name, self.data(feature), space,
                                                                            self.args, seed, project)})
            grids[name] = payload["trials"]
        return {name: select_trials(trials) for name, trials in grids.items()}

    # ---- Fig. 2 --------------------------------------------------------------------------------------
    def fig2(self, run: int) -> list[dict[str, Any]]:
        name = "S-CLDNN (log-Mels)"
        space = {"h1": list(self.settings["fig2_h1"]), "h2": [FIG2_H2]}
        project = f"fig2-{slug(name)}-run{run}"
        payload = self.ledger.unit(("fig2", run), lambda: {"trials": run_grid(
            name, self.data("log-Mels"), space, self.args, self.args.seed + run, project)})
        return sorted(payload["trials"], key=lambda t: t["values"]["h1"])

    # ---- Table 5 / Fig. 3-9 --------------------------------------------------------------------------
    def table5(self, name: str, chosen: dict[str, Any], run: int) -> dict[str, Any]:
        conv, feature = MODELS[name]
        data = self.data(feature)

        def compute() -> dict[str, Any]:
            model = build_cldnn(conv, data.n_bands, data.n_classes,
                                **kernel_args(conv, chosen["values"], data.n_bands))
            model.load_weights(chosen["weights"])
            splits = {s: getattr(self.fold, s) for s in ("train", "val", "test")}
            reps = {s: representations(model, data.clean(ids)) for s, ids in splits.items()}
            y = {s: np.array([self.part.labels[u] for u in ids]) for s, ids in splits.items()}
            spk = {s: [self.part.table.at[u, "speaker"] for u in ids] for s, ids in splits.items()}
            scores = probe(reps, y, spk)
            meta = self.part.table.loc[splits["train"], ["label", "speaker", "gender"]].rename(
                columns={"label": "emotion"})
            views = cluster_views(reps["train"], meta)
            fig = FIGURES[name]
            plot_views(views, f"{fig}: {name}, clean training partition"
                       + (" - SYNTHETIC twin" if self.synthetic else ""), self.out / f"{slug(fig)}_{slug(name)}.png")
            return {"probe": scores, "rho": {f"{lab}|{mod}": v["rho"] for (lab, mod), v in views.items()}}

        return self.ledger.unit(("table5", slug(name), run), compute)


def record(exp: Experiment, t4: list[dict], f2: list[list[dict]], t5: list[dict]) -> None:
    """Turn the per-run payloads into result rows (one value per run)."""
    store = exp.store
    for name in t4[0]:
        for c in CONDITIONS:
            chosen = [run[name][c] for run in t4]
            store.add("Table 4", name, c, "UA", [PCT * t[f"test_ua_{c}"] for t in chosen],
                      note="selected on the " + c + " validation set: " + "; ".join(
                          ",".join(f"{k}={v}" for k, v in t["values"].items()) or "no grid" for t in chosen))
    # Fig. 2 and §7.4
    for c in CONDITIONS:
        for i, trial in enumerate(f2[0]):
            h1 = trial["values"]["h1"]
            store.add("Fig. 2", f"h1={h1}", c, "UA (validation)", [PCT * run[i][f"val_ua_{c}"] for run in f2])
        best = [max(run, key=lambda t: t[f"val_ua_{c}"]) for run in f2]
        store.add("Fig. 2", "peak h1", c, "h1", [t["values"]["h1"] for t in best])
        store.add("§7.4", "S-CLDNN (log-Mels), h1 at the validation peak", c, "UA",
                  [PCT * t[f"test_ua_{c}"] for t in best], variant="val-selected h1")
        at22 = [[t for t in run if t["values"]["h1"] == 22] for run in f2]
        if all(at22):
            store.add("§7.4", "S-CLDNN (log-Mels), h1=22", c, "UA", [PCT * t[0][f"test_ua_{c}"] for t in at22])
    # Table 5, Fig. 3-9 and the §7.5 module contributions
    for variant in ("faithful", "val-selected"):
        gains: dict[str, list[float]] = {m: [] for m in MODULES}
        for name in t5[0]:
            per_run = [run[name]["probe"] for run in t5]
            for module in ("Raw", *MODULES):
                store.add("Table 5", name, module, "UA", [PCT * p[module][variant][1] for p in per_run],
                          variant=variant, note="kernel " + ",".join(p[module][variant][0] for p in per_run))
            ua = {m: np.mean([PCT * p[m][variant][1] for p in per_run]) for m in ("Raw", *MODULES)}
            for prev, module in zip(("Raw", *MODULES[:-1]), MODULES, strict=True):
                gains[module].append(ua[module] - ua[prev])
        for module, g in gains.items():
            if len(g) < 2:
                continue
            store.add("§7.5", "module contribution", module, "UA gain mean", float(np.mean(g)), variant=variant)
            store.add("§7.5", "module contribution", module, "UA gain std", float(np.std(g, ddof=1)),
                      variant=variant, note="sample std over the six CLDNNs")
    for name in t5[0]:
        for key in t5[0][name]["rho"]:
            label, module = key.split("|")
            store.add(FIGURES[name], f"{name} {label}", module, "rho", [run[name]["rho"][key] for run in t5],
                      note="Eqs. 15-17 on the clean training partition")


def tune_hypermodel(args: argparse.Namespace, corpus: Corpus, noise: Corpus, model_name: str,
                    space: dict[str, list]) -> tuple[CLDNNHyperModel, kt.Objective]:
    """The HyperModel that ``run.py --tune`` searches: ``model_name`` on the TVT partition, noisy training."""
    corpus = reduced(corpus, args.settings["utts_per_group"])
    fold = subject_tvt(corpus.table, TVT_RATIOS, seed=args.seed)
    data = ConditionData.build(Partitioned.load(corpus, noise, fold, args.settings["max_seconds"]),
                               MODELS[model_name][1],
                               args.settings["noise_factor"], args.seed)
    weights = Path(args.out) / "tuning" / "weights" / slug(model_name)
    return CLDNNHyperModel(model_name, data, space, args.epochs, weights, args.seed), OBJECTIVE


def run_protocol(args: argparse.Namespace, corpus: Corpus, noise: Corpus,
                 overrides: dict[str, dict[str, Any]] | None = None) -> ResultsStore:
    """Everything the paper reports, in order; resumable through the ledger and the tuners' state."""
    unknown = set(args.settings["models"]) - set(MODELS)
    if unknown:
        raise ConfigError(f"--set models: unknown {sorted(unknown)}; expected names among {list(MODELS)}")
    if "ST-CLDNN (log-Mels)" in args.settings["models"] and not {"S-CLDNN (log-Mels)", "T-CLDNN (log-Mels)"} <= set(
            args.settings["models"]):
        raise ConfigError("--set models: ST-CLDNN (log-Mels) searches the top-k S and T filters, so it needs "
                          "S-CLDNN (log-Mels) and T-CLDNN (log-Mels) too")
    exp = Experiment(args, corpus, noise, overrides)
    exp.table3()
    exp.store.write()
    t4, f2, t5 = [], [], []
    for run in range(args.runs):
        selected = exp.table4(run)
        t4.append(selected)
        f2.append(exp.fig2(run))
        t5.append({name: exp.table5(name, selected[name]["clean"], run) for name in CLDNNS if name in selected})
    record(exp, t4, f2, t5)
    fig2_trials = f2[0]
    plot_fig2([t["values"]["h1"] for t in fig2_trials],
              {c: [t[f"val_ua_{c}"] for t in fig2_trials] for c in CONDITIONS},
              exp.out / "fig2_s_cldnn_h1_sweep.png", exp.synthetic)
    exp.store.write()
    log.info("ledger: %d units computed, %d reused", exp.ledger.computed, exp.ledger.reused)
    return exp.store

