"""Which files a corpus build reads: plan files by their kind, folders searched, and the
pages kepugraph itself wrote left out."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from kepugraph.errors import SourceError

#: Written into every page kepugraph makes, so that a corpus build never reads one back.
PAGE_MARK = '<meta name="generator" content="kepugraph">'
SUFFIXES = {".txt", ".text", ".docx", ".xlsx", ".html", ".htm", ".pdf", ".doc", ".wps", ".et", ".xls", ".csv", ".tsv"}


def _own_page(path: Path) -> bool:
    """A page kepugraph wrote (a graph's units page beside it), never a plan to read."""
    if path.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        with open(path, "rb") as fh:
            return PAGE_MARK.encode() in fh.read(4096)
    except OSError:
        return False


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """The plan files named by ``paths``: files as given, folders searched recursively.

    Raises:
        SourceError: a path that does not exist.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise SourceError(p, "no such file")
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                              and not f.name.startswith(".") and not _own_page(f)))
        else:
            out.append(p)
    return list(dict.fromkeys(out))
