"""A progress display for the long loops of the protocols (folds x runs x epochs)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm.auto import tqdm

T = TypeVar("T")


def progress(iterable: Iterable[T], desc: str, total: int | None = None) -> Iterator[T]:
    """Iterate with a tqdm bar on a terminal; silent when stderr is not a TTY (CI logs, nohup)."""
    yield from tqdm(iterable, desc=desc, total=total, disable=None, dynamic_ncols=True, leave=False)
