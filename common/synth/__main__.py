"""``python -m common.synth <corpus> <dir> [--seed N] [--size smoke|small|full] [--difficulty D]``."""

from __future__ import annotations

import argparse
import sys
import time

from common.errors import SereprodError
from common.synth import SIZES, WRITERS, estimated_bytes, generate


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m common.synth", description=__doc__)
    p.add_argument("corpus", choices=sorted(WRITERS))
    p.add_argument("dir", help="corpus root to create (must not exist or be empty)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", choices=SIZES, default="smoke")
    p.add_argument("--difficulty", type=float, default=None,
                   help="0 (clean) .. 1: class overlap, speaker variability, channel and noise (default: the size's)")
    args = p.parse_args(argv)
    print(f"writing the {args.size} {args.corpus} twin: about {estimated_bytes(args.corpus, args.size) / 1e9:.2f} GB "
          "of audio", flush=True)
    t0 = time.perf_counter()
    try:
        root = generate(args.corpus, args.dir, seed=args.seed, size=args.size, difficulty=args.difficulty)
    except SereprodError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"wrote the {args.size} {args.corpus} twin to {root} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
