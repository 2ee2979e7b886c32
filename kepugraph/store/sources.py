"""Which files a corpus build reads: plan files by their kind, folders searched, and the
pages kepugraph itself wrote left out."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Iterable, Sequence

from kepugraph.errors import SourceError
from kepugraph.store.parsed import Parsed

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


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def changed(paths: Sequence[Path], report, known: Callable[[list[str]], set[str]],
            progress: Callable[[Parsed | str], None] | None = None, rehash: bool = False,
            max_bytes: int | None = None) -> list[str]:
    """The paths whose bytes a store does not hold yet (``known``: which of these source hashes
    it holds; all of the paths with ``rehash``); a file over ``max_bytes`` or not a regular file
    fails before it is hashed (into ``report.failed``), the others held go to ``report.skipped``."""
    hashed = []
    for p in paths:
        try:
            if not Path(p).is_file():
                report.failed.append(Parsed(path=str(p), error=f"{p}: not a regular file"))
                continue
            size = Path(p).stat().st_size
            if max_bytes is not None and size > max_bytes:
                report.failed.append(Parsed(path=str(p), error=f"{p}: file is {size} bytes, over the limit of "
                                                               f"{max_bytes} bytes"))
                continue
            hashed.append((p, _sha(p)))
        except OSError as exc:
            report.failed.append(Parsed(path=str(p), error=f"{p}: cannot read: {exc.strerror}"))
    held = known([d for _, d in hashed]) if not rehash else set()
    todo = []
    for p, digest in hashed:
        if digest in held:
            report.skipped.append(str(p))
            if progress:
                progress(str(p))
        else:
            todo.append(str(p))
    return todo
