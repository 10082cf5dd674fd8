"""Entities: a gazetteer ruler for known entities, and a filter on the statistical NER.

The gazetteer (ontology/gazetteer.jsonl) gives known entities their canonical id, label and
Wikidata item. Entities the gazetteer does not know keep the NER's label and get an id of
their own, shared by all their mentions (a surname alone joins the full name seen before).
"""
from __future__ import annotations

import json
import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg import extra_ontology_path, ontology_path
from kg.corpus import slug
from kg.knowledge import KnownEntity, gazetteer  # noqa: F401  (re-exported)
from kg.model import Entity

LABELS = ("ORG", "PER", "PRODUCT", "LOC", "MISC")
NAME_PARTICLES = frozenset({"de", "du", "des", "la", "le", "les", "l'", "l’", "d'", "d’", "et", "&", "von", "van", "der", "of", "the"})
NOT_A_NAME = re.compile(r"[|\n]|^\W|\W$(?<![.)])")


FROM_TEXT = "*"


def ruler_patterns() -> list[dict]:
    """EntityRuler patterns: every name and alias of every known entity, with its id,
    and the token patterns of ontology/entity_patterns.jsonl (whose ids come from the text)."""
    names = [
        {"label": entity.label, "pattern": surface, "id": entity.id}
        for entity in gazetteer().values()
        for surface in (entity.name, *entity.aliases)
    ]
    return names + [json.loads(line) for path in data_files("entity_patterns.jsonl")
                    for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def data_files(name: str) -> list:
    return [p for p in (ontology_path(name), extra_ontology_path(name)) if p and p.exists()]


@cache
def entity_rules() -> dict:
    rules: dict = {"org_suffixes": []}
    for path in data_files("entity_rules.json"):
        rules["org_suffixes"] += json.loads(path.read_text(encoding="utf-8"))["org_suffixes"]
    return rules


def add_gazetteer_ruler(nlp: Language) -> None:
    """An entity_ruler before the statistical NER, so the NER predicts around known entities."""
    config = {"overwrite_ents": True, "phrase_matcher_attr": "ORTH"}
    options = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe("entity_ruler", name="kg_gazetteer", config=config, **options)
    ruler.add_patterns(ruler_patterns())


def looks_like_a_name(ent: Span) -> bool:
    """False for the statistical NER's usual mistakes: table residue, headings, common nouns."""
    if NOT_A_NAME.search(ent.text) or ent.text.isdigit():
        return False
    words = [t for t in ent if not t.is_punct]
    if any(t.is_lower and t.lower_ not in NAME_PARTICLES for t in words) or ent[-1].lower_ in NAME_PARTICLES:
        return False
    if len(words) == 1 and ent[0].is_sent_start and ent[0].pos_ not in ("PROPN", "X", ""):
        return False
    line = ent.doc.text[ent.doc.text.rfind("\n", 0, ent.start_char) + 1:].split("\n", 1)[0]
    return line.strip() != ent.text


@Language.component("kg_entity_filter")
def filter_entities(doc: Doc) -> Doc:
    """Keep gazetteer entities and the statistical entities that look like names, relabelled."""
    kept = [ent for ent in doc.ents if ent.ent_id_ or looks_like_a_name(ent)]
    full_names = {ent[-1].text for ent in kept if ent.label_ == "PER" and len(ent) > 1}
    doc.ents = [relabelled(ent, full_names) if not ent.ent_id_ else ent for ent in kept]
    return doc


def relabelled(ent: Span, full_names: set[str]) -> Span:
    """The NER's label corrected: company suffixes make an ORG, and so does a one-word
    "person" never introduced by a first name (French news names a person in full first)."""
    if ent[-1].text in entity_rules()["org_suffixes"] and len(ent) > 1:
        return Span(ent.doc, ent.start, ent.end, label="ORG")
    if ent.label_ == "PER" and len(ent) == 1 and ent.text not in full_names:
        return Span(ent.doc, ent.start, ent.end, label="ORG")
    return ent


def canonical_ids(doc: Doc) -> list[tuple[Span, str]]:
    """Each entity with its canonical id; a lone surname joins the full name met earlier."""
    surnames: dict[str, str] = {}
    pairs = []
    for ent in doc.ents:
        known_id = ent.ent_id_ if ent.ent_id_ != FROM_TEXT else ""
        entity_id = known_id or surnames.get(ent.text) or slug(ent.text)
        if ent.label_ == "PER" and len(ent) > 1:
            surnames.setdefault(ent[-1].text, entity_id)
        pairs.append((ent, entity_id))
    return pairs


def entities_of(doc: Doc) -> list[Entity]:
    """The entities of a processed Doc as kg dataclasses.

    >>> import spacy
    >>> nlp = spacy.blank("fr"); add_gazetteer_ruler(nlp)
    >>> [(e.text, e.id, e.wikidata) for e in entities_of(nlp("Selon le WSJ, Nvidia investit."))]
    [('WSJ', 'wall-street-journal', 'Q164746'), ('Nvidia', 'nvidia', 'Q182477')]
    """
    known = gazetteer()
    result = []
    for ent, entity_id in canonical_ids(doc):
        entry = known.get(entity_id)
        label = entry.label if entry else (ent.label_ if ent.label_ in LABELS else "MISC")
        result.append(Entity(text=ent.text, label=label, start=ent.start_char, end=ent.end_char,
                             id=entity_id, wikidata=entry.wikidata if entry else None))
    return result
