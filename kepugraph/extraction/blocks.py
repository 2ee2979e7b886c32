"""Role cues inside one item's block: bracket groups closing a sentence, run-in fields
(牵头单位：…) on lines of their own, and labels closing a paragraph (…。责任单位：…)."""

from __future__ import annotations

import re

from kepugraph import lexicon
from kepugraph.extraction.annotations import (
    BRACKET_LABEL_RE,
    DEADLINE_FIELD_RE,
    GAP_LABEL_RE,
    LABEL_RE,
    OTHER_FIELDS_RE,
    ROLE_WORDS_RE,
    Annotation,
    label_role,
    parse_annotation,
)
from kepugraph.extraction.doc import Doc
from kepugraph.extraction.items import Hit, Item, is_short_heading
from kepugraph.extraction.quickre import prefiltered
from kepugraph.reading.layout import opens_item

_SENTENCE_END = "。!?！？;；"
#: a line that is only units and their role words, no brackets, no label
_ROLE_LINE_RE = re.compile(r"^[^。(:]{2,80}?" + lexicon.alternation(tuple(lexicon.CLAUSE_VERBS) + lexicon.PROSE_VERBS)
                           + r"(?:落实|实施)?[。;；]?\s*$")
_PUNCT_TAIL = "。.;；,，、 \t"
_STEP_RE = re.compile(r"[()\n]")
#: what parts every label from its units (see LABEL_RE): a colon, a dash, 为
_LABEL_MARK_RE = re.compile("[:—\\-为)]")  # ) closes 【责任单位】
#: what makes an unreadable bracket group worth a warning
_NAMED_ROLE_RE = re.compile("(" + lexicon.alternation(lexicon.LEAD + lexicon.SUPPORT + lexicon.PROSE_VERBS + ("责任单位",))
                            + "|单位:)")
_NAMED_ROLE_RE = prefiltered(_NAMED_ROLE_RE)  # the same matches, found faster (see quickre)


def scan_block(doc: Doc, it: Item) -> None:
    """Find the annotations of one item's block: field lines, run-in labels, bracket groups."""
    norm = doc.norm
    field_lines: set[int] = set()
    unit_fields: list[tuple[int, int, Annotation]] = []
    for li in range(it.line + 1, doc.line_of(max(it.start, it.end - 1)) + 1):
        a, b = doc.lines[li]
        stripped = norm[a:b].lstrip()
        off = b - len(stripped)
        found = _field_line(doc, it, off, b, stripped)
        if found is not None:
            field_lines.add(li)
            if found:
                unit_fields.append((off, b, found))
    it.fields = unit_fields
    _inline_labels(doc, it, field_lines)
    # bracket groups outside field lines
    depth, open_at = 0, -1
    pos = it.content
    # only brackets and line breaks matter here: the search steps from one to the next
    while (found := _STEP_RE.search(norm, pos, it.end)) is not None:
        pos = found.start()
        ch = norm[pos]
        if ch == "\n" and depth == 0 and doc.line_of(pos + 1) in field_lines:
            li = doc.line_of(pos + 1)
            pos = doc.lines[li][1]
            continue
        if ch == "(":
            if depth == 0:
                open_at = pos
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0 and not any(h.start <= open_at < h.end for h in it.hits):  # 【责任单位】 read already
                _consider_group(doc, it, open_at, pos + 1)
        pos += 1


def _field_line(doc: Doc, it: Item, off: int, b: int, stripped: str) -> Annotation | None:
    """A line of run-in fields: its annotation (false when it names no unit), or None
    when the line is not a field line. 完成时限：… sets the item's deadline."""
    m = LABEL_RE.match(stripped)
    if m and label_role(m.group(1)) not in ("deadline", "person"):
        # the label and its value together, so the label's role is kept
        ann = parse_annotation(doc.text, doc.norm, off, b)
        if not ann and doc.text[off + m.end():b].strip():
            doc.warn(off, "unreadable unit field")
        return ann
    bm = BRACKET_LABEL_RE.match(stripped)
    if bm:  # 【牵头单位】区科协: a label in brackets instead of before a colon
        ann = parse_annotation(doc.text, doc.norm, off + bm.end(), b)
        role = label_role(bm.group(1))
        ann.units = [(n, role) for n, _ in ann.units]
        if not ann and doc.text[off + bm.end():b].strip():
            doc.warn(off, "unreadable unit field")
        return ann
    gm = GAP_LABEL_RE.match(stripped)
    if gm and label_role(gm.group(1)) not in ("deadline", "person"):  # 牵头单位  区科协
        ann = parse_annotation(doc.text, doc.norm, off + gm.end(), b)
        if ann:
            ann.units = [(n, label_role(gm.group(1))) for n, _ in ann.units]
            return ann
    # 区科协牵头负责，区教育局协同 — after a line that ended its sentence (not the end of one
    # a page width broke: …会同农业部等 / 部门负责落实。)
    if _ROLE_LINE_RE.match(stripped) and not opens_item(stripped) \
            and _last_char(doc.norm, off, str.isspace) in tuple(_SENTENCE_END + ")"):
        ann = parse_annotation(doc.text, doc.norm, off, b)
        if ann.units and not ann.problems:
            return ann
    if OTHER_FIELDS_RE.match(stripped) or m:  # 完成时限：…, 分管省领导：…: fields of the measure, no unit
        d = DEADLINE_FIELD_RE.match(stripped)
        if d and d.group(2).strip():
            it.deadline = doc.text[off + d.start(2):b].strip()
        return Annotation()
    return None


def _inline_labels(doc: Doc, it: Item, field_lines: set[int]) -> None:
    """…开展活动。责任单位：区科协、区教育局。 — a run-in label closing a paragraph."""
    first, last = it.line, doc.line_of(max(it.start, it.end - 1))
    for li in range(first, last + 1):
        if li in field_lines:
            continue
        a, b = doc.lines[li]
        if _LABEL_MARK_RE.search(doc.norm, max(a, it.content), b) is None:
            continue  # every label ends in one of these: most lines hold none (a cheap test first)
        found = [*LABEL_RE.finditer(doc.norm, max(a, it.content), b),
                 *BRACKET_LABEL_RE.finditer(doc.norm, max(a, it.content), b)]
        for m in sorted(found, key=lambda m: m.start()):
            if label_role(m.group(1)) in ("deadline", "person") or not doc.norm[m.end():b].strip("。;； "):
                continue
            # after the sentence it closes, or set apart by a dash (开展科普日活动——责任单位：…)
            before = doc.norm[a:m.start()].rstrip()
            if not before or before[-1] not in "。;；" and not before.endswith(("—", "--")):
                continue
            if doc.inside_brackets(a, m.start()):
                continue
            end = b
            while end > m.start() and doc.norm[end - 1] in "。;； ":
                end -= 1
            ann = parse_annotation(doc.text, doc.norm, m.start(), end)
            if ann:
                it.hits.append(Hit(start=m.start(), end=end, ann=ann, own_line=False))
            else:
                doc.warn(m.start(), "annotation names no unit that could be read", end)
            break


def _consider_group(doc: Doc, it: Item, start: int, end: int) -> None:
    norm = doc.norm
    line_end = doc.lines[doc.line_of(end - 1)][1]
    at_end = norm[end:line_end].strip(_PUNCT_TAIL) == ""
    line_start = doc.lines[doc.line_of(start)][0]
    own_line = norm[line_start:start].strip() == "" and start != it.start
    prev = _last_char(norm, start, " \t".__contains__)
    # 1.【区科协牵头】开展…: the units written first, right after the item's number
    opens_item = start >= it.content and norm[it.content:start].strip() == ""
    after_sentence = prev in _SENTENCE_END or prev == "\n" or own_line or opens_item
    # 一是…（A负责）；二是…（B负责）: an annotation closing a clause of a run
    closes_clause = norm[end:end + 1] in ("。", ";", "；")
    content = norm[start + 1:end - 1]
    role_words = bool(ROLE_WORDS_RE.search(content))
    # 1.加强宣传引导（A牵头，B配合），充分利用… / 1.甲项目（A牵头）：已完工: the item's short
    # heading, its annotation, then the body after a comma or colon
    closes_clause = closes_clause or role_words and norm[end:end + 1] in ("，", ",", "：", ":") \
        and start > it.content and is_short_heading(doc, it, start)
    # a bracket right after the number holding unit names alone (1.【区科协】开展…) is read
    # strictly below: every piece must be a unit
    if not at_end and not ((after_sentence or closes_clause) and role_words) and not opens_item:
        return
    if not role_words and not (at_end and (after_sentence or is_short_heading(doc, it, start))) and not opens_item:
        return
    ann = parse_annotation(doc.text, norm, start + 1, end - 1, strict=not role_words)
    for problem in ann.problems:
        doc.warn(start, problem, end)
    if ann:
        it.hits.append(Hit(start=start, end=end, ann=ann, own_line=own_line))
    elif role_words and at_end and _NAMED_ROLE_RE.search(content):
        doc.warn(start, "annotation names no unit that could be read", end)


def _last_char(text: str, end: int, skip) -> str:
    """The last character of ``text[:end]`` that ``skip`` passes over ("" when none is left):
    ``text[:end].rstrip()[-1:]`` without copying the text before it."""
    while end > 0 and skip(text[end - 1]):
        end -= 1
    return text[end - 1] if end else ""
