"""``python -m common.synth <corpus> <dir> [--seed N] [--size smoke|small]``."""

from __future__ import annotations

import argparse
import sys
import time

from common.errors import SereprodError
from common.synth import SIZES, WRITERS, generate


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m common.synth", description=__doc__)
    p.add_argument("corpus", choices=sorted(WRITERS))
    p.add_argument("dir", help="corpus root to create (must not exist or be empty)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", choices=SIZES, default="smoke")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    try:
        root = generate(args.corpus, args.dir, seed=args.seed, size=args.size)
    except SereprodError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"wrote the {args.size} {args.corpus} twin to {root} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
