"""Task tables in text: every form a 任务分工表 takes once a page, a PDF or a Word file is
turned into text.

A table is found by its header: column names read by meaning (:func:`column_kind`), at
least one task column and one column of responsible units. The header and the rows may be

* ``pipe`` — one row per line, cells between ``|`` (also what the readers write for the
  tables of .docx, .html and .xlsx files, merged cells repeated);
* ``tab`` — cells between tabs; ``spaces`` — between runs of two or more spaces;
* ``space`` — between single spaces (a web page's table pasted as text): each row starts
  with its number, and the unit columns are read from the right, where they stand;
* ``stacked`` — one cell per line (blank lines between, or `` |`` after each cell), each
  row starting with a line holding only its number (read by
  :mod:`~kepugraph.extraction.stacked`).

Rows with fewer cells than columns lost their merged cells, which are the leftmost:
they are aligned from the right. A row whose only cell opens with a heading marker, or a
first cell that does, is a heading of the rows below. A table whose header names no
responsible units (an indicator or budget table) is skipped, and said so once.
"""

from __future__ import annotations

import re

from kepugraph.extraction.cells import DATE_RE, PERSON_RE, Cell, Table, TableRow, line_cell, units_like
from kepugraph.extraction.columns import MD_RULE_RE, NUMBER_RE, RESPONSIBLE, find_header
from kepugraph.extraction.running import running_tables
from kepugraph.extraction.stacked import read_stacked
from kepugraph.reading.layout import opens_item

__all__ = ["Cell", "Table", "TableRow", "find_tables"]

_ROW_START_RE = re.compile(r"^(\d{1,4})\*?[.、]?\s+\S")
#: A page's number left between the rows of a table a page break cut: — 2 —, - 3 -, 第4页
_PAGE_NUMBER_RE = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,4}\s*(?:页)?[-—–－\s]*$|^第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?$")


def find_tables(text: str, norm: str, lines: list[tuple[int, int]]) -> list[Table]:
    """Every table of the text with a header: task tables with their rows, and the
    others with the reason they were skipped."""
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        found = find_header(norm, lines, i)
        if found is None:
            i += 1
            continue
        form, columns, header_start, first_row = found
        if "support" in columns and "lead" not in columns:
            # 责任单位 | 配合单位, 承办单位 | 协办单位: the unit that carries a task out beside the
            # units that help it leads (X落实，Y配合)
            columns = ["lead" if k == "unit" else k for k in columns]
        table = Table(start=header_start, end=lines[first_row - 1][1], form=form, columns=columns)
        if "task" not in columns or not set(RESPONSIBLE) & set(columns):
            table.skipped = ("no task column (重点任务, 工作内容 …)" if "task" not in columns
                             else "no column of responsible units (牵头单位, 责任单位 …)")
            tables.append(table)
            i = first_row
            continue
        reader = read_stacked if form == "stacked" else _read_delimited
        end_line = reader(text, norm, lines, first_row, table)
        if table.rows:
            table.end = max(table.end, table.rows[-1].end)
            tables.append(table)
        i = max(end_line, i + 1)
    for a, b in lines:  # a table run into a paragraph: header words, then rows, on one line
        if b - a >= 100 and "|" not in norm[a:b] and not any(t.start <= a < t.end for t in tables):
            tables += running_tables(text, norm, a, b)
    return sorted(tables, key=lambda t: t.start)


# --- rows, one per line -------------------------------------------------------------------------

def _line_cells(text: str, norm: str, a: int, b: int, form: str) -> list[Cell]:
    """The cells of one line with their offsets (empty cells kept, as merged-cell holes)."""
    line = norm[a:b]
    if form == "space":
        return [Cell(a + m.start(), a + m.end(), text[a + m.start():a + m.end()]) for m in re.finditer(r"\S+", line)]
    sep = {"pipe": r"\|", "tab": r"\t", "spaces": r" {2,}"}[form]
    out, pos = [], 0
    for m in [*re.finditer(sep, line), None]:
        end = m.start() if m else len(line)
        raw = line[pos:end]
        lead = len(raw) - len(raw.lstrip())
        s, e = a + pos + lead, a + pos + len(raw.rstrip())
        out.append(Cell(s, max(s, e), text[s:max(s, e)]))
        pos = m.end() if m else len(line)
    if form == "pipe":  # a leading '|' and the trailing '|' or '||' of a row leave empty cells
        while out and not out[-1].text:
            out.pop()
        if out and not out[0].text and line.lstrip().startswith("|"):
            out.pop(0)
    return out


def _read_delimited(text: str, norm: str, lines, first: int, table: Table) -> int:
    columns, form = table.columns, table.form
    headings: list[Cell] = []
    # rows closed by '||' (as the header is): a line without it wraps onto the next
    top = next((a, b) for a, b in lines if a <= table.start < b)  # a header in two rows: its first
    header_line = norm[top[0]:top[1]]
    # (a Word table's header ends so too where its last cell spans two columns, 责任单位 over
    # 牵头 | 配合: closed only where rows below end so as well)
    closed = form == "pipe" and bool(re.search(r"\|\s*\|\s*$", header_line)) \
        and any(re.search(r"\|\s*\|\s*$", norm[a:b]) for a, b in lines[first:first + 6])
    held: list[Cell] = []
    # the header again after a page break (and the page's number before it): no row
    header = {_squeeze(norm[a:b]) for a, b in lines[max(0, first - 3):first] if b > table.start}
    k = first
    while k < len(lines):
        a, b = lines[k]
        line = norm[a:b]
        if not line.strip() or form == "pipe" and MD_RULE_RE.match(line) \
                or _squeeze(line) in header or _PAGE_NUMBER_RE.match(line.strip()):  # a Markdown rule: |---|:--:|
            k += 1
            continue
        if form == "space":
            if not _ROW_START_RE.match(line.strip()):
                if opens_item(line.strip()) and len(line.strip()) <= 60:
                    headings = [line_cell(text, a, b, norm)]
                    k += 1
                    continue
                break
            row = _space_row(text, norm, a, b, columns)
        else:
            if form == "pipe" and "|" not in line or form == "tab" and "\t" not in line:
                if opens_item(line.strip()) and len(line.strip()) <= 60:
                    headings = [line_cell(text, a, b, norm)]
                    k += 1
                    continue
                break
            cells = held + _line_cells(text, norm, a, b, form)
            if closed and not re.search(r"\|\s*\|\s*$", line) and k + 1 < len(lines):
                held = cells
                k += 1
                continue
            held = []
            filled = [c for c in cells if c.text]
            if len(filled) == 1 and (opens_item(norm[filled[0].start:filled[0].end]) or form == "pipe"
                                     and not units_like(norm[filled[0].start:filled[0].end])) \
                    and filled[0] is cells[0]:
                headings = [filled[0]]  # a section row: one cell across the table
                k += 1
                continue
            if table.rows and _continues(norm, table.rows[-1], filled):
                _extend(table.rows[-1], filled, columns, norm)
                k += 1
                continue
            row = _aligned_row(norm, cells, columns, headings)
        if row is not None:
            if row.headings:  # a merged heading cell at the left holds for the rows below
                headings = row.headings
            row.headings = list(headings)
            table.rows.append(row)
        k += 1
    return k


def _squeeze(line: str) -> str:
    return "".join(line.split())


def _continues(norm: str, last: TableRow, cells: list[Cell]) -> bool:
    """A line of only unit names after a row that has none: the row's last cell wrapped."""
    if not cells or any(last.cells.get(k) for k in RESPONSIBLE):
        return False
    return all(units_like(norm[c.start:c.end]) for c in cells)


def _extend(row: TableRow, cells: list[Cell], columns: list[str], norm: str) -> None:
    wanted = [k for k in columns if k in RESPONSIBLE]
    for kind, cell in zip(wanted[-len(cells):] if len(cells) <= len(wanted) else wanted, cells):
        row.cells.setdefault(kind, []).append(cell)
    row.end = max(row.end, cells[-1].end)


def _aligned_row(norm: str, cells: list[Cell], columns: list[str], headings: list[Cell]) -> TableRow | None:
    if not any(c.text for c in cells):
        return None
    if len(cells) < len(columns):
        # merged cells are missing at the left, a merged column in the middle, or a row cut short
        # misses its right end: the cells sit where their content fits (a date or a sentence is
        # never a unit, a unit never a person)
        missing = len(columns) - len(cells)
        options = [columns[:p] + columns[p + missing:] for p in range(len(cells) + 1)]  # the gap at p
        kinds = max(options, key=lambda kinds: _fit(norm, cells, kinds))  # the first best: merged at the left
    else:  # more cells than columns: the task text held a separator
        extra = len(cells) - len(columns)
        kinds = columns[:1] * (extra + 1) + columns[1:] if columns[0] != "no" else \
            columns[:1] + columns[1:2] * (extra + 1) + columns[2:]
    row = TableRow(start=cells[0].start, end=cells[-1].end, number="", headings=list(headings))
    for kind, cell in zip(kinds, cells):
        if not cell.text:
            continue
        if kind == "no":
            row.number = cell.text.rstrip(".、")
        elif kind == "task" and row.task is None and opens_item(norm[cell.start:cell.end]) \
                and cell is cells[0] and len(cells) >= len(columns) > 2:
            row.headings = [cell]  # a merged section cell at the left: 一、围绕重点领域…
        elif kind == "task" and row.task is None:
            row.task = cell
        else:
            row.cells.setdefault(kind, []).append(cell)
    if row.task is None:
        return None
    return row


def _fit(norm: str, cells: list[Cell], kinds: list[str]) -> int:
    """How well cells fit columns by content: +1 a fit, -1 a clash, 0 no evidence."""
    score = 0
    for kind, cell in zip(kinds, cells):
        value = "".join(norm[cell.start:cell.end].split())
        if not value:
            continue
        units = units_like(norm[cell.start:cell.end])
        if kind in RESPONSIBLE:
            score += 1 if units else -1
        elif kind == "no":
            score += 1 if NUMBER_RE.match(value) else -1
        elif kind == "task":
            score += -1 if units or NUMBER_RE.match(value) or DATE_RE.match(value) else 1
        elif kind == "deadline":
            score += 1 if DATE_RE.match(value) else -1 if units else 0
        elif kind == "person":
            score += -1 if units or len(value) > 12 else 1 if PERSON_RE.match(value) else 0
    return score


def _space_row(text: str, norm: str, a: int, b: int, columns: list[str]) -> TableRow | None:
    """A row whose cells are split by single spaces: the units are read from the right."""
    tokens = _line_cells(text, norm, a, b, "space")
    row = TableRow(start=tokens[0].start, end=tokens[-1].end, number=tokens[0].text.rstrip(".、*"))
    right = len(tokens)
    for kind in reversed(columns):
        if kind in ("task", "no") or right <= 2:
            break
        value = norm[tokens[right - 1].start:tokens[right - 1].end]
        fits = (units_like(value) if kind in RESPONSIBLE else DATE_RE.match(value) if kind == "deadline"
                else PERSON_RE.match(value) if kind == "person" else kind == "target")
        if fits:
            right -= 1
            row.cells.setdefault(kind, []).insert(0, tokens[right])
    body = tokens[:right]
    if len(body) < 2:
        return None
    row.task = Cell(body[0].start, body[-1].end, text[body[0].start:body[-1].end])
    return row
