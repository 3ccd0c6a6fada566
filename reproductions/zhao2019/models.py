"""The 1D and 2D CNN LSTM networks of Zhao et al. (2019), §3.1–§3.3, Tables 1 and 2.

Both networks are four local feature learning blocks (LFLB: conv -> BN -> ELU -> max-pool, §3.1.1, Fig. 3),
one LSTM layer (§3.1.2) and a fully connected softmax layer (§3.2, Eqs. 11–14). Layer names follow the paper's
coding (§3.2): ``1C1`` / ``1P1`` are the conv / pool of 1LFLB1, ``2L`` the LSTM of the 2D network, and so on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import keras
from keras import layers

FILTERS = (64, 64, 128, 128)  # §3.2 / §3.3: 64 kernels in LFLB1-2, 128 in LFLB3-4
KERNEL_1D = 3  # §3.2: "the same size 3, the same stride 1, and the SAME padding"
POOLS_1D = (4, 4, 4, 4)  # §3.2, Table 1: max-pool kernel and stride 4 in every LFLB
KERNEL_2D = (3, 3)  # §3.3: 3 x 3 kernels, stride 1 x 1, SAME padding
POOLS_2D = ((2, 2), (4, 4), (4, 4), (4, 4))  # §3.3, Table 2: 2 x 2 in 2LFLB1, 4 x 4 in the others
# Variant (ours, README "Known flaws"): pool frequency as the paper does but time only by 2 in LFLB2-4,
# so a 128 x 251 spectrogram reaches the LSTM as 15 steps instead of 1.
POOLS_2D_TIMESEQ = ((2, 2), (4, 2), (4, 2), (4, 2))
LSTM_UNITS = 256  # Tables 1 and 2: 1L / 2L have 256 units
CLIP_SAMPLES = 128_000  # §3.5: 8 s at 16 kHz, input length L of Table 1
N_MELS = 128  # §3.5: 128 mel bins, M of Table 2
N_FRAMES = 251  # §3.5: 251 frames (n_fft 2048, hop 512 on 128,000 samples), N of Table 2


@dataclass(frozen=True)
class TrainConfig:
    """Training hyperparameters the paper tuned with hyperopt (§3.4) but does not publish.

    The defaults are our choices before tuning (README "Assumptions and deviations"):
    ``optimizer`` is one of §3.4's ('adagrad', 'adam', 'sgd', 'rmsprop'); ``kernel_penalty`` / ``activity_penalty``
    are the L2 "penalties on layer parameters and layer activity" of §5.2, whose values the paper omits.
    ``bn_momentum`` is Keras's default for the moving statistics; ``recalibrate_bn`` (ours, README "Defaults that
    learn") sets the batch-normalisation statistics from the training utterances before every validation, so the
    model validated, kept and tested is the one ``fit`` trained (``protocol.RecalibrateBatchNorm``).
    """

    optimizer: str = "adam"
    learning_rate: float = 1e-3
    batch_size: int = 32
    kernel_penalty: float = 1e-4
    activity_penalty: float = 1e-6
    bn_momentum: float = 0.99
    recalibrate_bn: bool = True

    def as_dict(self) -> dict:
        return asdict(self)


def _l2(value: float) -> keras.regularizers.Regularizer | None:
    return keras.regularizers.L2(value) if value > 0 else None


def _lflb(x, rank: int, index: int, filters: int, kernel, pool, kernel_penalty: float, bn_momentum: float = 0.99):
    """One local feature learning block (§3.1.1, Fig. 3, Eq. 3): conv -> BN -> ELU -> max-pool."""
    conv = layers.Conv1D if rank == 1 else layers.Conv2D
    pooling = layers.MaxPooling1D if rank == 1 else layers.MaxPooling2D
    x = conv(filters, kernel, strides=1, padding="same", kernel_regularizer=_l2(kernel_penalty),
             name=f"{rank}C{index}")(x)
    x = layers.BatchNormalization(momentum=bn_momentum, name=f"{rank}BN{index}")(x)
    x = layers.ELU(name=f"{rank}ELU{index}")(x)
    return pooling(pool_size=pool, strides=pool, name=f"{rank}P{index}")(x)


def _head(x, rank: int, n_classes: int, config: TrainConfig) -> keras.KerasTensor:
    """LSTM layer (§3.1.2) on the local-feature sequence, then the softmax layer (§3.2, Eqs. 11–14)."""
    x = layers.LSTM(LSTM_UNITS, kernel_regularizer=_l2(config.kernel_penalty),
                    activity_regularizer=_l2(config.activity_penalty), name=f"{rank}L")(x)
    return layers.Dense(n_classes, activation="softmax", kernel_regularizer=_l2(config.kernel_penalty),
                        name=f"{rank}F")(x)


def compile_model(model: keras.Model, config: TrainConfig) -> keras.Model:
    """Cross-entropy on integer labels with the optimiser chosen in §3.4's set."""
    optimizer = keras.optimizers.get({"class_name": config.optimizer,
                                      "config": {"learning_rate": config.learning_rate}})
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def build_cnn_lstm_1d(n_classes: int, clip_samples: int = CLIP_SAMPLES,
                      config: TrainConfig = TrainConfig()) -> keras.Model:
    """1D CNN LSTM on raw audio (§3.2, Table 1): (L, 1) -> ... -> (L/256, 128) -> LSTM(256) -> softmax(K)."""
    inputs = keras.Input((clip_samples, 1), name="audio_clip")
    x = inputs
    for i, (filters, pool) in enumerate(zip(FILTERS, POOLS_1D, strict=True), start=1):
        x = _lflb(x, 1, i, filters, KERNEL_1D, pool, config.kernel_penalty, config.bn_momentum)
    model = keras.Model(inputs, _head(x, 1, n_classes, config), name="cnn_lstm_1d")
    return compile_model(model, config)


def build_cnn_lstm_2d(n_classes: int, n_mels: int = N_MELS, n_frames: int = N_FRAMES,
                      pools: tuple = POOLS_2D, config: TrainConfig = TrainConfig()) -> keras.Model:
    """2D CNN LSTM on a log-mel spectrogram (§3.3, Table 2): (M, N, 1) -> ... -> (M', N', 128) -> LSTM -> softmax.

    Height M is frequency and width N is time. The 2LFLB4 output is "reshaped into a form of a temporal
    sequence" (§3.3): time steps N', each step the M' x 128 frequency-by-channel features.
    With the paper's pools and a 128 x 251 input that is a single step (Table 2: N/128 = 1.96, floored to 1).
    """
    inputs = keras.Input((n_mels, n_frames, 1), name="log_mel_spectrogram")
    x = inputs
    for i, (filters, pool) in enumerate(zip(FILTERS, pools, strict=True), start=1):
        x = _lflb(x, 2, i, filters, KERNEL_2D, pool, config.kernel_penalty, config.bn_momentum)
    height, width, channels = x.shape[1:]
    if height < 1 or width < 1:
        raise ValueError(f"a {n_mels} x {n_frames} input leaves an empty {height} x {width} map after pools {pools}")
    x = layers.Permute((2, 1, 3), name="2T")(x)
    x = layers.Reshape((width, height * channels), name="2R")(x)
    model = keras.Model(inputs, _head(x, 2, n_classes, config), name="cnn_lstm_2d")
    return compile_model(model, config)


NETWORKS = ("1d", "2d", "2d-timeseq")  # the two networks of §3.2–§3.3 and our 2D variant


def build_network(network: str, n_classes: int, input_shape: tuple[int, ...],
                  config: TrainConfig = TrainConfig()) -> keras.Model:
    """Build ``network`` (one of NETWORKS) for inputs of ``input_shape`` (without the channel axis)."""
    if network == "1d":
        (clip_samples,) = input_shape
        return build_cnn_lstm_1d(n_classes, clip_samples, config)
    n_mels, n_frames = input_shape
    pools = {"2d": POOLS_2D, "2d-timeseq": POOLS_2D_TIMESEQ}[network]
    return build_cnn_lstm_2d(n_classes, n_mels, n_frames, pools, config)
