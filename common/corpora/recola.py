"""RECOLA as distributed for AVEC 2016 (the folder holding ``recordings_audio/``); used by Khorram §5.

Audio: ``recordings_audio/{train,dev,test}_N.wav``. Gold standard:
``ratings_gold_standard/{arousal,valence}/{train,dev}_N.arff`` with the attributes Instance_name,
frameTime and GoldStandard, one row every 40 ms. Test labels are not distributed: test rows are kept
with ``arousal = valence = label_times = None``, and predictions are written back with
:func:`write_avec_arff` in the same form for submission.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from common.atomic import atomic_write_text
from common.corpora._base import ReadReport, finish, is_hidden, probe_audio, require_layout
from common.errors import LabelFormatError

CORPUS = "RECOLA"
DIMENSIONS = ("arousal", "valence")
FRAME_STEP = 0.04
ATTRIBUTES = ("Instance_name", "frameTime", "GoldStandard")
EXPECTED = ["recordings_audio/{train,dev,test}_N.wav",
            "ratings_gold_standard/{arousal,valence}/{train,dev}_N.arff"]
EXTRA_COLUMNS = ["partition", "arousal", "valence", "label_times"]
_STEM = re.compile(r"^(train|dev|test)_(\d+)$")


def _matches(root: Path) -> bool:
    return (root / "recordings_audio").is_dir() and any(
        _STEM.match(p.stem) for p in (root / "recordings_audio").glob("*.wav"))


def read_arff(path: str | os.PathLike) -> tuple[str, np.ndarray, np.ndarray]:
    """(instance_name, frame_times, values) of one AVEC gold-standard ARFF file.

    Raises ``LabelFormatError`` naming the file and line when the attributes or a data row do not parse.
    """
    path = Path(path)
    attrs: list[str] = []
    names: list[str] = []
    times: list[float] = []
    values: list[float] = []
    in_data = False
    for lineno, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        low = line.lower()
        if not in_data:
            if low.startswith("@attribute"):
                parts = line.split()
                if len(parts) < 3:
                    raise LabelFormatError(f"{path}:{lineno}: malformed attribute line {raw!r}")
                attrs.append(parts[1].strip("'\""))
            elif low.startswith("@data"):
                if [a.lower() for a in attrs] != [a.lower() for a in ATTRIBUTES]:
                    raise LabelFormatError(
                        f"{path}: attributes {attrs} found; expected {list(ATTRIBUTES)} (AVEC 2016 gold standard)")
                in_data = True
            elif not low.startswith("@relation"):
                raise LabelFormatError(f"{path}:{lineno}: unexpected header line {raw!r}")
            continue
        fields = [x.strip().strip("'\"") for x in line.split(",")]
        try:
            if len(fields) != 3:
                raise ValueError
            names.append(fields[0])
            times.append(float(fields[1]))
            values.append(float(fields[2]))
        except ValueError:
            raise LabelFormatError(
                f"{path}:{lineno}: malformed data row {raw!r}; expected 'Instance_name,frameTime,GoldStandard'"
            ) from None
    if not in_data:
        raise LabelFormatError(f"{path}: no @data section; expected an ARFF file with attributes {list(ATTRIBUTES)}")
    if not values:
        raise LabelFormatError(f"{path}: the @data section is empty")
    t = np.asarray(times, dtype=np.float64)
    if np.any(np.diff(t) <= 0):
        raise LabelFormatError(f"{path}: frameTime is not strictly increasing")
    if len(set(names)) != 1:
        raise LabelFormatError(f"{path}: several Instance_name values {sorted(set(names))[:3]}")
    return names[0], t, np.asarray(values, dtype=np.float32)


def write_avec_arff(path: str | os.PathLike, instance_name: str, frame_times, values) -> None:
    """Write predictions in the AVEC 2016 gold-standard ARFF form (for test submission), atomically."""
    path = Path(path)
    frame_times = np.asarray(frame_times, dtype=np.float64).reshape(-1)
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if frame_times.shape != values.shape:
        raise ValueError(f"{len(frame_times)} frame times but {len(values)} values")
    lines = ["@relation GoldStandard", ""]
    lines += [f"@attribute {a} {'string' if a == 'Instance_name' else 'numeric'}" for a in ATTRIBUTES]
    lines += ["", "@data", ""]
    lines += [f"'{instance_name}',{t:.2f},{v:.6f}" for t, v in zip(frame_times, values, strict=True)]
    atomic_write_text(path, "\n".join(lines) + "\n")


def read_recola(root: str | os.PathLike) -> pd.DataFrame:
    """One row per recording; ``partition`` (= ``session``) in {train, dev, test}; one speaker per recording."""
    root = require_layout(root, CORPUS, EXPECTED, _matches)
    report = ReadReport(CORPUS, str(root))
    audio = {p.stem: p for p in sorted((root / "recordings_audio").glob("*.wav")) if not is_hidden(p)}
    gold: dict[str, dict[str, Path]] = {}
    for dim in DIMENSIONS:
        d = root / "ratings_gold_standard" / dim
        for p in sorted(d.glob("*.arff")) if d.is_dir() else []:
            if not is_hidden(p):
                gold.setdefault(p.stem, {})[dim] = p
    rows = []
    for stem in sorted(set(audio) | set(gold)):
        report.found += 1
        m = _STEM.match(stem)
        if not m:
            report.drop("file name is not {train,dev,test}_N", stem)
            continue
        partition = m.group(1)
        if stem not in audio:
            report.drop("label file without audio", stem)
            continue
        labels: dict[str, np.ndarray | None] = {"arousal": None, "valence": None, "label_times": None}
        if partition == "test":
            if stem in gold:
                report.note("test gold standard present (kept; AVEC 2016 does not distribute it)", stem)
        else:
            missing = [d for d in DIMENSIONS if d not in gold.get(stem, {})]
            if missing:
                report.drop(f"no gold standard for {'/'.join(missing)}", stem)
                continue
            series = {d: read_arff(gold[stem][d]) for d in DIMENSIONS}
            (_, ta, a), (_, tv, v) = series["arousal"], series["valence"]
            if len(ta) != len(tv) or not np.allclose(ta, tv):
                report.drop("arousal and valence frame times differ", stem)
                continue
            steps = np.diff(ta)
            if len(steps) and not np.allclose(steps, FRAME_STEP, atol=1e-3):
                report.note("gold standard not on a 40 ms grid (kept)", stem)
            labels = {"arousal": a, "valence": v, "label_times": ta}
        probed = probe_audio(audio[stem], report, stem, expected_sr=None)
        if probed is None:
            continue
        sr, duration = probed
        rows.append(dict(id=stem, path=str(audio[stem]), speaker=stem, gender="unknown", session=partition,
                         label=None, duration=duration, sample_rate=sr, partition=partition, **labels))
    return finish(rows, report, CORPUS, root, EXTRA_COLUMNS)
