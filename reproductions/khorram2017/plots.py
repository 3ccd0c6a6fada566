"""Figures in the style of the paper's Fig. 1, Fig. 4 and Fig. 5, plus a smoothness bar chart (§6.2 claim)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

COLORS = {"arousal": "tab:red", "valence": "tab:blue"}
PAPER_BEST_LENGTH = 512  # §4: "diminishing gains past 512 frames" (published.csv: argmax of Fig. 1)


def _titled(fig: plt.Figure, title_note: str) -> plt.Figure:
    """The figure with its note as a small title, laid out; the caller saves it (``Session.save_figure``)."""
    fig.suptitle(title_note, fontsize=8, y=0.995)
    fig.tight_layout()
    return fig


def plot_receptive_field(curves: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
                         note: str) -> plt.Figure:
    """Fig. 1: dev CCC (mean line, +-std band over runs) against the filter length, one line per dimension."""
    fig, ax = plt.subplots(figsize=(5, 3.2))
    for dim, (lengths, mean, std) in curves.items():
        ax.plot(lengths, mean, marker="o", color=COLORS.get(dim), label=dim)
        ax.fill_between(lengths, mean - std, mean + std, color=COLORS.get(dim), alpha=0.25)
    ax.axvline(PAPER_BEST_LENGTH, color="grey", ls="--", lw=0.8, label=f"paper: gains end at {PAPER_BEST_LENGTH}")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("filter length (frames of 40 ms)")
    ax.set_ylabel("dev CCC")
    ax.legend()
    ax.grid(alpha=0.3)
    return _titled(fig, note)


def plot_label_rebuild(reports: dict[str, dict], note: str) -> plt.Figure:
    """Fig. 4: CCC between the original labels and labels downsampled by a factor and rebuilt by a spline."""
    fig, ax = plt.subplots(figsize=(5, 3.2))
    for dim, rep in reports.items():
        ax.plot(rep["factors"], rep["ccc"], marker="o", color=COLORS.get(dim), label=dim)
    ax.axhline(0.95, color="grey", ls="--", lw=0.8, label="paper: < 5 % loss up to factor 64")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("downsampling factor")
    ax.set_ylabel("CCC(original, rebuilt)")
    ax.legend()
    ax.grid(alpha=0.3)
    return _titled(fig, note)


def plot_segment(truth: dict[str, np.ndarray], predictions: dict[str, dict[str, np.ndarray]], rate_hz: float,
                 note: str) -> plt.Figure:
    """Fig. 5: a 40 s dev segment of the ground truth and each model's (run-averaged) prediction."""
    fig, axes = plt.subplots(len(truth), 1, figsize=(7, 2.4 * len(truth)), squeeze=False)
    for ax, (dim, y) in zip(axes[:, 0], truth.items(), strict=False):
        t = np.arange(y.size) / rate_hz
        ax.plot(t, y, color="black", lw=1.6, label="ground truth")
        for name, pred in predictions[dim].items():
            ax.plot(t, pred, lw=1.0, label=name)
        ax.set_ylabel(dim)
        ax.grid(alpha=0.3)
    axes[-1, 0].set_xlabel("time (s)")
    axes[0, 0].legend(fontsize=7, ncol=4)
    return _titled(fig, note)


def plot_smoothness(table: dict[str, dict[str, tuple[float, float]]], note: str) -> plt.Figure:
    """Bars per dimension: share of power below 1 Hz and first-difference power relative to the labels."""
    dims = list(table)
    sources = list(table[dims[0]])
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2))
    width = 0.8 / len(sources)
    for k, src in enumerate(sources):
        x = np.arange(len(dims)) + k * width
        axes[0].bar(x, [table[d][src][0] for d in dims], width, label=src)
        axes[1].bar(x, [table[d][src][1] for d in dims], width, label=src)
    for ax, title in zip(axes, ("power below 1 Hz (%)", "first-difference power / labels'"), strict=False):
        ax.set_xticks(np.arange(len(dims)) + 0.4 - width / 2, dims)
        ax.set_title(title, fontsize=9)
        ax.grid(alpha=0.3, axis="y")
    axes[1].set_yscale("log")
    axes[1].axhline(1.0, color="black", lw=0.8)
    axes[0].legend(fontsize=7)
    return _titled(fig, note)
