"""Section 4 on Huang's noisy set (§5.2): batches mixed and featurised on the fly, read from the frame cache, and
preloaded.

On the fly, ``MixedBatches`` renders each noisy copy (MUSAN clip at an exact SNR), computes Kaldi log-Mels and
splices them for every batch of every epoch; from the frame cache (what the reproduction uses) it reads the
copies' Kaldi frames, memory-mapped, and only normalises and splices them; the preloaded side feeds the very same
batches, computed once, through the same ``PyDataset`` machinery, so the difference is the loader alone. The
batches are a seeded sample of copies of the full-size twin's noisy training plan (2.8 s utterances).
"""

from __future__ import annotations

import keras

from benchmarks.khorram_paths import _alternate
from benchmarks.rows import Row, ratio_rows
from benchmarks.stats import Summary

FEATURE = "log-Mels"
CONV_TYPE = "T"  # T-CLDNN (log-Mels): one of Table 4's models, with mid-range Table 2 filters


class Preloaded(keras.utils.PyDataset):
    """Fixed, precomputed batches."""

    def __init__(self, batches: list) -> None:
        super().__init__()
        self.batches = batches

    def __len__(self) -> int:
        return len(self.batches)

    def __getitem__(self, index: int):
        return self.batches[index]


def noisy_pipeline(n_batches: int, reps: int, smoke: bool) -> list[Row]:
    """Steps/s of T-CLDNN training fed by ``MixedBatches`` on the fly against the same batches preloaded, and the
    loader's seconds per batch on the fly and from the frame cache."""
    from functools import partial

    from common.corpora import open_corpus
    from common.splits import subject_tvt
    from common.training import set_seed
    from common.training.batches import varying_length
    from reproductions.huang2017.benchmark import FILTERS as HUANG_FILTERS
    from reproductions.huang2017.data import Partitioned, normalised_splice, spliced
    from reproductions.huang2017.models import N_MELS, build_cldnn
    from reproductions.huang2017.noisy_set import BATCH_SIZE, MixedBatches, make_plan
    from reproductions.huang2017.protocol import TVT_RATIOS

    size = "smoke" if smoke else "full"
    corpus, noise = open_corpus("enterface", size=size), open_corpus("musan", size=size)
    part = Partitioned.load(corpus, noise, subject_tvt(corpus.table, TVT_RATIOS, seed=0))
    plan = make_plan(part.fold.train, part.noise_ids, seed=0)
    plan = plan.sample(n=min(len(plan), (1 if smoke else n_batches) * BATCH_SIZE), random_state=0)
    mean, std = part.norm_stats(FEATURE)
    featurize = partial(spliced, feature=FEATURE, mean=mean, std=std)
    live = MixedBatches(plan, part.waves, part.labels, part.noise, featurize)
    from_cache = MixedBatches(plan, part.waves, part.labels, part.noise, featurize, frames=part.frames(plan, FEATURE),
                              finish=partial(normalised_splice, mean=mean, std=std))
    cached = Preloaded([live[i] for i in range(len(live))])
    set_seed(0)
    # One model for both feeds: the batches are identical, so both share one traced train function.
    model = build_cldnn(CONV_TYPE, N_MELS, len(part.classes), **HUANG_FILTERS[CONV_TYPE])
    # Sampled copies differ in length from batch to batch: both feeds go through the suite's varying-length path.
    live_t, cached_t = _alternate(lambda: model.fit(varying_length(live), epochs=1, shuffle=False, verbose=0),
                                  lambda: model.fit(varying_length(cached), epochs=1, shuffle=False, verbose=0),
                                  reps, warm_up=not smoke)
    steps = len(live)
    live_batch, cache_batch = _alternate(lambda: [live[i] for i in range(steps)],
                                         lambda: [from_cache[i] for i in range(steps)], reps, warm_up=not smoke)
    note = (f"huang2017 {CONV_TYPE}-CLDNN ({FEATURE}), {steps} batches of {BATCH_SIZE} copies sampled from the "
            f"{size} twin's x61 training plan; MixedBatches on the fly (mix + Kaldi fbank + splice per batch) vs "
            "the frame cache (memory-mapped Kaldi frames; normalise + splice per batch) vs the same batches "
            "precomputed")
    return [Row("pipeline", "noisy set on the fly (MixedBatches)", "throughput", "steps/s",
                Summary.of([steps / t for t in live_t]), note=note),
            Row("pipeline", "noisy set preloaded", "throughput", "steps/s",
                Summary.of([steps / t for t in cached_t]), note=note),
            Row("pipeline", "noisy set: MixedBatches alone, per batch", "wall time", "s",
                Summary.of([t / steps for t in live_batch]), note=note),
            Row("pipeline", "noisy set: frame cache alone, per batch", "wall time", "s",
                Summary.of([t / steps for t in cache_batch]), note=note),
            ratio_rows("pipeline", "preloaded / on-the-fly steps/s (noisy set)", "throughput ratio", live_t,
                       cached_t, target="<= 1.05", note=note),
            ratio_rows("pipeline", "on-the-fly / frame-cache loader time (noisy set)", "speed-up", live_batch,
                       cache_batch, note=note)]
