"""Word (.docx) → text: paragraphs with their automatic numbering written out, and tables.

A table becomes one line per row with its cells between `` | `` (merged cells resolved),
the form the parser reads every table in; Word's automatic numbering is written out.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from kepugraph.errors import SourceError
from kepugraph.reading.layout import table_cell, table_row

#: Refuse a .docx whose parts expand beyond these (zip bombs); one part (the document's
#: XML) is read whole, so it has a lower limit of its own.
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_PART = 64 * 1024 * 1024
MAX_RATIO = 200


def check_zip(path: Path, data: bytes, kind: str = ".docx", part: str = "word/document.xml") -> None:
    """Refuse what is not an office file of ``kind`` (no ``part`` inside), or a zip that
    expands absurdly."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SourceError(path, f"not a {kind} file (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            if part not in names:
                raise SourceError(path, f"not a {kind} file (no {part} inside)")
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if info.file_size > MAX_PART:
                    raise SourceError(path, f"zip member {info.filename} unzips to {info.file_size} bytes, over the "
                                            f"limit of {MAX_PART}: refused as too large")
                if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(1, info.compress_size):
                    raise SourceError(path, f"zip member {info.filename} expands {info.file_size // max(1, info.compress_size)} times: refused")
            if total > MAX_UNZIPPED:
                raise SourceError(path, f"unzips to {total} bytes, over the limit of {MAX_UNZIPPED}: refused")
    except zipfile.BadZipFile as exc:
        raise SourceError(path, f"corrupt {kind}: {exc}") from None


# --- numbering ------------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwanCountingThousand",
               "chineseLegalSimplified", "ideographDigital", "japaneseCounting"):
        return _chinese(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "bullet":
        return ""
    return str(n)


class _Numbering:
    """Word's automatic numbering: numId → levels (format, text pattern, start)."""

    def __init__(self, doc):
        from docx.oxml.ns import qn  # python-docx on first use, as in docx_text

        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for an in root.findall(qn("w:abstractNum")):
            lv = {}
            for lvl in an.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl")))
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                lv[ilvl] = (fmt.get(qn("w:val")) if fmt is not None else "decimal",
                            text.get(qn("w:val")) if text is not None else "%1.",
                            int(start.get(qn("w:val"))) if start is not None else 1)
            abstract[an.get(qn("w:abstractNumId"))] = lv
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.levels[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})

    def marker(self, paragraph) -> str:
        from docx.oxml.ns import qn  # python-docx on first use, as in docx_text

        ppr = paragraph._p.pPr
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        style = paragraph.style
        while numpr is None and style is not None:  # numbering given by the style (List Number)
            sppr = style.element.pPr
            numpr = sppr.find(qn("w:numPr")) if sppr is not None else None
            style = style.base_style
        if numpr is None:
            return ""
        num_id = numpr.find(qn("w:numId"))
        ilvl = numpr.find(qn("w:ilvl"))
        if num_id is None:
            return ""
        nid = num_id.get(qn("w:val"))
        level = int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
        levels = self.levels.get(nid)
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(nid, {})
        counters[level] = counters.get(level, levels[level][2] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        fmt, pattern, _ = levels[level]

        def fill(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            n = counters.get(k, levels.get(k, ("decimal", "", 1))[2])
            return _format(n, levels.get(k, (fmt,))[0])

        return re.sub(r"%(\d)", fill, pattern)


def docx_text(path: Path, data: bytes) -> str:
    """Paragraphs (with Word's numbering written out) and tables, in document order."""
    check_zip(path, data)
    try:
        # python-docx is imported here, not at the top: +0.12 s at every start-up otherwise (measured)
        from docx import Document
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        doc = Document(io.BytesIO(data))
    except SourceError:
        raise
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        raise SourceError(path, f"corrupt .docx: {str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}") from None
    numbering = _Numbering(doc)
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, doc)
            text = p.text.strip()
            if text:
                lines.append(numbering.marker(p) + text)
        elif tag == "tbl":
            lines.extend(_table_lines(Table(child, doc)))
    return "\n".join(lines) + "\n"


def _table_lines(table) -> list[str]:
    """A Word table as one text row per table row, cells between `` | ``: a vertically
    merged cell (a lead unit over several rows) repeated in every row it spans, a
    horizontally merged one written once (a section row is one cell)."""
    lines = []
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is last:  # the same cell again: a horizontal merge
                cells.append("")
                continue
            last = cell._tc
            cells.append(table_cell(cell.text))
        if any(cells):
            lines.append(table_row(cells))
    return lines


# --- PDF -----------------------------------------------------------------------------------------
