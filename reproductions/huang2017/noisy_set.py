"""The noisy set of §5.2, mixed on the fly, and the batches the models train on.

For each clean utterance: 20 MUSAN noise clips drawn uniformly without replacement and 3 SNRs drawn
uniformly from [-10, 15] dB; the 60 (clip, SNR) combinations plus the clean utterance make the x61 set.
The plan of (utterance, noise clip, SNR, offset seed) rows is seeded; no mixture is ever written to disk (their
Kaldi frames are, once, in the frame cache: see ``data``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from common.audio import load_audio
from common.cache import FrameStore
from common.corpora import mix_at_snr
from common.engine.passes import sample_batches
from common.training.batches import ShuffledBatches

# §5.2: "20 noise samples are uniformly selected ... 3 levels of the SNR uniformly chosen from [-10, 15]".
N_NOISE_CLIPS = 20
N_SNR_LEVELS = 3
SNR_RANGE_DB = (-10.0, 15.0)
# §6.2: "The size of mini-batch is fixed to 10".
BATCH_SIZE = 10
#: ours: validation, testing and the module analysis predict in batches of one utterance's copies in the x61
#: plan. The padding is masked, so a prediction does not depend on the batch it is in; §6.2's mini-batch is the
#: training batch, and predicting 10 at a time made evaluation most of a training's time.
PREDICT_BATCH_SIZE = 1 + N_NOISE_CLIPS * N_SNR_LEVELS
NOISE_CLIP_CACHE = 256
#: ours: a batch's length is rounded up to a multiple of this many frames (0.32 s). The padding is masked, so the
#: outputs do not change; the JAX backend compiles one step per batch shape, and 2.8 s utterances of a few hundred
#: different lengths would otherwise each cost a compilation in every unit.
FRAME_BUCKET = 32


def n_noisy_copies(noise_factor: float) -> int:
    """Noisy copies kept per utterance: 60 at ``noise_factor`` 1 (the x61 set), at least 1."""
    return max(1, min(N_NOISE_CLIPS * N_SNR_LEVELS, round(N_NOISE_CLIPS * N_SNR_LEVELS * noise_factor)))


def make_plan(utt_ids: Sequence[str], noise_ids: Sequence[str], seed: int, noise_factor: float = 1.0,
              include_clean: bool = True) -> pd.DataFrame:
    """Rows (utt, noise, snr_db, mix_seed); ``noise`` is '' for the clean copy.

    Each utterance draws from its own generator (seeded by ``seed`` and its id), so the plan of an utterance
    does not depend on which other utterances are in the partition. The 60 combinations are shuffled and
    the first ``n_noisy_copies(noise_factor)`` are kept, so smaller factors give nested subsets.
    """
    clips_per_utt = min(N_NOISE_CLIPS, len(noise_ids))  # a twin has fewer than 20 clips
    keep = n_noisy_copies(noise_factor)
    rows = []
    for utt in utt_ids:
        rng = np.random.default_rng([seed, *map(ord, utt)])
        clips = rng.choice(len(noise_ids), size=clips_per_utt, replace=False)
        snrs = rng.uniform(*SNR_RANGE_DB, size=N_SNR_LEVELS)
        combos = [(int(c), float(s)) for c in clips for s in snrs]
        order = rng.permutation(len(combos))[:keep]
        mix_seeds = rng.integers(0, 2**31 - 1, size=len(order))
        if include_clean:
            rows.append((utt, "", math.nan, 0))
        rows += [(utt, noise_ids[combos[i][0]], combos[i][1], int(s)) for i, s in zip(order, mix_seeds, strict=True)]
    return pd.DataFrame(rows, columns=["utt", "noise", "snr_db", "mix_seed"])


def clean_plan(utt_ids: Sequence[str]) -> pd.DataFrame:
    """The clean condition: every utterance once, no noise."""
    return pd.DataFrame({"utt": list(utt_ids), "noise": "", "snr_db": math.nan, "mix_seed": 0})


class NoiseBank:
    """MUSAN clips by id, loaded lazily (16 kHz) and kept in a small LRU cache."""

    def __init__(self, paths: dict[str, str]) -> None:
        self.paths = paths
        self.get = lru_cache(maxsize=NOISE_CLIP_CACHE)(self._load)

    def _load(self, noise_id: str) -> np.ndarray:
        return load_audio(self.paths[noise_id])


def render(plan_row, waves: dict[str, np.ndarray], noise: NoiseBank) -> np.ndarray:
    """The waveform of one plan row: the clean utterance or its mixture at the exact SNR."""
    speech = waves[plan_row.utt]
    if not plan_row.noise:
        return speech
    return mix_at_snr(speech, noise.get(plan_row.noise), plan_row.snr_db,
                      rng=np.random.default_rng(plan_row.mix_seed))


def pad_batch(feats: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Zero-pad (T_i, M, 16) spliced utterances to the longest, rounded up to a multiple of ``FRAME_BUCKET``
    -> (B, T, M, 16, 1) and the (B, T) frame mask."""
    t_max = -(-max(f.shape[0] for f in feats) // FRAME_BUCKET) * FRAME_BUCKET
    x = np.zeros((len(feats), t_max, *feats[0].shape[1:], 1), dtype=np.float32)
    mask = np.zeros((len(feats), t_max), dtype=bool)
    for i, f in enumerate(feats):
        x[i, :f.shape[0], ..., 0] = f
        mask[i, :f.shape[0]] = True
    return x, mask


class MixedBatches(ShuffledBatches):
    """Batches of spliced features computed on the fly from a plan (mixing + features per batch).

    ``featurize(wave) -> (T, M, 16)``. With ``shuffle`` the order is redrawn (seeded) after every epoch.
    Only the plan and the clean waves are held; every mixture is rendered when its batch is asked for, so
    memory does not grow with the noise factor (the x61 set is never materialised). With ``frames`` (the
    plan's Kaldi frames, row by row, from the frame cache) a batch is ``finish(frames[i]) -> (T, M, 16)``
    (normalisation and splicing) instead: the same numbers without mixing or featurising again.
    """

    def __init__(self, plan: pd.DataFrame, waves: dict[str, np.ndarray], labels: dict[str, int],
                 noise: NoiseBank, featurize: Callable[[np.ndarray], np.ndarray], batch_size: int = BATCH_SIZE,
                 shuffle: bool = False, seed: int = 0, speakers: dict[str, str] | None = None,
                 frames: FrameStore | None = None, finish: Callable[[np.ndarray], np.ndarray] | None = None) -> None:
        super().__init__(len(plan), batch_size, shuffle, seed)
        if frames is not None and len(frames) != len(plan):
            raise ValueError(f"frames of {len(frames)} rows given for a plan of {len(plan)} rows")
        if frames is not None and finish is None:
            raise ValueError("batches read from frames need the finish function (normalisation and splicing)")
        self.plan = plan.reset_index(drop=True)
        self.waves, self.labels, self.noise, self.featurize = waves, labels, noise, featurize
        self.frames, self.finish = frames, finish
        self.speaker_of = speakers or {}

    @property
    def y(self) -> np.ndarray:
        """Labels in the (unshuffled) plan order, for scoring predictions."""
        return np.array([self.labels[u] for u in self.plan["utt"]], dtype=np.int64)

    @property
    def speakers(self) -> np.ndarray:
        """The subject of every item in plan order (fixed-width strings; the bootstrap's unit of independence)."""
        return np.array([str(self.speaker_of.get(u, "")) for u in self.plan["utt"]], dtype=str)

    def batch_costs(self) -> np.ndarray:
        """Items x the longest utterance's samples, per batch in order: what predicting each costs, up to a factor
        (a mixture is as long as its utterance)."""
        lengths = np.array([len(self.waves[u]) for u in self.plan["utt"]], dtype=np.int64)
        return np.array([len(p) * lengths[p].max() for p in map(self.items, range(len(self)))], dtype=np.float64)

    def sample(self, k: int, report: Callable[[float], None]) -> SampledBatches:
        """``k`` of these batches for a sampled pass (``common.engine.passes.sample_batches``); ``report`` receives
        the projected seconds of the others after each prediction of the sample."""
        if self.shuffle:
            raise ValueError("only prediction batches (in plan order) are sampled")
        costs = self.batch_costs()
        return SampledBatches(self, sample_batches(costs, k), costs, report)

    def __getitem__(self, index: int):
        positions = self.items(index)
        rows = self.plan.iloc[positions]
        if self.frames is not None:
            feats = [self.finish(self.frames[i]) for i in positions]
        else:
            feats = [self.featurize(render(r, self.waves, self.noise)) for r in rows.itertuples()]
        x, mask = pad_batch(feats)
        y = np.array([self.labels[u] for u in rows["utt"]], dtype=np.int64)
        return (x, mask), y


class SampledBatches(MixedBatches):
    """Some batches of an unshuffled :class:`MixedBatches`, in order: a sampled prediction pass.

    ``source_costs`` are the costs of every batch of ``source`` (``MixedBatches.batch_costs``); ``costs`` keeps the
    sampled batches' and ``unrun_cost`` the others' sum. ``report`` receives the projected seconds of the batches left
    out (``common.engine.passes.unrun_seconds``).
    """

    def __init__(self, source: MixedBatches, batches: np.ndarray, source_costs: np.ndarray,
                 report: Callable[[float], None]) -> None:
        positions = np.concatenate([source.items(i) for i in batches])
        super().__init__(source.plan.iloc[positions], source.waves, source.labels, source.noise, source.featurize,
                         source.batch_size, speakers=source.speaker_of,
                         frames=None if source.frames is None else source.frames.take(positions), finish=source.finish)
        self.costs, self.report = source_costs[batches], report
        self.unrun_cost = float(source_costs.sum() - self.costs.sum())
