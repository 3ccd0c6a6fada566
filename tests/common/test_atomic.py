"""common.atomic: one rename on success, nothing left on failure, and the mode a plain ``open`` would give."""

import stat

import pytest

from common import atomic


def test_atomic_write_replaces_in_one_rename(tmp_path):
    target = tmp_path / "sub" / "table.csv"
    atomic.atomic_write_text(target, "a,b\n")
    atomic.atomic_write_text(target, "a,b\n1,2\n")
    assert target.read_text() == "a,b\n1,2\n"
    assert [p.name for p in target.parent.iterdir()] == ["table.csv"]


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic.atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_written_file_has_the_mode_open_gives(tmp_path):
    plain = tmp_path / "plain"
    plain.write_text("x")
    target = tmp_path / "atomic"
    atomic.atomic_write_bytes(target, b"x")
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode) == atomic.FILE_MODE
