"""Writing files so that a reader never sees half of one: temporary file, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kepugraph.errors import OutputError


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place.

    Raises:
        OutputError: the folder cannot be created or written, or the disk is full.
    """
    write_all([(Path(path), data)])


def write_all(outputs: list[tuple[Path, bytes]]) -> None:
    """Write several files so that either all of them change or none does.

    Every regular file goes to a temporary file beside its target first; only when all
    are written and flushed are they renamed into place. On any failure (a full disk,
    Ctrl-C) the temporary files are removed and the targets stay as they were. A symlink
    is followed to the file it names (the link stays); a device or a FIFO (``/dev/null``,
    ``/dev/stdout``) is written straight, never replaced.

    Raises:
        OutputError: a target is a folder, a folder cannot be created or written, or the
            disk is full — before any target changes.
    """
    plan = [(_target(Path(path)), data) for path, data in outputs]  # every target checked first
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in plan:
            if path.exists() and not path.is_file():  # a device or a FIFO: written in place
                continue
            fd, tmp = _temp_beside(path)
            temps.append((tmp, path))  # registered first: removed on any failure, Ctrl-C too
            _fill(fd, path, data)
        for path, data in plan:
            if path.exists() and not path.is_file():
                _write_straight(path, data)
        for tmp, path in temps:
            os.replace(tmp, path)
        temps = []
    finally:
        for tmp, _ in temps:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _target(path: Path) -> Path:
    """The file to write for ``path``: a symlink's target; a folder is an error."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if path.is_dir():
        raise OutputError(path, "is a directory, not a file")
    return path


def _temp_beside(path: Path) -> tuple[int, str]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(path.parent, f"cannot write here: {exc.strerror or exc}") from None
    # mkstemp makes the file private; give it the mode a plain open() would
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return fd, tmp


def _fill(fd: int, path: Path, data: bytes) -> None:
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None


def _write_straight(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as fh:
            fh.write(data)
            fh.flush()
    except OSError as exc:
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
