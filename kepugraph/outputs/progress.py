"""Progress sheets (任务进展表): each unit's tasks, as the task sheets, with the columns the
unit fills in — 进展状态 (a drop-down), 进展情况, 完成日期, 报送日期, 联系人 — and
everything else locked; printed on A4 landscape like the task sheets."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Sequence

from kepugraph.analysis.progress import INPUT_COLUMNS, PROGRESS_HEADER, task_rows
from kepugraph.outputs.files import write_all
from kepugraph.outputs.sheets import plan_heading, sheet_summary, unit_files
from kepugraph.outputs.workbook import Sheet, docx_bytes, xlsx_bytes
from kepugraph.rdf.rows import MeasureRow
from kepugraph.reading.progress import TITLE_SUFFIX
from kepugraph.vocab import STATUS_LABELS

WIDTHS_XLSX = {"编号": 6, "章节": 18, "任务及要求": 56, "合作单位（角色）": 26, "量化目标": 18, "完成时限": 12,
               "进展状态": 10, "进展情况": 36, "完成日期": 12, "报送日期": 12, "联系人": 12}
WIDTHS_CM = [1.1, 2.2, 7.6, 1.3, 3.0, 2.2, 1.8, 1.5, 4.8, 1.8, 1.8, 1.6]


def progress_lines(source: str, round_: str, body: Sequence[Sequence]) -> list[str]:
    """The lines under the title: the plan, the round and the unit's count, and how to fill in."""
    counts = sheet_summary(body)
    return [line for line in (f"依据：{source}" if source else "", f"报送轮次：{round_}　{counts}",
                              f"请填写右侧灰底以外的五列：进展状态（{' / '.join(STATUS_LABELS.values())}）、进展情况、"
                              "完成日期、报送日期、联系人；其他列请勿改动。") if line]


def progress_xlsx(unit: str, lines: list[str], body: list[list]) -> bytes:
    """One unit's progress sheet as .xlsx: the input columns open, the rest locked."""
    # imported here, not at the top: +0.20 s at every start-up otherwise (measured)
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    name = unit[:31].translate(str.maketrans("[]:*?/\\", "（）：＊？／＼"))
    data = xlsx_bytes([Sheet(name, PROGRESS_HEADER, [row + [""] * len(INPUT_COLUMNS) for row in body], WIDTHS_XLSX,
                             title=f"{unit}{TITLE_SUFFIX}", subtitle="\n".join(lines))])
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    ws.row_dimensions[2].height = 16 * len(lines)
    head = 3
    first_input = len(PROGRESS_HEADER) - len(INPUT_COLUMNS) + 1
    locked_fill = PatternFill("solid", fgColor="F2F2F2")
    for row in ws.iter_rows(min_row=head + 1, max_row=head + len(body)):
        for cell in row:
            if cell.column >= first_input:
                cell.protection = Protection(locked=False)
                if cell.value == "":
                    cell.value = None
            else:
                cell.fill = locked_fill
    if body:
        dv = DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="进展状态", error="请从列表中选择进展状态")
        ws.add_data_validation(dv)
        letter = get_column_letter(first_input)
        dv.add(f"{letter}{head + 1}:{letter}{head + len(body)}")
    ws.protection.sheet = True
    for option in ("formatColumns", "formatRows", "autoFilter"):
        setattr(ws.protection, option, False)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_progress_sheets(rows: Sequence[MeasureRow], folder: str | Path, round_: str, fmt: str = "xlsx",
                          meta: dict[str, str] | None = None) -> list[Path]:
    """One progress sheet per unit in ``folder`` for the round ``round_`` (all written or none)."""
    folder = Path(folder)
    source = plan_heading(meta or {})
    outputs: list[tuple[Path, bytes]] = []
    for unit, name in unit_files(rows, fmt, TITLE_SUFFIX):
        body = task_rows(rows, unit)
        lines = progress_lines(source, round_, body)
        if fmt == "docx":
            data = docx_bytes(f"{unit}{TITLE_SUFFIX}", lines, PROGRESS_HEADER,
                              [row + [""] * len(INPUT_COLUMNS) for row in body], WIDTHS_CM)
        else:
            data = progress_xlsx(unit, lines, body)
        outputs.append((folder / name, data))
    write_all(outputs)
    return [target for target, _ in outputs]
