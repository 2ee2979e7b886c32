"""The ``kepugraph`` command line: thin click commands over the Python API."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from . import analysis, api
from .errors import KepugraphError
from .model import ROLE_LABELS
from .output import FORMATS, render
from .rdf import write_atomic
from .read import DEFAULT_MAX_BYTES

ROLE_ZH = ROLE_LABELS


class _Group(click.Group):
    """Turns every :class:`KepugraphError` into ``Error: …`` on stderr and exit 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KepugraphError as exc:
            err = click.ClickException(str(exc))
            err.exit_code = exc.exit_code
            raise err from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kepugraph")
def main():
    """Turn a Chinese implementation plan into a responsibility graph and query it.

    With no FILE or --graph, every command works on the bundled reference plan
    (泰山区全民科学素质行动规划纲要实施方案（2021-2025年）).

    Example: kepugraph workload --by kind
    """


# --- shared options -----------------------------------------------------------------------

def graph_option(f):
    """--graph FILE.ttl, or --store oxigraph:DIR [--plan ID]; the command gets a ``source``."""
    @click.option("--graph", "graph_path", type=click.Path(dir_okay=False),
                  help="A graph built by 'kepugraph build' (Turtle); default: the bundled plan.")
    @click.option("--store", "store_spec", metavar="oxigraph:DIR",
                  help="A corpus store built by 'kepugraph build PATH... --store oxigraph:DIR'.")
    @click.option("--plan", "plan_id", metavar="ID", help="With --store: one plan (id, 文号 or title).")
    @functools.wraps(f)
    def wrapper(*args, graph_path=None, store_spec=None, plan_id=None, **kwargs):
        source = api.Source(graph_path, store_spec, plan_id)
        try:
            return f(*args, source=source, **kwargs)
        finally:
            source.close()

    return wrapper


def format_option(choices=FORMATS, default="table"):
    def deco(f):
        f = click.option("-o", "--output", type=click.Path(dir_okay=False),
                         help="Write to this file instead of standard output.")(f)
        f = click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                         help="Output format.")(f)
        return f

    return deco


def emit(text: str, output: str | None, fmt: str = "table") -> None:
    """Print, or write atomically to ``output`` (CSV gets a BOM there for Excel/WPS)."""
    if output:
        data = text.encode("utf-8")
        if fmt == "csv":
            data = b"\xef\xbb\xbf" + data
        write_atomic(output, data)
    else:
        click.echo(text, nl=False)


def _asdict(obj) -> dict:
    from dataclasses import asdict

    return asdict(obj)


# --- core commands --------------------------------------------------------------------------

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
    """Parse plans and write their graphs (default: the bundled plan, to OUT_DIR).

    One FILE: writes NAME.ttl (the graph) and NAME.html (the units page) and
    prints one line: measures, units, triples and warnings. With --store, PATHS
    (files and folders) go into an on-disk corpus: each plan in its own named
    graph, replaced alone when its source changes, skipped when unchanged.

    Example: kepugraph build plans/ --store oxigraph:corpus
    """
    from .units import read_aliases

    if store_spec:
        _build_corpus(paths, store_spec, workers, read_aliases(aliases) if aliases else None, max_bytes)
        return
    if len(paths) > 1:
        raise click.UsageError("several files go into a corpus: add --store oxigraph:DIR")
    if paths and Path(paths[0]).is_dir():
        from .errors import SourceError

        raise SourceError(paths[0], "is a directory, not a file (a folder of plans goes into a corpus: "
                                    "add --store oxigraph:DIR)")
    result = api.build(paths[0] if paths else None, out_dir, max_bytes=max_bytes, page=True,
                       aliases=read_aliases(aliases) if aliases else None)
    for w in result.plan.warnings:
        click.echo(f"warning: {w.at(result.plan.path)}", err=True)
    click.echo(result.summary())


def _build_corpus(paths, store_spec: str, workers: int | None, aliases: dict[str, str] | None,
                  max_bytes: int) -> None:
    from .corpus import Corpus, discover
    from .errors import KepugraphError
    from .read import BUNDLED_PLAN
    from .sparql import oxigraph_dir

    folder = oxigraph_dir(store_spec)
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


@main.command()
@click.argument("plan_id", metavar="PLAN")
@click.option("--store", "store_spec", required=True, metavar="oxigraph:DIR", help="The corpus store.")
def remove(plan_id, store_spec):
    """Remove one plan (its named graph) from a corpus store; the others stay.

    Example: kepugraph remove 泰山政办字-2022-7号 --store oxigraph:corpus
    """
    source = api.Source(store=store_spec)
    try:
        iri = source.corpus.remove(plan_id)
    finally:
        source.close()
    click.echo(f"removed <{iri}>")


@main.command()
@click.option("--store", "store_spec", required=True, metavar="oxigraph:DIR", help="The corpus store.")
@format_option()
def plans(store_spec, fmt, output):
    """The plans of a corpus store: id, title, measures, the plan each implements.

    Example: kepugraph plans --store oxigraph:corpus
    """
    source = api.Source(store=store_spec)
    try:
        rows = source.corpus.plan_summary()
    finally:
        source.close()
    emit(render(rows, ["id", "title", "measures", "implements"], fmt, ["编号", "标题", "任务数", "依据"]), output, fmt)


@main.command()
@click.argument("query", metavar="MEASURE")
@click.option("--store", "store_spec", required=True, metavar="oxigraph:DIR", help="The corpus store.")
def cascade(query, store_spec):
    """Follow a measure down the levels: the aligned measures and their units.

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
        units = "、".join(f"{n}({ROLE_ZH[r]})" for n, r in node["units"])
        click.echo(f"{prefix}{node['plan_title']} {node['id']} {node['title']}{score}  [{units}]")


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=True))
@format_option(choices=("json", "table"), default="json")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, type=click.IntRange(1),
              help="Refuse input files larger than this.")
def extract(file, fmt, output, max_bytes):
    """Show what the parser read from FILE: metadata, measures, units, warnings.

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
        ("标题", meta.title), ("文号", meta.doc_number), ("发文机关", meta.issuer), ("日期", meta.date),
        ("主送", "、".join(meta.recipients)), ("规划期", meta.period), ("依据", "、".join(f"《{c}》" for c in meta.cites)),
    ) if v]
    rows = [{"id": m.id, "line": m.line, "section": m.path[-1] if m.path else "", "title": m.title,
             "units": "、".join(f"{u.name}({ROLE_ZH[u.role]})" for u in m.units)} for m in plan.measures]
    text = "\n".join(head) + "\n\n" + render(rows, ["id", "line", "section", "title", "units"], "table",
                                             ["序号", "行", "章节", "任务", "责任单位"])
    if plan.warnings:
        text += "\n" + "\n".join(f"warning: line {w.line}:{w.column}: {w.message}: {w.text}" for w in plan.warnings) + "\n"
    emit(text, output)


@main.command()
@click.option("--suggest-merges", is_flag=True,
              help="List pairs of names that may be one unit (same stem, other spelling, one character apart).")
@graph_option
@format_option()
def units(suggest_merges, source, fmt, output):
    """Every unit with its kind and measure count, most measures first.

    With --suggest-merges, likely duplicates for a person to confirm; write the
    confirmed ones to an aliases CSV for 'kepugraph build --aliases'.

    Example: kepugraph units --format csv -o units.csv
    """
    if suggest_merges:
        from .units import suggest_merges as suggest

        names = [r.unit for r in analysis.workload(source.rows())]
        pairs_ = [{"a": a, "b": b, "reason": why} for a, b, why in suggest(names)]
        emit(render(pairs_, ["a", "b", "reason"], fmt, ["单位A", "单位B", "理由"]), output, fmt)
        return
    rows = [_asdict(r) for r in analysis.workload(source.rows(), kinds=source.kinds())]
    cols = ["unit", "kind", "measures", "lead", "support", "joint"]
    emit(render(rows, cols, fmt, ["单位", "类别", "任务数", "牵头", "配合", "负责"],
                json_rows=[{k: r[k] for k in cols} for r in rows]), output, fmt)


@main.command()
@click.argument("unit")
@graph_option
@format_option()
def tasks(unit, source, fmt, output):
    """The measures UNIT answers for, with heading path and role.

    A name that matches no unit gets an error listing the closest names.

    Example: kepugraph tasks 区教育和体育局
    """
    found = analysis.tasks(source.rows(), unit)
    rows = [{"id": r.id, "role": role, "role_zh": ROLE_ZH[role], "path": r.path,
             "section": " > ".join(r.path), "title": r.title,
             "partners": [n for n, _ in r.units if n != name]}
            for r, role in found for name in [analysis.find_unit([r], unit)]]
    json_rows = [{"id": r["id"], "role": r["role"], "path": r["path"], "title": r["title"],
                  "partners": r["partners"]} for r in rows]
    emit(render(rows, ["id", "role_zh", "section", "title"], fmt, ["序号", "角色", "章节", "任务"],
                json_rows=json_rows), output, fmt)


@main.command()
@click.argument("graph_file", required=False, metavar="[GRAPH]", type=click.Path(dir_okay=False))
def validate(graph_file):
    """Check a graph against the SHACL shapes of a well-formed plan graph.

    Prints each violation in plain words with the measure it concerns; exits 0
    only when the graph conforms. GRAPH defaults to the bundled plan.

    Example: kepugraph validate graph/taishan-kepu-plan-2021-2025.ttl
    """
    from rdflib.namespace import RDF

    from .errors import ValidationError
    from .namespace import KP
    from .validate import validate as check

    graph = api.load(graph_file)
    violations = check(graph)
    if violations:
        for v in violations:
            click.echo(str(v))
        raise ValidationError(graph_file or "bundled plan", [str(v) for v in violations])
    n = len(set(graph.subjects(RDF.type, KP.Measure)))
    click.echo(f"conforms: {n} measures, {len(graph)} triples")


# --- analysis ----------------------------------------------------------------------------------

@main.command()
@click.option("--by", type=click.Choice(["part", "section", "kind", "stem"]),
              help="Break down by the part (（一）提升行动), the section (1.青少年…), the unit kind, or the "
                   "stem shared across levels (区科协, 市科协 → 科协).")
@graph_option
@format_option()
def workload(by, source, fmt, output):
    """Measures per unit: total, as lead, support and joint, and the share-weighted load.

    A measure with k units gives each of them 1/k to the share. With --by kind,
    a row per unit kind: its units, the distinct measures naming one of them, and
    the assignments by role.

    Example: kepugraph workload --by kind
    """
    rows = [_asdict(r) for r in analysis.workload(source.rows(), by=by, kinds=source.kinds())]
    cols = ["unit", "measures", "lead", "support", "joint", "share"]
    headers = ["单位", "任务数", "牵头", "配合", "负责", "分担"]
    if by in ("kind", "stem"):
        cols.insert(1, "units")
        headers[0:1] = ["类别" if by == "kind" else "机构类型", "单位数"]
    elif by:
        cols = ["group"] + cols
        headers = ["章节"] + headers
    else:
        cols.insert(1, "kind")
        headers.insert(1, "类别")
    json_rows = [{k: r[k] for k in cols} for r in rows]
    emit(render(rows, cols, fmt, headers, json_rows=json_rows), output, fmt)


def _pair_json(p) -> dict:
    return {"units": list(p.units), "shared": p.shared, "jaccard": p.jaccard, "measures": p.measures}


@main.command()
@click.option("--top", type=click.IntRange(1), help="Only the N pairs sharing most.")
@click.option("--min-shared", default=1, show_default=True, type=click.IntRange(1),
              help="Only pairs sharing at least K measures.")
@graph_option
@format_option()
def pairs(top, min_shared, source, fmt, output):
    """Unit pairs that share measures: count, Jaccard index and the measures.

    Example: kepugraph pairs --top 10
    """
    found = analysis.pairs(source.rows(), top=top, min_shared=min_shared)
    rows = [{"a": p.units[0], "b": p.units[1], "shared": p.shared, "jaccard": p.jaccard,
             "measures": p.measures} for p in found]
    emit(render(rows, ["a", "b", "shared", "jaccard", "measures"], fmt,
                ["单位A", "单位B", "共担任务", "Jaccard", "任务"], json_rows=[_pair_json(p) for p in found]),
         output, fmt)


@main.command()
@click.argument("unit")
@graph_option
@format_option()
def partners(unit, source, fmt, output):
    """Whom UNIT shares work with, most shared first, and on which measures.

    Example: kepugraph partners 区科协
    """
    found = analysis.partners(source.rows(), unit)
    rows = [{"partner": p.units[1], "shared": p.shared, "jaccard": p.jaccard, "measures": p.measures}
            for p in found]
    emit(render(rows, ["partner", "shared", "jaccard", "measures"], fmt, ["合作单位", "共担任务", "Jaccard", "任务"]),
         output, fmt)


@main.command()
@graph_option
@format_option()
def centrality(source, fmt, output):
    """Degree, weighted degree, betweenness and eigenvector centrality of units.

    Betweenness is sampled on large graphs; a note on stderr says which.

    Example: kepugraph centrality --format md
    """
    found, note = analysis.centrality(source.rows())
    rows = [_asdict(r) for r in found]
    click.echo(note, err=True)
    emit(render(rows, ["unit", "degree", "weighted_degree", "betweenness", "eigenvector"], fmt,
                ["单位", "度", "加权度", "中介中心性", "特征向量中心性"]), output, fmt)


@main.command()
@click.option("--seed", default=42, show_default=True, help="Seed of the Louvain method (same seed, same groups).")
@graph_option
@format_option()
def communities(seed, source, fmt, output):
    """Groups of units that share most work (Louvain, reproducible with --seed).

    Example: kepugraph communities --seed 7
    """
    groups = analysis.communities(source.rows(), seed=seed)
    rows = [{"community": i, "size": len(g), "units": g} for i, g in enumerate(groups, 1)]
    emit(render(rows, ["community", "size", "units"], fmt, ["组", "单位数", "单位"]), output, fmt)


@main.command()
@click.option("--diffuse-at", default=analysis.DIFFUSE_AT, show_default=True, type=click.IntRange(2),
              help="A measure with at least this many units is diffuse.")
@graph_option
@format_option()
def risks(diffuse_at, source, fmt, output):
    """Measures with a single unit, diffuse measures, no single lead, units named once.

    Example: kepugraph risks --format json
    """
    r = analysis.risks(source.rows(), diffuse_at=diffuse_at)
    rows = []
    for kind, label, items in (("single_unit", "单一责任单位", r.single_unit),
                               ("diffuse", f"责任单位≥{diffuse_at}", r.diffuse),
                               ("no_lead", "无单一牵头单位", r.no_lead)):
        rows += [{"risk": kind, "risk_zh": label, "id": m.id, "title": m.title, "units": [n for n, _ in m.units],
                  "count": len(m.units)} for m in items]
    rows += [{"risk": "named_once", "risk_zh": "仅出现一次的单位", "id": "", "title": "", "units": [n], "count": 1}
             for n in r.named_once]
    json_rows = [{k: v for k, v in row.items() if k != "risk_zh"} for row in rows]
    emit(render(rows, ["risk_zh", "id", "count", "title", "units"], fmt, ["风险", "序号", "单位数", "任务", "单位"],
                json_rows=json_rows), output, fmt)


@main.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="FILE.xlsx (matrix and 任务分工表 sheets) or FILE.csv (the matrix, UTF-8 with BOM).")
@graph_option
def matrix(output, source):
    """The responsibility matrix: a row per measure, a column per unit (牵头/配合/负责).

    The .xlsx has a second sheet in the classic 任务分工表 form
    (序号 | 重点任务 | 牵头单位 | 责任单位/配合单位).

    Example: kepugraph matrix -o 任务分工.xlsx
    """
    if Path(output).suffix.lower() not in (".xlsx", ".csv"):
        raise click.BadParameter("must end in .xlsx or .csv", param_hint="'-o'")
    from .export import write_matrix

    rows = source.rows()
    path = write_matrix(rows, output)
    click.echo(f"{len(rows)} measures × {len({n for r in rows for n, _ in r.units})} units → {path}")


@main.command()
@click.option("-o", "--out-dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the sheets, one file per unit.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "docx"]), default="xlsx", show_default=True,
              help="File format of the sheets.")
@graph_option
def sheets(out_dir, fmt, source):
    """One task sheet per unit, ready to send to that bureau.

    Each lists the unit's measures with heading path and role, the partner units
    on each, the quantitative targets and deadlines.

    Example: kepugraph sheets -o sheets --format docx
    """
    from .export import write_unit_sheets

    written = write_unit_sheets(source.rows(), out_dir, fmt=fmt, title=source.title())
    click.echo(f"{len(written)} sheets → {out_dir}")


# --- pages ----------------------------------------------------------------------------------------

@main.command()
@click.option("--view", type=click.Choice(["units", "bipartite", "plan"]), default="units", show_default=True,
              help="units: the co-responsibility network; bipartite: measures and units; plan: the heading tree.")
@click.option("--unit", help="Only this unit and its partners (units view).")
@click.option("--min-shared", default=1, show_default=True, type=click.IntRange(1),
              help="Only ties of units sharing at least K measures (units view).")
@click.option("--kind", type=click.Choice(["党委部门", "政府部门", "群团组织", "事业单位", "上级派驻", "集体", "企业", "其他"]),
              help="Only units of this kind (units view).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The HTML file to write.")
@graph_option
def viz(view, unit, min_shared, kind, output, source):
    """Write an interactive page (pyvis) that opens with no network connection.

    Example: kepugraph viz --view units --unit 区科协 -o 区科协.html
    """
    if view != "units" and (unit or kind or min_shared > 1):
        raise click.UsageError("--unit, --kind and --min-shared apply to --view units")
    path, drawn = api.page(source, output, view=view, unit=unit, min_shared=min_shared, kind=kind)
    click.echo(f"{view}: {drawn.number_of_nodes()} nodes, {drawn.number_of_edges()} edges → {path}")


# --- SPARQL ---------------------------------------------------------------------------------------

def _open_store(store: str, endpoint: str | None, graph_path: str | None, plan: str | None = None):
    from . import sparql

    if plan and not store.startswith("oxigraph:"):
        raise click.UsageError("--plan selects a plan of a corpus store: give --store oxigraph:DIR too")
    if endpoint:
        return sparql.EndpointStore(endpoint)
    if store == "memory":
        return sparql.MemoryStore(api.load(graph_path))
    if store.startswith("oxigraph:") and len(store) > len("oxigraph:"):
        ox = sparql.OxigraphStore(sparql.oxigraph_dir(store))
        try:
            if ox.is_empty():
                ox.load_graph(api.load(graph_path))
            if plan:
                from .corpus import Corpus

                ox.plan_graph = Corpus.over(ox).resolve_plan(plan)
        except BaseException:
            ox.close()
            raise
        return ox
    raise click.BadParameter("use 'memory' or 'oxigraph:PATH'", param_hint="'--store'")


def store_options(f):
    f = click.option("--endpoint", metavar="URL", help="Query a remote SPARQL 1.1 endpoint instead of a local store.")(f)
    f = click.option("--store", default="memory", show_default=True, metavar="memory|oxigraph:PATH",
                     help="Where to run: rdflib in memory, or an on-disk Oxigraph store (loaded with the plan "
                          "the first time).")(f)
    f = click.option("--graph", "graph_path", type=click.Path(dir_okay=False),
                     help="A graph built by 'kepugraph build' (Turtle); default: the bundled plan.")(f)
    f = click.option("--plan", "plan_id", metavar="ID",
                     help="With --store oxigraph:DIR: query one plan's named graph only.")(f)
    return f


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        name, sep, value = v.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{v!r} is not NAME=VALUE", param_hint="'--param'")
        out[name] = value
    return out


@main.command()
@click.argument("query", required=False, metavar="NAME|FILE.rq")
@click.option("-e", "--expression", metavar="QUERY", help="The query text itself.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter of the query (as an RDF literal, never pasted into the text).")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "md", "xlsx", "ttl", "nt", "jsonld"]),
              help="csv/tsv/json follow the W3C SPARQL results formats; ttl/nt/jsonld for CONSTRUCT.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (CSV gets a BOM).")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE (queries another endpoint).")
@click.option("--allow-update", is_flag=True, help="Allow updates and LOAD (changes the store).")
@store_options
def sparql(query, expression, params, fmt, output, allow_service, allow_update, graph_path, store, endpoint,
           plan_id):
    """Run a named query, a .rq file or -e 'QUERY' and export the results.

    'kepugraph queries' lists the named queries and their parameters. A syntax error
    exits with status 2 and names the line and column.

    Example: kepugraph sparql tasks-of-unit --param unit=区科协 --format csv -o tasks.csv
    """
    from . import sparql as sp

    if (query is None) == (expression is None):
        raise click.UsageError("give either a query NAME|FILE.rq or -e 'QUERY'")
    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx needs -o FILE.xlsx")
    text, source, declared = sp.resolve(query, expression)
    # checked before a store is opened: a refused query never loads or locks one
    form = sp.check(text, source, allow_service=allow_service, allow_update=allow_update)
    opened = _open_store(store, endpoint, graph_path, plan_id)
    named = sp.named_queries().get(source) if expression is None else None
    if named is not None:  # a bundled query: the form written for this store's engine
        text = named.text_for(opened)
    try:
        result = sp.run(text, opened, _params(params), declared, source, form=form)
    finally:
        getattr(opened, "close", lambda: None)()
    data = sp.render(result, fmt)
    if output:
        write_atomic(output, (b"\xef\xbb\xbf" if fmt == "csv" else b"") + data)
    else:
        click.echo(data.decode("utf-8"), nl=False)


@main.command()
@format_option()
def queries(fmt, output):
    """List the named queries with what they answer and their parameters.

    Example: kepugraph queries
    """
    from .sparql import named_queries

    rows = [{"name": q.name, "description": q.description,
             "params": [f"{k}: {v}" for k, v in q.params.items()]} for q in named_queries().values()]
    emit(render(rows, ["name", "description", "params"], fmt, ["名称", "说明", "参数"]), output, fmt)


@main.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The SPARQL query endpoint (…/query); the Graph Store URL beside it (…/store) takes the upload.")
@click.option("--store-url", metavar="URL", help="The Graph Store Protocol URL, when not beside the endpoint.")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--graph", "graph_path", type=click.Path(dir_okay=False),
              help="A graph built by 'kepugraph build' (Turtle) to upload.")
def push(endpoint, store_url, file, graph_path):
    """Upload a plan's graph to a SPARQL store, replacing that plan's named graph only.

    FILE is a plan to parse; --graph a built graph; neither: the bundled plan.

    Example: kepugraph push --endpoint http://127.0.0.1:7878/query
    """
    from .rdf import plan_to_graph
    from .sparql import push as do_push, store_url_for

    graph = plan_to_graph(api.parse(file)) if file else api.load(graph_path)
    target = store_url or store_url_for(endpoint)
    name = do_push(graph, target)
    click.echo(f"{len(graph)} triples → {target} (graph <{name}>)")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
