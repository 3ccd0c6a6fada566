"""Settings declared ``keyed=False`` change no number: they stay out of the identity and are no override."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from common.identity import run_identity
from common.results.context import overrides
from common.settings import Profile, Settings, setting


@dataclass(frozen=True)
class ToySettings(Settings):
    folds: int = setting(5, source="§4")
    labels_csv: str | None = setting(None, source="assumption", keyed=False)


def test_an_unkeyed_setting_leaves_the_identity_and_the_overrides_alone(monkeypatch) -> None:
    import common.identity as identity

    monkeypatch.setattr(identity, "folder_code_fingerprint", lambda folder: "code")
    paper = argparse.Namespace(name="toy", folder=None)
    profile = Profile(runs=1, epochs=2, settings=ToySettings())

    def args(settings: ToySettings) -> argparse.Namespace:
        return argparse.Namespace(profile="paper", epochs=2, runs=1, settings=settings)

    plain, labelled = args(ToySettings()), args(ToySettings(labels_csv="genders.csv"))
    assert run_identity(paper, labelled, {}) == run_identity(paper, plain, {})
    assert overrides(labelled, profile) == ""
    assert run_identity(paper, args(ToySettings(folds=1)), {}) != run_identity(paper, plain, {})
    assert overrides(args(ToySettings(folds=1)), profile) == "--set folds=1 (profile: 5)"
