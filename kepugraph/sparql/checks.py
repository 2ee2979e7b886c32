"""Checking a query before it runs, and binding its parameters.

Queries are read-only unless the caller allows SERVICE or updates explicitly; parameters
are bound as RDF terms in a ``VALUES`` clause, never pasted into the query text."""

from __future__ import annotations

import re
from typing import Any

from rdflib import Literal

from kepugraph.errors import QueryError

_VAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


_UNICODE_ESCAPE_RE = re.compile(r"\\[uU]")
_CHECKED: dict[tuple[str, bool, bool], str] = {}


def line_ends(text: str) -> str:
    """The query with every line end written ``\\n``: rdflib ends a ``#`` comment at ``\\n`` only,
    Oxigraph (and the grammar) at ``\\r`` too, so a text with a lone ``\\r`` reads differently on
    each and the query checked would not be the query run. Check and run this text.

    >>> line_ends("SELECT * WHERE { # x\\r SERVICE <http://h/> { ?a ?b ?c } \\r\\n }")
    'SELECT * WHERE { # x\\n SERVICE <http://h/> { ?a ?b ?c } \\n }'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check(text: str, source: str = "query", allow_service: bool = False, allow_update: bool = False) -> str:
    """Parse a query and refuse what is not allowed; return its form. The text checked is
    ``line_ends(text)``: run that text (as :func:`kepugraph.sparql.run` does).

    Returns:
        "SELECT", "ASK", "CONSTRUCT", "DESCRIBE" or "UPDATE".

    Raises:
        QueryError: a syntax error (with line and column), an update, SERVICE or LOAD
            that was not allowed.
    """
    # rdflib's SPARQL parser is imported on first use: +0.20 s at every start-up otherwise (measured)
    from pyparsing import ParserElement

    escape = _UNICODE_ESCAPE_RE.search(text)
    if escape:
        # rdflib decodes \uXXXX across the whole text before parsing, the engines only inside
        # strings and IRIs: the text checked would not be the text run, so it is refused
        line = text.count("\n", 0, escape.start()) + 1
        column = escape.start() - text.rfind("\n", 0, escape.start())
        raise QueryError("\\u and \\U escapes are refused: write the character itself", line, column, source)
    text = line_ends(text)
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
    # on first use, as in check(): the SPARQL parser costs 0.20 s at start-up (measured)
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser

    try:
        parsed = parser.parseQuery(text)
    except ParseException as qexc:
        try:
            update = parser.parseUpdate(text)
        except ParseException:
            raise QueryError(f"syntax error: {_syntax_message(qexc)}", qexc.lineno, qexc.col, source) from None
        return _check_update(update, source, allow_service, allow_update)
    if _contains(parsed, "ServiceGraphPattern") and not allow_service:
        raise QueryError("SERVICE is refused: it would query another endpoint", source=source, remedy="allow_service")
    form = parsed[1].name
    return {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
            "DescribeQuery": "DESCRIBE"}.get(form, form)


def _check_update(update, source: str, allow_service: bool, allow_update: bool) -> str:
    if not allow_update:
        what = "LOAD" if _contains(update, "Load") else "an update"
        raise QueryError(f"{what} is refused: queries are read-only", source=source, remedy="allow_update")
    if _contains(update, "ServiceGraphPattern") and not allow_service:
        raise QueryError("SERVICE is refused: it would query another endpoint", source=source, remedy="allow_service")
    return "UPDATE"


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


def terms(text: str, params: dict[str, str], declared: dict[str, str] | None = None,
          source: str = "query") -> dict[str, Literal]:
    """The RDF terms ``params`` bind: plain literals, and for a query that names ``?NAME_zh``
    the value of ``NAME`` as a Chinese-tagged literal there too, to match labels (``"区科协"@zh``)
    in a pattern, which every engine can look up in an index.

    >>> terms("SELECT ?u WHERE { ?u ?p ?unit_zh }", {"unit": "区科协"})
    {'unit': rdflib.term.Literal('区科协'), 'unit_zh': rdflib.term.Literal('区科协', lang='zh')}

    Raises:
        QueryError: an unknown, missing or invalid parameter, or a value with ``\\u`` escapes.
    """
    if declared is not None:
        unknown = sorted(set(params) - set(declared))
        if unknown:
            raise QueryError(f"unknown parameter {unknown[0]!r}; this query takes: {', '.join(declared) or 'none'}",
                             source=source)
        missing = [p for p in declared if p not in params]
        if missing:
            raise QueryError(f"missing parameter {missing[0]!r}: {declared[missing[0]]}", source=source,
                             remedy=f"param:{missing[0]}")
    for name, value in params.items():
        if not _VAR_RE.match(name):
            raise QueryError(f"invalid parameter name {name!r}", source=source)
        if _UNICODE_ESCAPE_RE.search(value):  # rdflib would decode it inside the bound text
            raise QueryError(f"parameter {name!r}: \\u and \\U escapes are refused: write the character itself",
                             source=source)
    out = {n: Literal(v) for n, v in params.items()}
    for n, v in params.items():
        if re.search(rf"[?$]{n}_zh\b", text):
            out[f"{n}_zh"] = Literal(v, lang="zh")
    return out


def bind(text: str, params: dict[str, str], declared: dict[str, str] | None = None, source: str = "query") -> str:
    """The query text with ``params`` bound in a ``VALUES`` clause at the top of the WHERE group,
    for an engine that takes no bindings of its own (an endpoint). See :func:`terms`.

    The values are serialised as RDF terms (quotes and backslashes escaped) and the clause
    goes where the SPARQL tokens (not the text: strings, IRIs and comments are skipped) open
    the WHERE group, so a value cannot change the query. Check the result again all the same.

    >>> print(bind("SELECT ?m WHERE { ?m ?p ?unit }", {"unit": 'a"} DROP ALL'}).splitlines()[1])
      VALUES (?unit) { ("a\\"} DROP ALL") }
    >>> print(bind("SELECT ?u WHERE { ?u ?p ?unit_zh }", {"unit": "区科协"}).splitlines()[1])
      VALUES (?unit ?unit_zh) { ("区科协" "区科协"@zh) }
    >>> print(bind("SELECT * { BIND(\'\'\'WHERE {\'\'\' AS ?x) }", {"y": "1"}))
    SELECT * { BIND(\'\'\'WHERE {\'\'\' AS ?x) }
    VALUES (?y) { ("1") }
    <BLANKLINE>
    """
    bound = terms(text, params, declared, source)
    if not bound:
        return text
    names = " ".join(f"?{n}" for n in bound)
    values = " ".join(t.n3() for t in bound.values())
    clause = f"VALUES ({names}) {{ ({values}) }}"
    # at the top of the WHERE group, so the engine starts from the bound value
    # (a trailing VALUES is joined only after the whole pattern was evaluated)
    where = _where_group(text)
    if where is not None:
        return f"{text[:where]}\n  {clause}\n{text[where:]}"
    return f"{text.rstrip()}\n{clause}\n"


# The tokens that can hold a 'WHERE {' that is none: strings (long ones first), IRIs, comments
_Q1, _Q2 = "'" * 3, '"' * 3
_SKIP_RE = re.compile("|".join([
    _Q1 + r"(?:[^'\\]|\\.|'(?!''))*" + _Q1, _Q2 + r'(?:[^"\\]|\\.|"(?!""))*' + _Q2,  # long strings first
    r"'(?:[^'\\\n\r]|\\.)*'", r'"(?:[^"\\\n\r]|\\.)*"',
    r'<[^<>"{}|^`\\\x00-\x20]*>', r"#[^\n\r]*"]), re.S)
_WORD_RE = re.compile(r"(?<![\w:?$.-])WHERE\s*", re.I)


def _where_group(text: str) -> int | None:
    """The offset just past the ``{`` of the first ``WHERE {`` among the query's tokens."""
    pos = 0
    while pos < len(text):
        c = text[pos]
        if c in "'\"<#":
            m = _SKIP_RE.match(text, pos)
            if m:
                pos = m.end()
                continue
        elif c in "wW":
            m = _WORD_RE.match(text, pos)
            if m:
                after = m.end()
                while after < len(text) and text[after] == "#":  # WHERE # comment \n {
                    after = _SKIP_RE.match(text, after).end()
                    after += len(text[after:]) - len(text[after:].lstrip())
                if text.startswith("{", after):
                    return after + 1
                pos = after
                continue
        pos += 1
    return None
