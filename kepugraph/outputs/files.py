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

    Every file goes to a temporary file beside its target first; only when all are
    written and flushed are they renamed into place. On any failure (a full disk,
    Ctrl-C) the temporary files are removed and the targets stay as they were.

    Raises:
        OutputError: a folder cannot be created or written, or the disk is full.
    """
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in outputs:
            path = Path(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            except OSError as exc:
                raise OutputError(path.parent, f"cannot write here: {exc.strerror or exc}") from None
            temps.append((tmp, path))
            # mkstemp makes the file private; give it the mode a plain open() would
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
        for tmp, path in temps:
            os.replace(tmp, path)
        temps = []
    finally:
        for tmp, _ in temps:
            try:
                os.unlink(tmp)
            except OSError:
                pass
