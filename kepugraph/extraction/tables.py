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
  row starting with a line holding only its number.

Rows with fewer cells than columns lost their merged cells, which are the leftmost:
they are aligned from the right. A row whose only cell opens with a heading marker, or a
first cell that does, is a heading of the rows below. A table whose header names no
responsible units (an indicator or budget table) is skipped, and said so once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kepugraph.extraction.columns import NUMBER_RE, RESPONSIBLE, SECTION_RE, find_header, opens_row
from kepugraph.extraction.units import is_generic, looks_like_unit, split_etc, split_spans
from kepugraph.reading.layout import opens_item

_ROW_START_RE = re.compile(r"^(\d{1,4})\*?[.、]?\s+\S")
_DATE_RE = re.compile(r"^((19|20)\d{2}年)?(\d{1,2}月)?(\d{1,2}日)?(底|中旬|上旬|下旬|末|份)?(前|内|以前)?$"
                      r"|^(长期|持续|全年|年底前|年内|每[年月季]|常态化)")
_PERSON_RE = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_LABEL_LINE_RE = re.compile(r"^[^:|]{1,8}(单位|部门|科室|处室):")


@dataclass
class Cell:
    start: int
    end: int
    text: str  # as written, white space at the ends and separators stripped


@dataclass
class TableRow:
    start: int
    end: int
    number: str
    task: Cell | None = None
    cells: dict[str, list[Cell]] = field(default_factory=dict)  # column kind → its cells
    labelled: list[tuple[int, int]] = field(default_factory=list)  # 省牵头单位:… lines inside the row
    headings: list[Cell] = field(default_factory=list)  # headings above the row, outermost first


@dataclass
class Table:
    start: int
    end: int
    form: str
    columns: list[str]
    rows: list[TableRow] = field(default_factory=list)
    skipped: str = ""  # why a table-like block is not a task table
    owner: object = None  # the item (of the parser) the table stands under, if any


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
        reader = _read_stacked if form == "stacked" else _read_delimited
        end_line = reader(text, norm, lines, first_row, table)
        if table.rows:
            table.end = max(table.end, table.rows[-1].end)
            tables.append(table)
        i = max(end_line, i + 1)
    return tables


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
    top = next((a, b) for a, b in lines if a <= table.start <= b)  # a header in two rows: its first
    header_line = norm[top[0]:top[1]]
    closed = form == "pipe" and bool(re.search(r"\|\s*\|\s*$", header_line))
    held: list[Cell] = []
    k = first
    while k < len(lines):
        a, b = lines[k]
        line = norm[a:b]
        if not line.strip():
            k += 1
            continue
        if form == "space":
            if not _ROW_START_RE.match(line.strip()):
                if opens_item(line.strip()) and len(line.strip()) <= 60:
                    headings = [_line_cell(text, a, b)]
                    k += 1
                    continue
                break
            row = _space_row(text, norm, a, b, columns)
        else:
            if form == "pipe" and "|" not in line or form == "tab" and "\t" not in line:
                if opens_item(line.strip()) and len(line.strip()) <= 60:
                    headings = [_line_cell(text, a, b)]
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
                                     and not _units_like(norm[filled[0].start:filled[0].end])) \
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


def _continues(norm: str, last: TableRow, cells: list[Cell]) -> bool:
    """A line of only unit names after a row that has none: the row's last cell wrapped."""
    if not cells or any(last.cells.get(k) for k in RESPONSIBLE):
        return False
    return all(_units_like(norm[c.start:c.end]) for c in cells)


def _extend(row: TableRow, cells: list[Cell], columns: list[str], norm: str) -> None:
    wanted = [k for k in columns if k in RESPONSIBLE]
    for kind, cell in zip(wanted[-len(cells):] if len(cells) <= len(wanted) else wanted, cells):
        row.cells.setdefault(kind, []).append(cell)
    row.end = max(row.end, cells[-1].end)


def _aligned_row(norm: str, cells: list[Cell], columns: list[str], headings: list[Cell]) -> TableRow | None:
    if not any(c.text for c in cells):
        return None
    if len(cells) < len(columns):
        # merged cells are missing at the left, or a row cut short misses its right end:
        # the cells sit where their content fits (a date or a sentence is never a unit)
        right, left = columns[len(columns) - len(cells):], columns[:len(cells)]
        kinds = left if _fit(norm, cells, left) > _fit(norm, cells, right) else right
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
        units = _units_like(norm[cell.start:cell.end])
        if kind in RESPONSIBLE:
            score += 1 if units else -1
        elif kind == "no":
            score += 1 if NUMBER_RE.match(value) else -1
        elif kind == "task":
            score += -1 if units or NUMBER_RE.match(value) or _DATE_RE.match(value) else 1
        elif kind == "deadline":
            score += 1 if _DATE_RE.match(value) else -1 if units else 0
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
        fits = (_units_like(value) if kind in RESPONSIBLE else _DATE_RE.match(value) if kind == "deadline"
                else _PERSON_RE.match(value) if kind == "person" else kind == "target")
        if fits:
            right -= 1
            row.cells.setdefault(kind, []).insert(0, tokens[right])
    body = tokens[:right]
    if len(body) < 2:
        return None
    row.task = Cell(body[0].start, body[-1].end, text[body[0].start:body[-1].end])
    return row


def _line_cell(text: str, a: int, b: int) -> Cell:
    """A whole line as one cell, white space and a trailing ``|`` stripped."""
    raw = text[a:b]
    stripped = raw.strip()
    if stripped.endswith("|"):
        stripped = stripped[:-1].rstrip()
    s = a + raw.find(stripped[:1]) if stripped else a
    return Cell(s, s + len(stripped), stripped)


def _units_like(value: str) -> bool:
    """Every name of the list is a unit or a vague reference (有关部门, 等)."""
    spans = split_spans(value)
    if not spans:
        return False
    for s, e in spans:
        name, _ = split_etc(value[s:e])
        if name and not (looks_like_unit(name) or is_generic(name) or len(name) <= 6 and name.startswith("各")):
            return False
    return True


# --- rows, one cell per line ---------------------------------------------------------------------

def _read_stacked(text: str, norm: str, lines, first: int, table: Table) -> int:
    columns = table.columns
    body_columns = columns[1:] if columns and columns[0] == "no" else columns
    events: list[tuple[str, object]] = []  # ("row", its line numbers) or ("heading", text)
    row_lines: list[int] = []
    blank_run = 0
    k = first
    while k < len(lines):
        a, b = lines[k]
        cell = norm[a:b].strip().rstrip("|").strip()
        if not cell:
            blank_run += 1
            if blank_run >= 3 and row_lines:
                break
            k += 1
            continue
        blank_run = 0
        if opens_row(cell, norm[lines[row_lines[0]][0]:lines[row_lines[0]][1]].strip().rstrip("|").strip()
                     if row_lines else None):
            if row_lines:
                events.append(("row", row_lines))
            row_lines = [k]
        elif SECTION_RE.match(cell) and len(cell) <= 60 and len(row_lines) != 1:
            # 一、… or (一)… between rows (never the task cell right after a row's number)
            if row_lines:
                events.append(("row", row_lines))
                row_lines = []
            events.append(("heading", _line_cell(text, a, b)))
        elif row_lines:
            row_lines.append(k)
        k += 1
    if row_lines:
        events.append(("row", row_lines))
    headings: list[Cell] = []
    for what, value in events:
        if what == "heading":
            headings = [value]
            continue
        row = _stacked_row(text, norm, lines, value, columns, body_columns)
        if row is not None:
            row.headings = list(headings)
            table.rows.append(row)
    return k


def _stacked_row(text, norm, lines, group: list[int], columns, body_columns) -> TableRow | None:
    number_line, cell_lines = group[0], group[1:]
    a, b = lines[number_line]
    row = TableRow(start=a, end=b, number=norm[a:b].strip().rstrip("|.、*").strip())
    cells: list[Cell] = []
    for k in cell_lines:
        ca, cb = lines[k]
        raw = text[ca:cb]
        stripped = raw.strip()
        if stripped.endswith("|"):
            stripped = stripped[:-1].rstrip()
        if not stripped:
            continue
        s = ca + raw.find(stripped[:1])
        c = Cell(s, s + len(stripped), stripped)
        if _LABEL_LINE_RE.match(norm[c.start:c.end]):
            row.labelled.append((c.start, c.end))  # 省牵头单位:省农业农村厅, a run-in field of the row
        else:
            cells.append(c)
    if not cells:
        return None
    row.end = max(c.end for c in cells) if not row.labelled else max(cells[-1].end, row.labelled[-1][1])
    if len(cells) == len(body_columns):
        for kind, cell in zip(body_columns, cells):
            if kind == "task" and row.task is None:
                row.task = cell
            else:
                row.cells.setdefault(kind, []).append(cell)
    else:  # merged cells are missing: read each cell by what it looks like
        _by_content(norm, row, cells, columns)
    return row if row.task is not None else None


def _by_content(norm: str, row: TableRow, cells: list[Cell], columns: list[str]) -> None:
    task_i = next((k for k, c in enumerate(cells) if len(c.text) >= 15 or re.search(r"[。,，;；]", c.text)
                   and not _units_like(norm[c.start:c.end])), None)
    if task_i is None:
        task_i = max(range(len(cells)), key=lambda k: len(cells[k].text))
    # under a header with a name column before the task's, the cells before the task that
    # are text (a name broken over lines: 城市用气 / 提升工程) are the row's name: the measure
    # opens with them (a 指标 or 类别 cell before the task is not)
    first = task_i
    while columns.count("task") >= 2 and first > 0 and not _units_like(norm[cells[first - 1].start:cells[first - 1].end]) \
            and not re.search(r"\d", cells[first - 1].text) and not opens_item(cells[first - 1].text):
        first -= 1
    row.task = cells[first]
    row.cells.setdefault("task", []).extend(cells[first + 1:task_i + 1])
    unit_kinds = [k for k in columns if k in RESPONSIBLE]
    seen = 0
    for c in cells[task_i + 1:]:
        value = "".join(norm[c.start:c.end].split())
        if _DATE_RE.match(value) and "deadline" in columns:
            row.cells.setdefault("deadline", []).append(c)
        elif _units_like(norm[c.start:c.end]) and unit_kinds:
            kind = unit_kinds[min(seen, len(unit_kinds) - 1)]
            seen += 1
            row.cells.setdefault(kind, []).append(c)
        # anything else (a person, a progress note, 是/否) is not a unit
