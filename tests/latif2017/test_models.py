"""Latif 2017 §3.1/§4.3 networks: VAE loss = reconstruction + KL, 800 -> 128 shapes, CVAE concatenation."""

import keras
import numpy as np
import pytest

from reproductions.latif2017.labels import one_hot
from reproductions.latif2017.models import (
    AE_BETA_1,
    AE_BETA_2,
    build_autoencoder,
    build_classifier,
    build_encoder,
    kl_divergence,
    reconstruction_error,
)
from reproductions.latif2017.training import encode, encode_marginal

RNG = np.random.default_rng(0)
X = RNG.normal(size=(32, 800)).astype("float32")


def test_kl_is_zero_for_the_prior_and_matches_the_closed_form():
    zeros = np.zeros((3, 128), "float32")
    np.testing.assert_allclose(np.asarray(kl_divergence(zeros, zeros)), 0.0, atol=1e-6)
    # mu = 1, sigma = 1: KL = 0.5 * mu^2 per dimension; mu = 0, sigma^2 = e: 0.5 * (e - 1 - 1) per dimension
    np.testing.assert_allclose(np.asarray(kl_divergence(np.ones((1, 4)), np.zeros((1, 4)))), [2.0], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(kl_divergence(np.zeros((1, 2)), np.ones((1, 2)))), [np.e - 2], rtol=1e-6)


def test_reconstruction_error_is_the_squared_distance():
    a, b = np.zeros((2, 800), "float32"), np.full((2, 800), 0.5, "float32")
    np.testing.assert_allclose(np.asarray(reconstruction_error(a, b)), [200.0, 200.0])


def test_vae_loss_decomposes_into_reconstruction_plus_kl():
    model, encoder = build_autoencoder("vae", seed=0)
    log_var = encoder.get_layer("log_var")
    kernel, bias = log_var.get_weights()
    log_var.set_weights([np.zeros_like(kernel), np.full_like(bias, -40.0)])  # sigma ~ 2e-9: z = mu
    decoder = model.get_layer("vae_decoder")
    mu, lv = (np.asarray(t) for t in encoder(X))
    recon = np.asarray(reconstruction_error(X, decoder(mu))).mean()
    kl = np.asarray(kl_divergence(mu, lv)).mean()
    assert kl > 0
    loss = model.evaluate(X, X, batch_size=len(X), verbose=0, return_dict=True)["loss"]
    assert loss == pytest.approx(recon + kl, rel=1e-4)


def test_ae_loss_is_reconstruction_only():
    model, encoder = build_autoencoder("ae", seed=0)
    recon = np.asarray(reconstruction_error(X, model(X))).mean()
    assert model.evaluate(X, X, batch_size=len(X), verbose=0, return_dict=True)["loss"] == pytest.approx(recon,
                                                                                                        rel=1e-5)
    assert model.optimizer.beta_1 == AE_BETA_1 == 0.999 and model.optimizer.beta_2 == AE_BETA_2 == 0.99


@pytest.mark.parametrize("kind", ["ae", "vae", "cvae"])
def test_encoder_maps_800_to_128(kind):
    enc = build_encoder(kind, 128, n_classes=4)
    assert [layer.units for layer in enc.layers if isinstance(layer, keras.layers.Dense)][:2] == [512, 256]
    c = one_hot(np.arange(32) % 4, 4)
    feats = encode(kind, enc, X, c if kind == "cvae" else None)
    # the AE gives its 128-d code; the VAEs give [mu, sigma] (§5.3 "128 set of mean and variances")
    assert feats.shape == (32, 128 if kind == "ae" else 256)
    if kind != "ae":
        assert (feats[:, 128:] > 0).all()


def test_cvae_concatenates_the_one_hot_label_to_the_encoder_input():
    enc = build_encoder("cvae", 16, n_classes=4)
    assert enc.get_layer("segment_and_label").output.shape == (None, 804)
    mu_a = np.asarray(enc([X, one_hot(np.zeros(32), 4)])[0])
    mu_b = np.asarray(enc([X, one_hot(np.full(32, 3), 4)])[0])
    assert not np.allclose(mu_a, mu_b)  # the label changes the latent: test features carry the label
    marginal = encode_marginal(enc, X, 4)
    mean = np.mean([encode("cvae", enc, X, one_hot(np.full(32, k), 4)) for k in range(4)], axis=0)
    np.testing.assert_allclose(marginal, mean, rtol=1e-5)


def test_classifier_head_is_the_projection_onto_the_classes_then_softmax():
    # §3.2: the second LSTM's output x is projected by Q = Wx onto the m classes, then a softmax: no hidden layer
    clf = build_classifier(256, 4, lstm_units=16)
    kinds = [type(layer).__name__ for layer in clf.layers]
    assert kinds == ["InputLayer", "Masking", "LSTM", "LSTM", "Dense"]
    head = clf.layers[-1]
    assert head.units == 4 and head.activation.__name__ == "softmax"
    assert head.kernel.shape == (16, 4)  # W in R^(n x m) with n = the LSTM's output size
    variant = build_classifier(256, 4, lstm_units=16, hidden_units=8)  # the hidden-dense variant, by name
    assert [type(layer).__name__ for layer in variant.layers][-2:] == ["Dense", "Dense"]
    assert variant.get_layer("hidden_dense").units == 8 and variant.name == "latent_lstm_hidden_dense"


def test_classifier_masks_padding_and_outputs_probabilities():
    clf = build_classifier(8, 3, lstm_units=4)
    assert [layer.activation.__name__ for layer in clf.layers if isinstance(layer, keras.layers.LSTM)] == ["tanh"] * 2
    seq = RNG.normal(size=(2, 5, 8)).astype("float32")
    padded = np.concatenate([seq, np.zeros((2, 3, 8), "float32")], axis=1)
    np.testing.assert_allclose(np.asarray(clf(seq)), np.asarray(clf(padded)), atol=1e-5)
    np.testing.assert_allclose(np.asarray(clf(seq)).sum(axis=1), 1.0, rtol=1e-5)
