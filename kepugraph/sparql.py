"""SPARQL: named queries, safe parameters, three kinds of store, and result exports.

Stores:

* ``memory`` — an rdflib graph of one plan;
* ``oxigraph:PATH`` — an on-disk Oxigraph store (pyoxigraph); a plan is loaded into it
  the first time, each plan in its own named graph, and queries see their union;
* an endpoint URL — any SPARQL 1.1 endpoint, over the SPARQL protocol; ``push`` uploads
  a plan's graph with the Graph Store Protocol (one named graph per plan).

Parameters are bound as RDF terms in a ``VALUES`` clause, never pasted into the query
text; queries are read-only unless the caller allows SERVICE or updates explicitly.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from .errors import QueryError, StoreError
from .namespace import KP

QUERY_DIR = Path(__file__).with_name("queries")
_PARAM_RE = re.compile(r"^#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$", re.M)
_VAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# --- named queries ------------------------------------------------------------------------------

@dataclass
class NamedQuery:
    name: str
    description: str
    params: dict[str, str]  # name → what to pass
    text: str
    path: Path
    # engine → the same query written for it (queries/ENGINE/NAME.rq): Oxigraph seeks
    # an index per row in a join where rdflib's nested loops prefer the plain form
    variants: dict[str, str] = field(default_factory=dict)

    def text_for(self, store) -> str:
        """The text to run on ``store``: its engine's variant, or the portable one."""
        return self.variants.get(getattr(store, "engine", ""), self.text)


@functools.cache
def named_queries() -> dict[str, NamedQuery]:
    """The bundled queries by name, each read from ``queries/NAME.rq`` (once a process)."""
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0].lstrip("# ").strip()
        name, _, description = first.partition(":")
        out[path.stem] = NamedQuery(name=path.stem, description=description.strip(),
                                    params={m.group(1): m.group(2).strip() for m in _PARAM_RE.finditer(text)},
                                    text=text, path=path,
                                    variants={v.parent.name: v.read_text(encoding="utf-8")
                                              for v in sorted(QUERY_DIR.glob(f"*/{path.name}"))})
    return out


def resolve(spec: str | None, expression: str | None) -> tuple[str, str, dict[str, str] | None]:
    """The text of a query given as a name, a ``.rq`` file, or an expression.

    Returns:
        (text, source name for messages, declared parameters or None if undeclared).

    Raises:
        QueryError: unknown name or unreadable file (exit status 2).
    """
    if expression is not None:
        return expression, "query", None
    if spec is None:
        raise QueryError("give a query name, a .rq file or -e 'QUERY'")
    queries = named_queries()
    if spec in queries:
        q = queries[spec]
        return q.text, spec, q.params
    path = Path(spec)
    if path.suffix == ".rq" or path.exists():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", source=spec) from None
        return text, spec, {m.group(1): m.group(2) for m in _PARAM_RE.finditer(text)} or None
    from .units import closest

    near = closest(spec, queries)
    hint = f"; did you mean {', '.join(near)}?" if near else f"; known: {', '.join(queries)}"
    raise QueryError(f"no named query {spec!r}{hint}", source="query")


# --- checking and binding -----------------------------------------------------------------------

_CHECKED: dict[tuple[str, bool, bool], str] = {}


def check(text: str, source: str = "query", allow_service: bool = False, allow_update: bool = False) -> str:
    """Parse a query and refuse what is not allowed; return its form.

    Returns:
        "SELECT", "ASK", "CONSTRUCT", "DESCRIBE" or "UPDATE".

    Raises:
        QueryError: a syntax error (with line and column), an update, SERVICE or LOAD
            that was not allowed.
    """
    from pyparsing import ParserElement

    key = (text, allow_service, allow_update)
    if key in _CHECKED:  # a query asked again (the same named query on another store)
        return _CHECKED[key]
    try:
        form = _check(text, source, allow_service, allow_update)
        if len(_CHECKED) < 256:
            _CHECKED[key] = form
        return form
    finally:
        # pyparsing's packrat cache keeps exceptions, their frames and every caller's
        # locals alive (an open Oxigraph store among them, with its lock): drop it
        ParserElement.reset_cache()


def _check(text: str, source: str, allow_service: bool, allow_update: bool) -> str:
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser

    try:
        parsed = parser.parseQuery(text)
    except ParseException as qexc:
        try:
            update = parser.parseUpdate(text)
        except ParseException:
            raise QueryError(f"syntax error: {_syntax_message(qexc)}", qexc.lineno, qexc.col, source) from None
        if not allow_update:
            what = "LOAD" if _contains(update, "Load") else "an update"
            raise QueryError(f"{what} is refused: queries are read-only (pass --allow-update to change the store)",
                             source=source)
        if _contains(update, "ServiceGraphPattern") and not allow_service:
            raise QueryError("SERVICE is refused: it would query another endpoint (pass --allow-service)", source=source)
        return "UPDATE"
    if _contains(parsed, "ServiceGraphPattern") and not allow_service:
        raise QueryError("SERVICE is refused: it would query another endpoint (pass --allow-service)", source=source)
    form = parsed[1].name
    return {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
            "DescribeQuery": "DESCRIBE"}.get(form, form)


def _syntax_message(exc) -> str:
    found = exc.line[exc.col - 1:exc.col + 19].strip() if exc.line else ""
    return f"unexpected {found!r}" if found else "unexpected end of query"


def _contains(node: Any, name: str) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if getattr(n, "name", None) == name:
            return True
        if isinstance(n, dict):
            stack.extend(n.values())
        elif isinstance(n, (list, tuple)) or hasattr(n, "asList"):
            stack.extend(list(n))
    return False


def bind(text: str, params: dict[str, str], declared: dict[str, str] | None = None, source: str = "query") -> str:
    """Bind ``params`` as plain literals in a ``VALUES`` clause at the top of the WHERE group.

    The values are serialised as RDF terms (quotes and backslashes escaped), so a
    value cannot change the query. A query that names ``?NAME_zh`` gets the value of
    ``NAME`` as a Chinese-tagged literal there too, to match labels (``"区科协"@zh``)
    in a pattern, which every engine can look up in an index.

    >>> print(bind("SELECT ?m WHERE { ?m ?p ?unit }", {"unit": 'a"} DROP ALL'}).splitlines()[1])
      VALUES (?unit) { ("a\\"} DROP ALL") }
    >>> print(bind("SELECT ?u WHERE { ?u ?p ?unit_zh }", {"unit": "区科协"}).splitlines()[1])
      VALUES (?unit ?unit_zh) { ("区科协" "区科协"@zh) }
    """
    if declared is not None:
        unknown = sorted(set(params) - set(declared))
        if unknown:
            raise QueryError(f"unknown parameter {unknown[0]!r}; this query takes: {', '.join(declared) or 'none'}",
                             source=source)
        missing = [p for p in declared if p not in params]
        if missing:
            raise QueryError(f"missing parameter {missing[0]!r}: {declared[missing[0]]} (--param {missing[0]}=VALUE)",
                             source=source)
    if not params:
        return text
    for name in params:
        if not _VAR_RE.match(name):
            raise QueryError(f"invalid parameter name {name!r}", source=source)
    terms = {n: Literal(v) for n, v in params.items()}
    for n, v in params.items():
        if re.search(rf"\?{n}_zh\b", text):
            terms[f"{n}_zh"] = Literal(v, lang="zh")
    names = " ".join(f"?{n}" for n in terms)
    values = " ".join(t.n3() for t in terms.values())
    clause = f"VALUES ({names}) {{ ({values}) }}"
    # at the top of the WHERE group, so the engine starts from the bound value
    # (a trailing VALUES is joined only after the whole pattern was evaluated)
    where = re.search(r"\bWHERE\s*\{", text, re.I)
    if where and not _in_comment_or_string(text, where.start()):
        return f"{text[:where.end()]}\n  {clause}\n{text[where.end():]}"
    return f"{text.rstrip()}\n{clause}\n"


def _in_comment_or_string(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return "#" in before or before.count('"') % 2 == 1


# --- results --------------------------------------------------------------------------------------

@dataclass
class Result:
    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE
    vars: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)  # rdflib terms or None
    boolean: bool | None = None
    graph: Graph | None = None

    def values(self) -> list[tuple]:
        """Rows as plain Python values (strings, ints, floats): compare across stores."""
        return [tuple(None if t is None else t.toPython() if isinstance(t, Literal) else str(t) for t in row)
                for row in self.rows]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.vars, row)) for row in self.values()]


def to_json(result: Result) -> dict:
    """The W3C SPARQL 1.1 Query Results JSON Format."""
    if result.form == "ASK":
        return {"head": {}, "boolean": bool(result.boolean)}
    bindings = []
    for row in result.rows:
        b = {}
        for var, term in zip(result.vars, row):
            if term is None:
                continue
            if isinstance(term, URIRef):
                b[var] = {"type": "uri", "value": str(term)}
            elif isinstance(term, BNode):
                b[var] = {"type": "bnode", "value": str(term)}
            else:
                d = {"type": "literal", "value": str(term)}
                if term.language:
                    d["xml:lang"] = term.language
                elif term.datatype:
                    d["datatype"] = str(term.datatype)
                b[var] = d
        bindings.append(b)
    return {"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}


def to_csv(result: Result, delimiter: str = ",") -> str:
    """W3C SPARQL CSV (plain values) or TSV (terms in Turtle syntax, ``?var`` header)."""
    buf = io.StringIO()
    tsv = delimiter == "\t"
    if result.form == "ASK":
        return f"{'?' if tsv else ''}boolean\n{str(bool(result.boolean)).lower()}\n"
    if tsv:
        lines = ["\t".join(f"?{v}" for v in result.vars)]
        for row in result.rows:
            lines.append("\t".join("" if t is None else t.n3() for t in row))
        return "\n".join(lines) + "\n"
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(result.vars)
    for row in result.rows:
        w.writerow(["" if t is None else str(t) for t in row])
    return buf.getvalue()


GRAPH_FORMATS = {"ttl": "longturtle", "nt": "nt", "jsonld": "json-ld"}
TABLE_FORMATS = ("table", "csv", "tsv", "json", "md", "xlsx")


def render(result: Result, fmt: str) -> bytes:
    """Bytes of ``result`` in ``fmt`` (CSV without BOM; the caller adds it for files)."""
    from .output import render as render_rows

    if result.form in ("CONSTRUCT", "DESCRIBE"):
        graph_fmt = GRAPH_FORMATS.get(fmt)
        if graph_fmt is None:
            raise QueryError(f"a {result.form} result exports as ttl, nt or jsonld, not {fmt}", exit_code=2)
        assert result.graph is not None
        return result.graph.serialize(format=graph_fmt, encoding="utf-8")
    if fmt in GRAPH_FORMATS:
        raise QueryError(f"a {result.form} result exports as {', '.join(TABLE_FORMATS)}, not {fmt}", exit_code=2)
    if fmt == "json":
        return (json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt in ("csv", "tsv"):
        return to_csv(result, "\t" if fmt == "tsv" else ",").encode("utf-8")
    if result.form == "ASK":
        return f"{str(bool(result.boolean)).lower()}\n".encode()
    rows = [{v: _short(t) for v, t in zip(result.vars, row)} for row in result.rows]
    if fmt == "xlsx":
        from .export import _xlsx

        return _xlsx([("query", result.vars, [[rows[i][v] for v in result.vars] for i in range(len(rows))], {}, False)])
    return render_rows(rows, result.vars, fmt).encode("utf-8")


def _short(term) -> Any:
    if term is None:
        return ""
    if isinstance(term, Literal):
        value = term.toPython()
        return value if isinstance(value, (int, float)) else str(term)
    return str(term)


# --- stores -------------------------------------------------------------------------------------

class MemoryStore:
    """An rdflib graph (one plan) — rdflib's own SPARQL engine."""

    name = "memory"
    engine = "rdflib"

    def __init__(self, graph: Graph):
        self.graph = graph

    def query(self, text: str, form: str) -> Result:
        if form == "UPDATE":
            self.graph.update(text)
            return Result(form="ASK", boolean=True)
        try:
            res = self.graph.query(text)
        except Exception as exc:  # evaluation errors from rdflib
            raise QueryError(f"query failed: {exc}") from None
        if res.type == "ASK":
            return Result(form="ASK", boolean=bool(res.askAnswer))
        if res.type in ("CONSTRUCT", "DESCRIBE"):
            g = Graph()
            for prefix, ns in self.graph.namespaces():
                g.bind(prefix, ns)
            for t in res:
                g.add(t)
            return Result(form=res.type, graph=g)
        variables = [str(v) for v in res.vars]
        return Result(form="SELECT", vars=variables, rows=[list(r) for r in res])


def oxigraph_dir(spec: str) -> Path:
    """The folder of an ``oxigraph:DIR`` store spec.

    Raises:
        StoreError: the spec is not of that form.
    """
    if not spec.startswith("oxigraph:") or len(spec) == len("oxigraph:"):
        raise StoreError(spec, "a store is given as oxigraph:DIR")
    return Path(spec[len("oxigraph:"):])


class OxigraphStore:
    """An on-disk Oxigraph store; each plan in its own named graph, queried as a union."""

    engine = "oxigraph"

    def __init__(self, path: str | Path):
        import pyoxigraph as ox

        self.path = Path(path)
        self.name = f"oxigraph:{path}"
        self.plan_graph: str | None = None  # restrict queries to one plan's named graph
        try:
            self.store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(self.name, f"cannot open the store: {exc}") from None

    def close(self) -> None:
        """Release the store (and its lock) now rather than when garbage is collected."""
        self.store = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT over the union of all plans; rows of {variable: value as text}."""
        res = self.store.query(query, use_default_graph_as_union=True)
        names = [v.value for v in res.variables]
        return [{n: sol[n].value for n in names if sol[n] is not None} for sol in res]

    def is_empty(self) -> bool:
        return len(self.store) == 0

    def load_graph(self, graph: Graph) -> None:
        """Replace the plan's named graph with ``graph`` (bulk loaded as N-Triples)."""
        import pyoxigraph as ox

        plan = next(graph.subjects(RDF.type, KP.Plan))
        name = ox.NamedNode(str(plan))
        self.store.remove_graph(name) if self.store.contains_named_graph(name) else None
        self.store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=name)
        self.store.flush()

    def query(self, text: str, form: str) -> Result:
        import pyoxigraph as ox

        try:
            if form == "UPDATE":
                self.store.update(text)
                return Result(form="ASK", boolean=True)
            if self.plan_graph:  # --plan: that plan's graphs and what plans share are the default graph
                from .corpus import VOCABULARY, links_graph

                graphs = [ox.NamedNode(g) for g in (self.plan_graph, links_graph(self.plan_graph), VOCABULARY)]
                res = self.store.query(text, default_graph=graphs)
            else:
                res = self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"syntax error: {exc}") from None
        except OSError as exc:
            raise StoreError(self.name, f"query failed: {exc}") from None
        if isinstance(res, ox.QueryBoolean):
            return Result(form="ASK", boolean=bool(res))
        if isinstance(res, ox.QueryTriples):
            g = Graph()
            for t in res:
                g.add((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)))
            return Result(form=form, graph=g)
        variables = [v.value for v in res.variables]
        rows = [[_from_ox(sol[v]) if sol[v] is not None else None for v in variables] for sol in res]
        return Result(form="SELECT", vars=variables, rows=rows)


def _from_ox(term):
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt == "http://www.w3.org/2001/XMLSchema#string" else URIRef(dt))


class EndpointStore:
    """A SPARQL 1.1 endpoint reached over HTTP (the SPARQL protocol); its engine is not
    known, so it gets the portable text of a named query."""

    engine = "endpoint"

    def __init__(self, url: str, timeout: float = 60):
        parts = urllib.parse.urlparse(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(url, "an endpoint must be an http:// or https:// URL")
        self.url = url
        self.name = url
        self.timeout = timeout

    def _post(self, body: bytes, content_type: str, accept: str) -> bytes:
        req = urllib.request.Request(self.url, data=body, method="POST",
                                     headers={"Content-Type": content_type, "Accept": accept})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(self.url, f"HTTP {exc.code}: {detail[0][:200] if detail else exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(self.url, f"cannot reach the endpoint: {getattr(exc, 'reason', exc)}") from None

    def query(self, text: str, form: str) -> Result:
        if form == "UPDATE":
            raise QueryError("updates go to an update endpoint; this command only queries", exit_code=2)
        if form in ("CONSTRUCT", "DESCRIBE"):
            data = self._post(text.encode("utf-8"), "application/sparql-query", "application/n-triples")
            g = Graph().parse(data=data.decode("utf-8"), format="nt")
            return Result(form=form, graph=g)
        data = self._post(text.encode("utf-8"), "application/sparql-query", "application/sparql-results+json")
        return from_json(json.loads(data.decode("utf-8")))


def from_json(data: dict) -> Result:
    """A :class:`Result` from SPARQL 1.1 results JSON."""
    if "boolean" in data:
        return Result(form="ASK", boolean=bool(data["boolean"]))
    variables = data["head"]["vars"]
    rows = []
    for b in data["results"]["bindings"]:
        row = []
        for v in variables:
            t = b.get(v)
            if t is None:
                row.append(None)
            elif t["type"] == "uri":
                row.append(URIRef(t["value"]))
            elif t["type"] == "bnode":
                row.append(BNode(t["value"]))
            else:
                dt = t.get("datatype")
                row.append(Literal(t["value"], lang=t.get("xml:lang"),
                                   datatype=URIRef(dt) if dt and dt != "http://www.w3.org/2001/XMLSchema#string" else None))
        rows.append(row)
    return Result(form="SELECT", vars=variables, rows=rows)


def push(graph: Graph, store_url: str, timeout: float = 60) -> str:
    """Upload a plan's graph to a Graph Store Protocol endpoint, replacing its named graph only.

    Returns:
        The IRI of the named graph written.
    """
    plan = next(graph.subjects(RDF.type, KP.Plan), None)
    if plan is None:
        raise StoreError(store_url, "the graph holds no kp:Plan to push")
    url = f"{store_url}{'&' if '?' in store_url else '?'}graph={urllib.parse.quote(str(plan), safe='')}"
    req = urllib.request.Request(url, data=graph.serialize(format="nt", encoding="utf-8"), method="PUT",
                                 headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
    except urllib.error.HTTPError as exc:
        raise StoreError(store_url, f"HTTP {exc.code}: {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(store_url, f"cannot reach the store: {getattr(exc, 'reason', exc)}") from None
    return str(plan)


def store_url_for(endpoint: str) -> str:
    """The Graph Store Protocol URL beside a query endpoint (Oxigraph and Fuseki style)."""
    if endpoint.rstrip("/").endswith("/query"):
        return endpoint.rstrip("/")[: -len("/query")] + "/store"
    if endpoint.rstrip("/").endswith("/sparql"):
        return endpoint.rstrip("/")[: -len("/sparql")] + "/data"
    return endpoint


def run(text: str, store, params: dict[str, str] | None = None, declared: dict[str, str] | None = None,
        source: str = "query", allow_service: bool = False, allow_update: bool = False,
        form: str | None = None) -> Result:
    """Check, bind and run one query on a store (``form``: the result of an earlier :func:`check`)."""
    form = form or check(text, source, allow_service=allow_service, allow_update=allow_update)
    bound = bind(text, params or {}, declared, source)
    return store.query(bound, form)


def run_named(name: str, store, **params: str) -> Result:
    """Run a bundled query by name: ``run_named("tasks-of-unit", store, unit="区科协")``."""
    q = named_queries()[name]
    return run(q.text_for(store), store, params, q.params, source=name)


def iter_names() -> Iterable[str]:
    return named_queries().keys()
