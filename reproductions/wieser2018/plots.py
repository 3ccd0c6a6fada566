"""Fig. 4 (saliency example) and Fig. 5 (generalised inputs, time and frequency domain) in the paper's style."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from reproductions.wieser2018.hyperparameters import DIMENSIONS, N_CLASSES, SAMPLE_RATE  # noqa: E402


def plot_fig4(wave: np.ndarray, saliency: np.ndarray, title: str):
    """Fig. 4: signal; positive saliency; signal coloured by saliency (red positive, blue negative)."""
    t = np.arange(len(wave)) / SAMPLE_RATE
    fig, ax = plt.subplots(3, 1, figsize=(9, 6), sharex=True)
    ax[0].plot(t, wave, lw=0.4, color="k")
    ax[0].set_ylabel("amplitude")
    ax[1].plot(t, np.clip(saliency, 0, None), lw=0.4, color="tab:red")
    ax[1].set_ylabel("saliency > 0")
    lim = np.abs(saliency).max() or 1.0
    ax[2].scatter(t, wave, c=saliency, cmap="coolwarm", vmin=-lim, vmax=lim, s=0.5)
    ax[2].set_ylabel("amplitude")
    ax[2].set_xlabel("time (s)")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_fig5(signals: dict[str, np.ndarray], title: str):
    """Fig. 5: per dimension and label, the generalised signal (time) and its magnitude spectrum (kHz)."""
    fig, ax = plt.subplots(2 * len(DIMENSIONS), N_CLASSES, figsize=(15, 8), squeeze=False)
    for i, d in enumerate(DIMENSIONS):
        for c in range(N_CLASSES):
            x = signals[d][c]
            ax[2 * i, c].plot(np.arange(len(x)) / SAMPLE_RATE, x, lw=0.3)
            ax[2 * i, c].set_title(f"{d} = {c}", fontsize=9)
            spec = np.abs(np.fft.rfft(x))
            ax[2 * i + 1, c].plot(np.fft.rfftfreq(len(x), 1 / SAMPLE_RATE) / 1000, spec, lw=0.3)
            ax[2 * i + 1, c].set_xlabel("kHz", fontsize=8)
        ax[2 * i, 0].set_ylabel(f"{d}\ntime (s)")
        ax[2 * i + 1, 0].set_ylabel("|X(f)|")
    fig.suptitle(title)
    fig.tight_layout()
    return fig
