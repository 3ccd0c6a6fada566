"""The models of Latif et al. 2017 that ``benchmarks/`` times: the VAE on 100 ms segments and the LSTM classifier."""

from __future__ import annotations

from common.benchmarking import ModelSpec, autoencode, classes

IEMOCAP_4CLASS = 5531  # Latif §4.1 gives no count; 5,531 is the usual IEMOCAP 4-class set (exc merged into hap)
IEMOCAP_MEAN_SECONDS = 4.5  # assumption: mean IEMOCAP utterance length (Latif segments it into 100 ms pieces)
LATIF_SEGMENTS = int(IEMOCAP_4CLASS * IEMOCAP_MEAN_SECONDS / 0.1)  # Latif §4.3: 100 ms segments
LATIF_SEQUENCE = int(IEMOCAP_MEAN_SECONDS / 0.1)  # segments per utterance seen by the LSTM
# §5.3: the VAE's features are "128 set of mean and variances": [mu, sigma] of latent 128 = 256 per segment
LATIF_FEATURES = 256


def _vae(shape: tuple[int, ...]):
    from reproductions.latif2017.models import build_autoencoder

    return build_autoencoder("vae", seed=0)[0]


def _lstm(shape: tuple[int, ...]):
    from reproductions.latif2017.models import build_classifier

    return build_classifier(shape[-1], 4)


def benchmark() -> list[ModelSpec]:
    return [ModelSpec("latif2017/vae", "latif2017", _vae, autoencode, (800,), (800,), 256,
                      "profile ae_batch (paper silent)", "IEMOCAP 4-class segments", LATIF_SEGMENTS,
                      f"{IEMOCAP_4CLASS} utt x {IEMOCAP_MEAN_SECONDS} s / 100 ms (assumed)"),
            ModelSpec("latif2017/lstm", "latif2017", _lstm, classes(4), (LATIF_SEQUENCE, LATIF_FEATURES),
                      (8, LATIF_FEATURES), 32, "profile lstm_batch (paper silent)", "IEMOCAP 4-class",
                      IEMOCAP_4CLASS, "5,531 (usual 4-class count; paper silent)")]
