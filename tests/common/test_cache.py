"""Feature cache: hit, miss on changed configuration or corpus, corrupt entries recomputed with a warning."""

from __future__ import annotations

import os

import numpy as np
import pytest

from common import cache as cache_module
from common.cache import CorruptCacheWarning, FeatureCache, entries_used
from common.errors import FeatureError


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


def test_entries_read_or_written_are_listed_with_their_size_on_disk(tmp_path, files, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setattr(cache_module, "_USED", {})  # this process so far: none
    FeatureCache(root).get_or_compute("fbank", {"bins": 40}, files, _counting()[1])
    FeatureCache(root).frames("noisy", {"plan": "p"}, files, list(range(5)), _frames_of)
    (entry,) = (root / "fbank").glob("*.json")
    (frames,) = (root / "noisy").glob("*.json")
    used = entries_used()
    assert len(used) == 2
    assert used[str(entry.resolve())] == entry.stat().st_size + entry.with_suffix(".npz").stat().st_size
    assert used[str(frames.resolve())] == sum(f.stat().st_size for f in (root / "noisy").iterdir())
    monkeypatch.setattr(cache_module, "_USED", {})  # another process, reading what this one wrote
    FeatureCache(root).get_or_compute("fbank", {"bins": 40}, files, _counting()[1])
    FeatureCache(root).frames("noisy", {"plan": "p"}, files, list(range(5)), _frames_of)
    assert entries_used() == used


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
    compute = _counting()[1]
    cache.get_or_compute("f", config, files, compute)
    key = cache.key(config, files, compute)
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


def _frames_of(item: int) -> np.ndarray:
    return np.full((item + 1, 4), item, dtype=np.float32)  # item i: i + 1 frames of 4 bands


def test_frame_store_round_trip_is_memory_mapped_and_read_again(tmp_path, files):
    calls = []

    def compute(item):
        calls.append(item)
        return _frames_of(item)

    cache = FeatureCache(tmp_path / "cache")
    store = cache.frames("noisy", {"plan": "p"}, files, list(range(600)), compute, workers=2)  # > one chunk
    again = FeatureCache(tmp_path / "cache").frames("noisy", {"plan": "p"}, files, list(range(600)), compute)
    assert len(calls) == 600 and len(store) == len(again) == 600
    assert isinstance(again.values, np.memmap)
    for i in (0, 1, 255, 256, 599):
        np.testing.assert_array_equal(store[i], _frames_of(i))
        np.testing.assert_array_equal(again[i], _frames_of(i))
    assert again.nbytes == sum(range(1, 601)) * 4 * 4
    FeatureCache(tmp_path / "cache").frames("noisy", {"plan": "q"}, files, list(range(3)), compute)
    assert len(calls) == 603  # another plan is another entry


def test_damaged_frame_store_is_recomputed_with_a_warning(tmp_path, files):
    cache = FeatureCache(tmp_path / "cache")
    cache.frames("noisy", {"plan": "p"}, files, list(range(5)), _frames_of)
    (raw,) = (tmp_path / "cache" / "noisy").glob("*.f32")
    data = bytearray(raw.read_bytes())
    data[0] ^= 0xFF
    raw.write_bytes(bytes(data))
    os.utime(raw, ns=(1, 1))  # a new mtime: the once-per-process checksum is taken again
    with pytest.warns(CorruptCacheWarning, match="checksum"):
        store = FeatureCache(tmp_path / "cache").frames("noisy", {"plan": "p"}, files, list(range(5)), _frames_of)
    np.testing.assert_array_equal(store[0], _frames_of(0))


def test_frames_of_another_width_name_the_item(tmp_path, files):
    def compute(item):
        return np.zeros((3, 5 if item == "c" else 4), np.float32)

    with pytest.raises(FeatureError, match=r"item 2 \('c'\).*\(3, 5\)"):
        FeatureCache(tmp_path / "cache").frames("noisy", {}, files, ["a", "b", "c"], compute)
    assert not list((tmp_path / "cache" / "noisy").glob("*.json"))
