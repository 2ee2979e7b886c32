"""After the plan is split: correct it (review), send it out and follow it up (督办)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kepugraph import api
from kepugraph.cli.main import main
from kepugraph.cli.options import answer, graph_option
from kepugraph.reading.source import DEFAULT_MAX_BYTES
from kepugraph.vocab import ROLE_LABELS


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The review workbook to write (.xlsx).")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, type=click.IntRange(1),
              help="Refuse input files larger than this.")
def review(file, output, max_bytes):
    """审核表：在 Excel 中改正解析结果。 Write an editable workbook of what the parser read from FILE.

    One row per measure: 编号 (locked), 章节, 任务, 全文, 牵头/配合/负责单位
    (names parted by 、, a drop-down of the plan's units), 完成时限, 量化目标, the
    source line and the parser's warnings. Correct it in Excel or WPS, then
    'kepugraph build FILE.xlsx' reads it back exactly: an edited cell changes that
    fact, a deleted row removes the measure, a row added at the end adds one. The
    corrected plan keeps the plan's identity and replaces its graph.

    Example: kepugraph review plan.docx -o 审核表.xlsx
    """
    if Path(output).suffix.lower() != ".xlsx":
        raise click.BadParameter("must end in .xlsx", param_hint="'-o'")
    plan, path = api.review(file, output, max_bytes=max_bytes)
    if file is None:  # the bundled sample, said as every command says it
        click.echo(f"示例方案：{plan.meta.title}；审核自己的方案：kepugraph review 文件 -o 审核表.xlsx")
    units = len(plan.units())
    click.echo(f"{len(plan.measures)} measures, {units} units, {len(plan.warnings)} warnings → {path}")


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2025-07-01") from None


_VIEWS = ("units", "measures", "overdue", "due-soon", "not-reported")


@main.group(invoke_without_command=True)
@click.option("--view", type=click.Choice(_VIEWS), default="units", show_default=True,
              help="units: counts per unit, most overdue first; measures: each unit's latest status per measure; "
                   "overdue, due-soon, not-reported: those lists.")
@click.option("--today", callback=_date, metavar="DATE", help="The day to judge deadlines on (default: today).")
@click.option("--within", type=click.IntRange(0), default=3, show_default=True,
              help="Due soon: the deadline at most this many days away.")
@click.option("--round", "round_", metavar="ROUND", help="The current round (default: the latest reported).")
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json", "xlsx", "docx")), default="table",
              show_default=True, help="Output format; xlsx and docx write the notice (情况通报) to -o.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
@graph_option
@click.pass_context
def progress(ctx, view, today, within, round_, fmt, output, source):
    """督办：各单位进展、逾期、即将到期、未报送。 Where the follow-up stands: per unit, per measure, overdue, not reported.

    Reads the reports that 'kepugraph progress import' added to the plan (the
    workspace's, or --graph FILE.ttl).
    Overdue: the deadline (完成时限) has passed and the unit has not reported the
    task done; due soon: the deadline is within --within days; not reported: a
    unit with tasks and no report in the current round. With --format xlsx or
    docx, writes the notice (情况通报): a summary paragraph, the per-unit table,
    the overdue list and the units that did not report, ready to print on A4.

    Example: kepugraph progress --view overdue --today 2025-07-01
    """
    if ctx.invoked_subcommand is not None:
        return
    scope = source.scope()
    if scope.several:
        raise click.UsageError("follow-up is for one plan: pick it with --plan ID")
    p = api.follow_up(source, today=today, within=within, round_=round_)
    if fmt in ("xlsx", "docx"):
        if not output or Path(output).suffix.lower() != f".{fmt}":
            raise click.UsageError(f"--format {fmt} writes the notice: give -o FILE.{fmt}")
        click.echo(scope.line())
        click.echo(f"{len(p.tasks)} tasks, {len(p.overdue)} overdue, {len(p.not_reported)} units not reported "
                   f"→ {api.notice(p, output, title=source.title(), within=within)}")
        return
    rows, columns, headers, json_rows = _view(p, view)
    answer(source, rows, columns, fmt, headers, output, json_rows=json_rows)


def _view(p, view: str):
    if view == "units":
        rows = [{"unit": u.unit, "tasks": u.tasks, "done": u.done, "in_progress": u.in_progress,
                 "not_started": u.not_started, "behind": u.behind, "overdue": u.overdue, "due_soon": u.due_soon,
                 "not_reported": u.not_reported} for u in p.units]
        return rows, list(rows[0]) if rows else [], ["单位", "任务数", "已完成", "推进中", "未启动", "滞后", "逾期",
                                                    "即将到期", "未报送"], None
    if view == "measures":
        ms = p.measures()
        rows = [{"id": m["id"], "title": m["title"], "deadline": m["deadline"],
                 "units": "、".join(f"{n}：{s}" for n, s in m["units"])} for m in ms]
        json_rows = [{**m, "units": [{"unit": n, "status": s} for n, s in m["units"]]} for m in ms]
        return rows, ["id", "title", "deadline", "units"], ["编号", "任务", "完成时限", "各单位最新进展"], json_rows
    if view == "not-reported":
        tasks = {u.unit: u.tasks for u in p.units}
        rows = [{"unit": n, "tasks": tasks[n], "round": p.round or ""} for n in p.not_reported]
        return rows, ["unit", "tasks", "round"], ["单位", "任务数", "报送轮次"], None
    chosen = p.overdue if view == "overdue" else p.due_soon
    rows = [{"id": t.id, "title": t.title, "deadline": t.deadline, "due": t.due or "",
             "days": t.days if view == "overdue" else -t.days, "unit": t.unit, "role": ROLE_LABELS[t.role],
             "status": t.status} for t in chosen]
    return rows, list(rows[0]) if rows else ["id", "title", "deadline", "due", "days", "unit", "role", "status"], [
        "编号", "任务", "完成时限", "截止日期", "逾期天数" if view == "overdue" else "剩余天数", "单位", "角色", "最新进展"], None


@progress.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--graph", "graph_path", type=click.Path(dir_okay=False),
              help="A plan's Turtle graph (built by 'kepugraph build') to add the reports to; default: the plan of "
                   "the workspace.")
@click.option("--store", "store_spec", metavar="oxigraph:DIR", help="A store other than the workspace.")
@click.option("--plan", "plan_id", metavar="ID", help="The plan the sheets belong to, when the workspace holds several.")
@click.option("--today", callback=_date, metavar="DATE",
              help="The year a date without one (6月底前) is read in (default: today).")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, type=click.IntRange(1),
              help="Refuse files larger than this.")
def import_(files, graph_path, store_spec, plan_id, today, max_bytes):
    """读回各单位报送的进展表。 Read the progress sheets units returned (.xlsx, .docx) into the graph.

    Any number of files, from any round; a sheet re-saved in WPS or LibreOffice
    reads the same. Each filled row becomes a dated report (kp:ProgressReport):
    which unit reported what status on which measure on which day, kept with the
    plan in the workspace (or in the --graph file). Earlier rounds are kept and a
    rebuild of the plan keeps them; importing a file again changes nothing. A cell that cannot be taken
    (an unknown 编号, another unit's task, a locked column edited, a status not in
    the list) stops the import with file, sheet and row, and nothing is added.

    Example: kepugraph progress import 返回/*.xlsx 返回/*.docx
    """
    if graph_path and (store_spec or plan_id):
        raise click.UsageError("--graph names the plan's graph file: --store and --plan pick a plan of a store instead")
    click.echo(api.import_progress(list(files), graph=graph_path, store=store_spec, plan=plan_id, today=today,
                                   max_bytes=max_bytes).summary())
