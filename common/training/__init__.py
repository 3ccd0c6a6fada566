"""Training utilities shared by the reproductions (seeding, callbacks, resume ledger, progress)."""

from common.provenance import git_commit, hardware
from common.training.callbacks import standard_callbacks
from common.training.ledger import Ledger, config_hash
from common.training.progress import progress
from common.training.runtime import STRATEGIES, configure_threads, get_strategy, set_seed

__all__ = [
    "STRATEGIES",
    "Ledger",
    "config_hash",
    "configure_threads",
    "get_strategy",
    "git_commit",
    "hardware",
    "progress",
    "set_seed",
    "standard_callbacks",
]
