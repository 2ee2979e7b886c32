"""Tables glued into one line: a table written one cell per line that lost its line breaks
(``序号指标工作任务完成时限…1公共文化服务…。12月底前夏俊贵文化宣传股2全年…``).

Where its cells part is found again from structure, and given back as line cuts, so that the
one-cell-per-line reader (:mod:`~kepugraph.extraction.stacked`) reads it as it reads the table
with its breaks:

* the header: 序号 glued to the names after it, each name ending in a column noun
  (:data:`~kepugraph.lexicon.HEADER_ENDS`), up to the first row's number or a section row;
* rows: numbers in sequence (1, 2, 3 …; any number after a section row: 3, then 68) standing
  where a row can start, never inside a figure (100场, 2023年, 7.5%); section rows 一、 （一）
  continuing their own sequence;
* cells inside a row: after the task's last sentence, around dates (12月底前, 2023.01-2023.12),
  and before a label run into the row (省牵头单位:…).

Every search is a forward scan: linear in the length of the text.
"""

from __future__ import annotations

import re

from kepugraph import lexicon
from kepugraph.extraction.cells import cell_units
from kepugraph.extraction.columns import column_kind
from kepugraph.extraction.meta import cn_number
from kepugraph.extraction.units import looks_like_unit, split_glued

_CN = "一二三四五六七八九十"
#: A header glued to its first name: 序号 (or 序 号) and a Chinese character right after it.
_NO_HEAD = re.compile(r"序\s?号(?=[\u4e00-\u9fff])")
_MAX_CELL = 14
#: Where a row or a section opens: a number that is no figure (not 100场, 2023年, 7.5, 15%).
_START = re.compile(rf"(?<![\d.．%])(?P<num>\d{{1,3}})\*?(?![\d.．%年月日时个项万亿元次人名家所座条台套场期批处户亩吨、,，:：)\s])"
                    rf"|(?P<cn>[{_CN}]{{1,3}})、|\((?P<pcn>[{_CN}]{{1,3}})\)")
_DATE = re.compile(r"(?:20\d{2}[.．](?:1[0-2]|0?[1-9])(?:\s?[-—~至]\s?(?:20\d{2}[.．])?(?:1[0-2]|0?[1-9]))?)"
                   r"|(?:(?:20\d{2}年)?\d{1,2}月(?:\d{1,2}日)?(?:底|中旬|上旬|下旬|末|份)?(?:前|内|以前)?)"
                   r"|年底前|长期坚持|长期")
_SENTENCE_END = re.compile(r"[。；;]")
#: The names at the head of a cell (up to a separator), and a run of Han characters.
_CHUNK = re.compile(r"[\u4e00-\u9fff][^、,，;；。\s]*")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
#: No row's cells after its task (units, dates, people, codes) run longer.
_MAX_TAIL = 300
#: What parts the cells after a row's task: a date, a code of letters and digits (A类).
_TAIL_BREAK = re.compile(_DATE.pattern + r"|[A-Za-z][A-Za-z0-9]*类?|\d+(?:\.\d+)?")
#: Where a task cell with no full stop may end: after a bracket, a quote or a percentage.
_CLOSE = re.compile(r"[)）”%]")


def glued_cuts(norm: str, label_re: re.Pattern) -> list[int]:
    """Offsets in ``norm`` where the lines of each glued table would open (see the module).

    >>> t = "附表序号工作任务完成时限牵头单位配合单位1推进甲事。12月底前市甲局市乙局、市丙局2开展乙项活动。市丁局"
    >>> cuts = sorted(set(glued_cuts(t, re.compile("牵头单位:"))))
    >>> [t[a:b] for a, b in zip(cuts, cuts[1:] + [len(t)])]  # doctest: +NORMALIZE_WHITESPACE
    ['序号', '工作任务', '完成时限', '牵头单位', '配合单位', '1', '推进甲事。', '12月底前', '市甲局', '市乙局、市丙局',
     '2', '开展乙项活动。', '市丁局']
    """
    heads = [m.start() for m in _NO_HEAD.finditer(norm)]
    out: list[int] = []
    for k, start in enumerate(heads):
        header = _header(norm, start)
        if header is None:
            continue
        cells, pos = header
        stop = heads[k + 1] if k + 1 < len(heads) else len(norm)
        kinds = [column_kind(norm[x:y]) for x, y in zip(cells, cells[1:])]
        # the header puts a person column right after its deadline (完成时限 | 责任领导 | 责任科室)
        person = any(kind == "deadline" and after == "person" for kind, after in zip(kinds, kinds[1:]))
        out += cells + _rows(norm, pos, stop, label_re, person)
    return out


#: A header of a table with cells parted by spaces: 序号, a space, a column name.
_SPACED_HEAD = re.compile(r"序\s?号[ \t]+(?=[\u4e00-\u9fff])")
#: A row of a spaced table glued to the row before: its number, then a space (…发改委2 一般…).
_SPACED_ROW = re.compile(rf"(?<=[\u4e00-\u9fff.。)）])(?:(?P<num>\d{{1,3}})[ \t]+(?=[^\s\d])|(?P<cn>[{_CN}]{{1,3}})、)")


def spaced_row_cuts(norm: str) -> list[int]:
    """Where the rows of a table with cells parted by spaces open once its line breaks are
    lost: after a header opening with 序号, each number in sequence (1, 2, 3 …) followed by a
    space, and each section row (一、 二、) in sequence, glued to the end of the row before.

    >>> t = "表 序号 任务 牵头单位一、目标1 甲事增长5%. 市甲局2 乙事。 市乙局、市丙局"
    >>> [t[c:c + 3] for c in spaced_row_cuts(t)]
    ['一、目', '1 甲', '2 乙']
    """
    heads = [m.start() for m in _SPACED_HEAD.finditer(norm)]
    out: list[int] = []
    for k, start in enumerate(heads):
        stop = heads[k + 1] if k + 1 < len(heads) else len(norm)
        expected, cn = 1, 1
        for m in _SPACED_ROW.finditer(norm, start, stop):
            if m.group("num") is not None and int(m.group("num")) == expected:
                expected += 1
                out.append(m.start())
            elif m.group("cn") is not None and cn_number(m.group("cn")) == cn:
                cn += 1
                out.append(m.start())
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


def _header(norm: str, start: int) -> tuple[list[int], int] | None:
    """The starts of a glued header's cells from 序号 at ``start``, and where its rows begin."""
    cells, piece, q = [start], start, start
    while q < len(norm):
        if norm[q].isspace() and norm[q] != "\n":
            q += 1
            continue
        if q == piece and (_START.match(norm, q) or norm[q] == "\n"):
            break
        q += 1
        name = _squash(norm[piece:q])
        if len(name) > _MAX_CELL:
            return None
        if not name.endswith(lexicon.HEADER_ENDS) or len(name) < 3 and name not in lexicon.HEADER_SHORT:
            continue
        if norm.startswith("(", q) and not _START.match(norm, q):  # 责任股室(单位), 总投资(万元): the name's aside
            close = norm.find(")", q, q + 2 * _MAX_CELL)
            if close > 0:
                q = close + 1
        if _squash(norm[q:q + 6]).startswith(lexicon.HEADER_TAILS):
            continue
        piece = q
        cells.append(q)
    if q != piece or len(cells) < 4:  # a name left unfinished, or too few: no header
        return None
    return cells, q  # the last start is the first row's


def _rows(norm: str, pos: int, stop: int, label_re: re.Pattern, person: bool) -> list[int]:
    """Cuts of the rows and cells of a glued table from ``pos`` (its first row) to ``stop``."""
    cuts: list[int] = []
    expected: int | None = None  # the next row's number; None after a header or a section row
    last = {"cn": 0, "pcn": 0}
    row_end = None  # where the open row's number ends
    for m in _START.finditer(norm, pos, stop):
        at, style = m.start(), m.lastgroup
        if at > pos and not re.match(r"[\u4e00-\u9fff。；;)”》\s]", norm[at - 1]):
            continue
        value = int(m.group("num")) if style == "num" else cn_number(m.group(style)) or 0
        if style == "num":
            if at > pos and not re.match(r"[\u4e00-\u9fff“《(]", norm[m.end():m.end() + 1] or "x"):
                continue
            if expected is not None and value != expected:
                continue
        elif value != last[style] + 1 and not (style == "pcn" and value == 1):
            continue
        if row_end is not None:
            cuts += _cells(norm, row_end, at, label_re, person)
        cuts.append(at)
        if style == "num":
            expected, row_end = value + 1, m.end()
            cuts.append(m.end())
        else:
            last[style] = value
            if style == "cn":
                last["pcn"] = 0
            expected, row_end = None, None
    if row_end is not None:
        end = norm.find("\n", row_end, stop)
        cuts += _cells(norm, row_end, end if end >= 0 else stop, label_re, person)
    return cuts


def _cells(norm: str, a: int, b: int, label_re: re.Pattern, person: bool = False) -> list[int]:
    """Cuts between the cells of one row ``norm[a:b]``: after its task's last sentence, around
    dates after it, before a label run into it; under a header with a person column after its
    deadline, after a personal name glued between a date and the units (12月底前夏俊贵文化宣传股)."""
    out = []
    label = label_re.search(norm, a, b)
    if label:
        at = label.start()
        at -= at > a and norm[at - 1] in lexicon.LEVELS  # 省牵头单位: the level is the label's
        out.append(at)
        b = at
    ends = [m.end() for m in _SENTENCE_END.finditer(norm, a, b) if norm[m.end():b].strip()]
    # a row's other cells are short: a long rest (a table's last row running into the text after
    # it) is never read as them, so that each row costs its length, not its length squared
    near = [e for e in ends if b - e <= _MAX_TAIL]
    # the task ends at the first sentence after which only units, dates, people stand (else the
    # last); with no full stop, after a bracket or a figure where a unit's name follows
    task_end = next((e for e in near if _tail_like(norm[e:b])), ends[-1] if ends else None)
    if task_end is None and b - a <= 2 * _MAX_TAIL:
        task_end = next((m.end() for m in _CLOSE.finditer(norm, a, b)
                         if _units_apart(norm, m.end(), b, whole=True) and _tail_like(norm[m.end():b])), None)
    if task_end is None:
        return out
    out.append(task_end)
    pos = task_end
    dated = False
    for m in [*_TAIL_BREAK.finditer(norm, task_end, b), None]:  # a date, or a code (A类) glued on
        end = m.start() if m else b
        name = _person_apart(norm, pos, end) if person and dated else []
        out += name + _units_apart(norm, name[0] if name else pos, end)
        if m:
            out += [m.start(), m.end()]
            pos, dated = m.end(), bool(_DATE.fullmatch(m.group(0)))
    return out


def _person_apart(norm: str, a: int, b: int) -> list[int]:
    """A cut after a personal name (three characters, else two) glued before whole unit names."""
    chunk = _HAN.match(norm, a, min(b, a + _MAX_CELL * 4))
    if chunk is None or chunk.group(0)[0] in lexicon.LEVELS:
        return []
    for k in (3, 2):
        rest = chunk.group(0)[k:]
        parts = split_glued(rest) if len(rest) >= 2 else []
        if parts and all(len(p) >= 3 and looks_like_unit(p) for p in parts):  # 李四宣传科: not 李四宣|传科
            return [a + k]
    return []


def _tail_like(text: str) -> bool:
    """Is the rest of a row after a sentence its other cells (units, a date, a person)?"""
    text = _TAIL_BREAK.sub("", text).strip().rstrip("。；;")
    return not text or cell_units(text)


def _units_apart(norm: str, a: int, b: int, whole: bool = False) -> list[int]:
    """A cut between two whole unit names of one level glued at the head of a cell (区发改委区工信局、…:
    the lead column's cell, then the support column's); ``whole``: [b] when the cell opens with a
    unit's name at all."""
    chunk = _CHUNK.match(norm, a, min(b, a + _MAX_CELL * 4))
    if chunk is None:
        return []
    parts = split_glued(chunk.group(0))
    if whole:
        return [b] if looks_like_unit(parts[0]) else []
    # both whole names, the second opening with the first's level or a collective's 各 (区发改委|区工信局,
    # 市己局|各区人民政府; never 杭州城西科|创…)
    if len(parts) < 2 or not looks_like_unit(parts[0]) or not looks_like_unit(parts[1]) \
            or parts[0][0] not in lexicon.LEVELS or parts[1][0] not in (parts[0][0], "各"):
        return []
    return [a + len(parts[0])]
