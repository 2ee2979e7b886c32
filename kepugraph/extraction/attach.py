"""Attachment by layout: each annotation found in an item's block becomes a draft measure
of the text it closes — a heading's annotation for the items under it, an own-line one
after sub-items for their parent, several in one item for each segment — and so do the
rows of task tables and the responsibilities written as prose in a closing part."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kepugraph import lexicon
from kepugraph.extraction.annotations import LABEL_RE, Annotation, parse_annotation, read_name
from kepugraph.extraction.columns import RESPONSIBLE
from kepugraph.extraction.doc import Doc
from kepugraph.extraction.items import Hit, Item, is_short_heading
from kepugraph.extraction.tables import Cell, Table, TableRow
from kepugraph.extraction.units import looks_like_unit, short_unit_name, split_aside, split_glued, split_spans
from kepugraph.reading.layout import MARKERS
from kepugraph.reading.textnorm import compact

_PUNCT_TAIL = "。.;；,，、 \t"
_RUN_RE = re.compile(r"(?<=[。;；:：,，])[一二三四五六七八九十]是(?=[\u4e00-\u9fff])")


@dataclass
class Draft:
    start: int
    end: int
    item: Item | None
    anns: list[Annotation]
    raw: str
    source: str
    path_item: Item | None
    label: str = ""
    body_end: int | None = None  # end of the text before the annotation
    deadline: str | None = None
    title_from: int | None = None  # where the title starts, when not at the item's text
    title_end: int | None = None  # where the title's text ends, when not at the annotation
    target_spans: list[tuple[int, int]] = field(default_factory=list)  # a table's 目标值 cells
    text: str | None = None  # the measure's text when it is no stretch of the document (a table row's cells)


def item_drafts(doc: Doc, items: list[Item]) -> list[Draft]:
    drafts: list[Draft] = []
    for it in items:
        if it.consumed:
            continue
        if it.hits:
            drafts.extend(_hit_drafts(doc, it))
        elif it.fields:
            a = it.fields[0][0]
            b = it.fields[-1][1]
            drafts.append(Draft(
                start=it.start, end=b, item=it, anns=[f[2] for f in it.fields],
                raw=doc.text[a:b], source="field", path_item=it.parent,
                label=doc.text[it.start:it.content].strip(), body_end=doc.trim_end(it.start, a),
                deadline=it.deadline,
            ))
    return drafts


def _inherit_lead(child: Item, leads: list[tuple[str, str]]) -> None:
    """（一）…行动（牵头单位：A） over 1.…（配合单位：B）: an item that names only the units that
    support it is led by the lead its heading names."""
    anns = [h.ann for h in child.hits] + [f[2] for f in child.fields]
    units = [u for ann in anns for u in ann.units]
    if leads and units and all(role == "support" for _, role in units):
        named = {n for n, _ in units}
        anns[0].units[:0] = [u for u in leads if u[0] not in named]


def _hit_drafts(doc: Doc, it: Item) -> list[Draft]:
    out: list[Draft] = []
    hits = sorted(it.hits, key=lambda h: h.start)
    first = hits[0]
    # an annotation on a heading line: inherited by the items under it
    if (it.children and doc.line_of(first.start) == it.line and len(hits) == 1
            and is_short_heading(doc, it, first.start)):
        leads = [(n, r) for n, r in first.ann.units if r == "lead"]
        for child in it.children:
            if child.hits or child.fields:
                _inherit_lead(child, leads)
                continue
            child.consumed = True
            out.append(Draft(
                start=child.start, end=child.end, item=child, anns=[first.ann],
                raw=doc.text[first.start:first.end], source="heading", path_item=it,
                label=doc.text[child.start:child.content].strip(), body_end=child.end,
            ))
        return out
    # an annotation on its own line after sub-items (1)…(4) covers their parent
    if first.own_line and it.parent is not None and len(hits) == 1:
        parent = it.parent
        run = parent.children[: parent.children.index(it) + 1]
        if len(run) >= 2 and not parent.hits and not parent.fields and all(
                not c.hits and not c.fields and not c.consumed for c in run[:-1]):
            for c in run:
                c.consumed = True
            parent.consumed = True
            return [Draft(
                start=parent.start, end=first.end, item=parent, anns=[first.ann],
                raw=doc.text[first.start:first.end], source="annotation",
                path_item=parent.parent, label=doc.text[parent.start:parent.content].strip(),
                body_end=doc.trim_end(parent.start, first.start),
            )]
    seg_start, path_item, label = it.start, it.parent, doc.text[it.start:it.content].strip()
    end = doc.trim_end(it.start, it.end)
    if len(hits) == 1 and not doc.norm[it.content:first.start].strip() and first.end < end:
        return [_units_first(doc, it, first, end)]
    head_line = doc.lines[it.line]
    if len(hits) >= 2 and doc.line_of(hits[0].start) > it.line and _heading_line(doc, it.content, head_line[1]):
        # (五)充分释放…。 on its own line, then paragraphs each closed by an annotation:
        # the line is their heading, and each paragraph a measure
        seg_start, path_item, label = doc.lines[it.line + 1][0], it, ""
        while seg_start < it.end and doc.norm[seg_start] in " \t\n":
            seg_start += 1
    for n, h in enumerate(hits):
        body = doc.norm[seg_start:h.start]
        if n > 0 and len(re.sub(r"[\W\d_]", "", body)) < 2:
            # a second annotation right after the first: it adds to the same measure
            out[-1].anns.append(h.ann)
            out[-1].end = h.end
            out[-1].raw += doc.text[h.start:h.end]
        else:
            run = _RUN_RE.search(doc.norm, seg_start, h.start) if n == 0 and len(hits) > 1 else None
            out.append(Draft(
                start=seg_start, end=h.end, item=it, anns=[h.ann],
                raw=doc.text[h.start:h.end], source="annotation", path_item=path_item,
                label=label if n == 0 else "",
                body_end=doc.trim_end(seg_start, h.start),
                title_from=run.start() if run else None,
            ))
        seg_start = h.end
        while seg_start < it.end and doc.norm[seg_start] in _PUNCT_TAIL + "\n":
            seg_start += 1
    # …志愿者（区科协负责）。每年培训不少于500人次。: what follows the last annotation in
    # the item is still the measure's (its targets, its deadline)
    if out and out[-1].item is it and len(re.sub(r"[\W\d_]", "", doc.norm[seg_start:end])) >= 2:
        last = out[-1]
        if last.title_end is None:
            last.title_end = last.body_end  # the title stays before the annotation
        last.end = last.body_end = end
    return out


def _units_first(doc: Doc, it: Item, hit: Hit, end: int) -> Draft:
    """1.【区科协牵头】开展…: the units written first answer for the whole item after them."""
    title_from = hit.end
    while title_from < end and doc.norm[title_from] in _PUNCT_TAIL + " \n":
        title_from += 1
    return Draft(start=it.start, end=end, item=it, anns=[hit.ann], raw=doc.text[hit.start:hit.end],
                 source="annotation", path_item=it.parent, label=doc.text[it.start:it.content].strip(),
                 body_end=end, title_from=title_from)


def _heading_line(doc: Doc, start: int, end: int) -> bool:
    """A line that is a heading alone: short, one sentence at most, no annotation."""
    line = doc.norm[start:end].strip()
    return 0 < len(line) <= 40 and not re.search(r"[。;；!?！？].", line) and "(" not in line


def table_drafts(doc: Doc, tables: list[Table], roots: list[Item]) -> list[Draft]:
    """A measure per task-table row: its task cell, the units of its unit columns (a
    unit column is support beside a named lead, joint otherwise), its deadline. Heading
    rows become items of the heading tree (added to ``roots``); a table that is not a
    task table is reported once."""
    out = []
    heads: dict = {}
    known = _names_apart(doc, tables)
    for table in tables:
        if table.skipped:
            doc.warn(table.start, f"table skipped: {table.skipped}", doc.lines[doc.line_of(table.start)][1])
            continue
        # 主要任务 | 具体措施: a first task column whose cells the rows repeat (merged over
        # them) holds categories; each row's own task, its title, is its last task cell
        firsts = Counter(compact(row.task.text) for row in table.rows)
        categorised = any(n > 1 for n in firsts.values())
        for row in table.rows:
            ann = _row_annotation(doc, row, known)
            more = row.cells.get("task", [])
            titled = more[-1] if more and categorised else row.task
            named = [c for k in RESPONSIBLE for c in row.cells.get(k, [])]
            if not ann:
                if named:
                    doc.warn(row.start, "table row names no unit that could be read", row.end)
                continue
            first = min([c.start for c in named] + [a for a, _ in row.labelled])
            deadline = " ".join(c.text for c in row.cells.get("deadline", [])) or None
            out.append(Draft(
                start=row.task.start, end=row.end, item=None, anns=[ann],
                raw=doc.text[first:_annotation_end(row, named)], source="table", text=_row_text(row),
                path_item=_heading_path(doc, row.headings, heads, roots, table.owner),
                label=row.number, body_end=row.task.end, deadline=deadline,
                title_from=titled.start, title_end=titled.end,
                target_spans=[(c.start, c.end) for c in row.cells.get("target", [])],
            ))
    return out


def _annotation_end(row: TableRow, named: list[Cell]) -> int:
    """Where a row's annotation ends: at its last unit cell (a progress note or a deadline
    after it is no part of it)."""
    return max(c.end for c in named) if named else row.end


def _row_text(row: TableRow) -> str:
    """A row's measure text: its name and content cells joined, no separator, no unit,
    person or date cell (a cell broken over lines is one cell: its line breaks go)."""
    cells = sorted([row.task, *row.cells.get("task", [])], key=lambda c: c.start)
    return "".join(re.sub(r"\s*\n\s*", "", c.text) for c in cells)


def _row_annotation(doc: Doc, row: TableRow, known: set[str]) -> Annotation:
    """The units of a row in the order the text writes them: its lead cells (and run-in
    fields such as 省牵头单位:…) lead, and its other unit cells support a named lead."""
    fields = [parse_annotation(doc.text, doc.norm, a, b) for a, b in row.labelled]
    # a merged 牵头单位 printed on the group's first row holds for the rows under it
    cells = [(c, "lead") for c in row.merged.get("lead", []) + row.cells.get("lead", [])]
    led = bool(cells) or any(r == "lead" for f in fields for _, r in f.units)
    cells += [(c, "support" if led or kind == "support" else "joint") for kind in ("support", "unit")
              for c in row.merged.get(kind, []) + row.cells.get(kind, [])]
    # units written before the task under a header that does not say their role: joint
    cells = [(c, "joint") for c in row.merged.get("front", []) + row.cells.get("front", [])] + cells
    placed: list[tuple[int, Annotation]] = list(zip([a for a, _ in row.labelled], fields))
    merged = {id(c) for cells_of in row.merged.values() for c in cells_of}
    for cell, role in cells:
        one = Annotation()
        _cell_units(doc, cell, role, one, known)
        # a cell merged from the row above is not in this row's annotation: its units come last
        placed.append((cell.start + (len(doc.text) if id(cell) in merged else 0), one))
    ann = Annotation(labelled=True)
    for _, part in sorted(placed, key=lambda p: p[0]):
        ann.units += [u for u in part.units if u not in ann.units]
        ann.generic += [g for g in part.generic if g not in ann.generic]
    # a unit that both leads and is the row's owner (业主单位) is recorded once, as lead
    leads = {n for n, r in ann.units if r == "lead"}
    ann.units = [(n, "lead" if n in leads else r) for n, r in ann.units]
    return ann


def _heading_path(doc: Doc, cells: list[Cell], heads: dict, roots: list[Item], owner: Item | None) -> Item | None:
    """A row's headings (a section row 一、…, a 主要任务 cell over its 具体措施) as nested items
    of the tree; the innermost is returned."""
    for cell in cells:
        owner = _heading_item(doc, cell, heads, roots, owner)
    return owner


def _heading_item(doc: Doc, cell: Cell, heads: dict, roots: list[Item], owner: Item | None) -> Item:
    """A heading of a table as an item of the tree, made once for its text under its
    parent (a cell repeated over the rows it spans is one heading), under the item the
    table stands under or at the top."""
    key = (id(owner), compact(doc.text[cell.start:cell.end]))
    if key in heads:
        return heads[key]
    marker = next((m for _, rx in MARKERS if (m := rx.match(doc.norm, cell.start))), None)
    it = Item(style="table", level=owner.level + 1 if owner else 0, line=doc.line_of(cell.start),
              start=cell.start, content=marker.end() if marker else cell.start, end=cell.end,
              head_end=cell.end, parent=owner)
    siblings = owner.children if owner else roots
    siblings.append(it)
    siblings.sort(key=lambda r: r.start)
    for n, r in enumerate(siblings, 1):
        r.ordinal = n
    heads[key] = it
    return it


def _names_apart(doc: Doc, tables: list[Table]) -> set[str]:
    """The unit names the tables write apart (between separators or on lines of their own),
    in compact form: what a cell that lost its separators may be split into."""
    known = set()
    for table in tables:
        for row in table.rows:
            for kind in RESPONSIBLE:
                for cell in row.cells.get(kind, []):
                    for a, b in split_spans(doc.norm, cell.start, cell.end):
                        known.update(compact(w) for w in doc.norm[a:b].split() if looks_like_unit(w))
    return known


#: a unit cell that says the roles itself: 牵头：A；配合：B / A（牵头）、B / A牵头，B配合
_CELL_ROLES_RE = re.compile(lexicon.ROLE_MARK)


def _cell_units(doc: Doc, cell: Cell, role: str, ann: Annotation, known: set[str]) -> None:
    if _CELL_ROLES_RE.search(doc.norm, cell.start, cell.end) or LABEL_RE.search(doc.norm, cell.start, cell.end):
        said = parse_annotation(doc.text, doc.norm, cell.start, cell.end)
        if said.units:  # the cell's own role words win; a name it gives no role takes the column's
            ann.units += [(n, r if r != "joint" else role) for n, r in said.units if n not in [u for u, _ in ann.units]]
            ann.generic += [g for g in said.generic if g not in ann.generic]
            return
    for a, b in split_spans(doc.norm, cell.start, cell.end):
        for piece in _cell_names(doc, a, b, ann, known):
            if piece not in [u for u, _ in ann.units]:
                ann.units.append((piece, role))


def _cell_names(doc: Doc, a: int, b: int, ann: Annotation, known: set[str]) -> list[str]:
    """The unit names of one list item of a cell: split where the cell lost its separators
    (安监站 安监所, 派出所工商质监所); vague references go to ``ann.generic``."""
    words = [m.span() for m in re.finditer(r"\S+", doc.norm[a:b])]
    # units parted by spaces (安监站 安监所), not one name broken by them (市科 技局, 区政 府办 公室)
    if len(words) > 1 and all(e - s >= 3 and (looks_like_unit(doc.norm[a + s:a + e]) or short_unit_name(doc.norm[a + s:a + e]))
                              for s, e in words):
        spans = [(a + s, a + e) for s, e in words]  # units separated by spaces only
    else:
        spans = [(a, b)]
    names = []
    for s, e in spans:
        name = read_name(doc.text, s, e, ann)  # vague references and 等部门 go to ann.generic
        if name is None:
            continue
        name, agents = split_aside(name)  # 区教体局(区国资公司代建): two units; (开发商配建…): a note
        squeezed = compact(name)
        parts = split_glued(squeezed, known)
        if len(parts) > 1:
            # the cell lost its line break: slice the parts out of the name as written
            pos, written = 0, "".join(name.split())
            for part in parts:
                names.append(written[pos:pos + len(part)])
                pos += len(part)
        else:
            names.append(name)
        names += agents
    return names
