"""The ontology, the SHACL shapes, validation and the JSON-LD export (no spaCy model needed)."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

import kg
from kg import model, ontology_path
from kg.jsonld import context, from_jsonld, jsonld_document, to_jsonld
from kg.model import Amount, Article, Claim, Entity, Extraction, Ref
from kg.rdf import article_graph, claim_iri, graph_iri, version_iri
from kg.validate import validate
from kg.vocab import DATA, FLAGS_GRAPH, KG as KG_IRI, PREFIXES, REVIEWS_GRAPH

# Plain namespaces (pytest's collection trips over rdflib's closed ones at module level).
RDF = Namespace(PREFIXES["rdf"])
RDFS = Namespace(PREFIXES["rdfs"])
XSD = Namespace(PREFIXES["xsd"])
OWL = Namespace(PREFIXES["owl"])
SKOS = Namespace(PREFIXES["skos"])
PROV = Namespace(PREFIXES["prov"])
KG = Namespace(KG_IRI)
ID = Namespace(DATA)
SCHEMA = Namespace(PREFIXES["schema"])
OA = Namespace(PREFIXES["oa"])
SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace("https://w3id.org/kg-claims/shapes#")

SENTENCE_1 = "Acme investira jusqu'à 30 milliards de dollars dans Globex, selon le Daily Planet, citant des sources proches."
SENTENCE_2 = "Globex a démenti : « C'est faux »."
SENTENCE_3 = "Initech pourrait y ajouter entre 5 et 8 milliards d'euros."
TEXT = f"{SENTENCE_1} {SENTENCE_2} {SENTENCE_3}"

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated, use Dataset.*:DeprecationWarning")

SCHEMES = {
    "RelationScheme": model.RELATIONS,
    "ModalityScheme": model.MODALITIES,
    "PolarityScheme": ("positive", "negative"),
    "BoundScheme": model.BOUNDS,
    "DatePrecisionScheme": model.DATE_PRECISIONS,
    "FlagKindScheme": ("conflict", "update", "denial", "corroboration", "revision"),
}


def span(text: str, within: str = TEXT, after: int = 0) -> tuple[int, int]:
    start = within.index(text, after)
    return start, start + len(text)


def entity(text: str, label: str, entity_id: str, wikidata: str | None = None, after: int = 0) -> Entity:
    return Entity(text, label, *span(text, after=after), id=entity_id, wikidata=wikidata)


def amount(text: str, **values) -> Amount:
    return Amount(text=text, start=span(text)[0], end=span(text)[1], **values)


def claim(claim_id: str, sentence: str, **fields) -> Claim:
    defaults = dict(object=None, amount=None, source=None, source_chain=[], quote=None, date=None)
    return Claim(id=claim_id, sentence=sentence, start=span(sentence)[0], end=span(sentence)[1],
                 **{**defaults, **fields})


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    article = Article(id="acme-globex", text=TEXT, file="acme-globex.txt", title="Acme et Globex",
                      published="2025-09", publisher="Le Daily Planet", url="https://example.org/acme-globex",
                      lang="fr", encoding="utf-8")
    up_to = amount("jusqu'à 30 milliards de dollars", value=3e10, min=None, max=3e10, bound="up_to", unit="USD")
    between = amount("entre 5 et 8 milliards d'euros", value=None, min=5e9, max=8e9, bound="between", unit="EUR")
    return Extraction(
        article=article,
        entities=[
            entity("Acme", "ORG", "acme", wikidata="Q4649900"),
            entity("Globex", "ORG", "globex"),
            entity("Globex", "ORG", "globex", after=len(SENTENCE_1)),
            entity("Daily Planet", "ORG", "daily-planet"),
            entity("Initech", "ORG", "initech"),
        ],
        amounts=[up_to, between],
        claims=[
            claim("c1", SENTENCE_1, subject=Ref("Acme", "acme"), relation="invests_in", object=Ref("Globex", "globex"),
                  amount=up_to, source=Ref("le Daily Planet", "daily-planet"),
                  source_chain=[Ref("le Daily Planet", "daily-planet"), Ref("des sources proches")],
                  modality="reported", polarity="positive", date="2025-09"),
            claim("c2", SENTENCE_2, subject=Ref("Globex", "globex"), relation="denies", source=Ref("Globex", "globex"),
                  source_chain=[Ref("Globex", "globex")], modality="denied", polarity="negative",
                  quote="C'est faux", date="2025-09-15", denies=["c1"]),
            claim("c3", SENTENCE_3, subject=Ref("Initech", "initech"), relation="invests_in",
                  object=Ref("Globex", "globex"), amount=between, modality="rumor", polarity="positive"),
        ],
    )


@pytest.fixture(scope="module")
def article(extraction) -> Graph:
    return article_graph(extraction)


def claim_node(extraction, claim_id: str) -> URIRef:
    return claim_iri(extraction.article, claim_id)


@pytest.fixture(scope="module")
def dataset(extraction, article) -> Dataset:
    """An article graph, a flags graph and a reviews graph, as the store holds them."""
    ds = Dataset()
    graph = ds.graph(graph_iri(extraction.article))
    for triple in article:
        graph.add(triple)
    c1, c2 = claim_node(extraction, "c1"), claim_node(extraction, "c2")
    flag, review, rating = ID["flag/0001"], ID["review/0001"], ID["review/0001/rating"]
    flags = ds.graph(URIRef(FLAGS_GRAPH))
    for triple in [
        (flag, RDF.type, KG.Flag), (flag, KG.flagKind, KG.denial), (flag, KG.involves, c1), (flag, KG.involves, c2),
        (flag, KG.keySubject, ID["entity/acme"]), (flag, KG.keyRelation, KG.invests_in),
        (flag, KG.keyObject, ID["entity/globex"]),
        (flag, KG.reason, Literal("Daily Planet (2025-09) reports an investment; Globex (2025-09-15) denies it")),
        (flag, KG.fromDate, Literal("2025-09", datatype=XSD.gYearMonth)),
        (flag, KG.toDate, Literal("2025-09-15", datatype=XSD.date)),
    ]:
        flags.add(triple)
    reviews = ds.graph(URIRef(REVIEWS_GRAPH))
    for triple in [
        (review, RDF.type, SCHEMA.ClaimReview), (review, SCHEMA.itemReviewed, c1),
        (review, SCHEMA.author, Literal("Desk")), (review, SCHEMA.datePublished, Literal("2025-09-20", datatype=XSD.date)),
        (review, SCHEMA.reviewBody, Literal("Démenti par Globex.")), (review, SCHEMA.url, Literal("urn:kg:review-not-published")),
        (review, SCHEMA.reviewRating, rating), (rating, RDF.type, SCHEMA.Rating),
        (rating, SCHEMA.alternateName, Literal("Non vérifié")), (rating, SCHEMA.ratingValue, Literal(2)),
    ]:
        reviews.add(triple)
    return ds


def copy(graph: Graph) -> Graph:
    result = Graph()
    for triple in graph:
        result.add(triple)
    return result


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("name", ["kg.ttl", "shapes.ttl"])
def test_turtle_parses_with_rdflib_and_oxigraph_alike(name):
    path = ontology_path(name)
    with_rdflib = Graph().parse(path, format="turtle")
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    with_oxigraph = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    assert len(with_rdflib) > 100
    assert len(with_oxigraph) == len(with_rdflib)
    ground = [{t for t in graph if not any(isinstance(term, BNode) for term in t)} for graph in (with_rdflib, with_oxigraph)]
    assert ground[0] == ground[1]


def test_context_is_json_ld_1_1_with_the_project_prefixes():
    ctx = json.loads(ontology_path("context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert ctx["@version"] == 1.1
    for name, iri in PREFIXES.items():
        assert ctx[name] == iri


# --------------------------------------------------------------------------- the ontology


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_path("kg.ttl"), format="turtle")


def labelled(ontology: Graph, term: URIRef, predicate=RDFS.label) -> set[str]:
    return {value.language for value in ontology.objects(term, predicate) if isinstance(value, Literal)}


def test_ontology_header(ontology):
    header = URIRef("https://w3id.org/kg-claims/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(header, OWL.versionInfo)) == kg.__version__
    assert {"en", "fr"} <= labelled(ontology, header)
    assert {"en", "fr"} <= labelled(ontology, header, RDFS.comment)


def kg_terms_used(graph: Graph) -> tuple[set[URIRef], set[URIRef], set[URIRef]]:
    """(properties, classes, individuals) of the kg: namespace used in a graph."""
    properties = {p for p in graph.predicates() if str(p).startswith(KG_IRI)}
    classes = {o for o in graph.objects(None, RDF.type) if str(o).startswith(KG_IRI)}
    individuals = {o for s, p, o in graph if p != RDF.type and isinstance(o, URIRef) and str(o).startswith(KG_IRI)}
    return properties, classes, individuals


def test_every_kg_term_written_for_an_article_is_declared(ontology, article):
    properties, classes, individuals = kg_terms_used(article)
    assert {KG.subject, KG.relation, KG.amount, KG.sourceChain, KG.denies, KG.span} <= properties
    assert {KG.Attribution, KG.UnnamedSource} <= classes
    assert {KG.invests_in, KG.reported, KG.up_to, KG.month, KG.positive} <= individuals
    for prop in properties:
        kinds = set(ontology.objects(prop, RDF.type))
        assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, f"{prop} is not declared as a property"
    for cls in classes:
        assert (cls, RDF.type, OWL.Class) in ontology, f"{cls} is not declared as a class"
    for individual in individuals:
        assert (individual, RDF.type, SKOS.Concept) in ontology, f"{individual} is not a declared concept"


def test_every_kg_term_named_in_rdf_py_is_declared(ontology):
    source = (Path(kg.__file__).parent / "rdf.py").read_text(encoding="utf-8")
    names = set(re.findall(r"\bKG\.(\w+)", source))
    assert {"subject", "span", "Attribution"} <= names
    for name in names:
        assert (KG[name], RDF.type, None) in ontology, f"kg:{name} (used in kg/rdf.py) is not declared in kg.ttl"


def test_declared_terms_are_documented_in_english_and_french(ontology):
    terms = [t for t in set(ontology.subjects(RDF.type, None)) if isinstance(t, URIRef) and str(t).startswith(KG_IRI)]
    assert len(terms) > 50
    for term in terms:
        kinds = set(ontology.objects(term, RDF.type))
        if kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}:
            assert {"en", "fr"} <= labelled(ontology, term), term
            assert {"en", "fr"} <= labelled(ontology, term, RDFS.comment), term
        if kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}:
            assert ontology.value(term, RDFS.domain) is not None, term
            assert ontology.value(term, RDFS.range) is not None, term
        if SKOS.Concept in kinds or SKOS.ConceptScheme in kinds:
            assert {"en", "fr"} <= labelled(ontology, term, SKOS.prefLabel), term
            assert {"en", "fr"} <= labelled(ontology, term, SKOS.definition), term


def test_flag_model_is_declared(ontology):
    assert (KG.Flag, RDF.type, OWL.Class) in ontology
    for prop in ("flagKind", "involves", "keySubject", "keyRelation", "keyObject", "reason", "fromDate", "toDate"):
        assert ontology.value(KG[prop], RDFS.domain) == KG.Flag, prop


def test_alignments_to_reused_vocabularies(ontology):
    assert (KG.Attribution, RDFS.subClassOf, PROV.Attribution) in ontology
    assert (KG.agent, RDFS.subPropertyOf, PROV.agent) in ontology
    assert (KG.source, RDFS.subPropertyOf, PROV.wasAttributedTo) in ontology
    assert (KG.subject, RDFS.subPropertyOf, SCHEMA.about) in ontology
    assert ontology.value(KG.span, RDFS.range) == OA.SpecificResource


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_concept_schemes_match_the_model(ontology, scheme):
    concepts = set(ontology.subjects(SKOS.inScheme, KG[scheme]))
    assert concepts == {KG[name] for name in SCHEMES[scheme]}
    assert set(ontology.objects(KG[scheme], SKOS.hasTopConcept)) == concepts
    for concept in concepts:
        assert str(ontology.value(concept, SKOS.notation)) == str(concept)[len(KG_IRI):]


def test_shapes_lists_match_the_model():
    shapes = Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    expected = {KG.relation: model.RELATIONS, KG.modality: model.MODALITIES, KG.bound: model.BOUNDS,
                KG.datePrecision: model.DATE_PRECISIONS, KG.polarity: SCHEMES["PolarityScheme"],
                KG.flagKind: SCHEMES["FlagKindScheme"], KG.keyRelation: model.RELATIONS}
    for path, names in expected.items():
        lists = [shapes.value(prop, SH["in"]) for prop in shapes.subjects(SH.path, path) if shapes.value(prop, SH["in"])]
        assert lists, path
        for head in lists:
            assert list(Collection(shapes, head)) == [KG[name] for name in names], path


def test_every_shape_speaks_to_a_person():
    shapes = Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) >= 10
    for shape in node_shapes:
        assert shapes.value(shape, SH.name) is not None, shape
        for prop in shapes.objects(shape, SH.property):
            assert shapes.value(prop, SH.name) is not None, (shape, shapes.value(prop, SH.path))
            assert shapes.value(prop, SH.message) is not None, (shape, shapes.value(prop, SH.path))
        for sparql in shapes.objects(shape, SH.sparql):
            assert shapes.value(sparql, SH.message) is not None, shape


# --------------------------------------------------------------------------- validation


def test_article_graph_conforms(article):
    result = validate(article)
    assert result.conforms, result.report_text
    assert (result.violations, result.report_text) == (0, "")


def test_dataset_with_flags_and_reviews_conforms(dataset):
    result = validate(dataset)
    assert result.conforms, result.report_text
    assert result.violations == 0


def test_validation_leaves_the_data_alone(article):
    before = len(article)
    validate(article)
    assert len(article) == before


@pytest.mark.parametrize("published", ["2025-09-15", "2025"])
def test_day_and_year_precision_articles_conform(published):
    article = Article(id="dated", text="Acme a parlé.", file="dated.txt", published=published)
    result = validate(article_graph(Extraction(article=article)))
    assert result.conforms, result.report_text


def test_a_mention_may_use_oa_has_target_for_its_span(article):
    graph = copy(article)
    for mention, target in list(graph.subject_objects(KG.span)):
        if (mention, RDF.type, OA.Annotation) in graph:
            graph.remove((mention, KG.span, target))
            graph.add((mention, OA.hasTarget, target))
    assert validate(graph).conforms
    graph.remove((None, OA.hasTarget, None))
    assert "A mention needs exactly one target" in validate(graph).report_text


def test_missing_publication_date_is_a_warning_not_a_violation():
    article = Article(id="undated", text="Acme a parlé.", file="undated.txt")
    result = validate(article_graph(Extraction(article=article)))
    assert result.conforms and result.violations == 0 and result.warnings == 1
    assert "no publication date" in result.report_text


def test_unknown_currency_code_is_a_warning(article, extraction):
    graph = copy(article)
    graph.set((URIRef(f"{claim_node(extraction, 'c1')}/amount"), SCHEMA.currency, Literal("XYZ")))
    result = validate(graph)
    assert result.conforms and result.violations == 0 and result.warnings == 1
    assert "warning: " in result.report_text and "not an ISO 4217 code" in result.report_text


def only(graph: Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def drop_subject(graph, ex):
    graph.remove((claim_node(ex, "c1"), KG.subject, None))


def bound_not_in_list(graph, ex):
    node = URIRef(f"{claim_node(ex, 'c1')}/amount")
    graph.set((node, KG.bound, KG.roughly))


def start_after_end(graph, ex):
    position = URIRef(f"{claim_node(ex, 'c1')}/position")
    end = only(graph, position, OA.end).toPython()
    graph.set((position, OA.start, Literal(end + 5)))


def currency_in_words(graph, ex):
    graph.set((URIRef(f"{claim_node(ex, 'c1')}/amount"), SCHEMA.currency, Literal("dollars")))


def min_above_max(graph, ex):
    node = URIRef(f"{claim_node(ex, 'c3')}/amount")
    graph.set((node, SCHEMA.minValue, Literal(9e9, datatype=XSD.double)))


def relation_not_in_list(graph, ex):
    graph.set((claim_node(ex, "c1"), KG.relation, KG.likes))


def denies_a_missing_claim(graph, ex):
    graph.add((claim_node(ex, "c2"), KG.denies, ID["claim/nowhere/c9"]))


def text_changed_after_hashing(graph, ex):
    version = version_iri(ex.article)
    graph.set((version, SCHEMA.text, Literal(TEXT.replace("30", "40"))))


def quote_does_not_match_offsets(graph, ex):
    graph.set((URIRef(f"{claim_node(ex, 'c2')}/quote"), OA.exact, Literal("Globex a confirmé.")))


def precision_does_not_match_date(graph, ex):
    graph.set((version_iri(ex.article), KG.datePrecision, KG.year))


def bad_hash(graph, ex):
    graph.set((version_iri(ex.article), KG.sha256, Literal("not-a-hash")))


def negative_position(graph, ex):
    graph.set((URIRef(f"{claim_node(ex, 'c1')}/source/1"), KG.position, Literal(-1)))


def two_steps_at_one_position(graph, ex):
    graph.set((URIRef(f"{claim_node(ex, 'c1')}/source/1"), KG.position, Literal(0)))


def two_modalities(graph, ex):
    graph.add((claim_node(ex, "c1"), KG.modality, KG.rumor))


@pytest.mark.parametrize("breaks, focus, path, words", [
    (drop_subject, "/c1", "kg:subject", "exactly one kg:subject"),
    (bound_not_in_list, "/c1/amount", "kg:bound", "from the bound list"),
    (start_after_end, "/c1/position", "oa:start", "oa:start is after its oa:end"),
    (currency_in_words, "/c1/amount", "schema:currency", "ISO 4217"),
    (min_above_max, "/c3/amount", "schema:minValue", "minValue is greater than its schema:maxValue"),
    (relation_not_in_list, "/c1", "kg:relation", "from the relation list"),
    (denies_a_missing_claim, "/c2", "kg:denies", "must point to a schema:Claim"),
    (text_changed_after_hashing, "kgid:article/", "kg:sha256", "not the SHA-256 of its schema:text"),
    (quote_does_not_match_offsets, "/c2/span", "oa:hasSelector", "not the article text between"),
    (precision_does_not_match_date, "kgid:article/", "kg:datePrecision", "does not match the type"),
    (bad_hash, "kgid:article/", "kg:sha256", "64 lower-case hex digits"),
    (negative_position, "/c1/source/1", "kg:position", ">= 0"),
    (two_modalities, "/c1", "kg:modality", "exactly one kg:modality"),
    (two_steps_at_one_position, "/c1", "kg:sourceChain", "same kg:position"),
])
def test_broken_data_fails_with_a_message_naming_the_problem(article, extraction, breaks, focus, path, words):
    graph = copy(article)
    breaks(graph, extraction)
    result = validate(graph)
    assert not result.conforms
    assert result.violations >= 1
    lines = [line for line in result.report_text.splitlines() if words in line]
    assert lines, result.report_text
    assert any(focus in line.split()[0] and f"  {path}  " in line for line in lines), result.report_text


def test_sparql_constraints_also_run_in_plain_pyshacl(article, extraction):
    """kg runs the SHACL-SPARQL constraints in bulk; activated, any SHACL engine runs them per node."""
    import pyshacl

    shapes = Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    shapes.remove((None, SH.deactivated, None))
    assert pyshacl.validate(article, shacl_graph=shapes, allow_warnings=True)[0]
    graph = copy(article)
    for breaks in (text_changed_after_hashing, quote_does_not_match_offsets, precision_does_not_match_date,
                   two_steps_at_one_position):
        breaks(graph, extraction)
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, allow_warnings=True)
    assert not conforms
    for words in ("not the SHA-256 of its schema:text", "not the article text between", "does not match the type",
                  "same kg:position"):
        assert words in text, words


def test_data_read_back_from_oxigraph_validates_and_round_trips(dataset):
    """Oxigraph rewrites lexical forms ("30000000000" for "30000000000.0"): still valid, still exact in JSON-LD."""
    store = ox.Store()
    store.load(dataset.serialize(format="nquads").encode(), format=ox.RdfFormat.N_QUADS)
    dumped = io.BytesIO()
    store.dump(dumped, format=ox.RdfFormat.N_QUADS)
    from_store = Dataset()
    from_store.parse(data=dumped.getvalue(), format="nquads")
    assert validate(from_store).conforms
    out = io.BytesIO()
    to_jsonld(from_store, out=out)
    before, after = graphs_by_name(from_store), graphs_by_name(from_jsonld(out.getvalue()))
    assert set(before) == set(after)
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name


def test_broken_flag_and_review_fail(dataset):
    ds = Dataset()
    for s, p, o, g in dataset.quads():
        ds.graph(g).add((s, p, o))
    flags, reviews = ds.graph(URIRef(FLAGS_GRAPH)), ds.graph(URIRef(REVIEWS_GRAPH))
    flags.remove((ID["flag/0001"], KG.involves, None))
    flags.set((ID["flag/0001"], KG.flagKind, KG.surprise))
    reviews.remove((ID["review/0001/rating"], SCHEMA.alternateName, None))
    reviews.set((ID["review/0001/rating"], SCHEMA.ratingValue, Literal(9)))
    result = validate(ds)
    assert not result.conforms
    for words in ("involves at least one claim", "kg:flagKind", "schema:alternateName", "from 1 (false) to 5 (true)"):
        assert words in result.report_text, result.report_text


# --------------------------------------------------------------------------- JSON-LD


def graphs_by_name(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def test_jsonld_round_trips_graph_by_graph(dataset):
    out = io.BytesIO()
    to_jsonld(dataset, out=out)
    back = from_jsonld(out.getvalue().decode("utf-8"))
    before, after = graphs_by_name(dataset), graphs_by_name(back)
    assert set(after) == set(before)
    assert len(before) == 3
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name


def test_jsonld_round_trips_a_plain_graph(article):
    out = io.StringIO()
    to_jsonld(article, out=out)
    back = from_jsonld(out.getvalue())
    assert isomorphic(back.default_graph, article)


def test_jsonld_uses_the_context_short_terms(dataset, extraction):
    document = jsonld_document(dataset)
    assert document["@context"] == context()
    graphs = {entry["@id"]: entry["@graph"] for entry in document["@graph"]}
    assert set(graphs) == {f"kgid:{str(graph_iri(extraction.article))[len(DATA):]}", "kgid:graph/flags",
                           "kgid:graph/reviews"}
    nodes = {node["@id"]: node for entries in graphs.values() for node in entries}
    c1 = nodes["kgid:" + str(claim_node(extraction, "c1"))[len(DATA):]]
    assert c1["@type"] == "Claim"
    assert (c1["subject"], c1["relation"], c1["modality"], c1["polarity"]) == \
        ("kgid:entity/acme", "invests_in", "reported", "positive")
    assert c1["wasDerivedFrom"] == "kgid:" + str(version_iri(extraction.article))[len(DATA):]
    amount_node = nodes[c1["amount"]]
    assert (amount_node["@type"], amount_node["bound"], amount_node["currency"]) == ("MonetaryAmount", "up_to", "USD")
    assert float(amount_node["value"]) == 3e10
    bounds = {node.get("bound") for node in nodes.values()}
    assert {"up_to", "between"} <= bounds
    flag = nodes["kgid:flag/0001"]
    assert (flag["@type"], flag["flagKind"], flag["keyRelation"]) == ("Flag", "denial", "invests_in")
    body = json.dumps(document["@graph"], ensure_ascii=False)
    assert KG_IRI not in body and DATA not in body  # every IRI compacted


def test_exported_jsonld_reads_in_oxigraph_too(dataset):
    out = io.BytesIO()
    to_jsonld(dataset, out=out)
    quads = list(ox.parse(out.getvalue(), format=ox.RdfFormat.JSON_LD))
    assert len(quads) == len(dataset)


def test_no_short_term_captures_a_concept():
    """A "@vocab" value ("exact", "about") must come back as kg:<value>, not as another term's IRI."""
    ctx = context()
    for names in SCHEMES.values():
        for name in names:
            definition = ctx.get(name)
            if definition is not None:
                iri = definition["@id"] if isinstance(definition, dict) else definition
                assert iri == f"kg:{name}", f'term "{name}" would turn kg:{name} into {iri}'



EVERY_KIND_OF_TERM = """
@prefix kg: <https://w3id.org/kg-claims/ontology#> . @prefix kgid: <https://w3id.org/kg-claims/id/> .
@prefix schema: <http://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgid:s rdfs:label "x" .
<https://w3id.org/kg-claims/id/graph/a> {
  kgid:c a schema:Claim, kg:Other ; kg:subject kgid:e ; kg:relation kg:invests_in ; kg:modality <urn:x:odd> ;
    kg:start 7, 3 ; kg:end "007"^^xsd:integer ; schema:value "1.5E1"^^xsd:double ; kg:fromDate "2025-09"^^xsd:gYearMonth ;
    kg:flag true ; rdfs:label "l"@fr, "m"@en, "plain", "typed"^^xsd:string ; schema:url "https://ex.org/a"^^xsd:anyURI ;
    schema:url <https://ex.org/b> ; <urn:x:p> <urn:x:o>, "v"^^<urn:x:dt> ; kg:object "not an IRI" .
  kgid:e rdfs:label "E" .
}
"""
BLANK_NODES_AND_LISTS = """
@prefix kg: <https://w3id.org/kg-claims/ontology#> . @prefix kgid: <https://w3id.org/kg-claims/id/> .
<https://w3id.org/kg-claims/id/graph/b> { kgid:b kg:sourceChain [ kg:position 0 ; kg:sourceText "A" ] ; kg:list ( 1 2 ) . }
"""


def test_streamed_jsonld_export_is_the_whole_dataset_writer_byte_for_byte():
    """kg export's JSON-LD (pyoxigraph triples compacted by kg.jsonld.FastNodes, graph by
    graph) against rdflib's writer on the whole dataset: every kind of term, coerced or not,
    several values, a default graph."""
    from kg.export import dataset_of, export
    from kg.store import open_store

    store = open_store(path=":memory:")
    store.load(EVERY_KIND_OF_TERM, format="trig")
    reference, streamed = io.BytesIO(), io.BytesIO()
    to_jsonld(dataset_of(store), out=reference)
    export(store, fmt="jsonld", out=streamed)
    assert streamed.getvalue().decode() == reference.getvalue().decode()
    assert all(part in streamed.getvalue().decode() for part in ('"kg:end": 7', '"value": "15.0"', '"relation": "invests_in"'))


def test_streamed_jsonld_export_leaves_blank_nodes_and_lists_to_rdflib():
    """Graphs with blank nodes or lists go through rdflib's own conversion: what the
    whole-dataset writer gives, but for the blank node labels rdflib draws at random."""
    from kg.export import dataset_of, export
    from kg.store import open_store

    store = open_store(path=":memory:")
    store.load(EVERY_KIND_OF_TERM + BLANK_NODES_AND_LISTS, format="trig")
    reference, streamed = io.BytesIO(), io.BytesIO()
    to_jsonld(dataset_of(store), out=reference)
    export(store, fmt="jsonld", out=streamed)
    assert '"@list"' in streamed.getvalue().decode()
    before, after = graphs_by_name(from_jsonld(reference.getvalue())), graphs_by_name(from_jsonld(streamed.getvalue()))
    assert before.keys() == after.keys() and all(isomorphic(before[name], after[name]) for name in before)
