"""Old office formats (.doc, .wps, .et, .xls) read through LibreOffice, when it is installed:
``soffice --headless --convert-to`` writes a .docx or .xlsx in a private folder, which the
readers of those formats then read."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from kepugraph.errors import SourceError

#: suffix → (what it is, the format LibreOffice converts it to)
CONVERTED = {".doc": ("Word 97-2003", "docx"), ".wps": ("WPS Writer", "docx"),
             ".et": ("WPS Spreadsheets", "xlsx"), ".xls": ("Excel 97-2003", "xlsx")}
TIMEOUT = 120


def convert(path: Path, data: bytes) -> tuple[str, bytes]:
    """The converted file's format and bytes.

    Raises:
        SourceError: LibreOffice is not installed (the message says how to convert), or
            it could not convert the file in time.
    """
    what, target = CONVERTED[path.suffix.lower()]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SourceError(path, f"a {what} file: install LibreOffice (soffice) to read it, or save it as .{target}")
    with tempfile.TemporaryDirectory(prefix="kepugraph-") as tmp:
        src = Path(tmp) / f"in{path.suffix.lower()}"
        src.write_bytes(data)
        # its own process group: soffice hands the work to soffice.bin, which a kill of the
        # first alone leaves running (re-parented to PID 1, a core busy); the group goes whole
        proc = subprocess.Popen(
            [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", target, "--outdir", tmp, str(src)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            returncode = proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise SourceError(path, f"LibreOffice did not convert it within {TIMEOUT:g} s") from None
        finally:
            _kill_group(proc)
        out = Path(tmp) / f"in.{target}"
        if returncode != 0 or not out.is_file():
            raise SourceError(path, f"LibreOffice could not convert this {what} file")
        return target, out.read_bytes()


def _kill_group(proc: subprocess.Popen) -> None:
    """End every process of ``proc``'s group (it leads its own session) and reap ``proc``."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group has ended already
    proc.wait()
