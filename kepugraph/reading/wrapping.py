"""Plain text that a page width broke into lines (text copied out of a PDF, a fax-era
file), put back into paragraphs.

A hard-wrapped text shows itself: most of its long lines end at one width. There, a full
line that does not end a sentence runs on into the next, unless the next opens an item,
names a responsibility field (牵头单位：…) or is indented as a new paragraph. Words and
unit names broken at the line end (市规划和自然资源 / 局) are whole again. Text that
does not show the pattern is left exactly as it is.

The joined text keeps a map to the lines of the file, so a warning still names the
line and column a person finds in their editor.

Inside one annotation the same holds for any text (:func:`unwrapped`): a break after a
long line between two characters of a word was made by the page, not by the writer.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from kepugraph.reading.layout import ENDS_PARAGRAPH, Numbering
from kepugraph.reading.textnorm import display_width, normalize

#: Lines at least this wide (display columns) tell the wrap width.
LONG = 40
#: A line this close to the wrap width was broken by it.
SLACK = 4
_INDENT = re.compile(r"^(?:\u3000|\s{2,}|\t)")


@dataclass
class Unwrapped:
    """The joined text and where each of the file's lines begins in it."""

    text: str
    starts: list[int]  # offset in ``text`` where the file's line k (0-based) begins
    skipped: list[int]  # white space taken off the front of line k when it was joined

    def position(self, offset: int) -> tuple[int, int]:
        """The file's (line, column), from 1, of an offset into the joined text."""
        k = max(0, bisect_right(self.starts, offset) - 1)
        return k + 1, offset - self.starts[k] + self.skipped[k] + 1

    def offset_of(self, line_start: int, k: int, original: int) -> int:
        """The joined offset of ``original``, an offset into the file's text whose line k
        begins at ``line_start``."""
        return self.starts[k] + max(0, original - line_start - self.skipped[k])


def wrap_width(lines: list[str]) -> int | None:
    """The width (display columns) a text was hard-wrapped at, or None if it was not.

    Most long lines must end within :data:`SLACK` of one width and almost none go past it.

    >>> wrap_width(["科" * 30] * 8 + ["科" * 12 + "。"])
    60
    >>> wrap_width(["科" * n for n in range(20, 60, 4)]) is None
    True
    """
    widths = [display_width(line.strip()) for line in lines if line.strip()]
    long = [w for w in widths if w >= LONG]
    if len(long) < 6:
        return None
    counts = Counter(long)
    best, held = max(((w, sum(c for x, c in counts.items() if w - SLACK <= x <= w)) for w in counts),
                     key=lambda wc: (wc[1], wc[0]))
    beyond = sum(c for x, c in counts.items() if x > best + 2)
    if held < 5 or held < 0.4 * len(long) or beyond > 0.1 * len(long):
        return None
    return best


#: A page number as a document prints it: — 3 —, - 3 -, 第3页, 第 3 页 共 10 页 (a lone 3 may
#: be a table's row number, and stays)
_PAGE_LINE = re.compile(r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$")


def unwrap(text: str) -> Unwrapped | None:
    """``text`` with its printed page numbers dropped and its hard-wrapped paragraphs
    joined (across a page number too), or None when it has neither.

    >>> u = unwrap("\\n".join(["一、任务", "开展科普活动" * 3 + "建设（区规划和自然资", "源局负责）。"]
    ...                        + ["科" * 28 + "。"] * 6))
    >>> u.text.splitlines()[1]
    '开展科普活动开展科普活动开展科普活动建设（区规划和自然资源局负责）。'
    >>> u.position(u.text.index("源局"))
    (3, 1)
    >>> unwrap("一、任务\\n— 2 —\\n二、保障").text
    '一、任务\\n二、保障'
    """
    lines = text.split("\n")
    pages = {k for k, line in enumerate(lines) if _PAGE_LINE.match(line)}
    width = wrap_width([line for k, line in enumerate(lines) if k not in pages])
    if width is None and not pages:
        return None
    out: list[str] = []
    starts: list[int] = []
    skipped: list[int] = []
    size = 0  # length of the joined text so far
    numbering = Numbering()
    before: str | None = None  # the last line kept
    for k, line in enumerate(lines):
        if k in pages:
            starts.append(size)
            skipped.append(0)
            continue
        body = line.lstrip(" \t\u3000")
        if before is not None and width is not None and _runs_on(before, line, width, numbering):
            tail = out[-1].rstrip(" \t")
            size -= len(out[-1]) - len(tail)
            glue = " " if tail[-1:].isascii() and tail[-1:].isalnum() and body[:1].isascii() and body[:1].isalnum() else ""
            out[-1] = tail + glue + body
            starts.append(size + len(glue))
            skipped.append(len(line) - len(body))
            size += len(glue) + len(body)
        else:
            if out:
                size += 1  # the line break kept
            out.append(line)
            starts.append(size)
            skipped.append(0)
            size += len(line)
        before = line
    joined = "\n".join(out)
    return Unwrapped(joined, starts, skipped) if joined != text else None


def _runs_on(line: str, following: str, width: int, numbering: Numbering) -> bool:
    """Was ``line`` broken by the page width, with ``following`` its continuation?"""
    this, after = line.strip(), following.strip()
    n = normalize(after)
    anew = numbering.starts_anew(n)  # counted on every line, so the sequence is the document's
    if not this or not after or display_width(this) < width - SLACK:
        return False
    return not anew and not ENDS_PARAGRAPH.search(normalize(this)) and not _INDENT.match(following)


#: a line this long, broken between two characters of a word, was wrapped by the page width
WRAPPED_LINE = 16
_CJK = re.compile(r"[\u3400-\u9fff]")


def unwrapped(orig: str, norm: str, start: int, end: int) -> tuple[str, str] | None:
    """``orig[start:end]`` and ``norm[start:end]`` with the line breaks a page width put
    inside words taken out (配合单 | 位：各区县市 → 配合单位：各区县市), or None when there
    are none. A break after a short line stays: there it parts two names of a list.

    >>> t = "（牵头单位：市发改委，配合单\\n位：各区县市）"
    >>> unwrapped("力争5年内有家特色小镇获省级认定。" + t, "力争5年内有家特色小镇获省级认定。" + t, 17, 17 + len(t))[0]
    '（牵头单位：市发改委，配合单位：各区县市）'
    """
    cuts: list[tuple[int, int]] = []
    at = orig.find("\n", start, end)
    while at >= 0:
        before = orig[:at].rstrip(" \t\u3000")
        after = len(orig[at + 1:end]) - len(orig[at + 1:end].lstrip(" \t\u3000"))
        line_start = orig.rfind("\n", 0, at) + 1
        nxt = at + 1 + after
        if (before and _CJK.match(before[-1]) and nxt < end and _CJK.match(orig[nxt])
                and len(before) - line_start >= WRAPPED_LINE and len(before) > start):
            cuts.append((len(before), nxt))
        at = orig.find("\n", at + 1, end)
    if not cuts:
        return None
    keep_o, keep_n, pos = [], [], start
    for a, b in cuts:
        keep_o.append(orig[pos:a])
        keep_n.append(norm[pos:a])
        pos = b
    keep_o.append(orig[pos:end])
    keep_n.append(norm[pos:end])
    return "".join(keep_o), "".join(keep_n)
