"""The one seam between kg and the database: embedded Oxigraph, a remote SPARQL endpoint, or memory.

RDF crosses this seam as text (N-Quads, N-Triples, SPARQL), never triple by triple.
Every store answers the same methods and returns the same pyoxigraph types, so callers
cannot tell an embedded store from a remote one.

>>> with open_store(path=":memory:") as store:
...     store.replace_graphs('<http://ex.org/s> <http://ex.org/p> "o" <http://ex.org/g> .\\n',
...                          graphs=["http://ex.org/g"])
...     store.count(), store.named_graphs()
(1, ['http://ex.org/g'])

Remote endpoints: queries are POSTed to the query URL and updates to the update URL.
For an Oxigraph server these are ``<base>/query`` and ``<base>/update``; when
``update_endpoint`` is not given and the endpoint ends in ``/query``, the update URL is
the same URL ending in ``/update`` (otherwise the endpoint itself takes updates, as
Virtuoso's ``/sparql`` does). HTTP basic auth comes from the environment variables
``KG_ENDPOINT_USER`` and ``KG_ENDPOINT_PASSWORD`` (or from ``user:password@`` in the
URL); the password never appears in a message.

The union default graph (the default graph seen as the merge of all graphs, which is
how kg queries read its one-graph-per-article data) is asked of the server with the
``union-default-graph`` request parameter, which Oxigraph server understands. Other
servers ignore it and use their own setting (GraphDB and Virtuoso query the union by
default; Fuseki needs ``tdb2:unionDefaultGraph true`` in its configuration).
"""
from __future__ import annotations

import abc
import atexit
import base64
import contextlib
import functools
import http.client
import os
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import BinaryIO, Iterator

import pyoxigraph as ox

from kg.vocab import PREFIXES

MEMORY = ":memory:"
DEFAULT_STORE_PATH = "kg-store"
USER_ENV = "KG_ENDPOINT_USER"
PASSWORD_ENV = "KG_ENDPOINT_PASSWORD"

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
}
SPARQL_JSON = "application/sparql-results+json"
UNION_CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
ALL_QUADS_COUNT = (
    "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
)
NAMED_GRAPHS_SELECT = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class StoreError(Exception):
    """A store problem told in one line a person can act on (what failed, and where).

    >>> str(StoreError("no store at ./kg-store; run `kg ingest` first"))
    'no store at ./kg-store; run `kg ingest` first'
    """


def open_store(
    *,
    path: str | os.PathLike | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    read_only: bool = False,
    timeout: float = 30.0,
    attempts: int = 3,
    backoff: float = 0.2,
) -> Store:
    """Open the embedded store at `path` (default), a remote `endpoint`, or memory (":memory:").

    >>> store = open_store(path=":memory:")
    >>> type(store).__name__, store.location
    ('EmbeddedStore', ':memory:')
    """
    if endpoint is not None:
        if path is not None:
            raise StoreError("give either a store path or a SPARQL endpoint, not both")
        return RemoteStore(endpoint, update_endpoint=update_endpoint, read_only=read_only,
                           timeout=timeout, attempts=attempts, backoff=backoff)
    return EmbeddedStore(DEFAULT_STORE_PATH if path is None else path, read_only=read_only)


class Store(abc.ABC):
    """What every store offers; `EmbeddedStore` and `RemoteStore` fill in the engine.

    >>> with open_store(path=":memory:") as store:
    ...     store.update("INSERT DATA { GRAPH kgid:g { kgid:a schema:name 'A' } }")
    ...     store.select("SELECT ?name WHERE { ?x schema:name ?name }")[0]["name"].value
    'A'
    """

    location: str
    read_only: bool

    @abc.abstractmethod
    def query(self, sparql: str, *, union_default_graph: bool = True) -> QueryResult:
        """Run a SPARQL query with the project prefixes pre-bound.

        >>> open_store(path=":memory:").query("SELECT ?x { BIND(schema:Claim AS ?x) }").variables
        [<Variable value=x>]
        """

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Apply one SPARQL UPDATE atomically: all of it, or nothing.

        >>> open_store(path=":memory:").update("CLEAR ALL")
        """

    @abc.abstractmethod
    def dump(self, output: BinaryIO, *, format: str, graph: str | None = None) -> None:
        """Stream the store, or one graph's triples, to `output` (nquads, trig, turtle or nt).

        >>> import io
        >>> open_store(path=":memory:").dump(io.BytesIO(), format="trig")
        """

    @abc.abstractmethod
    def load(self, data: bytes | str, *, format: str, graph: str | None = None) -> None:
        """Add RDF text atomically, triples into `graph` when given.

        >>> open_store(path=":memory:").load("", format="nquads")
        """

    def select(self, sparql: str, *, union_default_graph: bool = True) -> list[dict[str, Term]]:
        """Rows of a SELECT as dicts from variable name to term; unbound variables are left out.

        >>> store = open_store(path=":memory:")
        >>> store.select("SELECT ?x ?y WHERE { VALUES ?x { kg:A } }")
        [{'x': <NamedNode value=https://w3id.org/kg-claims/ontology#A>}]
        """
        solutions = self.query(sparql, union_default_graph=union_default_graph)
        if not isinstance(solutions, ox.QuerySolutions):
            raise StoreError(f"expected a SELECT query, got {_query_form(solutions)}")
        names = [variable.value for variable in solutions.variables]
        rows = []
        solution = None
        try:
            with self._reading():
                for solution in solutions:
                    rows.append(_solution_dict(solution, names))
        finally:
            # pyoxigraph's solutions belong to the thread that made them. A failed read keeps
            # this frame alive in the error's traceback, and a garbage collection started by
            # another thread would free them there (pytest: "PyQuerySolutions is unsendable,
            # but is being dropped on another thread"); they go now, on this thread.
            del solutions, solution
        return rows

    def ask(self, sparql: str, *, union_default_graph: bool = True) -> bool:
        """The answer of an ASK query.

        >>> open_store(path=":memory:").ask("ASK { ?s ?p ?o }")
        False
        """
        answer = self.query(sparql, union_default_graph=union_default_graph)
        if not isinstance(answer, ox.QueryBoolean):
            raise StoreError(f"expected an ASK query, got {_query_form(answer)}")
        return bool(answer)

    def replace_graphs(self, nquads: str, *, graphs: list[str]) -> None:
        """Drop `graphs` and insert `nquads` in one atomic update; quads must lie in `graphs`.

        >>> store = open_store(path=":memory:")
        >>> quad = '<http://ex.org/s> <http://ex.org/p> "o" <http://ex.org/g> .\\n'
        >>> store.replace_graphs(quad, graphs=["http://ex.org/g"])
        >>> store.replace_graphs(quad, graphs=["http://ex.org/g"])
        >>> store.count(graph="http://ex.org/g")
        1
        """
        update = replace_graphs_update(nquads, graphs=graphs)
        if update:
            self.update(update)

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted.

        >>> store = open_store(path=":memory:")
        >>> store.update("CREATE GRAPH <http://ex.org/g>")
        >>> store.named_graphs()
        ['http://ex.org/g']
        """
        rows = self.select(NAMED_GRAPHS_SELECT, union_default_graph=False)
        return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))

    def count(self, graph: str | None = None) -> int:
        """The number of quads in the store, or of triples in `graph`.

        >>> store = open_store(path=":memory:")
        >>> store.update("INSERT DATA { <http://ex.org/s> <http://ex.org/p> 1, 2 }")
        >>> store.count(), store.count(graph="http://ex.org/none")
        (2, 0)
        """
        sparql = ALL_QUADS_COUNT if graph is None else _graph_count(graph)
        return int(self.select(sparql, union_default_graph=False)[0]["n"].value)

    def flush(self) -> None:
        """Write buffered data to disk (the embedded store's write buffers grow until then)."""

    def close(self) -> None:
        """Release the store.

        >>> open_store(path=":memory:").close()
        """

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _reading(self) -> contextlib.AbstractContextManager[None]:
        return _errors_as_store_error(f"query failed on {self.location}")

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.location} was opened read-only; updates are refused")


class EmbeddedStore(Store):
    """An Oxigraph store on disk at `path` (a directory), or in memory when `path` is ":memory:".

    A read-only store is a snapshot of the data as it was when it was opened; it can be
    opened while another process holds the store for writing.

    >>> with EmbeddedStore(":memory:") as store:
    ...     store.load('<http://ex.org/s> <http://ex.org/p> "o" .', format="nt", graph="http://ex.org/g")
    ...     store.named_graphs()
    ['http://ex.org/g']
    """

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False) -> None:
        self.location = os.fspath(path)
        self.read_only = read_only
        self._store: ox.Store | None = _open_embedded(self.location, read_only=read_only)

    def __repr__(self) -> str:
        return f"EmbeddedStore({self.location!r}, read_only={self.read_only})"

    def query(self, sparql: str, *, union_default_graph: bool = True) -> QueryResult:
        """Run a SPARQL query; the project prefixes are pre-bound.

        >>> store = EmbeddedStore(":memory:")
        >>> store.update("INSERT DATA { GRAPH kgid:g { kgid:a a schema:Person } }")
        >>> bool(store.query("ASK { ?x a schema:Person }"))
        True
        >>> bool(store.query("ASK { ?x a schema:Person }", union_default_graph=False))
        False
        """
        store = self._opened()
        with _syntax_errors("invalid SPARQL query"), self._reading():
            return store.query(sparql, prefixes=PREFIXES,
                               use_default_graph_as_union=union_default_graph)

    def update(self, sparql: str) -> None:
        """Apply one SPARQL UPDATE in one transaction: all of it, or nothing.

        >>> store = EmbeddedStore(":memory:")
        >>> store.update("INSERT DATA { kgid:a schema:name 'A' }")
        >>> len(store.select("SELECT * { ?s ?p ?o }"))
        1
        """
        self._refuse_if_read_only()
        store = self._opened()
        with _syntax_errors("invalid SPARQL update"), self._writing():
            store.update(sparql, prefixes=PREFIXES)

    def load(self, data: bytes | str, *, format: str, graph: str | None = None) -> None:
        """Add RDF text in one transaction; triples go into `graph` when given.

        >>> store = EmbeddedStore(":memory:")
        >>> store.load('<http://ex.org/s> <http://ex.org/p> "o" <http://ex.org/g> .', format="nquads")
        >>> store.count(graph="http://ex.org/g")
        1
        """
        self._refuse_if_read_only()
        rdf_format = rdf_format_named(format)
        store = self._opened()
        with _syntax_errors(f"invalid {rdf_format.name} data"), self._writing():
            store.load(data, rdf_format, to_graph=_graph_node(graph))

    def replace_graphs(self, nquads: str, *, graphs: list[str]) -> None:
        """Drop `graphs` and insert `nquads` in one transaction; quads must lie in `graphs`.

        When none of the graphs is in the store yet (an ingest's new article versions), the
        parsed quads are added in one transactional `extend`: nothing to drop, and no SPARQL
        text to write and parse (which took longer than the NLP of the article's claims).

        >>> store = EmbeddedStore(":memory:")
        >>> store.replace_graphs('<http://ex.org/s> <http://ex.org/p> "o" <http://ex.org/g> .', graphs=["http://ex.org/g"])
        >>> store.replace_graphs('<http://ex.org/s> <http://ex.org/p> "n" <http://ex.org/g> .', graphs=["http://ex.org/g"])
        >>> [quad.object.value for quad in store._opened()]
        ['n']
        """
        self._refuse_if_read_only()
        quads = parse_quads(nquads, graphs=graphs)
        store = self._opened()
        with self._writing():
            if any(store.contains_named_graph(ox.NamedNode(graph)) for graph in graphs):
                store.update(replace_graphs_update(nquads, graphs=graphs), prefixes=PREFIXES)
            else:
                store.extend(quads)

    def dump(self, output: BinaryIO, *, format: str, graph: str | None = None) -> None:
        """Stream one graph, or everything, to `output`.

        With no `graph`, quad formats (nquads, trig) write the whole dataset and triple
        formats (turtle, nt) write the merge of all graphs.

        >>> import io
        >>> store = EmbeddedStore(":memory:")
        >>> store.update("INSERT DATA { GRAPH <http://ex.org/g> { <http://ex.org/s> <http://ex.org/p> 1 } }")
        >>> out = io.BytesIO()
        >>> store.dump(out, format="nt")
        >>> out.getvalue()
        b'<http://ex.org/s> <http://ex.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\\n'
        """
        rdf_format = rdf_format_named(format)
        store = self._opened()
        with self._reading():
            if graph is None and not rdf_format.supports_datasets:
                triples = store.query(UNION_CONSTRUCT, use_default_graph_as_union=True)
                triples.serialize(output, rdf_format)
            else:
                store.dump(output, rdf_format, from_graph=_graph_node(graph), prefixes=PREFIXES)

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted.

        >>> EmbeddedStore(":memory:").named_graphs()
        []
        """
        with self._reading():
            graphs = self._opened().named_graphs()
            return sorted(graph.value for graph in graphs if isinstance(graph, ox.NamedNode))

    def count(self, graph: str | None = None) -> int:
        """The number of quads in the store, or of triples in `graph`.

        >>> EmbeddedStore(":memory:").count()
        0
        """
        if graph is not None:
            return super().count(graph)
        with self._reading():
            return len(self._opened())

    def flush(self) -> None:
        """Write buffered data to disk and reopen the store (long ingests call it).

        Flushing releases RocksDB's write buffers; reopening releases the index and filter
        blocks it keeps for every table file it has read, which otherwise grow with the
        store for as long as the handle lives. Results of `query()` must be consumed first.

        >>> EmbeddedStore(":memory:").flush()
        """
        if self._store is not None and not self.read_only and self.location != MEMORY:
            with self._writing():
                self._store.flush()
                self._store = None  # the last reference: RocksDB closes and releases its lock
                self._store = _open_embedded(self.location, read_only=False)

    def close(self) -> None:
        """Flush to disk and release the store (and its lock).

        >>> store = EmbeddedStore(":memory:")
        >>> store.close()
        >>> store.count()
        Traceback (most recent call last):
        kg.store.StoreError: store :memory: is closed
        """
        store, self._store = self._store, None
        if store is not None and not self.read_only and self.location != MEMORY:
            with self._writing():
                store.flush()

    def _reading(self) -> contextlib.AbstractContextManager[None]:
        vanished = (f"store {self.location} changed while it was read "
                    "(another kg process is writing to it); try again")
        return _errors_as_store_error(f"query failed on store {self.location}",
                                      vanished=vanished if self.read_only else None)

    def _opened(self) -> ox.Store:
        if self._store is None:
            raise StoreError(f"store {self.location} is closed")
        return self._store

    def _writing(self) -> contextlib.AbstractContextManager[None]:
        return _errors_as_store_error(f"update failed on store {self.location}")


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint over HTTP (Oxigraph server, Fuseki, GraphDB, Virtuoso).

    Connection errors, timeouts and HTTP 5xx are retried `attempts` times with
    exponential backoff (`backoff`, then twice that, ...); HTTP 4xx is not retried.

    >>> store = RemoteStore("http://user:secret@127.0.0.1:7878/query")
    >>> store.location, store.update_url
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update')
    """

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None,
                 read_only: bool = False, timeout: float = 30.0, attempts: int = 3,
                 backoff: float = 0.2) -> None:
        self.location, url_credentials = _split_credentials(endpoint)
        self.update_url, _ = _split_credentials(update_endpoint or _update_url_for(self.location))
        self.read_only = read_only
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self._credentials = _credentials_from_env() or url_credentials

    def __repr__(self) -> str:
        return f"RemoteStore({self.location!r}, update_endpoint={self.update_url!r})"

    def query(self, sparql: str, *, union_default_graph: bool = True) -> QueryResult:
        """POST a query; the project prefixes the query does not declare are prepended.

        The query is parsed locally first, so a syntax error reads exactly as with the
        embedded store. Results come back as the same pyoxigraph types.

        >>> RemoteStore("http://127.0.0.1:7878/query").query("SELECT ?x WHERE { ?x }")
        Traceback (most recent call last):
        kg.store.StoreError: invalid SPARQL query at line 1, column 23: expected ...
        """
        triples = _query_form_of(sparql) is ox.QueryTriples
        body = self._post(self.location, _with_prologue(sparql),
                          content_type="application/sparql-query",
                          accept=ox.RdfFormat.N_TRIPLES.media_type if triples else SPARQL_JSON,
                          union=union_default_graph and not _declares_dataset(sparql))
        with _syntax_errors(f"unreadable answer from SPARQL endpoint {self.location}"):
            return _triples_from_ntriples(body) if triples else _results_from_json(body)

    def update(self, sparql: str) -> None:
        """POST one SPARQL UPDATE (applied atomically by the server) to the update URL.

        >>> RemoteStore("http://127.0.0.1:7878/query", read_only=True).update("CLEAR ALL")
        Traceback (most recent call last):
        kg.store.StoreError: store http://127.0.0.1:7878/query was opened read-only; updates are refused
        """
        self._refuse_if_read_only()
        check_update_syntax(sparql)
        self._post(self.update_url, _with_prologue(sparql),
                   content_type="application/sparql-update", accept=None)

    def load(self, data: bytes | str, *, format: str, graph: str | None = None) -> None:
        """Parse RDF text locally and send it as one INSERT DATA (atomic on the server).

        >>> RemoteStore("http://127.0.0.1:7878/query").load("<s> <p>", format="nt")
        Traceback (most recent call last):
        kg.store.StoreError: invalid N-Triples data at line 1 between columns 1 and 4: ...
        """
        self._refuse_if_read_only()
        dataset = parse_into_memory(data, format=rdf_format_named(format), graph=graph)
        update = insert_data_update(dataset)
        if update:
            self.update(update)

    def dump(self, output: BinaryIO, *, format: str, graph: str | None = None) -> None:
        """Stream one graph, or everything, to `output` in chunks, as `EmbeddedStore.dump`.

        Triple formats (or one graph) come from one CONSTRUCT; quad formats without a
        graph from one CONSTRUCT per graph, rewritten line by line (no parsing).

        >>> import io
        >>> RemoteStore("http://127.0.0.1:7878/query").dump(io.BytesIO(), format="rdfa")
        Traceback (most recent call last):
        kg.store.StoreError: unknown RDF format 'rdfa' (use one of nquads, trig, turtle, nt)
        """
        rdf_format = rdf_format_named(format)
        if graph is None and rdf_format.supports_datasets:
            self._dump_dataset(output, rdf_format)
        elif graph is None:
            self._stream_construct(output, UNION_CONSTRUCT, rdf_format, union=True)
        else:
            triple_format = _triple_format_for(rdf_format)
            self._stream_construct(output, _graph_construct(graph), triple_format, union=False)

    def _dump_dataset(self, output: BinaryIO, rdf_format: ox.RdfFormat) -> None:
        self._stream_construct(output, UNION_CONSTRUCT, ox.RdfFormat.N_TRIPLES, union=False)
        for graph in self.named_graphs():
            response = self._post(self.location, _graph_construct(graph),
                                  content_type="application/sparql-query",
                                  accept=ox.RdfFormat.N_TRIPLES.media_type, stream=True)
            with response, self._streaming():
                output.writelines(_ntriples_in_graph(response, graph, rdf_format))

    def _stream_construct(self, output: BinaryIO, sparql: str, rdf_format: ox.RdfFormat, *,
                          union: bool) -> None:
        response = self._post(self.location, sparql, content_type="application/sparql-query",
                              accept=rdf_format.media_type, union=union, stream=True)
        with response, self._streaming():
            shutil.copyfileobj(response, output, 1 << 16)

    def _post(self, url: str, body: str, *, content_type: str, accept: str | None,
              union: bool = False, stream: bool = False):
        """POST with retries: the response body, or the open response when `stream`."""
        request = self._request(url, body, content_type=content_type, accept=accept, union=union)
        return self._with_retries(url, request, stream=stream)

    def _request(self, url: str, body: str, *, content_type: str, accept: str | None,
                 union: bool) -> urllib.request.Request:
        headers = {"Content-Type": f"{content_type}; charset=utf-8"}
        if accept:
            headers["Accept"] = accept
        if self._credentials:
            headers["Authorization"] = _basic_auth(*self._credentials)
        if union:
            url += ("&" if "?" in url else "?") + "union-default-graph"
        return urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")

    def _with_retries(self, url: str, request: urllib.request.Request, *, stream: bool):
        reason, server_failed = "", False
        for attempt in range(1, self.attempts + 1):
            try:
                response = urllib.request.urlopen(request, timeout=self.timeout)
                if stream:
                    return response
                with response:
                    return response.read()
            except urllib.error.HTTPError as error:
                message, server_failed = self._server_message(error), True
                if error.code < 500:
                    raise StoreError(f"SPARQL endpoint {url} refused the request "
                                     f"(HTTP {error.code}): {message}") from None
                reason = f"HTTP {error.code}: {message}"
            except (OSError, http.client.HTTPException) as error:
                reason, server_failed = self._redact(_network_reason(error)), False
            if attempt < self.attempts:
                time.sleep(self.backoff * 2 ** (attempt - 1))
        outcome = "failed" if server_failed else "unreachable"
        raise StoreError(f"SPARQL endpoint {url} {outcome} after {self.attempts} attempts: {reason}")

    def _server_message(self, error: urllib.error.HTTPError) -> str:
        return self._redact(_server_message(error))

    def _redact(self, message: str) -> str:
        password = self._credentials[1] if self._credentials else ""
        return message.replace(password, "***") if password else message

    def _streaming(self) -> contextlib.AbstractContextManager[None]:
        return _errors_as_store_error(f"connection to SPARQL endpoint {self.location} lost")


@contextlib.contextmanager
def _errors_as_store_error(what: str, *, vanished: str | None = None) -> Iterator[None]:
    """Turn the engine's and the network's OSError/RuntimeError into a one-line StoreError.

    `vanished` is the message for a read-only store whose files a writer has just replaced.
    """
    try:
        yield
    except (OSError, RuntimeError, http.client.HTTPException) as error:
        if vanished and _is_vanished_file(error):
            raise StoreError(vanished) from error
        raise StoreError(f"{what}: {error}") from error


@contextlib.contextmanager
def _syntax_errors(what: str) -> Iterator[None]:
    """Turn a pyoxigraph SyntaxError into StoreError('<what> at line L, column C: ...')."""
    try:
        yield
    except SyntaxError as error:
        raise StoreError(syntax_error_message(what, error)) from None


def syntax_error_message(what: str, error: SyntaxError) -> str:
    """A pyoxigraph syntax error as one line with its line and column.

    >>> syntax_error_message("invalid SPARQL query", SyntaxError("error at 3:2: expected OPTIONAL"))
    'invalid SPARQL query at line 3, column 2: expected OPTIONAL'
    """
    message = str(error.msg if error.msg is not None else error)
    position = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if position:
        line, column, detail = position.groups()
        return f"{what} at line {line}, column {column}: {detail}"
    return f"{what} {re.sub(r'^Parser error ', '', message)}"


def rdf_format_named(name: str) -> ox.RdfFormat:
    """The pyoxigraph format for one of kg's format names (nquads, trig, turtle, nt).

    >>> rdf_format_named("trig").media_type
    'application/trig'
    """
    try:
        return RDF_FORMATS[name]
    except KeyError:
        known = ", ".join(RDF_FORMATS)
        raise StoreError(f"unknown RDF format {name!r} (use one of {known})") from None


def parse_into_memory(data: bytes | str, *, format: ox.RdfFormat,
                      graph: str | None = None) -> ox.Store:
    """RDF text loaded into a fresh in-memory pyoxigraph store (a parsed dataset).

    >>> len(parse_into_memory('<http://ex.org/s> <http://ex.org/p> "o" .', format=ox.RdfFormat.N_TRIPLES))
    1
    """
    dataset = ox.Store()
    with _syntax_errors(f"invalid {format.name} data"):
        dataset.load(data, format, to_graph=_graph_node(graph))
    return dataset


def insert_data_update(dataset: ox.Store) -> str:
    """One SPARQL ``INSERT DATA`` holding every quad of `dataset`, grouped by graph ("" if empty).

    >>> dataset = parse_into_memory('<http://ex.org/s> <http://ex.org/p> "o" <http://ex.org/g> .',
    ...                             format=ox.RdfFormat.N_QUADS)
    >>> print(insert_data_update(dataset))
    INSERT DATA {
    GRAPH <http://ex.org/g> {
    <http://ex.org/s> <http://ex.org/p> "o" .
    }
    }
    """
    blocks = [_ntriples(dataset, ox.DefaultGraph())]
    for graph in sorted(dataset.named_graphs(), key=str):
        blocks.append(f"GRAPH {graph} {{\n{_ntriples(dataset, graph)}}}\n")
    body = "".join(blocks)
    return f"INSERT DATA {{\n{body}}}" if body else ""


def replace_graphs_update(nquads: str, *, graphs: list[str]) -> str:
    """The single SPARQL UPDATE that drops `graphs` and inserts `nquads` (which must lie in them).

    >>> print(replace_graphs_update("", graphs=["http://ex.org/g"]))
    DROP SILENT GRAPH <http://ex.org/g> ;
    <BLANKLINE>
    >>> replace_graphs_update('<http://ex.org/s> <http://ex.org/p> "o" .', graphs=["http://ex.org/g"])
    Traceback (most recent call last):
    ValueError: quads outside the replaced graphs: the default graph
    """
    dataset = parse_into_memory(nquads, format=ox.RdfFormat.N_QUADS)
    _check_quads_inside(dataset, graphs)
    drops = "".join(f"DROP SILENT GRAPH {_graph_node(graph)} ;\n" for graph in graphs)
    return drops + insert_data_update(dataset)


def parse_quads(nquads: str, *, graphs: list[str]) -> list[ox.Quad]:
    """The quads of N-Quads text, which must all lie in `graphs`.

    >>> parse_quads('<http://ex.org/s> <http://ex.org/p> "o" <http://ex.org/h> .', graphs=["http://ex.org/g"])
    Traceback (most recent call last):
    ValueError: quads outside the replaced graphs: <http://ex.org/h>
    """
    with _syntax_errors(f"invalid {ox.RdfFormat.N_QUADS.name} data"):
        quads = list(ox.parse(nquads, ox.RdfFormat.N_QUADS))
    _check_graphs_inside({quad.graph_name for quad in quads}, graphs)
    return quads


def _check_quads_inside(dataset: ox.Store, graphs: list[str]) -> None:
    names = set(dataset.named_graphs())
    if dataset.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()):
        names.add(ox.DefaultGraph())
    _check_graphs_inside(names, graphs)


def _check_graphs_inside(names: set[ox.NamedNode | ox.BlankNode | ox.DefaultGraph], graphs: list[str]) -> None:
    outside = ["the default graph" if isinstance(name, ox.DefaultGraph) else str(name) for name in names
               if not (isinstance(name, ox.NamedNode) and name.value in graphs)]
    if outside:
        raise ValueError(f"quads outside the replaced graphs: {', '.join(sorted(outside))}")


def _ntriples(dataset: ox.Store, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    return dataset.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).decode()


def _open_embedded(path: str, *, read_only: bool) -> ox.Store:
    if path == MEMORY:
        return ox.Store()
    if read_only:
        return _open_read_only(path)
    try:
        return ox.Store(path)
    except OSError as error:
        raise StoreError(_open_failure(path, error)) from None


def _open_read_only(path: str, *, attempts: int = 6, backoff: float = 0.02) -> ox.Store:
    """Open a read-only snapshot, retrying while a writer's compaction swaps the files underneath."""
    if not (Path(path) / "CURRENT").is_file():
        raise StoreError(f"no store at {path}; run `kg ingest` first")
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError) as error:
            failure = error
            time.sleep(backoff * 2 ** attempt)
    if _is_vanished_file(failure):
        raise StoreError(f"store {path} is being rewritten by another kg process; try again")
    raise StoreError(f"cannot open store {path}: {failure}")


def _is_vanished_file(error: BaseException) -> bool:
    """A file the reader expected was removed by a concurrent writer (RocksDB compaction)."""
    return isinstance(error, FileNotFoundError) or "No such file" in str(error)


def _open_failure(path: str, error: OSError) -> str:
    message = str(error)
    if "current process" in message:
        return f"store {path} is already open in this process"
    if "lock" in message.lower():
        return f"store {path} is in use by another kg process (try again when it has finished)"
    return f"cannot open store {path}: {message}"


def _graph_node(graph: str | None) -> ox.NamedNode | None:
    if graph is None:
        return None
    try:
        return ox.NamedNode(graph)
    except ValueError as error:
        raise StoreError(f"invalid graph IRI {graph!r}: {error}") from None


def _graph_count(graph: str) -> str:
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_graph_node(graph)} {{ ?s ?p ?o }} }}"


def _graph_construct(graph: str) -> str:
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_graph_node(graph)} {{ ?s ?p ?o }} }}"


def _triple_format_for(rdf_format: ox.RdfFormat) -> ox.RdfFormat:
    """One graph in a quad format is written as its triples: N-Triples is N-Quads, Turtle is TriG."""
    return {ox.RdfFormat.N_QUADS: ox.RdfFormat.N_TRIPLES,
            ox.RdfFormat.TRIG: ox.RdfFormat.TURTLE}.get(rdf_format, rdf_format)


def _ntriples_in_graph(lines: Iterator[bytes], graph: str, rdf_format: ox.RdfFormat):
    """N-Triples lines re-told as N-Quads lines, or as a TriG graph block."""
    name = str(_graph_node(graph)).encode()
    triples = (line.strip() for line in lines)
    if rdf_format == ox.RdfFormat.TRIG:
        yield name + b" {\n"
        yield from (triple + b"\n" for triple in triples if triple)
        yield b"}\n"
    else:
        yield from (triple[:-1].rstrip() + b" " + name + b" .\n"
                    for triple in triples if triple.endswith(b"."))


def _solution_dict(solution: ox.QuerySolution, names: list[str]) -> dict[str, Term]:
    # a solution iterates over its values in the order of the variables: 6x faster than
    # looking each one up by name
    return {name: value for name, value in zip(names, solution) if value is not None}


def _query_form(result: QueryResult) -> str:
    forms = {ox.QuerySolutions: "a SELECT query", ox.QueryBoolean: "an ASK query"}
    return forms.get(type(result), "a CONSTRUCT or DESCRIBE query")


def _query_form_of(sparql: str) -> type:
    """Parse `sparql` locally and return its result type; on an empty store nothing is computed."""
    with _syntax_errors("invalid SPARQL query"):
        return type(ox.Store().query(sparql, prefixes=PREFIXES))


def check_update_syntax(sparql: str) -> None:
    """Parse an update locally without running it: a read-only store parses, then refuses."""
    with _syntax_errors("invalid SPARQL update"):
        try:
            _update_parser().update(sparql, prefixes=PREFIXES)
        except (OSError, RuntimeError):
            pass


@functools.cache
def _update_parser() -> ox.Store:
    """An empty store opened read-only, in a temporary folder that lives as long as the process."""
    folder = tempfile.mkdtemp(prefix="kg-sparql-parser-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    ox.Store(folder).flush()
    return ox.Store.read_only(folder)


def _with_prologue(sparql: str) -> str:
    """Prepend PREFIX lines for the project prefixes that `sparql` does not declare itself.

    >>> _with_prologue("PREFIX kg: <urn:x:> ASK {}").count("PREFIX kg:")
    1
    """
    declared = set(re.findall(r"(?i)\bPREFIX\s+([^\s:]*):", sparql))
    lines = [f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items() if name not in declared]
    return "".join(lines) + sparql


def _declares_dataset(sparql: str) -> bool:
    """Whether the query names its own dataset (FROM / FROM NAMED), which overrides the union."""
    return re.search(r"(?i)\bFROM\s+(NAMED\s+)?(<|[\w.-]*:)", sparql) is not None


def _results_from_json(body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
    return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)


def _triples_from_ntriples(body: bytes) -> ox.QueryTriples:
    """The same QueryTriples the embedded store returns, from an N-Triples response."""
    dataset = ox.Store()
    dataset.load(body, ox.RdfFormat.N_TRIPLES)
    return dataset.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _update_url_for(query_url: str) -> str:
    return query_url[: -len("/query")] + "/update" if query_url.endswith("/query") else query_url


def _split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL without `user:password@`, and those credentials if it had them."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"invalid SPARQL endpoint URL {_without_userinfo(parts)!r} (expected http://…)")
    credentials = None
    if parts.username is not None:
        credentials = (urllib.parse.unquote(parts.username),
                       urllib.parse.unquote(parts.password or ""))
    return _without_userinfo(parts), credentials


def _without_userinfo(parts: urllib.parse.SplitResult) -> str:
    netloc = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def _credentials_from_env() -> tuple[str, str] | None:
    user = os.environ.get(USER_ENV)
    return (user, os.environ.get(PASSWORD_ENV, "")) if user else None


def _basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def _server_message(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read().decode("utf-8", errors="replace").strip()
    except OSError:
        text = ""
    first_line = text.splitlines()[0] if text else (error.reason or "no message")
    return str(first_line)[:500]


def _network_reason(error: BaseException) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "timed out"
    return getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
