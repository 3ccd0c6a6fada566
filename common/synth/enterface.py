"""eNTERFACE'05 twin: ``subject N/<emotion>/sentence N/sN_<em>_N.avi`` with 48 kHz PCM audio in an AVI.

Irregularities of the copies in circulation are reproduced: subject 6 has no ``sentence N`` level,
subject 23 has only two happiness utterances (Huang §5.1: 42 x 6 x 5 - 3 = 1,257 in ``full``), and subject
11's files are named ``s12_*`` like subject 12's.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from common.atomic import atomic_path
from common.audio import resample
from common.corpora.enterface import ABBREV
from common.synth._jobs import run_jobs, seeds
from common.synth.voice import EMOTIONS as STYLES
from common.synth.voice import SR, degrade, make_voice, render, to_unit, utterance_dims

# (subjects, sentences per emotion); full = Huang §5.1: 42 subjects, 1,257 utterances of about 2.8 s
SUBJECTS = {"smoke": ([1, 2, 3, 4, 6, 11, 12, 23], 3), "small": (list(range(1, 21)) + [23], 5),
            "full": (list(range(1, 43)), 5)}
SHORT_COUNT = 2  # subject 23 has only two happiness utterances
FLAT_SUBJECT, SHORT_SUBJECT = 6, 23
MISNAMED_SUBJECT, NAMED_AS = 11, 12  # subject 11's files carry subject 12's prefix in the distributed copy
AUDIO_SR, FPS, SIDE = 48000, 5, 16


def write_avi(path: Path, x: np.ndarray, sr: int = AUDIO_SR) -> None:
    """A tiny AVI: 16x16 mpeg4 video at 5 fps plus mono pcm_s16le audio, written atomically."""
    pcm = np.round(np.clip(x, -1, 32767 / 32768) * 32768).astype(np.int16)
    with atomic_path(path) as tmp, av.open(str(tmp), "w", format="avi") as c:
        video = c.add_stream("mpeg4", rate=FPS)
        video.width, video.height, video.pix_fmt = SIDE, SIDE, "yuv420p"
        audio = c.add_stream("pcm_s16le", rate=sr)
        audio.layout = "mono"
        for i in range(int(np.ceil(len(pcm) / sr * FPS))):
            frame = av.VideoFrame.from_ndarray(np.full((SIDE, SIDE, 3), (i * 16) % 256, np.uint8), format="rgb24")
            c.mux(video.encode(frame))
        step = sr // FPS
        for i in range(0, len(pcm), step):
            frame = av.AudioFrame.from_ndarray(pcm[None, i:i + step], format="s16", layout="mono")
            frame.sample_rate, frame.pts = sr, i
            c.mux(audio.encode(frame))
        c.mux(video.encode(None))
        c.mux(audio.encode(None))


def expected_seconds(size: str) -> float:
    subjects, sentences = SUBJECTS[size]
    return len(subjects) * 6 * sentences * 2.75


def _subject(job: tuple) -> None:
    out, subject, sentences, seed, difficulty = job
    rng = np.random.default_rng(seed)
    voice = make_voice("F" if rng.random() < 0.2 else "M", rng, difficulty)
    for abbr, emotion in ABBREV.items():
        n = SHORT_COUNT if (subject == SHORT_SUBJECT and emotion == "happiness") else sentences
        for k in range(1, n + 1):
            v, a, _ = utterance_dims(emotion, rng, difficulty)
            x = render(voice, to_unit(a), to_unit(v), float(rng.uniform(1.5, 4.0)), rng, STYLES[emotion][3])
            x = degrade(x, rng, difficulty)
            folder = out / f"subject {subject}" / emotion
            if subject != FLAT_SUBJECT:
                folder = folder / f"sentence {k}"
            prefix = NAMED_AS if subject == MISNAMED_SUBJECT else subject
            write_avi(folder / f"s{prefix}_{abbr}_{k}.avi", resample(x, SR, AUDIO_SR))


def write(out: Path, rng: np.random.Generator, size: str, difficulty: float = 0.0) -> None:
    subjects, sentences = SUBJECTS[size]
    jobs = [(out, subject, sentences, seed, difficulty)
            for subject, seed in zip(subjects, seeds(rng, len(subjects)), strict=True)]
    run_jobs(_subject, jobs, parallel=size != "smoke")
