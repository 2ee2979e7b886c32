"""Options many commands share, defined once, and the one way a command writes its output."""

from __future__ import annotations

import functools

import click

from kepugraph import api
from kepugraph.outputs.files import write_atomic
from kepugraph.outputs.language import LANGS, language
from kepugraph.outputs.tables import FORMATS, format_rows
from kepugraph.safety import BOM

GRAPH_HELP = ("A graph built by 'kepugraph build' (Turtle); default: the plans built into the workspace "
              "(graph/store, or $KEPUGRAPH_STORE), else the bundled sample.")
PLAN_HELP = "One plan of the workspace or the store: its id, 文号, title or file name."


def graph_option(f):
    """--graph FILE.ttl, or --store oxigraph:DIR [--plan ID]; the command gets a ``source``."""
    @click.option("--graph", "graph_path", type=click.Path(dir_okay=False), help=GRAPH_HELP)
    @click.option("--store", "store_spec", metavar="oxigraph:DIR",
                  help="A store built by 'kepugraph build PATH... --store oxigraph:DIR' instead of the workspace.")
    @click.option("--plan", "plan_id", metavar="ID", help=PLAN_HELP)
    @functools.wraps(f)
    def wrapper(*args, graph_path=None, store_spec=None, plan_id=None, **kwargs):
        source = api.Source(graph_path, store_spec, plan_id)
        try:
            return f(*args, source=source, **kwargs)
        finally:
            source.close()

    return wrapper


def lang_option(f):
    """--lang zh|en: the language of headers and labels; the command runs inside it."""
    @click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True,
                  help="表头语言 Language of headers and role labels (JSON keys stay as they are).")
    @functools.wraps(f)
    def wrapper(*args, lang="zh", **kwargs):
        with language(lang):
            return f(*args, **kwargs)

    return wrapper


def format_option(choices=FORMATS, default="table"):
    """--format, -o FILE and --lang, for every command that prints a table."""
    def deco(f):
        f = lang_option(f)
        f = click.option("-o", "--output", type=click.Path(dir_okay=False),
                         help="Write to this file instead of standard output.")(f)
        f = click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                         help="Output format.")(f)
        return f

    return deco


def store_options(f):
    """--store memory|oxigraph:DIR, --endpoint URL, --graph FILE, --plan ID (SPARQL commands)."""
    f = click.option("--endpoint", metavar="URL", help="Query a remote SPARQL 1.1 endpoint instead of a local store.")(f)
    f = click.option("--store", metavar="memory|oxigraph:DIR",
                     help="Where to run: rdflib in memory (the --graph file or the bundled sample), or a store "
                          "built by 'kepugraph build PATH... --store oxigraph:DIR'; default: the workspace when "
                          "a plan has been built, else the sample in memory.")(f)
    f = click.option("--graph", "graph_path", type=click.Path(dir_okay=False), help=GRAPH_HELP)(f)
    f = click.option("--plan", "plan_id", metavar="ID", help=PLAN_HELP)(f)
    return f


def emit(data: str | bytes, output: str | None, fmt: str = "table") -> None:
    """Print, or write atomically to ``output`` (CSV gets a BOM there for Excel/WPS) and
    say what was written."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output:
        write_atomic(output, (BOM if fmt == "csv" else b"") + raw)
        click.echo(f"→ {output}")
    else:
        click.echo(raw.decode("utf-8"), nl=False)


def params(values: tuple[str, ...]) -> dict[str, str]:
    """``--param NAME=VALUE`` options as a dict."""
    out = {}
    for v in values:
        name, sep, value = v.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{v!r} is not NAME=VALUE", param_hint="'--param'")
        out[name] = value
    return out


def answer(source, rows: list[dict], columns: list[str], fmt: str, headers: list[str], output: str | None,
           json_rows: list[dict] | None = None, empty: str | tuple[str, str] = "") -> None:
    """Emit rows naming what they answer for (:meth:`api.Source.scope`); with several plans, a
    row's ``plan`` value (set by the command) becomes the first column, 方案."""
    scope = source.scope()
    if scope.several and rows and "plan" in rows[0]:
        columns, headers = ["plan"] + list(columns), ["方案"] + list(headers)
        if json_rows is not None and len(json_rows) == len(rows):
            json_rows = [{"plan": r["plan"], **j} for r, j in zip(rows, json_rows)]
    elif scope.several:  # an answer over all the plans at once (centrality, communities): each row says which
        plans = [p.short() for p in scope.plans]
        json_rows = [{**j, "plans": plans} for j in (json_rows if json_rows is not None else rows)]
    emit(format_rows(rows, columns, fmt, headers, json_rows=json_rows, scope=scope, empty=empty), output, fmt)


def say_matched(typed: str, found: str) -> None:
    """Say which unit answers when the name typed is another spelling (区科学技术协会 → 区科协)."""
    if typed != found:
        click.echo(f"单位：{typed} → {found}", err=True)
