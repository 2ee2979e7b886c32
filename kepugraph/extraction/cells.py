"""A task table's parts as the readers of its text forms share them: cells with their offsets,
rows, tables, and what a cell's content says it is (unit names, a date, a person)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kepugraph.extraction.units import is_generic, looks_like_unit, short_unit_name, split_etc, split_spans
from kepugraph.reading.layout import opens_item

DATE_RE = re.compile(r"^((19|20)\d{2}年)?(\d{1,2}月)?(\d{1,2}日)?(底|中旬|上旬|下旬|末|份)?(前|内|以前)?$"
                      r"|^(长期|持续|全年|年底前|年内|每[年月季]|常态化)")
PERSON_RE = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
LABEL_LINE_RE = re.compile(r"^[^:|]{1,8}(单位|部门|科室|处室):")


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
    merged: dict[str, list[Cell]] = field(default_factory=dict)  # cells of the row above merged over this one


@dataclass
class Table:
    start: int
    end: int
    form: str
    columns: list[str]
    rows: list[TableRow] = field(default_factory=list)
    skipped: str = ""  # why a table-like block is not a task table
    owner: object = None  # the item (of the parser) the table stands under, if any


def line_cell(text: str, a: int, b: int, norm: str | None = None) -> Cell:
    """A whole line as one cell, white space and a trailing ``|`` stripped (white space as
    ``norm`` reads it, when given: a separator learnt from the document is white space there)."""
    src = norm if norm is not None else text
    s, e = a, b
    while s < e and src[s].isspace():
        s += 1
    while e > s and src[e - 1].isspace():
        e -= 1
    if e > s and src[e - 1] == "|":
        e -= 1
        while e > s and src[e - 1].isspace():
            e -= 1
    return Cell(s, e, text[s:e])


def units_like(value: str) -> bool:
    """Every name of the list is a unit or a vague reference (有关部门, 等)."""
    spans = split_spans(value)
    if not spans:
        return False
    for s, e in spans:
        name, _ = split_etc(value[s:e])
        if name and not (looks_like_unit(name) or is_generic(name) or len(name) <= 6 and name.startswith("各")):
            return False
    return True



def unitish(norm: str, cell: Cell) -> bool:
    """A cell of unit names, or of short names a level opens (区城投, 区城管局 区水投)."""
    return cell_units(norm[cell.start:cell.end])


def cell_units(value: str) -> bool:
    """A cell of unit names (市甲局、市乙局; 安监站 安监所; 区城投), never a numbered item.

    >>> cell_units("市住建局、市财政局"), cell_units("区城管局 区水投"), cell_units("1.市政公用城学校")
    (True, True, False)
    """
    if not value.strip() or opens_item(value.strip()):
        return False
    return units_like(value) or all(looks_like_unit(w) or short_unit_name(w) for w in value.split())


# --- what a column holds, read from its cells ------------------------------------------------

#: A row's number alone in its cell: 12, 3., 4、 or a bare Chinese numeral (一, 十二).
NUMBER_RE = re.compile(r"^(?:\d{1,4}\*?[.、]?|[一二三四五六七八九十]{1,3})$")
#: A cell naming a person: 张三同志, 王副市长, 分管副区长 李四.
_PERSON_CELL_RE = re.compile(r"(同志|[市区县镇乡]长|局长|主任|书记|部长|厅长|委员$)")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]{2}")


def content_kinds(rows: list[list[str]], min_task: int = 6) -> list[str] | None:
    """What each column holds, read from its cells: row numbers, unit names, dates, people
    (同志, posts), or text; the text column with the longest cells is the task, the text
    columns before it its name, those after it notes. None without a unit and a task column;
    a task is said in words (Han characters in most cells), ``min_task`` characters or more
    on average.

    >>> content_kinds([["1", "城区绿道", "新建绿道12公里，改造公园3处。", "2024年6月底前", "市住建局"],
    ...                ["2", "乡村学校", "改造乡村小学5所。", "2024年底前", "市教育局、市财政局"]])
    ['no', 'task', 'task', 'deadline', 'unit']
    """
    if len(rows) < 2:  # one row is no evidence of what a column holds
        return None
    kinds: list[str] = []
    lengths: list[float] = []
    for c in range(max(map(len, rows))):
        values = ["".join(r[c].split()) for r in rows if c < len(r) and r[c].strip()]
        lengths.append(sum(map(len, values)) / len(values) if values else 0)

        if not values:
            kinds.append("other")
        elif _share(values, NUMBER_RE.match) >= 0.8:
            kinds.append("no")
        elif _share(values, cell_units) >= 0.6:
            kinds.append("unit")
        elif _share(values, DATE_RE.match) >= 0.6:
            kinds.append("deadline")
        elif _share(values, _PERSON_CELL_RE.search) >= 0.6:
            kinds.append("person")
        elif _share(values, _HAN_RE.search) < 0.6:  # codes, phone numbers, amounts: not a task
            kinds.append("other")
        else:
            kinds.append("text")
    texts = [c for c, k in enumerate(kinds) if k == "text"]
    if not texts or "unit" not in kinds:
        return None
    task = max(texts, key=lambda c: lengths[c])
    if lengths[task] < min_task:  # a task is said in a phrase at least, not a word (面向社会, 主动公开)
        return None
    return ["task" if k == "text" and c <= task else "other" if k == "text" else k for c, k in enumerate(kinds)]


def rows_of_tasks(groups: list[list[str]]) -> bool:
    """Most rows hold a sentence and a cell of unit names: a task table, whatever its header."""
    tasks = [g for g in groups if any(len(c) >= 6 and not cell_units(c) for c in g[1:]) and any(map(cell_units, g))]
    return len(groups) >= 2 and len(tasks) * 2 > len(groups)


def _share(values: list[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values)
