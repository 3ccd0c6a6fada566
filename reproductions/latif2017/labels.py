"""Targets of Latif et al. 2017 §4.1: four emotion classes and low/mid/high bins of A, P, V."""

from __future__ import annotations

import numpy as np
import pandas as pd

# §4.1: "neutral, happiness, sadness, and anger, by combining happiness and excited as one emotion".
CLASSES = ("neutral", "happiness", "sadness", "anger")
CATEGORY_TO_CLASS = {"neu": 0, "hap": 1, "exc": 1, "sad": 2, "ang": 3}
# §4.3: "In CVAE we conditioned the VAE on the categorical emotion labels." Table 2 uses every rated utterance
# (§4.1, §5.2), most of which (frustration, surprise, fear, disgust, other, no majority) have none of the four
# classes of §4.1; they are conditioned on a fifth value "other" (README: Assumptions and deviations).
CONDITIONS = (*CLASSES, "other")
OTHER = len(CLASSES)
# §4.1 / Table 1 rows: improvised, scripted and complete (both) data.
SUBSETS = {"Improvised": ("improvised",), "Scripted": ("scripted",), "Complete Data": ("improvised", "scripted")}
# §4.1 / Table 2 columns: Arousal (IEMOCAP "activation"), Power ("dominance"), Valence.
DIMENSIONS = {"A": "activation", "P": "dominance", "V": "valence"}
BINS = ("low", "mid", "high")
MID_VALUE = 3.0  # §4.1: low < 3, mid = 3, high > 3
MID_TOLERANCE = 1e-6  # consensus means are printed with 4 decimals: 3.0000 counts as "equal to 3"


def categorical_table(table: pd.DataFrame, subset: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Utterances of ``subset`` (a Table 1 row) whose consensus category maps to one of the four classes.

    Returns the kept rows (keeping ``table``'s index, i.e. their positions when it is a RangeIndex) and their class
    indices into ``CLASSES``; ``exc`` becomes happiness.
    """
    if subset not in SUBSETS:
        raise ValueError(f"subset must be one of {list(SUBSETS)}, got {subset!r}")
    keep = table["category"].isin(list(CATEGORY_TO_CLASS)) & table["mode"].isin(SUBSETS[subset])
    kept = table[keep]
    return kept, kept["category"].map(CATEGORY_TO_CLASS).to_numpy(dtype=np.int64)


def categorical_condition(table: pd.DataFrame) -> np.ndarray:
    """The CVAE condition of every utterance of ``table``: its §4.1 class (0-3), or ``OTHER`` (4) when its
    consensus category is none of the four (Table 2's CVAE, §4.3)."""
    return table["category"].map(CATEGORY_TO_CLASS).fillna(OTHER).to_numpy(dtype=np.int64)


def bin_dimension(values: np.ndarray) -> np.ndarray:
    """§4.1: 0 = low (< 3), 1 = mid (= 3), 2 = high (> 3) for consensus means on the 1-5 scale."""
    values = np.asarray(values, dtype=np.float64)
    if np.isnan(values).any():
        raise ValueError("dimensional ratings contain NaN; drop unrated utterances first")
    mid = np.isclose(values, MID_VALUE, rtol=0.0, atol=MID_TOLERANCE)
    return np.where(mid, 1, np.where(values < MID_VALUE, 0, 2)).astype(np.int64)


def dimensional_table(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """All utterances with the three consensus ratings (``table``'s index kept), and their low/mid/high bin per
    Table 2 column."""
    kept = table.dropna(subset=list(DIMENSIONS.values()))
    return kept, {name: bin_dimension(kept[column].to_numpy()) for name, column in DIMENSIONS.items()}


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """One-hot rows (float32) of the CVAE condition c (§3.1)."""
    return np.eye(n_classes, dtype=np.float32)[np.asarray(labels, dtype=np.int64)]
