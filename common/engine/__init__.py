"""The run engine and the ``Paper`` contract every reproduction declares (see contract.py, runner.py, unit.py)."""

from common.engine.contract import Experiment, ExtraCorpus, Paper, Row, Search, SettingFlag
from common.engine.runner import run
from common.engine.session import Session
from common.engine.unit import Fit
from common.results.evidence import Evidence
from common.settings import Profile, Settings, setting

__all__ = ["Evidence", "Experiment", "ExtraCorpus", "Fit", "Paper", "Profile", "Row", "Search", "Session",
           "SettingFlag", "Settings", "run", "setting"]
