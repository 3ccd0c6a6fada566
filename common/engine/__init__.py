"""The run engine and the ``Paper`` contract every reproduction declares (see contract.py, runner.py)."""

from common.engine.contract import Experiment, ExtraCorpus, Paper, Row, Search, SettingFlag
from common.engine.runner import run
from common.engine.session import Session
from common.results.evidence import Evidence

__all__ = ["Evidence", "Experiment", "ExtraCorpus", "Paper", "Row", "Search", "Session", "SettingFlag", "run"]
