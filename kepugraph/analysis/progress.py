"""Follow-up (督办): each unit's tasks as sent out, the reports read back from the sheets units
return, and where every task stands on a given day — done, overdue, due soon, not reported.

A task is one unit on one measure. Its state on a day comes from the unit's latest report
and the measure's deadline (完成时限, read by :func:`~kepugraph.analysis.changes.due_date`):
**overdue** when the deadline has passed and the unit has not reported it done (or not
applicable); **due soon** when the deadline falls within the next N days and it is not done;
**not reported** when the unit sent nothing on it in the current round.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kepugraph.analysis.changes import due_date
from kepugraph.errors import SheetError
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.progress import ProgressReport, report_triples
from kepugraph.rdf.rows import MeasureRow
from kepugraph.reading.progress import ReturnedSheet, read_returned
from kepugraph.vocab import ROLE_LABELS, STATUS_LABELS

#: The columns of a unit's progress sheet; those after 完成时限 are the unit's to fill in.
TASK_COLUMNS = ["编号", "章节", "任务及要求", "本单位角色", "合作单位（角色）", "量化目标", "完成时限"]
INPUT_COLUMNS = ["进展状态", "进展情况", "完成日期", "报送日期", "联系人"]
PROGRESS_HEADER = TASK_COLUMNS + INPUT_COLUMNS
STATUS_BY_LABEL = {label: key for key, label in STATUS_LABELS.items()}
CLOSED = ("done", "notApplicable")  # nothing left to chase


def task_rows(rows: Sequence[MeasureRow], unit: str) -> list[list[str]]:
    """The locked cells of ``unit``'s progress sheet: a row per measure it answers for."""
    out = []
    for r in rows:
        roles = dict(r.units)
        if unit not in roles:
            continue
        partners = [f"{n}（{ROLE_LABELS[role]}）" for n, role in r.units if n != unit]
        out.append([r.id, " > ".join(r.path), r.text or r.title, ROLE_LABELS[roles[unit]], "、".join(partners),
                    "；".join(r.targets), r.deadline or ""])
    return out


def _same(a: str, b: str) -> bool:
    # a spreadsheet or a word processor may wrap, pad or re-space a cell; the words must stay
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def sheet_reports(sheet: ReturnedSheet, rows: Sequence[MeasureRow], today: dt.date) -> list[ProgressReport]:
    """The reports one returned sheet makes, checked against the plan's rows.

    A row whose input cells are all empty reports nothing; every other row must be a task
    of the sheet's unit, with its locked cells as sent and a status from the list.

    Raises:
        SheetError: an unknown unit or 编号, a measure that is not the unit's, a locked cell
            changed, a status not in the list, a date that cannot be read.
    """
    def fail(row, problem):
        raise SheetError(sheet.path, sheet.sheet, row, problem)

    units = {n for r in rows for n, _ in r.units}
    if sheet.unit not in units:
        fail(None, f"单位“{sheet.unit}”不在方案中")
    by_id = {r.id: r for r in rows}
    expected = {t[0]: t for t in task_rows(rows, sheet.unit)}
    dates = [c["报送日期"] for _, c in sheet.rows if c.get("报送日期")]
    out = []
    for n, cells in sheet.rows:
        mid = cells.get("编号", "")
        if not mid and not any(cells.get(c) for c in INPUT_COLUMNS):
            continue
        if mid not in by_id:
            fail(n, f"编号 {mid or '（空）'} 不是方案中的任务")
        if mid not in expected:
            fail(n, f"任务 {mid} 不是{sheet.unit}的任务（{sheet.unit}不在其责任单位中）")
        for column, value in zip(TASK_COLUMNS, expected[mid]):
            if not _same(cells.get(column, ""), value):
                fail(n, f"“{column}”列被改动（该列不可编辑，原为“{value[:30]}”）")
        if not any(cells.get(c) for c in INPUT_COLUMNS):
            continue
        label = cells.get("进展状态", "")
        if label not in STATUS_BY_LABEL:
            fail(n, f"进展状态“{label}”不在列表中（{' / '.join(STATUS_LABELS.values())}）" if label else
                 f"进展状态为空（{' / '.join(STATUS_LABELS.values())}）")
        reported = _date(cells.get("报送日期") or (dates[0] if dates else ""), today.year)
        if reported is None:
            fail(n, f"报送日期“{cells.get('报送日期') or ''}”不是可读的日期（如 2025年6月30日、2025.6.30）"
                 if cells.get("报送日期") or dates else "报送日期为空")
        completed = None
        if cells.get("完成日期"):
            completed = _date(cells["完成日期"], int(reported[:4]))
            if completed is None:
                fail(n, f"完成日期“{cells['完成日期']}”不是可读的日期（如 2025年6月30日、2025.6.30）")
        out.append(ProgressReport(measure=by_id[mid].iri, unit=sheet.unit, status=STATUS_BY_LABEL[label],
                                  reported=reported, round=sheet.round, note=cells.get("进展情况", ""),
                                  completed=completed, contact=cells.get("联系人", ""), file=sheet.path.name, row=n))
    return out


def due_date_triples(rows: Sequence[MeasureRow], year: int | None = None) -> list[tuple]:
    """``kp:dueDate`` of every measure whose deadline can be read, for SPARQL to compare
    with a day (the overdue query): 2025年6月底前 → 2025-06-30."""
    out = []
    for r in rows:
        due = due_date(r.deadline or "", year=year)
        if due:
            out.append((URIRef(r.iri), KP.dueDate, Literal(due, datatype=XSD.date)))
    return out


def plan_year(meta: dict[str, str]) -> int | None:
    """The year of a plan's date of issue: 6月份 in a plan of 2017 is June 2017."""
    issued = meta.get("date") or ""
    return int(issued[:4]) if issued[:4].isdigit() else None


@dataclass
class ImportResult:
    graph: str  # the graph file, or the store, the reports went into
    files: int
    sheets: int
    reports: int  # reports read from the files
    new: int  # reports not held before

    def summary(self) -> str:
        return f"{self.files} files, {self.sheets} sheets: {self.reports} reports, {self.new} new → {self.graph}"


def read_reports(files, rows: Sequence[MeasureRow], today: dt.date, max_bytes: int | None = None):
    """Every report of the returned ``files``, checked against the plan's ``rows`` (see
    :func:`sheet_reports`); returns (reports, how many sheets)."""
    reports, sheets = [], 0
    for f in files:
        for sheet in read_returned(f, max_bytes=max_bytes):
            sheets += 1
            reports += sheet_reports(sheet, rows, today)
    return reports, sheets


def report_additions(reports: Sequence[ProgressReport], rows: Sequence[MeasureRow], year: int | None) -> Graph:
    """What an import adds: the reports, and the deadlines as days for the overdue query."""
    g = Graph()
    for triple in report_triples(reports) + due_date_triples(rows, year):
        g.add(triple)
    return g


def _date(text: str, year: int) -> str | None:
    """A date as a unit writes it (2025年6月30日, 2025.6.30, 6月底前), as ISO."""
    return due_date(text, year=year) if text else None


# ---------------------------------------------------------------- where things stand

@dataclass
class TaskState:
    """One unit on one measure, on a given day."""

    id: str
    ordinal: int
    title: str
    unit: str
    role: str
    deadline: str  # as written
    due: str | None  # ISO: the last day the deadline allows
    latest: ProgressReport | None  # the unit's latest report on it, any round
    reported: bool  # a report in the current round
    overdue: bool
    due_soon: bool
    days: int | None  # days past the deadline (>0) or left before it (<=0)

    @property
    def status(self) -> str:
        """The latest status's label, or 未报送."""
        return STATUS_LABELS[self.latest.status] if self.latest else "未报送"

    @property
    def state(self) -> str:
        """done, overdue, due_soon or not_reported for the pages' colours; else the status key."""
        if self.latest and self.latest.status in CLOSED:
            return "done"
        if self.overdue:
            return "overdue"
        if self.due_soon:
            return "due_soon"
        if not self.reported:
            return "not_reported"
        return self.latest.status


@dataclass
class UnitProgress:
    unit: str
    tasks: int
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    behind: int = 0
    overdue: int = 0
    due_soon: int = 0
    not_reported: int = 0  # tasks without a report in the current round


@dataclass
class Progress:
    """Where a plan's follow-up stands on ``today``."""

    today: str
    round: str | None  # the current round
    rounds: list[str]
    tasks: list[TaskState]
    units: list[UnitProgress]  # most overdue first
    overdue: list[TaskState]  # most days past the deadline first
    due_soon: list[TaskState]  # soonest first
    not_reported: list[str]  # units with tasks and no report in the current round, in plan order

    def measures(self) -> list[dict]:
        """Per measure, in plan order: its deadline and each unit's latest status."""
        out: dict[str, dict] = {}
        for t in self.tasks:
            m = out.setdefault(t.id, {"id": t.id, "title": t.title, "deadline": t.deadline, "due": t.due,
                                      "overdue": False, "units": []})
            m["overdue"] = m["overdue"] or t.overdue
            m["units"].append((t.unit, t.status))
        return list(out.values())


def rounds_of(reports: Sequence[ProgressReport]) -> list[str]:
    """The rounds, oldest first (by the earliest report of each)."""
    first: dict[str, str] = {}
    for r in reports:
        first[r.round] = min(first.get(r.round, r.reported), r.reported)
    return sorted(first, key=lambda k: (first[k], k))


def progress(rows: Sequence[MeasureRow], reports: Sequence[ProgressReport], today: dt.date, within: int = 3,
             round: str | None = None, year: int | None = None) -> Progress:
    """Where every task stands on ``today``.

    A task closed in an earlier round (已完成, 不适用) needs no report again; any other task
    of a unit counts as not reported until the unit reports on it in the current round.

    Args:
        within: a task is due soon when its deadline is at most this many days away.
        round: the current round (default: the latest one reported).
        year: the year of a deadline written without one (6月份, 12月底前): the plan's.
    """
    rounds = rounds_of(reports)
    current = round or (rounds[-1] if rounds else None)
    latest: dict[tuple[str, str], ProgressReport] = {}
    in_round: set[tuple[str, str]] = set()
    for r in sorted(reports, key=lambda r: (r.reported, rounds.index(r.round), r.row)):
        latest[(r.measure, r.unit)] = r
        if r.round == current:
            in_round.add((r.measure, r.unit))
    tasks = []
    for m in rows:
        due = due_date(m.deadline or "", year=year)
        days = (today - dt.date.fromisoformat(due)).days if due else None
        for unit, role in m.units:
            last = latest.get((m.iri, unit))
            open_ = not (last and last.status in CLOSED)
            tasks.append(TaskState(m.id, m.ordinal, m.title, unit, role, m.deadline or "", due, last,
                                   (m.iri, unit) in in_round or not open_, open_ and days is not None and days > 0,
                                   open_ and days is not None and -within <= days <= 0, days))
    units: dict[str, UnitProgress] = {}
    for t in tasks:
        u = units.setdefault(t.unit, UnitProgress(t.unit, 0))
        u.tasks += 1
        status = t.latest.status if t.latest else None
        u.done += status == "done"
        u.in_progress += status == "inProgress"
        u.not_started += status == "notStarted"
        u.behind += status == "behind"
        u.overdue += t.overdue
        u.due_soon += t.due_soon
        u.not_reported += not t.reported
    order = {n: k for k, n in enumerate(units)}
    ranked = sorted(units.values(), key=lambda u: (-u.overdue, -u.behind, -u.not_reported, order[u.unit]))
    heard = {r.unit for r in reports if r.round == current}
    return Progress(
        today=today.isoformat(), round=current, rounds=rounds, tasks=tasks, units=ranked,
        overdue=sorted((t for t in tasks if t.overdue), key=lambda t: (-t.days, t.ordinal, order[t.unit])),
        due_soon=sorted((t for t in tasks if t.due_soon), key=lambda t: (-t.days, t.ordinal, order[t.unit])),
        not_reported=[n for n in units if n not in heard])
