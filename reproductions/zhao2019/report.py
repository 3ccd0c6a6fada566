"""Tables 3–9 of Zhao et al. (2019) from the trained units: records, paper-style tables and confusion plots."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common.atomic import atomic_savefig, atomic_write_text
from common.metrics import confusion_percent, weighted_accuracy
from common.results import ResultsStore

# Tables 3–6: one table per corpus x protocol (§4.1–§4.2).
CONFUSION_TABLES = {("emodb", "speaker-dependent"): "Table 3", ("iemocap", "speaker-dependent"): "Table 4",
                    ("emodb", "speaker-independent"): "Table 5", ("iemocap", "speaker-independent"): "Table 6"}
INPUT_OF = {"1d": "audio", "2d": "logmel", "2d-timeseq": "logmel"}
SUBTABLE = {"audio": "audio clips", "logmel": "log-mel spectrograms"}  # the two halves of Tables 3–6
TABLE7_COLUMN = {"audio": "Audio Clip", "logmel": "Log-mel Spectrogram"}  # Table 7 columns
PROTOCOL_ROW = {"speaker-dependent": "speaker-dependent", "speaker-independent": "speaker-independent"}
# Tables 8–9: the paper's own row (2D CNN LSTM) per protocol, and which of our metrics it quotes.
COMPARISON = {"emodb": ("Table 8", {"speaker-dependent": ("Accuracy (speaker-dep)", "average_accuracy"),
                                    "speaker-independent": ("Accuracy (speaker-indep)", "average_accuracy")}),
              "iemocap": ("Table 9", {"speaker-dependent": ("Accuracy (speaker-dep)", "average_accuracy"),
                                      "speaker-independent": ("Test Accuracy (speaker-indep)",
                                                              "validation_accuracy")})}


@dataclass
class Experiment:
    """The per-run outcome of one network x protocol x selection mode (folds of a run pooled)."""

    network: str
    protocol: str
    selection: str
    accuracy: list[float]  # % per run, on the evaluated utterances (Table 7(a) "average accuracy")
    validation_accuracy: list[float]  # % per run, best validation accuracy averaged over folds (Table 7(b))
    confusion: list[np.ndarray]  # row-normalised % per run (Tables 3–6)
    best_epochs: list[int]

    @property
    def variant(self) -> str:
        """Results variant: the selection mode, prefixed for the 2D network that pools less in time."""
        return self.selection if self.network != "2d-timeseq" else f"timeseq-{self.selection}"


def summarise(network: str, protocol: str, selection: str, units: Sequence, payloads: Sequence[dict],
              y: np.ndarray, n_classes: int) -> Experiment:
    """Pool each run's folds: predictions on the evaluated utterances, mean best validation accuracy."""
    runs = sorted({u.run for u in units})
    exp = Experiment(network, protocol, selection, [], [], [], [])
    labels = list(range(n_classes))
    for r in runs:
        mine = [(u, p) for u, p in zip(units, payloads, strict=True) if u.run == r]
        y_true = np.concatenate([y[u.evaluated] for u, _ in mine])
        y_pred = np.concatenate([np.asarray(p["y_pred"])[u.evaluated] for u, p in mine])
        exp.accuracy.append(100 * weighted_accuracy(y_true, y_pred))
        exp.validation_accuracy.append(100 * float(np.mean([p["val_accuracy"] for _, p in mine])))
        exp.confusion.append(confusion_percent(y_true, y_pred, labels))
        exp.best_epochs += [int(p["best_epoch"]) for _, p in mine]
    return exp


def record(store: ResultsStore, corpus: str, corpus_name: str, exp: Experiment,
           abbreviations: Sequence[str]) -> None:
    """Write one experiment's cells of Tables 3–6, 7(a), 7(b) and 8/9 (keys as in published.csv)."""
    kind = INPUT_OF[exp.network]
    table = CONFUSION_TABLES[(corpus, exp.protocol)]
    half = SUBTABLE[kind]
    where = "all utterances (train + test)" if exp.selection == "faithful" else "test utterances only"
    note = f"{exp.network} network; evaluated on {where}; best epochs {exp.best_epochs}"
    split = exp.protocol
    stack = np.stack(exp.confusion)
    for i, true in enumerate(abbreviations):
        for j, pred in enumerate(abbreviations):
            store.add(table, f"{half}: {true}", pred, "confusion", stack[:, i, j], exp.variant, split, note)
    store.add(table, half, "Average accuracy", "accuracy", exp.accuracy, exp.variant, split, note)
    row7 = f"{corpus_name} ({PROTOCOL_ROW[exp.protocol]})"
    store.add("Table 7(a)", row7, TABLE7_COLUMN[kind], "average_accuracy", exp.accuracy, exp.variant, split, note)
    store.add("Table 7(b)", row7, TABLE7_COLUMN[kind], "validation_accuracy", exp.validation_accuracy,
              exp.variant, split, note)
    if kind == "logmel":
        comparison, columns = COMPARISON[corpus]
        column, metric = columns[exp.protocol]
        values = exp.accuracy if metric == "average_accuracy" else exp.validation_accuracy
        store.add(comparison, "Our Work", column, "accuracy", values, exp.variant, split, note)


def _matrix_markdown(title: str, matrix: np.ndarray, abbreviations: Sequence[str],
                     accuracies: Sequence[float]) -> list[str]:
    lines = [f"{title} (accuracy %)", "", "| | " + " | ".join(abbreviations) + " |",
             "|---" * (len(abbreviations) + 1) + "|"]
    for i, name in enumerate(abbreviations):
        cells = [f"**{v:.2f}**" if v == matrix[i].max() else f"{v:.2f}" for v in matrix[i]]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines + ["", f"Average accuracy = {_mean_std(accuracies)}", ""]


def _mean_std(values: Sequence[float]) -> str:
    """``mean ± sample std (n=runs)``; a single run shows no spread."""
    if len(values) == 1:
        return f"{values[0]:.2f} (n=1)"
    return f"{np.mean(values):.2f} ± {np.std(values, ddof=1):.2f} (n={len(values)})"


def write_paper_tables(path: Path, corpus: str, corpus_name: str, data: str, experiments: Sequence[Experiment],
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
        lines += _matrix_markdown(title, np.mean(exp.confusion, axis=0), abbreviations, exp.accuracy)
    lines += ["## Table 7 (mean ± std over runs, %)", "",
              "| Protocol | Network | Variant | (a) average accuracy | (b) validation accuracy |",
              "|---|---|---|---|---|"]
    for exp in experiments:
        lines.append(f"| {exp.protocol} | {exp.network} | {exp.variant} | {_mean_std(exp.accuracy)} | "
                     f"{_mean_std(exp.validation_accuracy)} |")
    atomic_write_text(path, "\n".join(lines) + "\n")


def plot_confusions(path: Path, corpus_name: str, data: str, experiments: Sequence[Experiment],
                    abbreviations: Sequence[str]) -> None:
    """One heatmap per experiment (mean over runs), annotated in percent like Tables 3–6."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(experiments)
    cols = min(4, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 3.6 * rows), squeeze=False)
    ticks = np.arange(len(abbreviations))
    for ax, exp in zip(axes.flat, experiments, strict=False):
        matrix = np.mean(exp.confusion, axis=0)
        ax.imshow(matrix, vmin=0, vmax=100, cmap="Blues")
        for i in ticks:
            for j in ticks:
                ax.text(j, i, f"{matrix[i, j]:.0f}", ha="center", va="center", fontsize=7,
                        color="white" if matrix[i, j] > 60 else "black")
        ax.set_xticks(ticks, abbreviations, fontsize=7)
        ax.set_yticks(ticks, abbreviations, fontsize=7)
        ax.set_title(f"{exp.network}, {exp.protocol}\n{exp.variant}: {np.mean(exp.accuracy):.1f} %", fontsize=8)
        ax.set_xlabel("predicted", fontsize=7)
        ax.set_ylabel("true", fontsize=7)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.suptitle(f"zhao2019 confusion matrices (%), {corpus_name}, {data} data", fontsize=10)
    fig.tight_layout()
    atomic_savefig(fig, path, dpi=110)
    plt.close(fig)
