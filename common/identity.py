"""What a reused result was computed from: one identity for ledger units, feature-cache entries, searches,
``--from-tuning`` points and saved weights.

An identity names the corpora (name, data kind and a fingerprint of their files), the profile and every
override, the Keras backend, the versions of the numeric and feature libraries, and a fingerprint of the code
the computation runs. The code fingerprint hashes the normalised syntax tree (docstrings dropped; comments and
formatting never reach the tree) of a set of modules and of every in-repository module they import,
transitively: a comment or docstring edit keeps it, a change of what the code does changes it. Anything reused
under a different identity is recomputed (ledger, cache) or refused (``--from-tuning``).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from common.paths import REPO_ROOT
from common.settings import Settings

#: distributions whose version is part of every identity (the first installed name of each group counts)
LIBRARIES: dict[str, tuple[str, ...]] = {
    "tensorflow": ("tensorflow", "tensorflow-cpu"), "keras": ("keras",), "jax": ("jax",), "jaxlib": ("jaxlib",),
    "librosa": ("librosa",), "kaldi-native-fbank": ("kaldi-native-fbank",), "opensmile": ("opensmile",),
    "numpy": ("numpy",), "scipy": ("scipy",), "scikit-learn": ("scikit-learn",), "soundfile": ("soundfile",),
}
#: the libraries that compute features (a feature-cache entry depends on these, not on TensorFlow)
FEATURE_LIBRARIES = ("librosa", "kaldi-native-fbank", "opensmile", "numpy", "scipy", "soundfile")
#: length of the identity hash used in folder and file names
HASH_CHARS = 12


# -- corpora ---------------------------------------------------------------------------------------------------
def corpus_identity(corpus: Any) -> dict[str, Any]:
    """Name, data kind (``real`` or ``synthetic``) and fingerprint (:func:`common.corpora.fingerprint`) of a
    :class:`common.corpora.Corpus`."""
    return {"name": corpus.name, "data": corpus.data, "fingerprint": corpus.fingerprint}


# -- software --------------------------------------------------------------------------------------------------
def _version(names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


@functools.cache
def versions(only: tuple[str, ...] | None = None) -> dict[str, str | None]:
    """Installed version of each of :data:`LIBRARIES` (or of ``only``); ``None`` where not installed."""
    return {lib: _version(LIBRARIES[lib]) for lib in (only or tuple(LIBRARIES))}


def backend() -> str:
    """The Keras backend of this process (``tensorflow``, ``jax``, ``torch`` or ``numpy``)."""
    from common.provenance import keras_backend

    return keras_backend()


# -- code ------------------------------------------------------------------------------------------------------
def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


def _imports(tree: ast.AST) -> list[tuple[str, int, tuple[str, ...]]]:
    """(module, level, imported names) of every import statement, at any depth (lazy imports count)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level, tuple(alias.name for alias in node.names)))
    return found


_PARSED: dict[tuple[str, str], tuple[str, list[tuple[str, int, tuple[str, ...]]]]] = {}


def _parse(path: Path) -> tuple[str, list[tuple[str, int, tuple[str, ...]]]]:
    """The normalised dump of ``path``'s syntax tree and its imports (cached per path and content)."""
    source = path.read_bytes()
    key = (str(path), hashlib.sha256(source).hexdigest())
    if key not in _PARSED:
        tree = ast.parse(source, filename=str(path))
        _PARSED[key] = (ast.dump(_strip_docstrings(tree), annotate_fields=False), _imports(tree))
    return _PARSED[key]


def _module_name(path: Path) -> tuple[str, Path]:
    """Dotted module name of ``path`` and the folder it is importable from (above its outermost package)."""
    parts = [] if path.name == "__init__.py" else [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts), folder


@functools.cache
def _resolve(name: str, roots: tuple[Path, ...]) -> list[Path]:
    """Files run by importing ``name`` from one of ``roots``: its packages' ``__init__.py`` and the module
    (remembered per process: modules are edited, not created or removed, while a run goes on)."""
    parts = name.split(".")
    for root in roots:
        files = []
        for i in range(1, len(parts) + 1):
            base = root.joinpath(*parts[:i])
            init, module = base / "__init__.py", base.with_suffix(".py")
            if init.is_file():
                files.append(init)
            elif i == len(parts) and module.is_file():
                files.append(module)
            else:
                break
        else:
            return files
    return []


def module_closure(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """``paths`` and every module of this repository (or of their own package tree) that they import,
    transitively, sorted. Third-party imports are not followed."""
    todo = [Path(p).resolve() for p in paths]
    roots = tuple(sorted({REPO_ROOT.resolve(), *(_module_name(p)[1] for p in todo)}))
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        module, _ = _module_name(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for name, level, names in _parse(path)[1]:
            if level:
                base = package.split(".")[: len(package.split(".")) - (level - 1)] if package else []
                name = ".".join([*base, name] if name else base)
            for target in (name, *(f"{name}.{n}" for n in names if n != "*")):
                todo += [f for f in _resolve(target, roots) if f not in seen]
    return sorted(seen)


def code_fingerprint(paths: Iterable[str | os.PathLike]) -> str:
    """SHA-256 (16 hex digits) of the normalised syntax trees of :func:`module_closure` of ``paths``, by module
    name: unchanged by comments, docstrings, formatting and the repository's location on disk."""
    h = hashlib.sha256()
    for path in module_closure(paths):
        h.update(_module_name(path)[0].encode() + b"\0" + _parse(path)[0].encode() + b"\0")
    return h.hexdigest()[:16]


def folder_code_fingerprint(folder: str | os.PathLike) -> str:
    """:func:`code_fingerprint` of every ``*.py`` file of ``folder`` (a paper's reproduction) and its imports."""
    return code_fingerprint(p for p in Path(folder).rglob("*.py") if "__pycache__" not in p.parts)


def function_code_fingerprint(fn: Callable[..., Any]) -> str:
    """:func:`code_fingerprint` of the module defining ``fn`` (a ``functools.partial``'s function) and its imports.

    A function defined outside any file (an interactive session) has the fingerprint ``"unknown"``."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    module = getattr(fn, "__module__", None)
    path = getattr(sys.modules.get(module or ""), "__file__", None)
    return code_fingerprint([path]) if path else "unknown"


# -- identities ------------------------------------------------------------------------------------------------
def run_identity(paper: Any, args: Any, corpora: Mapping[str, Any]) -> dict[str, Any]:
    """What a paper's units and searches were computed from: corpora, data kind, profile and overrides (epochs,
    ``--set`` settings), backend, library versions and the code of the paper's folder with its imports.
    The seed and the number of runs are not part of it (a search's point serves every seed)."""
    data = "real" if all(c.data == "real" for c in corpora.values()) else "synthetic"
    settings = args.settings.as_key() if isinstance(args.settings, Settings) else dict(args.settings)
    return {"paper": paper.name, "corpora": {name: corpus_identity(c) for name, c in corpora.items()},
            "data": data, "profile": args.profile, "epochs": args.epochs, "settings": settings,
            "backend": backend(), "versions": versions(), "code": folder_code_fingerprint(paper.folder)}


def config_hash(config: Mapping[str, Any], chars: int | None = HASH_CHARS) -> str:
    """The one hash of a JSON-able configuration or identity: SHA-256 of its canonical JSON (keys sorted, other
    values via ``str``), its first ``chars`` hex digits (all 64 with None). Key order does not matter."""
    text = json.dumps(config, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:chars]


def profile_search_name(target_slug: str, args: Any, identity: Mapping[str, Any]) -> str:
    """Folder name of a search a profile runs: target, profile, corpus, data kind and identity hash, so two corpora,
    data kinds or code versions never share a search."""
    return f"profile-{target_slug}-{args.profile}-{args.corpus}-{identity['data']}-{config_hash(identity)}"


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flat(v, f"{prefix}{k}."))
        return out or {prefix.rstrip("."): {}}
    return {prefix.rstrip("."): value}


def differences(recorded: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """``key: recorded -> current`` for every (dotted) key whose value differs; empty when they match."""
    a, b = _flat(json.loads(json.dumps(recorded, default=str))), _flat(json.loads(json.dumps(current, default=str)))
    return [f"{k}: {a.get(k, '<absent>')!r} -> {b.get(k, '<absent>')!r}" for k in sorted(set(a) | set(b))
            if a.get(k, "<absent>") != b.get(k, "<absent>")]
