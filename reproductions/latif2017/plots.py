"""Fig. 2 of Latif et al. 2017 (§5.3): score against the number of latent features, per model."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

PANELS = {"2a": ("WA", "Categorical: WA (%)"), "2b": ("Mean F-measure", "Dimensional: mean F-measure (%)")}


def plot_latent_sweep(sweep: pd.DataFrame, path: Path, data: str) -> Path:
    """Two panels like Fig. 2a/2b: one line per model over the latent sizes; ``data`` goes into the title."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, (figure, (metric, ylabel)) in zip(axes, PANELS.items(), strict=True):
        part = sweep[(sweep["figure"] == figure) & (sweep["metric"] == metric)]
        for model, rows in part.groupby("model", sort=False):
            rows = rows.sort_values("latent")
            ax.plot(rows["latent"], rows["value"], marker="o", label=model)
        ax.set_xscale("log", base=2)
        ax.set_xticks(sorted(part["latent"].unique()), [str(v) for v in sorted(part["latent"].unique())])
        ax.set_xlabel("number of latent features")
        ax.set_ylabel(ylabel)
        ax.set_title(f"Fig. {figure} ({data} data)")
        ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    fig.savefig(tmp, dpi=120)
    plt.close(fig)
    os.replace(tmp, path)
    return path
