"""benchmark(): both ELoR schedules build at the smoke shape and train the way benchmarks/ times them."""

import keras
import numpy as np

from reproductions.wieser2018.benchmark import benchmark


def test_specs_build_and_fit_like_the_throughput_worker():
    specs = benchmark()
    assert [s.name for s in specs] == ["wieser2018/elor-faithful", "wieser2018/elor-joint"]
    assert all(s.shape == (96000, 1) and s.batch_size == 15 and s.corpus_size == 8522 for s in specs)

    class Count(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.batches = 0

        def on_train_batch_end(self, batch, logs=None):
            self.batches += 1

    rng = np.random.default_rng(0)
    for spec in specs:
        keras.utils.set_random_seed(0)
        model = spec.build((800, 1))
        x, y = spec.batch((800, 1), 4, rng)
        count = Count()
        model.fit(x, y, batch_size=2, epochs=1, verbose=0, shuffle=False, callbacks=[count])
        assert count.batches == 2 and sum(int(np.prod(v.shape)) for v in model.trainable_variables) > 0
