"""The flags every ``reproductions/<paper>/run.py`` shares, with per-profile defaults."""

from __future__ import annotations

import argparse
import logging
import sys
import types
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from common.errors import ConfigError, SereprodError
from common.paths import results_dir
from common.settings import Profile

TUNERS = ("bayesian", "hyperband", "random", "grid")
STRATEGY_NAMES = ("default", "mirrored")
#: Size of the synthetic twin a profile uses when no --data-dir is given.
SYNTH_SIZE = {"smoke": "smoke", "paper": "small"}


def _profiles_epilog(profiles: dict[str, Profile]) -> str:
    lines = ["profile defaults:"]
    for name, prof in profiles.items():
        extra = ", ".join(f"{k}={v}" for k, v in prof.settings.as_dict().items())
        lines.append(f"  {name:6s} runs={prof.runs} epochs={prof.epochs}" + (f", {extra}" if extra else ""))
    lines.append("override any setting with --set KEY=VALUE (repeatable).")
    return "\n".join(lines)


def build_parser(paper: Any) -> argparse.ArgumentParser:
    """The shared flags of every reproduction (``paper`` is a ``common.engine.Paper``)."""
    from common.synth import SIZES

    profiles = paper.profiles
    parser = argparse.ArgumentParser(prog=f"python reproductions/{paper.name}/run.py",
                                     description=f"{paper.title}. {paper.description}".strip(),
                                     epilog=_profiles_epilog(profiles),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="root of your licensed copy of the corpus; without it the run uses the synthetic "
                             "twin (generated once into the cache) and every row is marked data=synthetic")
    for extra in paper.extra_corpora:
        parser.add_argument(extra.flag, type=Path, default=None, dest=f"extra_dir_{extra.name}", metavar="DIR",
                            help=extra.help)
    if len(paper.corpora) > 1:
        parser.add_argument("--corpus", choices=list(paper.corpora), default=paper.corpora[0],
                            help=f"which corpus to run on (default {paper.corpora[0]})")
    parser.add_argument("--profile", choices=list(profiles), default="smoke",
                        help="smoke: everything, reduced, in minutes on a CPU; paper: the paper's full protocol "
                             "(default smoke; see the defaults below)")
    parser.add_argument("--runs", type=int, default=None, help="repetitions per experiment (default: the profile's)")
    parser.add_argument("--epochs", type=int, default=None, help="maximum training epochs (default: the profile's)")
    parser.add_argument("--seed", type=int, default=0, help="base seed of training; run r uses seed+r (default 0)")
    parser.add_argument("--synth-size", choices=list(SIZES), default=None,
                        help="size of the synthetic twin when no --data-dir is given (default: "
                             + ", ".join(f"{k} for {v}" for v, k in SYNTH_SIZE.items()) + ")")
    parser.add_argument("--twin-seed", type=int, default=0,
                        help="seed of the synthetic twin (the corpus, not the training; default 0)")
    parser.add_argument("--twin-difficulty", type=float, default=None,
                        help="0 (clean) .. 1: class overlap, speaker variability, channel and noise of the twin "
                             "(default: 0 for smoke and small twins, 0.75 for full: benchmarks/calibration.py)")
    parser.add_argument("--out", type=Path, default=results_dir(paper.name),
                        help=f"where tables, plots and fold lists go (default results/{paper.name})")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override one profile setting (parsed by its type: true/false, a number, a string, "
                             "a JSON or comma-separated list, null)")
    for flag in paper.setting_flags:
        parser.add_argument(flag.flag, type=flag.type, default=None, dest=f"setting_{flag.setting}", metavar="VALUE",
                            help=f"{flag.help} (= --set {flag.setting}=VALUE)")
    parser.add_argument("--rehearse", action="store_true",
                        help="run every unit of the profile for a few steps at full shapes, timed; writes "
                             "rehearsal.md with the projected time and peak memory of the real run (tables go "
                             "to <out>/rehearsal/); a stopped rehearsal resumes from its finished units")
    parser.add_argument("--whole-passes", action="store_true",
                        help="with --rehearse: run every prediction pass whole instead of sampling the passes a "
                             "paper marks as too large for every unit (Huang's noisy x61 sets); for a GPU, or "
                             "hours more on a CPU")
    parser.add_argument("--fresh", action="store_true",
                        help="recompute every unit instead of resuming finished ones from the ledger")
    parser.add_argument("--units-per-process", type=int, default=None, metavar="N",
                        help="compute at most N units in one process, then go on in a fresh one that reuses the "
                             "finished units (TensorFlow keeps memory from every trained unit); each search of the "
                             "profile also gets its own process; 0: all in one (default: 20 for the paper profile "
                             "under TensorFlow, else 0)")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="run from a config file (as each run writes to <out>/config.yaml): its values are the "
                             "defaults, flags given here override them; the same file resumes the same units")
    parser.add_argument("--tensorboard", action=argparse.BooleanOptionalAction, default=None,
                        help="TensorBoard event files of every training under <out>/tensorboard/<unit>/ "
                             "(default: on in the paper profile)")
    parser.add_argument("--save-models", action=argparse.BooleanOptionalAction, default=None,
                        help="each unit's trained Keras model as <out>/models/<unit>.keras (default: on in the "
                             "paper profile; --no-save-models for large sweeps)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv: Keras progress)")
    tuning = parser.add_argument_group("hyperparameter search (keras-tuner)")
    tuning.add_argument("--tune", action="store_true", help="run a keras-tuner search instead of the protocol")
    targets = list(paper.searches)
    tuning.add_argument("--target", choices=targets or None, default=paper.default_target,
                        help="what --tune searches (network, dimension): " + (", ".join(targets) or "none")
                             + f" (default {paper.default_target})")
    tuning.add_argument("--no-search", action="store_true",
                        help="skip the searches the paper profile runs where a paper tuned without printing the "
                             "result; rows then say hp_source=suite-default")
    tuning.add_argument("--tuner", choices=TUNERS, default=None, help="search algorithm (default: the paper's)")
    tuning.add_argument("--trials", type=int, default=None, help="maximum trials (default: the search's, per profile)")
    tuning.add_argument("--executions-per-trial", type=int, default=1, help="models trained per trial (default 1)")
    tuning.add_argument("--objective", default=None, help="NAME or NAME:min|max to optimise (default: the paper's)")
    tuning.add_argument("--search-name", default=None,
                        help="name of the search under <out>/tuning/ (default <target>-<tuner>-<profile>); the "
                             "same name resumes an interrupted search")
    tuning.add_argument("--from-tuning", default=None, metavar="SEARCH_NAME",
                        help="run the protocol with the best point of this search, applied to the network it tuned")
    parser.add_argument("--strategy", choices=STRATEGY_NAMES, default="default",
                        help="distribution strategy for training: mirrored uses all local GPUs (TensorFlow; "
                             f"accepted by this paper: {', '.join(paper.strategies)})")
    return parser


class Args(types.SimpleNamespace):
    """Parsed flags, read-only once parsed: ``replace(**changes)`` gives a changed copy."""

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"parsed arguments are read-only (tried to set {name}); use Args.replace")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"parsed arguments are read-only (tried to delete {name})")

    def replace(self, **changes: Any) -> Args:
        return Args(**{**vars(self), **changes})


def parse_args(parser: argparse.ArgumentParser, profiles: Mapping[str, Profile],
               argv: Sequence[str] | None = None, paper: str | None = None) -> Args:
    """Parse, with ``runs``, ``epochs``, ``settings``, ``synth_size``, ``tensorboard`` and ``save_models`` filled
    from the chosen profile; under ``--config FILE`` the file's values are the defaults
    (:mod:`common.config_file`)."""
    from common.config_file import FLAGS, read_config

    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config", type=Path, default=None)
    config_path = pre.parse_known_args(argv)[0].config
    from_config: dict[str, Any] = {}
    if config_path is not None:
        known = {k for k in vars(parser.parse_args([])) if k in FLAGS or k.startswith("extra_dir_")}
        defaults, from_config = read_config(config_path, paper, known)
        parser.set_defaults(**defaults)
    args = parser.parse_args(argv)
    prof = profiles[args.profile]
    args.runs = prof.runs if args.runs is None else args.runs
    args.epochs = prof.epochs if args.epochs is None else args.epochs
    if args.runs < 1 or args.epochs < 1:
        raise ConfigError(f"--runs and --epochs must be >= 1 (got {args.runs}, {args.epochs})")
    texts = {}
    for item in args.overrides:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE with KEY one of {sorted(prof.settings.fields())}")
        texts[key] = value
    flags = {name.removeprefix("setting_"): value for name, value in vars(args).items()
             if name.startswith("setting_") and value is not None}
    args.settings = prof.settings.with_values(from_config).with_text(texts).with_values(flags)
    args.synth_size = args.synth_size or SYNTH_SIZE.get(args.profile, "smoke")
    for output in ("tensorboard", "save_models"):  # kept by default in the paper's full protocol only
        if getattr(args, output) is None:
            setattr(args, output, args.profile == "paper")
    if args.data_dir is not None and not args.data_dir.exists():
        raise ConfigError(f"--data-dir {args.data_dir}: no such directory")
    logging.getLogger().setLevel(logging.DEBUG if args.verbose > 1 else logging.INFO)
    return Args(**vars(args))


def main_guard(main: Callable[[list[str]], int | None]) -> None:
    """Run ``main(sys.argv[1:])``: suite errors print one clear line (exit 2) and Ctrl-C says how to resume."""
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
