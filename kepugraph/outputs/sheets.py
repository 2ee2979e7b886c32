"""Files people open: the responsibility matrix and per-unit task sheets (XLSX, CSV, DOCX)."""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from pathlib import Path
from typing import Sequence

from kepugraph.outputs.files import write_all, write_atomic
from kepugraph.outputs.tables import delimited, display_width
from kepugraph.rdf.rows import MeasureRow
from kepugraph.safety import BOM, CONTROLS
from kepugraph.vocab import ROLE_LABELS

MATRIX_SHEET = "责任矩阵"
DIVISION_SHEET = "任务分工表"


def matrix_table(rows: Sequence[MeasureRow]) -> tuple[list[str], list[list[str]]]:
    """The responsibility matrix: a row per measure, a column per unit (busiest first).

    Cells are 牵头, 配合 or 负责 (jointly responsible), empty where the unit is absent.
    """
    load = Counter(n for r in rows for n, _ in r.units)
    units = sorted(load, key=lambda n: (-load[n], n))
    header = ["序号", "章节", "任务"] + units
    body = []
    for r in rows:
        roles = dict(r.units)
        body.append([r.id, " > ".join(r.path), r.title] + [ROLE_LABELS.get(roles.get(u, ""), "") for u in units])
    return header, body


def division_table(rows: Sequence[MeasureRow]) -> tuple[list[str], list[list[str]]]:
    """The classic 任务分工表: 序号 | 重点任务 | 牵头单位 | 责任单位/配合单位 | 完成时限 | 量化目标."""
    header = ["序号", "重点任务", "牵头单位", "责任单位/配合单位", "完成时限", "量化目标"]
    body = []
    for i, r in enumerate(rows, 1):
        lead = [n for n, role in r.units if role == "lead"]
        rest = [n for n, role in r.units if role != "lead"]
        body.append([str(i), r.title, "、".join(lead), "、".join(rest), r.deadline or "", "；".join(r.targets)])
    return header, body


def write_matrix(rows: Sequence[MeasureRow], path: str | Path) -> Path:
    """Write the matrix as .xlsx (two sheets) or .csv (the matrix, UTF-8 with BOM)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        header, body = matrix_table(rows)
        data = delimited([dict(zip(header, b)) for b in body], header).encode("utf-8")
        write_atomic(path, BOM + data)
        return path
    header, body = matrix_table(rows)
    sheets = [(MATRIX_SHEET, header, body, {"章节": 36, "任务": 40}, True),
              (DIVISION_SHEET, *division_table(rows), {"重点任务": 50, "牵头单位": 24, "责任单位/配合单位": 50, "完成时限": 16,
                                                         "量化目标": 30}, False)]
    write_atomic(path, xlsx_bytes(sheets))
    return path


def xlsx_bytes(sheets) -> bytes:
    # imported here, not at the top: +0.20 s at every start-up otherwise (measured)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    fills = {"牵头": "F4B183", "配合": "BDD7EE", "负责": "C6E0B4"}
    for title, header, body, widths, vertical_units in sheets:
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in body:
            ws.append(row)
        ws.freeze_panes = "D2" if vertical_units else "A2"
        for i, name in enumerate(header, 1):
            letter = get_column_letter(i)
            cell = ws.cell(row=1, column=i)
            cell.font = Font(bold=True)
            if vertical_units and i > 3:
                cell.alignment = Alignment(text_rotation=255, vertical="top", horizontal="center")
                ws.column_dimensions[letter].width = 4.5
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                natural = max([display_width(name)] + [display_width(str(r[i - 1])) for r in body]) + 2
                ws.column_dimensions[letter].width = min(widths.get(name, natural), max(6, natural))
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula (=HYPERLINK(…) in a measure's text)
                if cell.row == 1:
                    continue
                cell.alignment = Alignment(wrap_text=True, vertical="top",
                                           horizontal="center" if vertical_units and cell.column > 3 else None)
                if cell.value in fills and vertical_units:
                    cell.fill = PatternFill("solid", fgColor=fills[cell.value])
        if vertical_units:
            ws.row_dimensions[1].height = max(60, 13 * max(len(h) for h in header[3:] or [""]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')


def safe_filename(name: str, suffix: str, limit: int = 120) -> str:
    """A file name made from a document's text that cannot leave its folder, hide its
    suffix, or be a device on Windows.

    Control and bidi characters (``区科\u202excod.局``) are dropped; a Windows reserved
    stem, with or without dots after it (nul.txt, COM1.xlsx, CONIN$), gets a leading _;
    a name over ``limit`` bytes is cut at a character and given a stable hash of the
    whole name, so two long names stay apart.

    >>> safe_filename("../../etc/passwd", ".xlsx"), safe_filename("区科协", ".xlsx")
    ('etc_passwd.xlsx', '区科协.xlsx')
    >>> safe_filename("nul.txt", ".xlsx"), safe_filename("区科\u202exslx.exe局", ".xlsx")
    ('_nul.txt.xlsx', '区科xslx.exe局.xlsx')
    """
    base = _BIDI_AND_CONTROL.sub("", name)
    base = _UNSAFE.sub("_", base).strip(" ._")
    base = re.sub(r"_+", "_", base.replace("..", "_")).strip(" ._") or "unit"
    if base.split(".")[0].upper().rstrip(" ") in _RESERVED:
        base = f"_{base}"
    budget = limit - len(suffix.encode("utf-8"))
    if len(base.encode("utf-8")) > budget:
        tag = "-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        while len(base.encode("utf-8")) + len(tag) > budget:
            base = base[:-1]
        base = base.rstrip(" ._") + tag
    return base + suffix


# in a file name also tabs and line ends, zero-width characters, a BOM and lone surrogates
_BIDI_AND_CONTROL = re.compile(f"[{CONTROLS}\t\n\r\u200b-\u200d\ufeff\ud800-\udfff]")
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", *(f"COM{i}" for i in range(10)),
             *(f"LPT{i}" for i in range(10)), "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"}


def unit_sheet_rows(rows: Sequence[MeasureRow], unit: str) -> list[list[str]]:
    out = []
    for r in rows:
        roles = dict(r.units)
        if unit not in roles:
            continue
        partners = [f"{n}（{ROLE_LABELS[role]}）" for n, role in r.units if n != unit]
        out.append([r.id, " > ".join(r.path), r.title, ROLE_LABELS[roles[unit]], "、".join(partners),
                    "；".join(r.targets), r.deadline or ""])
    return out


SHEET_HEADER = ["序号", "章节", "任务", "角色", "合作单位", "量化目标", "完成时限"]


def write_unit_sheets(rows: Sequence[MeasureRow], folder: str | Path, fmt: str = "xlsx",
                      title: str = "") -> list[Path]:
    """One task sheet per unit in ``folder``: its measures, role, partners, targets.

    Every sheet is made first and the set written together (see
    :func:`~kepugraph.outputs.files.write_all`): a full disk leaves no half of the folder.
    """
    folder = Path(folder)
    units = list(dict.fromkeys(n for r in rows for n, _ in r.units))
    outputs: list[tuple[Path, bytes]] = []
    used: set[str] = set()
    for unit in units:
        name = safe_filename(unit, f".{fmt}")
        while name in used:
            name = name.replace(f".{fmt}", f"_.{fmt}")
        used.add(name)
        body = unit_sheet_rows(rows, unit)
        target = folder / name
        if fmt == "docx":
            data = _docx_sheet(unit, title, body)
        else:
            data = xlsx_bytes([(unit[:31].translate(str.maketrans("[]:*?/\\", "（）：＊？／＼")), SHEET_HEADER, body,
                           {"章节": 30, "任务": 40, "合作单位": 40, "量化目标": 30}, False)])
        outputs.append((target, data))
    write_all(outputs)
    return [target for target, _ in outputs]


def _docx_sheet(unit: str, title: str, body: list[list[str]]) -> bytes:
    # imported here, not at the top: +0.12 s at every start-up otherwise (measured)
    from docx import Document

    doc = Document()
    doc.add_heading(f"{unit} 任务清单", level=1)
    if title:
        doc.add_paragraph(f"依据：《{title}》")
    table = doc.add_table(rows=1, cols=len(SHEET_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, SHEET_HEADER):
        cell.text = text
    for row in body:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
