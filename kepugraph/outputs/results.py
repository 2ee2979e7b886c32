"""A SPARQL result as the bytes of an export format: tables, W3C results formats, graphs."""

from __future__ import annotations

import json

from kepugraph.errors import QueryError
from kepugraph.outputs.tables import format_rows
from kepugraph.outputs.workbook import Sheet, xlsx_bytes
from kepugraph.sparql.results import Result, _short, to_csv, to_json

GRAPH_FORMATS = {"ttl": "longturtle", "nt": "nt", "jsonld": "json-ld"}
TABLE_FORMATS = ("table", "csv", "tsv", "json", "md", "xlsx")


def render_result(result: Result, fmt: str) -> bytes:
    """Bytes of ``result`` in ``fmt`` (CSV without BOM; the caller adds it for files)."""
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
        return xlsx_bytes([Sheet("query", list(result.vars), [[rows[i][v] for v in result.vars] for i in range(len(rows))])])
    return format_rows(rows, result.vars, fmt).encode("utf-8")
