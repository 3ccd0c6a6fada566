"""Seeding, determinism, threads and distribution strategy for every run."""

from __future__ import annotations

import os

import keras
import tensorflow as tf

from common.errors import ConfigError

_DETERMINISM_ON = False


def set_seed(seed: int, deterministic: bool = True) -> None:
    """Seed Python, NumPy, TensorFlow and Keras, and turn on TensorFlow op determinism once.

    ``PYTHONHASHSEED`` only affects interpreters started after this call (e.g. tuner workers).
    """
    global _DETERMINISM_ON
    os.environ["PYTHONHASHSEED"] = str(seed)
    keras.utils.set_random_seed(seed)
    if deterministic and not _DETERMINISM_ON:
        tf.config.experimental.enable_op_determinism()
        _DETERMINISM_ON = True


def configure_threads(intra_op: int | None = None, inter_op: int = 1) -> None:
    """One inter-op thread and all cores intra-op: the steadiest CPU throughput measured for these
    conv nets (shared/notes/environment.md). A no-op once TensorFlow's runtime has started."""
    try:
        tf.config.threading.set_inter_op_parallelism_threads(inter_op)
        tf.config.threading.set_intra_op_parallelism_threads(intra_op or os.cpu_count() or 1)
    except RuntimeError:
        pass  # the runtime is already initialised: keep its settings


STRATEGIES = ("default", "mirrored")


def get_strategy(name: str = "default") -> tf.distribute.Strategy:
    """``default``: one device. ``mirrored``: ``tf.distribute.MirroredStrategy`` over all local GPUs.

    Build and compile models inside ``with get_strategy(args.strategy).scope():``.
    """
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    raise ConfigError(f"unknown --strategy {name!r}; expected one of {', '.join(STRATEGIES)}")
