"""Sheets as an office prints them: XLSX with a title, a frozen header repeated on every
printed page, landscape and one page wide; DOCX in landscape with widths that fit."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from kepugraph.reading.textnorm import display_width
from kepugraph.safety import xml_text

ROLE_FILLS = {"牵头": "F4B183", "配合": "BDD7EE", "负责": "C6E0B4"}
LINE_PT = 15  # one line of 11 pt CJK text, with its leading
A4_LANDSCAPE_CM = (29.7, 21.0)
MARGIN_CM = 1.5


@dataclass
class Sheet:
    """One table to write: its header, rows and how it is printed.

    ``widths`` caps a column's width (characters of an 11 pt font) by its header;
    other columns fit their content. With ``matrix`` the columns after the third are
    units: vertical headers, narrow, role cells coloured.
    """

    name: str
    header: list[str]
    body: list[list[Any]]
    widths: dict[str, float] = field(default_factory=dict)
    title: str = ""
    subtitle: str = ""
    matrix: bool = False

    def column_widths(self) -> list[float]:
        out = []
        for i, name in enumerate(self.header):
            if self.matrix and i >= 3:
                out.append(4.5)
                continue
            natural = max([display_width(name)] + [display_width(_text(r[i])) for r in self.body]) + 2
            out.append(float(min(self.widths.get(name, natural), max(6, natural))))
        return out


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _lines(text: str, width: float) -> int:
    """Printed lines of ``text`` wrapped in a column ``width`` characters wide."""
    # measured in LibreOffice: a 70-wide column holds 33 CJK characters a line, and a closing
    # mark never starts a line; a row a line too tall reads better than one cut off
    per_line = max(1.0, width * 0.9)
    return sum(max(1, math.ceil(display_width(part) / per_line)) for part in text.split("\n"))


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of ``sheets``, every one set up to print.

    Every string is stored as text, never a formula (a measure may start with =); numbers
    stay numbers. A title and subtitle row go above the header; the header row is frozen,
    repeated on each printed page, and the print area is the table; pages are A4 landscape,
    fit to one page wide.
    """
    # imported here, not at the top: +0.20 s at every start-up otherwise (measured)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        ncols = max(1, len(sheet.header))
        last = get_column_letter(ncols)
        top = 0
        for text, size in ((sheet.title, 14), (sheet.subtitle, 10)):
            if text:
                top += 1
                ws.cell(row=top, column=1, value=xml_text(text)).font = Font(bold=size > 10, size=size)
                ws.cell(row=top, column=1).data_type = "s"
                ws.cell(row=top, column=1).alignment = Alignment(horizontal="center", vertical="center")
                if ncols > 1:
                    ws.merge_cells(f"A{top}:{last}{top}")
                ws.row_dimensions[top].height = 24 if size > 10 else 16
        head = top + 1
        # a control character in a label (from a graph file or an endpoint) is no XML: a space
        ws.append([xml_text(v) for v in sheet.header])
        for row in sheet.body:
            ws.append([xml_text(v) for v in row])
        widths = sheet.column_widths()
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for cells in ws.iter_rows(min_row=head):
            lines = 1
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula (=HYPERLINK(…) in a measure's text)
                cell.border = box
                unit_column = sheet.matrix and cell.column > 3
                if cell.row == head:
                    cell.font = Font(bold=True)
                    cell.fill = PatternFill("solid", fgColor="E7E6E6")
                    cell.alignment = (Alignment(text_rotation=255, vertical="top", horizontal="center") if unit_column
                                      else Alignment(wrap_text=True, vertical="center", horizontal="center"))
                    continue
                cell.alignment = Alignment(wrap_text=True, vertical="top",
                                           horizontal="center" if unit_column or isinstance(cell.value, int) else None)
                if unit_column and cell.value in ROLE_FILLS:
                    cell.fill = PatternFill("solid", fgColor=ROLE_FILLS[cell.value])
                if not unit_column:
                    lines = max(lines, _lines(_text(cell.value), widths[cell.column - 1]))
            if cells[0].row == head:
                units = [display_width(h) // 2 for h in sheet.header[3:]] if sheet.matrix else []
                # stacked vertical text: a character per line, each a little taller than wide
                ws.row_dimensions[head].height = (16 * max(units) + 8 if units else
                                                  LINE_PT * max(_lines(h, w) for h, w in zip(sheet.header, widths)))
            else:
                ws.row_dimensions[cells[0].row].height = LINE_PT * lines
        ws.freeze_panes = f"{'D' if sheet.matrix else 'A'}{head + 1}"
        ws.print_title_rows = f"{head}:{head}"
        ws.print_area = f"A1:{last}{head + len(sheet.body)}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as it takes
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        margin = MARGIN_CM / 2.54
        ws.page_margins.left = ws.page_margins.right = margin
        ws.page_margins.top, ws.page_margins.bottom = margin, margin + 0.3  # the page number below
        ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def docx_bytes(title: str, lines: Sequence[str], header: Sequence[str], body: Sequence[Sequence[Any]],
               widths_cm: Sequence[float]) -> bytes:
    """A landscape A4 document: a centred title, a few lines under it, and a table whose
    columns have ``widths_cm`` (scaled to the page) and whose header row repeats on
    every page."""
    # imported here, not at the top: +0.12 s at every start-up otherwise (measured)
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(A4_LANDSCAPE_CM[0]), Cm(A4_LANDSCAPE_CM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(xml_text(title))
    run.bold, run.font.size = True, Pt(16)
    for line in lines:
        doc.add_paragraph(xml_text(line))
    usable = A4_LANDSCAPE_CM[0] - 2 * MARGIN_CM
    scale = min(1.0, usable / sum(widths_cm))
    widths = [Cm(w * scale) for w in widths_cm]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    header_row = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(repeat)
    for cell, text, width in zip(header_row.cells, header, widths):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_text(text)).bold = True
        cell.width = width
    for row in body:
        for cell, value, width in zip(table.add_row().cells, row, widths):
            cell.text = xml_text(_text(value))
            cell.width = width
    for column, width in zip(table.columns, widths):
        column.width = width
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
