"""Fig. 5 with a run whose model collapsed to a constant output: said on the warnings page, left out of the share."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np

from reproductions.khorram2017.data import Utterance
from reproductions.khorram2017.protocol import smoothness


def test_a_run_that_outputs_a_constant_is_left_out_of_the_power_share(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    t = np.arange(1500) / 25
    dev = [Utterance(f"dev_{i}", "dev", np.zeros((1500, 160), np.float32), t, np.sin(0.3 * t + i), np.cos(0.2 * t))
           for i in range(2)]
    varying = [np.sin(0.3 * t) + 0.1 * rng.standard_normal(1500) for _ in dev]
    constant = [np.full(1500, 0.25) for _ in dev]
    runs = {"arousal": {"dilated": [varying, constant, varying]}, "valence": {"dilated": [constant, constant]}}
    fused = {dim: {"dilated": np.concatenate(varying)} for dim in runs}
    warnings: list[str] = []
    session = SimpleNamespace(synthetic=True, origin="synthetic", config=lambda target, default: default,
                              hp_source=lambda target: "paper", warn=warnings.append,
                              save_figure=lambda fig, name: tmp_path / name)
    preds = {"run_dev": runs, "fused_dev": fused}  # the smoothness plot is drawn with a model missing in valence
    rows = list(smoothness(session, SimpleNamespace(dev=dev), preds))
    shares = [r for r in rows if r.row != "Gold standard" and r.metric == "power share below 1 Hz"]
    assert [(r.column, len(r.values)) for r in shares] == [("arousal", 2)]  # constant runs are out
    rough = [r for r in rows if r.metric == "first-difference power / labels"]
    assert [(r.column, len(r.values)) for r in rough] == [("arousal", 3), ("valence", 2)]
    assert ["1 of 3 runs" in warnings[0], "2 of 2 runs" in warnings[1]] == [True, True]
