"""IEMOCAP twin: ``SessionN/sentences/wav/<dialog>/<utt>.wav`` + ``SessionN/dialog/EmoEvaluation/<dialog>.txt``."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from common.audio import write_wav
from common.synth.voice import EMOTIONS, SR, make_voice, render, to_unit, utterance_dims

CODES = {"neu": "neutral", "hap": "happiness", "exc": "excited", "sad": "sadness", "ang": "anger",
         "fru": "frustration", "sur": "surprise", "fea": "fear", "dis": "disgust", "oth": "other"}
MAIN = ["neu", "hap", "exc", "sad", "ang", "fru"]
MINOR = ["xxx", "oth", "sur", "fea", "dis"]
TURNS = {"smoke": 5, "small": 20}  # turns per speaker per dialog; 4 dialogs per session
HEADER = "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]\n\n"
EVALUATORS = ["E1", "E2", "E3", "E4"]


def _categories(n: int, rng: np.random.Generator) -> list[str]:
    """Every main category at least twice and every minor one (incl. xxx, oth) at least once per speaker."""
    reps = max(2, n // 8)
    cats = MAIN * reps + MINOR * max(1, n // 40)
    cats += list(rng.choice(MAIN, size=max(0, n - len(cats))))
    rng.shuffle(cats)
    return cats[:n]


def _duration(i: int, rng: np.random.Generator) -> float:
    """Mostly 1.5-5 s; every tenth turn 6-8 s and another > 8 s, so slicing/cropping rules are exercised."""
    if i % 10 == 3:
        return float(rng.uniform(6.2, 7.9))
    if i % 10 == 7:
        return float(rng.uniform(8.1, 9.0))
    return float(rng.uniform(1.5, 5.0))


def _block(uid: str, start: float, end: float, code: str, dims, rng: np.random.Generator, self_eval: str) -> str:
    """One EmoEvaluation block: consensus line, categorical and dimensional evaluator lines."""
    if code == "xxx":
        votes = [CODES[c] for c in rng.choice(MAIN, size=3, replace=False)]
    else:
        other = CODES[str(rng.choice(MAIN))]
        votes = [CODES[code], CODES[code], other if rng.random() < 0.5 else CODES[code]]
    evaluators = sorted(rng.choice(EVALUATORS, size=3, replace=False).tolist())
    if rng.random() < 0.85 and "E2" not in evaluators:  # E-2 rates most, not all, turns (Wieser §3.2)
        evaluators[0] = "E2"
        evaluators.sort()
    lines = []
    for e, vote in zip(evaluators, votes, strict=True):
        lines.append(f"C-{e}:\t{vote.capitalize()};\t()")
    if rng.random() < 0.5:
        lines.append(f"C-{self_eval}:\t{votes[0].capitalize()};\t()")
    ratings = [np.clip(np.round(np.asarray(dims) + rng.normal(0, 0.45, 3)), 1, 5).astype(int) for _ in evaluators]
    for e, (v, a, d) in zip(evaluators, ratings, strict=True):
        lines.append(f"A-{e}:\tval {v}; act {a}; dom  {d};\t()")
    mean = np.mean(ratings, axis=0)
    head = f"[{start:.4f} - {end:.4f}]\t{uid}\t{code}\t[{mean[0]:.4f}, {mean[1]:.4f}, {mean[2]:.4f}]"
    return "\n".join([head] + lines) + "\n\n"


def write(out: Path, rng: np.random.Generator, size: str) -> None:
    turns = TURNS[size]
    for session in range(1, 6):
        voices = {g: make_voice(g, rng) for g in "FM"}
        dialogs = [f"Ses{session:02d}F_impro01", f"Ses{session:02d}M_impro02",
                   f"Ses{session:02d}F_script01_1", f"Ses{session:02d}M_script02_2"]
        cats = {g: _categories(turns * len(dialogs), rng) for g in "FM"}
        counter = {"F": 0, "M": 0}
        emo_dir = out / f"Session{session}" / "dialog" / "EmoEvaluation"
        emo_dir.mkdir(parents=True, exist_ok=True)
        for dialog in dialogs:
            text, clock = [HEADER], 5.0
            order = ["F", "M"] * turns
            turn_index = {"F": 0, "M": 0}
            for g in order:
                i = counter[g]
                code = cats[g][i]
                audio_emotion = CODES[str(rng.choice(MAIN))] if code == "xxx" else CODES[code]
                dims = utterance_dims(audio_emotion, rng)
                dur = _duration(i, rng)
                uid = f"{dialog}_{g}{turn_index[g]:03d}"
                x = render(voices[g], to_unit(dims[1]), to_unit(dims[0]), dur, rng, EMOTIONS[audio_emotion][3])
                write_wav(out / f"Session{session}" / "sentences" / "wav" / dialog / f"{uid}.wav", x, SR)
                text.append(_block(uid, clock, clock + dur, code, dims, rng, f"{g}1"))
                clock += dur + float(rng.uniform(0.3, 2.0))
                counter[g] += 1
                turn_index[g] += 1
            (emo_dir / f"{dialog}.txt").write_text("".join(text), encoding="utf-8")
