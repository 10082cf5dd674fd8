"""The fact-checker's read-only views over a store: claims, entities, statistics, named queries.

Named queries are the `ontology/queries/*.rq` files; `kg query --named NAME [--param K=V] [--limit N]`
runs them.

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


class QueryParameterError(ValueError):
    """A named query's parameters given wrongly (missing, unknown, or a page size on a query without pages)."""


PARAMS = "#PARAMS"  # where a named query's parameters are bound, as VALUES
PAGE = re.compile(r"\bLIMIT\s+(\d+)")


def named_queries() -> dict[str, Path]:
    """Named query files by name (file stem)."""
    folder = ontology_path("queries")
    return {path.stem: path for path in sorted(folder.glob("*.rq"))}


def named_query(name: str, params: dict[str, list[str]] | None = None, *, limit: int | None = None) -> str:
    """The SPARQL of a named query, its parameters bound and its page size set.

    A named query declares each parameter on a `#param NAME description` line and uses it as
    ?NAME; every declared parameter is required, and each is bound as `VALUES ?NAME {...}`
    (string literals, escaped) at the query's `#PARAMS` line. A listing returns one page: the
    LIMIT written in the file; `limit` replaces every LIMIT, and 0 removes them.

    >>> print(parameter_values("q", {"source": "who said it"}, {"source": ['A "B"', "C"]}))
    VALUES ?source { "A \\"B\\"" "C" }
    >>> page_size(named_query("claims")), page_size(named_query("claims", limit=0))
    (50, None)
    """
    path = named_queries().get(name)
    if path is None:
        raise UnknownQueryError(name)
    text = path.read_text(encoding="utf-8")
    text = text.replace(PARAMS, parameter_values(name, query_parameters(text), params or {}))
    return text if limit is None else with_page_size(name, text, limit)


def query_parameters(text: str) -> dict[str, str]:
    """A named query's parameters and what they mean, from its `#param NAME description` lines."""
    return {name: meaning.strip() for name, meaning in re.findall(r"^#param\s+(\w+)(.*)$", text, re.MULTILINE)}


def page_size(text: str) -> int | None:
    """The rows a named query returns at most (its LIMIT), or None when it lists everything."""
    found = PAGE.search(text)
    return int(found.group(1)) if found else None


def parameter_values(name: str, declared: dict[str, str], given: dict[str, list[str]]) -> str:
    unknown = sorted(set(given) - set(declared))
    if unknown:
        takes = ", ".join(declared) or "no parameter"
        raise QueryParameterError(f"named query {name!r} has no parameter {unknown[0]!r} (it takes: {takes})")
    missing = [p for p in declared if not given.get(p)]
    if missing:
        raise QueryParameterError(f"named query {name!r} needs --param {missing[0]}=VALUE ({declared[missing[0]]})")
    return " ".join(f"VALUES ?{p} {{ {' '.join(sparql_string(v) for v in given[p])} }}" for p in declared)


def with_page_size(name: str, text: str, limit: int) -> str:
    if page_size(text) is None:
        raise QueryParameterError(f"named query {name!r} lists everything already; --limit is for paged queries")
    return PAGE.sub(f"LIMIT {limit}" if limit else "", text)


def entity_iris(store: Store, name: str) -> list[str]:
    """Entities whose id, label or surface form is `name`: exact labels and the id first (index
    lookups), the case-insensitive scan of every label only when nothing matched."""
    found = {row["e"].value for row in store.select(f"SELECT ?e WHERE {{ {exact_entities(name)} }}")}
    if not found:
        found = {row["e"].value for row in store.select(f"""
            SELECT DISTINCT ?e WHERE {{ GRAPH ?g {{ ?e rdfs:label|skos:altLabel ?label }}
              FILTER(LCASE(STR(?label)) = LCASE({sparql_string(name)})) }}""")}
    return sorted(found)


def exact_entities(name: str) -> str:
    """A group binding ?e to the entities whose label or alias is `name` (as given, in lower
    case or in title case) or whose id is the one kg gives `name`."""
    variants = " ".join(sparql_string(v) for v in dict.fromkeys([name, name.lower(), name.title()]))
    own_iri = f"{DATA}entity/{slug(name)}"  # as kg.rdf.entity_node writes it
    return f"""{{ SELECT DISTINCT ?e WHERE {{
          {{ VALUES ?label {{ {variants} }} GRAPH ?labelled {{ ?e rdfs:label|skos:altLabel ?label }} }}
          UNION {{ VALUES ?e {{ <{own_iri}> }} GRAPH ?typed {{ ?e a ?type }} }} }} }}"""


def sparql_string(text: str) -> str:
    """A SPARQL string literal.

    >>> sparql_string('a "b"')
    '"a \\\\"b\\\\""'
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def claims(store: Store, *, entity: str | None = None, source: str | None = None, relation: str | None = None,
           since: str | None = None, until: str | None = None, limit: int | None = None) -> list[dict]:
    """Claims of the current article versions, in date order, as plain dicts; with `limit`,
    only the `limit` most recent. Every filter is part of the query, so the store pages
    after filtering: a page holds the most recent matching claims, wherever they are.
    Among claims of the same date at the edge of a page, the store picks which ones come in
    (ordering every candidate by file and position first would read two more values for each)."""
    if entity is None and source is None and relation is None and since is None and until is None:
        rows = select_claims(store, named_query("claims", limit=limit or 0))
    else:
        filters = {"source": source, "relation": relation, "since": since, "until": until, "limit": limit}
        # the entity looked up inside the query (one round trip to a remote store); only
        # when nothing comes back, maybe because no label matched exactly, by entity_iris
        rows = select_claims(store, claims_query(None if entity is None else exact_entities(entity), **filters))
        if not rows and entity is not None:
            iris = entity_iris(store, entity)
            rows = select_claims(store, claims_query(values_of(iris), **filters)) if iris else []
    rows = sorted(rows, key=lambda r: (r["date"] or "", r["file"], r["start"], r["iri"]))
    return rows[-limit:] if limit else rows


CLAIMS_QUERY = """
SELECT ?claim ?id ?subjectLabel ?relation ?objectLabel ?amountText ?sourceText ?sourcePosition ?modality
       ?polarity ?date ?file ?sentence ?start WHERE {
  { SELECT DISTINCT ?claim ?g ?article ?date WHERE {
      %(claims)s
      OPTIONAL { GRAPH ?g { ?article schema:datePublished ?published } }
      OPTIONAL { GRAPH ?g { ?claim kg:refersToDate ?claimDate } }
      # superseded versions, read once and anti-joined (NOT EXISTS looks them up claim by claim)
      MINUS { GRAPH ?newerGraph { ?newer prov:wasRevisionOf ?article } }
      BIND(COALESCE(STR(?claimDate), STR(?published)) AS ?date)
      %(dates)s
    } ORDER BY DESC(?date) %(limit)s }
  GRAPH ?g {
    ?claim schema:identifier ?id ; kg:subject/rdfs:label ?subjectLabel ; kg:relation ?relation ;
           kg:modality ?modality ; kg:polarity ?polarity ; kg:sentence ?sentence ;
           kg:span/oa:hasSelector/oa:start ?start .
    ?article kg:file ?file .
    OPTIONAL { ?claim kg:object/rdfs:label ?objectLabel }
    OPTIONAL { ?claim kg:amount/kg:rawText ?amountText }
    # Every step with its position; the first hop is picked in Python (one_row_per_claim).
    # Written `?step kg:position 0`, Oxigraph 0.5 starts from the constant and reads every
    # first step of the graph for each claim (a third of this query's time).
    OPTIONAL { ?claim kg:sourceChain ?step . ?step kg:position ?sourcePosition ; kg:sourceText ?sourceText }
  }
}"""


def select_claims(store: Store, sparql: str) -> list[dict]:
    return one_row_per_claim(claim_row(row) for row in store.select(sparql))


def values_of(iris: list[str]) -> str:
    return f"VALUES ?e {{ {' '.join(f'<{iri}>' for iri in iris)} }}"


def claims_query(entities: str | None, *, source: str | None = None, relation: str | None = None,
                 since: str | None = None, until: str | None = None, limit: int | None = None) -> str:
    """One query for a page of filtered claims: a sub-select picks the matching claims of the
    current versions (about the entities ?e that `entities` binds, when given) and keeps the
    `limit` most recent, then the details are looked up for those claims only.

    The shape matters to Oxigraph 0.5, which otherwise evaluates an OPTIONAL against the
    whole store before joining: one-pattern OPTIONALs stand outside `GRAPH ?g {}`, and the
    details (paths) sit inside it, after the sub-select that binds ?claim and ?g."""
    patterns = ["?claim prov:wasDerivedFrom ?article ."]
    if entities is None:
        patterns.append("?claim a schema:Claim .")
    else:
        patterns.append("?claim kg:subject|kg:object ?e .")
    if relation is not None:
        patterns.append(f"?claim kg:relation kg:{slug(relation).replace('-', '_')} .")
    if source is not None:
        patterns.append("?claim kg:sourceChain ?firstStep . ?firstStep kg:position 0 ; kg:sourceText ?firstSource .")
    matching = "GRAPH ?g { " + " ".join(patterns) + " }"
    if entities is not None:
        matching = entities + " " + matching
    if source is not None:
        matching += f" FILTER(CONTAINS(LCASE(?firstSource), {sparql_string(source.lower())}))"
    return CLAIMS_QUERY % {"claims": matching, "dates": date_filter(since, until),
                           "limit": f"LIMIT {limit}" if limit else ""}


def date_filter(since: str | None, until: str | None) -> str:
    """A FILTER keeping the ?date (ISO, any precision) within [since, until], each bound
    compared at its own precision ("2025-09-15" is within since 2025 and until 2025-09).

    >>> date_filter("2025", None)
    'FILTER(BOUND(?date) && SUBSTR(?date, 1, 4) >= "2025")'
    """
    tests = [f"SUBSTR(?date, 1, {len(bound)}) {op} {sparql_string(bound)}"
             for bound, op in ((since, ">="), (until, "<=")) if bound is not None]
    return f"FILTER(BOUND(?date) && {' && '.join(tests)})" if tests else ""


def claim_row(row: dict) -> dict:
    value = {name: term.value if term is not None else None for name, term in row.items()}
    return {
        "id": value["id"], "iri": value["claim"], "subject": value["subjectLabel"],
        "relation": local_name(value["relation"]), "object": value.get("objectLabel"),
        "amount": value.get("amountText"), "source": value.get("sourceText"),
        "modality": local_name(value["modality"]), "polarity": local_name(value["polarity"]),
        "date": value.get("date") or value.get("published"), "file": value["file"],
        "sentence": value["sentence"], "start": int(value["start"]),
        "first_hop": value.get("sourcePosition") in (None, "0"),
    }


def local_name(iri: str | None) -> str | None:
    return re.split(r"[#/]", iri)[-1] if iri else None


def one_row_per_claim(rows) -> list[dict]:
    """One row per claim: the last one that names the claim's first-hop source (a claim has a
    row per step of its source chain), or without a source when no step is the first hop."""
    chosen: dict[str, dict] = {}
    for row in rows:
        if not row.pop("first_hop"):
            if row["iri"] in chosen:
                continue
            row["source"] = None
        chosen[row["iri"]] = row
    return list(chosen.values())


def stats(store: Store) -> dict[str, int]:
    """Counts a person checks after an ingest."""
    row = store.select(named_query("stats"))[0]
    counts = {name: int(term.value) for name, term in row.items() if term is not None}
    return {"triples": store.count(), "graphs": len(store.named_graphs()), **counts}
