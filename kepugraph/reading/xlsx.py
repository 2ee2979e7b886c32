"""Excel (.xlsx) → text: each sheet's rows as `` | ``-separated lines, the form the parser
reads every table in; a merged range's value is repeated down the rows it spans and
written once across its columns."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from kepugraph.errors import SourceError
from kepugraph.reading.docx import check_zip
from kepugraph.reading.layout import table_cell, table_row

#: Rows and columns read per sheet at most (a sheet that claims a million rows is refused),
#: and cells: a task table of 20,000 rows has a dozen columns, not a hundred.
MAX_ROWS, MAX_COLUMNS = 20000, 100
MAX_CELLS = 400_000


def xlsx_text(path: Path, data: bytes) -> str:
    """Every sheet in order, its name on a line of its own, then its rows.

    Rows are read as they stream from the file (openpyxl's read-only mode), and a sheet is
    refused at its first row or column past the limit: cells written without positions
    compress ~100 times, so a workbook within the zip limits still holds millions of them.
    """
    check_zip(path, data, ".xlsx", "xl/workbook.xml")
    book = None
    try:
        # imported here, not at the top: +0.20 s at every start-up otherwise (measured)
        from openpyxl import load_workbook

        # every sheet counted before openpyxl opens it (it reads a sheet without a
        # <dimension> through to the end just to open it)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            merged = {name: _scan(path, archive, name, lambda name=name: _title(archive, name))
                      for name in archive.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")}
        book = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        lines: list[str] = []
        for sheet in book.worksheets:
            lines.append(sheet.title)
            lines += sheet_lines(sheet, path, merged.get(sheet._worksheet_path, []))  # noqa: SLF001 - no public way
    except SourceError:
        raise
    except Exception as exc:  # openpyxl raises KeyError, zipfile and lxml errors …
        first = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise SourceError(path, f"corrupt .xlsx: {first}") from None
    finally:
        if book is not None:
            book.close()
    return "\n".join(lines) + "\n"


def sheet_lines(sheet, path: Path | str = "", merged: list[tuple[int, int, int, int]] | None = None) -> list[str]:
    """One line per non-empty row, merged ranges resolved; at most MAX_ROWS × MAX_COLUMNS.

    ``merged``: (min_col, min_row, max_col, max_row) of each merged range, for a read-only
    sheet, which does not keep them; a sheet read in full gives its own."""
    values = []
    for n, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if n > MAX_ROWS:
            raise SourceError(path, f"sheet {sheet.title!r} has more than {MAX_ROWS} rows, over the limit of "
                                    f"{MAX_ROWS} × {MAX_COLUMNS}")
        if len(row) > MAX_COLUMNS and any(v is not None for v in row[MAX_COLUMNS:]):
            raise SourceError(path, f"sheet {sheet.title!r} has {len(row)} columns in row {n}, over the limit of "
                                    f"{MAX_ROWS} × {MAX_COLUMNS}")
        values.append([_text(v) for v in row[:MAX_COLUMNS]])
    if merged is None:
        merged = [(m.min_col, m.min_row, m.max_col, m.max_row) for m in sheet.merged_cells.ranges]
    for min_col, min_row, max_col, max_row in merged:
        if min_row > len(values) or min_col > MAX_COLUMNS:
            continue
        top = values[min_row - 1][min_col - 1] if min_col <= len(values[min_row - 1]) else ""
        for r in range(min_row, min(max_row, len(values)) + 1):
            for c in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                while len(values[r - 1]) < c:
                    values[r - 1].append("")
                # down the rows: the value again (a lead over several tasks); across: once
                values[r - 1][c - 1] = top if c == min_col else ""
    return [table_row(row) for row in values if any(row)]


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_MERGE_TAG = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?)\"")


def _title(archive: zipfile.ZipFile, member: str) -> str:
    """The title of the sheet stored in ``member`` (its file name if the workbook says none)."""
    from openpyxl.reader.workbook import WorkbookParser

    try:
        parser = WorkbookParser(archive, "xl/workbook.xml")
        parser.parse()
        return next((sheet.name for sheet, rel in parser.find_sheets() if rel.target.lstrip("/") == member),
                    member)
    except Exception:  # a workbook.xml openpyxl cannot read: openpyxl says so when it opens the file
        return member


def _scan(path: Path | str, archive, member: str, title) -> list[tuple[int, int, int, int]]:
    """Count a sheet's rows and cells in its XML as it unzips (a byte search, no parsing), refuse
    it past the limits before openpyxl builds a cell, and return its merged ranges."""
    from openpyxl.utils.cell import range_boundaries

    rows = cells = 0
    merged: list[tuple[int, int, int, int]] = []
    tail = b""
    with archive.open(member) as xml:
        while chunk := xml.read(1 << 20):
            buf = tail + chunk
            cut = buf.rfind(b">") + 1  # whole tags only: the rest waits for the next chunk
            part, tail = buf[:cut], buf[cut:]
            rows += len(_ROW_TAG.findall(part))
            cells += len(_CELL_TAG.findall(part))
            if rows > MAX_ROWS or cells > MAX_CELLS:
                what = f"more than {MAX_ROWS} rows" if rows > MAX_ROWS else f"more than {MAX_CELLS} cells"
                raise SourceError(path, f"sheet {title()!r} has {what}, over the limit of {MAX_ROWS} × {MAX_COLUMNS}")
            for ref in _MERGE_TAG.findall(part):
                bounds = range_boundaries(ref.decode("ascii").upper())
                if None not in bounds:
                    merged.append(bounds)  # type: ignore[arg-type]
    return merged


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return table_cell(str(value))
