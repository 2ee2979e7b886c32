"""SPARQL commands: run a query and export its results, list the named queries, push a graph."""

from __future__ import annotations

import click

from kepugraph import api
from kepugraph import sparql as sp
from kepugraph import store as stores
from kepugraph.analysis import find_unit
from kepugraph.cli.main import main
from kepugraph.cli.options import PLAN_HELP, emit, format_option, lang_option, params, say_matched, store_options
from kepugraph.errors import UnknownUnitError
from kepugraph.outputs.results import render_result
from kepugraph.outputs.tables import format_rows
from kepugraph.rdf.triples import plan_to_graph
from kepugraph.store import PASSWORD_ENV, credentials, store_url_for
from kepugraph.store import push as do_push
from kepugraph.store.workspace import plan_graphs


@main.command()
@click.argument("query", required=False, metavar="NAME|FILE.rq")
@click.option("-e", "--expression", metavar="QUERY", help="The query text itself.")
@click.option("--param", "param_values", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter of the query (as an RDF literal, never pasted into the text).")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "md", "xlsx", "ttl", "nt", "jsonld"]),
              help="csv/tsv/json follow the W3C SPARQL results formats; ttl/nt/jsonld for CONSTRUCT.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (CSV gets a BOM).")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1),
              help="Keep at most N rows (or triples); a note on stderr says when more were found.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Stop a query (or an endpoint's answer) after this many seconds.")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE (queries another endpoint).")
@click.option("--allow-update", is_flag=True, help="Allow updates and LOAD (changes the store).")
@store_options
@lang_option
def sparql(query, expression, param_values, fmt, output, max_rows, timeout, allow_service, allow_update, graph_path,
           store, endpoint, plan_id):
    """SPARQL 查询和导出。 Run a named query, a .rq file or -e 'QUERY' and export the results.

    'kepugraph queries' lists the named queries and their parameters. A syntax error
    exits with status 2 and names the line and column. Tables (table, md, xlsx) show
    Chinese headers and roles (--lang en: the query's variable names); csv, tsv and
    json follow the W3C results formats, variable names and values as the query gives.

    Example: kepugraph sparql tasks-of-unit --param unit=区科协 --format csv -o tasks.csv
    """
    if (query is None) == (expression is None):
        raise click.UsageError("give either a query NAME|FILE.rq or -e 'QUERY'")
    if plan_id and (endpoint or graph_path or store == "memory"):
        raise click.UsageError("--plan picks a plan of the workspace or of a store (--store oxigraph:DIR), "
                               "not of a --graph file or an endpoint")
    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx needs -o FILE.xlsx")
    text, source, declared = sp.resolve(query, expression)
    # checked before a store is opened: a refused query never opens or locks one
    form = sp.check(text, source, allow_service=allow_service, allow_update=allow_update)
    line = ""
    if not endpoint:  # what the answer is for: the workspace's plans, a store's, a graph's, or the sample
        with api.Source(graph_path, store, plan_id, workspace=store is None) as named:
            line = named.scope().line()
            store = named.where if named.corpus else "memory"
            plan_id = named.plan
            bound = params(param_values)
            if bound.get("unit"):  # the CLI's alias list: 教体局 binds 区教育和体育局, and says so
                try:
                    found = find_unit(named.rows(), bound["unit"], named.aliases())
                except UnknownUnitError:
                    found = bound["unit"]  # no such unit: the query answers with no row
                say_matched(bound["unit"], found)
                param_values = tuple(v for v in param_values if not v.startswith("unit=")) + (f"unit={found}",)
    with api.open_store(store or "memory", graph_path, plan_id, endpoint) as opened:
        named = sp.named_queries().get(source) if expression is None else None
        if named is not None:  # a bundled query: the form written for this store's engine
            text = named.text_for(opened)
        result = sp.run(text, opened, params(param_values), declared, source, form=form,
                        limits=sp.Limits(rows=max_rows, seconds=timeout))
    if result.truncated:
        click.echo(f"note: the first {max_rows} rows of more (the row limit; raise it with --max-rows)", err=True)
    data = render_result(result, fmt)
    if fmt in ("table", "md") and result.form == "SELECT" and not result.rows:
        data += "没有结果：查询没有匹配的行\n".encode("utf-8")  # in words, not a bare header
    if line and fmt in ("table", "md") and result.form == "SELECT":  # W3C formats stay as the standard has them
        data = (line + ("\n\n" if fmt == "md" else "\n")).encode("utf-8") + data
    emit(data, output, fmt)


@main.command()
@format_option()
def queries(fmt, output):
    """内置查询及其参数。 List the named queries with what they answer and their parameters.

    Example: kepugraph queries
    """
    rows = [{"name": q.name, "description": q.description,
             "params": [f"{k}: {v}" for k, v in q.params.items()]} for q in sp.named_queries().values()]
    emit(format_rows(rows, ["name", "description", "params"], fmt, ["名称", "说明", "参数"]), output, fmt)


@main.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The SPARQL query endpoint (…/query, …/sparql); the Graph Store URL beside it (…/store, "
                   "…/sparql-graph-crud-auth) takes the upload.")
@click.option("--store-url", metavar="URL", help="The Graph Store Protocol URL, when not beside the endpoint.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False), metavar="[FILE]...")
@click.option("--graph", "graph_path", type=click.Path(dir_okay=False),
              help="A graph built by 'kepugraph build' (Turtle) to upload.")
@click.option("--store", "store_spec", metavar="oxigraph:DIR",
              help="Upload a whole corpus store: every plan, its links and the shared vocabulary.")
@click.option("--user", metavar="NAME", help="Log in as NAME (HTTP basic or digest, as the server asks); the "
                                             f"password is read from ${PASSWORD_ENV} or --password-file.")
@click.option("--password-file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read the password from the first line of FILE (never give it on the command line).")
@click.option("--plan", "plan_id", metavar="ID", help=PLAN_HELP)
def push(endpoint, store_url, files, graph_path, store_spec, user, password_file, plan_id):
    """上传图谱到 SPARQL 库。 Upload plans to a SPARQL store, replacing each plan's named graph only.

    FILE... are plans to parse; --graph a built graph; --store a corpus; none:
    every plan of the workspace (--plan for one), each into its own named graph,
    or, with nothing built, the bundled sample (示例方案), said so on the first line.
    With --user, the password is read from $KEPUGRAPH_PASSWORD or --password-file.

    Example: kepugraph push --endpoint http://127.0.0.1:8890/sparql --user kepu --store oxigraph:corpus
    """
    if sum(map(bool, (files, graph_path, store_spec))) > 1:
        raise click.UsageError("give plan files, --graph or --store, not more than one of them")
    if plan_id and (files or graph_path or store_spec):
        raise click.UsageError("--plan picks a plan of the workspace, not of plan files, --graph or --store")
    auth = credentials(user, password_file)
    target = store_url or store_url_for(endpoint)
    if store_spec:
        with stores.OxigraphStore(stores.existing_store_dir(store_spec)) as oxi:
            graphs, triples = stores.push_store(oxi, target, auth=auth)
        click.echo(f"{graphs} graphs, {triples} triples → {target}")
        return
    for file in files:
        graph = plan_to_graph(api.parse(file))
        name = do_push(graph, target, auth=auth)
        click.echo(f"{len(graph)} triples → {target} (graph <{name}>)")
    if files:
        return
    with api.Source(graph_path, None, plan_id) as source:
        for k, (_, graph) in enumerate(plan_graphs(source.corpus, source.scope().plans, source.graph)):
            name = do_push(graph, target, auth=auth)
            if k == 0:  # what was pushed (示例方案 …), once the first upload went through
                click.echo(source.scope().line())
            click.echo(f"{len(graph)} triples → {target} (graph <{name}>)")
