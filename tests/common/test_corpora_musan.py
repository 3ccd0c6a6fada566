"""MUSAN noise reader and the exact-SNR mixer (Huang §5.2)."""

from __future__ import annotations

import numpy as np
import pytest

from common.audio import load_audio
from common.corpora import mix_at_snr, read_musan_noise
from common.errors import CorpusLayoutError


def test_twin_from_both_roots(musan_twin):
    df = musan_twin.table
    assert df["label"].value_counts().to_dict() == {"free-sound": 5, "sound-bible": 5}
    inner = read_musan_noise(musan_twin.root / "musan")
    assert inner["id"].tolist() == df["id"].tolist()
    assert any("non-wav" in k for k in df.attrs["report"].notes)
    with pytest.raises(CorpusLayoutError, match="one level too low"):
        read_musan_noise(musan_twin.root / "musan" / "noise")


@pytest.mark.parametrize("snr", [-10.0, -3.5, 0.0, 7.25, 15.0])
def test_mix_at_snr_is_exact(musan_twin, snr):
    rng = np.random.default_rng(1)
    speech = (0.1 * rng.standard_normal(40000)).astype(np.float32)
    noise = load_audio(musan_twin.table["path"].iloc[2])  # shorter than the speech: looped
    mix = mix_at_snr(speech, noise, snr, rng=np.random.default_rng(3))
    added = mix.astype(np.float64) - speech
    achieved = 10 * np.log10(np.mean(speech.astype(np.float64) ** 2) / np.mean(added ** 2))
    assert mix.dtype == np.float32 and mix.shape == speech.shape
    assert achieved == pytest.approx(snr, abs=1e-3)


def test_mix_offsets_and_errors():
    speech = np.ones(10, dtype=np.float32)
    noise = np.arange(1, 21, dtype=np.float32)
    a = mix_at_snr(speech, noise, 0.0, rng=np.random.default_rng(0))
    b = mix_at_snr(speech, noise, 0.0, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="silent"):
        mix_at_snr(speech, np.zeros(5), 0.0)
