"""The experiments of §6-§7: Table 3 (SVMs), Table 4 (LDNNs and X-CLDNNs over the Table 2 grid),
Fig. 2 (h1 sweep), Table 5 and Figs. 3-9 (module-wise analysis). Each yields its rows to the engine."""

from __future__ import annotations

import logging
import re
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common.corpora import Corpus
from common.engine import Fit, Row, Session
from common.errors import ConfigError
from common.paths import slug
from common.results.evidence import Evidence, MeanEvidence
from common.splits import Fold, leave_one_speaker_out, subject_tvt
from common.training import progress
from reproductions.huang2017.data import ConditionData, Partitioned
from reproductions.huang2017.module_analysis import (
    FIGURES,
    MODULES,
    cluster_views,
    gender_key,
    probe,
    representations,
)
from reproductions.huang2017.plots import plot_fig2, plot_views
from reproductions.huang2017.search_space import FIG2_H2, MODELS, TABLE2, grid_points, point_tag
from reproductions.huang2017.svm_baselines import VARIANTS, functionals, loso_svm, opensmile_set, tvt_svm
from reproductions.huang2017.training import CONDITIONS, MONITOR, build, train

log = logging.getLogger(__name__)
TVT_RATIOS = (0.7, 0.1, 0.2)  # §5.2
PCT = 100.0  # the paper reports UA in percent
CLDNNS = [m for m, (conv, _) in MODELS.items() if conv is not None]
GENDERS = {"f": "female", "female": "female", "m": "male", "male": "male"}


# ---- data ----------------------------------------------------------------------------------------------
def grid_values(values: list, points: int | None) -> list:
    """All of a Table 2 range, or ``points`` evenly spaced values of it (smoke)."""
    if not points or points >= len(values):
        return list(values)
    return [values[i] for i in np.unique(np.linspace(0, len(values) - 1, points).round().astype(int))]


def table2_space(conv_type: str, points: int | None) -> dict[str, list]:
    return {k: grid_values(v, points) for k, v in TABLE2[conv_type].items()}


def reduced(corpus: Corpus, per_group: int | None) -> Corpus:
    """Smoke: keep the first ``per_group`` utterances of every (subject, emotion); None keeps all."""
    if not per_group:
        return corpus
    table = corpus.table.groupby(["speaker", "label"], sort=False).head(per_group).reset_index(drop=True)
    return Corpus(table, corpus.data, corpus.root, corpus.name)


def _subject(value: str) -> str:
    """'7', 's7', 's07' or 'subject 7' -> the corpus reader's 'subject 7'; other names pass unchanged."""
    text = str(value).strip()
    hit = re.fullmatch(r"(?:subject\s*|s)?0*(\d+)", text, flags=re.IGNORECASE)
    return f"subject {int(hit.group(1))}" if hit else text


def read_gender_csv(path: str | Path, subjects: list[str]) -> dict[str, str]:
    """``--set gender_csv=PATH``: a CSV with columns subject,gender (one row per subject of the corpus).

    Subjects may be written 7, s7, s07 or 'subject 7'; genders f/female/m/male (any case). Anything else,
    a missing file, a missing column, a duplicate or a subject of the corpus without a row is a ConfigError
    naming the file and what was expected. -> {corpus speaker: 'female' | 'male'}.
    """
    path = Path(path)
    expected = "expected a CSV with columns subject,gender (gender f/female/m/male), one row per subject"
    if not path.is_file():
        raise ConfigError(f"--set gender_csv={path}: no such file ({expected})")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ConfigError(f"--set gender_csv={path}: unreadable ({err}); {expected}") from err
    table.columns = [str(c).strip().lower() for c in table.columns]
    if not {"subject", "gender"} <= set(table.columns):
        raise ConfigError(f"--set gender_csv={path}: columns {list(table.columns)}; {expected}")
    subject = table["subject"].map(_subject)
    gender = table["gender"].str.strip().str.lower()
    bad = sorted(set(table["gender"][~gender.isin(GENDERS)]))
    if bad:
        raise ConfigError(f"--set gender_csv={path}: genders {bad[:5]} not understood; {expected}")
    dup = sorted(set(subject[subject.duplicated()]))
    if dup:
        raise ConfigError(f"--set gender_csv={path}: subjects {dup[:5]} appear more than once; {expected}")
    mapping = dict(zip(subject, gender.map(GENDERS), strict=True))
    missing = [s for s in subjects if s not in mapping]
    if missing:
        raise ConfigError(f"--set gender_csv={path}: no row for {len(missing)} subjects of the corpus, e.g. "
                          f"{missing[:5]}; {expected}")
    return mapping


@dataclass
class HuangData:
    """What every experiment reads: the (reduced) corpus table, the TVT fold, the waves and noise bank, and
    the batches of each feature kind (built on first use)."""

    table: pd.DataFrame
    fold: Fold
    part: Partitioned
    noise_factor: float
    seed: int
    has_gender: bool
    conditions: dict[str, ConditionData] = field(default_factory=dict)

    def condition(self, feature: str) -> ConditionData:
        if feature not in self.conditions:
            self.conditions[feature] = ConditionData.build(self.part, feature, self.noise_factor, self.seed)
        return self.conditions[feature]


def prepare(session: Session) -> HuangData:
    """The eNTERFACE'05 subject TVT partition (§5.2) and the MUSAN noise bank; settings checked first."""
    settings = session.settings
    factor = settings.noise_factor
    if not isinstance(factor, int | float) or not 0 < factor <= 1:
        raise ConfigError(f"--noise-factor {factor}: expected a fraction in (0, 1] (1 = the paper's x61 set)")
    unknown = set(settings.models) - set(MODELS)
    if unknown:
        raise ConfigError(f"--set models: unknown {sorted(unknown)}; expected names among {list(MODELS)}")
    if "ST-CLDNN (log-Mels)" in settings.models and not {"S-CLDNN (log-Mels)", "T-CLDNN (log-Mels)"} <= set(
            settings.models):
        raise ConfigError("--set models: ST-CLDNN (log-Mels) searches the top-k S and T filters, so it needs "
                          "S-CLDNN (log-Mels) and T-CLDNN (log-Mels) too")
    corpus = reduced(session.corpus, settings.utts_per_group)
    table = corpus.table.reset_index(drop=True)
    has_gender = False
    if settings.gender_csv:
        genders = read_gender_csv(settings.gender_csv, sorted(table["speaker"].astype(str).unique()))
        table = table.assign(gender=table["speaker"].astype(str).map(genders))
        corpus = Corpus(table, corpus.data, corpus.root, corpus.name)
        has_gender = True
    fold = subject_tvt(table, TVT_RATIOS, seed=session.seed)
    session.write_folds([fold], "tvt.csv")
    part = Partitioned.load(corpus, session.corpora["musan"], fold, settings.max_seconds)
    return HuangData(table, fold, part, float(factor), session.seed, has_gender)


# ---- Table 3 ---------------------------------------------------------------------------------------------
def table3(session: Session, data: HuangData):
    """SVMs on the five openSMILE sets, LOSO and TVT (§6.1), four variants each; Table 4's SVM row."""
    table = data.table
    loso = leave_one_speaker_out(table)
    session.write_folds(loso, "loso.csv")
    y = np.array([data.part.labels[u] for u in table["id"]], dtype=np.int64)
    speakers = np.asarray(table["speaker"].astype(str).tolist(), dtype=str)
    part = data.fold.indices(table)
    for name in progress(session.settings.svm_sets, desc="Table 3 SVMs"):
        def compute(fit: Fit, name: str = name) -> dict[str, Any]:
            x = functionals(table, name)
            payload: dict[str, Any] = {"dim": int(x.shape[1]), "set": opensmile_set(name),
                                       "y_true:TVT": y[part.test], "group:TVT": speakers[part.test]}
            lo = loso_svm(x, y, speakers, loso, table, session.seed)
            payload.update({"y_true:LOSO": lo.pop("y_true"), "group:LOSO": lo.pop("group")})
            for protocol, res in (("TVT", tvt_svm(x, y, speakers, part)), ("LOSO", lo)):
                for variant, r in res.items():
                    payload[f"kernel:{protocol}:{variant}"] = r["kernel"]
                    payload[f"ua:{protocol}:{variant}"] = r["ua"]
                    payload[f"y_pred:{protocol}:{variant}"] = np.asarray(r["y_pred"], dtype=np.int64)
            return payload

        payload = session.unit(("table3", name), compute)
        for protocol in ("LOSO", "TVT"):
            for variant in VARIANTS.values():
                evidence = Evidence("ua", [payload[f"y_true:{protocol}"]], [payload[f"y_pred:{protocol}:{variant}"]],
                                    [payload[f"group:{protocol}"]], scale=PCT)
                note = (f"kernel {payload[f'kernel:{protocol}:{variant}']}; {payload['dim']} functionals "
                        f"(openSMILE {payload['set']})")
                yield Row("Table 3", protocol, name, "UA", PCT * float(payload[f"ua:{protocol}:{variant}"]),
                          variant=variant, split="LOSO" if protocol == "LOSO" else None, note=note,
                          evidence=evidence)
                if name == "ComParE" and protocol == "TVT":
                    yield Row("Table 4", "SVM (ComParE)", "clean", "UA", PCT * float(payload[f"ua:TVT:{variant}"]),
                              variant=variant, note=f"= Table 3 TVT ComParE; {note}", evidence=evidence)


# ---- Table 4 ---------------------------------------------------------------------------------------------
def run_grid(session: Session, data: HuangData, model_name: str, space: dict[str, list], run: int,
             prefix: str) -> list[dict[str, Any]]:
    """Train every point of ``space`` (one ledger unit each, so an interrupted grid resumes per point)."""
    _, feature = MODELS[model_name]
    cond = data.condition(feature)
    seed = session.seed + run
    trials = []
    for values in grid_points(space):
        tag = point_tag(values)
        key = (prefix, slug(model_name), run, tag)
        weights = session.unit_root / "weights" / f"{prefix}-{slug(model_name)}-run{run}" / f"{tag}.weights.h5"
        trials.append(session.unit(key, lambda fit, values=values, weights=weights: train(
            session, fit, model_name, cond, values, seed, weights), MONITOR))
    return trials


def select_trials(trials: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """§6.2: the most competitive model on the noisy (clean) validation set is tested under noisy (clean)."""
    return {c: max(trials, key=lambda t: float(t[f"val_ua_{c}"])) for c in CONDITIONS}


def top_k(trials: list[dict[str, Any]], keys: tuple[str, str], k: int) -> list[str]:
    """The k best (first, second) filter pairs by noisy validation UA, as 'AxB' strings (§6.2 ST rule)."""
    ranked = sorted(trials, key=lambda t: -float(t["val_ua_noisy"]))
    pairs = list(dict.fromkeys(f"{t['values'][keys[0]]}x{t['values'][keys[1]]}" for t in ranked))
    return pairs[:k]


def model_space(session: Session, name: str, grids: dict[str, list[dict[str, Any]]]) -> dict[str, list]:
    """The grid of one Table 4 model: its ``--from-tuning`` point, nothing (LDNN), top-k S x T (ST) or Table 2."""
    conv, _ = MODELS[name]
    tuned = session.config(name, {})
    if tuned:
        return {h: [v] for h, v in tuned.items()}
    if conv is None:
        return {}
    if conv == "ST":
        k = session.settings.st_top_k
        return {"s_kernels": top_k(grids["S-CLDNN (log-Mels)"], ("h1", "h2"), k),
                "t_kernels": top_k(grids["T-CLDNN (log-Mels)"], ("w1", "w2"), k)}
    return table2_space(conv, session.settings.grid_points)


def table4(session: Session, data: HuangData) -> Generator[Row, None, list[dict[str, dict[str, Any]]]]:
    """Every model over its grid, per run; the selected trial's test UA under each condition (§6.2). Produces the
    selected trials of every run (Table 5 probes their models)."""
    models = session.settings.models
    order = [m for m in MODELS if m in models and MODELS[m][0] != "ST"]
    order += ["ST-CLDNN (log-Mels)"] if "ST-CLDNN (log-Mels)" in models else []
    selected: list[dict[str, dict[str, Any]]] = []
    for run in range(session.runs):
        grids: dict[str, list[dict[str, Any]]] = {}
        for name in progress(order, desc=f"Table 4 models, run {run}"):
            grids[name] = run_grid(session, data, name, model_space(session, name, grids), run, "table4")
        selected.append({name: select_trials(trials) for name, trials in grids.items()})
    for name in order:
        for c in CONDITIONS:
            chosen = [run[name][c] for run in selected]
            yield Row("Table 4", name, c, "UA", [PCT * float(t[f"test_ua_{c}"]) for t in chosen],
                      hp_source=session.hp_source(name),
                      note=f"selected on the {c} validation set: " + "; ".join(
                          ",".join(f"{k}={v}" for k, v in t["values"].items()) or "no grid" for t in chosen),
                      evidence=Evidence("ua", [t[f"y_true:{c}"] for t in chosen], [t[f"y_pred:{c}"] for t in chosen],
                                        [t[f"group:{c}"] for t in chosen], scale=PCT))
    return selected


# ---- Fig. 2 / §7.4 ---------------------------------------------------------------------------------------
def fig2(session: Session, data: HuangData):
    """The h1 sweep of S-CLDNN (log-Mels) with h2 = 3 (§7.4): validation curves, the peak and its test UA."""
    name = "S-CLDNN (log-Mels)"
    space = {"h1": list(session.settings.fig2_h1), "h2": [FIG2_H2]}
    runs = [sorted(run_grid(session, data, name, space, run, "fig2"), key=lambda t: int(t["values"]["h1"]))
            for run in range(session.runs)]
    h1 = [int(t["values"]["h1"]) for t in runs[0]]
    for c in CONDITIONS:
        for i, value in enumerate(h1):
            yield Row("Fig. 2", f"h1={value}", c, "UA (validation)",
                      [PCT * float(run[i][f"val_ua_{c}"]) for run in runs])
        best = [max(run, key=lambda t: float(t[f"val_ua_{c}"])) for run in runs]
        yield Row("Fig. 2", "peak h1", c, "h1", [int(t["values"]["h1"]) for t in best])
        yield Row("§7.4", "S-CLDNN (log-Mels), h1=22", c, "UA",  # the faithful row's key: paired as a flaw
                  [PCT * float(t[f"test_ua_{c}"]) for t in best], variant="val-selected h1",
                  note="h1 at this run's validation peak: " + ", ".join(str(t["values"]["h1"]) for t in best),
                  evidence=_evidence(best, c))
        at22 = [[t for t in run if int(t["values"]["h1"]) == 22] for run in runs]
        if all(at22):
            chosen = [t[0] for t in at22]
            yield Row("§7.4", "S-CLDNN (log-Mels), h1=22", c, "UA", [PCT * float(t[f"test_ua_{c}"]) for t in chosen],
                      evidence=_evidence(chosen, c))
    session.save_figure(plot_fig2(h1, {c: [float(t[f"val_ua_{c}"]) for t in runs[0]] for c in CONDITIONS}),
                        "fig2_s_cldnn_h1_sweep.png")


def _evidence(trials: list[dict[str, Any]], c: str) -> Evidence:
    return Evidence("ua", [t[f"y_true:{c}"] for t in trials], [t[f"y_pred:{c}"] for t in trials],
                    [t[f"group:{c}"] for t in trials], scale=PCT)


# ---- Table 5 / Figs. 3-9 ---------------------------------------------------------------------------------
def module_unit(session: Session, data: HuangData, name: str, chosen: dict[str, Any], run: int) -> dict[str, Any]:
    """Probe and LDA views of one CLDNN's clean-selected model (one ledger unit; writes its figure)."""
    _, feature = MODELS[name]
    cond = data.condition(feature)
    fold, part = data.fold, data.part

    def compute(fit: Fit) -> dict[str, Any]:
        weights = Path(str(chosen.get("weights", "")))
        if not weights.is_file():
            raise ConfigError(f"{name}: the weights of the selected Table 4 model ({weights}) are gone; run again "
                              "with --fresh to retrain")
        model = build(name, cond, dict(chosen["values"]))
        model.load_weights(weights)
        splits = {s: getattr(fold, s) for s in ("train", "val", "test")}
        reps = {s: representations(model, cond.clean(ids)) for s, ids in splits.items()}
        y = {s: np.array([part.labels[u] for u in ids]) for s, ids in splits.items()}
        spk = {s: [part.speakers[u] for u in ids] for s, ids in splits.items()}
        scores = probe(reps, y, spk)
        meta = part.table.loc[splits["train"], ["label", "speaker", "gender"]].rename(columns={"label": "emotion"})
        views = cluster_views(reps["train"], meta)
        fig = FIGURES[name]
        title = f"{fig}: {name}, clean training partition"
        if not data.has_gender:
            title += " (no gender row: eNTERFACE'05 ships no gender labels)"
        session.save_figure(plot_views(views, title), f"{slug(fig)}_{slug(name)}.png", dpi=100)
        payload: dict[str, Any] = {
            "probe": {m: {v: [r["kernel"], r["ua"]] for v, r in per.items()} for m, per in scores.items()},
            "rho": {f"{lab}|{mod}": v["rho"] for (lab, mod), v in views.items()},
            "y_true:test": y["test"].astype(np.int64), "group:test": np.asarray(spk["test"], dtype=str)}
        for module, per in scores.items():
            for variant, r in per.items():
                payload[f"y_pred:{module}:{variant}"] = np.asarray(r["y_pred"], dtype=np.int64)
        return payload

    genders = data.table.drop_duplicates("speaker").set_index("speaker")["gender"]
    return session.unit(("table5", slug(name), run, *gender_key(genders)), compute)


def _gain_evidence(probes: dict[tuple[str, str], Evidence], names: list[str], module: str) -> MeanEvidence | None:
    """§7.5's mean gain of ``module`` over the module before it, across the CLDNNs ``names``: +1/N for each
    network's module UA, -1/N for the one before (None when the networks were tested on different subjects)."""
    prev = ("Raw", *MODULES)[("Raw", *MODULES).index(module) - 1]
    parts = [probes[(n, m)] for n in names for m in (module, prev)]
    subjects = {tuple(sorted({str(g) for run in p.groups for g in run})) for p in parts}
    if len(subjects) != 1:
        return None
    return MeanEvidence(tuple(parts), tuple(w / len(names) for _ in names for w in (1.0, -1.0)))


def table5(session: Session, data: HuangData, selected: list[dict[str, dict[str, Any]]]):
    """Table 5, the §7.5 module contributions and the ρ of Figs. 3-9, for every CLDNN of Table 4 (``selected``:
    the trials Table 4 selected in each run)."""
    t5 = [{name: module_unit(session, data, name, run_sel[name]["clean"], run)
           for name in CLDNNS if name in run_sel} for run, run_sel in enumerate(selected)]
    variants = list(VARIANTS.values())
    for variant in variants:
        gains: dict[str, list[float]] = {m: [] for m in MODULES}
        probes: dict[tuple[str, str], Evidence] = {}
        for name in t5[0]:
            per_run = [run[name]["probe"] for run in t5]
            for module in ("Raw", *MODULES):
                probes[(name, module)] = Evidence("ua", [run[name]["y_true:test"] for run in t5],
                                                  [run[name][f"y_pred:{module}:{variant}"] for run in t5],
                                                  [run[name]["group:test"] for run in t5], scale=PCT)
                yield Row("Table 5", name, module, "UA", [PCT * float(p[module][variant][1]) for p in per_run],
                          variant=variant, hp_source=session.hp_source(name),
                          note="kernel " + ",".join(str(p[module][variant][0]) for p in per_run),
                          evidence=probes[(name, module)])
            ua = {m: np.mean([PCT * float(p[m][variant][1]) for p in per_run]) for m in ("Raw", *MODULES)}
            for prev, module in zip(("Raw", *MODULES[:-1]), MODULES, strict=True):
                gains[module].append(ua[module] - ua[prev])
        for module, g in gains.items():
            if len(g) < 2:
                continue
            yield Row("§7.5", "module contribution", module, "UA gain mean", float(np.mean(g)), variant=variant,
                      evidence=_gain_evidence(probes, list(t5[0]), module))
            yield Row("§7.5", "module contribution", module, "UA gain std", float(np.std(g, ddof=1)),
                      variant=variant, note="sample std over the CLDNNs of Table 5")
    for name in t5[0]:
        for key in t5[0][name]["rho"]:
            label, module = key.split("|")
            yield Row(FIGURES[name], f"{name} {label}", module, "rho", [run[name]["rho"][key] for run in t5],
                      hp_source=session.hp_source(name), note="Eqs. 15-17 on the clean training partition")
