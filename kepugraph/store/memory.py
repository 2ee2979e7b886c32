"""One plan in an rdflib graph, queried with rdflib's own SPARQL engine."""

from __future__ import annotations

from rdflib import Graph

from kepugraph.errors import QueryError
from kepugraph.sparql.results import Result
from kepugraph.store.base import BaseStore


class MemoryStore(BaseStore):
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
