"""Latif et al. 2017's prepared data: the IEMOCAP table, the 100 ms log-mel segments of every utterance (§4.2-§4.3)
and each utterance's session (the unit of independence of the intervals)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reproductions.latif2017.segments import SegmentSet


@dataclass(frozen=True)
class Data:
    """The whole corpus table, the segments of every utterance (table order) and each utterance's session."""

    table: pd.DataFrame
    seg: SegmentSet
    groups: np.ndarray  # IEMOCAP session of every utterance (fixed-width strings): the unit of independence
    #: the autoencoder latents a search computed, by (kind, latent size, epochs, fold, seed): its later trials
    #: vary the LSTM only (search_space.py)
    search_latents: dict[tuple, dict[str, np.ndarray]] = field(default_factory=dict, repr=False)


def session_groups(table: pd.DataFrame) -> np.ndarray:
    """The session of every utterance as a fixed-width string array (partners share a session)."""
    return np.asarray(table["session"].astype(str).to_numpy(), dtype="U")
