"""eNTERFACE'05 twin: ``subject N/<emotion>/sentence N/sN_<em>_N.avi`` with 48 kHz PCM audio in an AVI.

Irregularities of the copies in circulation are reproduced: subject 6 has no ``sentence N`` level,
subject 23 has one happiness utterance fewer than the others (Huang §5.1), and subject 11's files are
named ``s12_*`` like subject 12's.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from common.atomic import atomic_path
from common.audio import resample
from common.corpora.enterface import ABBREV
from common.synth.voice import EMOTIONS as STYLES
from common.synth.voice import SR, make_voice, render, to_unit, utterance_dims

SUBJECTS = {"smoke": ([1, 2, 3, 4, 6, 11, 12, 23], 3), "small": (list(range(1, 21)) + [23], 5)}
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


def write(out: Path, rng: np.random.Generator, size: str) -> None:
    subjects, sentences = SUBJECTS[size]
    for subject in subjects:
        voice = make_voice("F" if rng.random() < 0.2 else "M", rng)
        for abbr, emotion in ABBREV.items():
            n = sentences - 1 if (subject == SHORT_SUBJECT and emotion == "happiness") else sentences
            for k in range(1, n + 1):
                v, a, _ = utterance_dims(emotion, rng)
                x = render(voice, to_unit(a), to_unit(v), float(rng.uniform(1.5, 4.0)), rng, STYLES[emotion][3])
                folder = out / f"subject {subject}" / emotion
                if subject != FLAT_SUBJECT:
                    folder = folder / f"sentence {k}"
                prefix = NAMED_AS if subject == MISNAMED_SUBJECT else subject
                write_avi(folder / f"s{prefix}_{abbr}_{k}.avi", resample(x, SR, AUDIO_SR))
