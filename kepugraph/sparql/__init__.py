"""SPARQL: named queries, checks, parameter binding and results.

A query runs on any store of :mod:`kepugraph.store` (anything with ``query(text, form)``
and an ``engine`` name)."""

from __future__ import annotations

from kepugraph.sparql.checks import bind, check, line_ends, terms
from kepugraph.sparql.queries import NamedQuery, named_queries, resolve
from kepugraph.sparql.results import Limits, Result, from_json, to_csv, to_json

__all__ = ["run", "run_named", "check", "bind", "named_queries", "resolve", "NamedQuery",
           "Result", "Limits", "to_json", "to_csv", "from_json"]


def run(text: str, store, params: dict[str, str] | None = None, declared: dict[str, str] | None = None,
        source: str = "query", allow_service: bool = False, allow_update: bool = False,
        form: str | None = None, limits: Limits | None = None) -> Result:
    """Check, bind and run one query on a store (``form``: the result of an earlier :func:`check`).

    ``limits`` caps rows (the result says when it was cut), seconds and answer bytes.
    """
    text = line_ends(text)  # the text check() read: a lone \r ends a comment for one engine only
    form = form or check(text, source, allow_service=allow_service, allow_update=allow_update)
    if getattr(store, "binds", False):  # the engine binds the terms itself: the text stays as checked
        return store.query(text, form, limits or Limits(), bindings=terms(text, params or {}, declared, source))
    bound = bind(text, params or {}, declared, source)
    if bound != text:  # the text the engine runs is checked, not only the text given
        check(bound, source, allow_service=allow_service, allow_update=allow_update)
    return store.query(bound, form, limits or Limits())


def run_named(name: str, store, **params: str) -> Result:
    """Run a bundled query by name: ``run_named("tasks-of-unit", store, unit="区科协")``."""
    q = named_queries()[name]
    return run(q.text_for(store), store, params, q.params, source=name)
