"""Fig. 2 of Latif et al. 2017 (§5.3): score against the number of latent features, per model and variant."""

from __future__ import annotations

from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

PANELS = {"2a": ("WA", "Categorical: WA (%)"), "2b": ("Mean F-measure", "Dimensional: mean F-measure (%)")}
#: line style per variant: the paper's setting solid, corrected variants dashed / dotted
STYLES = ("-", "--", ":", "-.")


def plot_latent_sweep(sweep: pd.DataFrame, data: str) -> Any:
    """Two panels like Fig. 2a/2b: one line per (model, variant) over the latent sizes; ``data`` in the title.

    Returns the figure (the caller saves it with ``Session.save_figure``).
    """
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    variants = list(dict.fromkeys(["faithful", *sweep["variant"]]))
    for ax, (figure, (metric, ylabel)) in zip(axes, PANELS.items(), strict=True):
        part = sweep[(sweep["figure"] == figure) & (sweep["metric"] == metric)]
        for (model, variant), rows in part.groupby(["model", "variant"], sort=False):
            rows = rows.sort_values("latent")
            style = STYLES[variants.index(variant) % len(STYLES)]
            label = model if variant == "faithful" else f"{model} [{variant}]"
            ax.plot(rows["latent"], rows["value"], style, marker="o", label=label)
        latents = sorted(part["latent"].unique())
        ax.set_xscale("log", base=2)
        ax.set_xticks(latents, [str(v) for v in latents])
        ax.set_xlabel("number of latent features")
        ax.set_ylabel(ylabel)
        ax.set_title(f"Fig. {figure} ({data} data)")
        ax.legend(fontsize=6)
    fig.tight_layout()
    return fig
