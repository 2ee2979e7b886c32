"""Plans kept in code → text and tables: a task tree as JSON, or as a JavaScript object or
array literal in a ``.js`` file or in a web page's ``<script>``.

Read by its structure, never executed (:mod:`kepugraph.reading.literals` reads the literal
and refuses what is code, with the line). The layout follows the structure, the field names
being only the table's header:

* a list of objects is a table: each object a row, each key a column (a nested object's
  keys are columns too, a list of names one cell of names parted by 、);
* an object whose value is a list of objects (``{name, children: [...]}``) is a heading
  of what the list holds, numbered by depth (一、 （一） 1. （1）) unless it is already; its
  other fields (a 牵头单位 over its sub-tasks) hold for each row below, as a merged cell;
* the top object's own text, before any list, is the plan's title.

The table is written as every reader writes one (a header row, then one ``|`` row per
object, see :func:`kepugraph.reading.layout.table_row`): the parser types its columns.
"""

from __future__ import annotations

import re
from pathlib import Path

from kepugraph.errors import SourceError
from kepugraph.lexicon import CODE_HEADERS
from kepugraph.reading.layout import opens_item, table_cell, table_row
from kepugraph.reading.literals import Refused, parse_literals

_CN = "零一二三四五六七八九十"
_CJK = re.compile(r"[\u4e00-\u9fff]")


# --- layout -------------------------------------------------------------------------------------

def _is_node(value) -> bool:
    return isinstance(value, dict)


def _child_lists(node: dict) -> list[list]:
    """The lists of objects a node holds: what stands under it."""
    return [v for v in node.values() if isinstance(v, list) and any(isinstance(x, dict) for x in v)]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "、".join(c for c in (_cell(v) for v in value) if c)
    if isinstance(value, dict):
        return "、".join(c for c in (_cell(v) for v in value.values()) if c)
    return table_cell(str(value))


def _flat(node: dict, prefix: str = "") -> list[tuple[str, str]]:
    """A row's (column, cell): a nested object's keys are columns of their own."""
    out = []
    for key, value in node.items():
        if isinstance(value, dict) and not _child_lists(value):
            out += _flat(value, f"{prefix}{key}.")
        elif not (isinstance(value, list) and any(isinstance(x, dict) for x in value)):
            out.append((f"{prefix}{key}", _cell(value)))
    return out


def _header(key: str) -> str:
    last = key.rsplit(".", 1)[-1]
    return CODE_HEADERS.get(last.lower(), table_cell(last))


def _marker(depth: int, n: int) -> str:
    numeral = _CN[n] if n <= 10 else str(n)
    return (f"{numeral}、", f"（{numeral}）", f"{n}.", f"（{n}）")[min(depth, 3)]


class _Layout:
    """The lines of a task tree: headings by depth, and every leaf object a row of one table
    (the union of their keys its header, so that headings stand between rows as a table's
    section rows do; a new header under each heading would be read as a row)."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, object]] = []  # ("title" or "line", text) or ("row", its cells)

    def items(self, values: list, depth: int, above: dict[str, str] | None = None) -> None:
        heading = 0
        for value in values:
            if _is_node(value) and not _child_lists(value):
                own = dict(_flat(value))
                self.parts.append(("row", {**(above or {}), **{k: c for k, c in own.items() if c or k not in (above or {})}}))
            elif _is_node(value):
                heading += 1
                self.node(value, depth, heading, above or {})
            elif isinstance(value, list):
                self.items(value, depth, above)
            elif _cell(value):
                self.parts.append(("line", _cell(value)))  # a bare string among the tasks: a line of text

    def node(self, node: dict, depth: int, number: int, above: dict[str, str]) -> None:
        """An object holding lists of objects: a heading (its first text), then what its lists
        hold; its other fields (a 牵头单位 over its sub-tasks) hold for every row below that
        leaves them empty, as a merged cell down a table's rows does."""
        fields = [(k, c) for k, c in _flat(node) if c]
        if fields:
            text = fields[0][1]
            self.parts.append(("line", text if opens_item(text) else _marker(depth, number) + text))
        merged = {**above, **dict(fields[1:])}
        for children in _child_lists(node):
            self.items(children, depth + 1 if fields else depth, merged)

    def lines(self) -> list[str]:
        rows = [cells for what, cells in self.parts if what == "row"]
        columns: list[str] = []
        for row in rows:
            columns += [k for k in row if k not in columns]
        numbered = bool(columns) and (any(_header(c) == "序号" for c in columns) or all(
            re.fullmatch(r"\d{1,4}", row.get(columns[0], "")) for row in rows))
        if not numbered:
            columns.insert(0, "")  # the rows' numbers, in their order
        # the table readers take a row's trailing empty cells for merged ones and align it from
        # the right: a column every row fills goes last
        full = [c for c in columns[1:] if all(row.get(c) for row in rows) or c == ""]
        if full:
            columns.append(columns.pop(columns.index(full[-1])))
        elif not numbered:
            columns.append(columns.pop(0))
        out, n, header = [], 0, False
        for what, value in self.parts:
            if what == "title" or not rows:
                out.append(value)
                continue
            if not header:  # before the first heading: headings are the table's section rows
                out.append(table_row([_header(c) if c else "序号" for c in columns]))
                header = True
            if what == "line":
                out.append(value)
                continue
            n += 1
            out.append(table_row([value.get(c, "") if c else str(n) for c in columns]))
        return out


def structured_text(values: list) -> str | None:
    """The text and table of the literals' task data, or None when they hold no object.

    >>> print(structured_text([{"title": "甲市科普工作要点", "children": [
    ...     {"name": "提升科普能力", "children": [{"title": "建设科普馆", "owner": ["市科协", "市教育局"]}]}]}]), end="")
    甲市科普工作要点
    序号 | 任务名称 | 责任单位 |
    一、提升科普能力
    1 | 建设科普馆 | 市科协、市教育局 |
    """
    layout = _Layout()
    for value in values:
        if _is_node(value) and _child_lists(value):
            title = next((c for _, c in _flat(value) if c), "")
            if title:
                layout.parts.append(("title", title))  # the top object's text: the plan's title
            for children in _child_lists(value):
                layout.items(children, 0)
        elif isinstance(value, list):
            layout.items(value, 0)
        elif _is_node(value):
            layout.parts.append(("row", dict(_flat(value))))
    lines = layout.lines()
    return "\n".join(lines) + "\n" if lines else None


def code_text(path: Path, code: str) -> str:
    """The task data of a .json or .js file as text and tables.

    Raises:
        SourceError: ``FILE:LINE: problem`` for what is not a data literal, too deep or too
            big, or a file that holds no object.
    """
    try:
        values = parse_literals(code)
    except Refused as exc:
        raise SourceError(f"{path}:{exc.line}", exc.problem) from None
    text = structured_text(values)
    if text is None:
        raise SourceError(path, "no object or list of objects in the file: nothing to read as tasks")
    return text


#: A text that opens (after comments) as a data literal does.
_LOOKS_LIKE_CODE = re.compile(r"^\s*(?:(?://[^\n]*|/\*.*?\*/)\s*)*(?:[\[{]|(?:var|let|const)\s|export\s+default"
                              r"|module\.exports|window\.)", re.S)


def literal_text(text: str) -> str | None:
    """The task data of a text file that holds a data literal and nothing else (a task tree
    pasted into a .txt), or None: a text that is not one is read as text, never refused.

    >>> print(literal_text("{title: '某方案', tasks: [{title: '建馆', owner: '市科协'}]}"), end="")
    某方案
    序号 | 任务名称 | 责任单位 |
    1 | 建馆 | 市科协 |
    """
    if not _LOOKS_LIKE_CODE.match(text):
        return None
    try:
        values = parse_literals(text)
    except (Refused, RecursionError):
        return None
    found = structured_text(values)
    return found if found and " | " in found else None


def script_tasks(page_text: str, scripts: list[tuple[int, str]]) -> str | None:
    """The task data a web page keeps only in a ``<script>`` literal, or None.

    A script counts where it is data alone (anything that is code is passed over, never
    refused: pages run code) and holds more Chinese text than the page's own body, which
    has no table of its own (a page with its own task text is read from that).
    """
    if re.search(r"\S \| \S", page_text):
        return None
    own = len(_CJK.findall(page_text))
    best: tuple[int, str] | None = None
    for _, code in scripts:
        try:
            values = parse_literals(code)
        except (Refused, RecursionError):
            continue
        text = structured_text([v for v in values if isinstance(v, (list, dict))])
        weight = len(_CJK.findall(text or ""))
        if text and " | " in text and weight > own and (best is None or weight > best[0]):
            best = (weight, text)
    return best[1] if best else None
