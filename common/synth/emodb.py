"""EmoDB twin: ``wav/<spk><text><emotion><version>.wav`` for the ten real speaker ids.

``full`` has the distributed corpus's 535 utterances with its per-emotion counts (Burkhardt et al. 2005,
as Zhao §3.5 uses them) and durations of 1.2-9 s.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from common.audio import write_wav
from common.corpora.emodb import EMOTIONS, SPEAKER_GENDER, TEXTS
from common.synth._jobs import lognormal_seconds, run_jobs, seeds
from common.synth.voice import EMOTIONS as STYLES
from common.synth.voice import SR, degrade, make_voice, render, to_unit, utterance_dims

REPS = {"smoke": 2, "small": 7}  # utterances per speaker and emotion
FULL_COUNTS = {"anger": 127, "boredom": 81, "disgust": 46, "fear": 69, "happiness": 71, "sadness": 62,
               "neutral": 79}  # the 535 utterances of the distributed corpus
AUDIO_SR = SR


def _counts(size: str) -> dict[str, list[int]]:
    """Utterances per emotion for each of the ten speakers."""
    speakers = len(SPEAKER_GENDER)
    if size == "full":
        return {e: [len(c) for c in np.array_split(np.arange(n), speakers)] for e, n in FULL_COUNTS.items()}
    return {e: [REPS[size]] * speakers for e in FULL_COUNTS}


def expected_seconds(size: str) -> float:
    return sum(sum(c) for c in _counts(size).values()) * (2.8 if size == "full" else 2.0)


def _speaker(job: tuple) -> None:
    out, index, spk, gender, counts, seed, size, difficulty = job
    rng = np.random.default_rng(seed)
    voice = make_voice(gender, rng, difficulty)
    for k, (letter, emotion) in enumerate(EMOTIONS.items()):
        for rep in range(counts[emotion][index]):
            v, a, _ = utterance_dims(emotion, rng, difficulty)
            seconds = lognormal_seconds(rng, 2.8, 0.45, 1.2, 9.0) if size == "full" else float(rng.uniform(1.0, 3.0))
            x = degrade(render(voice, to_unit(a), to_unit(v), seconds, rng, STYLES[emotion][3]), rng, difficulty)
            text = TEXTS[(rep + 3 * k) % len(TEXTS)]
            write_wav(out / "wav" / f"{spk}{text}{letter}{'abcdefghij'[rep // len(TEXTS)]}.wav", x, SR)


def write(out: Path, rng: np.random.Generator, size: str, difficulty: float = 0.0) -> None:
    counts = _counts(size)
    speakers = list(SPEAKER_GENDER.items())
    jobs = [(out, i, spk, g, counts, s, size, difficulty)
            for i, ((spk, g), s) in enumerate(zip(speakers, seeds(rng, len(speakers)), strict=True))]
    run_jobs(_speaker, jobs, parallel=size != "smoke")
