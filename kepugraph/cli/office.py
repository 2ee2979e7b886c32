"""What an office opens: the responsibility matrix and one task sheet per unit."""

from __future__ import annotations

from pathlib import Path

import click

from kepugraph import api
from kepugraph.cli.main import main
from kepugraph.cli.options import graph_option
from kepugraph.outputs.sheets import write_matrix, write_unit_sheets


@main.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="FILE.xlsx (matrix and 任务分工表 sheets) or FILE.csv (the matrix, UTF-8 with BOM).")
@graph_option
def matrix(output, source):
    """责任矩阵和任务分工表。 The responsibility matrix: a row per measure, a column per unit (牵头/配合/负责).

    The .xlsx has a second sheet, the 任务分工表 (序号 | 任务 | 牵头单位 |
    配合/责任单位 | 完成时限 | 量化目标). Both are titled with the plan's 文号 and
    date and print on A4 landscape, one page wide, the header on every page.

    Example: kepugraph matrix -o 任务分工.xlsx
    """
    if Path(output).suffix.lower() not in (".xlsx", ".csv"):
        raise click.BadParameter("must end in .xlsx or .csv", param_hint="'-o'")

    rows, scope = source.rows(), source.scope()
    path = write_matrix(rows, output, meta=source.meta(), plan_of=scope.label_of if scope.several else None)
    click.echo(scope.line())
    click.echo(f"{len(rows)} measures × {len({n for r in rows for n, _ in r.units})} units → {path}")


@main.command()
@click.option("-o", "--out-dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the sheets, one file per unit.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "docx"]), default="xlsx", show_default=True,
              help="File format of the sheets.")
@click.option("--progress", "progress_round", metavar="ROUND",
              help="进展表: sheets to report progress on in round ROUND (2025年6月), with the columns a unit "
                   "fills in (进展状态 …); read back with 'kepugraph progress import'.")
@graph_option
def sheets(out_dir, fmt, progress_round, source):
    """任务清单：每个单位一份。 One task sheet per unit, ready to send to that bureau.

    Each lists the unit's measures in full (the requirement to act on) with
    heading path and the unit's role, the partner units with theirs, the
    quantitative targets and deadline; titled with the plan's 文号 and date,
    A4 landscape.

    With --progress ROUND, each is a 任务进展表 with the columns the unit fills
    in: 进展状态 (a drop-down: 未启动 / 推进中 / 已完成 / 滞后 / 不适用), 进展情况,
    完成日期, 报送日期, 联系人; the rest locked.

    Example: kepugraph sheets -o sheets --format docx
    """
    scope = source.scope()
    if progress_round:
        if scope.several:
            raise click.UsageError("progress sheets are for one plan: pick it with --plan ID")
        written = api.progress_sheets(source, out_dir, progress_round, fmt=fmt)
        click.echo(scope.line())
        click.echo(f"{len(written)} progress sheets for {progress_round} → {out_dir}")
        return
    written = write_unit_sheets(source.rows(), out_dir, fmt=fmt, meta=source.meta(),
                                plan_of=scope.label_of if scope.several else None)
    click.echo(scope.line())
    click.echo(f"{len(written)} sheets → {out_dir}")
