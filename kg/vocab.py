"""Namespaces and the prefixes that every SPARQL query gets pre-bound.

>>> PREFIXES["schema"]
'http://schema.org/'
>>> sparql_prologue().splitlines()[0]
'PREFIX kg: <https://w3id.org/kg-claims/ontology#>'
"""
from __future__ import annotations

KG = "https://w3id.org/kg-claims/ontology#"
DATA = "https://w3id.org/kg-claims/id/"

PREFIXES: dict[str, str] = {
    "kg": KG,
    "kgid": DATA,
    "schema": "http://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "wd": "http://www.wikidata.org/entity/",
}

FLAGS_GRAPH = DATA + "graph/flags"
REVIEWS_GRAPH = DATA + "graph/reviews"


def sparql_prologue() -> str:
    """The PREFIX lines for the project's prefixes, for endpoints that need them spelled out."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
