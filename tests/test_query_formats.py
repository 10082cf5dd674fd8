"""`kg query` output formats, read back by a second implementation (rdflib's parsers)."""
from __future__ import annotations

import io

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.query import Result

from kg.cli import main

DATA = """INSERT DATA { GRAPH <urn:g:1> {
  <urn:x:acme> a schema:Organization ; rdfs:label "Acme" ; schema:value 12.5 .
  <urn:x:globex> a schema:Organization ; rdfs:label "Globex, \\"SA\\"" ; schema:description "deux\\nlignes"@fr .
} }"""
SELECT = "SELECT ?org ?label WHERE { ?org a schema:Organization ; rdfs:label ?label } ORDER BY ?label"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("formats") / "store"
    assert CliRunner().invoke(main, ["--store", str(path), "update", DATA]).exit_code == 0
    return path


def kg(store, *args, input=None):
    return CliRunner().invoke(main, ["--store", str(store), *args], input=input)


EXPECTED = [(rdflib.URIRef("urn:x:acme"), rdflib.Literal("Acme")),
            (rdflib.URIRef("urn:x:globex"), rdflib.Literal('Globex, "SA"'))]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_select_results_parse_back_with_rdflib(store, fmt):
    result = kg(store, "query", SELECT, "--format", fmt)
    assert result.exit_code == 0, result.output
    parsed = Result.parse(io.BytesIO(result.stdout_bytes), format=fmt)
    assert [tuple(row) for row in parsed] == EXPECTED


def test_csv_results_parse_back_as_plain_values(store):
    # SPARQL CSV drops term kinds: IRIs and literals both come back as plain values.
    parsed = Result.parse(io.BytesIO(kg(store, "query", SELECT, "--format", "csv").stdout_bytes), format="csv")
    assert [tuple(map(str, row)) for row in parsed] == [tuple(map(str, row)) for row in EXPECTED]


def test_ask_and_table(store):
    assert kg(store, "query", "ASK { ?s rdfs:label \"Acme\" }").stdout == "true\n"
    table = kg(store, "query", SELECT).stdout.splitlines()
    assert table[0].split() == ["org", "label"] and table[2].split() == ["<urn:x:acme>", "Acme"]


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("nt", "nt"), ("rdfxml", "xml"), ("jsonld", "json-ld")])
def test_construct_results_parse_back_with_rdflib(store, fmt, rdflib_format):
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    result = kg(store, "query", construct, "--format", fmt)
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(data=result.stdout_bytes, format=rdflib_format)
    assert len(graph) == 6
    assert (rdflib.URIRef("urn:x:globex"), rdflib.URIRef("http://schema.org/description"),
            rdflib.Literal("deux\nlignes", lang="fr")) in graph


def test_output_file_format_from_its_extension(store, tmp_path):
    out = tmp_path / "rows.tsv"
    assert kg(store, "query", SELECT, "-o", str(out)).exit_code == 0
    assert out.read_text().splitlines()[0] == "?org\t?label"


def test_query_from_stdin_and_from_a_file(store, tmp_path):
    assert kg(store, "query", "-", "--format", "csv", input=SELECT).stdout.splitlines()[0] == "org,label"
    query_file = tmp_path / "q.rq"
    query_file.write_text(SELECT)
    assert kg(store, "query", "-f", str(query_file), "--format", "csv").stdout.splitlines()[0] == "org,label"


def test_query_and_file_together_are_refused(store, tmp_path):
    query_file = tmp_path / "q.rq"
    query_file.write_text(SELECT)
    result = kg(store, "query", SELECT, "-f", str(query_file))
    assert result.exit_code == 2 and "exactly one of" in result.stderr


def test_a_format_that_does_not_fit_the_query_form_is_a_usage_error(store):
    result = kg(store, "query", SELECT, "--format", "turtle")
    assert result.exit_code == 2 and "CONSTRUCT" in result.stderr


def test_prefixes_are_listed(store):
    lines = kg(store, "prefixes").stdout.splitlines()
    assert "schema: <http://schema.org/>" in lines and "kg: <https://w3id.org/kg-claims/ontology#>" in lines
