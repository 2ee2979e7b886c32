"""Table headers: what each column of a task table holds, read from its name, and where a
header stands in the text (one line split by ``|``, tabs or spaces, or one cell per line)."""

from __future__ import annotations

import re

#: Column kinds by the words of their header, first match wins.
_KINDS = [
    ("no", re.compile(r"^(序号|编号|序)$")),
    ("person", re.compile(r"(领导|责任人|联系人|负责人|分管)")),
    ("lead", re.compile(r"(牵头|主责|主要责任|总负责)")),
    ("support", re.compile(r"(配合|协办|协同|参与|协助|参加)")),
    ("deadline", re.compile(r"(时限|完成时间|时间节点|时间安排|截止|完成期限|进度安排)")),
    ("target", re.compile(r"(目标值|预期目标|指标值|量化指标)")),
    ("unit", re.compile(r"(责任|单位|部门|股室|科室|处室|主体|承办)")),
    ("other", re.compile(r"(类型|类别|分类|备注|说明|情况|是否|序$)")),
    ("task", re.compile(r"(任务|内容|目标|事项|举措|措施|工作|要求|名称|项目|要点)")),
]
RESPONSIBLE = ("lead", "support", "unit")
NUMBER_RE = re.compile(r"^\d{1,4}\*?[.、]?$")
_MAX_HEADER = 14
#: No task table has more columns: a longer run of short lines is a list, not a header.
_MAX_COLUMNS = 24
#: A column name is a few words: no sentence, no number opening it, no list marker.
_NOT_HEADER_RE = re.compile(r"[。；;，,!?！？、]|^\s*[\d一二三四五六七八九十]+\s*[.、]")
#: A heading row of a table: 一、… (一)… 第一部分…
SECTION_RE = re.compile(r"^(\(?[一二三四五六七八九十]+[)、.]|第[一二三四五六七八九十]+[章部分节])")


def header_length(cell: str) -> int:
    """A header's length without spaces and bracketed asides: 重点工作任务(杭州市2项配合工作) is 6."""
    squeezed = "".join(cell.split())
    return len(re.sub(r"(?<=.)\([^()]*\)$", "", squeezed)) if not squeezed.startswith("(") else len(squeezed) + 99


def column_kind(header: str) -> str:
    """What a column holds, by its header: no, person, lead, support, deadline, target, unit,
    other or task. Letter spacing (``牵 头 部 门``) is ignored.

    >>> [column_kind(h) for h in ("序号", "牵头单位", "责任股室(单位)", "重点任务", "分管 领导", "协同配合单位")]
    ['no', 'lead', 'unit', 'task', 'person', 'support']
    """
    h = re.sub(r"\((?!单位|部门)[^()]*\)", "", "".join(header.split())).strip("|:")
    return next((kind for kind, rule in _KINDS if rule.search(h)), "other")


def split_cells(line: str, form: str) -> list[str]:
    if form == "pipe":
        return [c.strip() for c in line.split("|")]
    if form == "tab":
        return [c.strip() for c in line.split("\t")]
    if form == "spaces":
        return [c.strip() for c in re.split(r" {2,}", line.strip())]
    return line.split()


def _form_of(line: str) -> str:
    if "|" in line:
        return "pipe"
    if "\t" in line.strip():
        return "tab"
    if re.search(r"\S {2,}\S", line.strip()):
        return "spaces"
    return "space"


def _sub_header(norm: str, lines: list[tuple[int, int]], j: int, top: list[str], form: str):
    """A header in two rows: 责任单位 over 牵头单位 | 配合单位. The second row's names fill or
    replace the first's, column by column; (column kinds, the line after the header) or None.

    >>> top, below = "序号 | 任务 | 责任单位 |", " | | 牵头单位 | 配合单位"
    >>> t = top + "\\n" + below
    >>> _sub_header(t, [(0, len(top)), (len(top) + 1, len(t))], 1, split_cells(top, "pipe"), "pipe")
    (['no', 'task', 'lead', 'support'], 2)
    """
    while j < len(lines) and not norm[lines[j][0]:lines[j][1]].strip():
        j += 1
    if j >= len(lines):
        return None
    below = split_cells(norm[lines[j][0]:lines[j][1]], form)
    names = [c for c in below if c]
    if not names or any(header_length(c) > _MAX_HEADER or _NOT_HEADER_RE.search(c) for c in names):
        return None
    if not {"lead", "support"} & {column_kind(c) for c in names}:
        return None
    width = max(len(top), len(below))
    merged = [(below[k] if k < len(below) and below[k] else top[k] if k < len(top) else "") for k in range(width)]
    kinds = _is_header(merged)
    return (kinds, j + 1) if kinds is not None else None


def _is_header(cells: list[str]) -> list[str] | None:
    cells = [c for c in cells if c]
    if len(cells) < 2 or any(header_length(c) > _MAX_HEADER or _NOT_HEADER_RE.search(re.sub(r"\([^()]*\)", "", c))
                                  for c in cells):
        return None
    kinds = [column_kind(c) for c in cells]
    known = sum(k not in ("other",) for k in kinds)
    if known < 2 or known * 2 < len(kinds):
        return None
    if not ({"task", "no"} & set(kinds)):
        return None
    return kinds


def find_header(norm: str, lines: list[tuple[int, int]], i: int):
    """(form, column kinds, where the header starts, the line after it) for a header at line i."""
    a, b = lines[i]
    line = norm[a:b]
    if not line.strip():
        return None
    # a header in one line, or at the end of a run-on line (…分解表 序号 名称 工作任务 牵头责任单位)
    at = line.find("序号")
    for start in ([0, at] if at > 0 else [0]):
        part = line[start:]
        form = _form_of(part)
        if form == "space" and not part.lstrip().startswith("序号"):
            continue  # prose has single spaces too: a spaced header opens with 序号
        kinds = _is_header(split_cells(part, form))
        if kinds is not None and len(kinds) >= 2 and not (len(kinds) == 2 and form == "space"):
            merged = _sub_header(norm, lines, i + 1, split_cells(part, form), form)
            if merged is not None:
                return form, merged[0], a + start + len(part) - len(part.lstrip()), merged[1]
            return form, kinds, a + start + len(part) - len(part.lstrip()), i + 1
    # one cell per line: 序号 / 重点工作任务 / 牵头单位 …
    names, j = [], i
    while j < len(lines):
        cell = norm[lines[j][0]:lines[j][1]].strip().rstrip("|").strip()
        if not cell:
            j += 1
            continue
        if cell.startswith("(") and names and len(cell) <= 6 and not SECTION_RE.match(cell):
            names[-1] += cell  # 责任股室 / (单位): a header broken over two lines
            j += 1
            continue
        if NUMBER_RE.match(cell) or header_length(cell) > _MAX_HEADER or "|" in cell or SECTION_RE.match(cell):
            break
        if len(names) == _MAX_COLUMNS:
            return None  # read on, every line of a long list would be scanned again from each line
        names.append(cell)
        j += 1
    if len(names) >= 2 and (column_kind(names[0]) == "no" or len(names) >= 3):
        kinds = _is_header(names)
        if kinds is not None and len(kinds) == len(names):
            return "stacked", kinds, a + len(line) - len(line.lstrip()), j
    return None
