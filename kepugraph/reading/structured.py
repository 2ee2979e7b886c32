"""Plans kept in code → text and tables: a task tree as JSON, or as a JavaScript object or
array literal in a ``.js`` file or in a web page's ``<script>``.

Read by its structure, never executed: a small tokenizer takes what a literal may hold
(unquoted keys, single or double quotes, trailing commas, comments) behind an optional
``var tasks =`` / ``export default`` / ``module.exports =``, and refuses anything else (a
call, an operator, a variable) with the file and the line. Then the layout follows the
structure, the field names being only the table's header:

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

import json
import re
from pathlib import Path

from kepugraph.errors import SourceError
from kepugraph.reading.layout import opens_item, table_cell, table_row

#: Deepest nesting of objects and lists read, and most values in one literal.
MAX_DEPTH = 40
MAX_VALUES = 200_000

#: English field names a table header is written with in Chinese (the parser reads Chinese
#: headers as evidence of a column's role; a key not listed is its own header).
HEADER_WORDS = {
    "id": "序号", "no": "序号", "index": "序号", "seq": "序号", "num": "序号", "number": "序号",
    "title": "任务名称", "name": "任务名称", "task": "任务名称", "label": "任务名称", "item": "任务名称",
    "content": "任务内容", "text": "任务内容", "desc": "任务内容", "description": "任务内容",
    "detail": "任务内容", "details": "任务内容", "measure": "任务内容", "measures": "任务内容",
    "owner": "责任单位", "owners": "责任单位", "dept": "责任单位", "depts": "责任单位",
    "department": "责任单位", "departments": "责任单位", "unit": "责任单位", "units": "责任单位",
    "responsible": "责任单位", "org": "责任单位", "orgs": "责任单位",
    "lead": "牵头单位", "leader": "牵头单位", "leads": "牵头单位", "lead_unit": "牵头单位", "leadunit": "牵头单位",
    "support": "配合单位", "supports": "配合单位", "partners": "配合单位", "cooperate": "配合单位",
    "cooperation": "配合单位", "assist": "配合单位", "coop": "配合单位",
    "deadline": "完成时限", "due": "完成时限", "duedate": "完成时限", "due_date": "完成时限", "time": "完成时限",
    "target": "目标值", "remark": "备注", "remarks": "备注", "note": "备注", "notes": "备注",
}

_CN = "零一二三四五六七八九十"
_CJK = re.compile(r"[\u4e00-\u9fff]")


class _Refused(Exception):
    """What the literal holds that is not data, at a line of the file."""

    def __init__(self, line: int, problem: str):
        super().__init__(problem)
        self.line = line
        self.problem = problem


# --- tokens -------------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n\ufeff\u00a0\u3000]+)
  | (?P<comment>//[^\n]*|/\*.*?\*/|<!--|-->)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.|\$(?!\{))*`)
  | (?P<number>-?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))
  | (?P<name>[A-Za-z_$\u4e00-\u9fff][\w$\u4e00-\u9fff]*)
  | (?P<punct>[{}\[\]:,;=.()])
""", re.X | re.S)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "\n": ""}


def _tokens(code: str) -> list[tuple[str, str, int]]:
    """(kind, text, line) of every token; anything a literal cannot hold is refused."""
    out, pos, line = [], 0, 1
    while pos < len(code):
        m = _TOKEN.match(code, pos)
        if m is None:
            ch = code[pos]
            if code.startswith("${", pos) or ch == "`":
                raise _Refused(line, "a template string with ${…} is code, not data")
            if ch in "\"'":
                raise _Refused(line, "a string that is never closed on its line")
            if code.startswith("/*", pos):
                raise _Refused(line, "a comment that is never closed")
            raise _Refused(line, f"{ch!r} is not part of a data literal (only objects, lists, strings, numbers)")
        kind = m.lastgroup
        if kind not in ("space", "comment"):
            out.append((kind, m.group(), line))
        line += m.group().count("\n")
        pos = m.end()
    return out


def _string(raw: str, line: int) -> str:
    body, out, k = raw[1:-1], [], 0
    if "\\" not in body:
        return body
    while k < len(body):
        ch = body[k]
        if ch != "\\":
            out.append(ch)
            k += 1
            continue
        nxt = body[k + 1]
        if nxt == "u":
            hexa = body[k + 2:k + 6] if body[k + 2:k + 3] != "{" else body[k + 3:body.find("}", k)]
            try:
                out.append(chr(int(hexa, 16)))
            except ValueError:
                raise _Refused(line, f"bad escape \\u{hexa[:4]} in a string") from None
            k += 2 + (len(hexa) + 2 if body[k + 2:k + 3] == "{" else 4)
            continue
        if nxt == "x":
            try:
                out.append(chr(int(body[k + 2:k + 4], 16)))
            except ValueError:
                raise _Refused(line, "bad escape \\x in a string") from None
            k += 4
            continue
        out.append(_ESCAPES.get(nxt, nxt))
        k += 2
    return "".join(out)


# --- values -------------------------------------------------------------------------------------

class _Reader:
    """Recursive descent over the tokens of one literal, bounded in depth and size."""

    def __init__(self, tokens: list[tuple[str, str, int]]):
        self.tokens = tokens
        self.k = 0
        self.values = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.k] if self.k < len(self.tokens) else ("end", "", self.tokens[-1][2] if self.tokens else 1)

    def take(self, text: str) -> None:
        kind, got, line = self.peek()
        if got != text or kind not in ("punct",):
            raise _Refused(line, f"expected {text!r}, found {_shown(kind, got)}")
        self.k += 1

    def value(self, depth: int = 0):
        kind, text, line = self.peek()
        if depth > MAX_DEPTH:
            raise _Refused(line, f"nested more than {MAX_DEPTH} levels deep: refused")
        self.values += 1
        if self.values > MAX_VALUES:
            raise _Refused(line, f"more than {MAX_VALUES} values: refused")
        self.k += 1
        if kind == "string":
            return _string(text, line)
        if kind == "number":
            number = float(int(text, 16)) if text.lower().startswith(("0x", "-0x")) else float(text)
            return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
        if kind == "name" and text in ("true", "false"):
            return text == "true"
        if kind == "name" and text in ("null", "undefined"):
            return None
        if text == "{":
            return self._object(depth)
        if text == "[":
            return self._list(depth)
        self.k -= 1
        if kind == "name" and self.k + 1 < len(self.tokens) and self.tokens[self.k + 1][1] == "(":
            raise _Refused(line, f"a function call ({text}(…)) is code, not data: refused")
        if kind == "name":
            raise _Refused(line, f"{text!r} names a variable or code, not data: refused")
        raise _Refused(line, f"expected a value, found {_shown(kind, text)}")

    def _object(self, depth: int) -> dict:
        out: dict = {}
        while self.peek()[1] != "}":
            kind, text, line = self.peek()
            if kind == "string":
                key = _string(text, line)
            elif kind in ("name", "number"):
                key = text
            else:
                raise _Refused(line, f"expected a key, found {_shown(kind, text)}")
            self.k += 1
            self.take(":")
            out[key] = self.value(depth + 1)
            if self.peek()[1] != "}":
                self.take(",")
        self.k += 1
        return out

    def _list(self, depth: int) -> list:
        out: list = []
        while self.peek()[1] != "]":
            if self.peek()[1] == ",":  # an elision ([a,,b]) holds nothing
                self.k += 1
                continue
            out.append(self.value(depth + 1))
            if self.peek()[1] != "]":
                self.take(",")
        self.k += 1
        return out


def _shown(kind: str, text: str) -> str:
    return "the end of the file" if kind == "end" else repr(text)


def parse_literals(code: str) -> list:
    """The data of a JSON document or of a script made only of literals, each maybe assigned
    (``var tasks = [...]``, ``export default {...}``, ``window.plan = {...};``).

    >>> parse_literals("var tasks = [{title: '建馆', owner: ['市科协',],}, ] // 注释")
    [[{'title': '建馆', 'owner': ['市科协']}]]

    Raises:
        _Refused: at the line of the first thing that is not data.
    """
    try:  # strict JSON, the common case, read by the standard library (no line numbers needed)
        data = json.loads(code)
    except (ValueError, RecursionError):
        pass
    else:
        if _within_bounds(data):
            return [data]
    tokens = _tokens(code)
    reader = _Reader(tokens)
    found = []
    while reader.k < len(tokens):
        if reader.peek()[1] == ";":
            reader.k += 1
            continue
        reader.k = _declared(tokens, reader.k)
        found.append(reader.value())
        kind, text, line = reader.peek()
        if kind != "end" and text != ";" and line == tokens[reader.k - 1][2]:
            raise _Refused(line, f"expected ';' or a new line after the literal, found {_shown(kind, text)}")
    if not found:
        raise _Refused(1, "no object or list literal found")
    return found


def _within_bounds(data) -> bool:
    """No deeper than MAX_DEPTH, no more than MAX_VALUES values (else the tokenizer says where)."""
    stack, values = [(data, 0)], 0
    while stack:
        value, depth = stack.pop()
        values += 1
        if depth > MAX_DEPTH or values > MAX_VALUES:
            return False
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]
    return True


def _declared(tokens: list[tuple[str, str, int]], k: int) -> int:
    """Where the value of a statement starts: after ``var x =``, ``a.b =``, ``export default``,
    or at ``k`` (what follows must then be a value)."""
    words = [t[1] if t[0] in ("name", "punct") else "" for t in tokens[k:k + 8]]
    if words[:1] in (["var"], ["let"], ["const"]) and len(words) > 2 and words[2] == "=" \
            and tokens[k + 1][0] == "name":
        return k + 3
    if words[:2] == ["export", "default"]:
        return k + 2
    j = k
    while j - k < len(words) and tokens[j][0] == "name" and words[j - k] not in ("true", "false", "null"):
        j += 1
        if j - k < len(words) and words[j - k] == ".":
            j += 1
            continue
        break
    return j + 1 if j > k and j - k < len(words) and words[j - k] == "=" else k


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
    return HEADER_WORDS.get(last.lower(), table_cell(last))


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
    except _Refused as exc:
        raise SourceError(f"{path}:{exc.line}", exc.problem) from None
    text = structured_text(values)
    if text is None:
        raise SourceError(path, "no object or list of objects in the file: nothing to read as tasks")
    return text


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
        except (_Refused, RecursionError):
            continue
        text = structured_text([v for v in values if isinstance(v, (list, dict))])
        weight = len(_CJK.findall(text or ""))
        if text and " | " in text and weight > own and (best is None or weight > best[0]):
            best = (weight, text)
    return best[1] if best else None
