"""EmoDB twin: ``wav/<spk><text><emotion><version>.wav`` for the ten real speaker ids."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from common.audio import write_wav
from common.corpora.emodb import EMOTIONS, SPEAKER_GENDER, TEXTS
from common.synth.voice import EMOTIONS as STYLES
from common.synth.voice import SR, make_voice, render, to_unit, utterance_dims

REPS = {"smoke": 2, "small": 7}  # utterances per speaker and emotion


def write(out: Path, rng: np.random.Generator, size: str) -> None:
    for spk, gender in SPEAKER_GENDER.items():
        voice = make_voice(gender, rng)
        for k, (letter, emotion) in enumerate(EMOTIONS.items()):
            for rep in range(REPS[size]):
                v, a, _ = utterance_dims(emotion, rng)
                x = render(voice, to_unit(a), to_unit(v), float(rng.uniform(1.0, 3.0)), rng, STYLES[emotion][3])
                text = TEXTS[(rep + 3 * k) % len(TEXTS)]
                write_wav(out / "wav" / f"{spk}{text}{letter}{'abcdefghij'[rep // len(TEXTS)]}.wav", x, SR)
