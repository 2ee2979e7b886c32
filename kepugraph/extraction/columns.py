"""Table headers: what each column of a task table holds, read from its name, and where a
header stands in the text (one line split by ``|``, tabs or spaces, or one cell per line)."""

from __future__ import annotations

import functools
import re

from kepugraph import lexicon
from kepugraph.extraction.cells import NUMBER_RE, content_kinds, rows_of_tasks
from kepugraph.extraction.meta import cn_number
from kepugraph.extraction.units import looks_like_unit

#: Column kinds by the words of their header (from the lexicon), first match wins. A header
#: is evidence: what the cells hold decides whether a column is read at all.
_KINDS = [
    ("no", re.compile(r"^(序号|编号|序)$")),
    ("person", re.compile(lexicon.alternation(lexicon.PERSON_WORDS))),
    ("lead", re.compile(lexicon.alternation(lexicon.LEAD))),
    ("support", re.compile(lexicon.alternation(lexicon.SUPPORT))),
    ("deadline", re.compile(lexicon.alternation(lexicon.DEADLINE_WORDS + ("完成时间", "时间节点")))),
    ("target", re.compile(r"(目标值|预期目标|指标值|量化指标)")),
    ("unit", re.compile(lexicon.alternation(lexicon.CARRY + lexicon.LABEL_NOUNS[:-1]))),
    ("other", re.compile(r"(类型|类别|分类|备注|说明|情况|是否|数量|序$)")),
    ("task", re.compile(r"(任务|内容|目标|事项|举措|措施|工作|要求|名称|项目|要点)")),
]
#: Columns of responsible units; "front": units a row writes before its task, no header saying their role.
RESPONSIBLE = ("lead", "support", "unit", "front")
#: The rule under a Markdown table's header: | --- | :---: |
MD_RULE_RE = re.compile(r"\s*\|?(?:\s*:?-+:?\s*\|)+\s*(?::?-+:?\s*)?$")
_MAX_HEADER = 14
#: No task table has more columns: a longer run of short lines is a list, not a header.
_MAX_COLUMNS = 24
#: A column name is a few words: no sentence, no number opening it, no list marker.
_NOT_HEADER_RE = re.compile(r"[。；;，,!?！？、]|^\s*[\d一二三四五六七八九十]+\s*[.、]")
#: A heading row of a table: 一、… (一)… 第一部分…
SECTION_RE = re.compile(r"^(\(?[一二三四五六七八九十]+[)、.]|第[一二三四五六七八九十]+[章部分节])")
_TRAILING_ASIDE_RE, _SPACED_RE = re.compile(r"(?<=.)\([^()]*\)$"), re.compile(r"\S {2,}\S")


@functools.lru_cache(maxsize=1 << 12)  # pure: the few words of a plan's table headers
def header_length(cell: str) -> int:
    """A header's length without spaces and bracketed asides: 重点工作任务(杭州市2项配合工作) is 6."""
    squeezed = "".join(cell.split())
    return len(_TRAILING_ASIDE_RE.sub("", squeezed)) if not squeezed.startswith("(") else len(squeezed) + 99


def column_kind(header: str) -> str:
    """What a column holds, by its header: no, person, lead, support, deadline, target, unit,
    other or task. Letter spacing (``牵 头 部 门``) is ignored.

    >>> [column_kind(h) for h in ("序号", "牵头单位", "责任股室(单位)", "重点任务", "分管 领导", "协同配合单位")]
    ['no', 'lead', 'unit', 'task', 'person', 'support']
    """
    h = re.sub(r"\((?!单位|部门)[^()]*\)", "", "".join(header.split())).strip("|:")
    return next((kind for kind, rule in _KINDS if rule.search(h)), "other")


@functools.lru_cache(maxsize=1 << 14)  # pure, asked of every word of every header-like line
def known_kind(header: str) -> bool:
    """Does a header word name a column we know (any rule, 情况 and 备注 included)?"""
    h = "".join(header.split())
    return bool(h) and _ANY_KIND.search(h) is not None


#: any rule of _KINDS, as one pattern: known_kind asks it of every word of every header line
_ANY_KIND = re.compile("|".join(f"(?:{rule.pattern})" for _, rule in _KINDS))


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
    if _SPACED_RE.search(line.strip()):
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


def _is_header(cells: list[str], strict: bool = True) -> list[str] | None:
    cells = [c for c in cells if c]
    if len(cells) < 2 or any(header_length(c) > _MAX_HEADER or _NOT_HEADER_RE.search(re.sub(r"\([^()]*\)", "", c))
                                  for c in cells):
        return None
    kinds = [column_kind(c) for c in cells]
    known = sum(k not in ("other",) for k in kinds)
    if known < 2 or strict and known * 2 < len(kinds) or not strict and not set(RESPONSIBLE) & set(kinds):
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
        if kinds is not None and form != "space" and ("task" not in kinds or not set(RESPONSIBLE) & set(kinds)):
            # a header that names some columns (序号 | 任务名称 | 承担): its rows type the others
            # (a task found so is a sentence, not a name: 地区生产总值增速 heads an indicator)
            kinds = confirmed(kinds, _by_rows(norm, lines, i + 1, form, len(kinds), min_task=10))
        if kinds is None and form != "space" and _header_like(split_cells(part, form)) \
                and not _named_header_follows(norm, lines, i + 1, form):
            # a header that names nothing we know (栏目1 | 栏目2 …): its rows type the columns
            kinds = _by_rows(norm, lines, i + 1, form, len([c for c in split_cells(part, form) if c]))
        if kinds is not None and len(kinds) >= 2 and not (len(kinds) == 2 and form == "space"):
            merged = _sub_header(norm, lines, i + 1, split_cells(part, form), form)
            if merged is not None:
                return form, merged[0], a + start + len(part) - len(part.lstrip()), merged[1]
            return form, kinds, a + start + len(part) - len(part.lstrip()), i + 1
    return _headerless(norm, lines, i) or _stacked_header(norm, lines, i)


def _headerless(norm: str, lines: list[tuple[int, int]], i: int):
    """A table with no header at all (a page of a table the header stands on the page before,
    a sheet saved without its first row): rows of cells between delimiters from line i, the
    first cell a row number, the columns typed by their cells; the first row is a row."""
    a, b = lines[i]
    line = norm[a:b]
    form = _form_of(line)
    if form == "space":
        return None
    cells = split_cells(line, form)
    while cells and not cells[-1]:
        cells.pop()
    if form == "pipe" and cells and not cells[0] and line.lstrip().startswith("|"):
        cells.pop(0)
    if len(cells) < 3 or not NUMBER_RE.match(cells[0]) or all(NUMBER_RE.match(c) for c in cells):
        return None
    if i > 0 and _form_of(norm[lines[i - 1][0]:lines[i - 1][1]]) == form:
        return None  # a row inside a table read already (or left as no table): not a table's start
    kinds = _by_rows(norm, lines, i, form, len(cells))
    if kinds is None or "task" not in kinds or not set(RESPONSIBLE) & set(kinds):
        return None
    return form, kinds, a + len(line) - len(line.lstrip()), i


def _stacked_header(norm: str, lines: list[tuple[int, int]], i: int):
    """A header written one cell per line at line i: 序号 / 重点工作任务 / 牵头单位 …"""
    a, b = lines[i]
    line = norm[a:b]
    names, whole, j = [], [], i
    gaps = prev_blank = False  # cells parted by blank lines: a line right under a line is its cell's
    while j < len(lines):
        raw = norm[lines[j][0]:lines[j][1]].strip()
        cell = raw.rstrip("|").strip()
        if not cell:
            gaps = gaps or not raw  # a line of pipes closes a row: no blank line between cells
            prev_blank = True
            j += 1
            continue
        broken = cell.startswith("(") and len(cell) <= 6 and not SECTION_RE.match(cell) \
            or gaps and not prev_blank and not raw.endswith("|")
        prev_blank = False
        if broken and names and not NUMBER_RE.match(cell):
            names[-1] += cell  # 责任股室 / (单位), 建设起 / 止年限: a header broken over two lines
            whole[-1] = True
            j += 1
            continue
        if NUMBER_RE.match(cell) or header_length(cell) > _MAX_HEADER or "|" in cell or SECTION_RE.match(cell):
            break
        if len(names) == _MAX_COLUMNS:
            return None  # read on, every line of a long list would be scanned again from each line
        names.append(cell)
        whole.append(False)
        j += 1
    if len(names) >= 2 and (column_kind(names[0]) == "no" or len(names) >= 3):
        kinds = _is_header(names)
        if kinds is None and column_kind(names[0]) == "no":
            # as wide as its rows, a header needs only say where the task and the units are
            kinds = _is_header(_joined_fragments(names, whole, _row_width(norm, lines, j)), strict=False)
        if kinds is None and _header_like(names):  # 栏目1 / 栏目2 …: the rows type the columns
            groups = _stacked_groups(norm, lines, j)
            kinds = content_kinds([row for row in groups if len(row) == len(names)])
            if kinds is None and rows_of_tasks(groups):
                kinds = ["no", "task", "unit"]  # no column said: each row is read by its content
        if kinds is not None:
            return "stacked", kinds, a + len(line) - len(line.lstrip()), j
    return None


def opens_row(cell: str, previous: str | None) -> bool:
    """Does a line holding only ``cell`` open the next row of a one-cell-per-line table? A
    number does when it follows the previous row's in sequence (1200 in an amount column
    does not).

    >>> opens_row("2", "1"), opens_row("1200", "1"), opens_row("1", None), opens_row("三", "二")
    (True, False, True, True)
    """
    if not NUMBER_RE.match(cell):
        return False
    if previous is None or not NUMBER_RE.match(previous):
        return True
    return _number(cell) == _number(previous) + 1


def _number(cell: str) -> int:
    digits = re.sub(r"\D", "", cell)
    return int(digits) if digits else cn_number(cell.rstrip(".、*")) or 0


def _header_like(cells: list[str]) -> bool:
    """Short cells with no sentence in them, at least three: a header row, whatever it says."""
    cells = [c for c in cells if c]
    if cells and NUMBER_RE.match(cells[0]) and not all(NUMBER_RE.match(c) for c in cells):
        return False  # 1 | 开展… | 市科协: a row, numbered (a header row numbers its columns, if at all)
    return len(cells) >= 3 and all(header_length(c) <= _MAX_HEADER and not _NOT_HEADER_RE.search(c) for c in cells)


def _named_header_follows(norm: str, lines: list[tuple[int, int]], j: int, form: str) -> bool:
    """A header with column names we know within the next lines: the rows above it are no
    table of their own (a page's 索引号 | … | 公开方式 | … lines over the plan's table)."""
    for a, b in lines[j:j + 4]:
        if _is_header(split_cells(norm[a:b], form)) is not None:
            return True
    return False


def confirmed(header: list[str], content: list[str] | None) -> list[str]:
    """Column kinds from a header and from the cells below it: a kind the header names
    stands; a column whose header names nothing we know takes the kind its cells show.

    >>> confirmed(["no", "task", "other"], ["no", "task", "unit"])
    ['no', 'task', 'unit']
    """
    if content is None or len(content) != len(header):
        return header
    return [c if h == "other" else h for h, c in zip(header, content)]


def _by_rows(norm: str, lines: list[tuple[int, int]], j: int, form: str, width: int,
             min_task: int = 6) -> list[str] | None:
    """Column kinds read from the rows after a header at line ``j``: the rows as wide as it."""
    rows = []
    for a, b in lines[j:j + 80]:
        line = norm[a:b]
        if not line.strip():
            continue
        if form == "pipe" and "|" not in line or form == "tab" and "\t" not in line:
            if rows:
                break
            continue
        cells = split_cells(line, form)
        while cells and not cells[-1]:
            cells.pop()
        if form == "pipe" and cells and not cells[0] and line.lstrip().startswith("|"):
            cells.pop(0)
        if 2 <= len(cells) <= width:  # a row short of cells lost its merged ones, at the left
            rows.append([""] * (width - len(cells)) + cells)
    return content_kinds(rows, min_task)


def _stacked_groups(norm: str, lines: list[tuple[int, int]], j: int) -> list[list[str]]:
    """The rows after a one-cell-per-line header at line ``j``, each opening with its number
    (a line of pipes also closes a row)."""
    groups, row, blanks, number = [], [], 0, None
    for a, b in lines[j:]:
        raw = norm[a:b].strip()
        cell = raw.rstrip("|").strip()
        if raw and not cell or SECTION_RE.match(cell) and len(cell) <= 60 and len(row) != 1:
            if row:  # a line of pipes closes a row; a heading row (一、…) stands between rows
                groups.append(row)
            row, number, blanks = [], None if cell else number, 0
            continue
        if not cell:
            blanks += 1
            if blanks >= 3:
                break
            continue
        blanks = 0
        if opens_row(cell, number):
            if row:
                groups.append(row)
            row, number = [cell], cell
        elif row:
            row.append(cell)
    if row:
        groups.append(row)
    return groups


def _row_width(norm: str, lines: list[tuple[int, int]], j: int) -> int:
    """How many cells a row of a one-cell-per-line table has, counted on the rows after
    the header at line ``j`` (each opens with its number): the narrowest complete row, one
    whose last cell names a unit (a row cut by the page, or with a name cell broken over
    two lines, is no measure of the header)."""
    widths, row, blanks = [], [], 0
    for a, b in lines[j:]:
        cell = norm[a:b].strip().rstrip("|").strip()
        if not cell:
            blanks += 1
            if blanks >= 3:
                break
            continue
        blanks = 0
        if opens_row(cell, row[0] if row else None):
            if row and looks_like_unit(row[-1].split()[-1]):
                widths.append(len(row))
            row = [cell]
        elif row:
            row.append(cell)
    if row and looks_like_unit(row[-1].split()[-1]):
        widths.append(len(row))
    return min(widths) if widths else 0


def _joined_fragments(names: list[str], joined: list[bool], width: int) -> list[str]:
    """Header cells broken over lines with blank lines between (责任 / 单位, 资金 / 来源)
    joined again until the header is as wide as its rows: the shortest neighbouring pair of
    fragments first, from the right (where the cells after the task stand), a cell already
    joined last.

    >>> _joined_fragments(["序号", "项目", "年度", "计划", "资金", "来源", "责任", "单位"], [False] * 8, 5)
    ['序号', '项目', '年度计划', '资金来源', '责任单位']
    """
    names, joined = list(names), list(joined)
    while width >= 2 and len(names) > width:
        pairs = [n for n in range(len(names) - 1) if "no" not in (column_kind(names[n]), column_kind(names[n + 1]))]
        if not pairs:
            break
        k = min(pairs, key=lambda n: (joined[n] or joined[n + 1], len(names[n]) + len(names[n + 1]), -n))
        names[k:k + 2] = [names[k] + names[k + 1]]
        joined[k:k + 2] = [True]
    return names
