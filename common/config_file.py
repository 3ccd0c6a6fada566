"""``<out>/config.yaml``: a run's resolved flags and settings in one file, and ``--config FILE`` to run from it.

The file is written when a run starts. Given back with ``--config``, its values become the flags' defaults (flags
on the command line still override; ``--set`` overrides single settings), so the same file gives the same run
identity and resumes the same units. ``about`` records the paper, the corpus, the Keras backend and the commit;
only its ``paper`` is checked when the file is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from common.atomic import atomic_write_text
from common.errors import ConfigError

#: flags a config file holds (a run's identity, its data and its outputs), by their argparse ``dest``
FLAGS = ("corpus", "data_dir", "profile", "runs", "epochs", "seed", "synth_size", "twin_seed", "twin_difficulty",
         "out", "no_search", "from_tuning", "strategy", "tensorboard", "save_models")


def config_of(args: Any, paper: str, backend: str, commit: str, corpus_flag: bool) -> dict[str, Any]:
    """The resolved flags of ``args`` (paths as text; ``out`` the folder given; ``corpus`` only where the paper
    has the flag, i.e. runs on several corpora), settings and ``about``."""
    def plain(value: Any) -> Any:
        return str(value) if isinstance(value, Path) else value

    flags = {name: plain(getattr(args, name)) for name in FLAGS if hasattr(args, name)}
    flags["out"] = str(args.report_dir)
    if not corpus_flag:
        del flags["corpus"]
    extra = {f"extra_dir_{name}": plain(path) for name, path in sorted(args.extra_dirs.items())}
    return {"about": {"paper": paper, "corpus": args.corpus, "backend": backend, "commit": commit}, **flags, **extra,
            "settings": args.settings.as_dict()}


def write_config(path: Path, config: dict[str, Any]) -> Path:
    atomic_write_text(path, yaml.safe_dump(config, sort_keys=False))
    return path


def read_config(path: Path, paper: str | None, known: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(flag defaults, settings)`` of the config file at ``path``; a clear error when it is not one for
    ``paper`` (when given) or names a flag outside ``known``."""
    try:
        config = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"--config {path}: cannot read a YAML file ({e})") from None
    if not isinstance(config, dict):
        raise ConfigError(f"--config {path}: expected a mapping of flags (as written to <out>/config.yaml)")
    config = dict(config)
    about = config.pop("about", None) or {}
    if paper and about.get("paper", paper) != paper:
        raise ConfigError(f"--config {path}: written by a run of {about['paper']}, not {paper}")
    settings = config.pop("settings", None) or {}
    unknown = sorted(set(config) - known)
    if unknown or not isinstance(settings, dict):
        raise ConfigError(f"--config {path}: unknown keys {unknown or ['settings']}; expected about, settings "
                          f"(a mapping) and flags among {sorted(known)}")
    return config, settings
