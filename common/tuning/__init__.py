"""keras-tuner searches for every paper: one interface, resumable, distributed (see search.py)."""

from common.tuning.search import (
    TUNER_CLASSES,
    assert_point_in_space,
    best_hyperparameters,
    check_identity,
    completed_trials,
    config_of,
    parse_objective,
    run_search,
    search_dir,
    search_meta,
)
from common.tuning.summary import trials_table, write_summary

__all__ = [
    "TUNER_CLASSES",
    "assert_point_in_space",
    "best_hyperparameters",
    "check_identity",
    "completed_trials",
    "config_of",
    "parse_objective",
    "run_search",
    "search_dir",
    "search_meta",
    "trials_table",
    "write_summary",
]
