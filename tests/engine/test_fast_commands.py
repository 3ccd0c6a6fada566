"""Read-only commands start without the training stack; the listing reads the papers' declarations as declared."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import reproductions
from reproductions.declarations import NotLiteral, Summary, read, summary

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("tensorflow", "keras", "jax")
#: runs a module as ``python -m`` would, then prints the heavy top-level packages it loaded
PROBE = ("import runpy, sys; sys.argv = [{module!r}, *{argv!r}]\n"
         "try:\n    runpy.run_module({module!r}, run_name='__main__', alter_sys=True)\n"
         "except SystemExit as e:\n    assert not e.code, e.code\n"
         "print('HEAVY', sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))")


@pytest.mark.parametrize(("module", "argv"), [("reproductions", ["list"]), ("common.compare", ["khorram2017"])])
def test_read_only_command_imports_no_tensorflow_jax_or_keras(module: str, argv: list[str]) -> None:
    code = PROBE.format(module=module, argv=argv, heavy=HEAVY)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "HEAVY []"


@pytest.mark.parametrize("name", reproductions.names())
def test_summary_read_from_source_matches_the_imported_paper(name: str) -> None:
    source = (ROOT / "reproductions" / name / "paper.py").read_text()
    paper = reproductions.get(name)
    assert read(source) == Summary(paper.name, paper.title,
                                   (*paper.corpora, *(e.name for e in paper.extra_corpora)), tuple(paper.profiles))


def test_a_computed_field_is_not_guessed() -> None:
    source = "TITLE = 'A' + 'B'\nPAPER = Paper(name='x', title=TITLE, corpora=('emodb',), profiles={'smoke': 1})\n"
    with pytest.raises(NotLiteral):
        read(source)


def test_summary_of_an_imported_module_comes_from_its_paper() -> None:
    module = reproductions.PAPERS["zhao2019"]
    reproductions.get("zhao2019")
    assert summary(module).profiles == tuple(reproductions.get("zhao2019").profiles)
