"""Any SPARQL 1.1 endpoint over HTTP (the SPARQL protocol), and ``push``: a plan's graph
uploaded with the Graph Store Protocol, one named graph per plan, with HTTP authentication
(basic or digest, as the server asks: Oxigraph's ``serve``, Virtuoso's
``/sparql-graph-crud-auth``). A password is read from an environment variable or a file,
never taken on a command line, and never written into a message."""

from __future__ import annotations

import base64
import codecs
import http.client
import json
import os
import re
import socket
import threading
import time
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
from kepugraph.store.totals import TOTALS

#: A Graph Store's answer to an upload is a status line and a few words; more is refused.
PUSH_ANSWER_BYTES = 1024 * 1024


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
        """The answer's bytes, read within the time limit overall and the size cap."""
        return b"".join(self._stream(body, content_type, accept, limits))

    def _stream(self, body: bytes, content_type: str, accept: str, limits: Limits = DEFAULT_LIMITS):
        """The answer in chunks, as they come (see :func:`exchange`)."""
        headers = {"Content-Type": content_type, "Accept": accept}
        yield from exchange("POST", self.url, body, headers, min(self.timeout, limits.seconds), limits.answer_bytes)

    def query(self, text: str, form: str, limits: Limits = DEFAULT_LIMITS) -> Result:
        if form == "UPDATE":
            raise QueryError("updates go to an update endpoint; this command only queries", exit_code=2)
        if form in ("CONSTRUCT", "DESCRIBE"):
            chunks = self._stream(_form(text), FORM, "application/n-triples", limits)
            lines, cut = _first_lines(chunks, limits.rows)
            try:
                g = Graph().parse(data="".join(lines), format="nt")
            except Exception:  # not UTF-8, or not N-Triples: rdflib raises many types
                raise StoreError(self.url, "the answer is not N-Triples in UTF-8") from None
            return Result(form=form, graph=g, truncated=cut)
        chunks = self._stream(_form(text), FORM, "application/sparql-results+json", limits)
        try:
            return _stream_results(chunks, limits.rows)
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            raise StoreError(self.url, "the answer is not SPARQL results JSON in UTF-8") from None


def exchange(method: str, url: str, body: bytes, headers: dict[str, str], seconds: float, max_bytes: int,
             where: str | None = None, auth: Credentials | None = None):
    """One HTTP request; the answer's body in chunks, as they come.

    The deadline is for the whole exchange, headers included (a server sending a byte every
    second would stretch a per-read timeout without end): at the deadline the socket is shut,
    which ends any read waiting on it. More than ``max_bytes`` of answer is refused. With
    ``auth``, a 401 that asks for basic or digest authentication is answered once, within the
    same deadline.

    Raises:
        StoreError: unreachable, an HTTP error status, past the deadline or the size cap
            (named ``where``, the URL by default).
    """
    where = where or url
    started = time.monotonic()
    parts = urllib.parse.urlsplit(url)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(parts.hostname or "", parts.port, timeout=seconds)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    late = threading.Event()
    opened: list[socket.socket] = []  # the socket, kept: http.client lets go of it once the answer began

    def cut() -> None:
        late.set()
        for sock in opened:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(seconds, cut)
    timer.daemon = True
    timer.start()
    try:
        try:
            conn.connect()
            opened.append(conn.sock)
            if late.is_set():  # the deadline passed while connecting
                cut()
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            challenge = resp.getheader("WWW-Authenticate", "") if resp.status == 401 and auth else ""
            if challenge and (answer := _authorization(challenge, method, url, body, auth)):
                resp.read(4096)
                timer.cancel()
                left = seconds - (time.monotonic() - started)
                yield from exchange(method, url, body, {**headers, "Authorization": answer}, max(left, 0.001),
                                    max_bytes, where)
                return
            if resp.status >= 400:
                detail = resp.read(4096).decode("utf-8", "replace").strip().splitlines()
                raise StoreError(where, f"HTTP {resp.status}: {detail[0][:200] if detail else resp.reason}")
            size = 0
            while chunk := resp.read1(65536):
                size += len(chunk)
                if size > max_bytes:
                    raise StoreError(where, f"the answer is over {max_bytes} bytes, the size limit")
                yield chunk
        except (http.client.HTTPException, OSError) as exc:
            if late.is_set():
                raise StoreError(where, f"no complete answer within {seconds:g} s, the time limit") from None
            raise StoreError(where, f"cannot reach the endpoint: {getattr(exc, 'strerror', None) or exc}") from None
        if late.is_set():
            raise StoreError(where, f"no complete answer within {seconds:g} s, the time limit")
    finally:
        timer.cancel()
        conn.close()


def _authorization(challenge: str, method: str, url: str, body: bytes, auth: Credentials) -> str | None:
    """The Authorization header that answers a server's challenge (basic or digest, as
    urllib would compute it); None for a scheme neither."""
    scheme, _, params = challenge.partition(" ")
    if scheme.lower() == "basic":
        return "Basic " + base64.b64encode(f"{auth.user}:{auth.password}".encode("utf-8")).decode("ascii")
    if scheme.lower() != "digest":
        return None
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, auth.user, auth.password)
    chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
    value = urllib.request.HTTPDigestAuthHandler(manager).get_authorization(
        urllib.request.Request(url, data=body, method=method), chal)
    return f"Digest {value}" if value else None


def _decoded(chunks):
    decoder = codecs.getincrementaldecoder("utf-8")()
    for chunk in chunks:
        yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


def _first_lines(chunks, rows: int) -> tuple[list[str], bool]:
    """Up to ``rows`` N-Triples lines of a streamed answer, and whether more were left."""
    lines: list[str] = []
    rest = ""
    for text in _decoded(chunks):
        rest += text
        *done, rest = rest.split("\n")
        lines += [line + "\n" for line in done if line.strip() and not line.lstrip().startswith("#")]
        if len(lines) > rows:
            return lines[:rows], True
    if rest.strip():
        lines.append(rest + "\n")
    return lines[:rows], len(lines) > rows


_BINDINGS_RE = re.compile(r'"bindings"\s*:\s*\[')


def _stream_results(chunks, rows: int) -> Result:
    """SPARQL results JSON read as it comes: ``head`` from what precedes the bindings, then one
    binding at a time, stopping after ``rows`` (the rest is never read nor held)."""
    decoder = json.JSONDecoder()
    buf = ""
    stream = _decoded(chunks)
    for text in stream:
        buf += text
        m = _BINDINGS_RE.search(buf)
        if m:
            break
    else:  # ASK, or the bindings before the head: the whole answer (within the size cap)
        return _checked(from_json(json.loads(buf)), rows)
    try:
        head = json.loads(buf[:m.end()] + "]}}")
    except ValueError:
        head = None
    if not isinstance(head, dict) or "head" not in head:  # not the usual order: read it all
        buf += "".join(stream)
        return _checked(from_json(json.loads(buf)), rows)
    bindings, pos, cut = [], m.end(), False
    while True:
        while True:  # skip the separators
            while pos < len(buf) and buf[pos] in " \t\r\n,":
                pos += 1
            if pos < len(buf):
                break
            more = next(stream, None)
            if more is None:
                raise ValueError("the answer ends inside its bindings")
            buf, pos = buf[pos:] + more, 0
        if buf[pos] == "]":
            break
        try:
            obj, end = decoder.raw_decode(buf, pos)
        except ValueError:
            more = next(stream, None)
            if more is None:
                raise
            buf, pos = buf[pos:] + more, 0
            continue
        if len(bindings) == rows:
            cut = True
            break
        bindings.append(obj)
        pos = end
    result = from_json({"head": head["head"], "results": {"bindings": bindings}})
    result.truncated = cut
    return result


def _checked(result: Result, rows: int) -> Result:
    result.rows, result.truncated = result.rows[:rows], len(result.rows) > rows
    return result


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
    try:
        # the answer is only read to its end: an endless one stops at the cap and the deadline
        for _ in exchange("PUT", url, data, {"Content-Type": "application/n-triples"}, timeout, PUSH_ANSWER_BYTES,
                          where=name, auth=auth):
            pass
    except StoreError as exc:
        if exc.problem.startswith(("HTTP 401", "HTTP 403")):
            who = f"user {auth.user!r}" if auth else "no user given (--user)"
            raise StoreError(name, f"{exc.problem.split(':')[0]}: the server refused the upload: {who}; check the user "
                                   "and the password") from None
        raise


def push_store(oxi: OxigraphStore, store_url: str, timeout: float = 60, auth: Credentials | None = None,
               progress: Callable[[str, int], None] | None = None) -> tuple[int, int]:
    """Upload every named graph of an Oxigraph store (a corpus: its plans, their links and
    the shared vocabulary), each replacing the graph of that name. The corpus totals stay
    home: they speed up this store's own commands, and a server receiving plans one by one
    would hold them stale.

    Returns:
        How many graphs and triples were written.
    """
    graphs = triples = 0
    for name in sorted(oxi.store.named_graphs(), key=lambda g: g.value):
        if not isinstance(name, ox.NamedNode) or name.value == TOTALS:
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
