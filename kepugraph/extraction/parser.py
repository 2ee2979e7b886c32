"""Text → :class:`~kepugraph.model.Plan`: the pipeline of extraction stages.

1. :mod:`~kepugraph.extraction.doc` — the text as written and normalised, its lines;
   :func:`~kepugraph.extraction.items.split_run_ons` breaks a line that lost its line
   breaks before the numbering inside it (numbering anywhere).
2. :mod:`~kepugraph.extraction.items` — every line opening with a list marker (一、 （一）
   1. （1） ① ——) is an item; items nest by the order in which a document first uses each
   marker style.
3. :mod:`~kepugraph.extraction.tables` — task tables in any text form, columns read by
   meaning (:mod:`~kepugraph.extraction.columns`).
4. :mod:`~kepugraph.extraction.blocks` — role cues in each item's block: bracket groups
   closing a sentence, field lines (牵头单位：A), labels closing a paragraph; the label
   vocabulary is open (:func:`~kepugraph.extraction.annotations.label_role`).
5. :mod:`~kepugraph.extraction.attach` — each annotation attached by layout to the text
   it closes (a heading's to the items under it, an own-line one after sub-items to their
   parent); :mod:`~kepugraph.extraction.prose` — 由X会同Y负责 closing an item, unit-first
   duty lists, prose in a closing 保障措施 part.
6. :mod:`~kepugraph.extraction.rules` and :mod:`~kepugraph.extraction.assemble` — rules a
   plan declares (排在首位的为牵头单位，下同; 以下各项工作均需X落实) applied forward; titles,
   deadlines, targets, sections.
7. :mod:`~kepugraph.extraction.recall` — the recall net: what reads like a responsibility
   but is in no measure becomes a warning with its line and column.

Names are judged by their grammar (:mod:`~kepugraph.extraction.units`): what does not end
like an organisation, is no collective and holds a number, a rule or a time is never a
unit, and is reported.
"""

from __future__ import annotations

import re
from pathlib import Path

from kepugraph.errors import ParseError
from kepugraph.extraction.annotations import FIELD_LABEL_RE, LABEL_RE
from kepugraph.extraction.assemble import assemble_measures, build_sections
from kepugraph.extraction.attach import item_drafts, table_drafts
from kepugraph.extraction.blocks import scan_block
from kepugraph.extraction.doc import Doc
from kepugraph.extraction.items import (
    build_tree,
    find_body_start,
    find_items,
    join_listed_units,
    split_run_ons,
    unnumbered_items,
)
from kepugraph.extraction.meta import read_meta
from kepugraph.extraction.prose import (
    assignment_drafts,
    duty_list_drafts,
    prose_drafts,
    sibling_duty_drafts,
    unit_heading_drafts,
)
from kepugraph.extraction.recall import LOOKED_FOR, unplaced_stretches
from kepugraph.extraction.segment import split_long_lines
from kepugraph.extraction.tables import find_tables
from kepugraph.extraction.targets import find_targets
from kepugraph.model import ParseWarning, Plan
from kepugraph.reading.source import Document, read_source
from kepugraph.reading.textnorm import compact


def parse_file(path=None, max_bytes: int | None = None) -> Plan:
    """Read and parse a plan file (default: the bundled reference plan).

    Raises:
        SourceError: the file cannot be read.
        ParseError: no annotated measure was found in it.
    """
    return parse_document(read_source(path) if max_bytes is None else read_source(path, max_bytes))


def parse_document(source: Document) -> Plan:
    """Parse a document read with :func:`~kepugraph.reading.source.read_source` (a corpus
    build times the reading and the parsing apart).

    Raises:
        ParseError: no annotated measure was found in it.
    """
    plan = parse_source(source)
    if not plan.measures:
        if plan.warnings:
            first = plan.warnings[0]
            raise ParseError(source.path, f"no measure could be read: {len(plan.warnings)} stretches look like "
                                          f"responsibilities (first at line {first.line}: {first.message})")
        raise ParseError(source.path, f"no measure with a responsibility annotation found ({LOOKED_FOR})")
    return plan


def parse_source(source: Document) -> Plan:
    plan = parse_text(source.text)
    if source.unwrapped is not None:  # lines and columns as the file has them, not the joined text
        for w in plan.warnings:
            w.line, w.column = source.position(w.offset)
        for m in plan.measures:
            m.line = source.position(m.span[0])[0]
    for offset, char in source.controls:  # replaced by a space when read; said here, with the line
        line, column = source.position(offset)
        plan.warnings.append(ParseWarning(line=line, column=column, offset=offset,
                                          message=f"control character U+{ord(char):04X} replaced by a space",
                                          text=source.text[offset:offset + 30].split("\n")[0]))
    plan.warnings.sort(key=lambda w: w.offset)
    plan.path, plan.sha256 = source.path, source.sha256
    if not plan.meta.title:  # no notice, no title line: the file's name stands in
        plan.meta.title = Path(source.path).stem
    return plan


#: Lone surrogates come from no file (strict decoding never makes them), only from a caller's
#: string; they could not be written out, so each becomes U+FFFD (one character for one).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_text(text: str) -> Plan:
    """Parse a plan from its text. Never raises on odd text: a plan may have no measures.

    >>> p = parse_text("一、任务\\n——开展科普活动。（区科协、区教育局按职责分工负责）\\n")
    >>> [(u.name, u.role) for u in p.measures[0].units], p.measures[0].path
    ([('区科协', 'joint'), ('区教育局', 'joint')], ['一、任务'])
    """
    return _run(_LONE_SURROGATE.sub("\ufffd", text))


def _run(text: str) -> Plan:
    doc = Doc(text)
    join_listed_units(doc)
    split_run_ons(doc)
    split_long_lines(doc, LABEL_RE, FIELD_LABEL_RE)
    items = find_items(doc)
    items = unnumbered_items(doc, items) + items
    tables = find_tables(doc.text, doc.norm, doc.lines)
    items = [it for it in items if not any(t.start <= it.start < t.end for t in tables)]
    body_start = min([find_body_start(doc, items)] + [t.start for t in tables])
    meta = read_meta(doc.text, body_start)
    items = [it for it in items if it.start >= body_start]
    roots = build_tree(doc, items)
    for t in tables:  # a table stands under the item whose block it opens in
        t.owner = next((it for it in reversed(items) if it.start < t.start < it.end), None)
    for it in items:  # an item's block ends where a table begins
        it.end = min([it.end] + [doc.trim_end(it.start, t.start) for t in tables if it.start < t.start < it.end])
        scan_block(doc, it)
    drafts = item_drafts(doc, items)
    drafts += table_drafts(doc, tables, roots)
    drafts += assignment_drafts(doc, items)
    drafts += duty_list_drafts(doc, items)
    drafts += sibling_duty_drafts(doc, items)
    drafts += unit_heading_drafts(doc, items)
    drafts += prose_drafts(doc, items, drafts)
    drafts.sort(key=lambda d: d.start)
    measures = assemble_measures(doc, drafts, roots)
    sections = build_sections(doc, roots, measures)
    # the recall net: what reads like a responsibility but is in no measure is reported
    covered = [m.span for m in measures] + [(d.start, d.end) for d in drafts] + [(t.start, t.end) for t in tables]
    covered += [(h.start, h.end) for it in items for h in it.hits]  # read, though on a heading above its measures
    # a measure's body up to its annotation: a list of units with a role word there must be its own
    read = [(m.span[0], m.span[0] + (m.text.find(m.annotation) if m.annotation in m.text else 0),
             {compact(u.name) for u in m.units}) for m in measures if m.source != "table" and m.annotation]
    unplaced_stretches(doc, covered + [(0, body_start if items or tables else 0)], read)
    covered = [m.span for m in measures]
    targets = [t for t in find_targets(doc.text, body_start, len(doc.text), doc.norm)
               if not any(a <= t.span[0] < b for a, b in covered)]
    doc.warnings.sort(key=lambda w: w.offset)
    return Plan(meta=meta, sections=sections, measures=measures, targets=targets,
                warnings=doc.warnings, text=doc.text)
