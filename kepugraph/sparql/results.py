"""A query's result, and the W3C SPARQL 1.1 results formats (JSON, CSV, TSV) in and out."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from kepugraph.errors import QueryError
from kepugraph.safety import inert


@dataclass
class Result:
    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE
    vars: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)  # rdflib terms or None
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False  # the row limit was hit: more rows exist than are here

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
    """W3C SPARQL CSV (plain values) or TSV (terms in Turtle syntax, ``?var`` header).

    A text literal opening like a spreadsheet formula gets a leading ' in CSV, which
    Excel and WPS open (see :func:`inert`); TSV keeps the terms exact.
    """
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
        w.writerow(["" if t is None else inert(str(t)) if isinstance(t, Literal) else str(t) for t in row])
    return buf.getvalue()


@dataclass
class Limits:
    """How much one query may take: rows (or triples) kept, seconds, bytes of an answer."""

    rows: int = 100_000
    seconds: float = 60.0
    answer_bytes: int = 200 * 1024 * 1024
    # a store's own engine runs the query in a worker process killed at the deadline or past
    # this much memory of its own (see kepugraph.store.worker); off for trusted inner queries
    memory_bytes: int = 768 * 1024 * 1024
    isolated: bool = True


DEFAULT_LIMITS = Limits()


def take(items, limits: Limits, started: float) -> tuple[list, bool]:
    """Up to ``limits.rows`` items of an iterator, and whether more were left.

    Raises:
        QueryError: the time limit passed while the rows were read.
    """
    out = []
    for item in items:
        if len(out) >= limits.rows:
            return out, True
        if time.monotonic() - started > limits.seconds:
            raise QueryError(f"stopped after {limits.seconds:g} s, the time limit", remedy="timeout", exit_code=1)
        out.append(item)
    return out, False


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


def _short(term) -> Any:
    if term is None:
        return ""
    if isinstance(term, Literal):
        value = term.toPython()
        return value if isinstance(value, (int, float)) else str(term)
    return str(term)
