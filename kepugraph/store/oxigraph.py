"""An on-disk Oxigraph store (pyoxigraph): each plan in its own named graph, queried as a union."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from kepugraph.errors import QueryError, StoreError
from kepugraph.rdf.namespace import KP
from kepugraph.sparql.results import DEFAULT_LIMITS, Limits, Result, take
from kepugraph.store.base import BaseStore, isolated
from kepugraph.store.graphs import VOCABULARY, links_graph


def oxigraph_dir(spec: str) -> Path:
    """The folder of an ``oxigraph:DIR`` store spec.

    Raises:
        StoreError: the spec is not of that form.
    """
    if not spec.startswith("oxigraph:") or len(spec) == len("oxigraph:"):
        raise StoreError(spec, "a store is given as oxigraph:DIR")
    return Path(spec[len("oxigraph:"):])


class OxigraphStore(BaseStore):
    """An on-disk Oxigraph store; each plan in its own named graph, queried as a union."""

    engine = "oxigraph"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = f"oxigraph:{path}"
        self.plan_graph: str | None = None  # restrict queries to one plan's named graph
        try:
            # by its absolute path: RocksDB keeps the locks this process holds by the path as
            # given, so graph/store opened from two folders in one process would seem in use
            self.store = ox.Store(str(self.path.absolute()))
        except OSError as exc:
            if "LOCK" in str(exc) or "lock" in str(exc):  # RocksDB's wording, said plainly
                raise StoreError(self.name, "the store is in use by another kepugraph command; try again when it "
                                            "has finished") from None
            raise StoreError(self.name, f"cannot open the store: {_first_line(exc)}") from None
        except Exception as exc:  # RocksDB reports a damaged folder as a RuntimeError
            raise StoreError(self.name, f"cannot open the store: not an intact Oxigraph store ({_first_line(exc)})") \
                from None

    def close(self) -> None:
        """Release the store (and its lock) now rather than when garbage is collected."""
        self.store = None

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT over the union of all plans; rows of {variable: value as text}."""
        res = self.store.query(query, use_default_graph_as_union=True)
        names = [v.value for v in res.variables]
        return [{n: sol[n].value for n in names if sol[n] is not None} for sol in res]

    def is_empty(self) -> bool:
        return len(self.store) == 0

    def load_graph(self, graph: Graph) -> None:
        """Replace the plan's named graph with ``graph`` (bulk loaded as N-Triples)."""
        plan = next(graph.subjects(RDF.type, KP.Plan))
        name = ox.NamedNode(str(plan))
        self.store.remove_graph(name) if self.store.contains_named_graph(name) else None
        self.store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=name)
        self.store.flush()

    def query(self, text: str, form: str, limits: Limits = DEFAULT_LIMITS) -> Result:
        if form != "UPDATE" and limits.isolated:  # where a deadline and a memory cap hold
            return isolated(lambda: self._query(text, form, limits), limits)
        return self._query(text, form, limits)

    def _query(self, text: str, form: str, limits: Limits) -> Result:
        started = time.monotonic()
        try:
            if form == "UPDATE":
                self.store.update(text)
                return Result(form="ASK", boolean=True)
            if self.plan_graph:  # --plan: that plan's graphs and what plans share are the default graph
                graphs = [ox.NamedNode(g) for g in (self.plan_graph, links_graph(self.plan_graph), VOCABULARY)]
                res = self.store.query(text, default_graph=graphs)
            else:
                res = self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"syntax error: {exc}") from None
        except OSError as exc:
            raise StoreError(self.name, f"query failed: {exc}") from None
        try:
            return self._read(res, form, limits, started)
        except OSError as exc:  # an error met while the rows are read (a SERVICE that failed, a damaged file)
            raise StoreError(self.name, f"query failed: {_first_line(exc)}") from None

    def _read(self, res, form: str, limits: Limits, started: float) -> Result:
        if isinstance(res, ox.QueryBoolean):
            return Result(form="ASK", boolean=bool(res))
        if isinstance(res, ox.QueryTriples):
            g = Graph()
            triples, cut = take(res, limits, started)
            for t in triples:
                g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
            return Result(form=form, graph=g, truncated=cut)
        variables = [v.value for v in res.variables]
        rows, cut = take(([from_ox(sol[v]) if sol[v] is not None else None for v in variables] for sol in res),
                         limits, started)
        return Result(form="SELECT", vars=variables, rows=rows, truncated=cut)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__


def from_ox(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt == "http://www.w3.org/2001/XMLSchema#string" else URIRef(dt))
