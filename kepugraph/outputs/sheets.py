"""Files people open: the responsibility matrix and per-unit task sheets (XLSX, CSV, DOCX)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence

from kepugraph.outputs.files import write_all, write_atomic
from kepugraph.outputs.scope import BUILD_HINT_ZH
from kepugraph.outputs.tables import delimited
from kepugraph.outputs.workbook import Sheet, docx_bytes, xlsx_bytes
from kepugraph.rdf.rows import MeasureRow
from kepugraph.safety import BOM, CONTROLS
from kepugraph.vocab import ROLE_LABELS

MATRIX_SHEET = "责任矩阵"
DIVISION_SHEET = "任务分工表"


PlanOf = Callable[[str], str]  # plan IRI → what a 方案 column shows


def _with_plan(header: list[str], body: list[list], rows: Sequence[MeasureRow], plan_of: PlanOf | None):
    """With several plans (``plan_of`` given), a 方案 column after 序号."""
    if plan_of is None:
        return header, body
    return header[:1] + ["方案"] + header[1:], [b[:1] + [plan_of(r.plan)] + b[1:] for b, r in zip(body, rows)]


def matrix_table(rows: Sequence[MeasureRow], plan_of: PlanOf | None = None) -> tuple[list[str], list[list]]:
    """The responsibility matrix: a row per measure, a column per unit (busiest first).

    序号 counts the measures from 1 in document order; cells are 牵头, 配合 or 负责
    (jointly responsible), empty where the unit is absent. ``plan_of`` adds a 方案 column.
    """
    load = Counter(n for r in rows for n, _ in r.units)
    units = sorted(load, key=lambda n: (-load[n], n))
    header = ["序号", "章节", "任务"] + units  # 章节: the heading the measure stands under
    body = []
    for i, r in enumerate(rows, 1):
        roles = dict(r.units)
        body.append([i, r.path[-1] if r.path else "", r.title] + [ROLE_LABELS.get(roles.get(u, ""), "") for u in units])
    return _with_plan(header, body, rows, plan_of)


DIVISION_HEADER = ["序号", "任务", "牵头单位", "配合/责任单位", "完成时限", "量化目标"]


def division_table(rows: Sequence[MeasureRow], plan_of: PlanOf | None = None) -> tuple[list[str], list[list]]:
    """The 任务分工表 a 督查 office keeps: 序号 | 任务 (the measure's full text) | 牵头单位 |
    配合/责任单位 | 完成时限 | 量化目标.

    Units jointly responsible (按职责分工负责) go with the 配合/责任单位, marked （负责）
    where the measure also has a lead.
    """
    body = []
    for i, r in enumerate(rows, 1):
        lead = [n for n, role in r.units if role == "lead"]
        rest = [n + ("（负责）" if lead and role == "joint" else "") for n, role in r.units if role != "lead"]
        body.append([i, r.text or r.title, "、".join(lead), "、".join(rest), r.deadline or "", "；".join(r.targets)])
    return _with_plan(DIVISION_HEADER, body, rows, plan_of)


def plan_heading(meta: dict[str, str]) -> str:
    """The line naming the plan a sheet comes from: 《title》（文号，date）, or the corpus.

    >>> plan_heading({"title": "某方案", "doc_number": "某政发〔2022〕1号", "date": "2022-05-31"})
    '《某方案》（某政发〔2022〕1号，2022年5月31日）'
    >>> plan_heading({"corpus": "3 份方案"})
    '3 份方案'
    """
    if meta.get("corpus"):
        return meta["corpus"]
    if meta.get("sample"):  # the bundled plan answering because none was built: never taken for one's own
        return f"示例方案 {plan_heading({k: v for k, v in meta.items() if k != 'sample'})}（{BUILD_HINT_ZH}）"
    date = meta.get("date") or ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        y, m, d = date.split("-")
        date = f"{y}年{int(m)}月{int(d)}日"
    extra = "，".join(v for v in (meta.get("doc_number"), date) if v)
    title = meta.get("title", "")
    return (f"《{title}》" if title else "") + (f"（{extra}）" if extra else "")


def write_matrix(rows: Sequence[MeasureRow], path: str | Path, meta: dict[str, str] | None = None,
                 plan_of: PlanOf | None = None) -> Path:
    """Write the matrix as .xlsx (two sheets, set up to print) or .csv (the matrix, UTF-8
    with BOM). ``meta`` (title, doc_number, date) heads each sheet and is the CSV's first row;
    ``plan_of`` (several plans) adds a 方案 column."""
    path = Path(path)
    header, body = matrix_table(rows, plan_of)
    source = plan_heading(meta or {})
    if path.suffix.lower() == ".csv":
        head = delimited([], [""], [source]) if source else ""
        data = (head + delimited([dict(zip(header, b)) for b in body], header)).encode("utf-8")
        write_atomic(path, BOM + data)
        return path
    sheets = [Sheet(MATRIX_SHEET, header, body, {"章节": 40, "任务": 46}, title=MATRIX_SHEET, subtitle=source,
                    matrix=True),
              Sheet(DIVISION_SHEET, *division_table(rows, plan_of), {"任务": 70, "牵头单位": 20, "配合/责任单位": 40,
                                                            "完成时限": 12, "量化目标": 30},
                    title=DIVISION_SHEET, subtitle=source)]
    write_atomic(path, xlsx_bytes(sheets))
    return path


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


SHEET_HEADER = ["序号", "章节", "任务及要求", "本单位角色", "合作单位（角色）", "量化目标", "完成时限"]
SHEET_WIDTHS_XLSX = {"章节": 22, "任务及要求": 70, "合作单位（角色）": 34, "量化目标": 26, "完成时限": 12}
SHEET_WIDTHS_CM = [1.2, 3.4, 10.8, 1.6, 4.6, 3.2, 1.9]  # fits A4 landscape inside 1.5 cm margins


def unit_files(rows: Sequence[MeasureRow], fmt: str, title: str = "") -> list[tuple[str, str]]:
    """Each unit of ``rows`` (in order of first mention) with the file name of its sheet: the
    unit's name (+ ``title``) made safe, two names that come out alike kept apart by a _.

    >>> unit_files([], "xlsx")
    []
    """
    out, used = [], set()
    for unit in dict.fromkeys(n for r in rows for n, _ in r.units):
        name = safe_filename(f"{unit}{title}", f".{fmt}")
        while name in used:
            name = name.replace(f".{fmt}", f"_.{fmt}")
        used.add(name)
        out.append((unit, name))
    return out


def unit_sheet_rows(rows: Sequence[MeasureRow], unit: str, plan_of: PlanOf | None = None) -> list[list]:
    """The rows of ``unit``'s task sheet, with the 序号 of the 任务分工表 (and the 方案, with ``plan_of``)."""
    out = []
    for i, r in enumerate(rows, 1):
        roles = dict(r.units)
        if unit not in roles:
            continue
        partners = [f"{n}（{ROLE_LABELS[role]}）" for n, role in r.units if n != unit]
        out.append([i] + ([plan_of(r.plan)] if plan_of else []) +
                   [" > ".join(r.path), r.text or r.title, ROLE_LABELS[roles[unit]], "、".join(partners),
                    "；".join(r.targets), r.deadline or ""])
    return out


def sheet_summary(body: Sequence[Sequence]) -> str:
    """共 5 项任务：牵头 1 项，负责 4 项 — the count line under a sheet's title."""
    counts = Counter(row[-4] for row in body)  # 本单位角色, fourth from the end
    parts = "，".join(f"{label} {counts[label]} 项" for label in ("牵头", "配合", "负责") if counts[label])
    return f"共 {len(body)} 项任务：{parts}" if body else "共 0 项任务"


def write_unit_sheets(rows: Sequence[MeasureRow], folder: str | Path, fmt: str = "xlsx",
                      meta: dict[str, str] | None = None, plan_of: PlanOf | None = None) -> list[Path]:
    """One task sheet per unit in ``folder``: each measure's full text, section, the
    unit's role, partners with theirs, targets and deadline; titled with the unit and the
    plan's title, 文号 and date (``meta``), set up to print (A4 landscape).

    Every sheet is made first and the set written together (see
    :func:`~kepugraph.outputs.files.write_all`): a full disk leaves no half of the folder.
    """
    folder = Path(folder)
    source = plan_heading(meta or {})
    outputs: list[tuple[Path, bytes]] = []
    for unit, name in unit_files(rows, fmt):
        body = unit_sheet_rows(rows, unit, plan_of)
        header, widths_cm = SHEET_HEADER, SHEET_WIDTHS_CM
        if plan_of:  # several plans: 方案 after 序号, its width taken from 任务及要求
            header = SHEET_HEADER[:1] + ["方案"] + SHEET_HEADER[1:]
            widths_cm = SHEET_WIDTHS_CM[:1] + [2.4] + SHEET_WIDTHS_CM[1:2] + [SHEET_WIDTHS_CM[2] - 2.4] + \
                SHEET_WIDTHS_CM[3:]
        heading = f"{unit}任务清单"
        lines = [line for line in (f"依据：{source}" if source else "", sheet_summary(body)) if line]
        if fmt == "docx":
            data = docx_bytes(heading, lines, header, body, widths_cm)
        else:
            sheet_name = unit[:31].translate(str.maketrans("[]:*?/\\", "（）：＊？／＼"))
            data = xlsx_bytes([Sheet(sheet_name, header, body, SHEET_WIDTHS_XLSX, title=heading,
                                     subtitle="　".join(lines))])
        outputs.append((folder / name, data))
    write_all(outputs)
    return [target for target, _ in outputs]
