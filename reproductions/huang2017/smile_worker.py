"""openSMILE functionals in a child interpreter that never imports TensorFlow.

opensmile 2.6 aborts the interpreter ("malloc(): invalid size") when TensorFlow 2.21 was imported before it,
so Table 3's features are computed by ``python -m reproductions.huang2017.smile_worker`` in a subprocess
(multiprocessing's spawn would re-import run.py, and with it TensorFlow, first).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from common.errors import FeatureError

REPO = Path(__file__).resolve().parents[2]


def functionals_in_child(paths: list[str], feature_set: str) -> np.ndarray:
    """(n, D) functionals of the 16 kHz audio of ``paths``, computed in a fresh interpreter."""
    with tempfile.TemporaryDirectory() as tmp:
        job, out = Path(tmp) / "paths.json", Path(tmp) / "x.npy"
        job.write_text(json.dumps([str(p) for p in paths]), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
        done = subprocess.run([sys.executable, "-m", "reproductions.huang2017.smile_worker", feature_set,
                               str(job), str(out)], cwd=REPO, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise FeatureError(f"openSMILE {feature_set} functionals failed: {done.stderr.strip()[-2000:]}")
        return np.load(out)


def main(argv: list[str]) -> None:
    from common.audio import load_audio
    from common.features.functionals import opensmile_functionals

    feature_set, job, out = argv
    paths = json.loads(Path(job).read_text(encoding="utf-8"))
    np.save(out, np.stack([opensmile_functionals(load_audio(p), 16000, feature_set) for p in paths]))


if __name__ == "__main__":
    main(sys.argv[1:])
