"""Task-division tables flattened to text: one cell per line, as PDFs and web pages give them.

A table starts at a header whose first cell is 序号; its columns are recognised by name
(重点任务 / 牵头单位 / 责任单位 / 完成时限 / 责任领导 …). Each row starts with a line that
is only a number. When the cells of a row match the columns one to one (cells ending in
`` |``, or no merged cells), they are read by position; otherwise by what they look
like, since merged cells are missing from the text: the task is the long sentence,
deadlines look like dates, people are short names, units end like units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kepugraph.extraction.units import looks_like_unit
from kepugraph.reading.layout import classify_header
from kepugraph.reading.textnorm import normalize

_DEADLINE_RE = re.compile(r"^((19|20)\d{2}年)?(\d{1,2}月)?(底|中旬|上旬|下旬|末)?前?$|^(长期|持续|全年|年底前|每[年月季])")
_NUMBER_RE = re.compile(r"^\d{1,4}$")
_SUB_UNIT = re.compile(r"(分局|分中心|分院|分所|支队|大队|中队|分行|支行|办公室|派出所)$")


@dataclass
class Cell:
    start: int
    end: int
    text: str  # as written, separators stripped
    norm: str


@dataclass
class TableRow:
    number: str
    start: int
    end: int
    task: Cell | None
    leads: list[Cell] = field(default_factory=list)
    units: list[Cell] = field(default_factory=list)
    deadline: str | None = None
    has_lead_column: bool = False


@dataclass
class Table:
    start: int
    end: int
    columns: list[str]
    rows: list[TableRow]


def _cells(text: str, norm: str, lines: list[tuple[int, int]], first: int, last: int) -> list[Cell]:
    out = []
    for a, b in lines[first:last]:
        raw = text[a:b]
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.endswith("|"):
            stripped = stripped[:-1].rstrip()
        off = a + raw.find(stripped[:1]) if stripped else a
        out.append(Cell(off, off + len(stripped), stripped, normalize(stripped)))
    return out


def find_tables(text: str, lines: list[tuple[int, int]]) -> list[Table]:
    """Every flattened table of the text."""
    norm = normalize(text)
    tables = []
    i = 0
    n = len(lines)
    while i < n:
        a, b = lines[i]
        cell = norm[a:b].strip().rstrip("|").strip()
        if cell != "序号":
            i += 1
            continue
        piped = norm[a:b].strip().endswith("|")
        header: list[str] = ["序号"]
        j = i + 1
        while j < n:
            c = norm[lines[j][0]:lines[j][1]].strip().rstrip("|").strip()
            if not c:
                j += 1
                continue
            if _NUMBER_RE.match(c) or len(c) > 14:
                break
            if c.startswith("(") and header:
                header[-1] += c  # 责任股室 / (单位): a header broken over two lines
            else:
                header.append(c)
            j += 1
        columns = [classify_header(h) for h in header]
        if "task" not in columns or not {"lead", "unit"} & set(columns):
            i = j
            continue
        rows, end_line = _rows(text, norm, lines, j, columns, piped)
        if rows:
            tables.append(Table(start=a, end=lines[end_line - 1][1], columns=columns, rows=rows))
        i = max(end_line, j)
    return tables


def _rows(text, norm, lines, j, columns, piped):
    n = len(lines)
    starts = []
    k = j
    while k < n:
        c = norm[lines[k][0]:lines[k][1]].strip().rstrip("|").strip()
        if _NUMBER_RE.match(c):
            starts.append(k)
        k += 1
    rows = []
    for idx, s in enumerate(starts):
        e = starts[idx + 1] if idx + 1 < len(starts) else n
        cells = _cells(text, norm, lines, s, e)
        number, body = cells[0], cells[1:]
        row = _by_position(number, body, columns) if len(body) == len(columns) - 1 or piped and len(body) >= len(columns) - 1 \
            else _by_content(number, body, columns)
        if row.task is not None and (row.leads or row.units):
            rows.append(row)
    return rows, n


def _by_position(number: Cell, body: list[Cell], columns: list[str]) -> TableRow:
    row = TableRow(number=number.text, start=number.start, end=body[-1].end if body else number.end, task=None,
                   has_lead_column="lead" in columns)
    for col, cell in zip(columns[1:], body):
        if col == "task" and row.task is None:
            row.task = cell
        elif col == "lead":
            row.leads.append(cell)
        elif col == "unit":
            row.units.append(cell)
        elif col == "deadline":
            row.deadline = cell.text
    return row


def _by_content(number: Cell, body: list[Cell], columns: list[str]) -> TableRow:
    row = TableRow(number=number.text, start=number.start, end=body[-1].end if body else number.end, task=None,
                   has_lead_column="lead" in columns)
    if not body:
        return row
    # the task: the first long cell, or one that reads as a sentence
    task_i = next((k for k, c in enumerate(body) if len(c.norm) >= 15 or re.search(r"[。,，;；]", c.norm)),
                  max(range(len(body)), key=lambda k: len(body[k].norm)))
    row.task = body[task_i]
    for c in body[task_i + 1:]:
        squeezed = "".join(c.norm.split())
        if _DEADLINE_RE.match(squeezed):
            row.deadline = c.text
        elif looks_like_unit(squeezed) or any(looks_like_unit(p) for p in split_glued(squeezed)):
            row.units.append(c)
        elif "person" in columns and re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", squeezed):
            continue  # a person's name: people are never units
    return row


def split_glued(name: str) -> list[str]:
    """A cell that lost its line break: 文化宣传股文化馆 → 文化宣传股, 文化馆.

    >>> split_glued("文化宣传股文化馆"), split_glued("市生态环境局泰山分局")
    (['文化宣传股', '文化馆'], ['市生态环境局泰山分局'])
    """
    for i in range(3, len(name) - 2):
        left, right = name[:i], name[i:]
        if looks_like_unit(left) and looks_like_unit(right) and not _SUB_UNIT.search(right) \
                and not looks_like_unit(name[:i - 1]) and len(right) >= 3:
            return [left] + split_glued(right)
    return [name]
