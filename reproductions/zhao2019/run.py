"""Zhao et al. (2019): 1D and 2D CNN LSTM networks on Berlin EmoDB and IEMOCAP. See README.md."""
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import reproductions  # noqa: E402
from common.cli import main_guard  # noqa: E402
from common.engine import run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    return run(reproductions.get("zhao2019"), argv)


if __name__ == "__main__":
    main_guard(main)
