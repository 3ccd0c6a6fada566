"""Seeding, determinism, threads and distribution strategy for every run."""

from __future__ import annotations

import functools
import os
from typing import Any

import keras

from common.errors import ConfigError

_DETERMINISM_ON = False


def set_seed(seed: int, deterministic: bool = True) -> None:
    """Seed Python, NumPy and the Keras backend, and (on TensorFlow) turn on op determinism once.

    JAX is deterministic for a given seed on CPU without a switch. ``PYTHONHASHSEED`` only affects interpreters
    started after this call (e.g. tuner workers).
    """
    global _DETERMINISM_ON
    os.environ["PYTHONHASHSEED"] = str(seed)
    keras.utils.set_random_seed(seed)
    if deterministic and not _DETERMINISM_ON and keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
        _DETERMINISM_ON = True


def configure_threads(intra_op: int | None = None, inter_op: int = 1) -> None:
    """One inter-op thread and all cores intra-op: the steadiest CPU throughput measured for these
    conv nets (shared/notes/environment.md). A no-op once TensorFlow's runtime has started, and on other
    backends (JAX sizes its own CPU thread pool)."""
    if keras.backend.backend() != "tensorflow":
        return
    import tensorflow as tf

    try:
        tf.config.threading.set_inter_op_parallelism_threads(inter_op)
        tf.config.threading.set_intra_op_parallelism_threads(intra_op or os.cpu_count() or 1)
    except RuntimeError:
        pass  # the runtime is already initialised: keep its settings


STRATEGIES = ("default", "mirrored")


@functools.cache
def get_strategy(name: str = "default") -> Any:
    """``default``: one device. ``mirrored``: ``tf.distribute.MirroredStrategy`` over all local GPUs.

    Build and compile models inside ``with get_strategy(args.strategy).scope():`` (TensorFlow backend only). One
    strategy object per name and process: models built in one scope can be trained again in a later one.
    """
    import tensorflow as tf

    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    raise ConfigError(f"unknown --strategy {name!r}; expected one of {', '.join(STRATEGIES)}")
