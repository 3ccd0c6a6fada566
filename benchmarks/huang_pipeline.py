"""Section 4 on Huang's noisy set (§5.2): batches mixed and featurised on the fly vs the same batches preloaded.

``MixedBatches`` renders each noisy copy (MUSAN clip at an exact SNR), computes Kaldi log-Mels and splices them
for every batch of every epoch; the preloaded side feeds the very same batches, computed once, through the same
``PyDataset`` machinery, so the difference is the on-the-fly loader alone.
"""

from __future__ import annotations

import keras

from benchmarks.khorram_paths import _alternate
from benchmarks.rows import Row, ratio_rows
from benchmarks.stats import Summary, repeat

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


class FirstBatches(keras.utils.PyDataset):
    """The first ``n`` batches of another PyDataset, computed on every access."""

    def __init__(self, source: keras.utils.PyDataset, n: int) -> None:
        super().__init__()
        self.source, self.n = source, min(n, len(source))

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, index: int):
        return self.source[index]


def noisy_pipeline(n_batches: int, reps: int, smoke: bool) -> list[Row]:
    """Steps/s of T-CLDNN training fed by ``MixedBatches`` against the same batches preloaded."""
    from common.corpora import open_corpus
    from common.splits import subject_tvt
    from common.training import set_seed
    from reproductions.huang2017.benchmark import FILTERS as HUANG_FILTERS
    from reproductions.huang2017.data import ConditionData, Partitioned
    from reproductions.huang2017.models import N_MELS, build_cldnn
    from reproductions.huang2017.protocol import TVT_RATIOS

    corpus, noise = open_corpus("enterface"), open_corpus("musan")
    part = Partitioned.load(corpus, noise, subject_tvt(corpus.table, TVT_RATIOS, seed=0))
    data = ConditionData.build(part, FEATURE, noise_factor=1.0, seed=0)
    live = FirstBatches(data.train, 1 if smoke else n_batches)
    cached = Preloaded([live[i] for i in range(len(live))])
    set_seed(0)
    # One model for both feeds: the batches are identical, so both share one traced train function.
    model = build_cldnn(CONV_TYPE, N_MELS, data.n_classes, **HUANG_FILTERS[CONV_TYPE])
    live_t, cached_t = _alternate(lambda: model.fit(live, epochs=1, verbose=0),
                                  lambda: model.fit(cached, epochs=1, verbose=0), reps, warm_up=not smoke)
    steps = len(live)
    batch_t = Summary.of([t / steps for t in repeat(lambda: [live[i] for i in range(steps)], reps, warmup=0)])
    note = (f"huang2017 {CONV_TYPE}-CLDNN ({FEATURE}), {steps} batches of {data.train.batch_size} twin utterances, "
            "MixedBatches (mix + Kaldi fbank + splice per batch) vs the same batches precomputed")
    return [Row("pipeline", "noisy set on the fly (MixedBatches)", "throughput", "steps/s",
                Summary.of([steps / t for t in live_t]), note=note),
            Row("pipeline", "noisy set preloaded", "throughput", "steps/s",
                Summary.of([steps / t for t in cached_t]), note=note),
            Row("pipeline", "noisy set: MixedBatches alone, per batch", "wall time", "s", batch_t, note=note),
            ratio_rows("pipeline", "preloaded / on-the-fly steps/s (noisy set)", "throughput ratio", live_t,
                       cached_t, target="<= 1.05", note=note)]
