"""Fig. 2 (h1 sweep with median-filtered curves) and Fig. 3-9 (LDA views with rho titles)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy.signal import medfilt  # noqa: E402

from reproductions.huang2017.module_analysis import LABELS, MODULES  # noqa: E402

# Fig. 2: "The curves in red are median filtered UAs"; the window is not stated (README: assumption).
MEDIAN_WINDOW = 5
ABBREV = {"anger": "ang", "disgust": "dis", "fear": "fea", "happiness": "hap", "sadness": "sad",
          "surprise": "sur"}


def median_curve(values: np.ndarray, window: int = MEDIAN_WINDOW) -> np.ndarray:
    """Median filter with an odd window no longer than the series (edges zero-padded as scipy does)."""
    n = len(values)
    k = min(window, n if n % 2 else n - 1)
    return medfilt(np.asarray(values, dtype=float), max(k, 1))


def plot_fig2(h1: list[int], ua: dict[str, list[float]]):
    """Validation UA of S-CLDNN (log-Mels) against h1, noisy and clean panels, median filter in red."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharex=True)
    for ax, condition in zip(axes, ("noisy", "clean"), strict=True):
        vals = np.asarray(ua[condition]) * 100
        ax.plot(h1, vals, "o-", color="tab:blue", label="validation UA")
        ax.plot(h1, median_curve(vals), "-", color="red", label=f"median filtered ({MEDIAN_WINDOW})")
        ax.set_title(f"{condition} condition")
        ax.set_xlabel("$h_1$")
        ax.set_ylabel("UA (%)")
        ax.legend(fontsize=7)
    fig.suptitle("Fig. 2: S-CLDNN (log-Mels), $h_2 = 3$", fontsize=9)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


NO_LABELS = {"gender": "no gender labels:\neNTERFACE'05 ships none;\ngive --set gender_csv=PATH"}


def plot_views(views: dict, title: str):
    """3 x 3 grid: rows emotion / speaker / gender, columns CNN / BLSTM / MLP; each title is rho."""
    fig, axes = plt.subplots(len(LABELS), len(MODULES), figsize=(10, 9), squeeze=False)
    for r, label in enumerate(LABELS):
        for c, module in enumerate(MODULES):
            ax = axes[r][c]
            view = views.get((label, module))
            if view is None:
                ax.text(0.5, 0.5, NO_LABELS.get(label, f"no {label} labels"), ha="center", va="center",
                        transform=ax.transAxes, fontsize=8)
                ax.set_axis_off()
                continue
            z = view["z"] if view["z"].shape[1] == 2 else np.c_[view["z"], np.zeros(len(view["z"]))]
            cents = view["centres"] if view["centres"].shape[1] == 2 else np.c_[view["centres"],
                                                                                   np.zeros(len(view["centres"]))]
            for k, cls in enumerate(view["classes"]):
                sel = view["labels"] == cls
                ax.scatter(z[sel, 0], z[sel, 1], s=6, alpha=0.6)
                ax.annotate(ABBREV.get(cls, cls), cents[k], fontsize=7, weight="bold")
            ax.set_title(f"{label} / {module}: rho = {view['rho']:.3f}", fontsize=8)
            ax.tick_params(labelsize=6)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig
