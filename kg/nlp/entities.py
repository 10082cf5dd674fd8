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
from kg.nlp.tokens import doc_text

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
    """Company suffixes and label cue words, bundled and from the user's extension."""
    rules: dict = {"org_suffixes": set(), "cues": {}, "institution_heads": set(), "table_entity_headers": set()}
    for path in data_files("entity_rules.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in ("org_suffixes", "institution_heads", "table_entity_headers"):
            rules[key].update(data.get(key, ()))
        for label, words in data.get("label_cues", {}).items():
            rules["cues"].update({word: label for word in words})
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
    if len(ent.text) < 2 or ent[-1].lower_ in NAME_PARTICLES:
        return False
    if any(t.is_lower and t.lower_ not in NAME_PARTICLES for t in words) and not is_institution(ent):
        return False
    if len(words) == 1 and ent[0].is_sent_start and ent[0].pos_ not in ("PROPN", "X", ""):
        return False
    if len(words) == 1 and ent[0].pos_ == "NOUN" and not ent[0].is_upper:
        return False
    return line_at(doc_text(ent.doc), ent.start_char).strip() != ent.text


def line_at(text: str, offset: int) -> str:
    """The line of `text` that holds `offset`, without its line break.

    >>> line_at("Titre\\nUne phrase.\\nFin", 8)
    'Une phrase.'
    """
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


@Language.component("kg_entity_filter")
def filter_entities(doc: Doc) -> Doc:
    """Keep gazetteer entities and the statistical entities that look like names, relabelled."""
    kept = [with_year(ent) for ent in map(before_verb, doc.ents) if ent.ent_id_ or looks_like_a_name(ent)]
    full_names = {ent[-1].text for ent in kept if ent.label_ == "PER" and len(ent) > 1}
    relabelled_ents, previous = [], None
    for ent in kept:
        ent = ent if ent.ent_id_ else relabelled(ent, full_names, previous)
        relabelled_ents.append(ent)
        previous = ent
    doc.ents = consistent_labels(relabelled_ents) + table_companies(doc, relabelled_ents)
    return doc


TABLE_ROW = re.compile(r"^\|([^|\n]+)\|.*$", re.MULTILINE)


def table_companies(doc: Doc, ents: list[Span]) -> list[Span]:
    """First-column cells of a Markdown table headed "Entreprise", "Valeur"...: organisations
    the NER misses in table rows."""
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    found, listing, text = [], False, doc_text(doc)
    for row in TABLE_ROW.finditer(text):
        cell = row.group(1).strip()
        if set(cell) <= set("-: "):
            continue
        if cell.lower() in entity_rules()["table_entity_headers"]:
            listing = True
            continue
        start = row.start(1) + row.group(1).index(cell) if cell else row.start(1)
        span = doc.char_span(start, start + len(cell), label="ORG") if listing and cell[:1].isupper() else None
        if span is not None and not taken & set(range(span.start, span.end)) and not span[0].like_num:
            found.append(span)
        listing = listing and row.end() + 1 < len(text) and text[row.end() + 1:row.end() + 2] == "|"
    return found


def is_institution(ent: Span) -> bool:
    """"Commission européenne", "université Grenoble Alpes": a head noun that names bodies."""
    return ent[0].lower_ in entity_rules()["institution_heads"] and any(t.is_title for t in ent)


def before_verb(ent: Span) -> Span:
    """A name the NER ran into the verb that follows it, cut back: "X traîne des pieds" -> "X"."""
    verbs = [t.i for t in ent[1:] if t.pos_ in ("VERB", "AUX") and t.is_lower]
    if not verbs or ent.ent_id_:
        return ent
    return Span(ent.doc, ent.start, verbs[0], label=ent.label_)


def with_year(ent: Span) -> Span:
    """A quoted name that the NER cut before its number: « Plan Horizon 2030 »."""
    doc, end = ent.doc, ent.end
    if end + 1 < len(doc) and doc[end].like_num and doc[end + 1].text in ("»", '"', "”"):
        return Span(doc, ent.start, end + 1, label=ent.label_, span_id=ent.ent_id)
    return ent


def relabelled(ent: Span, full_names: set[str], previous: Span | None) -> Span:
    """The NER's label corrected for an entity the gazetteer does not know."""
    label = cue_label(ent, previous) or suffix_label(ent, full_names) or role_label(ent)
    return Span(ent.doc, ent.start, ent.end, label=label) if label and label != ent.label_ else ent


def role_label(ent: Span) -> str | None:
    """Bodies, and "places" that act as the subject of a verb, are organisations."""
    if is_institution(ent):
        return "ORG"
    if ent.label_ == "LOC" and len(ent) == 1 and ent[0].dep_ in ("nsubj", "nsubj:pass"):
        return "ORG"
    return None


def suffix_label(ent: Span, full_names: set[str]) -> str | None:
    """Company suffixes make an ORG, and so does a one-word "person" never introduced by a
    first name (French news names a person in full first)."""
    if ent[-1].text in entity_rules()["org_suffixes"] and len(ent) > 1:
        return "ORG"
    if ent.label_ == "PER" and len(ent) == 1 and ent.text not in full_names:
        return "ORG"
    return None


LIST_GLUE = frozenset({",", "et", "ou", "&"})


def cue_label(ent: Span, previous: Span | None) -> str | None:
    """The label a cue word right before the entity gives ("l'hébergeur français X" -> ORG),
    or that of the previous entity of a list ("les franchises A, B et C")."""
    doc, sentence_start = ent.doc, ent.sent.start if ent.doc.has_annotation("SENT_START") else 0
    gap = doc[previous.end:ent.start] if previous is not None and previous.end <= ent.start else None
    # The NER has no PRODUCT label, so a list of products only gets one from its cue word;
    # and in a list of companies, a name the NER took for a place or a thing is one more.
    if gap is not None and len(gap) and all(t.lower_ in LIST_GLUE for t in gap):
        if previous.label_ == "PRODUCT" or (previous.label_ == "ORG" and ent.label_ in ("LOC", "MISC")):
            return previous.label_
    cues = entity_rules()["cues"]
    for token in reversed(doc[max(sentence_start, ent.start - 3):ent.start]):
        if token.lower_ in cues:
            return cues[token.lower_]
        if token.pos_ not in ("DET", "ADJ", "PUNCT", ""):
            return None
    return None


LABEL_PRIORITY = ("ORG", "PER", "PRODUCT", "LOC", "MISC")


def consistent_labels(ents: list[Span]) -> list[Span]:
    """One label per name in a document: the most frequent, ties going to ORG first."""
    votes: dict[str, dict[str, int]] = {}
    for ent in ents:
        if not ent.ent_id_:
            votes.setdefault(ent.text, {}).setdefault(ent.label_, 0)
            votes[ent.text][ent.label_] += 1
    best = {text: min(counts, key=lambda label: (-counts[label], LABEL_PRIORITY.index(label)
                                                  if label in LABEL_PRIORITY else 9))
            for text, counts in votes.items()}
    return [Span(e.doc, e.start, e.end, label=best[e.text]) if not e.ent_id_ and best[e.text] != e.label_ else e
            for e in ents]


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
    >>> [(e.text, e.id, e.wikidata) for e in entities_of(nlp("Selon le FT, Sanofi investit."))]
    [('FT', 'financial-times', 'Q183408'), ('Sanofi', 'sanofi', 'Q158205')]
    """
    known = gazetteer()
    result = []
    for ent, entity_id in canonical_ids(doc):
        entry = known.get(entity_id)
        label = entry.label if entry else (ent.label_ if ent.label_ in LABELS else "MISC")
        result.append(Entity(text=ent.text, label=label, start=ent.start_char, end=ent.end_char,
                             id=entity_id, wikidata=entry.wikidata if entry else None))
    return result
