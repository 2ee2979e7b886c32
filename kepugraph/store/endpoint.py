"""Any SPARQL 1.1 endpoint over HTTP (the SPARQL protocol), and ``push``: a plan's graph
uploaded with the Graph Store Protocol, one named graph per plan."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

from rdflib import Graph
from rdflib.namespace import RDF

from kepugraph.errors import QueryError, StoreError
from kepugraph.rdf.namespace import KP
from kepugraph.sparql.results import DEFAULT_LIMITS, Limits, Result, from_json
from kepugraph.store.base import BaseStore


class EndpointStore(BaseStore):
    """A SPARQL 1.1 endpoint reached over HTTP (the SPARQL protocol); its engine is not
    known, so it gets the portable text of a named query."""

    engine = "endpoint"

    def __init__(self, url: str, timeout: float = 60):
        try:
            parts = urllib.parse.urlparse(url)
            parts.port  # noqa: B018 - a bad port or bracket raises here, not later
        except ValueError as exc:
            raise StoreError(url, f"not a valid URL: {exc}") from None
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(url, "an endpoint must be an http:// or https:// URL")
        self.url = url
        self.name = url
        self.timeout = timeout

    def _post(self, body: bytes, content_type: str, accept: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
        """The answer's bytes, read within the time limit overall (not per read, which a
        server sending a byte a second would stretch without end) and the size cap."""
        req = urllib.request.Request(self.url, data=body, method="POST",
                                     headers={"Content-Type": content_type, "Accept": accept})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=min(self.timeout, limits.seconds)) as resp:
                chunks, size = [], 0
                while chunk := resp.read1(65536):
                    size += len(chunk)
                    if size > limits.answer_bytes:
                        raise StoreError(self.url, f"the answer is over {limits.answer_bytes} bytes, the size limit")
                    if time.monotonic() - started > limits.seconds:
                        raise StoreError(self.url, f"no complete answer within {limits.seconds:g} s, the time limit")
                    chunks.append(chunk)
                return b"".join(chunks)
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(self.url, f"HTTP {exc.code}: {detail[0][:200] if detail else exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(self.url, f"cannot reach the endpoint: {getattr(exc, 'reason', exc)}") from None

    def query(self, text: str, form: str, limits: Limits = DEFAULT_LIMITS) -> Result:
        if form == "UPDATE":
            raise QueryError("updates go to an update endpoint; this command only queries", exit_code=2)
        if form in ("CONSTRUCT", "DESCRIBE"):
            data = self._post(text.encode("utf-8"), "application/sparql-query", "application/n-triples", limits)
            try:
                g = Graph().parse(data=data.decode("utf-8"), format="nt")
            except Exception:  # not UTF-8, or not N-Triples: rdflib raises many types
                raise StoreError(self.url, "the answer is not N-Triples in UTF-8") from None
            return Result(form=form, graph=g)
        data = self._post(text.encode("utf-8"), "application/sparql-query", "application/sparql-results+json", limits)
        try:
            result = from_json(json.loads(data.decode("utf-8")))
            result.rows, result.truncated = result.rows[:limits.rows], len(result.rows) > limits.rows
            return result
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            raise StoreError(self.url, "the answer is not SPARQL results JSON in UTF-8") from None


def push(graph: Graph, store_url: str, timeout: float = 60) -> str:
    """Upload a plan's graph to a Graph Store Protocol endpoint, replacing its named graph only.

    Returns:
        The IRI of the named graph written.
    """
    if urllib.parse.urlsplit(store_url).scheme not in ("http", "https"):
        raise StoreError(store_url, "a store is pushed to over http:// or https:// only")
    plan = next(graph.subjects(RDF.type, KP.Plan), None)
    if plan is None:
        raise StoreError(store_url, "the graph holds no kp:Plan to push")
    url = f"{store_url}{'&' if '?' in store_url else '?'}graph={urllib.parse.quote(str(plan), safe='')}"
    req = urllib.request.Request(url, data=graph.serialize(format="nt", encoding="utf-8"), method="PUT",
                                 headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
    except urllib.error.HTTPError as exc:
        raise StoreError(store_url, f"HTTP {exc.code}: {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(store_url, f"cannot reach the store: {getattr(exc, 'reason', exc)}") from None
    return str(plan)


def store_url_for(endpoint: str) -> str:
    """The Graph Store Protocol URL beside a query endpoint (Oxigraph and Fuseki style)."""
    if endpoint.rstrip("/").endswith("/query"):
        return endpoint.rstrip("/")[: -len("/query")] + "/store"
    if endpoint.rstrip("/").endswith("/sparql"):
        return endpoint.rstrip("/")[: -len("/sparql")] + "/data"
    return endpoint
