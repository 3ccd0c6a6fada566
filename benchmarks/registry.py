"""The models benchmarked: each registered paper's own ``benchmark()`` specs (``common.benchmarking.ModelSpec``).

The papers' builders, input shapes, batch sizes and corpus sizes live with each paper
(``reproductions/<paper>/benchmark.py``, each number cited); nothing is restated here. Read lazily, so that a
worker process can choose its Keras backend before any paper is imported.
"""

from __future__ import annotations

from functools import cache

from common.benchmarking import ModelSpec


@cache
def models() -> tuple[ModelSpec, ...]:
    """Every registered paper's benchmark specs, in the registry's order."""
    import reproductions

    specs: list[ModelSpec] = []
    for name in reproductions.names():
        paper = reproductions.get(name)
        specs += list(paper.benchmark() if paper.benchmark else ())
    return tuple(specs)


def by_name() -> dict[str, ModelSpec]:
    return {m.name: m for m in models()}
