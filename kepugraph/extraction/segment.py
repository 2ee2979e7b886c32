"""Segmentation that does not trust newlines: a separator the document itself uses in
place of its line breaks (a converter's ``Р``, ``■``, ``??``), learnt from where it stands.

A character that is neither a Chinese character, a letter, a digit, white space nor the
punctuation of running text, which recurs in a text that has next to no line breaks, and
stands right before item markers (一、 （一） 1.) or recurs often, is that document's line
break. It is read as one (in the normalised text, which keeps every offset), and the text
as written is left as it is.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter

from kepugraph import lexicon
from kepugraph.extraction.glued import glued_cuts, spaced_row_cuts
from kepugraph.reading.layout import MARKERS

#: Lines at least this long lost their breaks: they are cut where a label or a table row opens.
RUN_ON = 300

#: What running Chinese text and its tables are made of: never a separator.
_ORDINARY = re.compile(r"[\u3400-\u9fffA-Za-z0-9_０-９Ａ-Ｚａ-ｚ\s，。、；：？！“”‘’《》〈〉（）【】〔〕()\[\]{},.;:!?'\"%%‰·—…\-+/|=<>~～*#@&]")
_ODD = re.compile(r"\?\?|" + _ORDINARY.pattern.replace("[", "[^", 1))
#: A separator is learnt only where it is more than twice as common as line breaks, and it stands before an item marker at least this often.
_BEFORE_MARKERS = 2
#: ... or where it recurs this often.
_ALONE = 5


def learn_separator(text: str) -> str | None:
    """The separator ``text`` uses instead of line breaks, or None.

    >>> learn_separator("一、总则■1.推进甲事。责任单位：市甲局■2.推进乙事。责任单位：市乙局■二、保障")
    '■'
    >>> learn_separator("一、总则\\n1.推进甲事。（市甲局负责）\\n") is None
    True
    """
    # one odd character, or two question marks (a converter's lost line break)
    runs = Counter(m.group(0) for m in _ODD.finditer(text))
    best = None
    for junk, n in runs.most_common(5):
        if n < 3 or n <= 2 * text.count("\n"):
            break
        before = 0
        for m in re.finditer(re.escape(junk), text):
            rest = text[m.end():m.end() + 8].lstrip()
            before += any(rx.match(rest) for _, rx in MARKERS[:5])
        # a text with no line break at all takes any odd character that recurs as its breaks
        if before >= _BEFORE_MARKERS or n >= _ALONE or "\n" not in text:
            best = junk
            break
    return best


#: A paragraph's indentation (two spaces or more, ideographic ones normalised) left inside a
#: text that lost its line breaks.
_INDENT = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
#: ... except after a short name that opens no item: a row's first cell, its gap a column's.
_CELL = 12


def indentation_breaks(norm: str) -> list[int]:
    """Where a page that lost its line breaks kept its paragraphs' indentation: runs of two
    spaces or more inside the text, recurring (three at least) in a text with more of them than
    twice its line breaks. Offsets into ``norm`` of each run's first space; a run after a
    short name that opens no item is the gap between a row's cells, not a break.

    >>> indentation_breaks("一、总则  设立小组。  二、职责  办公室负责甲事。  三、分工  办公室  负责乙事。")
    [4, 11, 17, 27, 33]
    >>> indentation_breaks("序号  任务\\n1  推进甲事\\n2  推进乙事\\n")
    []
    """
    runs = [m.start() for m in _INDENT.finditer(norm)]
    if len(runs) < 3 or len(runs) <= 2 * norm.count("\n") or _spaced_table(norm):
        return []
    out, last = [], 0
    for at in runs:
        before, after = norm[last:at].strip(), norm[at:at + 8].lstrip()
        # a short name before the gap, that opens no item and ends no clause, with no item after
        # the gap, is a row's first cell (办公室  负责…)
        if len(before) <= _CELL and not any(rx.match(before) or rx.match(after) for _, rx in MARKERS[:7]) \
                and before[-1] not in "。；;:：!！?？)":
            continue
        out.append(at)
        last = at
    return out


def _spaced_table(norm: str) -> bool:
    """Are the gaps a table's columns: most lines short, each with two gaps or more (序号  任务
    牵头单位 / 1  开展…  市科协)? A page that lost its breaks has few lines, long ones.

    >>> _spaced_table("序号  工作任务  牵头单位  配合单位\\n1  开展活动  市科协  市教育局\\n2  建设基地  市科技局  市文旅局\\n")
    True
    """
    lines = [line for line in norm.split("\n") if line.strip()]
    rows = sum(len(line) <= _ROW_MAX and len(_INDENT.findall(line)) >= 2 for line in lines)
    return rows >= 3 and 2 * rows >= len(lines)


#: A row of a table whose columns are parted by spaces is no longer than this.
_ROW_MAX = 150


def as_line_breaks(text: str, norm: str) -> str:
    """``norm`` with the separator ``text`` uses in place of line breaks turned into line
    breaks (one break and spaces for the rest of it, so that offsets keep their meaning); with
    none, the indentation a page kept where it lost its line breaks opens a line."""
    junk = learn_separator(text)
    if junk is None:
        cuts = indentation_breaks(norm)
        if not cuts:
            return norm
        out = list(norm)
        for at in cuts:
            out[at] = "\n"
        return "".join(out)
    out = list(norm)
    for m in re.finditer(re.escape(junk), text):
        out[m.start()] = "\n"  # one break, then spaces for the rest of it (?? is one separator)
        for k in range(m.start() + 1, m.end()):
            out[k] = " "
    return "".join(out)


def split_long_lines(doc, label_re: re.Pattern, field_re: re.Pattern) -> None:
    """Cut lines that lost their line breaks where a line would open: before a label that
    follows a sentence or a name (…活动。责任单位：区科协 时间：…, a field of its own line), and
    before each row of a table flattened with ``|`` (a number in sequence opening a cell, or the
    header's 序号), and between the cells of a one-cell-per-line table glued into one line
    (:mod:`~kepugraph.extraction.glued`). The cuts are virtual: offsets stay those of the text.

    ``doc`` is the :class:`~kepugraph.extraction.doc.Doc`; ``label_re`` and ``field_re`` match
    labels of units and of other fields (from the lexicon, via the annotation stage).
    """
    lines: list[tuple[int, int]] = []
    # a one-cell-per-line table, or the rows of a table parted by spaces, that lost their breaks
    glued = sorted(glued_cuts(doc.norm, label_re) + spaced_row_cuts(doc.norm))
    for a, b in doc.lines:
        start = doc.norm.rfind("\n", 0, a) + 1
        end = doc.norm.find("\n", b)
        cuts = set(_row_cuts(doc.norm, a, b))  # rows of a | table run together, in a line of any length
        cuts.update(glued[bisect_right(glued, a):bisect_left(glued, b)])
        if (len(doc.norm) if end < 0 else end) - start >= RUN_ON:  # labels only where a line ran on
            cuts |= set(_label_cuts(doc, a, b, label_re, field_re))
        if not cuts:
            lines.append((a, b))
            continue
        cuts = sorted(c for c in cuts if a < c < b)
        for start, end in zip([a] + cuts, cuts + [b]):
            if end > start:
                lines.append((start, end))
    doc.lines = []
    for a, b in lines:  # a heading glued to the header of the | table it titles, in a line of its own now
        cut = _titled_header(doc.norm, a, b)
        doc.lines += [(a, cut[0]), (cut[0], b)] if cut else [(a, b)]


#: An item marker and the first few characters of its heading, right before a label: the label
#: word is the tail of the heading (二、举办时间：… / 1、活动内容：…), never a field of its own.
_HEADING_HEAD = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[、.]|\([一二三四五六七八九十\d]{1,3}\))\s*[\u4e00-\u9fff]{1,4}$")


def _label_cuts(doc, a: int, b: int, label_re: re.Pattern, field_re: re.Pattern) -> list[int]:
    out = []
    for rx in (label_re, field_re):
        for m in rx.finditer(doc.norm, a, b):
            at = m.start()
            if at > a and not doc.inside_brackets(a, at) and doc.norm[at - 1] not in "(（【[:：、,，和及与" \
                    and not _HEADING_HEAD.search(doc.norm, max(a, at - 12), at):
                out.append(at)
            # a bracketed annotation after a full stop stood on a line of its own: …知晓率。(责任单位:…)
            elif at - 1 > a and doc.norm[at - 1] in "(（【[" and doc.norm[at - 2] in "。；;" \
                    and not doc.inside_brackets(a, at - 1):
                out.append(at - 1)
    return out


_ROW_END = re.compile(r"(?<=\S) \|(?=[^\s|])")
_CELL_NUMBER = re.compile(r"\|\s*(\d{1,3})\s*\|")
_PIPES_END = re.compile(r"\|[ \t]*\|+(?=[^\s|])")
_CELL_END = re.compile(r"(?<=\S) \|(\|*)(?![|])")


_SECTION_HEAD = re.compile(r"\s*(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))")
_HEADER_NAME = re.compile("(?:" + "|".join(lexicon.TABLE_TITLE_ENDS) + ")(?=[\u4e00-\u9fff]{2,%d}$)" % 14)


def _titled_header(norm: str, a: int, b: int) -> list[int]:
    """A section heading glued to the first name of a ``|`` header under it
    (一、专项整治安排表专项整治行业名称 | 时间安排 | 责任单位 |): cut where the table's title ends,
    so that the header is a line of its own again."""
    bar = norm.find(" | ", a, b)
    if bar < 0 or norm.count(" | ", a, b) < 2 or not _SECTION_HEAD.match(norm, a, bar):
        return []
    first = norm[a:bar].rstrip()
    if not first.endswith(lexicon.HEADER_ENDS):
        return []
    ends = list(_HEADER_NAME.finditer(first))
    return [a + ends[-1].end()] if ends else []


def _row_cuts(norm: str, a: int, b: int) -> list[int]:
    """Before each row of a ``|`` table run into one line: its number cell, in sequence."""
    if norm.count("|", a, b) < 6:
        return []
    out, expected = [], None
    head = norm.find("序号", a, b)
    if head > a:
        out.append(head)
    for m in _CELL_NUMBER.finditer(norm, a, b):
        n = int(m.group(1))
        if expected is None or n == expected:
            out.append(m.start() + 1)
            expected = n + 1
    # cells parted by ' | ', rows closed by ' |' with the next row glued on: |烟花爆竹 | 1月份 |
    glued = [m.end() for m in _ROW_END.finditer(norm, a, b)]
    closed = [m.end() for m in _PIPES_END.finditer(norm, a, b)]  # …产业政策科 | ||(二)推进…: '||' closed a row
    spaced = norm.count(" | ", a, b)
    if closed and spaced >= 2 * len(closed) + 2:
        out += closed
    # one cell per line, each closed by ' |', a line of pipes closing each row, all run together:
    # 序号 |牵头单位 |…|本月进展情况 |||前期手续 |…: every cell and every run of pipes its own line
    cells = [m for m in _CELL_END.finditer(norm, a, b) if m.end() == b or not norm[m.end()].isspace()]
    if len(cells) >= 6 and spaced * 2 < len(cells):
        for m in cells:
            out += [m.start(1), m.end()] if m.group(1) else [m.end()]
        return sorted(set(out))
    if len(glued) >= 2 and spaced >= 2 * len(glued):
        out += glued
        first = norm.find(" | ", a, b)  # the header opens after the sentence before its first cell
        stop = max(norm.rfind(ch, a, first) for ch in "。；;!?！？")
        if stop >= a:
            out.append(stop + 1)
    return sorted(set(out)) if len(out) >= 2 else []
