"""Bad input, crashes and concurrent use lose nothing and explain themselves.

* refusals through the CLI: one line each, exit 1, the rest ingested, the store unchanged;
* SIGKILL in the middle of `kg ingest`: every article graph is whole, and the same command
  run again gives exactly the triples of an uninterrupted run;
* Ctrl-C (SIGINT): no traceback, a summary of what was stored, exit 130, store consistent;
* a second writer is told the store is in use, while readers keep working;
* reviews survive re-ingest, flag recomputation and a changed article version;
* property tests: extraction never crashes and keeps every offset inside the text.

The subprocess tests run the real CLI (`python -c` importing kg.cli.main) with one test
hook: `extract_many` paced so the test can act between two articles (KG_TEST_GATE: wait
for this file before each article after the first; KG_TEST_PACE: then sleep this long).
"""
from __future__ import annotations

import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.ingest import IngestInterrupted, ingest
from kg.model import Article, Extraction
from kg.store import open_store
from kg.vocab import FLAGS_GRAPH, REVIEWS_GRAPH

COMPANIES = ["Norvik", "Quantix", "Heliobus", "Zephyra", "Lumeo", "Arvalis", "Corvane", "Tessaly", "Brivane"]
PACED_KG = r"""
import os, sys, time
import kg.nlp.pipeline as pipeline

original = pipeline.extract_many

def paced(articles, **options):
    gate, pace = os.environ.get("KG_TEST_GATE"), float(os.environ.get("KG_TEST_PACE", "0"))
    for index, extraction in enumerate(original(articles, **options)):
        if index:
            deadline = time.monotonic() + 600
            while gate and not os.path.exists(gate) and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(pace)
        yield extraction

pipeline.extract_many = paced
from kg.cli import main
main()
"""


# --- helpers ------------------------------------------------------------------------------

def cli(*args: str, store: Path):
    """The CLI in this process (the model is loaded once per session)."""
    return CliRunner().invoke(main, ["--store", str(store), *args], catch_exceptions=False)


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def kg_process(*args: str, store: Path, **env: str) -> subprocess.Popen:
    """`kg` in a subprocess, paced (see the module docstring)."""
    return subprocess.Popen([sys.executable, "-c", PACED_KG, "--store", str(store), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**subprocess_env(), **env})


class StderrLines:
    """Reads a process's stderr in a thread, so the test can wait for a line without blocking."""

    def __init__(self, process: subprocess.Popen):
        self.process, self.lines, self._queue = process, [], queue.Queue()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, prefix: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                break
            self.lines.append(line)
            if line.startswith(prefix):
                return line
        pytest.fail(f"no stderr line starting with {prefix!r}; stderr so far:\n{''.join(self.lines)}")

    def rest(self) -> str:
        self._thread.join(timeout=30)
        while not self._queue.empty():
            line = self._queue.get()
            if line is not None:
                self.lines.append(line)
        return "".join(self.lines)


def article_graphs(store_path: Path) -> dict[str, frozenset[str]]:
    """Each article graph's triples (N-Triples lines), read through a read-only open."""
    with open_store(path=store_path, read_only=True) as store:
        graphs = {}
        for graph in store.named_graphs():
            if graph not in (FLAGS_GRAPH, REVIEWS_GRAPH):
                out = io.BytesIO()
                store.dump(out, format="nt", graph=graph)
                graphs[graph] = frozenset(out.getvalue().decode().splitlines())
        return graphs


def nquads(store_path: Path) -> frozenset[str]:
    with open_store(path=store_path, read_only=True) as store:
        out = io.BytesIO()
        store.dump(out, format="nquads")
        return frozenset(line for line in out.getvalue().decode().splitlines() if line.strip())


def write_articles(folder: Path, count: int = len(COMPANIES)) -> Path:
    """Small French articles, each with a claim, and a manifest giving their dates."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["file,id,title,published,publisher"]
    for i, company in enumerate(COMPANIES[:count]):
        other = COMPANIES[(i + 1) % len(COMPANIES)]
        name = f"{i:02d}-{company.lower()}.txt"
        (folder / name).write_text(
            f"{company} investit {100 + 10 * i} millions d'euros dans {other}, selon Reuters.\n\n"
            f"Le directeur de {company} a déclaré que l'opération serait finalisée en mars.\n", encoding="utf-8")
        rows.append(f"{name},rel-{i},{company} investit,2025-{i % 12 + 1:02d}-15,Le Courrier")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@dataclass
class Reference:
    """An uninterrupted ingest of the articles, to compare interrupted ones with."""

    articles: Path
    graphs: dict[str, frozenset[str]]
    nquads: frozenset[str]


class PacedIngest:
    """`kg -v ingest ARTICLES` in a subprocess that stops after its first article until `gate` exists."""

    def __init__(self, folder: Path, articles: Path, *, pace: float):
        folder.mkdir()
        self.store, self.gate = folder / "store", folder / "gate"
        self.process = kg_process("-v", "ingest", str(articles), store=self.store,
                                  KG_TEST_GATE=str(self.gate), KG_TEST_PACE=str(pace))
        self.stderr = StderrLines(self.process)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


@pytest.fixture(scope="module", autouse=True)
def paced_ingests(tmp_path_factory):
    """The two subprocess ingests of the crash tests, started with the module so that their
    start-up (spaCy and the model, seconds each) overlaps with the tests that run first."""
    base = tmp_path_factory.mktemp("reliability")
    articles = write_articles(base / "articles")
    runs = {"kill": PacedIngest(base / "kill", articles, pace=0.1),
            "interrupt": PacedIngest(base / "interrupt", articles, pace=0)}
    yield articles, runs
    for run in runs.values():
        run.stop()


@pytest.fixture(scope="module")
def reference(paced_ingests, tmp_path_factory, nlp_md) -> Reference:
    articles, _ = paced_ingests
    store = tmp_path_factory.mktemp("reference") / "store"
    result = cli("ingest", str(articles), store=store)
    assert result.exit_code == 0, result.output
    graphs = article_graphs(store)
    assert len(graphs) == len(COMPANIES)
    return Reference(articles, graphs, nquads(store))


def assert_whole_graphs(store: Path, reference: Reference) -> int:
    """Every article graph in `store` is exactly the reference graph of the same IRI."""
    graphs = article_graphs(store)
    for iri, triples in graphs.items():
        assert iri in reference.graphs, iri
        assert triples == reference.graphs[iri], f"graph {iri} differs from an uninterrupted run"
    return len(graphs)


# --- refusals through the command line --------------------------------------------------------

GOOD = "Norvik investit 200 millions d'euros dans Quantix, selon Reuters, qui cite des sources proches du dossier."


def bad_folder(folder: Path) -> dict[str, str]:
    """One file (or row, or line) per refusal, and the message expected for each."""
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "big.txt").write_text(GOOD * 40, encoding="utf-8")
    (folder / "english.txt").write_text("The company announced a large investment of two hundred million "
                                        "dollars in the startup, according to Reuters.", encoding="utf-8")
    (folder / "dated.txt").write_text(GOOD.replace("Norvik", "Lumeo"), encoding="utf-8")
    (folder / "feed.jsonl").write_text(json.dumps({"text": GOOD.replace("Norvik", "Zephyra")}) + "\n{oops\n",
                                       encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / "manifest.csv").write_text("file,id,published\ngood.txt,good,2025-09-15\n"
                                         "missing.txt,missing,2025-09\ndated.txt,dated,2025-13-40\n")
    manifest = folder / "manifest.csv"
    return {
        "missing": f"error: {manifest}:3: lists missing.txt, which does not exist",
        "big": f"error: {folder / 'big.txt'}: file is {(folder / 'big.txt').stat().st_size} bytes, "
               "over the limit of 2000 (--max-bytes)",
        "binary": f"error: {folder / 'binary.txt'}: binary file, not text",
        "dated": f"error: {manifest}:4: published date '2025-13-40' does not exist (dated.txt not ingested)",
        "empty": f"error: {folder / 'empty.txt'}: empty file",
        "english": f"error: {folder / 'english.txt'}: text looks like English (en), not French (fr); "
                   "kg reads French articles",
        "jsonl": f"error: {folder / 'feed.jsonl'}:2: invalid JSON at column 2: "
                 "Expecting property name enclosed in double quotes",
        "docx": f"error: {folder / 'notes.docx'}: unsupported file type .docx (use .txt, .md, .html, .htm, .jsonl)",
    }


def test_each_bad_input_is_one_line_and_the_rest_is_ingested(tmp_path, nlp_md):
    expected = bad_folder(tmp_path / "in")
    store = tmp_path / "store"
    result = cli("ingest", str(tmp_path / "in"), "--max-bytes", "2000", store=store)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert sorted(errors) == sorted(expected.values())
    assert "Traceback" not in result.output
    assert "2 added, 0 revised, 0 unchanged, 8 refused" in result.stderr
    stored = json.loads(cli("query", "SELECT ?file WHERE { ?a a schema:NewsArticle ; kg:file ?file }",
                            "--format", "json", store=store).stdout)
    assert sorted(b["file"]["value"] for b in stored["results"]["bindings"]) == ["feed.jsonl#1", "good.txt"]


def test_refused_files_leave_the_store_unchanged(tmp_path, reference):
    store = tmp_path / "store"
    assert cli("ingest", str(reference.articles), store=store).exit_code == 0
    before = nquads(store)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "english.txt").write_text("The company announced a large investment in the startup, said Reuters.")
    (bad / "manifest.csv").write_text("file,published\nenglish.txt,2025-01-01\nghost.txt,2025-01-02\n")
    result = cli("ingest", str(bad), str(tmp_path / "nowhere"), store=store)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) >= 4
    assert f"error: {tmp_path / 'nowhere'}: no such file or folder" in result.stderr
    assert nquads(store) == before


# --- crash safety -----------------------------------------------------------------------------

def test_sigkill_mid_ingest_leaves_whole_graphs_and_the_same_command_completes_it(paced_ingests, reference):
    run = paced_ingests[1]["kill"]
    try:
        run.stderr.wait_for("stored ")  # the first article graph is in the store
        run.gate.touch()  # let it write the next articles ...
        time.sleep(0.15)
    finally:
        run.process.kill()  # ... and SIGKILL it in the middle
        run.process.wait(timeout=30)
    assert run.process.returncode == -signal.SIGKILL
    stored = assert_whole_graphs(run.store, reference)
    assert 1 <= stored < len(COMPANIES), "the kill was meant to land in the middle of the ingest"

    again = cli("ingest", str(reference.articles), store=run.store)
    assert again.exit_code == 0, again.output
    assert (f"{len(COMPANIES) - stored} added, 0 revised, {stored} unchanged, 0 refused"
            in again.stderr)
    assert nquads(run.store) == reference.nquads


def test_ctrl_c_stops_cleanly_while_a_second_writer_is_refused_and_readers_work(paced_ingests, reference):
    run = paced_ingests[1]["interrupt"]  # its gate is never opened: it holds the store after one article
    store, process = run.store, run.process
    try:
        run.stderr.wait_for("stored ")
        command = [sys.executable, "-m", "kg.cli", "--store", str(store)]
        others = {
            "writer": subprocess.Popen([*command, "ingest", str(reference.articles)], **PIPES),
            "claims": subprocess.Popen([*command, "claims", "--format", "json"], **PIPES),
            "query": subprocess.Popen([*command, "query", "--format", "csv",
                                       "SELECT (COUNT(?a) AS ?n) WHERE { ?a a schema:NewsArticle }"], **PIPES),
        }
        done = {name: (p.wait(timeout=60), *p.communicate()) for name, p in others.items()}
        assert process.poll() is None, "the ingest was meant to be running all along"
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    finally:
        run.stop()
    output = run.stderr.rest()

    code, out, err = done["writer"]
    assert code == 1 and out == ""
    assert err == f"Error: store {store} is in use by another kg process (try again when it has finished)\n"
    code, out, err = done["claims"]
    assert code == 0, err
    claims = json.loads(out)
    assert claims and {c["file"] for c in claims} == {"00-norvik.txt"}
    code, out, err = done["query"]
    assert code == 0 and out.split() == ["n", "1"], err

    assert process.returncode == 130
    assert "Traceback" not in output and "KeyboardInterrupt" not in output
    last = output.strip().splitlines()[-1]
    assert last == (f"interrupted: 1 of {len(COMPANIES)} new or changed articles stored (1 added, 0 revised, "
                    "0 unchanged, 0 refused); flags recomputed; run the same command again to ingest the rest")
    assert assert_whole_graphs(store, reference) == 1

    again = cli("ingest", str(reference.articles), store=store)
    assert again.exit_code == 0 and f"{len(COMPANIES) - 1} added" in again.stderr
    assert nquads(store) == reference.nquads


PIPES = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, "env": subprocess_env()}


def test_ctrl_c_during_a_write_lets_that_article_finish(tmp_path, monkeypatch):
    """SIGINT that lands while an article is being written: it is written whole and counted."""
    import kg.ingest as ingest_module

    folder = write_articles(tmp_path / "articles", count=3)
    original = ingest_module.write_extraction

    def write_then_interrupt(store, extraction, previous):
        os.kill(os.getpid(), signal.SIGINT)  # arrives in the middle of the write
        original(store, extraction, previous)

    monkeypatch.setattr(ingest_module, "write_extraction", write_then_interrupt)
    with open_store(path=tmp_path / "store") as store:
        with pytest.raises(IngestInterrupted) as caught:
            ingest([str(folder)], store, extract_many=lambda articles: map(Extraction, articles))
        report = caught.value.report
        assert [a.id for a in report.added] == ["rel-0"] and report.pending == 3
        assert report.flags_recomputed
        assert [g for g in store.named_graphs() if g != FLAGS_GRAPH] and store.count() > 0
    assert isinstance(caught.value, KeyboardInterrupt)


def test_ctrl_c_before_anything_is_stored_is_one_line(tmp_path, monkeypatch):
    import kg.ingest as ingest_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest_module, "read_articles", interrupted)
    result = cli("ingest", str(tmp_path), store=tmp_path / "store")
    assert result.exit_code == 130
    assert result.stderr == "interrupted before any article was stored; run the same command again\n"


# --- reviews ----------------------------------------------------------------------------------

def test_reviews_survive_reingest_recompute_and_a_changed_version(tmp_path, nlp_md):
    from kg.conflicts import recompute_flags
    from kg.reviews import reviews

    folder = write_articles(tmp_path / "articles", count=2)
    store = tmp_path / "store"
    assert cli("ingest", str(folder), store=store).exit_code == 0
    claim = next(c for c in json.loads(cli("claims", "--format", "json", store=store).stdout)
                 if c["subject"] == "Norvik")
    recorded = cli("review", claim["id"], "--rating", "Trompeur", "--author", "Desk", "--note", "À vérifier.",
                   "--date", "2026-03-01", store=store)
    assert recorded.exit_code == 0, recorded.output

    def the_review():
        with open_store(path=store) as opened:
            (found,) = reviews(opened)
            assert opened.ask(f"ASK {{ GRAPH ?g {{ <{found['claim']}> a schema:Claim ; "
                              f"schema:identifier {json.dumps(claim['id'])} }} }}")
            return found["claim"], found["rating"], found["note"]

    reviewed = the_review()
    assert reviewed[1:] == ("Trompeur", "À vérifier.")
    assert cli("ingest", str(folder), store=store).exit_code == 0  # unchanged
    assert the_review() == reviewed
    with open_store(path=store) as opened:
        recompute_flags(opened)
    assert the_review() == reviewed

    changed = folder / "00-norvik.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nLe montant a été confirmé mardi.\n", encoding="utf-8")
    result = cli("ingest", str(folder), store=store)
    assert result.exit_code == 0 and "0 added, 1 revised, 1 unchanged" in result.stderr
    assert the_review() == reviewed
    exported = json.loads(cli("export", "--format", "claimreview", store=store).stdout)
    assert [r["reviewRating"]["alternateName"] for r in exported] == ["Trompeur"]


# --- property tests: extraction never crashes, offsets stay inside the text ---------------------

FRENCH_BITS = st.sampled_from([
    "Nvidia", "OpenAI", "Norvik", " investit ", " 100 ", " milliards ", " de dollars", " d'euros", " dans ",
    ", selon Reuters", " a déclaré ", " Huang", " jusqu'à ", " entre 20 et 50 ", " moins de ", " Md$", "%",
    " si ", " pourrait ", " a démenti", " « ", " » ", ".", "\n", "\n\n", " ", "é", "’", "-", "|", "1,3", "4 500",
])
ARTICLE_TEXT = st.one_of(st.text(max_size=300), st.lists(FRENCH_BITS, max_size=40).map("".join),
                         st.lists(st.one_of(FRENCH_BITS, st.text(max_size=5)), max_size=30).map("".join))


def check_offsets(text: str, extraction: Extraction) -> None:
    for entity in extraction.entities:
        assert 0 <= entity.start < entity.end <= len(text)
        assert text[entity.start:entity.end] == entity.text
    amounts = list(extraction.amounts) + [c.amount for c in extraction.claims if c.amount]
    for amount in amounts:
        assert 0 <= amount.start < amount.end <= len(text)
        assert text[amount.start:amount.end] == amount.text
    for claim in extraction.claims:
        assert 0 <= claim.start <= claim.end <= len(text)
        assert claim.sentence.strip() in text[claim.start:claim.end]


@pytest.fixture(scope="module")
def nlp_blank():
    from kg.nlp.pipeline import build_pipeline

    return build_pipeline(model=None)


def edges_are_sound(doc) -> bool:
    """Whether every token lies between its left and right edge."""
    try:
        return all(token.left_edge.i <= token.i <= token.right_edge.i for token in doc)
    except IndexError:  # an edge left as garbage, beyond the end of the doc
        return False


def test_blank_pipeline_gives_whitespace_tokens_sound_edges(nlp_blank):
    """spaCy 3.8 leaves some unparsed tokens with edges outside the Doc, and walking their
    children segfaults; the blank pipeline rebuilds its Docs (kg_sound_edges). Checked
    without touching .children, which would crash the test session."""
    for text in ("a b  c d", "’’0", " moins de |, selon Reuters. a déclaré  Huang."):
        assert edges_are_sound(nlp_blank(text)), text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ARTICLE_TEXT)
def test_extraction_of_any_text_keeps_offsets_inside_it_blank_pipeline(nlp_blank, text):
    from kg.nlp.pipeline import extract

    check_offsets(text, extract(Article(id="prop", text=text, published="2025-09-15"), nlp=nlp_blank))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ARTICLE_TEXT)
def test_extraction_of_any_text_keeps_offsets_inside_it_real_model(nlp_md, text):
    from kg.nlp.pipeline import extract

    check_offsets(text, extract(Article(id="prop", text=text, published="2025-09-15"), nlp=nlp_md))
