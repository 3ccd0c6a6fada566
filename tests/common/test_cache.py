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


class _Planted:
    """Unpickling this object would run code: the cache must never do it."""

    ran = False

    def __reduce__(self):
        return (_Planted._run, ())

    @staticmethod
    def _run():
        _Planted.ran = True
        return "pwned"


def test_a_planted_pickle_is_refused_not_unpickled(tmp_path, files):
    cache = FeatureCache(tmp_path / "cache")
    config = {"feature": "x"}
    cache.get_or_compute("f", config, files, _counting()[1])
    key = cache.key(config, files)
    npz, meta = tmp_path / "cache" / "f" / f"{key}.npz", tmp_path / "cache" / "f" / f"{key}.json"
    evil = np.empty(1, dtype=object)
    evil[0] = _Planted()
    with open(npz, "wb") as f:  # a writer with access to a shared cache plants a pickle and fixes the checksum
        np.savez(f, x=evil, ids=np.array(["a", "b"]))
    import json

    from common.cache import _sha256
    info = json.loads(meta.read_text())
    meta.write_text(json.dumps({**info, "sha256": _sha256(npz)}))
    calls, compute = _counting()
    with pytest.warns(CorruptCacheWarning, match="corrupt"):
        arrays = cache.get_or_compute("f", config, files, compute)
    assert not _Planted.ran and len(calls) == 1 and arrays["x"].dtype == float


def test_object_arrays_are_refused_when_stored(tmp_path, files):
    ragged = np.empty(2, dtype=object)
    ragged[:] = [np.zeros(2), np.zeros(3)]
    with pytest.raises(TypeError, match="flat values"):
        FeatureCache(tmp_path / "cache").get_or_compute("f", {"a": 1}, files, lambda: {"r": ragged})
