"""Graphs to and from files: deterministic Turtle out, any RDF syntax in."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kepugraph.errors import GraphError
from kepugraph.rdf.namespace import KP
from kepugraph.safety import CONTROLS, clean_label


def serialize(g: Graph) -> bytes:
    """Deterministic Turtle, so graph files diff cleanly, written in time linear in the
    graph (rdflib's longturtle takes quadratic time on large plans: 4,000 measures, 59 s).

    Prefixes the graph binds and uses, then one block per subject (sorted), its predicates
    sorted with ``a`` first, objects sorted; terms in their prefixed form where one exists.
    """
    nm = g.namespace_manager
    names: dict = {}

    def n3(term) -> str:
        if term not in names:
            names[term] = term.n3(nm) if isinstance(term, URIRef) else term.n3()
        return names[term]

    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in g:
        by_subject[s][p].append(o)
    used = {n3(t).split(":", 1)[0] for t in (*by_subject, *{p for ps in by_subject.values() for p in ps})
            if isinstance(t, URIRef) and not n3(t).startswith("<")}
    used |= {n3(o).split(":", 1)[0] for ps in by_subject.values() for os in ps.values() for o in os
             if isinstance(o, URIRef) and not n3(o).startswith("<")}
    used |= {nm.qname(o.datatype).split(":", 1)[0] for ps in by_subject.values() for os in ps.values() for o in os
             if isinstance(o, Literal) and o.datatype is not None}
    lines = [f"PREFIX {prefix}: <{ns}>" for prefix, ns in sorted(nm.namespaces()) if prefix in used]
    for s in sorted(by_subject, key=n3):
        preds = sorted(by_subject[s], key=lambda p: (p != RDF.type, n3(p)))
        parts = [f"    {'a' if p == RDF.type else n3(p)} " + " ,\n        ".join(sorted(_obj(o, nm, n3)
                                                                                for o in by_subject[s][p]))
                 for p in preds]
        lines.append("")
        lines.append(n3(s) + "\n" + " ;\n".join(parts) + " .")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _obj(o, nm, n3) -> str:
    if isinstance(o, Literal) and o.datatype is not None:
        short = _SHORT.get(str(o.datatype))
        if short is not None and short.fullmatch(str(o)):
            return str(o)  # 50, 18.5: Turtle's own forms of xsd:integer and xsd:decimal
        return o.n3(nm)  # "2022-01-05"^^xsd:date, with the datatype's prefix
    return n3(o)


_SHORT = {"http://www.w3.org/2001/XMLSchema#integer": re.compile(r"[+-]?\d+"),
          "http://www.w3.org/2001/XMLSchema#decimal": re.compile(r"[+-]?\d*\.\d+")}


#: Graph files larger than this are refused (a plan's graph is a few hundred kilobytes).
MAX_GRAPH_BYTES = 100 * 1024 * 1024
_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml",
            ".trig": "trig", ".nq": "nquads"}


_CONTROL_RE = re.compile(f"[{CONTROLS}]")


def load_graph(path: str | Path, max_bytes: int = MAX_GRAPH_BYTES) -> Graph:
    """Load a kepugraph graph from Turtle (or any format rdflib guesses from the suffix).

    Nothing outside the file is read: a JSON-LD ``@context`` that names a document
    (remote or local) and an RDF/XML DTD or entity are refused, before parsing.

    Raises:
        GraphError: missing, not a regular file, too large, unsafe, unreadable or invalid
            file, or a graph with no plan in it.
    """
    path = Path(path)
    if not path.is_file():
        raise GraphError(path, "no such file" if not path.exists() else "not a file")
    size = path.stat().st_size
    if size > max_bytes:
        raise GraphError(path, f"file is {size} bytes, over the limit of {max_bytes} bytes")
    fmt = _FORMATS.get(path.suffix.lower(), "turtle")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GraphError(path, f"cannot read: {exc.strerror or exc}") from None
    _refuse_outside_references(path, fmt, data)
    g = Graph()
    try:
        g.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many types for bad syntax
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GraphError(path, f"invalid {fmt}: {first[:200]}") from None
    if (None, RDF.type, KP.Plan) not in g:
        raise GraphError(path, "no kp:Plan in this graph; build it with 'kepugraph build'")
    _clean_literals(g)
    return g


def _clean_literals(g: Graph) -> None:
    """Labels and texts from a graph file cleaned as a document's text is when read (a
    control character or escape sequence becomes a space), so every output can show them."""
    dirty = [(s, p, o) for s, p, o in g if isinstance(o, Literal) and _CONTROL_RE.search(o)]
    for s, p, o in dirty:
        g.remove((s, p, o))
        g.add((s, p, Literal(clean_label(str(o)), lang=o.language, datatype=o.datatype)))


def _refuse_outside_references(path: Path, fmt: str, data: bytes) -> None:
    if fmt == "xml" and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
        raise GraphError(path, "a DTD or entity declaration is refused (it could expand without end or read files)")
    if fmt == "json-ld":
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise GraphError(path, f"invalid json-ld: {exc}") from None
        ref = _context_reference(doc)
        if ref is not None:
            raise GraphError(path, f"a JSON-LD @context that names a document is refused: {str(ref)[:80]}")


def _context_reference(node) -> object | None:
    """The first @context (or @import) that names a document rather than holding terms."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            for key, value in n.items():
                if key == "@import" or key == "@context" and (
                        isinstance(value, str) or isinstance(value, list) and any(isinstance(v, str) for v in value)):
                    return value
                stack.append(value)
        elif isinstance(n, list):
            stack.extend(n)
    return None
