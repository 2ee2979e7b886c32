"""The recall net: a stretch of the text that reads like a responsibility — two or more
unit names in a list next to a role word (牵头, 配合, 负责, 参与, 会同 …), a bracket opened
by a unit and its role word, or a label (责任单位：) — that ended up in no measure is
reported with its line and column, never dropped in silence. It also says what was looked for when a text yields no measure."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from kepugraph import lexicon
from kepugraph.extraction.annotations import LABEL_RE, LABEL_WORDS
from kepugraph.extraction.doc import Doc
from kepugraph.extraction.units import is_generic, looks_like_unit
from kepugraph.reading.textnorm import compact

_ALT = lexicon.alternation
_NAME = r"[^\s、,，。;；:：()“”《》]{2,20}?"
#: 区科协、区教育局牵头 / 由区科协会同区教育局 / 区科协、区教育局等部门负责 — the lookahead
#: asks first what the first name and its 、 need (the same matches, far fewer tries)
_LIST_RE = re.compile(rf"(?={_NAME[:-1]}、)(?P<list>{_NAME}(?:、{_NAME})+?)(?:等(?:部门|单位|有关部门)?)?(?:分管|主要|有关)?"
                      "(?P<verb>" + _ALT(lexicon.RECALL_VERBS) + "|" + _ALT((lexicon.CARRY_VERB,)) + "(?!同志|人))")
_VERB_RE = re.compile(_ALT(lexicon.RECALL_VERBS + (lexicon.CARRY_VERB,)))
#: (区科协牵头，… / 【区科协负责】 — one unit and its role word opening a bracket group
_BRACKET_RE = re.compile(rf"\(\s*(?P<name>{_NAME})(?P<verb>" + lexicon.ROLE_MARK + "|"
                         + _ALT((lexicon.CARRY_VERB,)) + "(?!同志|人))")
#: 牵头单位 区科协 — a label with a gap instead of a colon, on a line of its own
_GAP_LABEL_RE = re.compile(rf"^[ \t]*(?:{LABEL_WORDS})[ \t]+(?=\S)", re.M)
#: what the parser looks for, said when a text yields no measure
LOOKED_FOR = "looked for （A、B按职责分工负责）, 牵头单位：A, a table with a 责任单位 column, 由A会同B负责"


def unplaced_stretches(doc: Doc, covered: list[tuple[int, int]],
                       read: list[tuple[int, int, set[str]]] | None = None) -> None:
    """Warn of every responsibility-like stretch outside ``covered`` (the spans of the
    measures and tables read). Inside a measure's span (``read``: span and the compact
    names of its units) a list of units and its role word is still reported when its
    units are not the measure's: 区科协、区教育局牵头组织实施 in the text of a measure whose
    field names 区文旅局."""
    read = read or []
    covered = _Spans(covered)  # asked of every stretch found: by bisection
    for m in _lists(doc.norm):
        names = m.group("list").split("、")
        units = [n for n in names if looks_like_unit(n) and not is_generic(n)]
        if len(units) < 2 or len(units) * 2 < len(names):
            continue
        owner = next((got for a, b, got in read if a <= m.start() < b), None)
        # 2.由市教育局、市科协共同负责: the list's first name starts at the line, with the 由 before it
        if owner is not None and not all(compact(n).rpartition("由")[2] in owner for n in units) \
                or not _inside(m.start(), covered):
            doc.warn(m.start(), "looks like a responsibility but was not read", m.end())
    for m in _BRACKET_RE.finditer(doc.norm):
        if not _inside(m.start(), covered) and looks_like_unit(m.group("name")) and not is_generic(m.group("name")):
            doc.warn(m.start(), "looks like a responsibility but was not read", m.end())
    for m in [*LABEL_RE.finditer(doc.norm), *_GAP_LABEL_RE.finditer(doc.norm)]:
        if _inside(m.start(), covered):
            continue
        line_end = doc.lines[doc.line_of(m.start())][1]
        names = re.split(r"[、,，;；]", doc.norm[m.end():line_end])
        if sum(1 for n in names if looks_like_unit(n.strip())) >= 1 and not _inside(m.end(), covered):
            doc.warn(m.start(), "looks like a responsibility but was not read", line_end)


#: A stretch no list of units crosses: _LIST_RE's names, its 、 and its words hold none of
#: these. Only the whole stretches that hold a 、 are found (the search looks ahead for the
#: 、 from where a stretch opens only, so it reads each character a bounded number of times).
_SEPS = r"\s,，。;；:：()“”《》"
_RUN_RE = re.compile(rf"(?<![^{_SEPS}])(?=[^{_SEPS}]*、)[^{_SEPS}]+")


def _lists(norm: str):
    """``_LIST_RE.finditer(norm)``, tried only in the stretches between separators that hold
    a 、 (its lazy names cost up to twenty tries at every character of the text)."""
    for run in _RUN_RE.finditer(norm):
        # a list ends in its verb, inside the stretch: a stretch holding no verb holds no list
        if _VERB_RE.search(norm, run.start(), run.end()) is not None:
            yield from _LIST_RE.finditer(norm, run.start(), run.end())


def _inside(pos: int, spans: "_Spans") -> bool:
    return pos in spans


class _Spans:
    """``pos in spans``: ``any(a <= pos < b for a, b in spans)`` by bisection — the spans by
    their start, and the furthest end reached by those starting at or before each."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = list(accumulate((b for _, b in spans), max))

    def __contains__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos)
        return k > 0 and self.reach[k - 1] > pos
