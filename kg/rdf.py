"""Extraction dataclasses -> RDF triples, with deterministic IRIs.

One article version becomes one named graph. IRIs depend only on the article id, its
text's sha256 and positions in that text, so the same article always gives the same graph.

The triples are written as N-Triples terms, straight from the dataclasses: an ingest
stores them as N-Quads without building an rdflib graph (which cost more than the
extraction itself). `article_graph` gives the same triples as an rdflib Graph, for
validation and tests.

>>> from rdflib import RDF, URIRef
>>> article = Article(id="a1", text="Texte.", published="2025-09")
>>> graph = article_graph(Extraction(article=article))
>>> (version_iri(article), RDF.type, URIRef("http://schema.org/NewsArticle")) in graph
True
>>> print(article_nquads(Extraction(article=article)).splitlines()[0])
<https://w3id.org/kg-claims/id/article/a1/0cf6c28ccf9aa004> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/NewsArticle> <https://w3id.org/kg-claims/id/graph/a1/0cf6c28ccf9aa004> .
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.corpus import slug
from kg.knowledge import gazetteer
from kg.model import Amount, Article, Claim, Entity, Extraction, Ref
from kg.vocab import DATA, KG as KG_IRI, PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

Triple = tuple[str, str, str]  # subject, predicate, object as N-Triples terms


def iri(value: str) -> str:
    """An IRI as an N-Triples term."""
    return f"<{value}>"


class Vocabulary:
    """The terms of one namespace as N-Triples IRIs.

    >>> SCHEMA.Claim, KG["invests_in"]
    ('<http://schema.org/Claim>', '<https://w3id.org/kg-claims/ontology#invests_in>')
    """

    def __init__(self, base: str):
        self.base = base

    def __getattr__(self, name: str) -> str:
        return iri(self.base + name)

    def __getitem__(self, name: str) -> str:
        return iri(self.base + name)


RDF, RDFS, XSD = Vocabulary(PREFIXES["rdf"]), Vocabulary(PREFIXES["rdfs"]), Vocabulary(PREFIXES["xsd"])
OWL, PROV, SKOS = Vocabulary(PREFIXES["owl"]), Vocabulary(PREFIXES["prov"]), Vocabulary(PREFIXES["skos"])
KG, ID, SCHEMA = Vocabulary(KG_IRI), Vocabulary(DATA), Vocabulary(PREFIXES["schema"])
OA, WD = Vocabulary(PREFIXES["oa"]), Vocabulary(PREFIXES["wd"])

ENTITY_CLASSES = {
    "ORG": SCHEMA.Organization, "PER": SCHEMA.Person, "PRODUCT": SCHEMA.Product,
    "LOC": SCHEMA.Place, "MISC": SCHEMA.Thing,
}
DATE_TYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}
ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def literal(text: str, datatype: str | None = None) -> str:
    """A literal as an N-Triples term; `datatype` is an N-Triples IRI.

    >>> print(literal('Il a dit « oui »\\n"net"'), literal("7", XSD.integer))
    "Il a dit « oui »\\n\\"net\\"" "7"^^<http://www.w3.org/2001/XMLSchema#integer>
    """
    quoted = f'"{text.translate(ESCAPES)}"'
    return f"{quoted}^^{datatype}" if datatype else quoted


def integer(value: int) -> str:
    return literal(str(value), XSD.integer)


def double(value: float) -> str:
    """An xsd:double written as Python writes the float (as rdflib did: "5000000000.0")."""
    return literal(str(float(value)), XSD.double)


def version_key(article: Article) -> str:
    return article.sha256[:16]


def version_node(article: Article) -> str:
    """The IRI (N-Triples term) of one version of an article (its text's hash is part of it)."""
    return ID[f"article/{slug(article.id)}/{version_key(article)}"]


def graph_node(article: Article) -> str:
    """The named graph (N-Triples term) holding one article version."""
    return ID[f"graph/{slug(article.id)}/{version_key(article)}"]


def entity_node(entity_id: str) -> str:
    return ID[f"entity/{slug(entity_id)}"]


def source_node(ref: Ref) -> str:
    """A source: its entity when known, else a node for the quoted source ("des sources proches")."""
    return entity_node(ref.id) if ref.id else ID[f"source/{slug(ref.text)}"]


def claim_node(article: Article, claim_id: str, key: str | None = None) -> str:
    """A claim of one article version (its id is unique within the article)."""
    return ID[f"claim/{slug(article.id)}/{key or version_key(article)}/{slug(claim_id)}"]


def version_iri(article: Article) -> URIRef:
    """The IRI of one version of an article, as an rdflib term."""
    return _uri(version_node(article))


def graph_iri(article: Article) -> URIRef:
    """The named graph holding one article version, as an rdflib term."""
    return _uri(graph_node(article))


def claim_iri(article: Article, claim_id: str) -> URIRef:
    return _uri(claim_node(article, claim_id))


def _uri(term: str) -> URIRef:
    from rdflib import URIRef

    return URIRef(term[1:-1])


def is_currency(unit: str | None) -> bool:
    """Whether an amount's unit is money (an ISO 4217 code of the amounts data file)."""
    from kg.nlp.amounts import load_lexicon

    return bool(unit) and unit in load_lexicon()["currencies"]


def typed_date(value: str) -> str:
    """An ISO date, month or year with the XSD type that keeps its precision.

    >>> typed_date("2025-09")
    '"2025-09"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
    """
    return literal(value, XSD[DATE_TYPES.get(len(value), "string")])


def add_span(triples: list[Triple], node: str, version: str, start: int, end: int, text: str,
             *, link: str = KG.span) -> None:
    """Where `node` stands in the article: Web Annotation position and quote selectors."""
    base = node[:-1]
    target, position, quote = f"{base}/span>", f"{base}/position>", f"{base}/quote>"
    triples += [
        (node, link, target),
        (target, RDF.type, OA.SpecificResource),
        (target, OA.hasSource, version),
        (target, OA.hasSelector, position),
        (target, OA.hasSelector, quote),
        (position, RDF.type, OA.TextPositionSelector),
        (position, OA.start, integer(start)),
        (position, OA.end, integer(end)),
        (quote, RDF.type, OA.TextQuoteSelector),
        (quote, OA.exact, literal(text)),
    ]


def add_article(triples: list[Triple], article: Article, previous: str | None) -> str:
    version = version_node(article)
    triples += [
        (version, RDF.type, SCHEMA.NewsArticle),
        (version, SCHEMA.identifier, literal(article.id)),
        (version, KG.sha256, literal(article.sha256)),
        (version, SCHEMA.inLanguage, literal(article.lang)),
        (version, SCHEMA.text, literal(article.text)),
    ]
    optional = [
        (KG.file, article.file and literal(article.file)),
        (SCHEMA.headline, article.title and literal(article.title)),
        (SCHEMA.datePublished, article.published and typed_date(article.published)),
        (KG.datePrecision, article.date_precision and KG[article.date_precision]),
        (SCHEMA.publisher, article.publisher and literal(article.publisher)),
        (SCHEMA.url, article.url and literal(article.url, XSD.anyURI)),
        (KG.encoding, article.encoding and literal(article.encoding)),
        (PROV.wasRevisionOf, previous),
    ]
    triples += [(version, predicate, value) for predicate, value in optional if value]
    return version


def add_entity(triples: list[Triple], entity: Entity, version: str, labels: dict[str, str]) -> None:
    node = entity_node(entity.id)
    triples += [
        (node, RDF.type, ENTITY_CLASSES[entity.label]),
        (node, RDFS.label, literal(labels.get(entity.id, entity.text))),
        (node, SKOS.altLabel, literal(entity.text)),
    ]
    if entity.wikidata:
        triples.append((node, OWL.sameAs, WD[entity.wikidata]))
    mention = f"{version[:-1]}/mention/{entity.start}-{entity.end}>"
    triples += [(mention, RDF.type, OA.Annotation), (mention, OA.hasBody, node)]
    add_span(triples, mention, version, entity.start, entity.end, entity.text, link=OA.hasTarget)


def add_amount(triples: list[Triple], node: str, amount: Amount, version: str) -> None:
    is_money = is_currency(amount.unit)
    triples += [
        (node, RDF.type, SCHEMA.MonetaryAmount if is_money else SCHEMA.QuantitativeValue),
        (node, KG.bound, KG[amount.bound]),
        (node, KG.rawText, literal(amount.text)),
    ]
    for predicate, value in ((SCHEMA.value, amount.value), (SCHEMA.minValue, amount.min),
                             (SCHEMA.maxValue, amount.max)):
        if value is not None:
            triples.append((node, predicate, double(value)))
    if amount.unit:
        triples.append((node, SCHEMA.currency if is_money else SCHEMA.unitText, literal(amount.unit)))
    add_span(triples, node, version, amount.start, amount.end, amount.text)


def add_claim(triples: list[Triple], article: Article, claim: Claim, version: str, key: str) -> None:
    node = claim_node(article, claim.id, key)
    triples += [
        (node, RDF.type, SCHEMA.Claim),
        (node, SCHEMA.identifier, literal(claim.id)),
        (node, KG.subject, entity_node(claim.subject.id or claim.subject.text)),
        (node, KG.relation, KG[claim.relation]),
        (node, KG.modality, KG[claim.modality]),
        (node, KG.polarity, KG[claim.polarity]),
        (node, KG.sentence, literal(claim.sentence)),
        (node, PROV.wasDerivedFrom, version),
        (node, SCHEMA.appearance, version),
    ]
    add_span(triples, node, version, claim.start, claim.end, claim.sentence)
    if claim.object:
        triples.append((node, KG.object, entity_node(claim.object.id or claim.object.text)))
    if claim.amount:
        amount = f"{node[:-1]}/amount>"
        add_amount(triples, amount, claim.amount, version)
        triples.append((node, KG.amount, amount))
    if claim.quote:
        triples.append((node, KG.quote, literal(claim.quote)))
    if claim.date:
        triples.append((node, KG.refersToDate, typed_date(claim.date)))
    triples += [(node, KG.denies, claim_node(article, target, key)) for target in claim.denies]
    add_sources(triples, node, claim)


def add_sources(triples: list[Triple], node: str, claim: Claim) -> None:
    """The first-hop source as kg:source, the whole chain as ordered kg:Attribution steps."""
    if claim.source:
        triples.append((node, KG.source, source_node(claim.source)))
    for position, ref in enumerate(claim.source_chain):
        step, agent = f"{node[:-1]}/source/{position}>", source_node(ref)
        triples += [
            (node, KG.sourceChain, step),
            (step, RDF.type, KG.Attribution),
            (step, KG.position, integer(position)),
            (step, KG.agent, agent),
            (step, KG.sourceText, literal(ref.text)),
        ]
        if not ref.id:
            triples += [(agent, RDF.type, KG.UnnamedSource), (agent, RDFS.label, literal(ref.text))]


def article_triples(extraction: Extraction, *, previous: str | None = None) -> list[Triple]:
    """All triples of one article version (to be stored in `graph_node(article)`), each once;
    `previous` is the IRI of the version it revises."""
    triples: list[Triple] = []
    article = extraction.article
    version = add_article(triples, article, iri(previous) if previous else None)
    labels = {entity_id: known.name for entity_id, known in gazetteer().items()}
    for entity in extraction.entities:
        add_entity(triples, entity, version, labels)
    key = version_key(article)
    for claim in extraction.claims:
        add_claim(triples, article, claim, version, key)
    return list(dict.fromkeys(triples))


def article_nquads(extraction: Extraction, *, previous: str | None = None) -> str:
    """The article version's triples as N-Quads in its own named graph."""
    graph = f" {graph_node(extraction.article)} .\n"
    return "".join(f"{s} {p} {o}{graph}" for s, p, o in article_triples(extraction, previous=previous))


def article_graph(extraction: Extraction, *, previous: str | None = None) -> Graph:
    """The same triples as an rdflib Graph (for SHACL validation and tests)."""
    from rdflib import Graph

    triples = article_triples(extraction, previous=str(previous) if previous else None)
    return Graph().parse(data="".join(f"{s} {p} {o} .\n" for s, p, o in triples), format="nt")


def bind_prefixes(graph: Graph) -> Graph:
    """The project's prefixes on a graph, for readable Turtle."""
    for name, namespace in PREFIXES.items():
        graph.bind(name, namespace, override=True)
    return graph
