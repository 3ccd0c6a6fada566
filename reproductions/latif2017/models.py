"""Autoencoders (AE, VAE, CVAE) and the LSTM classifier of Latif et al. 2017 (§3, §4.3).

All builders use the Keras functional API. The VAE's KL term enters the loss through ``add_loss`` in the
sampling layer; the reconstruction term is the compiled loss, so ``loss = reconstruction + KL`` (Eq. 2).
"""

from __future__ import annotations

import keras
from keras import layers, ops

SEGMENT_DIM = 800  # §4.3: a 100 ms segment = 10 frames x 80 log-mel bands = 800 features
ENCODER_UNITS = (512, 256)  # §4.3: "two encoding layers with 512 and 256 hidden units"
LATENT_DIM = 128  # §4.3: "represented in a latent space of 128"
# §4.3: Adam beta1 = 0.999, beta2 = 0.99, eps = 1e-8, lr = 1e-3 for the autoencoders. beta1 = 0.999 is unusual
# (Adam's default is 0.9; the paper's 0.999 is probably swapped with beta2) but it is kept as printed.
AE_LEARNING_RATE = 1e-3
AE_BETA_1 = 0.999
AE_BETA_2 = 0.99
AE_EPSILON = 1e-8
LSTM_LEARNING_RATE = 1e-3  # §4.3: "Adam optimiser with default learning rate of 10^-3"
HIDDEN_ACTIVATION = "relu"  # paper silent (README: Assumptions)
# Paper silent on the LSTM size ("network parameters were chosen through cross-validation", §4.3): our default,
# searched by search.py (the paper profile runs that search before the protocol).
LSTM_UNITS = 128

KINDS = ("ae", "vae", "cvae")


def reconstruction_error(x: keras.KerasTensor, x_hat: keras.KerasTensor) -> keras.KerasTensor:
    """Eq. 2 first term: squared distance |X - X^|^2 per segment (sum over the 800 features)."""
    return ops.sum(ops.square(x - x_hat), axis=-1)


def kl_divergence(mu: keras.KerasTensor, log_var: keras.KerasTensor) -> keras.KerasTensor:
    """Eq. 2 second term: KL[N(mu, sigma^2) || N(0, I)] per segment, with log_var = log sigma^2."""
    return -0.5 * ops.sum(1.0 + log_var - ops.square(mu) - ops.exp(log_var), axis=-1)


def reconstruction_mse(x: keras.KerasTensor, x_hat: keras.KerasTensor) -> keras.KerasTensor:
    """Mean squared error per feature: the distance the stopping rule compares with its threshold."""
    return ops.mean(ops.square(x - x_hat), axis=-1)


@keras.saving.register_keras_serializable(package="latif2017")
class GaussianSampling(layers.Layer):
    """Reparameterisation trick z = mu + delta * sigma, delta ~ N(0, 1) (§4.3); adds the KL term as a loss."""

    def __init__(self, seed: int | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs: list[keras.KerasTensor]) -> keras.KerasTensor:
        mu, log_var = inputs
        self.add_loss(ops.mean(kl_divergence(mu, log_var)))
        delta = keras.random.normal(ops.shape(mu), seed=self.seed_generator)
        return mu + delta * ops.exp(0.5 * log_var)

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed}


def build_encoder(kind: str, latent_dim: int = LATENT_DIM, n_classes: int = 0) -> keras.Model:
    """Encoder 800 -> 512 -> 256 -> latent (§4.3).

    ``ae``: one dense code layer ("the Gaussian layer ... replaced with a fully connected layer").
    ``vae``/``cvae``: two heads, mu and log sigma^2. ``cvae`` takes [segment, one-hot label] and concatenates
    them before the first layer (§3.1: "concatenate the speech frame representation ... with its emotion class
    label (c) and pass this into the encoder").
    """
    _check_kind(kind, n_classes)
    x_in = keras.Input((SEGMENT_DIM,), name="segment")
    inputs = [x_in]
    h = x_in
    if kind == "cvae":
        c_in = keras.Input((n_classes,), name="label")
        inputs.append(c_in)
        h = layers.Concatenate(name="segment_and_label")([x_in, c_in])
    for i, units in enumerate(ENCODER_UNITS):
        h = layers.Dense(units, activation=HIDDEN_ACTIVATION, name=f"enc_{i + 1}")(h)
    if kind == "ae":
        return keras.Model(x_in, layers.Dense(latent_dim, name="code")(h), name="ae_encoder")
    mu = layers.Dense(latent_dim, name="mu")(h)
    log_var = layers.Dense(latent_dim, name="log_var")(h)
    return keras.Model(inputs if kind == "cvae" else x_in, [mu, log_var], name=f"{kind}_encoder")


def build_decoder(kind: str, latent_dim: int = LATENT_DIM, n_classes: int = 0) -> keras.Model:
    """Decoder latent -> 256 -> 512 -> 800 (the encoder mirrored); the CVAE decoder sees [z, c] (§3.1 P(X|z,c))."""
    _check_kind(kind, n_classes)
    z_in = keras.Input((latent_dim,), name="z")
    inputs = [z_in]
    h = z_in
    if kind == "cvae":
        c_in = keras.Input((n_classes,), name="label")
        inputs.append(c_in)
        h = layers.Concatenate(name="z_and_label")([z_in, c_in])
    for i, units in enumerate(reversed(ENCODER_UNITS)):
        h = layers.Dense(units, activation=HIDDEN_ACTIVATION, name=f"dec_{i + 1}")(h)
    x_hat = layers.Dense(SEGMENT_DIM, name="reconstruction")(h)
    return keras.Model(inputs if kind == "cvae" else z_in, x_hat, name=f"{kind}_decoder")


def build_autoencoder(kind: str, latent_dim: int = LATENT_DIM, n_classes: int = 0,
                      seed: int | None = None) -> tuple[keras.Model, keras.Model]:
    """Compiled autoencoder (train it with ``fit(inputs, segments)``) and its encoder (§3.1, §4.3).

    Loss: reconstruction error (Eq. 2), plus the KL term for ``vae``/``cvae`` (added by ``GaussianSampling``).
    """
    encoder = build_encoder(kind, latent_dim, n_classes)
    decoder = build_decoder(kind, latent_dim, n_classes)
    x_in = keras.Input((SEGMENT_DIM,), name="segment")
    inputs = [x_in]
    if kind == "cvae":
        inputs.append(keras.Input((n_classes,), name="label"))
    if kind == "ae":
        z = encoder(x_in)
    else:
        mu, log_var = encoder(inputs if kind == "cvae" else x_in)
        z = GaussianSampling(seed=seed, name="sampling")([mu, log_var])
    x_hat = decoder([z, inputs[1]] if kind == "cvae" else z)
    model = keras.Model(inputs if kind == "cvae" else x_in, x_hat, name=kind)
    model.compile(
        optimizer=keras.optimizers.Adam(AE_LEARNING_RATE, beta_1=AE_BETA_1, beta_2=AE_BETA_2, epsilon=AE_EPSILON),
        loss=reconstruction_error,
        metrics=[reconstruction_mse],
    )
    return model, encoder


def build_classifier(input_dim: int, n_classes: int, lstm_units: int = LSTM_UNITS, hidden_units: int = 0,
                     learning_rate: float = LSTM_LEARNING_RATE) -> keras.Model:
    """Two tanh LSTM layers, then the projection Q = Wx onto the m classes and a softmax (§3.2, §4.3).

    §3.2: the second LSTM's output x in R^n "is projected onto a vector with a length of the number of emotion
    classes" by Q = Wx, W in R^(m x n), and Q is mapped to probabilities; §4.3's "dense layer ... fed into the
    softmax layer" is that projection (``Dense(m)`` with a softmax). ``hidden_units > 0`` builds the
    ``hidden-dense`` variant instead, with an extra ReLU layer of that width before the projection (not the
    paper's model; README). Sequences are zero-padded at the end; the mask hides the padding from both LSTMs.
    """
    seq = keras.Input((None, input_dim), name="latent_sequence")
    h = layers.Masking(mask_value=0.0, name="padding_mask")(seq)
    h = layers.LSTM(lstm_units, activation="tanh", return_sequences=True, name="lstm_1")(h)
    h = layers.LSTM(lstm_units, activation="tanh", name="lstm_2")(h)
    if hidden_units:
        h = layers.Dense(hidden_units, activation=HIDDEN_ACTIVATION, name="hidden_dense")(h)
    out = layers.Dense(n_classes, activation="softmax", name="projection_softmax")(h)
    model = keras.Model(seq, out, name="latent_lstm" if not hidden_units else "latent_lstm_hidden_dense")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def _check_kind(kind: str, n_classes: int) -> None:
    if kind not in KINDS:
        raise ValueError(f"autoencoder kind must be one of {KINDS}, got {kind!r}")
    if kind == "cvae" and n_classes < 1:
        raise ValueError("a CVAE needs n_classes >= 1 for its one-hot condition")
