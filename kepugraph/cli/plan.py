"""Commands on one plan: build its graph, show what was read, validate, draw."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from rdflib.namespace import RDF

from kepugraph import api
from kepugraph.analysis import find_unit
from kepugraph.cli.corpus import build_corpus
from kepugraph.cli.main import main
from kepugraph.cli.options import PLAN_HELP, emit, format_option, graph_option, say_matched
from kepugraph.errors import SourceError, ValidationError
from kepugraph.names import read_aliases
from kepugraph.outputs.tables import format_rows
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.shapes import validate as check
from kepugraph.reading.source import DEFAULT_MAX_BYTES
from kepugraph.store.workspace import open_workspace, plan_graphs, workspace_spec
from kepugraph.vocab import KINDS, ROLE_LABELS


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=True))
@click.option("-o", "--out-dir", default="graph", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write the Turtle graph into.")
@click.option("--store", "store_spec", metavar="oxigraph:DIR",
              help="Load every plan into this Oxigraph store instead, one named graph per plan.")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, type=click.IntRange(1),
              help="Refuse input files larger than this.")
@click.option("--aliases", type=click.Path(dir_okay=False),
              help="CSV of 'name,canonical' rows: file other spellings of a unit under one name "
                   "(with --store every source is parsed again).")
@click.option("--workers", type=click.IntRange(1), help="Processes parsing in parallel (default: one per core).")
def build(paths, out_dir, store_spec, max_bytes, aliases, workers):
    """建图：解析方案，写出图谱和页面。 Parse plans, write their graphs and put them in the workspace.

    Each FILE: writes NAME.ttl (the graph) and NAME.html (the units page) into
    OUT_DIR, prints one line (measures, units, triples, warnings), and puts the
    plan into the workspace (OUT_DIR/store, or $KEPUGRAPH_STORE) that every
    query command answers from. A plan is known by its 文号 (else its title,
    else its measures): its .docx, .xlsx, .pdf and .txt copies are one plan,
    the later replacing the earlier. With no FILE: the bundled sample's graph
    and page, kept out of the workspace. With --store, PATHS (files and folders)
    go into an on-disk corpus: each plan in its own named graph, replaced alone
    when its source changes, skipped when unchanged.

    Example: kepugraph build plans/ --store oxigraph:corpus
    """
    if store_spec:
        build_corpus(paths, store_spec, workers, read_aliases(aliases) if aliases else None, max_bytes)
        return
    for path in paths:
        if Path(path).is_dir():
            raise SourceError(path, "is a directory, not a file (a folder of plans goes into a corpus: "
                                    "add --store oxigraph:DIR)")
    names = read_aliases(aliases) if aliases else None
    if not paths:  # the sample (make demo): its graph and page, kept out of the workspace
        result = api.build(None, out_dir, max_bytes=max_bytes, page=True, aliases=names)
        _said(result)
        return
    plans = [api.parse(p, max_bytes=max_bytes) for p in paths]  # every file read before any is written
    spec = workspace_spec(out_dir)
    # the workspace is taken before any file is written: in use by another command, or a folder
    # of other files, the build stops with nothing written
    with open_workspace(spec) as workspace:
        results = [api.build(p, out_dir, max_bytes=max_bytes, page=True, aliases=names, plan=plan)
                   for p, plan in zip(paths, plans)]
        for result in results:
            _said(result)
        spec, report = api.add_to_workspace(results, spec, names, corpus=workspace)
    for added in report.added:
        if added.replaced:
            click.echo(f"{Path(added.parsed.path).name}：与 {added.replaced} 是同一方案（{added.title}），已替换")
    click.echo(f"工作区 {spec}：{report.plans} 份方案；tasks、workload、matrix 等命令都据此作答"
               + ("（--plan 选一份）" if report.plans > 1 else ""))


def _said(result) -> None:
    for w in result.plan.warnings:
        click.echo(f"warning: {w.at(result.plan.path)}", err=True)
    click.echo(result.summary())


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=True))
@format_option(choices=("json", "table"), default="json")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, type=click.IntRange(1),
              help="Refuse input files larger than this.")
def extract(file, fmt, output, max_bytes):
    """解析结果：元数据、任务、单位和警告。 Show what the parser read from FILE: metadata, measures, units, warnings.

    The JSON is a stable contract: {"plan": {...}, "measures": [{"id", "path",
    "title", "text", "span", "units": [{"name", "role"}], "targets"}], "warnings"}.

    Example: kepugraph extract plan.docx --format table
    """
    plan = api.parse(file, max_bytes=max_bytes)
    if fmt == "json":
        emit(json.dumps(plan.to_json(), ensure_ascii=False, indent=2) + "\n", output, fmt)
        return
    meta = plan.meta
    head = [f"{k}: {v}" for k, v in (
        ("标题", meta.title), ("通知", meta.notice), ("文号", meta.doc_number), ("发文机关", meta.issuer), ("日期", meta.date),
        ("主送", "、".join(meta.recipients)), ("规划期", meta.period), ("依据", "、".join(f"《{c}》" for c in meta.cites)),
    ) if v]
    rows = [{"id": m.id, "line": m.line, "section": m.path[-1] if m.path else "", "title": m.title,
             "units": "、".join(f"{u.name}({ROLE_LABELS[u.role]})" for u in m.units)} for m in plan.measures]
    text = "\n".join(head) + "\n\n" + format_rows(rows, ["id", "line", "section", "title", "units"], "table",
                                             ["序号", "行", "章节", "任务", "责任单位"])
    if plan.warnings:
        text += "\n" + "\n".join(f"warning: line {w.line}:{w.column}: {w.message}: {w.text}" for w in plan.warnings) + "\n"
    emit(text, output)


@main.command()
@click.argument("graph_file", required=False, metavar="[GRAPH]", type=click.Path(dir_okay=False))
@click.option("--plan", "plan_id", metavar="ID", help=PLAN_HELP)
def validate(graph_file, plan_id):
    """校验图谱（SHACL）。 Check a graph against the SHACL shapes of a well-formed plan graph.

    Prints what it checked on its first line, each violation in plain words with
    the measure it concerns; exits 0 only when every graph conforms. GRAPH
    defaults to each plan of the workspace (--plan for one), or, with nothing
    built, the bundled sample (示例方案), said so.

    Example: kepugraph validate graph/taishan-kepu-plan-2021-2025.ttl
    """
    with api.Source(graph_file, None, plan_id) as source:
        click.echo(source.scope().line())
        for info, graph in plan_graphs(source.corpus, source.scope().plans, source.graph):
            where = graph_file or (info.label() if info else source.where)
            violations = check(graph)
            if violations:
                for v in violations:
                    click.echo(str(v))
                raise ValidationError(where, [str(v) for v in violations])
            n = len(set(graph.subjects(RDF.type, KP.Measure)))
            said = f"{info.short()}: " if source.scope().several and info else ""
            click.echo(f"{said}conforms: {n} measures, {len(graph)} triples")


@main.command()
@click.option("--view", type=click.Choice(["units", "bipartite", "plan"]), default="units", show_default=True,
              help="units: the co-responsibility network; bipartite: measures and units; plan: the heading tree.")
@click.option("--unit", help="Only this unit and its partners (units view); says how many were left out.")
@click.option("--min-shared", type=click.IntRange(1), metavar="K",
              help="Only ties of units sharing at least K measures (units view). Default 1; with --unit, "
                   "the least K that keeps the view to 12 partners.")
@click.option("--kind", type=click.Choice(list(KINDS.values())),
              help="Only units of this kind (units view).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The HTML file to write.")
@click.option("--follow-up", "follow_up", is_flag=True,
              help="督办: colour units and measures by progress (green done, yellow due soon, red overdue, grey not "
                   "reported) from the reports of 'kepugraph progress import'; the panel shows the latest reports.")
@click.option("--today", metavar="DATE", help="With --follow-up: the day to judge deadlines on (default: today).")
@graph_option
def viz(view, unit, min_shared, kind, output, follow_up, today, source):
    """交互页面：离线打开的网络图。 Write an interactive page (pyvis) that opens with no network connection.

    Every view has a search box (a unit's name, part of it, or another name the
    CLI takes, such as 教体局) and a side panel: click a unit for its measures, a
    measure for its units, a tie for the measures two units share. The page opens
    with the network fitted to the window; it is titled with the plan it draws.

    Example: kepugraph viz --view units --unit 区科协 -o 区科协.html
    """
    if view != "units" and (unit or kind or (min_shared or 1) > 1):
        raise click.UsageError("--unit, --kind and --min-shared apply to --view units")
    if unit:
        found = find_unit(source.rows(), unit, source.aliases())
        say_matched(unit, found)
        unit = found
    follow = api.follow_up(source, today=_day(today)) if follow_up else None
    path, drawn = api.page(source, output, view=view, unit=unit, min_shared=min_shared, kind=kind, follow=follow)
    click.echo(source.scope().line())
    click.echo(f"{view}: {drawn.number_of_nodes()} nodes, {drawn.number_of_edges()} edges → {path}")
    if unit and drawn.graph["left_out"]:
        click.echo(f"{drawn.graph['left_out']} of {drawn.graph['partners']} partners share fewer than "
                   f"{drawn.graph['min_shared']} measures with {unit} and are left out (--min-shared 1 shows all)")


def _day(value: str | None):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2025-07-01", param_hint="'--today'") from None
