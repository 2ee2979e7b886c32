"""Text → :class:`~kepugraph.model.Plan`: the heading tree, measures and their units.

The parser works on lines. Every line that opens with a list marker (一、 （一） 1. 1、
（1） ① ——) is an *item*; the items form a tree by the order in which marker styles
first appear, so 一、→（一）→1.→—— and 一、→1.→（1） both nest as written. The lines
after an item up to the next item are its block. A measure is a stretch of an item's
block closed by a responsibility annotation:

* a bracket group at the end of a sentence: ``（A、B按职责分工负责）``, ``(A牵头，B配合)``,
  ``〔责任单位：A〕``, or a bare list ``（A、B）``; one item may hold several;
* run-in fields under the item: ``牵头单位：A`` / ``责任单位：B`` / ``完成时限：…``;
* an annotation on a heading, inherited by the items under it;
* an annotation on a line of its own after sub-items (1)…(4): the parent item.

Declarations inside annotations (排在首位的为牵头单位，下同; 以下各项工作均需X落实)
apply from where they are made to the end of the document. Responsibilities written
as prose in the closing 保障措施 part (区科协牵头实施…) become measures of that part.
Anything that looks like an annotation but cannot be read becomes a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kepugraph.errors import ParseError
from kepugraph.extraction.annotations import (
    _FIRST_LEAD_RE,
    BRACKET_LABEL_RE,
    DEADLINE_FIELD_RE,
    LABEL_RE,
    LABELS,
    OTHER_FIELDS_RE,
    ROLE_WORDS_RE,
    Annotation,
    parse_annotation,
)
from kepugraph.extraction.meta import read_meta
from kepugraph.extraction.tables import find_tables, split_glued
from kepugraph.extraction.targets import find_targets
from kepugraph.extraction.units import is_generic, looks_like_unit, split_etc, split_spans
from kepugraph.model import Measure, ParseWarning, Plan, Section, UnitRef
from kepugraph.reading.layout import MARKERS
from kepugraph.reading.source import Document, read_source
from kepugraph.reading.textnorm import compact, normalize

_SENTENCE_END = "。!?！？;；"
_PUNCT_TAIL = "。.;；,，、 \t"
_GUARANTEE_RE = re.compile(r"(保障|组织实施|实施保障|工作要求|组织领导|工作机制)")
_RUN_RE = re.compile(r"(?<=[。;；:：,，])[一二三四五六七八九十]是(?=[\u4e00-\u9fff])")
_PROSE_RE = re.compile(r"^([^,，。;；:：“”《》\s]{2,60}?)(牵头|负责)(?!人)")


@dataclass
class _Item:
    style: str
    level: int
    line: int  # index into lines
    start: int  # offset of the marker
    content: int  # offset just after the marker
    parent: "_Item | None" = None
    children: list["_Item"] = field(default_factory=list)
    end: int = 0  # end of the block (before the next item)
    ordinal: int = 0  # among its siblings
    hits: list["_Hit"] = field(default_factory=list)
    fields: list[tuple[int, int, Annotation]] = field(default_factory=list)
    deadline: str | None = None
    section: Section | None = None
    consumed: bool = False

    @property
    def path_ordinals(self) -> list[int]:
        node, out = self, []
        while node is not None:
            out.append(node.ordinal)
            node = node.parent
        return out[::-1]


@dataclass
class _Hit:
    start: int  # the opening bracket
    end: int  # after the closing bracket
    ann: Annotation
    own_line: bool


@dataclass
class _Draft:
    start: int
    end: int
    item: _Item | None
    anns: list[Annotation]
    raw: str
    source: str
    path_item: _Item | None
    label: str = ""
    body_end: int | None = None  # end of the text before the annotation
    deadline: str | None = None
    title_from: int | None = None  # where the title starts, when not at the item's text


def parse_file(path=None, max_bytes: int | None = None) -> Plan:
    """Read and parse a plan file (default: the bundled reference plan).

    Raises:
        SourceError: the file cannot be read.
        ParseError: no annotated measure was found in it.
    """
    source = read_source(path) if max_bytes is None else read_source(path, max_bytes)
    plan = parse_source(source)
    if not plan.measures:
        raise ParseError(source.path, "no measure with a responsibility annotation found"
                         + (f" ({len(plan.warnings)} unreadable annotations)" if plan.warnings else ""))
    return plan


def parse_source(source: Document) -> Plan:
    plan = parse_text(source.text)
    plan.path, plan.sha256 = source.path, source.sha256
    if not plan.meta.title:  # no notice, no title line: the file's name stands in
        plan.meta.title = Path(source.path).stem
    return plan


def parse_text(text: str) -> Plan:
    """Parse a plan from its text. Never raises on odd text: a plan may have no measures.

    >>> p = parse_text("一、任务\\n——开展科普活动。（区科协、区教育局按职责分工负责）\\n")
    >>> [(u.name, u.role) for u in p.measures[0].units], p.measures[0].path
    ([('区科协', 'joint'), ('区教育局', 'joint')], ['一、任务'])
    """
    return _Parser(text).run()


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.norm = normalize(text)
        self.lines: list[tuple[int, int]] = []
        pos = 0
        for line in text.split("\n"):
            self.lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        self.warnings: list[ParseWarning] = []

    # -- positions -----------------------------------------------------------------
    def line_of(self, offset: int) -> int:
        lo, hi = 0, len(self.lines) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.lines[mid][0] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def warn(self, offset: int, message: str, end: int | None = None) -> None:
        li = self.line_of(offset)
        snippet = self.text[offset:end if end else self.lines[li][1]].replace("\n", "")[:60]
        w = ParseWarning(line=li + 1, column=offset - self.lines[li][0] + 1, offset=offset,
                    message=message, text=snippet)
        if not any(x.offset == w.offset and x.message == w.message for x in self.warnings):
            self.warnings.append(w)

    # -- the run ---------------------------------------------------------------------
    def run(self) -> Plan:
        items = self.items()
        tables = find_tables(self.text, self.lines)
        items = [it for it in items if not any(t.start <= it.start < t.end for t in tables)]
        body_start = min([self.body_start(items)] + [t.start for t in tables])
        meta = read_meta(self.text, body_start)
        items = [it for it in items if it.start >= body_start]
        roots = self.tree(items)
        for it in items:
            self.scan_block(it)
        drafts = self.drafts(items)
        drafts += self.table_drafts(tables)
        drafts += self.prose(items, drafts)
        drafts.sort(key=lambda d: d.start)
        measures = self.measures(drafts, roots)
        sections = self.sections(roots, measures)
        covered = [m.span for m in measures]
        targets = [t for t in find_targets(self.text, body_start, len(self.text), self.norm)
                   if not any(a <= t.span[0] < b for a, b in covered)]
        self.warnings.sort(key=lambda w: w.offset)
        return Plan(meta=meta, sections=sections, measures=measures, targets=targets,
                    warnings=self.warnings, text=self.text)

    def items(self) -> list[_Item]:
        out = []
        for i, (a, b) in enumerate(self.lines):
            line = self.norm[a:b]
            stripped = line.lstrip(" \t")
            off = a + len(line) - len(stripped)
            for style, rx in MARKERS:
                m = rx.match(stripped)
                if m and m.end() < len(stripped.rstrip()):
                    if style == "dash" and not stripped.startswith(("——", "--")):
                        break
                    out.append(_Item(style=style, level=0, line=i, start=off, content=off + m.end()))
                    break
        return out

    def body_start(self, items: list[_Item]) -> int:
        """Where the plan's body begins: the first item, unless it sits in the notice."""
        for it in items:
            return self.lines[it.line][0]
        return len(self.text)

    def tree(self, items: list[_Item]) -> list[_Item]:
        stack: list[_Item] = []
        roots: list[_Item] = []
        for idx, it in enumerate(items):
            styles = [s.style for s in stack]
            if it.style in styles:
                del stack[styles.index(it.style):]
            it.level = len(stack)
            it.parent = stack[-1] if stack else None
            siblings = it.parent.children if it.parent else roots
            siblings.append(it)
            it.ordinal = len(siblings)
            stack.append(it)
            nxt = items[idx + 1].start if idx + 1 < len(items) else len(self.text)
            it.end = self._trim_end(it.start, nxt)
        return roots

    def _trim_end(self, start: int, end: int) -> int:
        while end > start and self.text[end - 1] in " \t\n\r":
            end -= 1
        return end

    # -- annotations inside one item's block ----------------------------------------------
    def scan_block(self, it: _Item) -> None:
        norm = self.norm
        first_line = it.line
        last_line = self.line_of(max(it.start, it.end - 1))
        field_lines: set[int] = set()
        unit_fields: list[tuple[int, int, Annotation]] = []
        for li in range(first_line + 1, last_line + 1):
            a, b = self.lines[li]
            s = norm[a:b]
            stripped = s.lstrip()
            off = a + len(s) - len(stripped)
            m = LABEL_RE.match(stripped)
            if m and LABELS[m.group(1)] in ("deadline", "person"):
                m = None  # 完成时限：… and 责任领导：… are fields of the measure, read below
            if m:
                field_lines.add(li)
                # the label and its value together, so the label's role is kept
                ann = parse_annotation(self.text, norm, off, b)
                if ann:
                    unit_fields.append((off, b, ann))
                elif self.text[off + m.end():b].strip():
                    self.warn(off, "unreadable unit field")
                continue
            bm = BRACKET_LABEL_RE.match(stripped)
            if bm:  # 【牵头单位】区科协: a label in brackets instead of before a colon
                field_lines.add(li)
                value = off + bm.end()
                ann = parse_annotation(self.text, norm, value, b)
                role = LABELS[bm.group(1)]
                ann.units = [(n, role) for n, _ in ann.units]
                if ann:
                    unit_fields.append((off, b, ann))
                elif self.text[value:b].strip():
                    self.warn(off, "unreadable unit field")
                continue
            if OTHER_FIELDS_RE.match(stripped):
                field_lines.add(li)
                d = DEADLINE_FIELD_RE.match(stripped)
                if d and d.group(2).strip():
                    it.deadline = self.text[off + d.start(2):b].strip()
        it.fields = unit_fields
        self._inline_labels(it, field_lines)
        # bracket groups outside field lines
        depth, open_at = 0, -1
        pos = it.content
        while pos < it.end:
            ch = norm[pos]
            if ch == "\n" and depth == 0 and self.line_of(pos + 1) in field_lines:
                li = self.line_of(pos + 1)
                pos = self.lines[li][1]
                continue
            if ch == "(":
                if depth == 0:
                    open_at = pos
                depth += 1
            elif ch == ")" and depth:
                depth -= 1
                if depth == 0:
                    self.consider_group(it, open_at, pos + 1)
            pos += 1

    def _inline_labels(self, it: _Item, field_lines: set[int]) -> None:
        """…开展活动。责任单位：区科协、区教育局。 — a run-in label closing a paragraph."""
        first, last = it.line, self.line_of(max(it.start, it.end - 1))
        for li in range(first, last + 1):
            if li in field_lines:
                continue
            a, b = self.lines[li]
            for m in LABEL_RE.finditer(self.norm, max(a, it.content), b):
                if LABELS[m.group(1)] in ("deadline", "person"):
                    continue
                before = self.norm[a:m.start()].rstrip()
                if not before or before[-1] not in "。;；":
                    continue
                if self._inside_brackets(a, m.start()):
                    continue
                end = b
                while end > m.start() and self.norm[end - 1] in "。;； ":
                    end -= 1
                ann = parse_annotation(self.text, self.norm, m.start(), end)
                if ann:
                    it.hits.append(_Hit(start=m.start(), end=end, ann=ann, own_line=False))
                else:
                    self.warn(m.start(), "annotation names no unit that could be read", end)
                break

    def _inside_brackets(self, a: int, pos: int) -> bool:
        depth = 0
        for ch in self.norm[a:pos]:
            if ch == "(":
                depth += 1
            elif ch == ")" and depth:
                depth -= 1
        return depth > 0

    def consider_group(self, it: _Item, start: int, end: int) -> None:
        norm = self.norm
        line_end = self.lines[self.line_of(end - 1)][1]
        at_end = norm[end:line_end].strip(_PUNCT_TAIL) == ""
        before = norm[:start].rstrip(" \t")
        line_start = self.lines[self.line_of(start)][0]
        own_line = norm[line_start:start].strip() == "" and start != it.start
        prev = before[-1] if before else ""
        after_sentence = prev in _SENTENCE_END or prev == "\n" or own_line
        # 一是…（A负责）；二是…（B负责）: an annotation closing a clause of a run
        closes_clause = norm[end:end + 1] in ("。", ";", "；")
        content = norm[start + 1:end - 1]
        role_words = bool(ROLE_WORDS_RE.search(content))
        if not at_end and not ((after_sentence or closes_clause) and role_words):
            return
        if not role_words and not (at_end and (after_sentence or self._is_short_heading(it, start))):
            return
        ann = parse_annotation(self.text, norm, start + 1, end - 1, strict=not role_words)
        for problem in ann.problems:
            self.warn(start, problem, end)
        if ann:
            it.hits.append(_Hit(start=start, end=end, ann=ann, own_line=own_line))
        elif role_words and at_end and re.search(r"(牵头|负责|配合|参与|责任单位|单位:)", content):
            self.warn(start, "annotation names no unit that could be read", end)

    def _is_short_heading(self, it: _Item, start: int) -> bool:
        head = self.norm[it.content:start]
        return "\n" not in head and len(head) <= 40 and not any(c in head for c in "。;；")

    # -- from annotations to drafts of measures ---------------------------------------
    def drafts(self, items: list[_Item]) -> list[_Draft]:
        drafts: list[_Draft] = []
        for it in items:
            if it.consumed:
                continue
            if it.hits:
                drafts.extend(self.hit_drafts(it))
            elif it.fields:
                a = it.fields[0][0]
                b = it.fields[-1][1]
                drafts.append(_Draft(
                    start=it.start, end=b, item=it, anns=[f[2] for f in it.fields],
                    raw=self.text[a:b], source="field", path_item=it.parent,
                    label=self.text[it.start:it.content].strip(), body_end=self._trim_end(it.start, a),
                    deadline=it.deadline,
                ))
        return drafts

    def hit_drafts(self, it: _Item) -> list[_Draft]:
        out: list[_Draft] = []
        hits = sorted(it.hits, key=lambda h: h.start)
        first = hits[0]
        # an annotation on a heading line: inherited by the items under it
        if (it.children and self.line_of(first.start) == it.line and len(hits) == 1
                and self._is_short_heading(it, first.start)):
            for child in it.children:
                if child.hits or child.fields:
                    continue
                child.consumed = True
                out.append(_Draft(
                    start=child.start, end=child.end, item=child, anns=[first.ann],
                    raw=self.text[first.start:first.end], source="heading", path_item=it,
                    label=self.text[child.start:child.content].strip(), body_end=child.end,
                ))
            return out
        # an annotation on its own line after sub-items (1)…(4) covers their parent
        if first.own_line and it.parent is not None and len(hits) == 1:
            parent = it.parent
            run = parent.children[: parent.children.index(it) + 1]
            if len(run) >= 2 and not parent.hits and not parent.fields and all(
                    not c.hits and not c.fields for c in run[:-1]):
                for c in run:
                    c.consumed = True
                parent.consumed = True
                return [_Draft(
                    start=parent.start, end=first.end, item=parent, anns=[first.ann],
                    raw=self.text[first.start:first.end], source="annotation",
                    path_item=parent.parent, label=self.text[parent.start:parent.content].strip(),
                    body_end=self._trim_end(parent.start, first.start),
                )]
        seg_start = it.start
        for n, h in enumerate(hits):
            body = self.norm[seg_start:h.start]
            if n > 0 and len(re.sub(r"[\W\d_]", "", body)) < 2:
                # a second annotation right after the first: it adds to the same measure
                out[-1].anns.append(h.ann)
                out[-1].end = h.end
                out[-1].raw += self.text[h.start:h.end]
            else:
                run = _RUN_RE.search(self.norm, seg_start, h.start) if n == 0 and len(hits) > 1 else None
                out.append(_Draft(
                    start=seg_start, end=h.end, item=it, anns=[h.ann],
                    raw=self.text[h.start:h.end], source="annotation", path_item=it.parent,
                    label=self.text[it.start:it.content].strip() if n == 0 else "",
                    body_end=self._trim_end(seg_start, h.start),
                    title_from=run.start() if run else None,
                ))
            seg_start = h.end
            while seg_start < it.end and self.norm[seg_start] in _PUNCT_TAIL + "\n":
                seg_start += 1
        return out

    def table_drafts(self, tables) -> list[_Draft]:
        """A measure per table row: the task cell, with the units of its unit columns."""
        out = []
        for table in tables:
            for row in table.rows:
                ann = Annotation(labelled=True)
                for cells, role in ((row.leads, "lead"), (row.units, "support" if row.has_lead_column else "joint")):
                    for cell in cells:
                        self._cell_units(cell, role, ann)
                if not ann:
                    if any(c.text for c in row.leads + row.units):
                        self.warn(row.start, "table row names no unit that could be read", row.end)
                    continue
                first = min(c.start for c in row.leads + row.units)
                out.append(_Draft(
                    start=row.task.start, end=row.end, item=None, anns=[ann],
                    raw=self.text[first:row.end], source="table", path_item=None,
                    label=row.number, body_end=row.task.end, deadline=row.deadline,
                ))
        return out

    def _cell_units(self, cell, role: str, ann: Annotation) -> None:
        for a, b in split_spans(self.norm, cell.start, cell.end):
            raw = self.text[a:b].strip()
            name, etc = split_etc(raw)
            if etc and etc not in ann.generic:
                ann.generic.append(etc)
            if not name:
                continue
            if is_generic(name):
                if name not in ann.generic:
                    ann.generic.append(name)
                continue
            squeezed = compact(name)
            parts = split_glued(squeezed) if not looks_like_unit(squeezed) or len(split_glued(squeezed)) > 1 else [squeezed]
            if len(parts) > 1:
                # the cell lost its line break: slice the parts out of the name as written
                pos, written = 0, "".join(name.split())
                pieces = []
                for part in parts:
                    pieces.append(written[pos:pos + len(part)])
                    pos += len(part)
            else:
                pieces = [name]
            for piece in pieces:
                if piece not in [u for u, _ in ann.units]:
                    ann.units.append((piece, role))

    def prose(self, items: list[_Item], drafts: list[_Draft]) -> list[_Draft]:
        """区科协牵头实施《纲要》 in the closing part: responsibilities written as prose."""
        if not drafts:
            return []
        out: list[_Draft] = []
        for it in items:
            if it.hits or it.fields or it.consumed or not self._in_guarantee_part(it):
                continue
            text_end = it.children[0].start if it.children else it.end
            for m in re.finditer(r"[^。;；!！?？\n]+[。;；!！?？]?", self.norm[it.content:text_end]):
                s_start = it.content + m.start()
                sentence = m.group(0)
                lead_ws = len(sentence) - len(sentence.lstrip())
                s_start += lead_ws
                sentence = sentence.strip()
                pm = _PROSE_RE.match(sentence)
                if not pm:
                    continue
                spans = split_spans(self.norm, s_start, s_start + pm.end(1))
                names = [self.text[a:b] for a, b in spans]
                if not names or not all(
                        looks_like_unit(n) and not is_generic(n) and re.match(r"^(区|市|县|省|镇|乡|街道|团|各)", normalize(n))
                        and not re.search(r"(要|将|应|和|及|级)", normalize(n)) for n in names):
                    continue
                ann = Annotation(units=[(n, "lead" if pm.group(2) == "牵头" else "joint") for n in names])
                s_end = s_start + len(sentence)
                out.append(_Draft(
                    start=s_start, end=s_end, item=it, anns=[ann], raw=self.text[s_start:s_start + pm.end()],
                    source="prose", path_item=it, label="", body_end=s_end,
                ))
        return out

    def _in_guarantee_part(self, it: _Item) -> bool:
        node = it
        while node is not None:
            heading = self.norm[node.content:self.lines[node.line][1]]
            if _GUARANTEE_RE.search(heading.split("。")[0]):
                return True
            node = node.parent
        return False

    # -- drafts to measures ------------------------------------------------------------------
    def measures(self, drafts: list[_Draft], roots: list[_Item]) -> list[Measure]:
        # 排名第一的为牵头单位 may be declared anywhere (a note before the list, a
        # heading, an annotation); it holds from there to the end
        declared_at = [m.start() for m in _FIRST_LEAD_RE.finditer(self.norm)]
        first_is_lead = False
        carry: list[tuple[str, str]] = []
        carry_generic: list[str] = []
        measures: list[Measure] = []
        for d in drafts:
            units: list[UnitRef] = []
            generic: list[str] = []
            declared_lead = any(a.first_is_lead for a in d.anns) or any(at < d.end for at in declared_at)
            # run-in fields are one annotation: 责任单位 under a 牵头单位 line supports it
            field_lead = d.source == "field" and any(r == "lead" for a in d.anns for _, r in a.units)
            for ann in d.anns:
                roles = [(n, "support" if field_lead and r == "joint" else r) for n, r in ann.units]
                explicit = any(r != "joint" for _, r in roles)
                if (first_is_lead or declared_lead) and not explicit and roles:
                    roles = [(n, "lead" if i == 0 else "support") for i, (n, _) in enumerate(roles)]
                for n, r in roles:
                    if not any(u.name == n for u in units):
                        units.append(UnitRef(n, r, len(units) + 1))
                for g in ann.generic:
                    if g not in generic:
                        generic.append(g)
            if d.source != "prose":
                for n, r in carry:
                    if not any(u.name == n for u in units):
                        units.append(UnitRef(n, r, len(units) + 1))
                for g in carry_generic:
                    if g not in generic:
                        generic.append(g)
            for ann in d.anns:
                first_is_lead = first_is_lead or ann.first_is_lead
                carry += [c for c in ann.carry if c not in carry]
                carry_generic += [g for g in ann.carry_generic if g not in carry_generic]
            if not units:
                self.warn(d.start, "annotation names only vague references, no unit",
                          d.end)
                continue
            body_end = d.body_end if d.body_end is not None else d.end
            if d.title_from is not None:  # 一是…（A负责）；二是…: the part, not the item's heading
                title = self._title(d.title_from, body_end, "")
            else:
                title = self._title(d.start, body_end, d.label, clause=d.source == "prose")
            path_items = []
            node = d.path_item
            while node is not None:
                path_items.append(node)
                node = node.parent
            path_items.reverse()
            ordinal = len(measures) + 1
            measures.append(Measure(
                id=f"m{ordinal}", ordinal=ordinal, section=None,
                path=[self._heading(p) for p in path_items],
                label=d.label, title=title, text=self.text[d.start:d.end], span=(d.start, d.end),
                units=units, annotation=d.raw.strip(), generic_refs=generic,
                targets=find_targets(self.text, d.start, body_end, self.norm),
                deadline=d.deadline or next((a.deadline for a in d.anns if a.deadline), None)
                or (d.item.deadline if d.item else None) or self._deadline(d.start, body_end),
                source=d.source, line=self.line_of(d.start) + 1,
            ))
            measures[-1]._path_items = path_items  # type: ignore[attr-defined]
        return measures

    def _title(self, start: int, end: int, label: str, clause: bool = False) -> str:
        text = self.text[start:end]
        norm = self.norm[start:end]
        skip = len(text) - len(text.lstrip())
        if label:
            skip = norm.find(normalize(label), skip) + len(label) if normalize(label) in norm else skip
        body, nbody = text[skip:], norm[skip:]
        while nbody[:1].isspace():
            body, nbody = body[1:], nbody[1:]
        cut = len(nbody)
        for i, ch in enumerate(nbody):
            if ch in "。!?！？;；" or clause and ch in ",，":
                cut = i
                break
        return re.sub(r"\s*\n\s*", "", body[:cut]).strip()

    def _deadline(self, start: int, end: int) -> str | None:
        m = re.search(r"((?:19|20)\d{2}年(?:\d{1,2}月)?底?前|长期坚持|持续推进|长期推进|(?:19|20)\d{2}年底)", self.norm[start:end])
        return self.text[start + m.start():start + m.end()] if m else None

    def _heading(self, it: _Item) -> str:
        a, b = self.lines[it.line]
        text = self.text[it.start:b]
        norm = self.norm[it.start:b]
        cut = len(norm)
        for i, ch in enumerate(norm):
            if ch in "。;；" or (ch == "(" and i > it.content - it.start and ROLE_WORDS_RE.search(norm[i:])):
                cut = i
                break
        return text[:cut].strip()

    def sections(self, roots: list[_Item], measures: list[Measure]) -> list[Section]:
        wanted: dict[int, _Item] = {}
        for r in roots:
            wanted[id(r)] = r
        for m in measures:
            for p in getattr(m, "_path_items", []):
                wanted[id(p)] = p
        for it in list(wanted.values()):
            siblings = it.parent.children if it.parent else roots
            for sib in siblings:
                if not sib.consumed and not sib.hits and not sib.fields and sib.style != "dash":
                    wanted.setdefault(id(sib), sib)
        ordered = sorted(wanted.values(), key=lambda i: i.start)
        out: list[Section] = []
        for it in ordered:
            heading = self._heading(it)
            label = self.text[it.start:it.content].strip()
            sid = "s" + "-".join(map(str, it.path_ordinals))
            it.section = Section(id=sid, label=label, title=heading[len(self.text[it.start:it.content]):].strip()
                                 if heading.startswith(self.text[it.start:it.content]) else heading,
                                 level=it.level, parent=None, ordinal=it.ordinal, span=(it.start, it.end))
            out.append(it.section)
        for it in ordered:
            last = it
            while last.children:
                last = last.children[-1]
            it.section.span = (it.start, max(it.end, last.end))
            if it.parent is not None and it.parent.section is not None:
                it.section.parent = it.parent.section.id
        for m in measures:
            items = getattr(m, "_path_items", [])
            m.section = items[-1].section.id if items and items[-1].section else None
            del m._path_items  # type: ignore[attr-defined]
        if any(m.section is None for m in measures):
            # measures before any heading (a bare table, a list): a section for the body
            body = Section(id="s0", label="", title="正文", level=0, parent=None, ordinal=0,
                           span=(0, len(self.text)))
            out.insert(0, body)
            for m in measures:
                if m.section is None:
                    m.section = body.id
        return out
