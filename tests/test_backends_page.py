"""The TF-vs-JAX page matches rows by key and reports differences per metric."""

from __future__ import annotations

import pandas as pd

from benchmarks.backends import compare


def test_compare_matches_by_key_and_measures_differences() -> None:
    key = {"table": "T1", "row": "r", "column": "c", "variant": "faithful"}
    tf = pd.DataFrame([{**key, "metric": "UA", "mean": 50.0}, {**key, "metric": "WA", "mean": 60.0},
                       {**key, "row": "tf-only", "metric": "UA", "mean": 1.0}])
    jax = pd.DataFrame([{**key, "metric": "UA", "mean": 47.0}, {**key, "metric": "WA", "mean": 60.5}])
    out = compare(tf, jax).set_index("metric")
    assert out.loc["UA", "matched"] == 1 and out.loc["UA", "max_abs_diff"] == 3.0
    assert out.loc["WA", "median_abs_diff"] == 0.5
