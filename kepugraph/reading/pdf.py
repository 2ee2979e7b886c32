"""PDF → text: the text layer of each page, page numbers dropped, wrapped lines joined."""

from __future__ import annotations

import base64
import io
import logging
import re
import zlib
from pathlib import Path

from kepugraph.errors import SourceError
from kepugraph.reading.layout import ENDS_PARAGRAPH, Numbering, table_cell, table_row
from kepugraph.reading.textnorm import normalize
from kepugraph.worker import LimitExceeded, run_in_worker

_PAGE_NO = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}(\s*页)?(\s*/\s*共?\s*\d+\s*页?)?[-—–\s]*$")


#: A PDF whose compressed streams inflate beyond this, or with more pages, is refused before
#: it is parsed (a 3 MB file can hold a stream that inflates to gigabytes).
MAX_INFLATED = 256 * 1024 * 1024
MAX_PAGES = 2000
#: The whole reading of one PDF runs in a worker process held to this time and memory, and
#: stops past this many characters of text: 240 MB of text operators inflate within the
#: limit above and still took pdfminer to 10 GB.
PDF_SECONDS = 60
PDF_MEMORY = 1024 * 1024 * 1024
MAX_CHARS = 5_000_000
# a stream's data begins after "stream" and one line end: CR LF, LF, or (against the
# standard, but read by pdfminer) CR alone
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_HEX = re.compile(rb"[0-9A-Fa-f\s]*>")


def _layers(data: bytes, start: int) -> bytes:
    """A stream's bytes with the text encodings a Flate stream may hide under taken off
    (ASCIIHexDecode, ASCII85Decode): what zlib then inflates."""
    end = data.find(b"endstream", start, start + 64 * 1024 * 1024)
    window = data[start:end if end >= 0 else start + 64 * 1024 * 1024]
    hexed = _HEX.match(window)
    if hexed and hexed.end() > 16:
        digits = re.sub(rb"\s", b"", window[:hexed.end() - 1])
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
    closing = window.rfind(b"~>")
    if closing > 0:
        try:
            return base64.a85decode(window[:closing + 2], adobe=True, ignorechars=b" \t\r\n")
        except ValueError:
            pass
    return window


def check_inflation(path: Path, data: bytes, limit: int = MAX_INFLATED) -> None:
    """Inflate every Flate stream in bounded chunks, counting, and refuse past ``limit`` in all
    (a stream under ASCIIHex or ASCII85 too).

    Raises:
        SourceError: the streams inflate beyond the limit (a size problem, said so).
    """
    total = 0
    for m in _STREAM.finditer(data):
        inflater = zlib.decompressobj()
        chunk = _layers(data, m.end())
        try:
            out = inflater.decompress(chunk, 1024 * 1024)
            while out:
                total += len(out)
                if total > limit:
                    raise SourceError(path, f"PDF streams inflate to more than {limit} bytes: refused as too large")
                out = inflater.decompress(inflater.unconsumed_tail, 1024 * 1024)
        except zlib.error:
            continue  # not a Flate stream, or damaged: pdfplumber decides


def pdf_text(path: Path, data: bytes, seconds: float = PDF_SECONDS, memory_bytes: int = PDF_MEMORY) -> str:
    """The text of a PDF: page headers, footers and numbers dropped, wrapped lines joined.

    Read in a worker process killed past ``seconds`` or ``memory_bytes``: the work a PDF
    asks for is bounded, whatever filter, operator or structure it is built from.
    """
    check_inflation(path, data)
    try:
        return run_in_worker(lambda: _pdf_text(path, data), seconds, memory_bytes)
    except LimitExceeded as exc:
        if exc.kind == "time":
            raise SourceError(path, f"PDF not read within {seconds:g} s: refused as too large") from None
        if exc.kind == "memory":
            raise SourceError(path, f"PDF needs more than {memory_bytes // 2**20} MB to read: refused as too "
                                    "large") from None
        raise SourceError(path, f"corrupt PDF: {exc.detail}") from None


def _read_pages(path: Path, data: bytes) -> list:
    """Each page's lines (see :func:`_page_lines`), at most MAX_PAGES pages and MAX_CHARS characters."""

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
        pages, chars = [], 0
        for page in pdf.pages:
            pages.append(_page_lines(page))
            chars += sum(len(text) for text, _, _ in pages[-1])
            if chars > MAX_CHARS:
                raise SourceError(path, f"PDF holds more than {MAX_CHARS} characters of text: refused as too large")
    except SourceError:
        raise
    except Exception as exc:
        if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            raise SourceError(path, "encrypted PDF: cannot read its text") from None
        raise SourceError(path, f"corrupt PDF: {type(exc).__name__}") from None
    finally:
        pdf.close()
    return pages


def _pdf_text(path: Path, data: bytes) -> str:
    pages = _read_pages(path, data)
    if not any(text.strip() for lines in pages for text, _, _ in lines):
        raise SourceError(path, "PDF has no text layer (a scanned image?)")
    # lines repeated at the top or bottom of most pages are running headers and footers
    edges: dict[str, int] = {}
    for lines in pages:
        kept = [text.strip() for text, _, cells in lines if text.strip() and cells is None]
        for ln in set(kept[:2] + kept[-2:]):
            # running heads are short labels, never sentences of the body
            if not _PAGE_NO.match(ln) and len(ln) <= 40 and not re.search(r"[。；;（(]", ln):
                edges[ln] = edges.get(ln, 0) + 1
    furniture = {ln for ln, k in edges.items() if len(pages) >= 2 and k >= max(2, 0.6 * len(pages))}
    out: list[tuple[str, bool, list[str] | None, int]] = []
    for page_no, lines in enumerate(pages):
        kept = [(text.strip(), full, cells) for text, full, cells in lines if text.strip()]
        for i, (s, full, cells) in enumerate(kept):
            # a page number stands at the top or the foot; a lone number inside the page is a
            # table's row number (序号) written on its own line
            at_edge = i < 2 or i >= len(kept) - 2
            if cells is None and (at_edge and _PAGE_NO.match(s) or s in furniture):
                continue
            last = out[-1] if out else None
            if (cells is not None and last is not None and last[2] is not None and last[3] == page_no - 1
                    and len(last[2]) == len(cells) and not cells[0] and last[2][0]):
                # a row the page break cut: its second part has no 序号; the cells run on
                merged = [a + b for a, b in zip(last[2], cells)]
                out[-1] = (_row(merged), False, merged, page_no)
                continue
            out.append((s, full, cells, page_no))
    return "\n".join(_join_wrapped([(s, full) for s, full, _, _ in out])) + "\n"


def _row(cells: list[str]) -> str:
    """A table row as the .docx reader writes one: cells parted by |."""
    return table_row([table_cell(c) for c in cells])


#: How far short of the right margin (in line heights, about characters) a line may end and
#: still have been broken by the page width: a closing mark may not start a line, so the
#: character before it moves down with it (…自然资源 / 局、…)
_SLACK = 2.5


def _page_lines(page) -> list[tuple[str, bool, list[str] | None]]:
    """One page's lines in reading order, each with whether it runs to the right margin
    (only such a line was broken by the page width). A ruled table comes out a row a line,
    its cells parted by | as the .docx reader writes them, with the cells kept (a row a page
    break cut is whole again in :func:`pdf_text`)."""
    tables = [t for t in page.find_tables() if max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in tables]

    body = page.filter(lambda obj: not any(_centred_in(obj, box) for box in boxes)) if boxes else page
    lines = [dict(ln, text=_spaced(ln)) for ln in body.extract_text_lines(strip=True, return_chars=True)]
    right = _right_edge(page.width, lines)
    placed: list[tuple[float, str, bool, list[str] | None]] = [
        (ln["top"], ln["text"], right is not None and ln["x1"] >= right - _SLACK * (ln["bottom"] - ln["top"]), None)
        for ln in lines]
    for table, (_, top, _, _) in zip(tables, boxes):
        for i, row in enumerate(table.rows):
            cells = [_cell_text(page, cell) if cell else "" for cell in row.cells]
            placed.append((top + i * 1e-3, _row(cells), False, cells))
    placed.sort(key=lambda p: p[0])
    return [(text, full, cells) for _, text, full, cells in placed]


def _spaced(line: dict) -> str:
    """A line's text with a space only where its characters stand apart more than they
    usually do: a letter-spaced line (区 科 协 牵 头, as justified 仿宋 prints) reads 区科协牵头,
    a gap between two cells or words stays a space."""
    chars = sorted((c for c in line["chars"] if c["text"].strip()), key=lambda c: c["x0"])
    if len(chars) < 2:
        return line["text"]
    gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:])]
    usual = sorted(gaps)[len(gaps) // 2]
    size = sorted(c["size"] for c in chars)[len(chars) // 2]
    out = [chars[0]["text"]]
    for gap, c in zip(gaps, chars[1:]):
        if gap > max(usual, 0.0) + max(0.2 * size, 3.0):  # 3 pt: pdfplumber's own tolerance
            out.append(" ")
        out.append(c["text"])
    return "".join(out)


def _centred_in(obj: dict, bbox) -> bool:
    """Is a character's centre inside ``bbox``? (Its box may cross a cell's border: a CJK
    font's ascent reaches above the line; a crop would take the row below's first line.)"""
    if obj.get("object_type") != "char":
        return False
    x0, top, x1, bottom = bbox
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _cell_text(page, bbox) -> str:
    """A table cell's text: a line that fills the cell's width was wrapped by it and runs
    on (区科 / 协 → 区科协); a line that stops short ends a name (one unit a line)."""
    x0, top, x1, bottom = bbox
    inside = page.filter(lambda obj: _centred_in(obj, bbox))
    lines = [dict(ln, text=_spaced(ln)) for ln in inside.extract_text_lines(strip=True, return_chars=True)]
    out = ""
    for k, ln in enumerate(lines):
        if k:
            before = lines[k - 1]
            size = before["bottom"] - before["top"]
            runs_on = before["x1"] >= x1 - _SLACK * size
            ascii_pair = out[-1:].isascii() and out[-1:].isalnum() and ln["text"][:1].isascii()
            out += (" " if ascii_pair else "") if runs_on else "\n"
        out += ln["text"]
    return out


def _right_edge(width: float, lines: list[dict]) -> float | None:
    """Where the text of a page ends on the right: the left margin mirrored, or failing a
    line that reaches it, the edge that three lines or more share; None when none does."""
    if not lines:
        return None
    size = max(ln["bottom"] - ln["top"] for ln in lines)
    mirrored = width - min(ln["x0"] for ln in lines)
    if any(ln["x1"] >= mirrored - _SLACK * size for ln in lines):
        return mirrored
    edge = max(ln["x1"] for ln in lines)
    return edge if sum(1 for ln in lines if ln["x1"] >= edge - size) >= 3 else None


def _join_wrapped(lines: list[tuple[str, bool]]) -> list[str]:
    """Join a line the page width broke off (one that runs to the right margin and ends no
    sentence) to the next, unless the next opens an item or a responsibility field."""
    merged: list[str] = []
    full_before = False
    numbering = Numbering()
    for ln, full in lines:
        n = normalize(ln)
        opens = numbering.starts_anew(n)
        if merged and full_before and not opens and not ENDS_PARAGRAPH.search(normalize(merged[-1])):
            merged[-1] += ln
        else:
            merged.append(ln)
        full_before = full
    return merged
