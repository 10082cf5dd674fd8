"""Entities: a gazetteer ruler for known entities, and a filter on the statistical NER.

The gazetteer (ontology/gazetteer.jsonl) gives known entities their canonical id, label and
Wikidata item. Entities the gazetteer does not know get their label from the evidence around
them (cue words, legal suffixes, appositions, "le PDG de X", lists of places and first names in
ontology/, weighed over all the mentions of a name in the article; the NER's own label counts
least), and an id of their own, shared by all their mentions (a surname alone joins the full
name seen before, a short form or the initials of an organisation its full name).
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg import extra_ontology_path, ontology_path
from kg.corpus import slug
from kg.knowledge import gazetteer
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
    keys = ("org_suffixes", "institution_heads", "table_entity_headers", "org_of_heads", "place_heads",
            "name_heads", "not_names", "holding_suffixes")
    rules: dict = {key: set() for key in keys} | {"cues": {}}
    for path in data_files("entity_rules.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in keys:
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
    if any(t.is_lower and t.lower_ not in NAME_PARTICLES and not ends_a_hyphenated_word(t) for t in words) \
            and not is_institution(ent):
        return False
    if ent.text in entity_rules()["not_names"] or is_a_modifier(ent):
        return False
    if len(words) == 1 and ent[0].is_sent_start and ent[0].pos_ not in ("PROPN", "X", ""):
        return False
    if len(words) == 1 and ent[0].pos_ == "NOUN" and not ent[0].is_upper and opens_a_clause(ent[0]):
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


NATIONALITY = re.compile(r"(?:ais|aise|ois|oise|ien|ienne|éen|éenne|ain|aine|and|ande|ique)s?$")


def is_a_modifier(ent: Span) -> bool:
    """An acronym right after a common noun qualifies it ("les batteries XYZ", "des machines
    ABC"), unless the noun is a nationality ("le taïwanais XYZ") or a cue word."""
    if not (ent.text.isupper() and len(ent) == 1) or ent.start == 0:
        return False
    before = ent.doc[ent.start - 1]
    return (before.is_lower and before.pos_ == "NOUN" and not NATIONALITY.search(before.text)
            and before.lower_ not in entity_rules()["cues"])


CLAUSE_OPENERS = frozenset({":", "«", "(", "—", "–", "-", '"', "“", "*", "**", "_", "#", "##"})


def opens_a_clause(token) -> bool:
    """A common noun is capitalised only where a sentence, a quote or a heading begins; in
    mid-sentence a capitalised word the tagger takes for a noun is an unknown name."""
    return token.is_sent_start or token.i == 0 or token.nbor(-1).text in CLAUSE_OPENERS


@Language.component("kg_entity_filter")
def filter_entities(doc: Doc) -> Doc:
    """Keep gazetteer entities and the statistical entities that look like names, relabelled
    from the evidence around them; then mark the other mentions of the names found."""
    spans = (with_year(with_name_head(without_amount(before_verb(without_punctuation(ent))))) for ent in doc.ents)
    kept = [ent for ent in spans if ent.ent_id_ or looks_like_a_name(ent)]
    full_names = {ent[-1].text for ent in kept if ent.label_ == "PER" and len(ent) > 1}
    weighed, previous = [], None
    for ent in kept:
        label, weight = (ent.label_, KNOWN) if ent.ent_id_ else label_and_weight(ent, full_names, previous)
        ent = ent if label == ent.label_ else Span(doc, ent.start, ent.end, label=label)
        weighed.append((ent, weight))
        previous = ent
    ents = consistent_labels(weighed)
    ents = ents + people_named_in_full(doc, ents)
    ents = ents + other_mentions(doc, ents)
    ents = ents + dateline_places(doc, ents)
    ents = ents + products_after_their_cue(doc, ents)
    doc.ents = table_companies(doc, ents)
    return doc


def people_named_in_full(doc: Doc, ents: list[Span]) -> list[Span]:
    """"Prénom Nom" the NER missed (it took the first name for a verb) when "Nom" is a person
    elsewhere: kept if the first name is a known one or a job title follows ("X Y, analyste")."""
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    surnames = {ent[-1].text for ent in ents if ent.label_ == "PER" and ent[-1].is_title}
    found = []
    for token in doc[1:]:
        first = doc[token.i - 1]
        if token.text in surnames and first.is_title and not {first.i, token.i} & taken and \
                (first.text in word_list("first_names.txt") or followed_by_a_job(doc, token.i + 1)):
            found.append(Span(doc, first.i, token.i + 1, label="PER"))
            taken.update((first.i, token.i))
    return found


def followed_by_a_job(doc: Doc, i: int) -> bool:
    cues = entity_rules()["cues"]
    return i + 1 < len(doc) and doc[i].text == "," and cues.get(doc[i + 1].lower_) == "PER"


DATELINE = re.compile(r"^([A-ZÀ-Ý][A-ZÀ-Ý' -]+(?:/[A-ZÀ-Ý][A-ZÀ-Ý' -]+)*),", re.MULTILINE)


def dateline_places(doc: Doc, ents: list[Span]) -> list[Span]:
    """The city of a dateline ("VILLE, 3 mai (Agence) -"), in capitals, that the NER misses."""
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    found = []
    for line in DATELINE.finditer(doc_text(doc)):
        start = line.start(1)
        for city in line.group(1).split("/"):
            span = doc.char_span(start, start + len(city), label="LOC")
            if span is not None and city.title() in place_names() and not taken & set(range(span.start, span.end)):
                found.append(span)
            start += len(city) + 1
    return found


TABLE_ROW = re.compile(r"^\|([^|\n]+)\|.*$", re.MULTILINE)


def products_after_their_cue(doc: Doc, ents: list[Span]) -> list[Span]:
    """"des accélérateurs Zenith", "ses réacteurs ZX2": a capitalised name the NER missed, right after a
    product noun that a determiner or an adjective introduces, names that product."""
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    cues = {word for word, label in entity_rules()["cues"].items() if label == "PRODUCT"}
    found = []
    for token in doc[2:]:
        cue, before = doc[token.i - 1], doc[token.i - 2]
        if token.i in taken or not token.text[:1].isupper() or token.text.endswith(("'", "’")) or token.is_sent_start \
                or cue.lower_ not in cues or before.pos_ not in ("DET", "ADJ"):  # (not the elided first word of a title)
            continue
        end = token.i + 1
        while end < len(doc) and end not in taken and doc[end].text[:1].isupper() and not doc[end].is_sent_start:
            end += 1
        found.append(Span(doc, token.i, end, label="PRODUCT"))
        taken |= set(range(token.i, end))
    return found


def table_companies(doc: Doc, ents: list[Span]) -> list[Span]:
    """The entities with the first-column cells of a Markdown table headed "Entreprise",
    "Valeur"...: organisations, whether the NER found them (under any label) or not."""
    cells = company_cells(doc)
    names = {cell.text for cell in cells}
    ents = [Span(doc, e.start, e.end, label="ORG") if not e.ent_id_ and e.text in names and e.label_ != "ORG" else e
            for e in ents]
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    return ents + [cell for cell in cells if not taken & set(range(cell.start, cell.end))]


def company_cells(doc: Doc) -> list[Span]:
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
        if span is not None and not span[0].like_num:
            found.append(span)
        listing = listing and row.end() + 1 < len(text) and text[row.end() + 1:row.end() + 2] == "|"
    return found


def is_institution(ent: Span) -> bool:
    """"Commission européenne", "université Grenoble Alpes": a head noun that names bodies,
    capitalised itself or followed by a name ("la Bourse du groupe" is no name)."""
    if ent[0].lower_ not in entity_rules()["institution_heads"]:
        return False
    rest = [t for t in ent[1:] if t.lower_ not in NAME_PARTICLES and not t.is_punct]
    if any(t.pos_ == "ADP" for t in rest):  # "Bourse sur X": two phrases, not one name
        return False
    return any(t.is_title for t in rest) or (ent[0].is_title and ent[0].text not in entity_rules()["not_names"])


def before_verb(ent: Span) -> Span:
    """A name the NER ran into the verb that follows it, cut back: "X traîne des pieds" -> "X"."""
    verbs = [t.i for t in ent[1:] if t.pos_ in ("VERB", "AUX") and t.is_lower]
    if not verbs or ent.ent_id_:
        return ent
    return Span(ent.doc, ent.start, verbs[0], label=ent.label_)


def without_punctuation(ent: Span) -> Span:
    """A name without the markup or full stop the NER ran into: "*Le Journal*." -> "Le Journal"."""
    start, end = ent.start, ent.end
    while end - 1 > start and ent.doc[end - 1].is_punct and ent.doc[end - 1].text not in (")", "»"):
        end -= 1
    while start < end - 1 and ent.doc[start].is_punct and ent.doc[start].text not in ("(", "«"):
        start += 1
    if (start, end) == (ent.start, ent.end) or ent.ent_id_:
        return ent
    return Span(ent.doc, start, end, label=ent.label_)


def without_amount(ent: Span) -> Span:
    """A name the NER ran into the amount after it, cut back: "X 6 %" -> "X"."""
    doc, end = ent.doc, ent.end
    while end - 1 > ent.start and doc[end - 1].like_num and end < len(doc) and doc[end].lower_ in AMOUNT_WORDS:
        end -= 1
    return ent if end == ent.end or ent.ent_id_ else Span(doc, ent.start, end, label=ent.label_)


AMOUNT_WORDS = frozenset({"%", "€", "$", "euros", "dollars", "million", "millions", "milliard", "milliards"})


def with_name_head(ent: Span) -> Span:
    """A name after a lowercase head that belongs to it: "l'université X", "l'école X"."""
    doc, start = ent.doc, ent.start
    if start > 0 and doc[start - 1].is_lower and doc[start - 1].lower_ in entity_rules()["name_heads"] \
            and not ent.ent_id_:
        return Span(doc, start - 1, ent.end, label="ORG")
    return ent


def with_year(ent: Span) -> Span:
    """A quoted name that the NER cut before its number: « Plan Horizon 2030 »."""
    doc, end = ent.doc, ent.end
    if end + 1 < len(doc) and doc[end].like_num and doc[end + 1].text in ("»", '"', "”"):
        return Span(doc, ent.start, end + 1, label=ent.label_, span_id=ent.ent_id)
    return ent


NER, WEAK, STRONG, KNOWN = 1, 2, 4, 100


def label_and_weight(ent: Span, full_names: set[str], previous: Span | None) -> tuple[str, int]:
    """The label of an entity the gazetteer does not know, and how much to trust it: cue words,
    legal suffixes, known places and the surrounding phrase are strong evidence; a name's shape
    and its role in the sentence are weak; the NER's own label is the weakest."""
    strong = (cue_label(ent, previous) or org_suffix_label(ent) or known_place_label(ent)
              or context_label(ent) or product_code_label(ent) or first_name_label(ent))
    if strong:
        return strong, STRONG
    weak = lone_surname_label(ent, full_names) or role_label(ent) or name_shape_label(ent)
    return (weak, WEAK) if weak else (ent.label_, NER)


def role_label(ent: Span) -> str | None:
    """Bodies, and unknown "places" that act in the sentence, are organisations: business news
    names few places a gazetteer of countries and cities lacks, and those come after "à"."""
    if is_institution(ent):
        return "ORG"
    if ent.label_ == "LOC" and not follows_a_place_word(ent):
        return "ORG"
    return None


def org_suffix_label(ent: Span) -> str | None:
    """Company suffixes make an ORG: "Lux Capital", "Foo SA"."""
    return "ORG" if len(ent) > 1 and ent[-1].text in entity_rules()["org_suffixes"] else None


def lone_surname_label(ent: Span, full_names: set[str]) -> str | None:
    """A one-word "person" never introduced by a first name is taken for an organisation
    (French news names a person in full first)."""
    return "ORG" if ent.label_ == "PER" and len(ent) == 1 and ent.text not in full_names else None


def known_place_label(ent: Span) -> str | None:
    return "LOC" if ent.text in place_names() else None


def first_name_label(ent: Span) -> str | None:
    """"Prénom Nom": a name that starts with a common first name is a person's."""
    return "PER" if len(ent) > 1 and ent[0].text in word_list("first_names.txt") else None


@cache
def word_list(name: str) -> frozenset[str]:
    """The lines of an ontology word list (bundled and the user's extension), comments aside."""
    return frozenset(line.strip() for path in data_files(name) for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


@cache
def place_names() -> frozenset[str]:
    """Countries, regions and cities (ontology/places.txt) and the gazetteer's places."""
    names = set(word_list("places.txt"))
    names.update(surface for entity in gazetteer().values() if entity.label == "LOC"
                 for surface in (entity.name, *entity.aliases))
    return frozenset(names)


def follows_a_place_word(ent: Span) -> bool:
    """"à X", "en X", "basée à X", "l'usine de X": the name of a place."""
    doc = ent.doc
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    if before in ("à", "en", "au", "aux"):
        return ent.start < 2 or doc[ent.start - 2].lower_ not in ("face", "grâce", "quant")
    if before in ("le", "la", "l'", "l’") and ent.start > 1 and doc[ent.start - 2].lower_ in ("dans", "en", "vers"):
        return True  # "dans l'Allier", "vers le Var"
    head = doc[ent.start - 2].lower_ if ent.start > 1 else ""
    return before in OF and head in entity_rules()["place_heads"]


OF = frozenset({"de", "d'", "d’", "du", "des"})


def context_label(ent: Span) -> str | None:
    """The phrase around the name: "le PDG de X", "le capital de X" (X an organisation);
    "X, la start-up grenobloise" or "X, directeur financier" (an apposition with a cue word)."""
    doc, rules = ent.doc, entity_rules()
    if ent.start > 1 and doc[ent.start - 1].lower_ in OF:
        heads = [t for t in doc[max(0, ent.start - 4):ent.start - 1] if t.pos_ not in ("ADJ", "DET")]
        if heads and heads[-1].lower_ in rules["org_of_heads"]:
            return "ORG"
    if ent.end + 1 < len(doc) and doc[ent.end].text == ",":
        for token in doc[ent.end + 1:ent.end + 5]:
            # "X, le groupe est dirigé par..." starts a new clause; "X, un autre acteur, a dit" does not
            if token.lower_ in rules["cues"] and token.pos_ == "NOUN" and (
                    not token.dep_.startswith("nsubj") or closes_an_apposition(token)):
                return rules["cues"][token.lower_]
            if token.pos_ not in ("DET", "ADJ", "NUM"):
                break
    if ent.label_ == "LOC" and (follows_a_place_word(ent) or is_a_seat(ent)):
        return "LOC"
    return None


def closes_an_apposition(noun) -> bool:
    following = [t for t in noun.doc[noun.i + 1:noun.i + 4] if t.pos_ != "ADJ"]
    return bool(following) and following[0].text == ","


def is_a_seat(ent: Span) -> bool:
    """"le groupe de X", "l'entreprise de X": a company named by its seat."""
    doc = ent.doc
    return ent.start > 1 and doc[ent.start - 1].lower_ in OF and doc[ent.start - 2].lower_ in entity_rules()["cues"] \
        and entity_rules()["cues"][doc[ent.start - 2].lower_] == "ORG"


PRODUCT_CODE = re.compile(r"^(?:[A-Z][A-Za-z]{2,}-?\d+|[A-Z]\d{3,})(?:-\w+)?$")


def product_code_label(ent: Span) -> str | None:
    """A model number is a product: "XR-7", "A320-200", "GPT-5"."""
    return "PRODUCT" if PRODUCT_CODE.match(ent.text) and ent.label_ != "PER" else None


INNER_CAPITAL = re.compile(r"^(?:[A-Z]?[a-z]+[A-Z]|[A-Z]{2,}[a-z]{2,})")


def name_shape_label(ent: Span) -> str | None:
    """Acronyms, names with an inner capital and names joined by "&" are companies more often
    than anything else in business news; the NER calls most of them MISC."""
    if ent.label_ != "MISC" or product_code_label(ent):
        return None
    text = ent.text
    if (text.isupper() and 2 <= len(text) <= 6) or INNER_CAPITAL.match(text) or "&" in text:
        return "ORG"
    return None


LIST_GLUE = frozenset({",", "et", "ou", "&", "de", "d'", "d’", "le", "la", "l'", "l’", "les"})


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
        if previous.label_ == "LOC" and ent.label_ == "LOC":
            return "LOC"
    return cue_word_label(ent, sentence_start)


def cue_word_label(ent: Span, sentence_start: int) -> str | None:
    """The cue word heading the noun phrase that ends with the name: "le fabricant slovaque de
    batteries X" is a company (the complement "de batteries" is skipped), "le PDG de X" is not
    a person (a preposition ends the phrase)."""
    doc, cues = ent.doc, entity_rules()["cues"]
    i, complement_cue = ent.start - 1, None
    while i >= max(sentence_start, ent.start - 6):
        token, word = doc[i], hyphenated_word(doc, i)
        in_complement = token.is_lower and token.pos_ in ("NOUN", "ADJ") and i > 0 and doc[i - 1].lower_ in OF
        if word in cues and not in_complement:
            return cues[word]
        # "le japonais X", "l'allemand X": a lowercase nationality used as a noun names a company
        # (a person would be "le Japonais X")
        if token.is_lower and NATIONALITY.search(token.text) and i == ent.start - 1 and i > 0 \
                and doc[i - 1].pos_ == "DET":
            return "ORG"
        if in_complement:
            complement_cue = complement_cue or cues.get(word)
            i -= 2
            continue
        if token.lower_ in OF or (token.pos_ not in ("DET", "ADJ", "PUNCT", "") and token.lower_ not in EXAMPLE_WORDS):
            break
        i -= 1
    return complement_cue


# "des concurrents tels que X", "des clients comme X": the cue word is further left
EXAMPLE_WORDS = frozenset({"tel", "tels", "telle", "telles", "que", "qu'", "qu’", "comme", "notamment", "dont"})


def ends_a_hyphenated_word(token) -> bool:
    """"hoon" in "Ji-hoon": a lowercase part of a hyphenated name is still the name."""
    doc, i = token.doc, token.i
    return i > 1 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_


def hyphenated_word(doc: Doc, i: int) -> str:
    """The lowercase word a token ends, hyphens included: the tokenizer splits "start-up"."""
    start = i
    while start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ \
            and not doc[start - 2].whitespace_:
        start -= 2
    return doc[start:i + 1].text.lower()


LABEL_PRIORITY = ("ORG", "PER", "PRODUCT", "LOC", "MISC")


def consistent_labels(weighed: list[tuple[Span, int]]) -> list[Span]:
    """One label per name in a document: the one with the most evidence over all its mentions,
    ties going to ORG first."""
    votes: dict[str, dict[str, int]] = {}
    for ent, weight in weighed:
        if not ent.ent_id_:
            votes.setdefault(ent.text, {}).setdefault(ent.label_, 0)
            votes[ent.text][ent.label_] += weight
    best = {text: min(counts, key=lambda label: (-counts[label], LABEL_PRIORITY.index(label)
                                                  if label in LABEL_PRIORITY else 9))
            for text, counts in votes.items()}
    return [Span(e.doc, e.start, e.end, label=best[e.text]) if not e.ent_id_ and best[e.text] != e.label_ else e
            for e, _ in weighed]


def other_mentions(doc: Doc, ents: list[Span]) -> list[Span]:
    """The mentions of a name that the NER missed once it found the name elsewhere in the
    article ("X" in a title, again mid-sentence): the same name is the same entity."""
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    labels = {ent.text: ent.label_ for ent in ents if not ent.ent_id_}
    found = []
    for text, label in labels.items():
        for match in re.finditer(r"(?<!\w)" + re.escape(text) + r"(?!\w)", doc_text(doc)):
            span = doc.char_span(match.start(), match.end(), label=label)
            if span is not None and not taken & set(range(span.start, span.end)):
                found.append(span)
                taken.update(range(span.start, span.end))
    return found


def canonical_ids(doc: Doc) -> list[tuple[Span, str]]:
    """Each entity with its canonical id; a lone surname joins the full name met earlier, and
    a short form of an organisation joins its full name."""
    surnames: dict[str, str] = {}
    short_forms = organisation_short_forms(doc.ents)
    pairs = []
    for ent in doc.ents:
        known_id = ent.ent_id_ if ent.ent_id_ != FROM_TEXT else ""
        surname_id = surnames.get(ent.text) if ent.label_ == "PER" else None
        entity_id = known_id or surname_id or short_forms.get(ent.text) or slug(ent.text)
        if ent.label_ == "PER" and len(ent) > 1:
            surnames.setdefault(ent[-1].text, entity_id)
        pairs.append((ent, entity_id))
    return pairs


def organisation_short_forms(ents) -> dict[str, str]:
    """"X" for "X Precision" or "Groupe X", "ABC" for "Alpha Beta Capital": the short forms of
    the organisations named in full, with the full name's id; a short form two names share is
    nobody's."""
    forms: dict[str, set[str]] = {}
    for ent in ents:
        if ent.label_ == "ORG" and len(ent) > 1:
            entity_id = ent.ent_id_ if ent.ent_id_ not in ("", FROM_TEXT) else slug(ent.text)
            for form in short_forms_of(ent):
                forms.setdefault(form, set()).add(entity_id)
    full_names = {ent.text for ent in ents if len(ent) > 1}
    return {form: ids.pop() for form, ids in forms.items() if len(ids) == 1 and form not in full_names}


def unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def short_forms_of(ent: Span) -> set[str]:
    rules = entity_rules()
    words = [t for t in ent if not t.is_punct and t.lower_ not in NAME_PARTICLES]
    forms: set[str] = set()
    if words and words[-1].text in rules["holding_suffixes"]:  # "X Participations" is not X
        return forms
    if len(words) > 1 and words[-1].text in rules["org_suffixes"]:
        forms.add(ent.doc[ent.start:words[-1].i].text)
    if words and words[0].lower_ in rules["cues"]:
        forms.add(ent.doc[words[0].i + 1:ent.end].text)
    elif words and words[0].is_title and words[0].lower_ not in rules["institution_heads"]:
        forms.add(words[0].text)
    if len(words) > 2 or (len(words) == 2 and words[-1].text not in rules["org_suffixes"]):
        forms.add(unaccented("".join(t.text[0] for t in words).upper()))
    return {form for form in forms if len(form) > 1}


def entities_of(doc: Doc) -> list[Entity]:
    """The entities of a processed Doc as kg dataclasses.

    >>> import spacy
    >>> nlp = spacy.blank("fr"); add_gazetteer_ruler(nlp)
    >>> [(e.text, e.id, e.wikidata) for e in entities_of(nlp("Selon le FT, Veolia investit."))]
    [('FT', 'financial-times', 'Q183408'), ('Veolia', 'veolia', None)]
    """
    known = gazetteer()
    result = []
    for ent, entity_id in canonical_ids(doc):
        entry = known.get(entity_id)
        label = entry.label if entry else (ent.label_ if ent.label_ in LABELS else "MISC")
        result.append(Entity(text=ent.text, label=label, start=ent.start_char, end=ent.end_char,
                             id=entity_id, wikidata=entry.wikidata if entry else None))
    return result
