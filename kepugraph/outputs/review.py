"""The review workbook (任务审核表): the parser's reading of a plan, one editable row per
measure, that :mod:`kepugraph.reading.review` reads back exactly.

What a reviewer may change is in plain columns (title, text, units by role, deadline,
targets, section); what the graph needs and no one edits by hand (character spans, the
annotation as written, each unit's position, the targets' numbers) rides along in a
hidden, locked column of the same row, so that deleting a row deletes all of it and a
row added by hand simply has none. A hidden sheet records the plan (metadata, source
file and its hash, the heading tree), so the corrected plan keeps the plan's identity.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from pathlib import Path

from kepugraph.model import Measure, ParseWarning, Plan, Target
from kepugraph.outputs.files import write_atomic
from kepugraph.outputs.sheets import plan_heading

#: The marker in A1 of the hidden plan sheet that makes a workbook a review workbook.
REVIEW_MARK = "kepugraph-review"
REVIEW_VERSION = 1
REVIEW_SHEET = "任务审核"
WARNINGS_SHEET = "解析警告"
UNITS_SHEET = "单位"
PLAN_SHEET = "方案"
#: The columns of the review sheet, in order; the last one is hidden and locked.
REVIEW_HEADER = ["编号", "章节", "任务", "全文", "牵头单位", "配合单位", "负责单位", "完成时限", "量化目标",
                 "原文行", "解析警告", "数据"]
ROLE_COLUMNS = {"牵头单位": "lead", "配合单位": "support", "负责单位": "joint"}
#: Columns a reviewer cannot edit (the sheet is protected; these cells stay locked).
LOCKED_COLUMNS = ("编号", "原文行", "解析警告", "数据")
_WIDTHS = {"编号": 7, "章节": 24, "任务": 30, "全文": 60, "牵头单位": 22, "配合单位": 30, "负责单位": 26,
           "完成时限": 12, "量化目标": 24, "原文行": 7, "解析警告": 30, "数据": 10}
SPARE_ROWS = 100  # empty, editable rows below the table for measures added by hand
NAMES = "、"


def target_json(t: Target) -> dict:
    return {"text": t.text, "value": t.value, "unit": t.unit, "comparator": t.comparator, "period": t.period,
            "span": list(t.span), "subject": t.subject}


def measure_data(m: Measure, heading: str = "") -> str:
    """What a row carries besides its visible cells (JSON, in the hidden 数据 column)."""
    return json.dumps({"id": m.id, "ordinal": m.ordinal, "section": m.section, "heading": heading, "path": m.path, "label": m.label, "span": list(m.span),
                       "annotation": m.annotation, "generic_refs": m.generic_refs, "source": m.source,
                       "units": [[u.name, u.role, u.position] for u in m.units],
                       "targets": [target_json(t) for t in m.targets], "line": m.line},
                      ensure_ascii=False, separators=(",", ":"))


def measure_warnings(plan: Plan, m: Measure) -> list[ParseWarning]:
    """The parser's warnings that fall inside the measure's text."""
    return [w for w in plan.warnings if m.span[0] <= w.offset < max(m.span[1], m.span[0] + 1)]


def review_rows(plan: Plan) -> list[list]:
    """The visible cells and the hidden data of every measure, in document order."""
    headings = {s.id: s.heading for s in plan.sections}
    out = []
    for m in plan.measures:
        roles = {role: NAMES.join(u.name for u in sorted(m.units, key=lambda u: u.position) if u.role == role)
                 for role in ("lead", "support", "joint")}
        out.append([m.id, headings.get(m.section or "", ""), m.title, m.text, roles["lead"], roles["support"],
                    roles["joint"], m.deadline or "", "；".join(t.text for t in m.targets), m.line,
                    "\n".join(f"第{w.line}行：{w.message}：{w.text}" for w in measure_warnings(plan, m)),
                    measure_data(m, headings.get(m.section or "", ""))])
    return out


def plan_records(plan: Plan) -> list[list[str]]:
    """The hidden plan sheet: the marker, the plan's metadata and source, its heading tree and
    its own targets, one JSON cell per record."""
    dump = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    rows = [[REVIEW_MARK, dump({"version": REVIEW_VERSION})],
            ["meta", dump(asdict(plan.meta))],
            ["source", dump({"path": plan.path, "name": Path(plan.path).name if plan.path else "",
                             "sha256": plan.sha256})]]
    rows += [["section", dump({**asdict(s), "span": list(s.span)})] for s in plan.sections]
    rows += [["target", dump(target_json(t))] for t in plan.targets]
    return rows


def review_bytes(plan: Plan) -> bytes:
    """The review workbook of ``plan`` as .xlsx bytes."""
    # imported here, not at the top: +0.20 s at every start-up otherwise (measured)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = REVIEW_SHEET
    ncols = len(REVIEW_HEADER)
    source = plan_heading({"title": plan.meta.title, "doc_number": plan.meta.doc_number or "",
                           "date": plan.meta.date or ""})
    name = Path(plan.path).name if plan.path else ""
    ws.cell(row=1, column=1, value=f"{plan.meta.title or '方案'}任务审核表").font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=(f"依据：{source}　" if source else "") + (f"原文件：{name}　" if name else "") +
            "改正后用 kepugraph build 本文件 重新建图；编号列和灰色列不可改，删去一行即删去该任务，在表尾新增一行即新增任务。")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols - 1)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols - 1)
    ws.append(REVIEW_HEADER)
    head = 3
    rows = review_rows(plan)
    for row in rows:
        ws.append(row)
    grey = PatternFill("solid", fgColor="E7E6E6")
    locked = {REVIEW_HEADER.index(c) + 1 for c in LOCKED_COLUMNS}
    for r in range(head, head + len(rows) + SPARE_ROWS + 1):
        for c in range(1, ncols + 1):
            cell = ws.cell(row=r, column=c)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula (a measure may start with =)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == head:
                cell.font = Font(bold=True)
                cell.fill = grey
                continue
            cell.protection = Protection(locked=c in locked)
            if c in locked and r <= head + len(rows):
                cell.fill = grey
    for i, column in enumerate(REVIEW_HEADER, 1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS[column]
    ws.column_dimensions[get_column_letter(ncols)].hidden = True
    ws.freeze_panes = f"C{head + 1}"
    ws.protection.sheet = True
    # protected, yet rows may be inserted, deleted, sorted and filtered, and columns widened
    for option in ("insertRows", "deleteRows", "formatColumns", "formatRows", "sort", "autoFilter"):
        setattr(ws.protection, option, False)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{head}:{head}"

    _add_lists(wb, ws, plan, head, len(rows))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _add_lists(wb, ws, plan: Plan, head: int, n: int) -> None:
    """The hidden sheets behind the review sheet: the units of the drop-down, the parser's
    warnings, and the plan's own record."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    units = list(dict.fromkeys(u.name for m in plan.measures for u in m.units))
    unit_sheet = wb.create_sheet(UNITS_SHEET)
    for k, unit in enumerate(units, 1):
        unit_sheet.cell(row=k, column=1, value=unit).data_type = "s"
    unit_sheet.sheet_state = "hidden"
    if units:
        # a drop-down of the plan's units that still lets a cell hold several (区科协、区教体局)
        # or a name the plan did not use: a list to pick from, not a gate
        dv = DataValidation(type="list", formula1=f"{UNITS_SHEET}!$A$1:$A${len(units)}", allow_blank=True,
                            showErrorMessage=False)
        ws.add_data_validation(dv)
        for column in ROLE_COLUMNS:
            letter = get_column_letter(REVIEW_HEADER.index(column) + 1)
            dv.add(f"{letter}{head + 1}:{letter}{head + n + SPARE_ROWS}")

    warn = wb.create_sheet(WARNINGS_SHEET)
    warn.append(["行", "列", "问题", "原文"])
    for w in plan.warnings:
        warn.append([w.line, w.column, w.message, w.text])
        for cell in warn[warn.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for letter, width in zip("ABCD", (7, 7, 30, 80)):
        warn.column_dimensions[letter].width = width

    meta = wb.create_sheet(PLAN_SHEET)
    for record in plan_records(plan):
        meta.append(record)
        for cell in meta[meta.max_row]:
            cell.data_type = "s"
    meta.sheet_state = "hidden"
    meta.protection.sheet = True


def write_review(plan: Plan, path: str | Path) -> Path:
    """Write the review workbook of ``plan`` to ``path`` (atomically)."""
    write_atomic(path, review_bytes(plan))
    return Path(path)
