"""The flags every ``reproductions/<paper>/run.py`` shares, with per-profile defaults."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.errors import ConfigError, SereprodError
from common.paths import results_dir

PROFILE_NAMES = ("smoke", "paper")
TUNERS = ("bayesian", "hyperband", "random", "grid")
#: Size of the synthetic twin a profile uses when no --data-dir is given.
SYNTH_SIZE = {"smoke": "smoke", "paper": "small"}


@dataclass(frozen=True)
class Profile:
    """Defaults of one profile: runs per experiment, epochs, and the paper's own settings."""

    runs: int
    epochs: int
    settings: dict[str, Any] = field(default_factory=dict)


def _profiles_epilog(profiles: dict[str, Profile]) -> str:
    lines = ["profile defaults:"]
    for name, prof in profiles.items():
        extra = ", ".join(f"{k}={v}" for k, v in prof.settings.items())
        lines.append(f"  {name:6s} runs={prof.runs} epochs={prof.epochs}" + (f", {extra}" if extra else ""))
    lines.append("override any setting with --set KEY=VALUE (repeatable).")
    return "\n".join(lines)


def build_parser(paper: str, description: str | None, profiles: dict[str, Profile],
                 corpora: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The shared flags; a paper may add its own before calling :func:`parse_args`."""
    parser = argparse.ArgumentParser(prog=f"python reproductions/{paper}/run.py", description=description,
                                     epilog=_profiles_epilog(profiles),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="root of your licensed copy of the corpus; without it the run uses the synthetic "
                             "twin (generated once into the cache) and every row is marked data=synthetic")
    if corpora:
        parser.add_argument("--corpus", choices=list(corpora), default=corpora[0],
                            help=f"which corpus to run on (default {corpora[0]})")
    parser.add_argument("--profile", choices=list(profiles), default="smoke",
                        help="smoke: everything, reduced, in minutes on a CPU; paper: the paper's full protocol "
                             "(default smoke; see the defaults below)")
    parser.add_argument("--runs", type=int, default=None, help="repetitions per experiment (default: the profile's)")
    parser.add_argument("--epochs", type=int, default=None, help="maximum training epochs (default: the profile's)")
    parser.add_argument("--seed", type=int, default=0, help="base seed; run r uses seed+r (default 0)")
    parser.add_argument("--out", type=Path, default=results_dir(paper),
                        help=f"where tables, plots and fold lists go (default results/{paper})")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override one profile setting (value parsed as JSON when it can be)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv: Keras progress)")
    tuning = parser.add_argument_group("hyperparameter search (keras-tuner)")
    tuning.add_argument("--tune", action="store_true", help="run a keras-tuner search instead of the protocol")
    tuning.add_argument("--tuner", choices=TUNERS, default=None, help="search algorithm (default: the paper's)")
    tuning.add_argument("--trials", type=int, default=None, help="maximum trials (default: 3 smoke, paper's choice)")
    tuning.add_argument("--executions-per-trial", type=int, default=1, help="models trained per trial (default 1)")
    tuning.add_argument("--objective", default=None, help="NAME or NAME:min|max to optimise (default: the paper's)")
    tuning.add_argument("--search-name", default=None,
                        help="name of the search under <out>/tuning/ (default <tuner>-<profile>); the same name "
                             "resumes an interrupted search")
    tuning.add_argument("--from-tuning", default=None, metavar="SEARCH_NAME",
                        help="run the protocol with the best hyperparameters of this search")
    parser.add_argument("--strategy", choices=("default", "mirrored"), default="default",
                        help="tf.distribute strategy for training: mirrored uses all local GPUs (default: default)")
    return parser


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_args(parser: argparse.ArgumentParser, profiles: dict[str, Profile],
               argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse and fill ``runs``, ``epochs``, ``settings`` and ``synth_size`` from the chosen profile."""
    args = parser.parse_args(argv)
    prof = profiles[args.profile]
    args.runs = prof.runs if args.runs is None else args.runs
    args.epochs = prof.epochs if args.epochs is None else args.epochs
    if args.runs < 1 or args.epochs < 1:
        raise ConfigError(f"--runs and --epochs must be >= 1 (got {args.runs}, {args.epochs})")
    settings = dict(prof.settings)
    for item in args.overrides:
        key, sep, value = item.partition("=")
        if not sep or key not in settings:
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE with KEY one of {sorted(settings)}")
        settings[key] = _parse_value(value)
    args.settings = settings
    args.synth_size = SYNTH_SIZE.get(args.profile, "smoke")
    if args.data_dir is not None and not args.data_dir.exists():
        raise ConfigError(f"--data-dir {args.data_dir}: no such directory")
    if args.trials is None:
        args.trials = 3 if args.profile == "smoke" else None
    logging.getLogger().setLevel(logging.DEBUG if args.verbose > 1 else logging.INFO)
    return args


def main_guard(main: Callable[[list[str]], int | None]) -> None:
    """Run ``main(sys.argv[1:])``: suite errors print one clear line (exit 2), Ctrl-C says how to resume."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        code = main(sys.argv[1:])
    except SereprodError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("\ninterrupted: finished folds/runs are kept; run the same command again to resume",
              file=sys.stderr)
        sys.exit(130)
    sys.exit(code or 0)
