"""IEMOCAP twin: ``SessionN/sentences/wav/<dialog>/<utt>.wav`` + ``SessionN/dialog/EmoEvaluation/<dialog>.txt``."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from common.audio import write_wav
from common.synth._jobs import lognormal_seconds, run_jobs, seeds
from common.synth.voice import EMOTIONS, SR, degrade, make_voice, render, to_unit, utterance_dims

CODES = {"neu": "neutral", "hap": "happiness", "exc": "excited", "sad": "sadness", "ang": "anger",
         "fru": "frustration", "sur": "surprise", "fea": "fear", "dis": "disgust", "oth": "other"}
MAIN = ["neu", "hap", "exc", "sad", "ang", "fru"]
MINOR = ["xxx", "oth", "sur", "fea", "dis"]
TURNS = {"smoke": 5, "small": 20}  # turns per speaker per dialog; 4 dialogs per session
# full: the distributed corpus's 10,039 turns (about 12 h) with its consensus-category shares
FULL_TURNS = 10039
FULL_MEAN_SECONDS = 4.3
FULL_CATEGORIES = {"neu": 1708, "fru": 1849, "ang": 1103, "sad": 1084, "exc": 1041, "hap": 595, "sur": 107,
                   "fea": 40, "dis": 2, "oth": 3, "xxx": 2507}
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


def _dialogs(session: int, size: str) -> list[str]:
    """Dialog names of one session: 2 improvisations + 2 scripts, or (full) 16 improvisations and 14 script takes."""
    if size != "full":
        return [f"Ses{session:02d}F_impro01", f"Ses{session:02d}M_impro02",
                f"Ses{session:02d}F_script01_1", f"Ses{session:02d}M_script02_2"]
    impro = [f"Ses{session:02d}{g}_impro{k:02d}" for g in "FM" for k in range(1, 9)]
    takes = ["01_1", "01_2", "01_3", "02_1", "02_2", "03_1", "03_2"]
    return impro + [f"Ses{session:02d}{g}_script{t}" for g in "FM" for t in takes]


def _turns(size: str) -> list[list[int]]:
    """Turns in each dialog of each session, the two speakers alternating (full: 10,039 in all, as the
    distributed corpus)."""
    n_dialogs = len(_dialogs(1, size))
    if size != "full":
        return [[2 * TURNS[size]] * n_dialogs for _ in range(5)]
    per = [len(c) for c in np.array_split(np.arange(FULL_TURNS), 5 * n_dialogs)]
    return [per[s * n_dialogs:(s + 1) * n_dialogs] for s in range(5)]


def _order(n_turns: int) -> list[str]:
    return (["F", "M"] * ((n_turns + 1) // 2))[:n_turns]


def expected_seconds(size: str) -> float:
    turns = sum(sum(t) for t in _turns(size))
    return turns * (FULL_MEAN_SECONDS if size == "full" else 3.6)


def _full_category(rng: np.random.Generator) -> str:
    codes = list(FULL_CATEGORIES)
    p = np.array(list(FULL_CATEGORIES.values()), dtype=float)
    return str(rng.choice(codes, p=p / p.sum()))


def _session(job: tuple) -> None:
    out, session, size, turns, seed, difficulty = job
    rng = np.random.default_rng(seed)
    voices = {g: make_voice(g, rng, difficulty) for g in "FM"}
    dialogs = _dialogs(session, size)
    total = {g: sum(_order(n).count(g) for n in turns) for g in "FM"}
    cats = {g: (_categories(total[g], rng) if size != "full" else [_full_category(rng) for _ in range(total[g])])
            for g in "FM"}
    counter = {"F": 0, "M": 0}
    emo_dir = out / f"Session{session}" / "dialog" / "EmoEvaluation"
    emo_dir.mkdir(parents=True, exist_ok=True)
    for dialog, n_turns in zip(dialogs, turns, strict=True):
        text, clock = [HEADER], 5.0
        turn_index = {"F": 0, "M": 0}
        for g in _order(n_turns):
            i = counter[g]
            code = cats[g][i]
            audio_emotion = CODES[str(rng.choice(MAIN))] if code == "xxx" else CODES[code]
            dims = utterance_dims(audio_emotion, rng, difficulty)
            dur = (lognormal_seconds(rng, FULL_MEAN_SECONDS, 0.55, 0.6, 34.0) if size == "full"
                   else _duration(i, rng))
            uid = f"{dialog}_{g}{turn_index[g]:03d}"
            x = render(voices[g], to_unit(dims[1]), to_unit(dims[0]), dur, rng, EMOTIONS[audio_emotion][3])
            write_wav(out / f"Session{session}" / "sentences" / "wav" / dialog / f"{uid}.wav",
                      degrade(x, rng, difficulty), SR)
            text.append(_block(uid, clock, clock + dur, code, dims, rng, f"{g}1"))
            clock += dur + float(rng.uniform(0.3, 2.0))
            counter[g] += 1
            turn_index[g] += 1
        (emo_dir / f"{dialog}.txt").write_text("".join(text), encoding="utf-8")


def write(out: Path, rng: np.random.Generator, size: str, difficulty: float = 0.0) -> None:
    turns = _turns(size)
    jobs = [(out, session, size, turns[session - 1], seed, difficulty)
            for session, seed in zip(range(1, 6), seeds(rng, 5), strict=True)]
    run_jobs(_session, jobs, parallel=size != "smoke")
