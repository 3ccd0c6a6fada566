"""Fidelity fixes: the ComParE column is IS13_ComParE (§4.1), speaker standardisation faithful (transductive)
and from training speakers only, the optional subject -> gender CSV of Figs. 3-9, the --noise-factor range."""

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from common.engine import run
from common.errors import ConfigError
from common.features.functionals import opensmile_feature_sets, opensmile_functionals_batch
from common.paths import slug
from common.splits import FoldIndices, leave_one_speaker_out
from reproductions.huang2017.module_analysis import cluster_views
from reproductions.huang2017.paper import PAPER
from reproductions.huang2017.protocol import read_gender_csv
from reproductions.huang2017.svm_baselines import (
    PUBLISHED_DIMS,
    TABLE3_SETS,
    VARIANTS,
    loso_svm,
    opensmile_set,
    standardise,
    standardise_train,
    tvt_svm,
)
from reproductions.huang2017.training import CONDITIONS


def test_compare_column_is_the_interspeech_2013_set():
    assert opensmile_set("ComParE") == "IS13"
    dims = opensmile_feature_sets()
    assert dims["IS13"] == PUBLISHED_DIMS["ComParE"] == 6373
    for column in ("EC", "PC", "SSC"):
        assert dims[TABLE3_SETS[column]] == PUBLISHED_DIMS[column]


def test_is13_functionals_have_6373_dimensions():
    wave = (0.1 * np.random.default_rng(0).normal(size=16000)).astype(np.float32)
    assert opensmile_functionals_batch([wave], 16000, opensmile_set("ComParE")).shape == (1, 6373)


def _toy(rng, offset=0.0):
    """Two training speakers, one validation and one test speaker; class signal in feature 0."""
    speakers = np.repeat(["a", "b", "v", "t"], 12)
    y = np.tile(np.arange(3), 16)
    x = rng.normal(size=(48, 4))
    x[:, 0] += 2.0 * y
    x[speakers == "t"] += offset
    part = FoldIndices("toy", np.arange(24), np.arange(24, 36), np.arange(36, 48))
    return x, y, speakers, part


def test_faithful_speaker_standardisation_uses_each_test_speakers_own_statistics():
    x, _, speakers, _ = _toy(np.random.default_rng(0))
    z = standardise(x, speakers)
    for s in np.unique(speakers):
        assert np.allclose(z[speakers == s].mean(axis=0), 0, atol=1e-5)
    # transductive: shifting the test speaker's features changes nothing after its own z-scoring
    shifted = x.copy()
    shifted[speakers == "t"] += 5.0
    assert np.allclose(standardise(shifted, speakers), z, atol=1e-5)


def test_training_speaker_standardisation_uses_training_rows_only():
    x, _, speakers, part = _toy(np.random.default_rng(1))
    z = standardise_train(x, part.train)
    assert np.allclose(z[part.train].mean(axis=0), 0, atol=1e-5)
    assert np.allclose(z[part.train].std(axis=0), 1, atol=1e-4)
    shifted = x.copy()
    shifted[part.test] += 5.0
    z2 = standardise_train(shifted, part.train)
    assert np.allclose(z2[part.train], z[part.train]) and np.allclose(z2[part.test], z[part.test] + 5.0 / x[
        part.train].std(axis=0), atol=1e-4)


def test_tvt_svm_reports_four_variants_and_only_train_norm_sees_a_test_speaker_offset():
    rng = np.random.default_rng(2)
    x, y, speakers, part = _toy(rng)
    base = tvt_svm(x, y, speakers, part)
    assert set(base) == set(VARIANTS.values())
    shifted = tvt_svm(x + np.where(speakers == "t", 6.0, 0.0)[:, None], y, speakers, part)
    assert np.array_equal(shifted["faithful"]["y_pred"], base["faithful"]["y_pred"])
    assert not np.array_equal(shifted["train-norm"]["y_pred"], base["train-norm"]["y_pred"])


def _gender_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gender.csv"
    path.write_text(text)
    return path


def test_gender_csv_maps_subjects(tmp_path):
    path = _gender_csv(tmp_path, "subject,gender\n1,F\ns02,male\nsubject 3,m\n")
    assert read_gender_csv(path, ["subject 1", "subject 2", "subject 3"]) == {
        "subject 1": "female", "subject 2": "male", "subject 3": "male"}


@pytest.mark.parametrize(("text", "words"), [
    ("speaker,sex\n1,f\n", "columns"),
    ("subject,gender\n1,x\n2,f\n", "not understood"),
    ("subject,gender\n1,f\ns1,m\n2,f\n", "more than once"),
    ("subject,gender\n1,f\n", "no row for 1 subjects"),
])
def test_bad_gender_csv_is_a_config_error_naming_the_file(tmp_path, text, words):
    path = _gender_csv(tmp_path, text)
    with pytest.raises(ConfigError, match=words) as err:
        read_gender_csv(path, ["subject 1", "subject 2"])
    assert str(path) in str(err.value) and "subject,gender" in str(err.value)
    with pytest.raises(ConfigError, match="no such file"):
        read_gender_csv(tmp_path / "missing.csv", ["subject 1"])


def test_gender_row_drawn_only_with_gender_labels():
    rng = np.random.default_rng(3)
    reps = {m: rng.normal(size=(24, 5)) for m in ("CNN", "BLSTM", "MLP")}
    meta = pd.DataFrame({"emotion": np.tile(["ang", "sad", "hap"], 8), "speaker": np.repeat(list("abcd"), 6),
                         "gender": "unknown"})
    assert {label for label, _ in cluster_views(reps, meta)} == {"emotion", "speaker"}
    meta["gender"] = np.repeat(["female", "male", "female", "male"], 6)
    views = cluster_views(reps, meta)
    assert {m for label, m in views if label == "gender"} == {"CNN", "BLSTM", "MLP"}


def test_gender_csv_reaches_the_run_and_a_bad_one_stops_it(tmp_path):
    bad = _gender_csv(tmp_path, "subject,gender\n1,f\n")
    with pytest.raises(ConfigError, match="gender_csv"):
        run(PAPER, [*PAPER.test_argv, "--out", str(tmp_path / "out"), "--set", f"gender_csv={bad}"])


@pytest.mark.parametrize("factor", ["0", "2", "-0.5"])
def test_noise_factor_outside_unit_interval_is_refused(tmp_path, factor):
    with pytest.raises(ConfigError, match="noise-factor"):
        run(PAPER, ["--noise-factor", factor, "--out", str(tmp_path)])


def test_table5_probe_reports_every_variant_with_its_test_predictions():
    from common.metrics import unweighted_accuracy
    from reproductions.huang2017.module_analysis import probe

    rng = np.random.default_rng(4)
    y = {s: np.tile(np.arange(3), n) for s, n in (("train", 8), ("val", 3), ("test", 4))}
    spk = {s: [f"{s}{i % 2}" for i in range(len(y[s]))] for s in y}
    reps = {s: {"Raw": rng.normal(size=(len(y[s]), 3)) + y[s][:, None]} for s in y}
    out = probe(reps, y, spk)
    assert set(out["Raw"]) == set(VARIANTS.values())
    for r in out["Raw"].values():
        assert len(r["y_pred"]) == len(y["test"])
        assert r["ua"] == pytest.approx(unweighted_accuracy(y["test"], r["y_pred"]))


def test_loso_folds_in_threads_pool_like_folds_in_order():
    rng = np.random.default_rng(3)
    speakers = np.array([f"s{i}" for i in range(5) for _ in range(12)])
    y = np.tile(np.arange(3), 20)
    x = (rng.normal(size=(60, 8)) + y[:, None]).astype(np.float32)
    table = pd.DataFrame({"id": [f"u{i}" for i in range(60)], "speaker": speakers})
    folds = leave_one_speaker_out(table)
    one = loso_svm(x, y, speakers, folds, table, seed=0, n_jobs=1)
    two = loso_svm(x, y, speakers, folds, table, seed=0, n_jobs=2)
    assert list(one["group"]) == [s for f in folds for s in speakers[f.indices(table).test]]
    for key in ("y_true", "group"):
        assert np.array_equal(one[key], two[key])
    for variant in VARIANTS.values():
        assert one[variant]["kernel"] == two[variant]["kernel"] and one[variant]["ua"] == two[variant]["ua"]
        assert np.array_equal(one[variant]["y_pred"], two[variant]["y_pred"])


def _fig2_trials(h1s, peak):
    """Fake Fig. 2 grid trials: validation UA peaks at ``peak``; test predictions differ per h1."""
    trials = []
    for h in h1s:
        y = np.arange(6) % 3
        trial = {"values": {"h1": h, "h2": 3}}
        for c in CONDITIONS:
            trial |= {f"val_ua_{c}": 1.0 - abs(h - peak) / 100, f"test_ua_{c}": h / 100, f"y_true:{c}": y,
                      f"y_pred:{c}": (y + (h != peak)) % 3, f"group:{c}": np.array(list("aabbcc"))}
        trials.append(trial)
    return trials


def test_val_selected_h1_is_a_registered_flaw_paired_with_the_faithful_h1_22_row(monkeypatch):
    """§7.4: the faithful row is the test UA at the paper's peak h1 = 22; the corrected one at this run's own
    validation peak. Before, the corrected row had its own key and no flaw entry: no effect was measured."""
    import reproductions.huang2017.protocol as protocol

    monkeypatch.setattr(protocol, "run_grid", lambda session, data, name, space, run, prefix:
                        _fig2_trials(space["h1"], peak=18))
    session = SimpleNamespace(settings=SimpleNamespace(fig2_h1=(14, 18, 22, 26)), runs=1,
                              save_figure=lambda *a, **k: None)
    rows = [r for r in protocol.fig2(session, None) if r.table == "§7.4"]
    faithful = {(r.table, r.row, r.column, r.metric) for r in rows if r.variant == "faithful"}
    corrected = [r for r in rows if r.variant != "faithful"]
    assert faithful and corrected
    for r in corrected:
        assert r.variant in PAPER.flaws and (r.table, r.row, r.column, r.metric) in faithful
        assert list(r.values) == [100 * 0.18] and "18" in r.note


def test_the_gender_list_keys_only_the_table5_units(tmp_path):
    """Adding ``--set gender_csv`` changes the Figs. 3-9 views only: the Table 5 unit's key names the list, the
    trained models' keys never read it (a different list is a different key; no list keeps the old key)."""
    import reproductions.huang2017.protocol as protocol

    keys = []
    session = SimpleNamespace(unit=lambda key, compute: keys.append(key) or {})
    table = pd.DataFrame({"speaker": ["subject 1", "subject 1", "subject 2"], "gender": "unknown"})
    for genders in (None, ["female", "female", "male"], ["male", "male", "male"]):
        data = SimpleNamespace(table=table.assign(gender=genders) if genders else table, fold=None, part=None,
                               condition=lambda feature: None)
        protocol.module_unit(session, data, "T-CLDNN (log-Mels)", {}, 0)
    assert keys[0] == ("table5", slug("T-CLDNN (log-Mels)"), 0)  # the key of runs without a list is unchanged
    assert len(set(keys)) == 3 and all(k[:3] == keys[0] for k in keys)
