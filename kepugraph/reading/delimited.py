""".csv and .tsv task lists (a sheet saved as text by Excel or WPS): one ``|`` row per record,
as every reader writes a table for the parser."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kepugraph.errors import SourceError
from kepugraph.reading.layout import table_cell, table_row
from kepugraph.reading.xlsx import MAX_COLUMNS, MAX_ROWS

#: What a saved sheet parts its cells with: comma, tab, semicolon (Excel in some locales).
DELIMITERS = ",\t;"


def delimiter_of(text: str, suffix: str) -> str:
    """The cell separator: a tab for .tsv; for .csv the one of , tab ; that parts the first
    lines into the same number of cells most often (quotes respected), a comma when none does."""
    if suffix == ".tsv":
        return "\t"
    sample = text[:20_000].splitlines()[:20]
    best, best_score = ",", 0
    for d in DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(sample, delimiter=d)]
        except csv.Error:
            continue
        common = max(set(widths), key=widths.count) if widths else 1
        score = widths.count(common) if common > 1 else 0
        if score > best_score:
            best, best_score = d, score
    return best


def delimited_text(path: Path, text: str, suffix: str = ".csv") -> str:
    """The records of a .csv/.tsv as ``|`` rows, empty records dropped.

    Raises:
        SourceError: a malformed record (an unclosed quote), or more rows or columns than a
            sheet may hold (the .xlsx limits).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text, suffix), strict=True)
    lines: list[str] = []
    try:
        for n, record in enumerate(reader, 1):
            if n > MAX_ROWS:
                raise SourceError(path, f"more than {MAX_ROWS} records, over the limit of {MAX_ROWS} × {MAX_COLUMNS}")
            if len(record) > MAX_COLUMNS and any(c.strip() for c in record[MAX_COLUMNS:]):
                raise SourceError(path, f"record {n} has {len(record)} cells, over the limit of {MAX_ROWS} × "
                                        f"{MAX_COLUMNS}")
            cells = [table_cell(c) for c in record[:MAX_COLUMNS]]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                lines.append(table_row(cells) if len(cells) > 1 else cells[0])
    except csv.Error as exc:
        raise SourceError(path, f"not a readable CSV file: {exc} (record {reader.line_num})") from None
    return "\n".join(lines) + "\n"
