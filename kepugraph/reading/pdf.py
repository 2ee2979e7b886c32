"""PDF → text: the text layer of each page, page numbers dropped, wrapped lines joined."""

from __future__ import annotations

import io
import logging
import re
import zlib
from pathlib import Path

from kepugraph.errors import SourceError
from kepugraph.reading.layout import opens_item
from kepugraph.reading.textnorm import normalize

_PAGE_NO = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}(\s*页)?(\s*/\s*共?\s*\d+\s*页?)?[-—–\s]*$")
_ENDS_PARAGRAPH = re.compile(r"[。；;：:！!？?）)〕】”]$")


#: A PDF whose compressed streams inflate beyond this, or with more pages, is refused before
#: it is parsed (a 3 MB file can hold a stream that inflates to gigabytes).
MAX_INFLATED = 256 * 1024 * 1024
MAX_PAGES = 2000
_STREAM = re.compile(rb"stream\r?\n")


def check_inflation(path: Path, data: bytes, limit: int = MAX_INFLATED) -> None:
    """Inflate every Flate stream in bounded chunks, counting, and refuse past ``limit``.

    Raises:
        SourceError: the streams inflate beyond the limit (a size problem, said so).
    """
    total = 0
    for m in _STREAM.finditer(data):
        inflater = zlib.decompressobj()
        chunk = data[m.end():m.end() + 1024 * 1024 * 64]
        try:
            out = inflater.decompress(chunk, 1024 * 1024)
            while out:
                total += len(out)
                if total > limit:
                    raise SourceError(path, f"PDF streams inflate to more than {limit} bytes: refused as too large")
                out = inflater.decompress(inflater.unconsumed_tail, 1024 * 1024)
        except zlib.error:
            continue  # not a Flate stream, or damaged: pdfplumber decides


def pdf_text(path: Path, data: bytes) -> str:
    """The text of a PDF: page headers, footers and numbers dropped, wrapped lines joined."""
    check_inflation(path, data)

    # imported here, not at the top: +0.16 s at every start-up otherwise (measured)
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are not the user's problem
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        name = type(exc).__name__
        if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            raise SourceError(path, "encrypted PDF: cannot read its text") from None
        raise SourceError(path, f"corrupt PDF: {str(exc).splitlines()[0][:120] if str(exc) else name}") from None
    try:
        if len(pdf.pages) > MAX_PAGES:
            raise SourceError(path, f"PDF has {len(pdf.pages)} pages, over the limit of {MAX_PAGES}: refused as too large")
        pages = [(page.extract_text() or "").split("\n") for page in pdf.pages]
    except SourceError:
        raise
    except Exception as exc:
        if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            raise SourceError(path, "encrypted PDF: cannot read its text") from None
        raise SourceError(path, f"corrupt PDF: {type(exc).__name__}") from None
    finally:
        pdf.close()
    if not any(line.strip() for lines in pages for line in lines):
        raise SourceError(path, "PDF has no text layer (a scanned image?)")
    # lines repeated at the top or bottom of most pages are running headers and footers
    edges: dict[str, int] = {}
    for lines in pages:
        kept = [ln.strip() for ln in lines if ln.strip()]
        for ln in set(kept[:2] + kept[-2:]):
            # running heads are short labels, never sentences of the body
            if not _PAGE_NO.match(ln) and len(ln) <= 40 and not re.search(r"[。；;（(]", ln):
                edges[ln] = edges.get(ln, 0) + 1
    furniture = {ln for ln, k in edges.items() if len(pages) >= 2 and k >= max(2, 0.6 * len(pages))}
    out: list[str] = []
    for lines in pages:
        for ln in lines:
            s = ln.strip()
            if not s or _PAGE_NO.match(s) or s in furniture:
                continue
            out.append(s)
    return "\n".join(_join_wrapped(out)) + "\n"


def _join_wrapped(lines: list[str]) -> list[str]:
    """Join a line that the page width broke off to the next, unless the next opens an item."""
    merged: list[str] = []
    for ln in lines:
        n = normalize(ln)
        opens = opens_item(n) or re.match(r"^(牵头|责任|配合|主办|完成时限)", n)
        if merged and not opens and not _ENDS_PARAGRAPH.search(normalize(merged[-1])) and len(merged[-1]) >= 20:
            merged[-1] += ln
        else:
            merged.append(ln)
    return merged
