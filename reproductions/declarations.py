"""What ``python -m reproductions list`` shows of each paper, read from its ``PAPER = Paper(...)`` declaration's
source text without importing it: a paper module imports its models, and with them Keras and TensorFlow (seconds
to print a table). The declaration stays the only source; a field that is not a literal (or a module-level name
bound to one) makes :func:`summary` import the paper instead.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Summary:
    """A paper's listing: name, title, corpora (with the extra ones), profile names."""

    name: str
    title: str
    corpora: tuple[str, ...]
    profiles: tuple[str, ...]


class NotLiteral(Exception):
    """A declaration field is computed: only importing the paper gives its value."""


def _resolve(node: ast.expr, names: dict[str, ast.expr]) -> ast.expr:
    return names[node.id] if isinstance(node, ast.Name) and node.id in names else node


def _literal(node: ast.expr, names: dict[str, ast.expr]) -> Any:
    try:
        return ast.literal_eval(_resolve(node, names))
    except ValueError as err:
        raise NotLiteral(ast.unparse(node)) from err


def _extra_name(node: ast.expr, names: dict[str, ast.expr]) -> str:
    """The ``name`` of an ``ExtraCorpus(name, ...)`` call."""
    node = _resolve(node, names)
    if not isinstance(node, ast.Call):
        raise NotLiteral(ast.unparse(node))
    named = {k.arg: k.value for k in node.keywords}
    return _literal(node.args[0] if node.args else named["name"], names)


def _profile_names(node: ast.expr, names: dict[str, ast.expr]) -> tuple[str, ...]:
    node = _resolve(node, names)
    if not isinstance(node, ast.Dict) or None in node.keys:
        raise NotLiteral(ast.unparse(node))
    return tuple(_literal(key, names) for key in node.keys if key is not None)


def read(source: str) -> Summary:
    """The summary in a paper module's source text (raises :class:`NotLiteral` where a field is computed)."""
    names: dict[str, ast.expr] = {}
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                and isinstance(statement.targets[0], ast.Name):
            names[statement.targets[0].id] = statement.value
    paper = names.get("PAPER")
    if not isinstance(paper, ast.Call):
        raise NotLiteral("no PAPER = Paper(...) declaration")
    fields = {k.arg: k.value for k in paper.keywords if k.arg is not None}
    extras = _resolve(fields["extra_corpora"], names) if "extra_corpora" in fields else ast.Tuple(elts=[])
    if not isinstance(extras, ast.Tuple | ast.List):
        raise NotLiteral(ast.unparse(extras))
    corpora = (*_literal(fields["corpora"], names), *(_extra_name(e, names) for e in extras.elts))
    return Summary(_literal(fields["name"], names), _literal(fields["title"], names), corpora,
                   _profile_names(fields["profiles"], names))


def summary(module: str) -> Summary:
    """The summary of the paper declared in ``module``: from its source, or from the module where it is already
    imported or a field is computed."""
    if module not in sys.modules:
        spec = importlib.util.find_spec(module)
        if spec is not None and spec.origin is not None:
            try:
                return read(Path(spec.origin).read_text())
            except (NotLiteral, KeyError, IndexError):
                pass
    paper = importlib.import_module(module).PAPER
    return Summary(paper.name, paper.title, (*paper.corpora, *(e.name for e in paper.extra_corpora)),
                   tuple(paper.profiles))
