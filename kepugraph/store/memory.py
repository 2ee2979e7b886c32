"""One plan in an rdflib graph, queried with rdflib's own SPARQL engine."""

from __future__ import annotations

import time

from rdflib import Graph

from kepugraph.errors import QueryError
from kepugraph.sparql.results import DEFAULT_LIMITS, Limits, Result, take
from kepugraph.store.base import BaseStore, isolated


class MemoryStore(BaseStore):
    """An rdflib graph (one plan) — rdflib's own SPARQL engine."""

    name = "memory"
    engine = "rdflib"
    binds = True  # parameters go to rdflib as initBindings, never into the text

    def __init__(self, graph: Graph):
        self.graph = graph

    def query(self, text: str, form: str, limits: Limits = DEFAULT_LIMITS, bindings: dict | None = None) -> Result:
        if form != "UPDATE" and limits.isolated:  # where a deadline and a memory cap hold
            return isolated(lambda: self._query(text, form, limits, bindings), limits)
        return self._query(text, form, limits, bindings)

    def _query(self, text: str, form: str, limits: Limits, bindings: dict | None) -> Result:
        if form == "UPDATE":
            self.graph.update(text, initBindings=bindings or {})
            return Result(form="ASK", boolean=True)
        started = time.monotonic()
        try:  # rdflib evaluates lazily: errors (a bad REGEX, GRAPH ?g) come while rows are read
            res = self.graph.query(text, initBindings=bindings or {})
            if res.type == "ASK":
                return Result(form="ASK", boolean=bool(res.askAnswer))
            if res.type in ("CONSTRUCT", "DESCRIBE"):
                g = Graph()
                for prefix, ns in self.graph.namespaces():
                    g.bind(prefix, ns)
                triples, cut = take(iter(res), limits, started)
                for t in triples:
                    g.add(t)
                return Result(form=res.type, graph=g, truncated=cut)
            rows, cut = take((list(r) for r in res), limits, started)
            return Result(form="SELECT", vars=[str(v) for v in res.vars], rows=rows, truncated=cut)
        except QueryError:
            raise
        except Exception as exc:  # evaluation errors from rdflib, of many types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise QueryError(f"query failed: {first[:200]}") from None
