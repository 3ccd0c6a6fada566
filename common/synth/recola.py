"""RECOLA/AVEC 2016 twin: ``recordings_audio/*.wav`` (44.1 kHz) and gold-standard ARFF at 40 ms.

Arousal and valence are smooth trajectories in [-1, 1] (low-passed at 0.15 Hz, so almost all of their
power lies below 1 Hz, as Khorram §5.2 measures on RECOLA); the voice follows them continuously.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from common.audio import resample, write_wav
from common.corpora.recola import FRAME_STEP, write_avec_arff
from common.synth._jobs import run_jobs, seeds
from common.synth.voice import CTRL, SR, degrade, make_voice, render, smooth_noise

# recordings per partition, seconds each; full = AVEC 2016: 9 + 9 + 9 five-minute recordings (Khorram §3)
FILES = {"smoke": (3, 60.0), "small": (9, 60.0), "full": (9, 300.0)}
AUDIO_SR = 44100


def _activity(duration: float, rng: np.random.Generator) -> np.ndarray:
    """Speech on for 3-10 s, off (the partner's turn) for 0.5-2 s, at ``CTRL`` Hz with soft edges."""
    n = int(np.ceil(duration * CTRL)) + 1
    act = np.zeros(n)
    t = 0.0
    while t < duration:
        on = rng.uniform(3, 10)
        act[int(t * CTRL):int(min(t + on, duration) * CTRL) + 1] = 1.0
        t += on + rng.uniform(0.5, 2.0)
    return np.convolve(act, np.ones(5) / 5, mode="same")


def expected_seconds(size: str) -> float:
    per_partition, duration = FILES[size]
    return 3 * per_partition * duration


def write(out: Path, rng: np.random.Generator, size: str, difficulty: float = 0.0) -> None:
    per_partition, duration = FILES[size]
    stems = [(p, f"{p}_{k}") for p in ("train", "dev", "test") for k in range(1, per_partition + 1)]
    jobs = [(out, partition, stem, duration, seed, difficulty)
            for (partition, stem), seed in zip(stems, seeds(rng, len(stems)), strict=True)]
    run_jobs(_recording, jobs, parallel=size != "smoke")


def _recording(job: tuple) -> None:
    out, partition, stem, duration, seed, difficulty = job
    rng = np.random.default_rng(seed)
    voice = make_voice(str(rng.choice(["F", "M"])), rng, difficulty)
    times = np.arange(int(round(duration / FRAME_STEP)) + 1) * FRAME_STEP
    traj = {}
    for dim in ("arousal", "valence"):
        z = smooth_noise(len(times), rng, 0.15, 1 / FRAME_STEP)
        traj[dim] = np.clip(0.4 * z + rng.normal(0.1, 0.1), -1.0, 1.0)
    ctrl_t = np.arange(int(np.ceil(duration * CTRL)) + 1) / CTRL
    # difficulty: the voice follows a blurred copy of the gold standard (raters and speaker disagree)
    heard = {d: traj[d] + difficulty * 0.4 * smooth_noise(len(times), rng, 0.15, 1 / FRAME_STEP) for d in traj}
    a, v = (np.interp(ctrl_t, times, heard[d]) for d in ("arousal", "valence"))
    x = degrade(render(voice, a, v, duration, rng, activity=_activity(duration, rng)), rng, difficulty)
    write_wav(out / "recordings_audio" / f"{stem}.wav", resample(x, SR, AUDIO_SR), AUDIO_SR)
    if partition != "test":  # AVEC 2016 does not distribute test labels
        for dim in ("arousal", "valence"):
            write_avec_arff(out / "ratings_gold_standard" / dim / f"{stem}.arff", stem, times, traj[dim])
