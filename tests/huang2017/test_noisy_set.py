"""The seeded x61 plan of §5.2 and the achieved SNR of the on-the-fly mixtures."""

import numpy as np
import pytest

from reproductions.huang2017.noisy_set import FRAME_BUCKET, SNR_RANGE_DB, make_plan, n_noisy_copies, pad_batch, render


class Bank:
    def __init__(self, clips):
        self.clips = clips

    def get(self, noise_id):
        return self.clips[noise_id]


def test_plan_is_x61_seeded_and_nested():
    noise_ids = [f"n{i}" for i in range(50)]
    plan = make_plan(["u1", "u2"], noise_ids, seed=3)
    assert len(plan) == 2 * 61
    one = plan[plan.utt == "u1"]
    noisy = one[one.noise != ""]
    assert len(noisy) == 60 and noisy.noise.nunique() == 20 and noisy.snr_db.nunique() == 3
    assert noisy.snr_db.between(*SNR_RANGE_DB).all()
    assert plan.equals(make_plan(["u1", "u2"], noise_ids, seed=3))
    assert not plan.equals(make_plan(["u1", "u2"], noise_ids, seed=4))
    small = make_plan(["u1", "u2"], noise_ids, seed=3, noise_factor=0.1)
    assert len(small) == 2 * (1 + 6) and n_noisy_copies(1 / 60) == 1
    # the plan of u1 does not depend on the other utterances of the partition
    assert make_plan(["u1"], noise_ids, seed=3).equals(one.reset_index(drop=True))


@pytest.mark.parametrize("noise_len", [4000, 40000])  # shorter (looped) and longer (cropped) than speech
def test_rendered_mixture_has_the_planned_snr(noise_len):
    rng = np.random.default_rng(0)
    speech = (0.1 * rng.normal(size=16000)).astype(np.float32)
    bank = Bank({"n0": rng.normal(size=noise_len).astype(np.float32), "n1": rng.normal(size=noise_len)})
    plan = make_plan(["u"], ["n0", "n1"], seed=0)
    for row in plan[plan.noise != ""].itertuples():
        mix = render(row, {"u": speech}, bank)
        noise = mix.astype(np.float64) - speech
        snr = 10 * np.log10(np.mean(speech.astype(np.float64) ** 2) / np.mean(noise ** 2))
        assert snr == pytest.approx(row.snr_db, abs=1e-3)
    clean = plan[plan.noise == ""].iloc[0]
    assert render(clean, {"u": speech}, bank) is speech


def test_pad_batch_mask():
    x, mask = pad_batch([np.ones((3, 13, 16)), np.ones((5, 13, 16))])
    assert x.shape == (2, FRAME_BUCKET, 13, 16, 1) and mask.sum(axis=1).tolist() == [3, 5]
    assert not x[0, 3:].any() and not x[1, 5:].any()
    assert pad_batch([np.ones((FRAME_BUCKET + 1, 13, 16))])[0].shape[1] == 2 * FRAME_BUCKET  # one shape per bucket


def test_batches_read_from_the_frame_cache_equal_batches_mixed_on_the_fly(enterface_twin, musan_twin, tmp_path,
                                                                        monkeypatch):
    from common.splits import subject_tvt
    from reproductions.huang2017.data import ConditionData, Partitioned
    from reproductions.huang2017.noisy_set import MixedBatches
    from reproductions.huang2017.protocol import TVT_RATIOS

    monkeypatch.setenv("SEREPROD_CACHE", str(tmp_path))
    part = Partitioned.load(enterface_twin, musan_twin, subject_tvt(enterface_twin.table, TVT_RATIOS, seed=0))
    cond = ConditionData.build(part, "log-Mels", noise_factor=0.05, seed=0)
    for batches in (cond.train, cond.val["noisy"], cond.test["clean"], cond.clean(part.fold.val)):
        assert batches.frames is not None and len(batches.frames) == len(batches.plan)
        live = MixedBatches(batches.plan, part.waves, part.labels, part.noise, cond.featurize, batches.batch_size)
        live.order = batches.order  # the training batches are shuffled
        for i in range(len(live)):
            (x, mask), y = batches[i]
            (x_live, mask_live), y_live = live[i]
            np.testing.assert_array_equal(x, x_live)
            np.testing.assert_array_equal(mask, mask_live)
            np.testing.assert_array_equal(y, y_live)
    assert len(list((tmp_path / "features" / "huang2017-noisy-frames").glob("*.f32"))) == 5
