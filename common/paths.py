"""Where the suite lives on disk."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS_ROOT = REPO_ROOT / "results"


def results_dir(paper: str) -> Path:
    """Default output directory of a paper's runs: ``results/<paper>/``."""
    return RESULTS_ROOT / paper
