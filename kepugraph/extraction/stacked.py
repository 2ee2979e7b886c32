"""Task tables written one cell per line (blank lines between, or `` |`` after each cell and a
line of pipes closing each row): rows found by their numbering, sub-rows under merged cells,
and cells read by what they hold when the row does not match the header one for one."""

from __future__ import annotations

import re

from kepugraph.extraction.cells import DATE_RE, LABEL_LINE_RE, Cell, Table, TableRow, line_cell, unitish
from kepugraph.extraction.columns import NUMBER_RE, RESPONSIBLE, SECTION_RE, opens_row
from kepugraph.reading.layout import opens_item


def read_stacked(text: str, norm: str, lines, first: int, table: Table) -> int:
    # cells that end in ' |', a line of pipes closing each row (a web page's table as text):
    # a row may then open without a number (a sub-row under merged cells)
    top = lines[next(k for k, (a, b) in enumerate(lines) if a <= table.start < b)]
    piped = norm[top[0]:top[1]].rstrip().endswith("|")
    events: list[tuple[str, object]] = []  # ("row", its line numbers) or ("heading", text)
    row_lines: list[int] = []
    number: str | None = None  # the last row number read
    blank_run = 0
    k = first
    while k < len(lines):
        a, b = lines[k]
        raw = norm[a:b].strip()
        cell = raw.rstrip("|").strip()
        if piped and raw and not cell:  # a line of pipes: the row ends
            if row_lines:
                events.append(("row", row_lines))
            row_lines, blank_run = [], 0
            k += 1
            continue
        if not cell:
            blank_run += 1
            if blank_run >= 3 and row_lines:
                break
            k += 1
            continue
        if piped and not raw.endswith("|"):
            break  # the text after the table
        blank_run = 0
        if opens_row(cell, number):
            if row_lines:
                events.append(("row", row_lines))
            row_lines, number = [k], cell
        elif not piped and SECTION_RE.match(cell) and len(cell) <= 60 and len(row_lines) != 1:
            # 一、… or (一)… between rows (never the task cell right after a row's number)
            if row_lines:
                events.append(("row", row_lines))
                row_lines = []
            events.append(("heading", line_cell(text, a, b, norm)))
            number = None  # rows under a new heading may number on from elsewhere (3, then 68)
        elif row_lines or piped:
            row_lines.append(k)
        k += 1
    if row_lines:
        events.append(("row", row_lines))
    _stacked_rows(text, norm, lines, events, table, piped)
    return k


def _stacked_rows(text: str, norm: str, lines, events: list[tuple[str, object]], table: Table, piped: bool) -> None:
    """The rows of a one-cell-per-line table from its groups of lines and the headings between."""
    columns = table.columns
    body_columns = columns[1:] if columns and columns[0] == "no" else columns
    headings: list[Cell] = []
    previous: TableRow | None = None
    for what, value in events:
        if what == "heading":
            headings = [value]
            continue
        if piped and len(value) == 1 and opens_item(norm[lines[value[0]][0]:lines[value[0]][1]].strip()):
            headings = [line_cell(text, *lines[value[0]], norm)]  # a row of one cell: a section heading
            continue
        row = _stacked_row(text, norm, lines, value, columns, body_columns, previous)
        if row is not None:
            row.headings = row.headings or list(headings)
            table.rows.append(row)
            previous = row


def _stacked_row(text, norm, lines, group: list[int], columns, body_columns,
                 previous: TableRow | None = None) -> TableRow | None:
    a, b = lines[group[0]]
    numbered = NUMBER_RE.match(norm[a:b].strip().rstrip("|").strip())
    cell_lines = group[1:] if numbered else group
    row = TableRow(start=a, end=b, number=norm[a:b].strip().rstrip("|.、*").strip() if numbered else "")
    cells: list[Cell] = []
    for k in cell_lines:
        c = line_cell(text, *lines[k], norm)
        if not c.text:
            continue
        if LABEL_LINE_RE.match(norm[c.start:c.end]):
            row.labelled.append((c.start, c.end))  # 省牵头单位:省农业农村厅, a run-in field of the row
        else:
            cells.append(c)
    if not cells:
        return None
    row.start = row.start if numbered else cells[0].start
    row.end = max(c.end for c in cells) if not row.labelled else max(cells[-1].end, row.labelled[-1][1])
    if len(cells) == len(body_columns):
        for kind, cell in zip(body_columns, cells):
            if kind == "task" and row.task is None:
                row.task = cell
            else:
                row.cells.setdefault(kind, []).append(cell)
    else:  # merged cells are missing: read each cell by what it looks like
        _by_content(norm, row, cells, columns)
        if not numbered and previous is not None:
            # a sub-row: the merged cells at its left (the group's 牵头单位, the parent project
            # heading it) are the row above's
            row.headings = row.headings or list(previous.headings)
            for kind in _before_task(columns) or ["front"]:
                above = previous.cells.get(kind) or previous.merged.get(kind)
                if not row.cells.get(kind) and above:
                    row.merged[kind] = above
    return row if row.task is not None else None


def _before_task(columns: list[str]) -> list[str]:
    """The responsible columns a header puts before its task column (牵头单位 | 项目名称)."""
    task = columns.index("task") if "task" in columns else len(columns)
    return [k for k in columns[:task] if k in RESPONSIBLE]


def _by_content(norm: str, row: TableRow, cells: list[Cell], columns: list[str]) -> None:
    """A row whose cells do not match the header one for one, read by what its cells hold:
    unit cells before any text go to the responsible columns the header has before its task
    column (a merged 牵头单位 printed once), those after to the ones after it; a marker cell
    followed by another (（一）项目 / 1.子项目) heads the row; the text cells between a unit
    cell and the task column skip the header's columns between them (区民生实事项目数量)."""
    kinds = ["unit" if unitish(norm, c) else "text" for c in cells]
    texts = [k for k, kind in enumerate(kinds) if kind == "text"]
    for n, k in enumerate(texts[:-1]):  # （一）“打通断头路”… then 1.文化中心北路: the first heads the row
        if opens_item(cells[k].text) and opens_item(cells[texts[n + 1]].text) and texts[n + 1] == k + 1:
            row.headings.append(cells[k])
            kinds[k] = "heading"
    pre = next((k for k, kind in enumerate(kinds) if kind != "unit"), len(cells))
    task_i = None
    if pre and _before_task(columns):  # 牵头单位 | 数量 | 项目名称: skip the columns between
        lead_at = max(columns.index(k) for k in _before_task(columns))
        skip = sum(1 for k in columns[lead_at + 1:columns.index("task")] if k not in RESPONSIBLE)
        after = [k for k in texts if k >= pre and kinds[k] == "text"]
        if skip >= len(after):
            return  # the row stops before its task cell (cut by the page): no measure
        task_i = after[skip]
    if task_i is None:
        task_i = next((k for k, c in enumerate(cells) if kinds[k] == "text" and (
            len(c.text) >= 15 or re.search(r"[。,，;；]", c.text))), None)
    if task_i is None:
        texts = [k for k in texts if kinds[k] == "text"] or list(range(len(cells)))
        task_i = max(texts, key=lambda k: len(cells[k].text))
    # under a header with a name column before the task's, the cells before the task that
    # are text (a name broken over lines: 城市用气 / 提升工程) are the row's name: the measure
    # opens with them (a 指标 or 类别 cell before the task is not)
    first = task_i
    while columns.count("task") >= 2 and first > 0 and kinds[first - 1] == "text" \
            and not re.search(r"\d", cells[first - 1].text) and not opens_item(cells[first - 1].text):
        first -= 1
    row.task = cells[first]
    row.cells.setdefault("task", []).extend(cells[first + 1:task_i + 1])
    before = _before_task(columns)
    after_kinds = [k for k in columns if k in RESPONSIBLE and k not in before] or before
    for n, c in enumerate(cells[:pre]):
        # units before the task: the header's columns there, else (no header said) one of their own
        kind = (before or ["front"])[min(n, len(before or ["front"]) - 1)]
        row.cells.setdefault(kind, []).append(c)
    seen = 0
    for c in cells[task_i + 1:]:
        value = "".join(norm[c.start:c.end].split())
        if DATE_RE.match(value):  # a date is a deadline, whatever the header says
            row.cells.setdefault("deadline", []).append(c)
        elif unitish(norm, c) and after_kinds:
            kind = after_kinds[min(seen, len(after_kinds) - 1)]
            seen += 1
            row.cells.setdefault(kind, []).append(c)
        # anything else (a person, a progress note, 是/否) is not a unit
