"""Where the suite lives on disk."""

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS_ROOT = REPO_ROOT / "results"


def results_dir(paper: str) -> Path:
    """Default output directory of a paper's runs: ``results/<paper>/``."""
    return RESULTS_ROOT / paper


def slug(text: str) -> str:
    """The suite's one file-safe name of a model, target or figure ('FST-CLDNN (log-Mels)' -> 'fst-cldnn-log-mels',
    'downup/arousal' -> 'downup-arousal')."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
