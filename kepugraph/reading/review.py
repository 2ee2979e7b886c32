"""A reviewed workbook (任务审核表) → :class:`~kepugraph.model.Plan`, exactly.

The workbook is written by :mod:`kepugraph.outputs.review`. A row that still carries its
hidden data is a measure of the plan, with whatever the reviewer changed in its visible
cells; a row without is a measure added by hand; a measure whose row is gone is gone.
Nothing is guessed: a cell that cannot be taken is an error naming file, sheet and row.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Callable, Sequence

from kepugraph.errors import SheetError, SourceError
from kepugraph.model import Measure, Plan, PlanMeta, Section, Target, UnitRef
from kepugraph.reading.docx import check_zip
from kepugraph.reading.xlsx import MAX_ROWS

# the names and columns the writer uses (kepugraph.outputs.review), repeated here because
# reading sits below outputs; a test keeps the two in step
REVIEW_MARK = "kepugraph-review"
REVIEW_SHEET = "任务审核"
PLAN_SHEET = "方案"
ROLE_COLUMNS = {"牵头单位": "lead", "配合单位": "support", "负责单位": "joint"}
REQUIRED = ("编号", "章节", "任务", "全文", "牵头单位", "配合单位", "负责单位", "完成时限", "量化目标", "原文行", "数据")
_NAME_SEP = re.compile(r"[、，,；;/\s]+")

#: Finds the targets in a text written by hand (the parser's, passed in by the caller).
TargetFinder = Callable[[str], list[Target]]


def load_book(path: Path, data: bytes | None = None):
    """The workbook at ``path`` (values, not formulas), or a one-line SourceError."""
    if data is None:
        if not path.is_file():
            raise SourceError(path, "no such file" if not path.exists() else "not a file")
        data = path.read_bytes()
    check_zip(path, data, ".xlsx", "xl/workbook.xml")
    # imported here, not at the top: +0.20 s at every start-up otherwise (measured)
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, zipfile and lxml errors …
        first = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise SourceError(path, f"corrupt .xlsx: {first}") from None


def is_review_workbook(path: str | Path) -> bool:
    """True for an .xlsx written by ``kepugraph review`` (its hidden sheet carries the mark)."""
    p = Path(path)
    if p.suffix.lower() != ".xlsx" or not p.is_file():
        return False
    try:  # the sheet's name in the workbook's index first: a plan's own .xlsx is not loaded twice
        with zipfile.ZipFile(p) as z:
            if f'name="{PLAN_SHEET}"' not in z.read("xl/workbook.xml").decode("utf-8", "replace"):
                return False
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    try:
        book = load_book(p)
    except SourceError:
        return False
    return PLAN_SHEET in book.sheetnames and book[PLAN_SHEET].cell(row=1, column=1).value == REVIEW_MARK


def cell_text(value) -> str:
    """A cell as text: None is empty, 12.0 is 12."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def header_row(path: Path, sheet, required) -> tuple[int, dict[str, int]]:
    """The row holding the column names (its number) and each name's column (from 0)."""
    for r, row in enumerate(sheet.iter_rows(values_only=True, max_row=20), 1):
        names = {cell_text(v): k for k, v in enumerate(row) if cell_text(v)}
        if required[0] in names:
            missing = [c for c in required if c not in names]
            if missing:
                raise SheetError(path, sheet.title, r, f"缺少列：{'、'.join(missing)}")
            return r, names
    raise SheetError(path, sheet.title, None, f"找不到表头（“{required[0]}”列）")


def read_review(path: str | Path, targets_of: TargetFinder | None = None, data: bytes | None = None) -> Plan:
    """The plan a reviewed workbook holds now.

    Args:
        targets_of: finds the targets in a 量化目标 text that no row had before; without
            it such a text is an error.

    Raises:
        SourceError: not an .xlsx, or not a review workbook.
        SheetError: a cell that cannot be taken (unknown or repeated 编号, a locked cell
            changed, a measure with no unit, a section the plan does not have).
    """
    path = Path(path)
    book = load_book(path, data)
    if PLAN_SHEET not in book.sheetnames or book[PLAN_SHEET].cell(row=1, column=1).value != REVIEW_MARK:
        raise SourceError(path, "not a review workbook (write one with 'kepugraph review')")
    if REVIEW_SHEET not in book.sheetnames:
        raise SheetError(path, REVIEW_SHEET, None, "工作表不见了")
    meta, source, sections, plan_targets = _plan_records(path, book[PLAN_SHEET])
    sheet = book[REVIEW_SHEET]
    if sheet.max_row > MAX_ROWS:
        raise SourceError(path, f"sheet {sheet.title!r} has {sheet.max_row} rows, over the limit of {MAX_ROWS}")
    head, cols = header_row(path, sheet, REQUIRED)
    by_heading: dict[str, str] = {}
    for s in sections:
        by_heading.setdefault(s.heading, s.id)
    rows = []
    for r, values in enumerate(sheet.iter_rows(min_row=head + 1, values_only=True), head + 1):
        cells = {name: cell_text(values[k]) if k < len(values) else "" for name, k in cols.items()}
        if any(cells.values()):
            rows.append((r, cells))
    stored = {}
    for r, cells in rows:
        if cells["数据"]:
            try:
                stored[r] = json.loads(cells["数据"])
            except ValueError:
                raise SheetError(path, sheet.title, r, "“数据”列被改动，无法读取（请勿编辑隐藏列）") from None
    known = list(dict.fromkeys(u[0] for d in stored.values() for u in d["units"]))
    next_ordinal = max([d["ordinal"] for d in stored.values()] + [0]) + 1
    measures: list[Measure] = []
    seen: dict[str, int] = {}
    section = None
    for r, cells in rows:
        d = stored.get(r)
        m = _measure(path, sheet.title, r, cells, d, by_heading, section, targets_of, next_ordinal, known)
        if d is None:
            next_ordinal += 1
        if m.id in seen:
            raise SheetError(path, sheet.title, r, f"编号 {m.id} 与第 {seen[m.id]} 行重复")
        seen[m.id] = r
        section = m.section
        measures.append(m)
    if not measures:
        raise SheetError(path, sheet.title, None, "没有任何任务")
    return Plan(meta=meta, sections=sections, measures=measures, targets=plan_targets, warnings=[], text="",
                path=source.get("name", ""), sha256=source.get("sha256", ""))


def _plan_records(path: Path, sheet):
    meta, source, sections, targets = None, {}, [], []
    for r, (kind, value, *_) in enumerate(sheet.iter_rows(values_only=True, max_col=2), 1):
        if r == 1:
            continue
        try:
            record = json.loads(value)
        except (TypeError, ValueError):
            raise SheetError(path, sheet.title, r, "方案记录被改动，无法读取") from None
        if kind == "meta":
            meta = PlanMeta(**record)
        elif kind == "source":
            source = record
        elif kind == "section":
            sections.append(Section(**{**record, "span": tuple(record["span"])}))
        elif kind == "target":
            targets.append(_target(record))
    if meta is None:
        raise SheetError(path, sheet.title, None, "方案记录缺少元数据")
    return meta, source, sections, targets


def _target(d: dict) -> Target:
    return Target(text=d["text"], value=float(d["value"]), unit=d["unit"], comparator=d["comparator"],
                  period=d["period"], span=tuple(d["span"]), subject=d.get("subject", ""))


_OPEN, _CLOSE = "（(〔[【", "）)〕]】"


def names(cell: str, known: Sequence[str] = ()) -> list[str]:
    """Unit names of a cell, parted by 、 (or ，; and spaces) outside brackets, each once, in
    order; a ``known`` name is taken whole even where it holds a 、 itself.

    >>> names("区科协、各县（市、区）人民政府 ，区科协")
    ['区科协', '各县（市、区）人民政府']
    >>> names("哈爾濱、黑河、綏芬河市政府、省商務廳", known=["哈爾濱、黑河、綏芬河市政府"])
    ['哈爾濱、黑河、綏芬河市政府', '省商務廳']
    """
    longest = sorted((k for k in known if k), key=len, reverse=True)
    out, i, n = [], 0, len(cell)
    while i < n:
        if _NAME_SEP.match(cell, i):
            i = _NAME_SEP.match(cell, i).end()
            continue
        whole = next((k for k in longest if cell.startswith(k, i) and (i + len(k) == n or _NAME_SEP.match(cell, i + len(k)))),
                     None)
        if whole:
            out.append(whole)
            i += len(whole)
            continue
        depth, j = 0, i
        while j < n and (depth or not _NAME_SEP.match(cell, j)):
            depth += (cell[j] in _OPEN) - (cell[j] in _CLOSE and depth > 0)
            j += 1
        out.append(cell[i:j])
        i = j
    return list(dict.fromkeys(out))


def _measure(path: Path, sheet: str, r: int, cells: dict[str, str], d: dict | None, by_heading: dict[str, str],
             previous_section: str | None, targets_of: TargetFinder | None, next_ordinal: int,
             known: Sequence[str]) -> Measure:
    def fail(problem: str):
        raise SheetError(path, sheet, r, problem)

    if d is not None:
        if cells["编号"] != d["id"]:
            fail(f"编号列被改动（原为 {d['id']}，现为 {cells['编号'] or '空'}）；编号列不可编辑")
        if cells["原文行"] != str(d["line"]):
            fail(f"原文行列被改动（原为 {d['line']}）；该列不可编辑")
    elif cells["编号"]:
        fail(f"编号 {cells['编号']} 不是本表的任务（新增任务请把编号留空）")
    title = cells["任务"]
    if not title:
        fail("任务为空（删去任务请删除整行）")
    heading = cells["章节"]
    if heading:
        if d is not None and d["section"] and d.get("heading") == heading:
            section = d["section"]
        elif heading in by_heading:
            section = by_heading[heading]
        else:
            fail(f"章节“{heading}”不在方案中")
    else:
        section = d["section"] if d is not None else previous_section
    units = _units(cells, d, known)
    if not units and (d is None or d["units"]):  # a measure the parser read with no unit may stay so
        fail("没有责任单位（牵头、配合、负责单位至少填一个）")
    targets = _targets(cells["量化目标"], d, targets_of, fail)
    if d is None:
        return Measure(id=f"m{next_ordinal}", ordinal=next_ordinal, section=section, path=[], label="",
                       title=title, text=cells["全文"] or title, span=(0, 0), units=units, annotation="",
                       targets=targets, deadline=cells["完成时限"] or None, source="review", line=0)
    return Measure(id=d["id"], ordinal=d["ordinal"], section=section, path=d["path"] if section == d["section"] else [],
                   label=d["label"], title=title, text=cells["全文"] or title, span=tuple(d["span"]), units=units,
                   annotation=d["annotation"], generic_refs=d["generic_refs"], targets=targets,
                   deadline=cells["完成时限"] or None, source=d["source"], line=d["line"])


def _units(cells: dict[str, str], d: dict | None, known: Sequence[str]) -> list[UnitRef]:
    """The units of the role columns; a unit already on the measure keeps its position (its
    place in the annotation as written), a unit added goes after the others."""
    before = [tuple(u) for u in (d["units"] if d else [])]
    wanted = [(n, role) for column, role in ROLE_COLUMNS.items() for n in names(cells[column], known)]
    if sorted(wanted) == sorted((n, role) for n, role, _ in before):
        return [UnitRef(n, role, pos) for n, role, pos in before]
    free = list(before)
    out = []
    last = max([pos for *_, pos in before] + [0])
    for n, role in wanted:
        match = next((u for u in free if u[0] == n and u[1] == role), None) or next((u for u in free if u[0] == n), None)
        if match:
            free.remove(match)
            out.append(UnitRef(n, role, match[2]))
        else:
            last += 1
            out.append(UnitRef(n, role, last))
    return sorted(out, key=lambda u: u.position)


def _targets(cell: str, d: dict | None, targets_of: TargetFinder | None, fail) -> list[Target]:
    before = [_target(t) for t in (d["targets"] if d else [])]
    if cell == "；".join(t.text for t in before):
        return before
    out = []
    for text in (t.strip() for t in re.split(r"[；;\n]", cell)):
        if not text:
            continue
        match = next((t for t in before if t.text == text), None)
        if match:
            before.remove(match)
            out.append(match)
            continue
        found = targets_of(text) if targets_of else []
        if not found:
            fail(f"量化目标“{text}”中没有可读的数量（如“不少于50人次”）")
        out += found
    return out
