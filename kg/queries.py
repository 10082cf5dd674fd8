"""The fact-checker's read-only views over a store: claims, entities, statistics, named queries.

Named queries are the `ontology/queries/*.rq` files; `kg query --named NAME` runs them.

>>> "claims" in named_queries()
True
"""
from __future__ import annotations

import re
from pathlib import Path

from kg import ontology_path
from kg.corpus import slug
from kg.store import Store
from kg.vocab import DATA

CURRENT = "FILTER NOT EXISTS { GRAPH ?newerGraph { ?newer prov:wasRevisionOf ?article } }"


class UnknownQueryError(LookupError):
    def __init__(self, name: str):
        names = ", ".join(sorted(named_queries())) or "(none)"
        super().__init__(f"no named query {name!r}; known: {names}")


def named_queries() -> dict[str, Path]:
    """Named query files by name (file stem)."""
    folder = ontology_path("queries")
    return {path.stem: path for path in sorted(folder.glob("*.rq"))}


def named_query(name: str) -> str:
    path = named_queries().get(name)
    if path is None:
        raise UnknownQueryError(name)
    return path.read_text(encoding="utf-8")


def entity_iris(store: Store, name: str) -> list[str]:
    """Entities whose id, label or surface form is `name`: exact labels first (an index
    lookup), the case-insensitive scan of every label only when nothing matched."""
    variants = " ".join(sparql_string(v) for v in dict.fromkeys([name, name.lower(), name.title()]))
    found = {row["e"].value for row in store.select(
        f"SELECT DISTINCT ?e WHERE {{ VALUES ?label {{ {variants} }} GRAPH ?g {{ ?e rdfs:label|skos:altLabel ?label }} }}")}
    own_iri = f"{DATA}entity/{slug(name)}"  # as kg.rdf.entity_node writes it
    if store.ask(f"ASK {{ GRAPH ?g {{ <{own_iri}> a ?type }} }}"):
        found.add(own_iri)
    if not found:
        found = {row["e"].value for row in store.select(f"""
            SELECT DISTINCT ?e WHERE {{ GRAPH ?g {{ ?e rdfs:label|skos:altLabel ?label }}
              FILTER(LCASE(STR(?label)) = LCASE({sparql_string(name)})) }}""")}
    return sorted(found)


def sparql_string(text: str) -> str:
    """A SPARQL string literal.

    >>> sparql_string('a "b"')
    '"a \\\\"b\\\\""'
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def claims(store: Store, *, entity: str | None = None, source: str | None = None,
           relation: str | None = None, since: str | None = None, until: str | None = None) -> list[dict]:
    """Claims of the current article versions, in date order, as plain dicts."""
    only = f"VALUES ?relation {{ kg:{slug(relation).replace('-', '_')} }}" if relation is not None else ""
    if entity is None:
        rows = [claim_row(row) for row in store.select(named_query("claims").replace("#RELATION", only))]
    else:
        rows = claims_of_entities(store, entity_iris(store, entity), only)
    rows = [r for r in rows if matches_source(r, source) and within(r["date"], since, until)]
    return sorted(unique_by_id(rows), key=lambda r: (r["date"] or "", r["file"], r["start"]))


ENTITY_CLAIMS = """
SELECT ?claim ?g ?article ?id ?subjectLabel ?relation ?modality ?polarity ?file ?sentence ?start WHERE {
  VALUES ?e { %(entities)s }
  GRAPH ?g {
    ?claim kg:subject|kg:object ?e .
    ?claim a schema:Claim ; schema:identifier ?id ; kg:subject ?subject ; kg:relation ?relation ;
      kg:modality ?modality ; kg:polarity ?polarity ; kg:sentence ?sentence ;
      kg:span/oa:hasSelector/oa:start ?start ; prov:wasDerivedFrom ?article .
    %(relation)s
    ?article kg:file ?file .
    ?subject rdfs:label ?subjectLabel .
  }
  FILTER NOT EXISTS { GRAPH ?newerGraph { ?newer prov:wasRevisionOf ?article } }
}"""
CLAIM_DETAILS = """
SELECT ?claim ?g ?article ?published ?objectLabel ?amountText ?sourceText ?date WHERE {
  VALUES (?claim ?g ?article) { %s }
  OPTIONAL { GRAPH ?g { ?article schema:datePublished ?published } }
  OPTIONAL { GRAPH ?g { ?claim kg:object/rdfs:label ?objectLabel } }
  OPTIONAL { GRAPH ?g { ?claim kg:amount/kg:rawText ?amountText } }
  OPTIONAL { GRAPH ?g { ?claim kg:sourceChain ?step . ?step kg:position 0 ; kg:sourceText ?sourceText } }
  OPTIONAL { GRAPH ?g { ?claim kg:refersToDate ?date } }
}"""


def claims_of_entities(store: Store, iris: list[str], only_relation: str) -> list[dict]:
    """The claims about some entities in two queries: the required patterns driven by the
    entities, then the optional details for exactly those claims (a VALUES table before each
    OPTIONAL makes the engine look them up claim by claim, not over the whole store)."""
    if not iris:
        return []
    core = store.select(ENTITY_CLAIMS % {"entities": " ".join(f"<{iri}>" for iri in iris), "relation": only_relation})
    keys = dict.fromkeys((row["claim"], row["g"], row["article"]) for row in core)
    details: dict[tuple, list[dict]] = {}
    if keys:
        for row in store.select(CLAIM_DETAILS % " ".join(f"({c} {g} {a})" for c, g, a in keys)):
            details.setdefault((row["claim"], row["g"], row["article"]), []).append(row)
    return [claim_row({**c, **d}) for c in core for d in details.get((c["claim"], c["g"], c["article"]), [{}])]


def claim_row(row: dict) -> dict:
    value = {name: term.value if term is not None else None for name, term in row.items()}
    return {
        "id": value["id"], "iri": value["claim"], "subject": value["subjectLabel"],
        "relation": local_name(value["relation"]), "object": value.get("objectLabel"),
        "amount": value.get("amountText"), "source": value.get("sourceText"),
        "modality": local_name(value["modality"]), "polarity": local_name(value["polarity"]),
        "date": value.get("date") or value.get("published"), "file": value["file"],
        "sentence": value["sentence"], "start": int(value["start"]),
    }


def local_name(iri: str | None) -> str | None:
    return re.split(r"[#/]", iri)[-1] if iri else None


def matches_source(row: dict, source: str | None) -> bool:
    return source is None or source.lower() in (row["source"] or "").lower()


def within(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether an ISO date (of any precision) falls in [since, until].

    >>> within("2025-09", "2025", None), within("2025-09", "2025-10", None)
    (True, False)
    """
    if date is None:
        return since is None and until is None
    return (since is None or date[: len(since)] >= since) and (until is None or date[: len(until)] <= until)


def unique_by_id(rows: list[dict]) -> list[dict]:
    return list({row["iri"]: row for row in rows}.values())


def stats(store: Store) -> dict[str, int]:
    """Counts a person checks after an ingest."""
    row = store.select(named_query("stats"))[0]
    counts = {name: int(term.value) for name, term in row.items() if term is not None}
    return {"triples": store.count(), "graphs": len(store.named_graphs()), **counts}
