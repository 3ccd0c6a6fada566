"""Latif 2017 §4.1 targets and §4.2-4.3 segments."""

import numpy as np
import pandas as pd
import pytest

from reproductions.latif2017.labels import CLASSES, bin_dimension, categorical_table, dimensional_table
from reproductions.latif2017.segments import SegmentSet, pad_sequences, padded_length, utterance_segments
from reproductions.latif2017.training import ReconstructionThreshold

TABLE = pd.DataFrame({
    "id": list("abcdefgh"),
    "category": ["neu", "hap", "exc", "sad", "ang", "fru", "xxx", "oth"],
    "mode": ["improvised", "scripted"] * 4,
    "valence": [1.0, 2.5, 3.0, 3.0000, 3.3333, 5.0, 2.9999, 4.0],
    "activation": [3.0] * 8, "dominance": [2.0] * 8,
})


def test_four_classes_with_excited_merged_into_happiness():
    kept, y = categorical_table(TABLE, "Complete Data")
    assert list(kept["id"]) == list("abcde")  # fru, xxx, oth dropped
    assert [CLASSES[i] for i in y] == ["neutral", "happiness", "happiness", "sadness", "anger"]
    assert list(kept.index) == [0, 1, 2, 3, 4]  # positions in the full table are kept
    improvised = categorical_table(TABLE, "Improvised")[0]
    assert list(improvised["id"]) == ["a", "c", "e"] and list(improvised.index) == [0, 2, 4]
    assert list(categorical_table(TABLE, "Scripted")[0]["id"]) == ["b", "d"]
    with pytest.raises(ValueError, match="subset"):
        categorical_table(TABLE, "improvised")


def test_low_mid_high_bins_at_the_boundaries():
    values = np.array([1.0, 2.5, 2.9999, 3.0, 3.0000001, 3.0001, 3.3333, 5.0])
    np.testing.assert_array_equal(bin_dimension(values), [0, 0, 0, 1, 1, 2, 2, 2])
    _, bins = dimensional_table(TABLE)
    np.testing.assert_array_equal(bins["V"], [0, 0, 1, 1, 2, 2, 0, 2])
    np.testing.assert_array_equal(bins["A"], [1] * 8)
    np.testing.assert_array_equal(bins["P"], [0] * 8)


def test_segments_are_ten_80_band_frames_without_overlap():
    wave = np.random.default_rng(0).normal(scale=0.1, size=16000).astype("float32")  # 1 s -> 101 frames
    segs = utterance_segments(wave)
    assert segs.shape == (11, 800)  # ceil(101 / 10), last group edge-padded
    from common.features import log_mel_spectrogram
    from reproductions.latif2017.segments import LATIF_LOGMEL

    frames = log_mel_spectrogram(wave, **LATIF_LOGMEL).T
    np.testing.assert_allclose(segs[1], frames[10:20].reshape(-1))


def test_segment_set_rows_and_padded_sequences():
    seg = SegmentSet(np.arange(12, dtype="float32").reshape(6, 2), np.array([0, 1, 4, 6]))
    np.testing.assert_array_equal(seg.rows(np.array([2, 0])), [4, 5, 0])
    np.testing.assert_array_equal(seg.owner(), [0, 1, 1, 1, 2, 2])
    seqs = pad_sequences(seg.segments + 1, seg, np.array([0, 1]))
    assert seqs.shape == (2, 16, 2)  # longest utterance 3 -> padded length 16 (power of two, at least 16)
    np.testing.assert_array_equal(seqs[0, :3], [[1, 2], [0, 0], [0, 0]])
    np.testing.assert_array_equal(seqs[1, :3], [[3, 4], [5, 6], [7, 8]])
    assert not seqs[:, 3:].any()
    assert [padded_length(n) for n in (1, 16, 17, 90, 300)] == [16, 16, 32, 128, 512]


def test_reconstruction_threshold_stops_training():
    class Dummy:
        stop_training = False

    cb = ReconstructionThreshold(threshold=0.1)
    cb.set_model(Dummy())
    cb.on_epoch_end(0, {"val_reconstruction_mse": 0.2})
    assert not cb.model.stop_training
    cb.on_epoch_end(1, {"val_reconstruction_mse": 0.05})
    assert cb.model.stop_training and cb.stopped_epoch == 1


def test_sequence_batches_pad_batch_by_batch_and_cover_every_utterance_once():
    from reproductions.latif2017.segments import SequenceBatches

    lengths = np.array([1, 3, 40, 2, 5])
    seg = SegmentSet(np.arange(2 * lengths.sum(), dtype="float32").reshape(-1, 2) + 1,
                     np.concatenate([[0], np.cumsum(lengths)]))
    y = np.array([0, 1, 2, 3, 4])
    plain = SequenceBatches(seg.segments, seg, np.array([0, 1, 2, 3, 4]), y, batch_size=2)
    assert len(plain) == 3 and {plain[i][0].shape[1] for i in range(3)} == {64}  # longest utterance 40 -> 64
    x, labels = plain[1]
    np.testing.assert_array_equal(labels, [2, 3])
    np.testing.assert_array_equal(x[1, :2], seg.segments[44:46])  # utterance 3: rows 44-45
    assert not x[1, 2:].any()
    shuffled = SequenceBatches(seg.segments, seg, np.arange(5), y, batch_size=2, shuffle=True, seed=3)
    seen = np.concatenate([shuffled[i][1] for i in range(len(shuffled))])
    assert sorted(seen) == list(y)
    assert SequenceBatches(seg.segments, seg, np.arange(5), batch_size=2)[0].shape == (2, 64, 2)  # no labels: x only


def test_segment_batches_standardise_with_training_statistics_batch_by_batch():
    from reproductions.latif2017.segments import SegmentBatches, Standardiser

    rng = np.random.default_rng(0)
    segments = rng.normal(5.0, 3.0, (1000, 4)).astype("float32")
    train = np.arange(100, 700)
    scale = Standardiser.fit(segments, train, chunk=64)  # statistics gathered over chunks of rows
    np.testing.assert_allclose(scale.mean, segments[train].mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(scale.std, segments[train].std(axis=0) + 1e-6, rtol=1e-5)
    cond = np.eye(2, dtype="float32")[np.arange(1000) % 2]
    batches = SegmentBatches(segments, train, scale, cond, batch_size=256, shuffle=True, seed=1)
    assert len(batches) == 3
    (x, c), target = batches[2]
    assert x.shape == (88, 4) and c.shape == (88, 2) and x is target  # the autoencoder reconstructs its input
    seen = np.concatenate([batches[i][1] for i in range(3)])
    np.testing.assert_allclose(np.sort(seen, axis=0), np.sort(scale(segments[train]), axis=0), rtol=1e-6)
    first = batches[0][1].copy()
    batches.on_epoch_end()  # reshuffled (seeded) for the next epoch
    assert not np.array_equal(first, batches[0][1])
    x_only, target = SegmentBatches(segments, train, scale, batch_size=8)[0]  # AE / VAE: no condition input
    np.testing.assert_array_equal(x_only, scale(segments[train[:8]]))
