"""The run engine and the ``Paper`` contract every reproduction declares (see contract.py, runner.py)."""

from common.engine.contract import Experiment, ExtraCorpus, Paper, Row, Search, SettingFlag
from common.engine.runner import run
from common.engine.session import Session

__all__ = ["Experiment", "ExtraCorpus", "Paper", "Row", "Search", "Session", "SettingFlag", "run"]
