"""``python -m reproductions list`` | ``python -m reproductions <paper> [flags]`` (also the ``sereprod`` command)."""

from __future__ import annotations

import sys

USAGE = """usage: sereprod list                       the registered papers, their corpora and profiles
       sereprod <paper> [flags]             run a paper (flags as for reproductions/<paper>/run.py; --help lists them)
       sereprod audit-split FOLDS...        speaker, partner and text overlap of fold files (common.audit)
       sereprod compare-predictions A B     paired comparison of two prediction files (common.compare_predictions)"""

#: Read-only subcommands: their module's ``main(argv)``, run without TensorFlow.
READ_ONLY = {"audit-split": "common.audit", "compare-predictions": "common.compare_predictions"}


def listing() -> str:
    """One line per registered paper: name, corpora, profiles, title."""
    import reproductions

    lines = []
    for name in reproductions.names():
        paper = reproductions.get(name)
        corpora = ", ".join([*paper.corpora, *(e.name for e in paper.extra_corpora)])
        lines.append(f"{name:12s} corpora: {corpora:18s} profiles: {', '.join(paper.profiles):12s} {paper.title}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    if argv[0] == "list":
        print(listing())
        return 0
    if argv[0] in READ_ONLY:
        from importlib import import_module

        return import_module(READ_ONLY[argv[0]]).main(argv[1:])
    import reproductions
    from common.engine import run

    return run(reproductions.get(argv[0]), argv[1:])


def console() -> None:
    """Entry point of the ``sereprod`` console command: suite errors print one line and exit 2."""
    if sys.argv[1:2] and sys.argv[1] in READ_ONLY:  # start without the training stack (and its TensorFlow)
        sys.exit(main())
    from common.cli import main_guard

    main_guard(main)


if __name__ == "__main__":
    console()
