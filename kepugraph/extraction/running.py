"""A table that lost every line and cell break and runs on inside a paragraph (a progress
report pasted as one paragraph):

    …落实情况 承办 单位 任务目标 分管 领导 协办单位 落实情况 区政 府办 公室 1.完善… 2.认真… 宋伟伟1.已发布…

The header is a run of short words that, their letter spacing joined again, name columns
(units and a task among them); each row then opens with its unit cell (a name, perhaps
broken by spaces), its task cell is the run of numbered items that follows in sequence, and
a new run of numbers (1. again) starts the next column, a person's name glued before it.
"""

from __future__ import annotations

import re

from kepugraph.extraction.cells import Cell, Table, TableRow
from kepugraph.extraction.columns import RESPONSIBLE, column_kind, known_kind
from kepugraph.extraction.units import looks_like_unit, unspaced

#: A numbered item inside running text: 1. 2、 (not 2.5).
_NUMBERED = re.compile(r"(?<![\d.])(\d{1,2})[.、](?!\d)")
_PERSON_TAIL = re.compile(r"[\u4e00-\u9fff]{2,4}$")
_MAX_UNIT = 24
_WORD_RE = re.compile(r"[\u4e00-\u9fff()]+")


def running_tables(text: str, norm: str, a: int, b: int) -> list[Table]:
    """The tables run into the line ``norm[a:b]``: a header of column names, then rows."""
    header = _header(norm, a, b)
    if header is None:
        return []
    columns, start, end = header
    if "support" in columns and "lead" not in columns:
        columns = ["lead" if k == "unit" else k for k in columns]  # 承办单位 beside 协办单位
    unit_kind = next((k for k in columns if k in RESPONSIBLE), None)
    if unit_kind is None or "task" not in columns:
        return []
    table = Table(start=start, end=end, form="running", columns=columns)
    pos = end
    while pos < b:
        row = _row(text, norm, pos, b, unit_kind)
        if row is None:  # the row's other columns (a person, 落实情况 1. 2.): on to the next unit cell
            pos = _next_row(norm, pos, b)
            row = _row(text, norm, pos, b, unit_kind) if pos is not None else None
            if row is None:
                break
        table.rows.append(row)
        pos = row.end
    if not table.rows:
        return []
    table.end = table.rows[-1].end
    return [table]


def _header(norm: str, a: int, b: int):
    """(column kinds, start, end) of a run of at least four words naming columns, letter
    spacing joined (承办 单位 → 承办单位), with a unit column and a task column."""
    words = [(m.start() - a, m.end() - a) for m in _WORD_RE.finditer(norm, a, b)]
    for i in range(len(words)):
        cells, k = [], i
        while k < len(words):
            s, e = words[k]
            name = norm[a + s:a + e]
            if len(name) > 8:
                break
            if not known_kind(name) and k + 1 < len(words) and known_kind(name + norm[a + words[k + 1][0]:a + words[k + 1][1]]) \
                    and words[k + 1][0] - e == 1:
                name += norm[a + words[k + 1][0]:a + words[k + 1][1]]
                k += 1
            if not known_kind(name):
                break
            cells.append((name, a + words[i][0], a + words[k][1]))
            k += 1
        if len(cells) < 4:
            continue
        kinds = [column_kind(c) for c, _, _ in cells]
        if "task" in kinds and set(RESPONSIBLE) & set(kinds):
            return kinds, cells[0][1], cells[-1][2]
    return None


def _row(text: str, norm: str, pos: int, b: int, unit_kind: str) -> TableRow | None:
    """One row from ``pos``: its unit cell up to the first numbered item, the items in
    sequence as its task, up to a person's name glued to the next run of numbers."""
    first = _NUMBERED.search(norm, pos, b)
    if first is None or first.group(1) != "1":
        return None
    unit_start, unit_end = _trim(norm, pos, first.start())
    if unit_end - unit_start > _MAX_UNIT or not looks_like_unit(unspaced(norm[unit_start:unit_end])):
        return None
    expected, task_end, restart = 2, b, None
    for m in _NUMBERED.finditer(norm, first.end(), b):
        n = int(m.group(1))
        if n == expected:
            expected += 1
        elif n == 1:
            restart = m
            break
    if restart is not None:
        task_end = restart.start()
        person = _PERSON_TAIL.search(norm, first.start(), task_end)
        if person and norm[person.start() - 1:person.start()] in (" ", ".", "。"):
            task_end = person.start()  # 宋伟伟1.已发布…: the person of the next column, glued
    task_start, task_end = _trim(norm, first.start(), task_end)
    row = TableRow(start=unit_start, end=task_end, number="")
    row.task = Cell(task_start, task_end, text[task_start:task_end])
    row.cells[unit_kind] = [Cell(unit_start, unit_end, text[unit_start:unit_end])]
    return row


def _next_row(norm: str, pos: int, b: int) -> int | None:
    """Where the next row opens after ``pos``: a unit's name after a sentence's end, then 1."""
    for m in _NUMBERED.finditer(norm, pos, b):
        if m.group(1) != "1":
            continue
        stop = max(norm.rfind(ch, pos, m.start()) for ch in ".。;；")
        if stop < 0:
            continue
        start, end = _trim(norm, stop + 1, m.start())
        if 0 < end - start <= _MAX_UNIT and looks_like_unit(unspaced(norm[start:end])):
            return start
    return None


def _trim(norm: str, a: int, b: int) -> tuple[int, int]:
    while a < b and norm[a].isspace():
        a += 1
    while b > a and norm[b - 1].isspace():
        b -= 1
    return a, b
