"""After the plan is split: correct it (review), send it out and follow it up (督办)."""

from __future__ import annotations

from pathlib import Path

import click

from kepugraph import api
from kepugraph.cli.main import main
from kepugraph.reading.source import DEFAULT_MAX_BYTES


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
    units = len(plan.units())
    click.echo(f"{len(plan.measures)} measures, {units} units, {len(plan.warnings)} warnings → {path}")
