"""Feature cache: hit, miss on changed configuration or corpus, corrupt entries recomputed with a warning."""

from __future__ import annotations

import os

import numpy as np
import pytest

from common.cache import CorruptCacheWarning, FeatureCache


@pytest.fixture
def files(tmp_path):
    paths = []
    for i in range(3):
        p = tmp_path / "corpus" / f"{i}.wav"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(b"x" * (i + 1))
        paths.append(p)
    return paths


def _counting():
    calls = []

    def compute():
        calls.append(1)
        return {"x": np.arange(6.0).reshape(2, 3), "ids": np.array(["a", "b"])}

    return calls, compute


def test_second_run_reads_the_cache(tmp_path, files):
    cache = FeatureCache(tmp_path / "cache")
    calls, compute = _counting()
    a = cache.get_or_compute("fbank", {"bins": 40}, files, compute)
    b = FeatureCache(tmp_path / "cache").get_or_compute("fbank", {"bins": 40}, files, compute)
    assert len(calls) == 1
    np.testing.assert_array_equal(a["x"], b["x"])
    assert b["ids"].tolist() == ["a", "b"]


def test_changed_config_or_corpus_misses(tmp_path, files):
    cache = FeatureCache(tmp_path / "cache")
    calls, compute = _counting()
    cache.get_or_compute("fbank", {"bins": 40}, files, compute)
    cache.get_or_compute("fbank", {"bins": 80}, files, compute)
    assert len(calls) == 2
    cache.get_or_compute("fbank", {"bins": 40}, files[:2], compute)
    assert len(calls) == 3
    files[0].write_bytes(b"changed!")
    os.utime(files[0], ns=(1, 1))
    cache.get_or_compute("fbank", {"bins": 40}, files, compute)
    assert len(calls) == 4


@pytest.mark.parametrize("damage", ["flip", "truncate", "index"])
def test_corrupt_entry_is_recomputed_with_a_warning(tmp_path, files, damage):
    cache = FeatureCache(tmp_path / "cache")
    calls, compute = _counting()
    cache.get_or_compute("fbank", {"bins": 40}, files, compute)
    npz = next((tmp_path / "cache" / "fbank").glob("*.npz"))
    if damage == "flip":
        data = bytearray(npz.read_bytes())
        data[len(data) // 2] ^= 0xFF
        npz.write_bytes(bytes(data))
    elif damage == "truncate":
        npz.write_bytes(npz.read_bytes()[:40])
    else:
        npz.with_suffix(".json").write_text("{not json")
    with pytest.warns(CorruptCacheWarning, match="corrupt"):
        out = cache.get_or_compute("fbank", {"bins": 40}, files, compute)
    assert len(calls) == 2 and out["x"].shape == (2, 3)
    cache.get_or_compute("fbank", {"bins": 40}, files, compute)
    assert len(calls) == 2  # the recomputed entry is valid again
