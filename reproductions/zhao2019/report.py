"""Tables 3–9 and Figs. 9–10 of Zhao et al. (2019) from the trained units: rows, paper-style tables, plots."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from common.atomic import atomic_write_text
from common.audio import TARGET_SR
from common.engine import Evidence, Row
from common.features import log_mel_spectrogram
from common.metrics import confusion_percent, unweighted_accuracy, weighted_accuracy
from common.training.curves import read_curves
from reproductions.zhao2019.data import EMODB_CLASSES, clip

# Tables 3–6: one table per corpus x protocol (§4.1–§4.2).
CONFUSION_TABLES = {("emodb", "speaker-dependent"): "Table 3", ("iemocap", "speaker-dependent"): "Table 4",
                    ("emodb", "speaker-independent"): "Table 5", ("iemocap", "speaker-independent"): "Table 6"}
INPUT_OF = {"1d": "audio", "2d": "logmel", "2d-timeseq": "logmel"}
SUBTABLE = {"audio": "audio clips", "logmel": "log-mel spectrograms"}  # the two halves of Tables 3–6
TABLE7_COLUMN = {"audio": "Audio Clip", "logmel": "Log-mel Spectrogram"}  # Table 7 columns
# Tables 8–9: the paper's own row (2D CNN LSTM) per protocol, and which of our metrics it quotes (faithful).
COMPARISON = {"emodb": ("Table 8", {"speaker-dependent": ("Accuracy (speaker-dep)", "average"),
                                    "speaker-independent": ("Accuracy (speaker-indep)", "average")}),
              "iemocap": ("Table 9", {"speaker-dependent": ("Accuracy (speaker-dep)", "average"),
                                      "speaker-independent": ("Test Accuracy (speaker-indep)", "validation")})}
# Fig. 8 caption: one EmoDB file per class, in Table 3's class order (anger ... sadness)
FIG8_FILES = ("03a01Wa", "03a04Lc", "03b10Ec", "03a04Ad", "03a01Fa", "03a01Nc", "03a02Ta")
# The unweighted-accuracy cells beside each weighted one (not in the paper; IEMOCAP's classes are unbalanced).
UA_COLUMN = "Unweighted average accuracy"


@dataclass
class Experiment:
    """The per-run outcome of one network x protocol x selection mode (folds of a run pooled)."""

    network: str
    protocol: str
    selection: str
    accuracy: list[float] = field(default_factory=list)  # % per run on the evaluated utterances (Table 7(a))
    ua: list[float] = field(default_factory=list)  # % per run, unweighted accuracy on the same utterances
    validation_accuracy: list[float] = field(default_factory=list)  # % per run, mean best val acc (Table 7(b))
    validation_ua: list[float] = field(default_factory=list)  # % per run, UA of the kept model on validation
    test_accuracy: list[float] = field(default_factory=list)  # % per run, on the test utterances only
    test_ua: list[float] = field(default_factory=list)
    confusion: list[np.ndarray] = field(default_factory=list)  # row-normalised % per run (Tables 3–6)
    best_epochs: list[int] = field(default_factory=list)
    # per run: the evaluated items (Evidence of the Tables 3–7(a) cells) and the test items (Table 9, clean)
    evaluated: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    tested: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    # per run: the selection-set items of the kept models (Evidence of the Table 7(b) cells)
    validated: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    curves: list[tuple[str, dict[str, np.ndarray]]] = field(default_factory=list)  # (unit label, curve set)
    deviation: str | None = None  # a training deviation measured beside the flaws (deviations.py), or None

    @property
    def variant(self) -> str:
        """Results variant: the selection mode (or the deviation), prefixed for the 2D network that pools less
        in time."""
        name = self.deviation or self.selection
        return name if self.network != "2d-timeseq" else f"timeseq-{name}"


def _pool(parts: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))  # type: ignore[return-value]


def summarise(network: str, protocol: str, selection: str, units: Sequence, payloads: Sequence[dict],
              y: np.ndarray, n_classes: int, groups: np.ndarray | None = None,
              deviation: str | None = None) -> Experiment:
    """Pool each run's folds: predictions on the evaluated utterances, mean best validation accuracy.

    ``groups`` is each utterance's unit of independence (speaker; IEMOCAP session) for the Evidence.
    """
    groups = np.asarray(groups if groups is not None else np.zeros(len(y)), dtype=str)
    exp = Experiment(network, protocol, selection, deviation=deviation)
    labels = list(range(n_classes))
    for r in sorted({u.run for u in units}):
        mine = [(u, p) for u, p in zip(units, payloads, strict=True) if u.run == r]
        evaluated = _pool([(y[u.evaluated], np.asarray(p["y_pred"])[u.evaluated], groups[u.evaluated])
                           for u, p in mine])
        tested = _pool([(y[u.test], np.asarray(p["y_pred"])[u.test], groups[u.test]) for u, p in mine])
        exp.evaluated.append(evaluated)
        exp.tested.append(tested)
        exp.validated.append(_pool([(y[u.val], np.asarray(p["y_pred"])[u.val], groups[u.val]) for u, p in mine]))
        exp.accuracy.append(100 * weighted_accuracy(evaluated[0], evaluated[1]))
        exp.ua.append(100 * unweighted_accuracy(evaluated[0], evaluated[1]))
        exp.test_accuracy.append(100 * weighted_accuracy(tested[0], tested[1]))
        exp.test_ua.append(100 * unweighted_accuracy(tested[0], tested[1]))
        exp.validation_accuracy.append(100 * float(np.mean([p["val_accuracy"] for _, p in mine])))
        exp.validation_ua.append(100 * float(np.mean([unweighted_accuracy(y[u.val], np.asarray(p["y_pred"])[u.val])
                                                      for u, p in mine])))
        exp.confusion.append(confusion_percent(evaluated[0], evaluated[1], labels))
        exp.best_epochs += [int(p["best_epoch"]) for _, p in mine]
        exp.curves += [(f"{u.fold.name} run {u.run}", read_curves(p)) for u, p in mine]
    return exp


def _evidence(metric: str, parts: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> Evidence:
    return Evidence(metric, y_true=[p[0] for p in parts], y_pred=[p[1] for p in parts],
                    groups=[p[2] for p in parts], scale=100)


def comparison_cell(corpus: str, exp: Experiment) -> tuple[str, str, list[float], list[float], list]:
    """Table 8/9's "Our Work" cell of a 2D experiment: (table, column, accuracy, UA, evidence parts).

    The paper quotes Table 7(a) for three cells and Table 7(b) (the validation accuracy on the test speakers)
    for IEMOCAP's speaker-independent "Test Accuracy". ``faithful`` keeps that mapping; in ``clean`` the
    validation speakers are training speakers, so the cell is the accuracy on the test speakers instead.
    """
    table, columns = COMPARISON[corpus]
    column, source = columns[exp.protocol]
    if source == "average":
        return table, column, exp.accuracy, exp.ua, exp.evaluated
    if exp.selection == "faithful":  # validation set = test set: the validation accuracy is the test accuracy
        return table, column, exp.validation_accuracy, exp.validation_ua, exp.tested
    return table, column, exp.test_accuracy, exp.test_ua, exp.tested


def rows(corpus: str, corpus_name: str, exp: Experiment, abbreviations: Sequence[str],
         hp_source: str) -> Iterator[Row]:
    """One experiment's cells of Tables 3–6, 7(a), 7(b) and 8/9 (keys as in published.csv), UA beside WA."""
    kind = INPUT_OF[exp.network]
    table = CONFUSION_TABLES[(corpus, exp.protocol)]
    half = SUBTABLE[kind]
    where = "all utterances (train + test)" if exp.selection == "faithful" else "test utterances only"
    note = f"{exp.network} network; evaluated on {where}; best epochs {exp.best_epochs}"
    common = {"variant": exp.variant, "split": exp.protocol, "note": note, "hp_source": hp_source}
    stack = np.stack(exp.confusion)
    for i, true in enumerate(abbreviations):
        for j, pred in enumerate(abbreviations):
            yield Row(table, f"{half}: {true}", pred, "confusion", stack[:, i, j], **common)
    wa, ua = _evidence("accuracy", exp.evaluated), _evidence("ua", exp.evaluated)
    yield Row(table, half, "Average accuracy", "accuracy", exp.accuracy, evidence=wa, **common)
    yield Row(table, half, UA_COLUMN, "ua", exp.ua, evidence=ua, **common)
    row7 = f"{corpus_name} ({exp.protocol})"
    yield Row("Table 7(a)", row7, TABLE7_COLUMN[kind], "average_accuracy", exp.accuracy, evidence=wa, **common)
    yield Row("Table 7(a)", row7, TABLE7_COLUMN[kind], "ua", exp.ua, evidence=ua, **common)
    yield Row("Table 7(b)", row7, TABLE7_COLUMN[kind], "validation_accuracy", exp.validation_accuracy,
              evidence=_evidence("accuracy", exp.validated), **common)
    yield Row("Table 7(b)", row7, TABLE7_COLUMN[kind], "validation_ua", exp.validation_ua,
              evidence=_evidence("ua", exp.validated), **common)
    if kind == "logmel":
        comparison, column, acc, unweighted, parts = comparison_cell(corpus, exp)
        yield Row(comparison, "Our Work", column, "accuracy", acc, evidence=_evidence("accuracy", parts), **common)
        yield Row(comparison, "Our Work", column, "ua", unweighted, evidence=_evidence("ua", parts), **common)


def _mean_std(values: Sequence[float]) -> str:
    """``mean ± sample std (n=runs)``; a single run shows no spread."""
    if len(values) == 1:
        return f"{values[0]:.2f} (n=1)"
    return f"{np.mean(values):.2f} ± {np.std(values, ddof=1):.2f} (n={len(values)})"


def _matrix_markdown(title: str, matrix: np.ndarray, abbreviations: Sequence[str], exp: Experiment) -> list[str]:
    lines = [f"{title} (accuracy %)", "", "| | " + " | ".join(abbreviations) + " |",
             "|---" * (len(abbreviations) + 1) + "|"]
    for i, name in enumerate(abbreviations):
        cells = [f"**{v:.2f}**" if v == matrix[i].max() else f"{v:.2f}" for v in matrix[i]]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines + ["", f"Average accuracy = {_mean_std(exp.accuracy)}; unweighted = {_mean_std(exp.ua)}", ""]


def write_paper_tables(path, corpus: str, corpus_name: str, data: str, experiments: Sequence[Experiment],
                       abbreviations: Sequence[str]) -> None:
    """Render the confusion matrices like Tables 3–6 and the accuracies like Table 7 (means over runs)."""
    lines = [f"# zhao2019 on {corpus_name}: Tables 3–7 as the paper prints them", "",
             f"Data: **{data}**" + (" (a synthetic twin: not a reproduction of the paper's numbers)."
                                    if data == "synthetic" else "."),
             "Row-normalised confusion matrices in percent, mean over runs; the largest value of a row is bold.",
             "`faithful`: model selected on the test set, evaluated on all utterances (the paper's protocol); "
             "`clean`: model selected on held-out training data, evaluated on the test set only.", ""]
    for exp in experiments:
        title = (f"## {CONFUSION_TABLES[(corpus, exp.protocol)]}, {exp.protocol}, {exp.network} network on "
                 f"{SUBTABLE[INPUT_OF[exp.network]]}, {exp.variant}")
        lines += _matrix_markdown(title, np.mean(exp.confusion, axis=0), abbreviations, exp)
    lines += ["## Table 7 (mean ± std over runs, %)", "",
              "| Protocol | Network | Variant | (a) average accuracy | (a) unweighted | (b) validation accuracy | "
              "(b) validation unweighted |",
              "|---|---|---|---|---|---|---|"]
    for exp in experiments:
        lines.append(f"| {exp.protocol} | {exp.network} | {exp.variant} | {_mean_std(exp.accuracy)} | "
                     f"{_mean_std(exp.ua)} | {_mean_std(exp.validation_accuracy)} | "
                     f"{_mean_std(exp.validation_ua)} |")
    atomic_write_text(path, "\n".join(lines) + "\n")


def published_matrix(published: pd.DataFrame, corpus: str, exp: Experiment, abbreviations: Sequence[str]
                     ) -> np.ndarray | None:
    """The paper's confusion matrix (Tables 3–6) for the experiment's corpus, protocol and input, or None."""
    table = CONFUSION_TABLES.get((corpus, exp.protocol))
    prefix = f"{SUBTABLE[INPUT_OF[exp.network]]}: "
    cells = published[(published["table"] == table) & published["row"].str.startswith(prefix)
                      & (published["metric"] == "confusion")]
    if not len(cells):
        return None
    grid = cells.assign(true=cells["row"].str.removeprefix(prefix)).pivot_table(
        index="true", columns="column", values="value", aggfunc="first")
    return grid.reindex(index=list(abbreviations), columns=list(abbreviations)).to_numpy(dtype=float)


def confusion_figure(corpus: str, corpus_name: str, data: str, experiments: Sequence[Experiment],
                     abbreviations: Sequence[str], published: pd.DataFrame):
    """One heatmap per experiment (mean over runs), annotated in percent like Tables 3–6, each cell with the
    paper's value below ours in brackets where the paper prints that matrix."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(experiments)
    cols = min(4, n)
    nrows = -(-n // cols)
    fig, axes = plt.subplots(nrows, cols, figsize=(3.6 * cols, 3.6 * nrows), squeeze=False)
    ticks = np.arange(len(abbreviations))
    for ax, exp in zip(axes.flat, experiments, strict=False):
        matrix = np.mean(exp.confusion, axis=0)
        paper = published_matrix(published, corpus, exp, abbreviations) if exp.network != "2d-timeseq" else None
        ax.imshow(matrix, vmin=0, vmax=100, cmap="Blues")
        for i in ticks:
            for j in ticks:
                text = f"{matrix[i, j]:.0f}" + ("" if paper is None or np.isnan(paper[i, j]) else
                                                 f"\n({paper[i, j]:.0f})")
                ax.text(j, i, text, ha="center", va="center", fontsize=6,
                        color="white" if matrix[i, j] > 60 else "black")
        ax.set_xticks(ticks, abbreviations, fontsize=7)
        ax.set_yticks(ticks, abbreviations, fontsize=7)
        ax.set_title(f"{exp.network}, {exp.protocol}\n{exp.variant}: {np.mean(exp.accuracy):.1f} %", fontsize=8)
        ax.set_xlabel("predicted", fontsize=7)
        ax.set_ylabel("true", fontsize=7)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.suptitle(f"zhao2019 confusion matrices (%), {corpus_name}, {data} data; the paper's value in brackets",
                 fontsize=10)
    fig.tight_layout()
    return fig


def fig8_utterances(table: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The seven EmoDB utterances of Fig. 8 (one per class) when this copy has them all, else the first utterance of
    each class; -> (rows in Table 3's class order, whether they are the paper's files)."""
    chosen = table[table["id"].isin(FIG8_FILES)]
    if len(chosen) == len(FIG8_FILES):
        return chosen.set_index("id").loc[list(FIG8_FILES)].reset_index(), True
    firsts = table.sort_values("id").drop_duplicates("label").set_index("label")
    return firsts.loc[[c for c in EMODB_CLASSES if c in firsts.index]].reset_index(), False


def fig8_figure(table: pd.DataFrame, settings: Any, data: str):
    """Fig. 8: waveform and log-mel spectrogram of one EmoDB utterance per class, as the networks receive them
    (the 8 s clip of §3.5 and its 128-band log-mel spectrogram, the run's ``clip_samples`` / FFT settings)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    chosen, papers = fig8_utterances(table)
    fig, axes = plt.subplots(2, len(chosen), figsize=(2.4 * len(chosen), 4.4), squeeze=False)
    for k, row in enumerate(chosen.itertuples()):
        wave = clip(row.path, int(settings.clip_samples))
        mel = log_mel_spectrogram(wave, n_fft=settings.n_fft, hop_length=settings.hop_length,
                                  n_mels=settings.n_mels)
        axes[0, k].plot(np.arange(wave.size) / TARGET_SR, wave, lw=0.3, color="C0")
        axes[0, k].set_title(f"{row.id} ({EMODB_CLASSES.get(row.label, row.label)})", fontsize=8)
        axes[0, k].set_xlabel("s", fontsize=7)
        axes[1, k].imshow(mel, origin="lower", aspect="auto", cmap="magma")
        axes[1, k].set_xlabel("frame", fontsize=7)
    axes[0, 0].set_ylabel("amplitude", fontsize=7)
    axes[1, 0].set_ylabel("mel band", fontsize=7)
    which = "the paper's seven files" if papers else "the paper's files are missing: first utterance of each class"
    fig.suptitle(f"zhao2019 Fig. 8: waveforms and log-mel spectrograms, Berlin EmoDB, {data} data ({which})",
                 fontsize=9)
    fig.tight_layout()
    return fig


def curves_figure(corpus_name: str, network: str, protocol: str, experiments: Sequence[Experiment]):
    """Figs. 9–10: per-epoch training and validation accuracy of every unit of one network and protocol,
    one panel per selection mode; the kept (best validation) epoch of each unit is marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(experiments), figsize=(5.2 * len(experiments), 3.8), squeeze=False)
    for ax, exp in zip(axes.flat, experiments, strict=True):
        for k, (label, curve) in enumerate(exp.curves):
            color = f"C{k % 10}"
            val = np.asarray(curve.get("val_accuracy", []), dtype=float)
            train = np.asarray(curve.get("accuracy", []), dtype=float)
            epochs = np.arange(1, val.size + 1)
            ax.plot(np.arange(1, train.size + 1), 100 * train, color=color, lw=1, ls="--", marker=".", ms=3)
            ax.plot(epochs, 100 * val, color=color, lw=1.2, marker="o", ms=3, label=label)
            if val.size:
                best = int(np.argmax(val))
                ax.annotate(f"({best + 1})", (best + 1, 100 * val[best]), fontsize=7, color=color)
        ax.set_title(f"{exp.variant}: training (dashed) and validation accuracy", fontsize=8)
        ax.set_xlabel("epoch", fontsize=8)
        ax.set_ylabel("accuracy (%)", fontsize=8)
        ax.set_ylim(0, 102)
        ax.xaxis.get_major_locator().set_params(integer=True)
        if exp.curves and len(exp.curves) <= 10:
            ax.legend(fontsize=6)
    figure = "Fig. 9" if protocol == "speaker-dependent" else "Fig. 10"
    fig.suptitle(f"zhao2019 {figure}: {network} network, {protocol}, {corpus_name}", fontsize=10)
    fig.tight_layout()
    return fig
