"""Child process of :mod:`common.features.functionals`: openSMILE without TensorFlow in the interpreter.

    python -m common.features.smile_worker <feature_set> <sr> <waves.npz> <out.npy>
"""

from __future__ import annotations

import sys

import numpy as np

from common.atomic import atomic_path
from common.features.functionals import functionals_here


def main(argv: list[str]) -> None:
    feature_set, sr, job, out = argv
    with np.load(job) as data:
        waves = [data[f"w{i}"] for i in range(len(data.files))]
    with atomic_path(out) as tmp:
        np.save(tmp, functionals_here(waves, int(sr), feature_set))


if __name__ == "__main__":
    main(sys.argv[1:])
