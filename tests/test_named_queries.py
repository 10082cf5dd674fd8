"""Each named query of ontology/queries/ on the corpus, with the rows it must return."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest import ingest
from kg.queries import QueryParameterError, named_queries, named_query
from kg.store import open_store

CORPUS = Path(__file__).parent.parent / "corpus"
SEPTEMBER = "2025-09-nvidia-openai-cycle-100-milliards.txt"
FEBRUARY = "2026-02-nvidia-openai-partenariat-rumeurs.txt"
KG = "https://w3id.org/kg-claims/ontology#"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with open_store(path=tmp_path_factory.mktemp("named") / "store") as store:
        ingest([str(CORPUS)], store)
        yield store


def rows(store, name: str, limit: int | None = None, **params: list[str]) -> list[dict[str, str]]:
    """The query's rows, kg IRIs shortened to their local name, no-break spaces made plain."""
    sparql = named_query(name, params, limit=limit)
    return [{k: plain(v.value.removeprefix(KG)) for k, v in row.items()} for row in store.select(sparql)]


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_every_named_query_is_tested():
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    assert set(named_queries()) <= tested


def test_claims(store):
    found = rows(store, "claims", limit=0)
    assert {"subjectLabel": "Nvidia", "relation": "invests_in", "objectLabel": "OpenAI",
            "amountText": "pouvant atteindre 100 milliards $", "sourceText": "Reuters",
            "modality": "reported", "file": SEPTEMBER}.items() <= next(
        r for r in found if r.get("sourceText") == "Reuters").items()
    assert {r["file"] for r in found} == {SEPTEMBER, FEBRUARY}


def test_claims_come_in_pages_of_the_most_recent(store):
    everything = rows(store, "claims", limit=0)
    assert rows(store, "claims") == everything[:50]  # the corpus holds fewer claims than a page
    first_two = rows(store, "claims", limit=2)
    assert [r["file"] for r in everything[:2]] == [FEBRUARY, FEBRUARY] and first_two == everything[:2]
    assert [int(r["start"]) for r in first_two] == sorted(int(r["start"]) for r in first_two)


def test_claims_by_entity(store):
    found = rows(store, "claims-by-entity", entity=["OpenAI"])
    assert {r["entity"] for r in found} == {"OpenAI"}
    assert ("invests_in", "object") in {(r["relation"], r["role"]) for r in found}
    both = rows(store, "claims-by-entity", entity=["Nvidia", "Jensen Huang"], limit=0)
    assert {r["entity"] for r in both} == {"Nvidia", "Jensen Huang"}
    assert [r["file"] for r in both if r["entity"] == "Nvidia"][0] == FEBRUARY  # most recent first


def test_claims_by_source(store):
    by_reuters = [(r["subject"], r["relation"], r.get("object"), r.get("amount"))
                  for r in rows(store, "claims-by-source", source=["Reuters"])]
    assert by_reuters == [("Nvidia", "invests_in", "OpenAI", "pouvant atteindre 100 milliards $")]
    by_bloomberg = sorted((r["relation"], r.get("amount")) for r in rows(store, "claims-by-source", source=["Bloomberg"]))
    assert by_bloomberg == [("market_cap", "environ 4 500 milliards $"), ("stock_move", "près de +4 %")]


def test_denied_claims(store):
    found = rows(store, "denied-claims")
    assert {r["denier"] for r in found} == {"Jensen Huang"}
    assert any(r.get("deniedSource") == "Wall Street Journal" for r in found)
    assert all(r["file"] == FEBRUARY for r in found)


def test_figures_over_time(store):
    found = rows(store, "figures-over-time", subject=["Nvidia"])
    capacity = {(r["date"], r["amount"], r["unit"]) for r in found if r["relation"] == "capacity" and r["unit"] == "GW"}
    assert capacity == {("2025-09", "10 gigawatts", "GW"), ("2026-02", "10 gigawatts", "GW")}
    assert {r["subject"] for r in found} == {"Nvidia"}
    microsoft = {(r["bound"], float(r["max"]), r["unit"]) for r in rows(store, "figures-over-time", subject=["Microsoft"])}
    assert microsoft == {("less_than", 1e10, "USD")}


def test_flags_with_sentences(store):
    found = rows(store, "flags-with-sentences")
    kinds = {r["kind"] for r in found}
    assert {"denial", "corroboration"} <= kinds
    denial_files = {r["file"] for r in found if r["kind"] == "denial"}
    assert denial_files == {FEBRUARY}
    assert any("Wall Street Journal" in r["sentence"] for r in found if r["kind"] == "denial")


def test_entities_wikidata(store):
    labels = ["Nvidia", "OpenAI", "Jensen Huang", "Andy Jassy"]
    found = {(r["label"], r.get("wikidata")) for r in rows(store, "entities-wikidata", label=labels)}
    assert found == {("Nvidia", "http://www.wikidata.org/entity/Q182477"),
                     ("OpenAI", "http://www.wikidata.org/entity/Q21708200"),
                     ("Jensen Huang", "http://www.wikidata.org/entity/Q305177"),
                     ("Andy Jassy", None)}


def test_parameters_are_string_literals_whatever_they_hold(store):
    assert rows(store, "claims-by-entity", entity=['Nvidia" } } GRAPH ?x { ?a ?b ?c', "\\"]) == []


@pytest.mark.parametrize("name, params, limit, message", [
    ("claims-by-entity", {}, None, "needs --param entity=VALUE"),
    ("claims-by-entity", {"entity": ["Nvidia"], "source": ["Reuters"]}, None, "has no parameter 'source'"),
    ("stats", {}, 10, "--limit is for paged queries"),
])
def test_parameters_and_page_sizes_given_wrongly_are_refused(name, params, limit, message):
    with pytest.raises(QueryParameterError, match=message.replace("-", "\\-")):
        named_query(name, params, limit=limit)


def test_stats(store):
    (row,) = rows(store, "stats")
    assert (row["articles"], row["versions"]) == ("2", "2")
    assert int(row["claims"]) >= 10 and int(row["flags"]) >= 3


@pytest.mark.parametrize("entity, label", [("Nvidia", "Nvidia"), ("openai", "OpenAI"), ("JENSEN HUANG", "Jensen Huang")])
def test_claims_of_one_entity_are_those_of_the_full_list(store, entity, label):
    from kg.queries import claims

    expected = [row for row in claims(store) if label in (row["subject"], row["object"])]
    assert expected and claims(store, entity=entity) == expected


@pytest.mark.parametrize("entity", [None, "Nvidia"])
def test_a_page_of_claims_holds_the_most_recent(store, entity):
    from kg.queries import claims

    everything = claims(store, entity=entity)
    page = claims(store, entity=entity, limit=3)
    assert len(page) == 3 and all(row in everything for row in page)
    assert min(row["date"] for row in page) >= max(row["date"] for row in everything if row not in page)


@pytest.mark.parametrize("entity", [None, "Nvidia"])
def test_claims_of_one_relation(store, entity):
    from kg.queries import claims

    expected = [row for row in claims(store, entity=entity) if row["relation"] == "capacity"]
    assert expected and claims(store, entity=entity, relation="capacity") == expected
