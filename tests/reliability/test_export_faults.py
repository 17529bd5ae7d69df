"""Export under faults: a disk that fills up or a folder that cannot be written gives one clear error and
leaves no partial file that looks complete (app.core.atomic)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from app.core import atomic
from app.core.atomic import WriteError, write_atomically
from tests.test_cli import iza_kg

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "loader"


def full_disk_after(limit: int):
    """An os.write that fails with ENOSPC once `limit` bytes were written."""
    written = 0
    real_write = os.write

    def write(descriptor, data):
        nonlocal written
        if written + len(data) > limit:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written += len(data)
        return real_write(descriptor, data)

    return write


def test_a_full_disk_leaves_the_old_file_and_no_partial_one(tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"the previous, complete export\n")
    monkeypatch.setattr(atomic.os, "write", full_disk_after(1000))
    with pytest.raises(WriteError, match="graph.ttl: No space left on device"):
        write_atomically(target, b"x" * 100_000)
    assert target.read_bytes() == b"the previous, complete export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_a_full_disk_on_a_new_file_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic.os, "write", full_disk_after(10))
    with pytest.raises(WriteError):
        write_atomically(tmp_path / "new.nt", b"y" * 5000)
    assert list(tmp_path.iterdir()) == []


def test_a_whole_write_replaces_the_file(tmp_path):
    target = write_atomically(tmp_path / "sub" / "graph.ttl", b"complete\n")
    assert target.read_bytes() == b"complete\n"
    assert [p.name for p in target.parent.iterdir()] == ["graph.ttl"]


def test_export_into_a_folder_that_cannot_be_written_is_one_clear_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the export folder should be")
    result = iza_kg("export", "--format", "nt", "-o", str(blocker / "graph.nt"), sources=str(FIXTURES / "label-one.ttl"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: cannot write {blocker / 'graph.nt'}: ")
    assert "Traceback" not in result.stderr
    assert blocker.read_text() == "a file where the export folder should be"
