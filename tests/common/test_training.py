"""common.training: resume ledger, seeding determinism, callbacks, strategy; common.cli flags."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from common.cli import build_parser, parse_args
from common.errors import ConfigError
from common.settings import Profile, Settings, setting
from common.training import Ledger, config_hash, get_strategy, set_seed, standard_callbacks


@dataclass(frozen=True)
class ToySettings(Settings):
    lengths: tuple[int, ...] = setting((2, 4, 8), source="§1")
    width: int = setting(32, source="assumption")


PROFILES = {"smoke": Profile(runs=1, epochs=2, settings=ToySettings(lengths=(2, 4))),
            "paper": Profile(runs=5, epochs=100, settings=ToySettings())}


def test_ledger_skips_finished_units_and_reproduces_payloads(tmp_path) -> None:
    calls = []

    def unit(i: int):
        def compute():
            calls.append(i)
            return {"ccc": 0.1 * i, "pred": np.arange(i, dtype=np.float32), "fold": f"f{i}"}
        return compute

    first = Ledger(tmp_path, {"profile": "smoke", "runs": 3})
    for i in range(2):  # "interrupted" after two of three units
        first.unit(("dilated", "arousal", i), unit(i))
    again = Ledger(tmp_path, {"runs": 3, "profile": "smoke"})  # same config, other key order
    payloads = [again.unit(("dilated", "arousal", i), unit(i)) for i in range(3)]
    assert calls == [0, 1, 2] and again.reused == 2 and again.computed == 1
    assert payloads[1]["ccc"] == pytest.approx(0.1) and payloads[1]["fold"] == "f1"
    np.testing.assert_array_equal(payloads[2]["pred"], np.arange(2, dtype=np.float32))
    other = Ledger(tmp_path, {"profile": "paper", "runs": 3})
    assert other.root != again.root and other.finished() == []


def test_ledger_recomputes_a_corrupt_entry(tmp_path, caplog) -> None:
    ledger = Ledger(tmp_path, {"a": 1})
    ledger.unit(("u",), lambda: {"x": 1})
    ledger.path(("u",)).write_bytes(b"not a zip")
    assert ledger.unit(("u",), lambda: {"x": 2})["x"] == 2
    assert "unreadable" in caplog.text


def test_config_hash_is_order_independent() -> None:
    assert config_hash({"a": 1, "b": [1, 2]}) == config_hash({"b": [1, 2], "a": 1})
    assert config_hash({"a": 1}) != config_hash({"a": 2})


def test_set_seed_makes_initialisation_repeatable() -> None:
    import keras

    def weights():
        set_seed(7)
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])

    w1 = weights().get_weights()[0]
    w2 = weights().get_weights()[0]
    np.testing.assert_array_equal(w1, w2)


def test_callbacks_and_default_strategy(tmp_path) -> None:
    import keras

    cbs = standard_callbacks("val_ccc", "max", patience=8, checkpoint_path=tmp_path / "best.weights.h5")
    assert isinstance(cbs[0], keras.callbacks.EarlyStopping) and cbs[0].patience == 8
    assert isinstance(cbs[1], keras.callbacks.ModelCheckpoint)
    strategy = get_strategy("default")
    with strategy.scope():
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile("adam", "mse")
    model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=1, verbose=0)
    assert strategy.num_replicas_in_sync == 1
    with pytest.raises(ConfigError):
        get_strategy("tpu-pod")


def test_cli_profiles_fill_defaults_and_overrides(tmp_path) -> None:
    from common.engine import Experiment, Paper, SettingFlag

    paper = Paper(name="toy", title="Toy", citation="", corpora=("emodb", "iemocap"), profiles=PROFILES, split="",
                  prepare=lambda s: None, experiments=(Experiment("T", lambda s, d: ()),),
                  setting_flags=(SettingFlag("--width", "width", int, "layer width"),))
    parser = build_parser(paper)
    args = parse_args(parser, PROFILES, [])
    assert (args.profile, args.runs, args.epochs, args.corpus, args.synth_size) == ("smoke", 1, 2, "emodb", "smoke")
    assert args.settings == ToySettings(lengths=(2, 4)) and args.trials is None and args.data_dir is None
    assert parse_args(parser, PROFILES, ["--width", "8"]).settings.width == 8
    assert parse_args(parser, PROFILES, ["--synth-size", "full"]).synth_size == "full"
    args = parse_args(parser, PROFILES, ["--profile", "paper", "--runs", "2", "--set", "width=8", "--set",
                                         "lengths=[16]", "--out", str(tmp_path)])
    assert (args.runs, args.epochs, args.synth_size) == (2, 100, "small")
    assert args.settings == ToySettings(lengths=(16,), width=8) and args.out == tmp_path
    with pytest.raises(ConfigError, match="unknown setting 'depth'; expected one of"):
        parse_args(parser, PROFILES, ["--set", "depth=3"])
    with pytest.raises(ConfigError, match="KEY one of"):
        parse_args(parser, PROFILES, ["--set", "depth"])
    with pytest.raises(ConfigError, match="no such directory"):
        parse_args(parser, PROFILES, ["--data-dir", str(tmp_path / "missing")])
    assert "paper  runs=5 epochs=100" in parser.format_help()
