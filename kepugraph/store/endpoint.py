"""Any SPARQL 1.1 endpoint over HTTP (the SPARQL protocol), and ``push``: a plan's graph
uploaded with the Graph Store Protocol, one named graph per plan, with HTTP authentication
(basic or digest, as the server asks: Oxigraph's ``serve``, Virtuoso's
``/sparql-graph-crud-auth``). A password is read from an environment variable or a file,
never taken on a command line, and never written into a message."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF

from kepugraph.errors import QueryError, StoreError
from kepugraph.rdf.namespace import KP
from kepugraph.sparql.results import DEFAULT_LIMITS, Limits, Result, from_json
from kepugraph.store.base import BaseStore
from kepugraph.store.oxigraph import OxigraphStore


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
            data = self._post(_form(text), FORM, "application/n-triples", limits)
            try:
                g = Graph().parse(data=data.decode("utf-8"), format="nt")
            except Exception:  # not UTF-8, or not N-Triples: rdflib raises many types
                raise StoreError(self.url, "the answer is not N-Triples in UTF-8") from None
            return Result(form=form, graph=g)
        data = self._post(_form(text), FORM, "application/sparql-results+json", limits)
        try:
            result = from_json(json.loads(data.decode("utf-8")))
            result.rows, result.truncated = result.rows[:limits.rows], len(result.rows) > limits.rows
            return result
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            raise StoreError(self.url, "the answer is not SPARQL results JSON in UTF-8") from None


#: Where a password comes from when none is given in a file.
PASSWORD_ENV = "KEPUGRAPH_PASSWORD"
#: The query goes URL-encoded in the body (SPARQL 1.1 Protocol 2.1.2): every server reads
#: that form, while Virtuoso 7 waits for ever on a body of type application/sparql-query.
FORM = "application/x-www-form-urlencoded"


def _form(text: str) -> bytes:
    return urllib.parse.urlencode({"query": text}).encode("ascii")


@dataclass(frozen=True)
class Credentials:
    """A user and a password for HTTP authentication; the password never shows in a repr."""

    user: str
    password: str = field(repr=False)


def credentials(user: str | None, password_file: str | Path | None = None,
                env: dict[str, str] | None = None) -> Credentials | None:
    """The credentials to push with: ``user`` and the first line of ``password_file``, or
    else the ``KEPUGRAPH_PASSWORD`` environment variable; None without a user.

    Raises:
        StoreError: a user without a password, an unreadable or empty password file.
    """
    if not user:
        if password_file:
            raise StoreError(str(password_file), "a password file needs --user")
        return None
    if password_file:
        try:
            lines = Path(password_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(str(password_file), f"cannot read the password file: {getattr(exc, 'strerror', None) or 'not UTF-8 text'}") from None
        if not lines or not lines[0]:
            raise StoreError(str(password_file), "the password file is empty: the password goes on its first line")
        return Credentials(user, lines[0])
    password = (os.environ if env is None else env).get(PASSWORD_ENV)
    if not password:
        raise StoreError(user, f"no password for user {user!r}: set {PASSWORD_ENV} or give --password-file FILE")
    return Credentials(user, password)


def _opener(url: str, auth: Credentials | None) -> urllib.request.OpenerDirector:
    """An opener that answers a server's basic or digest challenge with ``auth``."""
    if auth is None:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, auth.user, auth.password)
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager),
                                       urllib.request.HTTPBasicAuthHandler(manager))


def _public(url: str) -> str:
    """The URL as messages show it: a user or password written into it is left out."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")))


def push(graph: Graph, store_url: str, timeout: float = 60, auth: Credentials | None = None) -> str:
    """Upload a plan's graph to a Graph Store Protocol endpoint, replacing its named graph only.

    Returns:
        The IRI of the named graph written.
    """
    plan = next(graph.subjects(RDF.type, KP.Plan), None)
    if plan is None:
        raise StoreError(_public(store_url), "the graph holds no kp:Plan to push")
    push_ntriples(graph.serialize(format="nt", encoding="utf-8"), str(plan), store_url, timeout, auth)
    return str(plan)


def push_ntriples(data: bytes, graph: str, store_url: str, timeout: float = 60,
                  auth: Credentials | None = None) -> None:
    """PUT N-Triples as the named graph ``graph`` of a Graph Store Protocol endpoint.

    Raises:
        StoreError: not an http(s) URL, credentials in the URL, the server refused
            (401: the user or password is wrong; the password is never in the message),
            or cannot be reached.
    """
    name = _public(store_url)
    parts = urllib.parse.urlsplit(store_url)
    if parts.scheme not in ("http", "https"):
        raise StoreError(name, "a store is pushed to over http:// or https:// only")
    if parts.username is not None or parts.password is not None:
        raise StoreError(name, f"no user or password in the URL: give --user, and the password in {PASSWORD_ENV} "
                               "or --password-file")
    url = f"{store_url}{'&' if '?' in store_url else '?'}graph={urllib.parse.quote(graph, safe='')}"
    req = urllib.request.Request(url, data=data, method="PUT", headers={"Content-Type": "application/n-triples"})
    try:
        with _opener(store_url, auth).open(req, timeout=timeout) as resp:
            resp.read()
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            who = f"user {auth.user!r}" if auth else "no user given (--user)"
            raise StoreError(name, f"HTTP {exc.code}: the server refused the upload: {who}; check the user and "
                                   "the password") from None
        raise StoreError(name, f"HTTP {exc.code}: {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise StoreError(name, f"cannot reach the store: {getattr(exc, 'reason', exc)}") from None


def push_store(oxi: OxigraphStore, store_url: str, timeout: float = 60, auth: Credentials | None = None,
               progress: Callable[[str, int], None] | None = None) -> tuple[int, int]:
    """Upload every named graph of an Oxigraph store (a corpus: its plans, their links and
    the shared vocabulary), each replacing the graph of that name.

    Returns:
        How many graphs and triples were written.
    """
    graphs = triples = 0
    for name in sorted(oxi.store.named_graphs(), key=lambda g: g.value):
        if not isinstance(name, ox.NamedNode):
            continue
        data = oxi.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        push_ntriples(data, name.value, store_url, timeout, auth)
        count = data.count(b"\n")
        graphs, triples = graphs + 1, triples + count
        if progress:
            progress(name.value, count)
    return graphs, triples


def store_url_for(endpoint: str) -> str:
    """The Graph Store Protocol URL beside a query endpoint: Oxigraph's ``/query`` → ``/store``,
    Virtuoso's ``/sparql`` (at the server's root) → ``/sparql-graph-crud-auth`` (its
    authenticated Graph Store), Fuseki's ``/DATASET/sparql`` → ``/DATASET/data``."""
    base = endpoint.rstrip("/")
    if base.endswith("/query"):
        return base[: -len("/query")] + "/store"
    if urllib.parse.urlsplit(base).path == "/sparql":
        return base + "-graph-crud-auth"
    if base.endswith("/sparql"):
        return base[: -len("/sparql")] + "/data"
    return endpoint
