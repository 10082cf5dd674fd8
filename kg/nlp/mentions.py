"""Which entity a token stands for: a name, a pronoun, or "le groupe" / "l'entreprise".

Claims need their subject, object and source as entities; the text often names them
once and then says "il", "elle", "le groupe", "son". `Mentions` answers "which entity is
this token?" from the extracted entities, the lexicon's coreference nouns and the
grammatical subjects seen so far.

>>> import spacy
>>> from kg.model import Entity
>>> nlp = spacy.blank("fr"); _ = nlp.add_pipe("sentencizer")
>>> doc = nlp("Acme a levé des fonds. Le groupe investit.")
>>> mentions = Mentions(doc, [Entity("Acme", "ORG", 0, 4, "acme")])
>>> mentions.resolve(doc[7]).id
'acme'
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.corpus import slug
from kg.model import Entity, Ref
from kg.nlp.entities import gazetteer
from kg.nlp.lexicon import lemma_of, matches_word, normal, word_set
from kg.nlp.tokens import doc_text

SUBJECT_DEPS = ("nsubj", "nsubj:pass")
NAME_PARTS = ("appos", "flat", "flat:name", "compound", "fixed", "nmod", "dep", "amod", "conj")
SPEAKER_LABELS = ("PER", "ORG")
NAME_LABELS = {"ORG": ("ORG", "MISC"), "PER": ("PER",)}  # the NER often calls a little-known company MISC
LOOKBACK_SENTENCES = 2
TITLE_REACH = 8  # words before a person's name in which a title ("le directeur financier de X") is theirs
DEFINITE = ("le", "la", "l'", "les", "ce", "cette", "cet", "ces", "du", "au")


def ref_of(entity: Entity) -> Ref:
    return Ref(text=entity.text, id=entity.id)


def is_outlet(entity: Entity | Ref | None) -> bool:
    """News outlets cite; they are never the subject or object of a business relation."""
    known = gazetteer().get(entity.id) if entity is not None and entity.id else None
    return bool(known and known.outlet)


class Mentions:
    """The entities of one Doc, found by token, and the antecedents of anaphoric words."""

    def __init__(self, doc: Doc, entities: list[Entity]):
        self.doc = doc
        self.entities = companies_named_after_places(sorted(entities, key=lambda e: e.start), doc_text(doc))
        self.by_token: dict[int, Entity] = {}
        for entity in self.entities + self.bare_names():
            span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
            for token in span or ():
                self.by_token.setdefault(token.i, entity)
        self.descriptions = self.descriptions_in_order()
        self.subjects = self.subjects_in_order()

    def bare_names(self) -> list[Entity]:
        """Names the NER missed where the parse shows them acting ("Bolloré a porté sa participation…"):
        a capitalised noun without determiner as a subject or agent. Their id is the one kg gives any
        entity it does not know (a slug of the name)."""
        spans = (self.doc.char_span(e.start, e.end, alignment_mode="expand") for e in self.entities)
        covered = {t.i for span in spans for t in span or ()}
        found = []
        for token in self.doc:
            if token.i not in covered and token.dep_ in SUBJECT_DEPS + ("obl:agent",) and looks_like_a_bare_name(token):
                words = [token] + [c for c in token.children
                                   if c.dep_ in ("flat", "flat:name") and c.text[:1].isupper()]
                start, end = min(t.idx for t in words), max(t.idx + len(t.text) for t in words)
                text = doc_text(self.doc)[start:end]
                found.append(Entity(text=text, label="ORG", start=start, end=end, id=slug(text)))
        return found

    def entity_at(self, token: Token) -> Entity | None:
        return self.by_token.get(token.i)

    def named(self, token: Token) -> Entity | None:
        """The entity the token is part of, or the name set beside it ("le géant chinois Initech",
        "le numéro un du secteur, LVMH"): a name among its dependents that no preposition introduces."""
        found = self.entity_at(token)
        if found:
            return found
        if token.pos_ not in ("NOUN", "PROPN", "X", "") and not (token.pos_ == "ADJ" and is_definite(token)):
            return None  # (an adjective used as a noun names too: "le japonais X", "l'américain X")
        kind = next((label for label in ("ORG", "PER") if lemma_of(token) in word_set("coreference", label)), None)
        names = filter(None, [self.entity_at(t) for t in name_parts(token)] + [self.name_set_after(token)])
        return next((e for e in names if kind is None or e.label in NAME_LABELS[kind]), None)

    def name_set_after(self, noun: Token) -> Entity | None:
        """"la banque suisse Acme": a name right after the noun and its adjectives, however the
        parser attached it (it often takes a little-known name for a verb)."""
        after, end = noun.i + 1, noun.sent.end
        while after < end and after - noun.i <= 3 and noun.doc[after].pos_ == "ADJ":
            after += 1
        return self.entity_at(noun.doc[after]) if after < end else None

    def resolve(self, token: Token, *, speaker: bool = False) -> Entity | None:
        """The entity a token names or refers back to (pronoun, definite company/person noun,
        "un porte-parole de X"). A speaker pronoun ("a-t-il déclaré") prefers a person."""
        named = self.named(token) or self.represented(token) or self.described_outlet(token)
        if named:
            return named
        if is_pronoun(token):
            return self.antecedent(token, ("PER",) if speaker else SPEAKER_LABELS) or \
                (self.antecedent(token, SPEAKER_LABELS) if speaker else None)
        for label in ("ORG", "PER"):
            if lemma_of(token) in word_set("coreference", label) and is_definite(token):
                return self.described(token) or self.as_first_used(token, label) or \
                    self.antecedent(token, (label,), description=True)
        return None

    def descriptions_in_order(self) -> list[tuple[int, str, Entity]]:
        """(token index, noun, entity) wherever the text describes an entity by a common noun set right
        beside its name: "le géant chinois Initech", "Studio Alpha, la filiale de Globex"."""
        found = []
        for token in self.doc:
            if token.pos_ != "NOUN" or self.entity_at(token):
                continue
            beside = []
            if token.i >= 3 and self.doc[token.i - 2].text == "," and normal(self.doc[token.i - 1].text) in DEFINITE:
                beside.append(self.entity_at(self.doc[token.i - 3]))  # "X, la filiale de Y", whatever the parse
            if token.dep_ == "appos":
                beside.append(self.entity_at(token.head))
            beside += [self.entity_at(t) for t in name_parts(token, depth=1) if t.i <= token.i + 3]
            beside.append(self.name_set_after(token))
            entity = next(filter(None, beside), None)
            if entity:
                found.append((token.i, lemma_of(token), entity))
        return found

    def described(self, token: Token) -> Entity | None:
        """The entity last described by the same noun before this token ("la filiale" after "X, la
        filiale de Y"); a noun said of many companies ("le groupe") only from its sentence or the one before:
        further on, "le groupe" is the company the passage is about, not "le groupe laitier X" named in passing."""
        since = self.sentence_start_before(token, 1) if lemma_of(token) in word_set("coreference", "generic") else 0
        earlier = [e for i, noun, e in self.descriptions if since <= i < token.i and noun == lemma_of(token)]
        return earlier[-1] if earlier else None

    def as_first_used(self, token: Token, label: str) -> Entity | None:
        """"a annoncé l'électricien public … L'électricien a annoncé": a telling description (not "le groupe")
        stands for the entity it stood for where the article first used it as a subject, in an earlier sentence
        (an object, "sa participation dans l'éditeur", is too loosely tied to be followed)."""
        if lemma_of(token) in word_set("coreference", "generic"):
            return None
        first = next((t for t in self.doc[:token.sent.start] if t.pos_ == "NOUN" and lemma_of(t) == lemma_of(token)
                      and is_definite(t) and not self.entity_at(t)), None)
        if first is None or not (first.dep_ in SUBJECT_DEPS or is_inverted_speaker(first)):
            return None
        return self.antecedent(first, (label,), description=True)

    def represented(self, token: Token) -> Entity | None:
        """"un porte-parole de Globex", "le PDG de X", "son directeur financier": the organisation the
        speaker speaks for."""
        if not matches_word(token, word_set("spokesperson_heads")):
            return None
        if any(c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in token.children):
            return self.previous_subject(token)
        owners = (c for c in token.children if c.dep_ == "nmod" and has_case(c) and c.i > token.i)
        return next(filter(None, (self.named(c) or self.described_company(c) for c in owners)), None)

    def described_company(self, token: Token) -> Entity | None:
        """"un porte-parole du groupe": the company a definite noun refers back to."""
        if is_definite(token) and lemma_of(token) in word_set("coreference", "ORG"):
            found = self.resolve(token)
            return found if found is not None and found.label == "ORG" else None
        return None

    def employer(self, person: Ref) -> Entity | None:
        """The organisation a person is said to speak for, by the title set beside one of its names ("le
        directeur financier de X, Marc Dupont", "Marc Dupont, PDG de X"): the parser seldom links the two."""
        for entity in self.entities:
            span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if entity.id != person.id or entity.label != "PER" or span is None:
                continue
            sent = span.sent
            before = range(max(sent.start, span.start - TITLE_REACH), span.start)
            after = range(span.end, min(sent.end, span.end + 3))
            titles = [self.doc[i] for i in [*reversed(before), *after]
                      if matches_word(self.doc[i], word_set("spokesperson_heads"))]
            found = next(filter(None, (self.represented(t) for t in titles)), None)
            if found is not None and found.label == "ORG":
                return found
        return None

    def described_outlet(self, token: Token) -> Entity | None:
        """"le quotidien", "le journal de Lille": the outlet last named before the token."""
        if not (matches_word(token, word_set("coreference", "OUTLET")) and is_definite(token)):
            return None
        outlets = [e for e in self.entities if e.end <= token.idx and is_outlet(e)]
        return outlets[-1] if outlets else None

    def subjects_in_order(self) -> list[tuple[int, Entity]]:
        """(token index, entity) of every grammatical subject that names or refers to an entity."""
        self.subjects: list[tuple[int, Entity]] = []
        for token in self.doc:
            if token.dep_ in SUBJECT_DEPS or (token.dep_ == "expl:subj" and self.entity_at(token)) or \
                    self.opens_clause_before_verb(token):
                entity = self.resolve(token)
                if entity and not is_outlet(entity):
                    self.subjects.append((token.i, entity))
        return self.subjects

    def opens_clause_before_verb(self, token: Token) -> bool:
        """A name that opens its sentence, right before its verb ("Acme aurait acheté …"): its subject,
        even where the parser, not knowing the name, gave it another role."""
        entity = self.entity_at(token)
        if entity is None or token.i != token.sent.start:
            return False
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        after = span.end if span is not None else token.i + 1
        return after < len(self.doc) and self.doc[after].pos_ in ("VERB", "AUX")

    def antecedent(self, token: Token, labels: tuple[str, ...], *, description: bool = False) -> Entity | None:
        """What an anaphor refers to: a subject before it in its sentence; for an anaphor that does not
        open its sentence, an entity named before it there (a pronoun the last; a description, "le
        groupe", the first: the sentence's protagonist, not the partner named after it); else the last
        subject of the previous two sentences; else the entity of that kind mentioned most (and last) before."""
        sent_start = token.sent.start
        own = self.own_subject(token) if is_pronoun(token) else None  # "X lui achète": "lui" is not X
        in_sentence = [e for i, e in self.subjects if sent_start <= i < token.i and e.label in labels and e is not own]
        if in_sentence:
            return in_sentence[-1]
        named_before = [e for e in self.mentioned_between(sent_start, token.i, labels) if e is not own]
        if named_before:  # "selon un communiqué de X, le groupe …", "… tandis que le groupe chinois …"
            return named_before[0] if description else named_before[-1]
        if description and opens_a_paragraph(token.sent) and lemma_of(token) in word_set("coreference", "generic"):
            # a new paragraph's "La société" is the company the article is about: its lede's subject
            lede = next((e for i, e in self.subjects if i < sent_start and e.label in labels), None)
            return lede or most_frequent(self.mentioned_between(0, sent_start, labels))
        window_start = self.sentence_start_before(token, LOOKBACK_SENTENCES)
        recent = [e for i, e in self.subjects if window_start <= i < sent_start and e.label in labels and e is not own]
        if recent:
            return recent[-1]
        return most_frequent(self.mentioned_between(0, sent_start, labels))

    def own_subject(self, pronoun: Token) -> Entity | None:
        """The entity that is the subject of an object pronoun's own verb: a pronoun never stands for it."""
        if pronoun.dep_ in SUBJECT_DEPS:
            return None
        subject = next((c for c in pronoun.head.children if c.dep_ in SUBJECT_DEPS and c.i != pronoun.i), None)
        return self.named(subject) or self.resolve(subject) if subject is not None and not is_pronoun(subject) else None

    def mentioned_between(self, start: int, end: int, labels: tuple[str, ...]) -> list[Entity]:
        """Entities of the given labels (outlets excepted) mentioned in tokens [start, end), in order."""
        found: list[Entity] = []
        for i in range(max(start, 0), end):
            entity = self.by_token.get(i)
            if entity and entity.label in labels and not is_outlet(entity) and (not found or found[-1] is not entity):
                found.append(entity)
        return found

    def sentence_start_before(self, token: Token, count: int) -> int:
        """Index of the first token of the sentence `count` sentences before the token's."""
        sent: Span = token.sent
        for _ in range(count):
            if sent.start == 0:
                break
            sent = self.doc[sent.start - 1].sent
        return sent.start

    def previous_subject(self, token: Token) -> Entity | None:
        """What a possessive ("son investissement") points to: the subject of a clause above it ("X
        s'apprête à porter sa participation", "X continue, bien que son investissement …"), else the
        last entity named before it in its sentence, else the main subject of a previous sentence."""
        for verb in token.ancestors:
            for subject in (c for c in verb.children if c.dep_ in SUBJECT_DEPS + ("expl:subj",) and c.i < token.i):
                entity = self.resolve(subject) if subject.dep_ != "expl:subj" else self.entity_at(subject)
                if entity and not is_outlet(entity):
                    return entity
        named_before = self.mentioned_between(token.sent.start, token.i, SPEAKER_LABELS)
        if named_before:
            return named_before[-1]
        main = [e for i, e in self.subjects if i < token.sent.start and self.doc[i].head.dep_ == "ROOT"]
        return main[-1] if main else None

    def most_mentioned(self, excluding: set[str]) -> Entity | None:
        """The article's most mentioned organisation that is not excluded (what a table is about)."""
        counts: dict[str, list[Entity]] = {}
        for entity in self.entities:
            if entity.label == "ORG" and not is_outlet(entity) and entity.id not in excluding:
                counts.setdefault(entity.id, []).append(entity)
        return max(counts.values(), key=len)[0] if counts else None


def companies_named_after_places(entities: list[Entity], text: str) -> list[Entity]:
    """"Altice France", "Orange Belgique": a company name followed by a place is one company (the
    gazetteer would otherwise make "France" a place of its own, and the subject of the sentence)."""
    merged: list[Entity] = []
    for entity in entities:
        previous = merged[-1] if merged else None
        if previous and previous.label in ("ORG", "MISC") and entity.label == "LOC" and \
                text[previous.end:entity.start] == " ":
            name = text[previous.start:entity.end]
            merged[-1] = Entity(text=name, label="ORG", start=previous.start, end=entity.end, id=slug(name))
        else:
            merged.append(entity)
    return merged


def opens_a_paragraph(sent: Span) -> bool:
    """The sentence is the first of its paragraph (after a blank line or at the start)."""
    text = doc_text(sent.doc)
    return "\n" in text[max(0, sent.start_char - 3):sent.start_char] or not text[:sent.start_char].strip()


def name_parts(token: Token, depth: int = 2):
    """Dependents after the token, down to `depth`, that no preposition introduces (apposed names);
    a plural noun ("des sources …, X achèterait") names no one by a conjunct."""
    plural = "Plur" in token.morph.get("Number")
    for child in token.children:
        apposed = child.i > token.i and child.dep_ in NAME_PARTS and not has_case(child)
        if apposed and not (plural and child.dep_ == "conj"):
            yield child
            if depth > 1:
                yield from name_parts(child, depth - 1)


def most_frequent(entities: list[Entity]) -> Entity | None:
    """The entity mentioned most often in the list; among equals, the one mentioned last."""
    if not entities:
        return None
    counts: dict[str, int] = {}
    for entity in entities:
        counts[entity.id] = counts.get(entity.id, 0) + 1
    return max(reversed(entities), key=lambda e: counts[e.id])


def looks_like_a_bare_name(token: Token) -> bool:
    """A capitalised noun with no determiner that is no word of the lexicon ("Bolloré", not "Investisseurs")."""
    return token.pos_ in ("PROPN", "NOUN", "X") and token.is_alpha and token.text[:1].isupper() \
        and not any(c.dep_ == "det" for c in token.children) and len(token.text) > 1 \
        and not any(lemma_of(token) in word_set("coreference", kind) for kind in ("ORG", "PER", "pronouns"))


def is_inverted_speaker(token: Token) -> bool:
    """", a annoncé l'électricien": the subject of a reporting verb, after it (parsed as its object)."""
    return token.dep_ == "obj" and token.head.i < token.i and matches_word(token.head, word_set("reporting_verbs"))


def is_pronoun(token: Token) -> bool:
    """"il", "elle", "-t-il", "lui": a personal pronoun that refers back (not the impersonal "il")."""
    word = normal(token.text).lstrip("-")
    return word in word_set("coreference", "pronouns") and token.pos_ in ("PRON", "") and \
        (token.dep_ not in ("expl", "expl:comp", "expl:pass") or word == "lui")  # "lui" is never expletive


def has_case(token: Token) -> bool:
    """The noun is introduced by a preposition ("de X", "à X")."""
    return any(c.dep_ == "case" for c in token.children)


def is_definite(token: Token) -> bool:
    """The noun has a definite or demonstrative determiner ("le groupe", "cette société", "du groupe")."""
    determiners = [c for c in token.children if c.dep_ in ("det", "case") and c.i < token.i]
    if not determiners and token.i > 0:
        determiners = [token.nbor(-1)]
    return any(normal(d.text) in DEFINITE or "Def" in d.morph.get("Definite") or "Dem" in d.morph.get("PronType")
               for d in determiners)
