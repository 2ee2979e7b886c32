"""Returned progress sheets (任务进展表) → their cells: whose sheet, which round, every row.

A sheet comes back as .xlsx (from Excel, or re-saved by WPS or LibreOffice) or as .docx.
Its title names the unit (``区科协任务进展表``), the line under it the round
(``报送轮次：2025年6月``); its table has the columns the office sent. Nothing here judges
the cells: :mod:`kepugraph.analysis.progress` checks them against the plan.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from kepugraph.errors import SheetError, SourceError
from kepugraph.reading.docx import check_zip
from kepugraph.reading.review import cell_text, header_row, load_book
from kepugraph.reading.xlsx import MAX_ROWS

TITLE_SUFFIX = "任务进展表"
_ROUND_RE = re.compile(r"报送轮次[:：]\s*(\S+)")
# the columns a returned sheet must still have (the office's, kepugraph.analysis.progress)
NEEDED = ("编号", "任务及要求", "本单位角色", "完成时限", "进展状态", "进展情况", "完成日期", "报送日期", "联系人")


@dataclass
class ReturnedSheet:
    """A progress sheet as a unit sent it back: whose it is, which round, its rows' cells."""

    path: Path
    sheet: str  # the worksheet's name, or 表格1 in a .docx
    unit: str
    round: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number, column → text)


def _value(value) -> str:
    if isinstance(value, dt.datetime):  # a date typed into a cell: Excel and WPS make it a date
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return cell_text(value)


def read_returned(path: str | Path, max_bytes: int | None = None) -> list[ReturnedSheet]:
    """Every progress sheet in a returned file (.xlsx: each visible worksheet; .docx: the
    document).

    Raises:
        SourceError: missing, too large, not .xlsx/.docx, or corrupt.
        SheetError: no unit in the title, no round, or a column missing.
    """
    p = Path(path)
    if not p.is_file():
        raise SourceError(p, "no such file")
    if max_bytes is not None and p.stat().st_size > max_bytes:
        raise SourceError(p, f"larger than {max_bytes} bytes")
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx(p)
    if suffix == ".docx":
        return [_docx(p)]
    raise SourceError(p, "a returned sheet must be .xlsx or .docx (save a .xls/.et/.doc/.wps as one of them)")


def _head(path: Path, sheet: str, title: str, lines: list[str]) -> tuple[str, str]:
    if not title.endswith(TITLE_SUFFIX) or title == TITLE_SUFFIX:
        raise SheetError(path, sheet, 1, f"标题“{title[:40]}”不是“某单位{TITLE_SUFFIX}”（不是 kepugraph 发出的进展表）")
    found = next((m.group(1) for line in lines for m in [_ROUND_RE.search(line)] if m), None)
    if not found:
        raise SheetError(path, sheet, 2, "找不到“报送轮次：…”")
    return title[: -len(TITLE_SUFFIX)], found


def _xlsx(path: Path) -> list[ReturnedSheet]:
    book = load_book(path)
    out = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        if ws.max_row > MAX_ROWS:
            raise SourceError(path, f"sheet {ws.title!r} has {ws.max_row} rows, over the limit of {MAX_ROWS}")
        title = cell_text(ws.cell(row=1, column=1).value)
        unit, round_ = _head(path, ws.title, title, [cell_text(ws.cell(row=2, column=1).value)])
        head, cols = header_row(path, ws, NEEDED)
        sheet = ReturnedSheet(path, ws.title, unit, round_)
        for r, values in enumerate(ws.iter_rows(min_row=head + 1, values_only=True), head + 1):
            cells = {name: _value(values[k]) if k < len(values) else "" for name, k in cols.items()}
            if any(cells.values()):
                sheet.rows.append((r, cells))
        out.append(sheet)
    if not out:
        raise SourceError(path, "no visible worksheet")
    return out


def _docx(path: Path) -> ReturnedSheet:
    data = path.read_bytes()
    check_zip(path, data)
    try:
        # imported here, not at the top: +0.12 s at every start-up otherwise (measured)
        from docx import Document

        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        raise SourceError(path, f"corrupt .docx: {str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}") from None
    name = "表格1"
    paragraphs = [p.text.strip() for p in doc.paragraphs if p.text.strip()]
    unit, round_ = _head(path, name, paragraphs[0] if paragraphs else "", paragraphs[1:4])
    if not doc.tables:
        raise SheetError(path, name, None, "没有表格")
    table = doc.tables[0]
    header = [c.text.strip() for c in table.rows[0].cells]
    missing = [c for c in NEEDED if c not in header]
    if missing:
        raise SheetError(path, name, 1, f"缺少列：{'、'.join(missing)}")
    sheet = ReturnedSheet(path, name, unit, round_)
    for r, row in enumerate(table.rows[1:], 2):
        cells = {h: c.text.strip() for h, c in zip(header, row.cells) if h}
        if any(cells.values()):
            sheet.rows.append((r, cells))
    return sheet
