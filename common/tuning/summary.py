"""The trials table of a search: hyperparameters, objective, duration and status, as CSV and a plot.

    python -m common.tuning summary <paper> <search-name> [--out-root DIR]
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from common.atomic import atomic_savefig, atomic_write_text  # noqa: E402
from common.errors import ConfigError  # noqa: E402
from common.tuning.search import SEARCH_FILE, TRIAL_SECONDS  # noqa: E402


def _last_metric(trial: dict, name: str) -> float | None:
    observations = trial.get("metrics", {}).get("metrics", {}).get(name, {}).get("observations", [])
    return observations[-1]["value"][0] if observations else None


def trials_table(search_root: Path) -> pd.DataFrame:
    """One row per trial, best first: trial id, status, objective, seconds, then each hyperparameter."""
    meta_path = search_root / SEARCH_FILE
    if not meta_path.is_file():
        raise ConfigError(f"no search at {search_root} (expected {meta_path})")
    meta = json.loads(meta_path.read_text())
    rows = []
    for trial_file in sorted(search_root.glob("trial_*/trial.json")):
        trial = json.loads(trial_file.read_text())
        row = {"trial": trial["trial_id"], "status": trial["status"], meta["objective"]: trial.get("score"),
               TRIAL_SECONDS: _last_metric(trial, TRIAL_SECONDS)}
        row.update(trial["hyperparameters"]["values"])
        rows.append(row)
    table = pd.DataFrame(rows)
    if len(table):
        table = table.sort_values(meta["objective"], ascending=meta["direction"] == "min", na_position="last")
    table.attrs.update(meta)
    return table


def write_summary(search_root: Path) -> pd.DataFrame:
    """Write ``trials.csv`` and ``trials.png`` (objective per trial and the running best) beside the state."""
    table = trials_table(search_root)
    buf = io.StringIO()
    table.to_csv(buf, index=False)
    atomic_write_text(search_root / "trials.csv", buf.getvalue())
    if len(table):
        objective, direction = table.attrs["objective"], table.attrs["direction"]
        ordered = table.sort_values("trial")
        scores = ordered[objective].astype(float)
        best = scores.cummax() if direction == "max" else scores.cummin()
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(range(1, len(scores) + 1), scores, "o", label="trial")
        ax.plot(range(1, len(scores) + 1), best, "-", label="best so far")
        ax.set_xlabel("trial")
        ax.set_ylabel(f"{objective} ({direction})")
        ax.set_title(search_root.name)
        ax.legend()
        fig.tight_layout()
        atomic_savefig(fig, search_root / "trials.png", dpi=110)
        plt.close(fig)
    return table
