"""Speaker z-normalisation (Khorram §3, Huang §6.1), the NaN/inf guard, openSMILE functionals, re-exports."""

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler

import common.audio
import common.features as features
from common.errors import ConfigError, FeatureError
from common.features import check_finite, opensmile_feature_sets, opensmile_functionals, speaker_znorm


def test_speaker_znorm_statistics_per_speaker():
    rng = np.random.default_rng(0)
    feats = [rng.normal(5, 3, (40, 4)), rng.normal(-2, 0.5, (25, 4)), rng.normal(5, 3, (10, 4))]
    speakers = ["A", "B", "A"]
    out = speaker_znorm(feats, speakers)
    assert [o.shape for o in out] == [f.shape for f in feats]
    pooled_a = np.concatenate([out[0], out[2]])
    np.testing.assert_allclose(pooled_a.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(pooled_a.std(axis=0), 1, atol=1e-5)  # population std
    np.testing.assert_allclose(out[1].mean(axis=0), 0, atol=1e-5)
    scaled = StandardScaler().fit_transform(np.concatenate([feats[0], feats[2]]))
    np.testing.assert_allclose(pooled_a, scaled, atol=1e-4)


def test_speaker_znorm_utterance_vectors_and_constant_dims():
    feats = [np.array([1.0, 7.0]), np.array([3.0, 7.0])]
    out = speaker_znorm(feats, ["s", "s"])
    np.testing.assert_allclose(np.stack(out), [[-1.0, 0.0], [1.0, 0.0]], atol=1e-6)
    with pytest.raises(ValueError):
        speaker_znorm(feats, ["s"])


def test_check_finite_names_the_utterance():
    x = np.ones(3)
    assert check_finite(x, "Ses01F_impro01_F000") is x
    with pytest.raises(FeatureError, match="Ses01F_impro01_F000.*1 NaN and 1 inf"):
        check_finite(np.array([1.0, np.nan, np.inf]), "Ses01F_impro01_F000")


def test_opensmile_sets_and_functionals():
    sets = opensmile_feature_sets()
    assert sets["IS09"] == 384 and sets["IS10"] == 1582 and sets["ComParE_2016"] == 6373
    assert sets["eGeMAPSv02"] == 88
    wave = (0.1 * np.sin(2 * np.pi * 200 * np.arange(16000) / 16000)).astype(np.float32)
    is10 = opensmile_functionals(wave, 16000, "IS10")
    assert is10.shape == (1582,) and is10.dtype == np.float32 and np.isfinite(is10).all()
    assert sets["IS13"] == 6373  # Huang §4.1's ComParE column is the INTERSPEECH 2013 set
    with pytest.raises(ConfigError, match="IS99"):
        opensmile_functionals(wave, 16000, "IS99")


def test_audio_helpers_are_reexported_not_duplicated():
    assert features.resample is common.audio.resample
    assert features.int16_to_float is common.audio.int16_to_float
