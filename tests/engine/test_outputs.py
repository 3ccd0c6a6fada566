"""What a run keeps for people to read: per-unit predictions, TensorBoard logs, .keras models, config.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import reproductions
from common.engine import run
from common.engine.outputs import Outputs, prediction_tables
from common.engine.unit import Units
from common.errors import ConfigError
from common.training import Ledger
from tests.engine.toys import registered


@pytest.fixture()
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with registered(tmp_path, monkeypatch, "toy_paper.py", "toypkg", "toy2026"):
        yield reproductions.get("toy2026")


def test_prediction_tables_follow_the_payload_keys() -> None:
    dev = {"dev_pred": np.array([0.1, 0.2, 0.3]), "dev_true": np.array([0.0, 0.5, 0.2]),
           "dev_group": np.array(["a", "a", "b"]), "curve:val_loss": np.array([1.0, 0.5, 0.4])}
    tables = prediction_tables({**dev, "test_pred": np.array([0.4, 0.5, 0.6]), "epochs": 3, "note": "abc"})
    assert list(tables) == ["dev", "test"]  # sets apart even where their lengths agree
    assert list(tables["dev"].columns) == ["row", "speaker", "label", "prediction"]
    assert list(tables["test"].columns) == ["row", "prediction"]
    several = prediction_tables({"y_true:LOSO": np.array([1, 0]), "y_pred:LOSO:a": np.array([1, 1]),
                                 "y_pred:LOSO:b": np.array([0, 0]), "scores": np.eye(2)})
    assert list(several[""].columns) == ["row", "label", "y_pred:LOSO:a", "y_pred:LOSO:b", "scores:0", "scores:1"]
    assert prediction_tables({"ua": 0.5, "curve:acc": np.ones(4)}) == {}


def test_a_run_writes_its_predictions_and_a_config_that_resumes_the_same_units(toy, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(toy, ["--out", str(out), "--set", "test_frac=0.4", "--seed", "3"]) == 0
    table = pd.read_csv(out / "predictions" / "table1-0.csv")
    assert list(table.columns) == ["row", "id", "speaker", "label", "prediction"] and len(table) > 0
    config = yaml.safe_load((out / "config.yaml").read_text())
    assert config["settings"] == {"test_frac": 0.4} and config["seed"] == 3 and config["about"]["paper"] == "toy2026"
    shared = tmp_path / "shared.yaml"
    shutil.copy(out / "config.yaml", shared)
    units = sorted(out.glob(".ledger/*/*.npz"))
    assert run(toy, ["--config", str(shared)]) == 0  # the same units, reused: no new ledger entry
    assert sorted(out.glob(".ledger/*/*.npz")) == units
    assert run(toy, ["--config", str(shared), "--seed", "4"]) == 0  # a flag overrides the file
    assert len(list(out.glob(".ledger/*/*.npz"))) == 2 * len(units)
    assert yaml.safe_load((out / "config.yaml").read_text())["seed"] == 4


def test_a_config_file_of_another_paper_or_with_unknown_keys_is_refused(toy, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"about": {"paper": "zhao2019"}, "seed": 1}))
    with pytest.raises(ConfigError, match="not toy2026"):
        run(toy, ["--config", str(path)])
    path.write_text(yaml.safe_dump({"sead": 1}))
    with pytest.raises(ConfigError, match=r"unknown keys \['sead'\]"):
        run(toy, ["--config", str(path)])


def test_a_keras_unit_keeps_tensorboard_logs_and_a_model_that_reloads(tmp_path: Path) -> None:
    import keras

    x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")

    def compute(fit) -> dict:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        kwargs, callbacks = fit.schedule(2, 1)
        model.fit(x, y, batch_size=16, verbose=0, callbacks=callbacks, **kwargs)
        scores = model.predict(x, verbose=0)
        return {"y_true": y, "y_pred": scores.argmax(1), "scores": scores}

    units = Units(Ledger(tmp_path, {"t": 1}), [Outputs(tmp_path, tensorboard=True, save_models=True)])
    payload = units.unit(("m", 0), compute)
    assert list((tmp_path / "tensorboard" / "m-0").rglob("events.out.tfevents.*"))
    model = keras.saving.load_model(tmp_path / "models" / "m-0.keras")
    np.testing.assert_allclose(model.predict(x, verbose=0), payload["scores"], rtol=1e-5)
    table = pd.read_csv(tmp_path / "predictions" / "m-0.csv")
    assert list(table.columns) == ["row", "label", "prediction", "scores:0", "scores:1"]
