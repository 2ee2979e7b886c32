"""Dates and versions: what is due by a date, and what changed between two plans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kepugraph import analysis, api
from kepugraph.cli.main import main
from kepugraph.cli.options import answer, emit, format_option, graph_option
from kepugraph.outputs.tables import format_rows
from kepugraph.rdf.rows import plan_rows
from kepugraph.vocab import ROLE_LABELS

_GRAPH_SUFFIXES = {".ttl", ".nt", ".jsonld", ".rdf", ".xml", ".trig", ".nq"}
_CHANGES = {"added": "新增", "removed": "删除", "changed": "修改", "same": "不变"}


def _iso(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2025-12-31") from None


@main.command()
@click.option("--before", metavar="DATE", callback=_iso, help="Only what is due on or before DATE (2025-12-31).")
@graph_option
@format_option()
def deadlines(before, source, fmt, output):
    """截止时间：有完成时限或带年份目标的任务，按日期排序。 Measures with a deadline or a dated target, by date.

    Every measure with a deadline or a dated target, soonest first (undated last),
    with its units. 2025年6月底前 counts as 2025-06-30.

    Example: kepugraph deadlines --before 2025-12-31
    """
    scope, by_plan = source.scope(), {}
    for r in source.rows():
        by_plan.setdefault(r.plan, []).append(r)
    # each plan's measures on their own (ids repeat across plans), then all by date, undated last
    found = sorted(((d, scope.label_of(plan)) for plan, rows in by_plan.items()
                    for d in analysis.deadlines(rows, before=before)), key=lambda x: (x[0].date is None, x[0].date or ""))
    rows = [{"date": d.date or "", "deadline": d.deadline, "id": d.id, "title": d.title, "plan": plan,
             "units": "、".join(f"{n}({ROLE_LABELS[r]})" for n, r in d.units), "source": d.source} for d, plan in found]
    json_rows = [{**{k: v for k, v in r.items() if k != "plan"}, "date": r["date"] or None,
                  "units": [{"name": n, "role": ro} for n, ro in d.units]} for r, (d, _) in zip(rows, found)]
    n = len(source.rows())
    empty = ((f"没有在 {before} 或之前到期的任务" if before else "没有写明完成时限或带年份目标的任务") + f"（共 {n} 项任务）",
             (f"No measure is due on or before {before}" if before else "No measure has a deadline or a dated target")
             + f" ({n} measures)")
    answer(source, rows, ["date", "deadline", "id", "title", "units"], fmt, ["日期", "完成时限", "序号", "任务", "单位"],
           output, json_rows=json_rows, empty=empty)


def _rows_of(path: str):
    if Path(path).suffix.lower() in _GRAPH_SUFFIXES:
        return api.rows(api.load(path))
    return plan_rows(api.parse(path))


@main.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--all", "show_all", is_flag=True, help="Also list the measures that did not change.")
@format_option()
def diff(old, new, show_all, fmt, output):
    """版本比较：两个方案（或一个方案的两个版本）之间新增、删除、修改的任务。 Measures added, removed and changed between two plans.

    Measures are matched by the similarity of their titles; for each matched pair,
    the units added or dropped and the roles that changed. OLD and NEW are plan
    files or graphs built by 'kepugraph build'.

    Example: kepugraph diff 征求意见稿.docx 正式印发.docx
    """
    changes = analysis.diff(_rows_of(old), _rows_of(new))
    if not show_all:
        changes = [c for c in changes if c.change != "same"]
    rows = [{"change": c.change, "change_zh": _CHANGES[c.change], "old": c.old.id if c.old else "", "new": c.new.id if c.new else "",
             "title": (c.new or c.old).title, "added": "、".join(c.units_added), "dropped": "、".join(c.units_dropped),
             "roles": "；".join(c.roles_changed)} for c in changes]
    json_rows = [{"change": c.change, "old": c.old.id if c.old else None, "new": c.new.id if c.new else None,
                  "title": (c.new or c.old).title, "similarity": c.similarity, "units_added": c.units_added,
                  "units_dropped": c.units_dropped, "roles_changed": c.roles_changed} for c in changes]
    emit(format_rows(rows, ["change_zh", "old", "new", "title", "added", "dropped", "roles"], fmt,
                     ["变化", "原序号", "新序号", "任务", "新增单位", "删去单位", "角色变化"], json_rows=json_rows), output, fmt)
