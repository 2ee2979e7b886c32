"""A SPARQL result as the bytes of an export format: tables, W3C results formats, graphs."""

from __future__ import annotations

import json

from kepugraph.errors import QueryError
from kepugraph.outputs.language import ROLE_VALUES_ZH, VARIABLES_ZH, current, language
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
    variables = list(result.vars)
    if "plan" in variables:
        # one plan: the line above the table names it (see Scope), a column would repeat it;
        # several: the plan comes first
        variables.remove("plan")
        if len({row["plan"] for row in rows}) > 1:
            variables.insert(0, "plan")
    headers = list(variables)
    if current() == "zh":
        # tables people read get Chinese headers and role labels; the W3C formats above
        # (csv, tsv, json) keep the query's own variable names and values
        headers = [VARIABLES_ZH.get(v, v) for v in variables]
        for row in rows:
            if row.get("role") in ROLE_VALUES_ZH:
                row["role"] = ROLE_VALUES_ZH[row["role"]]
    if fmt == "xlsx":
        return xlsx_bytes([Sheet("query", headers, [[row[v] for v in variables] for row in rows])])
    with language("zh"):  # the headers are already in the language wanted
        return format_rows(rows, variables, fmt, headers).encode("utf-8")
