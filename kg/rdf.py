"""Extraction dataclasses -> RDF triples, with deterministic IRIs.

One article version becomes one named graph. IRIs depend only on the article id, its
text's sha256 and positions in that text, so the same article always gives the same graph.

>>> article = Article(id="a1", text="Texte.", published="2025-09")
>>> graph = article_graph(Extraction(article=article))
>>> (version_iri(article), RDF.type, SCHEMA.NewsArticle) in graph
True
"""
from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, SKOS

from kg.corpus import slug
from kg.knowledge import gazetteer
from kg.model import Amount, Article, Claim, Entity, Extraction, Ref
from kg.vocab import DATA, KG as KG_IRI, PREFIXES

KG = Namespace(KG_IRI)
ID = Namespace(DATA)
SCHEMA = Namespace(PREFIXES["schema"])
OA = Namespace(PREFIXES["oa"])
WD = Namespace(PREFIXES["wd"])

ENTITY_CLASSES = {
    "ORG": SCHEMA.Organization, "PER": SCHEMA.Person, "PRODUCT": SCHEMA.Product,
    "LOC": SCHEMA.Place, "MISC": SCHEMA.Thing,
}
DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def version_key(article: Article) -> str:
    return article.sha256[:16]


def version_iri(article: Article) -> URIRef:
    """The IRI of one version of an article (its text's hash is part of it)."""
    return ID[f"article/{slug(article.id)}/{version_key(article)}"]


def graph_iri(article: Article) -> URIRef:
    """The named graph holding one article version."""
    return ID[f"graph/{slug(article.id)}/{version_key(article)}"]


def entity_iri(entity_id: str) -> URIRef:
    return ID[f"entity/{slug(entity_id)}"]


def source_iri(ref: Ref) -> URIRef:
    """A source's IRI: its entity when known, else a node for the quoted source ("des sources proches")."""
    return entity_iri(ref.id) if ref.id else ID[f"source/{slug(ref.text)}"]


def claim_iri(article: Article, claim_id: str) -> URIRef:
    """A claim of one article version (its id is unique within the article)."""
    return ID[f"claim/{slug(article.id)}/{version_key(article)}/{slug(claim_id)}"]


def is_currency(unit: str | None) -> bool:
    """Whether an amount's unit is money (an ISO 4217 code of the amounts data file)."""
    from kg.nlp.amounts import load_lexicon

    return bool(unit) and unit in load_lexicon()["currencies"]


def typed_date(value: str) -> Literal:
    """An ISO date, month or year with the XSD type that keeps its precision.

    >>> typed_date("2025-09").datatype == XSD.gYearMonth
    True
    """
    return Literal(value, datatype=DATE_TYPES.get(len(value), XSD.string))


def add_span(graph: Graph, node: URIRef, version: URIRef, start: int, end: int, text: str,
             *, link: URIRef = KG.span) -> None:
    """Where `node` stands in the article: Web Annotation position and quote selectors."""
    target, position, quote = URIRef(f"{node}/span"), URIRef(f"{node}/position"), URIRef(f"{node}/quote")
    graph.add((node, link, target))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, version))
    graph.add((target, OA.hasSelector, position))
    graph.add((target, OA.hasSelector, quote))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(start)))
    graph.add((position, OA.end, Literal(end)))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(text)))


def add_article(graph: Graph, article: Article, previous: URIRef | None) -> URIRef:
    version = version_iri(article)
    graph.add((version, RDF.type, SCHEMA.NewsArticle))
    graph.add((version, SCHEMA.identifier, Literal(article.id)))
    graph.add((version, KG.sha256, Literal(article.sha256)))
    graph.add((version, SCHEMA.inLanguage, Literal(article.lang)))
    graph.add((version, SCHEMA.text, Literal(article.text)))
    optional = [
        (KG.file, article.file and Literal(article.file)),
        (SCHEMA.headline, article.title and Literal(article.title)),
        (SCHEMA.datePublished, article.published and typed_date(article.published)),
        (KG.datePrecision, article.date_precision and KG[article.date_precision]),
        (SCHEMA.publisher, article.publisher and Literal(article.publisher)),
        (SCHEMA.url, article.url and Literal(article.url, datatype=XSD.anyURI)),
        (KG.encoding, article.encoding and Literal(article.encoding)),
        (PROV.wasRevisionOf, previous),
    ]
    for predicate, value in optional:
        if value:
            graph.add((version, predicate, value))
    return version


def add_entity(graph: Graph, entity: Entity, version: URIRef, labels: dict[str, str]) -> None:
    node = entity_iri(entity.id)
    graph.add((node, RDF.type, ENTITY_CLASSES[entity.label]))
    graph.add((node, RDFS.label, Literal(labels.get(entity.id, entity.text))))
    graph.add((node, SKOS.altLabel, Literal(entity.text)))
    if entity.wikidata:
        graph.add((node, OWL.sameAs, WD[entity.wikidata]))
    mention = URIRef(f"{version}/mention/{entity.start}-{entity.end}")
    graph.add((mention, RDF.type, OA.Annotation))
    graph.add((mention, OA.hasBody, node))
    add_span(graph, mention, version, entity.start, entity.end, entity.text, link=OA.hasTarget)


def add_amount(graph: Graph, node: URIRef, amount: Amount, version: URIRef) -> None:
    is_money = is_currency(amount.unit)
    graph.add((node, RDF.type, SCHEMA.MonetaryAmount if is_money else SCHEMA.QuantitativeValue))
    graph.add((node, KG.bound, KG[amount.bound]))
    graph.add((node, KG.rawText, Literal(amount.text)))
    for predicate, value in ((SCHEMA.value, amount.value), (SCHEMA.minValue, amount.min), (SCHEMA.maxValue, amount.max)):
        if value is not None:
            graph.add((node, predicate, Literal(float(value), datatype=XSD.double)))
    if amount.unit:
        graph.add((node, SCHEMA.currency if is_money else SCHEMA.unitText, Literal(amount.unit)))
    add_span(graph, node, version, amount.start, amount.end, amount.text)


def add_claim(graph: Graph, article: Article, claim: Claim, version: URIRef) -> None:
    node = claim_iri(article, claim.id)
    graph.add((node, RDF.type, SCHEMA.Claim))
    graph.add((node, SCHEMA.identifier, Literal(claim.id)))
    graph.add((node, KG.subject, entity_iri(claim.subject.id or claim.subject.text)))
    graph.add((node, KG.relation, KG[claim.relation]))
    graph.add((node, KG.modality, KG[claim.modality]))
    graph.add((node, KG.polarity, KG[claim.polarity]))
    graph.add((node, KG.sentence, Literal(claim.sentence)))
    graph.add((node, PROV.wasDerivedFrom, version))
    graph.add((node, SCHEMA.appearance, version))
    add_span(graph, node, version, claim.start, claim.end, claim.sentence)
    if claim.object:
        graph.add((node, KG.object, entity_iri(claim.object.id or claim.object.text)))
    if claim.amount:
        add_amount(graph, URIRef(f"{node}/amount"), claim.amount, version)
        graph.add((node, KG.amount, URIRef(f"{node}/amount")))
    if claim.quote:
        graph.add((node, KG.quote, Literal(claim.quote)))
    if claim.date:
        graph.add((node, KG.refersToDate, typed_date(claim.date)))
    for target in claim.denies:
        graph.add((node, KG.denies, claim_iri(article, target)))
    add_sources(graph, node, claim)


def add_sources(graph: Graph, node: URIRef, claim: Claim) -> None:
    """The first-hop source as kg:source, the whole chain as ordered kg:Attribution steps."""
    if claim.source:
        graph.add((node, KG.source, source_iri(claim.source)))
    for position, ref in enumerate(claim.source_chain):
        step, agent = URIRef(f"{node}/source/{position}"), source_iri(ref)
        graph.add((node, KG.sourceChain, step))
        graph.add((step, RDF.type, KG.Attribution))
        graph.add((step, KG.position, Literal(position)))
        graph.add((step, KG.agent, agent))
        graph.add((step, KG.sourceText, Literal(ref.text)))
        if not ref.id:
            graph.add((agent, RDF.type, KG.UnnamedSource))
            graph.add((agent, RDFS.label, Literal(ref.text)))


def article_graph(extraction: Extraction, *, previous: URIRef | None = None) -> Graph:
    """All triples of one article version (to be stored in `graph_iri(article)`)."""
    graph = Graph()
    article = extraction.article
    version = add_article(graph, article, previous)
    labels = {entity_id: known.name for entity_id, known in gazetteer().items()}
    for entity in extraction.entities:
        add_entity(graph, entity, version, labels)
    for claim in extraction.claims:
        add_claim(graph, article, claim, version)
    return graph


def bind_prefixes(graph: Graph) -> Graph:
    """The project's prefixes on a graph, for readable Turtle."""
    for name, iri in PREFIXES.items():
        graph.bind(name, iri, override=True)
    return graph
