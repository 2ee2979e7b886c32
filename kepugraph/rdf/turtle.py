"""Graphs to and from files: deterministic Turtle out, any RDF syntax in."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from kepugraph.errors import GraphError
from kepugraph.rdf.namespace import KP


def serialize(g: Graph) -> bytes:
    """Deterministic Turtle (rdflib's longturtle) so graph files diff cleanly."""
    return g.serialize(format="longturtle", encoding="utf-8")


def load_graph(path: str | Path) -> Graph:
    """Load a kepugraph graph from Turtle (or any format rdflib guesses from the suffix).

    Raises:
        GraphError: missing, unreadable or invalid file, or a graph with no plan in it.
    """
    path = Path(path)
    if not path.is_file():
        raise GraphError(path, "no such file" if not path.exists() else "not a file")
    g = Graph()
    fmt = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml",
           ".trig": "trig", ".nq": "nquads"}.get(path.suffix.lower(), "turtle")
    try:
        g.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many types for bad syntax
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GraphError(path, f"invalid {fmt}: {first[:200]}") from None
    if (None, RDF.type, KP.Plan) not in g:
        raise GraphError(path, "no kp:Plan in this graph; build it with 'kepugraph build'")
    return g
