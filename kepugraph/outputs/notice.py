"""The notice (情况通报) an office circulates after a round of follow-up: a summary paragraph
in Chinese, the per-unit table, the overdue list and the units that did not report; as
.xlsx (a sheet each, A4 landscape) or .docx (A4 portrait, tables that repeat their header)."""

from __future__ import annotations

import io
from pathlib import Path

from kepugraph.analysis.progress import Progress
from kepugraph.outputs.files import write_atomic
from kepugraph.outputs.workbook import MARGIN_CM, Sheet, xlsx_bytes
from kepugraph.vocab import ROLE_LABELS

UNIT_HEADER = ["序号", "单位", "任务数", "已完成", "推进中", "未启动", "滞后", "逾期", "即将到期", "未报送"]
OVERDUE_HEADER = ["序号", "编号", "任务", "完成时限", "逾期天数", "单位（角色）", "最新进展"]
SILENT_HEADER = ["序号", "单位", "任务数"]
A4_PORTRAIT_CM = (21.0, 29.7)


def zh_date(iso: str) -> str:
    """2025-07-01 → 2025年7月1日.

    >>> zh_date("2025-07-01")
    '2025年7月1日'
    """
    y, m, d = iso.split("-")
    return f"{y}年{int(m)}月{int(d)}日"


def summary(p: Progress, title: str = "", within: int = 3) -> str:
    """The notice's opening paragraph: how many tasks, how many done, overdue, who is behind."""
    measures = len({t.id for t in p.tasks})
    count = lambda key: sum(1 for t in p.tasks if t.latest and t.latest.status == key)  # noqa: E731
    behind = [u.unit for u in p.units if u.overdue]
    reported = len({t.unit for t in p.tasks}) - len(p.not_reported)
    text = (f"截至{zh_date(p.today)}，{f'《{title}》' if title else '方案'}共 {measures} 项任务，分解到 "
            f"{len(p.units)} 个单位，共 {len(p.tasks)} 项单位任务。")
    if p.round:
        text += f"本轮（{p.round}）{reported} 个单位报送了进展。"
    text += (f"已完成 {count('done')} 项，推进中 {count('inProgress')} 项，未启动 {count('notStarted')} 项，"
             f"滞后 {count('behind')} 项；逾期未完成 {len(p.overdue)} 项（{len({t.id for t in p.overdue})} 项任务）")
    text += f"，涉及{'、'.join(behind)}" if behind else ""
    text += f"；{within} 天内到期 {len(p.due_soon)} 项"
    text += (f"；{len(p.not_reported)} 个单位本轮未报送：{'、'.join(p.not_reported)}。" if p.not_reported
             else "；各单位均已报送。")
    return text


def unit_table(p: Progress) -> list[list]:
    return [[k, u.unit, u.tasks, u.done, u.in_progress, u.not_started, u.behind, u.overdue, u.due_soon, u.not_reported]
            for k, u in enumerate(p.units, 1)]


def overdue_table(p: Progress) -> list[list]:
    out = []
    for k, t in enumerate(p.overdue, 1):
        note = t.latest.note if t.latest and t.latest.note else ""
        out.append([k, t.id, t.title, t.deadline, t.days, f"{t.unit}（{ROLE_LABELS[t.role]}）",
                    t.status + (f"：{note}" if note else "")])
    return out


def silent_table(p: Progress) -> list[list]:
    tasks = {u.unit: u.tasks for u in p.units}
    return [[k, n, tasks[n]] for k, n in enumerate(p.not_reported, 1)]


def notice_title(title: str, round_: str | None) -> str:
    return f"关于{f'《{title}》' if title else '方案'}任务落实情况的通报" + (f"（{round_}）" if round_ else "")


def notice_xlsx(p: Progress, title: str, within: int = 3) -> bytes:
    # imported here, not at the top: +0.20 s at every start-up otherwise (measured)
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment

    head = notice_title(title, p.round)
    text = summary(p, title, within)
    data = xlsx_bytes([
        Sheet("情况通报", UNIT_HEADER, unit_table(p), {"单位": 26}, title=head, subtitle=text),
        Sheet("逾期任务", OVERDUE_HEADER, overdue_table(p), {"任务": 46, "单位（角色）": 26, "最新进展": 30},
              title="逾期任务", subtitle=f"截至{zh_date(p.today)}，已过完成时限、尚未报送完成的任务，逾期最久的在前"),
        Sheet("未报送单位", SILENT_HEADER, silent_table(p), {"单位": 30}, title="本轮未报送单位",
              subtitle=f"报送轮次：{p.round or '（无）'}"),
    ])
    wb = load_workbook(io.BytesIO(data))
    ws = wb["情况通报"]
    ws["A2"].alignment = Alignment(wrap_text=True, horizontal="left", vertical="top")
    ws.row_dimensions[2].height = 15 * (len(text) // 70 + 1)  # the summary wraps across the table's width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def notice_docx(p: Progress, title: str, within: int = 3) -> bytes:
    """The notice as a Word document, A4 portrait."""
    # imported here, not at the top: +0.12 s at every start-up otherwise (measured)
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(A4_PORTRAIT_CM[0]), Cm(A4_PORTRAIT_CM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM + 0.5))
    usable = A4_PORTRAIT_CM[0] - 2 * (MARGIN_CM + 0.5)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(notice_title(title, p.round))
    run.bold, run.font.size = True, Pt(16)
    body = doc.add_paragraph(summary(p, title, within))
    body.paragraph_format.first_line_indent = Pt(21)

    def table(caption: str, header: list[str], rows: list[list], widths: list[float]):
        doc.add_paragraph().add_run(caption).bold = True
        if not rows:
            doc.add_paragraph("（无）")
            return
        scale = usable / sum(widths)
        cms = [Cm(w * scale) for w in widths]
        t = doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        t.autofit = False
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        t.rows[0]._tr.get_or_add_trPr().append(repeat)
        for cell, text, width in zip(t.rows[0].cells, header, cms):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
            cell.width = width
        for row in rows:
            for cell, value, width in zip(t.add_row().cells, row, cms):
                cell.text = "" if value is None else str(value)
                cell.width = width
        for column, width in zip(t.columns, cms):
            column.width = width

    table("一、各单位进展情况", UNIT_HEADER, unit_table(p), [1.0, 4.6, 1.3, 1.3, 1.3, 1.3, 1.2, 1.2, 1.5, 1.3])
    table("二、逾期任务（逾期最久的在前）", OVERDUE_HEADER, overdue_table(p), [1.0, 1.2, 5.6, 2.2, 1.4, 3.2, 3.0])
    table(f"三、本轮未报送单位（{p.round or '无'}）", SILENT_HEADER, silent_table(p), [1.2, 8.0, 2.0])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_notice(p: Progress, path: str | Path, title: str = "", within: int = 3) -> Path:
    """Write the notice as .xlsx or .docx (by the suffix), atomically."""
    path = Path(path)
    data = notice_docx(p, title, within) if path.suffix.lower() == ".docx" else notice_xlsx(p, title, within)
    write_atomic(path, data)
    return path
