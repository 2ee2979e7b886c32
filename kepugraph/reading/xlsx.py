"""Excel (.xlsx) → text: each sheet's rows as `` | ``-separated lines, the form the parser
reads every table in; a merged range's value is repeated down the rows it spans and
written once across its columns."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from kepugraph.errors import SourceError
from kepugraph.reading.docx import check_zip
from kepugraph.reading.layout import table_cell, table_row

#: Rows and columns read per sheet at most (a sheet that claims a million rows is refused).
MAX_ROWS, MAX_COLUMNS = 20000, 100


def xlsx_text(path: Path, data: bytes) -> str:
    """Every sheet in order, its name on a line of its own, then its rows."""
    check_zip(path, data, ".xlsx", "xl/workbook.xml")
    try:
        # imported here, not at the top: +0.20 s at every start-up otherwise (measured)
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, zipfile and lxml errors …
        first = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise SourceError(path, f"corrupt .xlsx: {first}") from None
    lines: list[str] = []
    for sheet in book.worksheets:
        if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
            raise SourceError(path, f"sheet {sheet.title!r} has {sheet.max_row} rows × {sheet.max_column} columns, "
                                    f"over the limit of {MAX_ROWS} × {MAX_COLUMNS}")
        lines.append(sheet.title)
        lines += sheet_lines(sheet)
    return "\n".join(lines) + "\n"


def sheet_lines(sheet) -> list[str]:
    """One line per non-empty row, merged ranges resolved."""
    values = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        top = values[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(values) else ""
        for r in range(merged.min_row, min(merged.max_row, len(values)) + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                # down the rows: the value again (a lead over several tasks); across: once
                values[r - 1][c - 1] = top if c == merged.min_col else ""
    return [table_row(row) for row in values if any(row)]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return table_cell(str(value))
