"""The models benchmarked (item 1): each paper's own builder at the paper's input shape, batch and corpus size.

Builders are imported from ``reproductions/<paper>`` (never re-implemented here), lazily, so the registry can be
read without Keras and a backend can be chosen first. Inputs are synthetic tensors of the paper's shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Batch = tuple[Any, Any]

# Corpus sizes: training examples per epoch under each paper's protocol, with where they come from.
RECOLA_TRAIN = 9  # Khorram §3: "27 five-minute utterances ... (9 train; 9 validation; 9 test)"
RECOLA_STEPS = 7500  # Khorram §3: 300 s at one 160-dim step per 40 ms
EMODB_UTTERANCES = 535  # Zhao §3.5: "There are 535 sentences"
IEMOCAP_PROTOTYPICAL = 1150  # Zhao §3.5: "1150 utterances in the prototypical data"
IEMOCAP_4CLASS = 5531  # Latif §4.1 gives no count; 5,531 is the usual IEMOCAP 4-class set (exc merged into hap)
IEMOCAP_MEAN_SECONDS = 4.5  # assumption: mean IEMOCAP utterance length (Latif segments it into 100 ms pieces)
LATIF_SEGMENTS = int(IEMOCAP_4CLASS * IEMOCAP_MEAN_SECONDS / 0.1)  # Latif §4.3: 100 ms segments
LATIF_SEQUENCE = int(IEMOCAP_MEAN_SECONDS / 0.1)  # segments per utterance seen by the LSTM
ENTERFACE_CLEAN = 1257  # Huang §5.1: "the total number of emotional utterances in this corpus is 1,257"
ENTERFACE_NOISY_UNION = ENTERFACE_CLEAN * 61  # Huang §5.2: 75,420 noisy + 1,257 clean (noisy condition trains on both)
ENTERFACE_FRAMES = 278  # Huang §5.1: "average length of utterances is around 2.78 seconds" at 10 ms frames
WIESER_SAMPLES = 8522  # Wieser §3.2: "This results in 8522 samples for evaluator E-2"


@dataclass(frozen=True)
class ModelSpec:
    """One benchmarked model: ``build(shape)`` returns the paper builder's compiled model for per-sample
    ``shape``; ``batch(shape, batch_size, rng)`` draws a synthetic (x, y) batch of it."""

    name: str
    paper: str
    build: Callable[[tuple[int, ...]], Any]
    batch: Callable[[tuple[int, ...], int, np.random.Generator], Batch]
    shape: tuple[int, ...]
    smoke_shape: tuple[int, ...]
    batch_size: int
    batch_source: str
    corpus: str
    corpus_size: int
    size_source: str


def _regression_seq(shape, n, rng) -> Batch:
    x = rng.standard_normal((n, *shape), dtype=np.float32)
    return x, rng.uniform(-1, 1, (n, shape[0], 1)).astype(np.float32)


def _classes(k: int) -> Callable[[tuple[int, ...], int, np.random.Generator], Batch]:
    def make(shape, n, rng) -> Batch:
        return rng.standard_normal((n, *shape), dtype=np.float32), rng.integers(0, k, n)
    return make


def _autoencode(shape, n, rng) -> Batch:
    x = rng.standard_normal((n, *shape), dtype=np.float32)
    return x, x


def _spliced(shape, n, rng) -> Batch:
    x = rng.standard_normal((n, *shape), dtype=np.float32)
    return (x, np.ones((n, shape[0]), dtype=bool)), rng.integers(0, 6, n)


def _two_heads(shape, n, rng) -> Batch:
    x = rng.standard_normal((n, *shape), dtype=np.float32)
    return x, {"arousal": rng.integers(0, 5, n), "valence": rng.integers(0, 5, n)}


def _khorram(kind: str) -> Callable[[tuple[int, ...]], Any]:
    def build(shape):
        from reproductions.khorram2017 import models
        return {"dilated": models.build_dilated, "downup": models.build_downup, "blstm": models.build_blstm}[kind]()
    return build


def _zhao(network: str) -> Callable[[tuple[int, ...]], Any]:
    def build(shape):
        from reproductions.zhao2019.models import build_network
        return build_network(network, 7, shape[:-1])
    return build


def _latif_vae(shape):
    from reproductions.latif2017.models import build_autoencoder
    return build_autoencoder("vae", seed=0)[0]


def _latif_lstm(shape):
    from reproductions.latif2017.models import build_classifier
    return build_classifier(shape[-1], 4)


# Huang CLDNN filters: S and ST use §7.4's h1 = 22, h2 = 3; widths are mid-range values of Table 2.
HUANG_FILTERS = {"S": {"h1": 22, "h2": 3}, "T": {"w1": 5, "w2": 3}, "ST": {"h1": 22, "w1": 5, "h2": 3, "w2": 3},
                 "FST": {"w1": 5, "w2": 3}}


def _huang(conv_type: str | None) -> Callable[[tuple[int, ...]], Any]:
    def build(shape):
        from reproductions.huang2017.models import build_cldnn, build_ldnn
        if conv_type is None:
            return build_ldnn(shape[1], 6)
        return build_cldnn(conv_type, shape[1], 6, **HUANG_FILTERS[conv_type])
    return build


def _wieser(schedule: str) -> Callable[[tuple[int, ...]], Any]:
    def build(shape):
        from reproductions.wieser2018.hyperparameters import TABLE_1_ELOR
        from reproductions.wieser2018.models import build_elor
        from reproductions.wieser2018.schedule import compile_for
        net = build_elor(TABLE_1_ELOR.alpha_w, window=shape[0])
        steps = -(-WIESER_SAMPLES // TABLE_1_ELOR.batch_size)
        return compile_for(net, TABLE_1_ELOR, steps, schedule, seed=0)
    return build


def _models() -> list[ModelSpec]:
    khorram = [ModelSpec(f"khorram2017/{k}", "khorram2017", _khorram(k), _regression_seq, (RECOLA_STEPS, 160),
                         (64, 160), 1, "§6.1 batch size one", "RECOLA train", RECOLA_TRAIN, "§3: 9 train utterances")
               for k in ("dilated", "downup", "blstm")]
    zhao = [ModelSpec("zhao2019/1d", "zhao2019", _zhao("1d"), _classes(7), (128_000, 1), (2048, 1), 32,
                      "TrainConfig default (tuned, unpublished §3.4)", "EmoDB", EMODB_UTTERANCES, "§3.5: 535"),
            ModelSpec("zhao2019/2d", "zhao2019", _zhao("2d"), _classes(7), (128, 251, 1), (128, 64, 1), 32,
                      "TrainConfig default (tuned, unpublished §3.4)", "EmoDB", EMODB_UTTERANCES, "§3.5: 535")]
    latif = [ModelSpec("latif2017/vae", "latif2017", _latif_vae, _autoencode, (800,), (800,), 256,
                       "profile ae_batch (paper silent)", "IEMOCAP 4-class segments", LATIF_SEGMENTS,
                       f"{IEMOCAP_4CLASS} utt x {IEMOCAP_MEAN_SECONDS} s / 100 ms (assumed)"),
             ModelSpec("latif2017/lstm", "latif2017", _latif_lstm, _classes(4), (LATIF_SEQUENCE, 128), (8, 128), 32,
                       "profile lstm_batch (paper silent)", "IEMOCAP 4-class", IEMOCAP_4CLASS,
                       "5,531 (usual 4-class count; paper silent)")]
    huang = [ModelSpec(f"huang2017/{'ldnn' if t is None else t.lower() + '-cldnn'}", "huang2017", _huang(t),
                       _spliced, (ENTERFACE_FRAMES, 40, 16, 1), (20, 40, 16, 1), 10, "§6.2 mini-batch 10",
                       "eNTERFACE noisy+clean", ENTERFACE_NOISY_UNION, "§5.1-5.2: 1,257 x 61")
             for t in (None, "S", "T", "ST", "FST")]
    # faithful = §2.1.1's alternating heads (custom TensorFlow train_step); joint = the summed-loss variant.
    wieser = [ModelSpec(f"wieser2018/elor-{s}", "wieser2018", _wieser(s), _two_heads, (96_000, 1), (4000, 1), 15,
                        "Table 1 batch 15", "IEMOCAP E-2 6 s samples", WIESER_SAMPLES, "§3.2: 8522")
              for s in ("faithful", "joint")]
    return [*khorram, *zhao, *latif, *huang, *wieser]


MODELS: list[ModelSpec] = _models()
BY_NAME: dict[str, ModelSpec] = {m.name: m for m in MODELS}
KHORRAM_CONV = ("khorram2017/dilated", "khorram2017/downup")
KHORRAM_BLSTM = "khorram2017/blstm"
# Khorram §6.2: "one epoch ... about 13 seconds on the convolutional network ... about 10 minutes on the BLSTM".
KHORRAM_PAPER_EPOCH_S = {"conv": 13.0, "blstm": 600.0}
