"""The one figure saver of the suite: atomic, closes the figure, and marks figures drawn from synthetic data."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from common.atomic import atomic_savefig

SYNTHETIC_MARK = "SYNTHETIC twin data: not a reproduction of the paper"


def save_figure(fig: Any, path: str | os.PathLike, data: str, **savefig: Any) -> Path:
    """Save ``fig`` to ``path`` atomically (PNG unless the suffix says otherwise) and close it.

    With ``data == 'synthetic'`` a red footer says so on the figure itself, so a plot copied out of the
    results folder still cannot pass for a reproduction.
    """
    import matplotlib.pyplot as plt

    if data == "synthetic":
        fig.text(0.5, 0.003, SYNTHETIC_MARK, ha="center", va="bottom", fontsize=7, color="#b00020")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_savefig(fig, path, **{"dpi": 110, **savefig})
    plt.close(fig)
    return path
