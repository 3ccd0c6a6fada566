"""A paper's settings: one frozen dataclass per paper, one field per setting, each with its type and its source.

Every field is declared with :func:`setting`: its default, where the value comes from (a section, table or figure
of the paper, or ``"assumption"`` where the paper is silent and the README says why) and, where only some values
make sense, the allowed ``choices`` (for a tuple: of each element). A profile (:class:`Profile`) is an instance of
the paper's class; ``--set KEY=VALUE`` parses ``VALUE`` by the field's type (:func:`parse_setting`) and a value of
the wrong type, an unknown key or a value outside the allowed ones is a :class:`common.errors.ConfigError` naming
the key and what it expects.

Values: ``bool`` (``true`` / ``false``, any case: ``False`` is the boolean False), ``int``, ``float``, ``str``,
``tuple[X, ...]`` (a JSON list or comma-separated values: ``dimensions=arousal`` is ``("arousal",)``) and
``X | None`` (``null`` or ``none``).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from common.errors import ConfigError

NONE_WORDS = ("null", "none")
BOOL_WORDS = {"true": True, "false": False}


def setting(default: Any, *, source: str, choices: Sequence[Any] | None = None, keyed: bool = True) -> Any:
    """A settings field: ``default``, its ``source`` (paper section or ``"assumption"``), allowed ``choices``.

    ``keyed=False`` marks a setting that changes no number of the protocol (it only adds rows, and the units that
    depend on it name its effect in their own key): it stays out of the run's identity and is not an override.
    """
    return field(default=default, metadata={"source": source, "choices": tuple(choices) if choices else None,
                                            "keyed": keyed})


@dataclass(frozen=True)
class Settings:
    """Base of every paper's settings dataclass (a paper without settings of its own uses it as it is)."""

    @classmethod
    def fields(cls) -> dict[str, dataclasses.Field]:
        return {f.name: f for f in dataclasses.fields(cls)}

    def as_dict(self) -> dict[str, Any]:
        """The values as JSON-able data (tuples become lists), for the ledger's configuration and the help."""
        return json.loads(json.dumps(dataclasses.asdict(self)))

    def as_key(self) -> dict[str, Any]:
        """:meth:`as_dict` less the settings declared ``keyed=False``: what the protocol's numbers depend on."""
        unkeyed = {name for name, f in self.fields().items() if not f.metadata.get("keyed", True)}
        return {k: v for k, v in self.as_dict().items() if k not in unkeyed}

    def with_text(self, overrides: Mapping[str, str]) -> Settings:
        """A copy with ``{key: text}`` parsed into the fields (``--set``)."""
        known = self.fields()
        hints = typing.get_type_hints(type(self))
        values = {}
        for key, text in overrides.items():
            if key not in known:
                raise ConfigError(f"--set {key}={text}: unknown setting {key!r}; expected one of {sorted(known)}")
            values[key] = parse_setting(key, text, hints[key], known[key].metadata.get("choices"))
        return dataclasses.replace(self, **values)

    def with_values(self, values: Mapping[str, Any]) -> Settings:
        """A copy with already typed values (a paper's convenience flags), checked like ``--set``."""
        return self.with_text({k: json.dumps(v) for k, v in values.items()})


@dataclass(frozen=True)
class Profile:
    """Defaults of one profile: runs per experiment, epochs, and the paper's own settings."""

    runs: int
    epochs: int
    settings: Settings = field(default_factory=Settings)


def _expected(kind: Any, choices: tuple | None) -> str:
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        return f"{_expected(inner[0], choices)} or null"
    if origin is tuple:
        return f"a list of {_expected(args[0], None).removeprefix('an ').removeprefix('a ')}s " \
               f"(JSON or comma-separated)" + (f" among {list(choices)}" if choices else "")
    return names.get(kind, str(kind)) + (f" among {list(choices)}" if choices else "")


def _scalar(text: Any, kind: type) -> Any:
    """``text`` (a string, or a JSON value from a list) as ``kind``; ValueError when it is not one."""
    value = text
    if isinstance(text, str) and kind is str and text.startswith('"'):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise ValueError(text) from None
    elif isinstance(text, str) and kind is bool and text.lower() in BOOL_WORDS:
        value = BOOL_WORDS[text.lower()]
    elif isinstance(text, str) and kind is not str:
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise ValueError(text) from None
    if kind is bool:
        if isinstance(value, bool):
            return value
    elif kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif kind is str:
        if isinstance(value, str):
            return value
    raise ValueError(text)


def parse_setting(key: str, text: str, kind: Any, choices: tuple | None = None) -> Any:
    """``text`` parsed as ``kind`` (see the module docstring), each value among ``choices`` when given."""
    try:
        value = _parse(text.strip(), kind)
    except ValueError:
        raise ConfigError(f"--set {key}={text}: expected {_expected(kind, choices)}") from None
    if choices is not None and value is not None:
        outside = [v for v in (value if isinstance(value, tuple) else (value,)) if v not in choices]
        if outside:
            raise ConfigError(f"--set {key}={text}: {outside} not allowed; expected {_expected(kind, choices)}")
    return value


def _parse(text: str, kind: Any) -> Any:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        if text.lower() in NONE_WORDS:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _parse(text, inner)
    if origin is tuple:
        try:
            items = json.loads(text)
        except json.JSONDecodeError:
            items = None
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list):
            items = [t.strip() for t in text.split(",") if t.strip()] if text not in ("", "[]") else []
        return tuple(_scalar(item, args[0]) for item in items)
    return _scalar(text, kind)
