"""Commands on a corpus store: building it, its plans, removing one, cascades across levels."""

from __future__ import annotations

import sys

import click

from kepugraph import api
from kepugraph.cli.main import main
from kepugraph.cli.options import emit, format_option
from kepugraph.errors import KepugraphError
from kepugraph.outputs.tables import format_rows
from kepugraph.reading.source import BUNDLED_PLAN
from kepugraph.store import Corpus, buildable_store_dir
from kepugraph.store.sources import discover
from kepugraph.store.workspace import workspace_built, workspace_spec
from kepugraph.vocab import ROLE_LABELS


def build_corpus(paths, store_spec: str, workers: int | None, aliases: dict[str, str] | None,
                 max_bytes: int) -> None:
    folder = buildable_store_dir(store_spec)
    files = discover(paths or [BUNDLED_PLAN])
    counts = {"measures": 0, "warnings": 0}
    with Corpus(folder) as corpus:
        if sys.stderr.isatty():  # a bar on a terminal only; logs and pipes stay quiet
            stage = {"now": ""}
            with click.progressbar(length=len(files), label="plans", file=sys.stderr,
                                   item_show_func=lambda _: f"{counts['measures']} measures, "
                                                            f"{counts['warnings']} warnings{stage['now']}") as bar:
                def step(parsed):
                    if not isinstance(parsed, str):
                        counts["measures"] += parsed.measures
                        counts["warnings"] += parsed.warnings
                    bar.update(1, parsed)

                def then(what):  # after the last plan is parsed: "loading", "linking"
                    stage["now"] = f"; {what}…"
                    bar.render_progress()

                report = corpus.build(files, workers=workers, progress=step, aliases=aliases, max_bytes=max_bytes,
                                      stage=then)
                stage["now"] = ""
                bar.render_progress()
        else:
            report = corpus.build(files, workers=workers, aliases=aliases, max_bytes=max_bytes)
    for parsed in report.loaded:
        for line in parsed.warning_lines:
            click.echo(f"warning: {line}", err=True)
    for failed in report.failed:
        click.echo(f"error: {failed.error}", err=True)
    click.echo(f"{len(report.loaded)} plans loaded, {len(report.skipped)} unchanged, {len(report.failed)} failed; "
               f"{report.measures} measures, {report.warnings} warnings → {store_spec}")
    if report.failed and not report.loaded and not report.skipped:
        raise KepugraphError(f"{store_spec}: no plan could be loaded")


STORE_HELP = "The corpus store; default: the workspace (graph/store, or $KEPUGRAPH_STORE)."


@main.command()
@click.argument("plan_id", metavar="PLAN")
@click.option("--store", "store_spec", metavar="oxigraph:DIR", help=STORE_HELP)
def remove(plan_id, store_spec):
    """从方案库删除一个方案。 Remove one plan (its named graph) from a corpus store or the workspace; the others stay.

    PLAN is the plan's id, 文号, title or the name of the file it was built from.

    Example: kepugraph remove 泰山政办字-2022-7号 --store oxigraph:corpus
    """
    source = api.Source(store=store_spec or workspace_spec())
    try:
        iri = source.corpus.remove(plan_id)
    finally:
        source.close()
    click.echo(f"removed <{iri}>")


@main.command()
@click.option("--store", "store_spec", metavar="oxigraph:DIR", help=STORE_HELP)
@format_option()
def plans(store_spec, fmt, output):
    """方案库里的方案。 The plans of a corpus store or the workspace: id, title, measures, the plan each implements.

    Example: kepugraph plans --store oxigraph:corpus
    """
    if not store_spec and not workspace_built(workspace_spec()):
        emit(format_rows([], ["id"], fmt, ["编号"], empty=f"工作区 {workspace_spec()} 里还没有方案；建立：kepugraph build 文件"),
             output, fmt)
        return
    source = api.Source(store=store_spec or workspace_spec())
    try:
        rows = source.corpus.plan_summary()
    finally:
        source.close()
    emit(format_rows(rows, ["id", "title", "measures", "implements"], fmt, ["编号", "标题", "任务数", "依据"]), output, fmt)


@main.command()
@click.argument("query", metavar="MEASURE")
@click.option("--store", "store_spec", required=True, metavar="oxigraph:DIR", help="The corpus store.")
def cascade(query, store_spec):
    """逐级落实：下级方案中的对应任务及其单位。 Follow a measure down the levels: the aligned measures and their units.

    MEASURE is a measure's IRI, 'PLAN#m3', or words of its title; the tree starts
    at the highest-level measure that matches.

    Example: kepugraph cascade 完善校内外科技教育合作联动机制 --store oxigraph:corpus
    """
    source = api.Source(store=store_spec)
    try:
        tree = source.corpus.cascade(query)
    finally:
        source.close()
    for depth, node in tree:
        prefix = "" if depth == 0 else "   " * (depth - 1) + "└─ "
        score = f" ({node['score']:.2f})" if node.get("score") is not None else ""
        units = "、".join(f"{n}({ROLE_LABELS[r]})" for n, r in node["units"])
        click.echo(f"{prefix}{node['plan_title']} {node['id']} {node['title']}{score}  [{units}]")
