"""Huang & Narayanan 2017: four convolution types in CLDNNs for speech emotion recognition under clean and
noisy conditions (eNTERFACE'05 + MUSAN noise). See README.md."""
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import reproductions  # noqa: E402
from common.cli import main_guard  # noqa: E402
from common.engine import run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    return run(reproductions.get("huang2017"), argv)


if __name__ == "__main__":
    main_guard(main)
