"""A profile runs only the searches whose networks the run trains (``Search.needed``)."""

from __future__ import annotations

import dataclasses

import reproductions


def _needed(paper: str, **settings) -> set[str]:
    p = reproductions.get(paper)
    chosen = dataclasses.replace(p.profiles["paper"].settings, **settings)
    return {t for t, s in p.searches.items() if "paper" in s.in_profile and s.needed(chosen)}


def test_zhao_narrowed_to_the_2d_network_searches_the_2d_network_only() -> None:
    assert _needed("zhao2019") == set(reproductions.get("zhao2019").searches)
    assert _needed("zhao2019", networks=("2d",)) == {"2d"}


def test_khorram_searches_follow_models_dimensions_and_corrected_models() -> None:
    assert _needed("khorram2017", models=("dilated",), dimensions=("arousal",), corrected_models=()) == \
        {"dilated/arousal"}
    assert _needed("khorram2017", models=(), dimensions=("valence",), corrected_models=("downup",)) == \
        {"downup/valence/held-out-val"}


def test_latif_searches_the_lstm_of_the_models_it_trains() -> None:
    assert _needed("latif2017", models=("vae",)) == {"vae-lstm"}


def test_the_runner_skips_a_search_the_run_does_not_need(monkeypatch) -> None:
    from types import SimpleNamespace

    import common.engine.runner as runner

    paper = reproductions.get("zhao2019")
    settings = dataclasses.replace(paper.profiles["paper"].settings, networks=("2d",))
    args = SimpleNamespace(no_search=False, profile="paper", settings=settings, units_per_process=0)
    session = SimpleNamespace(paper=paper, args=args, tuned={"2d": {}}, tuned_source={}, corpora={},
                              units=SimpleNamespace(trained=0))
    ran = []
    monkeypatch.setattr(runner, "tune", lambda *a, **k: ran.append(a[2].target))
    assert runner.profile_searches(session, None, None) is False and ran == []
