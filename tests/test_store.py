"""kg.store against the real engines: Oxigraph on disk, in memory, and an `oxigraph serve` process."""
from __future__ import annotations

import base64
import http.server
import io
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.store import EmbeddedStore, RemoteStore, StoreError, open_store
from kg.vocab import DATA, PREFIXES

REPO = Path(__file__).resolve().parents[1]
SCHEMA = PREFIXES["schema"]
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
G1 = DATA + "graph/article/a1"
G2 = DATA + "graph/article/a2"

ARTICLE_1 = f"""\
<{DATA}claim/a1-1> <{SCHEMA}text> "Jusqu'à \\"100 milliards\\" de dollars,\\nselon Reuters"@fr <{G1}> .
<{DATA}claim/a1-1> <{SCHEMA}value> "100000000000"^^<http://www.w3.org/2001/XMLSchema#decimal> <{G1}> .
<{DATA}claim/a1-1> <{SCHEMA}author> _:source <{G1}> .
_:source <{SCHEMA}name> "Reuters" <{G1}> .
"""
ARTICLE_2 = f"""\
<{DATA}claim/a2-1> <{SCHEMA}text> "C'est absurde, a déclaré Jensen Huang"@fr <{G2}> .
<{DATA}claim/a2-1> <{SCHEMA}author> <{DATA}entity/jensen-huang> <{G2}> .
<{DATA}entity/jensen-huang> <{SCHEMA}name> "Jensen Huang" <{G2}> .
"""
ARTICLE_1_REVISED = f"""\
<{DATA}claim/a1-1> <{SCHEMA}text> "Jusqu'à 90 milliards de dollars"@fr <{G1}> .
"""


@pytest.fixture(params=["embedded", "memory", "remote"])
def store(request, tmp_path):
    """Each kind of store, empty."""
    if request.param == "remote":
        yield request.getfixturevalue("remote_store")
        return
    path = tmp_path / "store" if request.param == "embedded" else ":memory:"
    with open_store(path=path) as opened:
        yield opened


@pytest.fixture
def filled(store):
    """A store holding the two articles, each in its own graph."""
    store.replace_graphs(ARTICLE_1, graphs=[G1])
    store.replace_graphs(ARTICLE_2, graphs=[G2])
    return store


# --- behaviour every store shares -------------------------------------------------------

def test_replace_graphs_twice_leaves_the_count_unchanged(filled):
    before = filled.count()
    filled.replace_graphs(ARTICLE_1, graphs=[G1])
    assert filled.count() == before == 7


def test_replace_graphs_swaps_one_graph_and_keeps_the_others(filled):
    filled.replace_graphs(ARTICLE_1_REVISED, graphs=[G1])
    texts = {row["t"].value for row in filled.select(f"SELECT ?t {{ GRAPH <{G1}> {{ ?c schema:text ?t }} }}")}
    assert texts == {"Jusqu'à 90 milliards de dollars"}
    assert filled.count(graph=G1) == 1
    assert filled.count(graph=G2) == 3


def test_replace_graphs_refuses_quads_outside_the_given_graphs(filled):
    with pytest.raises(ValueError, match="graph/article/a2"):
        filled.replace_graphs(ARTICLE_1 + ARTICLE_2, graphs=[G1])
    assert filled.count() == 7


def test_replace_graphs_refuses_quads_outside_a_new_graph_and_writes_nothing(store):
    with pytest.raises(ValueError, match="graph/article/a2"):
        store.replace_graphs(ARTICLE_1 + ARTICLE_2, graphs=[G1])
    assert store.count() == 0


def test_a_new_graph_holds_what_a_replaced_graph_holds(tmp_path):
    """The embedded store adds a graph it does not hold yet without the SPARQL update; the result
    must be the same as replacing a graph it holds."""
    fresh, replaced = EmbeddedStore(tmp_path / "fresh"), EmbeddedStore(tmp_path / "replaced")
    fresh.replace_graphs(ARTICLE_1, graphs=[G1])
    replaced.replace_graphs(ARTICLE_1_REVISED, graphs=[G1])
    replaced.replace_graphs(ARTICLE_1, graphs=[G1])
    dumps = []
    for store in (fresh, replaced):
        out = io.BytesIO()
        store.dump(out, format="nt", graph=G1)
        dumps.append(rdflib.Graph().parse(data=out.getvalue(), format="nt"))
        assert store.named_graphs() == [G1]
    assert isomorphic(*dumps)


@pytest.mark.parametrize("bad_second_operation, expected", [
    ("INSRT DATA { kgid:x schema:name 'x' }", "invalid SPARQL update at line 2, column 7: "),
    (f"CREATE GRAPH <{G1}>", "already exists"),
])
def test_a_failing_update_leaves_the_store_unchanged(filled, bad_second_operation, expected):
    update = f"DROP GRAPH <{G2}> ; INSERT DATA {{ kgid:new schema:name 'new' }} ;\n{bad_second_operation}"
    with pytest.raises(StoreError, match=expected):
        filled.update(update)
    assert filled.count() == 7
    assert filled.named_graphs() == [G1, G2]


def test_queries_get_the_project_prefixes(filled):
    rows = filled.select("SELECT ?name WHERE { kgid:entity\\/jensen-huang schema:name ?name }")
    assert [row["name"].value for row in rows] == ["Jensen Huang"]


def test_a_query_may_redeclare_a_project_prefix(filled):
    rows = filled.select("PREFIX schema: <urn:other:> SELECT ?x WHERE { BIND(schema:a AS ?x) }")
    assert rows == [{"x": ox.NamedNode("urn:other:a")}]


def test_the_default_graph_is_the_union_unless_asked_otherwise(filled):
    assert filled.ask("ASK { ?claim schema:text ?text }")
    assert not filled.ask("ASK { ?claim schema:text ?text }", union_default_graph=False)
    in_graphs = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    assert filled.select(in_graphs, union_default_graph=False)[0]["n"].value == "7"


def test_select_gives_dicts_of_terms_without_unbound_variables(filled):
    rows = filled.select("""SELECT ?claim ?author ?missing WHERE {
        ?claim schema:author ?author FILTER(isIRI(?author)) } ORDER BY ?claim""")
    assert rows == [{"claim": ox.NamedNode(DATA + "claim/a2-1"),
                     "author": ox.NamedNode(DATA + "entity/jensen-huang")}]


def test_ask_and_select_insist_on_their_query_form(filled):
    assert filled.ask("ASK { ?s schema:name 'Reuters' }") is True
    assert filled.ask("ASK { ?s schema:name 'Bloomberg' }") is False
    with pytest.raises(StoreError, match="expected a SELECT query, got an ASK query"):
        filled.select("ASK {}")
    with pytest.raises(StoreError, match="expected an ASK query, got a SELECT query"):
        filled.ask("SELECT * {}")


def test_syntax_errors_name_line_and_column_the_same_way_everywhere(store):
    bad_query = "SELECT ?claim WHERE {\n  ?claim schema:text\n}"
    with pytest.raises(StoreError) as raised:
        store.query(bad_query)
    with pytest.raises(StoreError) as in_memory:
        open_store(path=":memory:").query(bad_query)
    assert str(raised.value).startswith("invalid SPARQL query at line 3, column 1: expected ")
    assert str(raised.value) == str(in_memory.value)


def test_count_and_named_graphs(filled):
    assert filled.named_graphs() == [G1, G2]
    assert (filled.count(), filled.count(graph=G1), filled.count(graph=DATA + "none")) == (7, 4, 0)
    filled.update(f"DROP GRAPH <{G1}>")
    assert filled.named_graphs() == [G2]
    assert filled.count() == 3


def test_load_adds_triples_to_a_graph_and_reports_bad_data_with_its_line(store):
    store.load(f"<{DATA}a> <{SCHEMA}name> \"A\" .\n", format="nt", graph=G1)
    assert store.named_graphs() == [G1]
    with pytest.raises(StoreError, match="invalid N-Triples data at line 2"):
        store.load(f"<{DATA}a> <{SCHEMA}name> \"A\" .\n<{DATA}b> <{SCHEMA}name> .\n", format="nt")
    assert store.count() == 1


def test_unknown_formats_are_named(filled):
    with pytest.raises(StoreError, match="unknown RDF format 'rdfxml' .use one of nquads, trig, turtle, nt"):
        filled.dump(io.BytesIO(), format="rdfxml")


@pytest.mark.parametrize("format, rdflib_format", [
    ("nquads", "nquads"), ("trig", "trig"), ("turtle", "turtle"), ("nt", "nt"),
])
def test_dump_round_trips(filled, format, rdflib_format):
    output = io.BytesIO()
    filled.dump(output, format=format)
    expected = _rdflib_dataset(ARTICLE_1 + ARTICLE_2)
    if format in ("nquads", "trig"):
        dumped = rdflib.Dataset()
        dumped.parse(data=output.getvalue(), format=rdflib_format)
        _assert_same_named_graphs(dumped, expected)
    else:
        merged = rdflib.Graph().parse(data=output.getvalue(), format=rdflib_format)
        assert isomorphic(merged, _merged(expected))


@pytest.mark.parametrize("format", ["nquads", "trig", "turtle", "nt"])
def test_dump_of_one_graph_writes_its_triples(filled, format):
    output = io.BytesIO()
    filled.dump(output, format=format, graph=G2)
    parsed = rdflib.Dataset()
    parsed.parse(data=output.getvalue(), format={"nt": "nt", "turtle": "turtle"}.get(format, format))
    assert isomorphic(_merged(parsed), _rdflib_dataset(ARTICLE_2).graph(rdflib.URIRef(G2)))


def test_construct_results_are_the_same_from_every_kind_of_store(tmp_path, remote_store):
    query = "CONSTRUCT { ?claim schema:text ?text ; schema:author ?who } WHERE { ?claim schema:text ?text ; schema:author ?who }"
    graphs = []
    for each in (open_store(path=tmp_path / "store"), open_store(path=":memory:"), remote_store):
        each.replace_graphs(ARTICLE_1 + ARTICLE_2, graphs=[G1, G2])
        triples = each.query(query)
        assert isinstance(triples, ox.QueryTriples)
        graphs.append(rdflib.Graph().parse(data=triples.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt"))
    assert len(graphs[0]) == 4
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])


def _rdflib_dataset(nquads: str) -> rdflib.Dataset:
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    return dataset


def _merged(dataset: rdflib.Dataset) -> rdflib.Graph:
    merged = rdflib.Graph()
    for subject, predicate, obj, _graph in dataset.quads((None, None, None, None)):
        merged.add((subject, predicate, obj))
    return merged


def _assert_same_named_graphs(actual: rdflib.Dataset, expected: rdflib.Dataset) -> None:
    def named(dataset):
        return {str(graph.identifier) for graph in dataset.graphs() if len(graph)}
    assert named(actual) == named(expected) == {G1, G2}
    for name in (G1, G2):
        assert isomorphic(actual.graph(rdflib.URIRef(name)), expected.graph(rdflib.URIRef(name)))


# --- the embedded store: one writer, many readers ----------------------------------------

TRY_TO_WRITE = """
import sys
from kg.store import StoreError, open_store
try:
    open_store(path=sys.argv[1])
except StoreError as error:
    print(error)
    sys.exit(3)
"""
READ = """
import sys
from kg.store import open_store
with open_store(path=sys.argv[1], read_only=True) as store:
    print(store.count(), store.ask("ASK { ?s schema:name 'Reuters' }"))
"""


def _run_python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True,
                          text=True, timeout=60)


def test_a_second_writer_process_is_refused_while_readers_keep_working(tmp_path):
    path = tmp_path / "store"
    with open_store(path=path) as writer:
        writer.replace_graphs(ARTICLE_1, graphs=[G1])
        refused = _run_python(TRY_TO_WRITE, str(path))
        reader = _run_python(READ, str(path))
        writer.replace_graphs(ARTICLE_2, graphs=[G2])
    assert refused.returncode == 3, refused.stderr
    assert refused.stdout.strip() == (
        f"store {path} is in use by another kg process (try again when it has finished)")
    assert reader.returncode == 0, reader.stderr
    assert reader.stdout.split() == ["4", "True"]


WRITE_FOR_A_WHILE = """
import sys, time
from kg.store import open_store
with open_store(path=sys.argv[1]) as store:
    print("writing", flush=True)
    started, article = time.monotonic(), 0
    while time.monotonic() - started < 1.5:
        graph = f"urn:kg:test:graph/{article % 5}"
        quads = "".join(f'<urn:kg:test:s{article}-{k}> <urn:kg:test:p> "{k}" <{graph}> .\\n' for k in range(200))
        store.replace_graphs(quads, graphs=[graph])
        article += 1
        time.sleep(0.02)
"""


def test_readers_see_whole_articles_while_another_process_writes(tmp_path):
    open_store(path=tmp_path / "store").close()
    writer = subprocess.Popen([sys.executable, "-c", WRITE_FOR_A_WHILE, str(tmp_path / "store")],
                              cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline() == "writing\n"
    counts, refusals = [], []
    while writer.poll() is None:
        try:
            with open_store(path=tmp_path / "store", read_only=True) as reader:
                counts.append(reader.count())
        except StoreError as error:
            refusals.append(str(error))
    assert writer.wait() == 0
    assert counts and all(count % 200 == 0 for count in counts)
    assert all("another kg process" in refusal for refusal in refusals)


def test_a_read_only_store_is_a_snapshot_taken_when_it_opens(tmp_path):
    with open_store(path=tmp_path / "store") as writer:
        writer.replace_graphs(ARTICLE_1, graphs=[G1])
        with open_store(path=tmp_path / "store", read_only=True) as reader:
            writer.replace_graphs(ARTICLE_2, graphs=[G2])
            assert (reader.count(), writer.count()) == (4, 7)


def test_closing_releases_the_store_for_the_next_writer(tmp_path):
    open_store(path=tmp_path / "store").close()
    with open_store(path=tmp_path / "store") as again:
        with pytest.raises(StoreError, match="is already open in this process"):
            open_store(path=tmp_path / "store")
        again.replace_graphs(ARTICLE_2, graphs=[G2])
    with open_store(path=tmp_path / "store", read_only=True) as reader:
        assert reader.count() == 3


def test_a_read_only_store_refuses_updates(tmp_path):
    open_store(path=tmp_path / "store").close()
    with open_store(path=tmp_path / "store", read_only=True) as reader:
        with pytest.raises(StoreError, match="opened read-only; updates are refused"):
            reader.replace_graphs(ARTICLE_1, graphs=[G1])
        with pytest.raises(StoreError, match="opened read-only"):
            reader.load(ARTICLE_1, format="nquads")


def test_reading_a_missing_store_says_to_ingest_first(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(StoreError) as raised:
        open_store(path=missing, read_only=True)
    assert str(raised.value) == f"no store at {missing}; run `kg ingest` first"
    assert not missing.exists()


def test_the_closed_store_says_so(tmp_path):
    store = open_store(path=tmp_path / "store")
    store.close()
    with pytest.raises(StoreError, match="is closed"):
        store.select("SELECT * {}")


def test_a_path_and_an_endpoint_together_are_refused():
    with pytest.raises(StoreError, match="either a store path or a SPARQL endpoint"):
        open_store(path=":memory:", endpoint="http://127.0.0.1:1/query")


# --- the remote store: URLs, retries, errors, credentials --------------------------------

class RecordingEndpoint:
    """A tiny HTTP server on 127.0.0.1 that records requests and plays scripted responses."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.response = (200, "application/sparql-results+json", b'{"head":{},"boolean":true}')
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                endpoint.requests.append({**dict(self.headers), "body": body.decode()})
                status, content_type, payload = endpoint.response
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"


@pytest.fixture
def recording_endpoint():
    endpoint = RecordingEndpoint()
    thread = threading.Thread(target=endpoint.server.serve_forever, daemon=True)
    thread.start()
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_update_url_is_derived_from_a_query_url():
    assert RemoteStore("http://127.0.0.1:7878/query").update_url == "http://127.0.0.1:7878/update"
    assert RemoteStore("http://h:3030/ds/sparql").update_url == "http://h:3030/ds/sparql"
    explicit = RemoteStore("http://h/query", update_endpoint="http://h/statements")
    assert explicit.update_url == "http://h/statements"


def test_an_unreachable_endpoint_fails_after_bounded_retries(closed_port):
    store = open_store(endpoint=f"http://127.0.0.1:{closed_port}/query")
    started = time.monotonic()
    with pytest.raises(StoreError) as raised:
        store.count()
    elapsed = time.monotonic() - started
    assert str(raised.value) == (f"SPARQL endpoint http://127.0.0.1:{closed_port}/query "
                                 "unreachable after 3 attempts: Connection refused")
    assert 0.55 < elapsed < 2.5


def test_an_endpoint_that_never_answers_times_out_and_is_retried():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        store = open_store(endpoint=url, timeout=0.2, backoff=0.01)
        started = time.monotonic()
        with pytest.raises(StoreError, match=f"^SPARQL endpoint {url} unreachable after 3 attempts: timed out$"):
            store.ask("ASK {}")
        assert time.monotonic() - started < 2


def test_server_errors_are_retried_then_reported(recording_endpoint):
    recording_endpoint.response = (503, "text/plain", b"overloaded, come back later")
    store = open_store(endpoint=recording_endpoint.url, backoff=0.01)
    with pytest.raises(StoreError, match=r"failed after 3 attempts: HTTP 503: overloaded, come back later"):
        store.ask("ASK {}")
    assert len(recording_endpoint.requests) == 3


def test_a_rejected_update_reports_the_servers_message_without_retrying(recording_endpoint):
    recording_endpoint.response = (400, "text/plain", b"Unsupported update operation\nmore detail")
    store = open_store(endpoint=recording_endpoint.url)
    with pytest.raises(StoreError) as raised:
        store.update("CLEAR ALL")
    assert str(raised.value) == (f"SPARQL endpoint {recording_endpoint.url} refused the request "
                                 "(HTTP 400): Unsupported update operation")
    assert len(recording_endpoint.requests) == 1


def test_the_real_server_refusing_an_update_is_reported(oxigraph_server):
    misconfigured = open_store(endpoint=f"{oxigraph_server}/query",
                               update_endpoint=f"{oxigraph_server}/query")
    with pytest.raises(StoreError, match=r"refused the request \(HTTP 415\): .*application/sparql-update"):
        misconfigured.update("CLEAR ALL")


def test_requests_carry_the_prefixes_the_query_lacks_and_the_union_flag(recording_endpoint):
    store = open_store(endpoint=recording_endpoint.url)
    assert store.ask("PREFIX kg: <urn:mine:> ASK { ?s kg:p schema:x }")
    assert store.ask("ASK FROM kgid:g { ?s ?p ?o }")
    first, second = recording_endpoint.requests
    assert first["body"].count("PREFIX kg:") == 1 and "PREFIX schema: <http://schema.org/>" in first["body"]
    assert first["Content-Type"].startswith("application/sparql-query")
    assert first["Accept"] == "application/sparql-results+json"
    assert "Authorization" not in first
    assert store.location == recording_endpoint.url
    assert second["body"].endswith("ASK FROM kgid:g { ?s ?p ?o }")


def test_credentials_come_from_the_environment_and_never_show(recording_endpoint, monkeypatch, closed_port):
    monkeypatch.setenv("KG_ENDPOINT_USER", "checker")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "s3cret-pw")
    store = open_store(endpoint=recording_endpoint.url)
    assert store.ask("ASK {}")
    sent = recording_endpoint.requests[0]["Authorization"]
    assert sent == "Basic " + base64.b64encode(b"checker:s3cret-pw").decode()
    recording_endpoint.response = (401, "text/plain", b"bad password s3cret-pw for checker")
    with pytest.raises(StoreError) as refused:
        store.ask("ASK {}")
    with pytest.raises(StoreError) as unreachable:
        open_store(endpoint=f"http://who:s3cret-pw@127.0.0.1:{closed_port}/query", backoff=0.01).ask("ASK {}")
    for error in (refused.value, unreachable.value):
        assert "s3cret-pw" not in str(error) and "s3cret-pw" not in repr(error)
    assert "(HTTP 401): bad password *** for checker" in str(refused.value)
    assert f"http://127.0.0.1:{closed_port}/query unreachable" in str(unreachable.value)


def test_remote_results_are_pyoxigraph_results(filled):
    results = filled.query("SELECT ?s WHERE { ?s schema:name ?n } ORDER BY ?n")
    assert isinstance(results, ox.QuerySolutions)
    assert [variable.value for variable in results.variables] == ["s"]
    assert isinstance(filled.query("ASK {}"), ox.QueryBoolean)


def test_a_failed_read_leaves_no_query_solutions_for_another_thread_to_free(monkeypatch):
    """pyoxigraph's solutions belong to their thread: a garbage collection run by another
    thread must not find them in the traceback of a failed `select`."""
    import gc
    import threading

    import kg.store

    def unreadable(solution, names):
        raise OSError("read failed")

    monkeypatch.setattr(kg.store, "_solution_dict", unreadable)
    store = open_store(path=":memory:")
    errors = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: errors.append(unraisable.exc_value))

    def collect():
        try:
            gc.collect()
        except BaseException as error:  # noqa: BLE001 - what the thread would report
            errors.append(error)

    def fail_and_keep_the_error() -> bool:
        try:
            store.select("SELECT ?x WHERE { VALUES ?x { 1 } }")
        except StoreError as error:
            failure = error  # this frame -> failure -> its traceback -> this frame: a cycle
        return "read failed" in str(failure)

    gc.disable()
    try:
        assert fail_and_keep_the_error()
        thread = threading.Thread(target=collect)
        thread.start()
        thread.join()
    finally:
        gc.enable()
    assert errors == []
