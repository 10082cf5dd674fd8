"""The command line end to end on the bundled corpus, with the real model and an on-disk store."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kg.cli import main

CORPUS = Path(__file__).parent.parent / "corpus"
FIRST = "2025-09-nvidia-openai-cycle-100-milliards.txt"


def run(*args: str, store: Path, input: str | None = None):
    result = CliRunner().invoke(main, ["--store", str(store), *args], input=input, catch_exceptions=False)
    return result


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    result = run("ingest", str(CORPUS), store=store)
    assert result.exit_code == 0, result.output
    return store


def test_ingest_reports_what_it_did(corpus_store):
    result = run("stats", store=corpus_store)
    counts = dict(line.split("\t") for line in result.stdout.splitlines())
    assert counts["articles"] == "2" and counts["versions"] == "2"
    assert int(counts["claims"]) > 0 and int(counts["entities"]) > 5


def test_ingesting_twice_changes_nothing(corpus_store, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(corpus_store, copy)
    before = run("stats", store=copy).stdout
    again = run("ingest", str(CORPUS), store=copy)
    assert again.exit_code == 0
    assert "0 added, 0 revised, 2 unchanged, 0 refused" in again.stderr
    assert run("stats", store=copy).stdout == before


def test_query_lists_claims_with_their_sources(corpus_store):
    sparql = """SELECT ?file ?sentence ?source WHERE {
        ?claim a schema:Claim ; kg:sentence ?sentence ; prov:wasDerivedFrom/kg:file ?file .
        OPTIONAL { ?claim kg:sourceChain [ kg:position 0 ; kg:sourceText ?source ] } }"""
    result = run("query", sparql, "--format", "json", store=corpus_store)
    rows = json.loads(result.stdout)["results"]["bindings"]
    files = {row["file"]["value"] for row in rows}
    sources = {row["source"]["value"] for row in rows if "source" in row}
    assert files == {FIRST, "2026-02-nvidia-openai-partenariat-rumeurs.txt"}
    assert "Reuters" in sources


def test_claims_of_an_entity_are_a_readable_table(corpus_store):
    result = run("claims", "--entity", "Nvidia", store=corpus_store)
    header, rule, *rows = result.stdout.splitlines()
    assert header.split() == ["date", "subject", "relation", "object", "amount", "source", "modality"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert rows and all("Nvidia" in row or "OpenAI" in row for row in rows)


def graphs_of(dataset: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


@pytest.mark.parametrize("fmt, rdflib_format, ox_format", [
    ("turtle", "turtle", ox.RdfFormat.TURTLE),
    ("nquads", "nquads", ox.RdfFormat.N_QUADS),
    ("trig", "trig", ox.RdfFormat.TRIG),
])
def test_exports_parse_back_isomorphic_with_another_parser(corpus_store, fmt, rdflib_format, ox_format):
    exported = run("export", "--format", fmt, store=corpus_store).stdout_bytes
    with_rdflib = rdflib.Dataset()
    with_rdflib.parse(data=exported, format=rdflib_format)
    with_oxigraph = rdflib.Dataset()
    quads = ox.serialize(ox.parse(exported, format=ox_format), format=ox.RdfFormat.N_QUADS)
    with_oxigraph.parse(data=quads, format="nquads")
    by_rdflib, by_oxigraph = graphs_of(with_rdflib), graphs_of(with_oxigraph)
    assert sum(len(g) for g in by_rdflib.values()) > 1000
    assert len(by_rdflib) == len(by_oxigraph)
    for rdflib_graph, oxigraph_graph in zip(sorted(by_rdflib.values(), key=len), sorted(by_oxigraph.values(), key=len)):
        assert isomorphic(rdflib_graph, oxigraph_graph)


def test_jsonld_export_round_trips(corpus_store):
    exported = run("export", "--format", "jsonld", store=corpus_store).stdout_bytes
    nquads = run("export", "--format", "nquads", store=corpus_store).stdout_bytes
    from_jsonld = rdflib.Dataset()
    from_jsonld.parse(data=exported, format="json-ld")
    reference = rdflib.Dataset()
    reference.parse(data=nquads, format="nquads")
    for graph in reference.graphs():
        if len(graph):
            assert isomorphic(graph, from_jsonld.graph(graph.identifier)), graph.identifier


def test_validate_passes_on_the_corpus_and_fails_on_a_broken_graph(corpus_store, tmp_path):
    assert run("validate", store=corpus_store).exit_code == 0
    broken = tmp_path / "store"
    shutil.copytree(corpus_store, broken)
    update = "DELETE { GRAPH ?g { ?c kg:subject ?s } } WHERE { GRAPH ?g { ?c kg:subject ?s } }"
    assert run("update", update, store=broken).exit_code == 0
    result = run("validate", store=broken)
    assert result.exit_code == 3
    assert "kg:subject" in result.stdout or "subject" in result.stdout


def test_boilerplate_yields_no_entity_and_no_claim():
    result = CliRunner().invoke(main, ["extract", str(CORPUS / FIRST)])
    extraction = json.loads(result.stdout)
    text = CliRunner().invoke(main, ["extract", str(CORPUS / FIRST), "--format", "text"]).stdout
    assert "Akismet" not in text and "commentaire" not in text.lower().splitlines()[-1]
    assert not any(e["text"] in ("Akismet", "ROGTOTO", "Laisser") for e in extraction["entities"])
    assert all("toto" not in c["sentence"].lower() for c in extraction["claims"])


def test_query_refuses_updates_and_explains_syntax_errors(corpus_store):
    refused = run("query", "DELETE WHERE { ?s ?p ?o }", store=corpus_store)
    assert refused.exit_code == 2 and "read-only" in refused.stderr
    broken = run("query", "SELECT ?x WHERE {\n ?x ?y }", store=corpus_store)
    assert broken.exit_code == 1 and "line 2" in broken.stderr
    assert len(broken.stderr.strip().splitlines()) == 1


def test_unknown_named_query_lists_the_names(corpus_store):
    result = run("query", "--named", "nope", store=corpus_store)
    assert result.exit_code == 1 and "claims" in result.stderr


def test_named_queries_take_parameters_and_page_sizes(corpus_store):
    listed = run("query", "--list", store=corpus_store).stdout
    assert "claims-by-entity  --param entity=...  (pages of 50)" in listed
    found = run("query", "--named", "claims-by-entity", "--param", "entity=Nvidia", "--param", "entity=OpenAI",
                "--limit", "3", "--format", "csv", store=corpus_store)
    assert found.exit_code == 0 and len(found.stdout.strip().splitlines()) == 1 + 3
    assert {line.split(",")[0] for line in found.stdout.strip().splitlines()[1:]} <= {"Nvidia", "OpenAI"}
    for wrong in (["--named", "claims-by-entity"], ["--named", "claims-by-entity", "--param", "entity"],
                  ["--named", "stats", "--limit", "5"], ["SELECT * {}", "--param", "entity=Nvidia"]):
        refused = run("query", *wrong, store=corpus_store)
        assert refused.exit_code == 2 and "Error:" in refused.stderr


def test_claims_show_the_most_recent_page(corpus_store):
    everything = json.loads(run("claims", "--limit", "0", "--format", "json", store=corpus_store).stdout)
    page = run("claims", "--limit", "2", "--format", "json", store=corpus_store)
    shown = json.loads(page.stdout)
    assert len(shown) == 2 and all(claim in everything for claim in shown) and "2 most recent" in page.stderr
    assert min(c["date"] for c in shown) >= max(c["date"] for c in everything if c not in shown)



def claims_json(corpus_store, *args: str) -> list[dict]:
    result = run("claims", *args, "--format", "json", store=corpus_store)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("option, value, matches", [
    ("--source", "reuters", lambda c: "reuters" in (c["source"] or "").lower()),
    ("--until", "2025-09", lambda c: c["date"] <= "2025-09"),
    ("--relation", "stock_move", lambda c: c["relation"] == "stock_move"),
])
def test_filters_find_claims_beyond_the_first_page(corpus_store, option, value, matches):
    """The store pages after filtering: the matching claims are older than the two most
    recent claims, and a page of two still holds the most recent matching ones."""
    everything = claims_json(corpus_store, "--limit", "0")
    expected = [c for c in everything if matches(c)]
    assert expected and not any(matches(c) for c in claims_json(corpus_store, "--limit", "2"))
    assert claims_json(corpus_store, option, value, "--limit", "0") == expected
    page = claims_json(corpus_store, option, value, "--limit", "2")
    assert page and len(page) == min(2, len(expected)) and all(c in expected for c in page)
    assert min(c["date"] for c in page) >= max((c["date"] for c in expected if c not in page), default="")


def test_filters_combine_with_an_entity_and_with_each_other(corpus_store):
    everything = claims_json(corpus_store, "--entity", "Nvidia", "--limit", "0")
    expected = [c for c in everything if "bloomberg" in (c["source"] or "").lower() and c["date"] >= "2025"]
    assert expected and claims_json(corpus_store, "--entity", "Nvidia", "--source", "BLOOMBERG",
                                    "--since", "2025", "--limit", "0") == expected
    assert claims_json(corpus_store, "--source", "bloomberg", "--since", "2026", "--limit", "0") == []

def test_bad_files_are_refused_one_line_each_and_the_rest_is_ingested(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(CORPUS / FIRST, folder / FIRST)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "notes.docx").write_text("whatever")
    result = run("ingest", str(folder), store=tmp_path / "store")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3 and any("empty.txt: empty file" in e for e in errors)
    assert any("notes.docx: unsupported file type .docx" in e for e in errors)
    assert "1 added" in result.stderr


def test_reviews_survive_reingest_and_export_as_claimreview(corpus_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(corpus_store, store)
    claim = json.loads(run("claims", "--format", "json", store=store).stdout)[0]
    recorded = run("review", claim["id"], "--rating", "Trompeur", "--score", "2", "--author", "Desk",
                   "--note", "Chiffre non confirmé.", "--date", "2026-03-01", store=store)
    assert recorded.exit_code == 0, recorded.output
    assert run("ingest", str(CORPUS), store=store).exit_code == 0
    reviews = json.loads(run("export", "--format", "claimreview", store=store).stdout)
    assert len(reviews) == 1
    review = reviews[0]
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == claim["sentence"]
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Trompeur",
                                      "ratingValue": 2, "bestRating": 5, "worstRating": 1}
    assert review["author"]["name"] == "Desk" and review["datePublished"] == "2026-03-01"
    assert review["itemReviewed"]["@type"] == "Claim" and review["itemReviewed"]["appearance"]
    assert review["url"]


def test_reviewing_an_unknown_claim_is_one_clear_line(corpus_store):
    result = run("review", "no-such-claim", "--rating", "Faux", "--author", "Desk", store=corpus_store)
    assert result.exit_code == 1 and "no claim 'no-such-claim'" in result.stderr


def test_cycles_show_circular_financing(corpus_store):
    result = run("cycles", store=corpus_store)
    assert result.exit_code == 0
    assert any(set(line.split(" → ")) == {"Nvidia", "OpenAI"} for line in result.stdout.splitlines())


def test_evaluate_takes_the_gold_folder_or_its_gold_json(tmp_path):
    (tmp_path / "a.txt").write_text("La société Acme a levé 10 millions d'euros, selon l'AFP.\n", encoding="utf-8")
    gold = {"articles": {"a.txt": {"entities": [{"text": "Acme", "type": "ORG", "wikidata": None}],
                                   "amounts": [], "claims": [], "junk_must_not_yield_claims": []}}}
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    by_folder = CliRunner().invoke(main, ["evaluate", str(tmp_path)])
    by_file = CliRunner().invoke(main, ["evaluate", str(tmp_path / "gold.json")])
    assert by_folder.exit_code == 0, by_folder.output
    assert by_folder.output == by_file.output
    assert by_folder.output.splitlines()[0].split() == ["category", "gold", "predicted", "matched",
                                                        "precision", "recall", "F1"]


def test_evaluate_several_gold_sets_gives_a_row_per_set_and_their_sum(tmp_path):
    gold = {"articles": {"a.txt": {"entities": [{"text": "Acme", "type": "ORG", "wikidata": None}],
                                   "amounts": [], "claims": [], "junk_must_not_yield_claims": []}}}
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.txt").write_text("La société Acme a levé 10 millions d'euros.\n", encoding="utf-8")
        (tmp_path / name / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    folders = [str(tmp_path / "first"), str(tmp_path / "second" / "gold.json")]
    table = CliRunner().invoke(main, ["evaluate", *folders])
    as_json = CliRunner().invoke(main, ["evaluate", *folders, "--format", "json"])
    assert table.exit_code == 0 and as_json.exit_code == 0, table.output + as_json.output
    assert [line.split()[:2] for line in table.output.splitlines()[:4]] == [
        ["set", "articles"], ["first", "1"], ["second", "1"], ["together", "2"]]
    report = json.loads(as_json.output)
    assert list(report["sets"]) == ["first", "second"] and list(report["articles"]) == ["first/a.txt", "second/a.txt"]
    assert report["totals"]["entities"]["gold"] == 2 == 2 * report["sets"]["first"]["entities"]["gold"]
