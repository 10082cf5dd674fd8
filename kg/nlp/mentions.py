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

from functools import cached_property

from spacy.tokens import Doc, Span, Token

from kg.model import Entity, Ref
from kg.nlp.entities import gazetteer
from kg.nlp.lexicon import lemma_of, word_set

SUBJECT_DEPS = ("nsubj", "nsubj:pass")
NAME_PARTS = ("appos", "flat", "flat:name", "compound", "fixed")
SPEAKER_LABELS = ("PER", "ORG")
LOOKBACK_SENTENCES = 3


def ref_of(entity: Entity) -> Ref:
    return Ref(text=entity.text, id=entity.id)


def is_outlet(entity: Entity) -> bool:
    """News outlets cite; they are never the subject or object of a business relation."""
    known = gazetteer().get(entity.id)
    return bool(known and known.outlet)


class Mentions:
    """The entities of one Doc, found by token, and the antecedents of anaphoric words."""

    def __init__(self, doc: Doc, entities: list[Entity]):
        self.doc = doc
        self.entities = sorted(entities, key=lambda e: e.start)
        self.by_token: dict[int, Entity] = {}
        for entity in self.entities:
            span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
            for token in span or ():
                self.by_token.setdefault(token.i, entity)

    def entity_at(self, token: Token) -> Entity | None:
        return self.by_token.get(token.i)

    def named(self, token: Token) -> Entity | None:
        """The entity the token is part of, or one its name parts (appos, flat) spell."""
        found = self.entity_at(token)
        if found:
            return found
        parts = (c for c in token.children if c.dep_ in NAME_PARTS)
        return next(filter(None, (self.entity_at(c) for c in parts)), None)

    def resolve(self, token: Token) -> Entity | None:
        """The entity a token names or refers back to (pronoun, definite company/person noun)."""
        named = self.named(token)
        if named:
            return named
        word = lemma_of(token)
        if word in word_set("coreference", "pronouns") and token.dep_ not in ("expl", "expl:comp"):
            return self.antecedent(token, SPEAKER_LABELS)
        for label in ("ORG", "PER"):
            if word in word_set("coreference", label) and is_definite(token):
                return self.antecedent(token, (label,), subjects_first=False)
        return None

    @cached_property
    def subjects(self) -> list[tuple[int, Entity]]:
        """(token index, entity) of every grammatical subject that is a named entity, in order."""
        found = []
        for token in self.doc:
            entity = self.named(token) if token.dep_ in SUBJECT_DEPS else None
            if entity and not is_outlet(entity):
                found.append((token.i, entity))
        return found

    def antecedent(self, token: Token, labels: tuple[str, ...], *, subjects_first: bool = True) -> Entity | None:
        """The last entity of the right kind before the token's sentence (recent subjects first)."""
        sent_start = token.sent.start
        if subjects_first:
            window_start = self.sentence_start_before(token, LOOKBACK_SENTENCES)
            subjects = [e for i, e in self.subjects if window_start <= i < sent_start and e.label in labels]
            if subjects:
                return subjects[-1]
        earlier = self.mentioned_between(0, sent_start, labels) or self.mentioned_between(sent_start, token.i, labels)
        return earlier[-1] if earlier else None

    def mentioned_between(self, start: int, end: int, labels: tuple[str, ...]) -> list[Entity]:
        """Entities of the given labels (outlets excepted) mentioned in tokens [start, end)."""
        seen, found = set(), []
        for i in range(start, end):
            entity = self.by_token.get(i)
            if entity and entity.label in labels and not is_outlet(entity) and id(entity) not in seen:
                seen.add(id(entity))
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
        """What a possessive ("son investissement") points to: the last subject before it."""
        before = [e for i, e in self.subjects if i < token.i]
        in_sentence = [e for i, e in self.subjects if token.sent.start <= i < token.i]
        if in_sentence:
            return in_sentence[-1]
        named_before = self.mentioned_between(token.sent.start, token.i, ("ORG", "PER"))
        return named_before[-1] if named_before else (before[-1] if before else None)

    def most_mentioned(self, excluding: set[str]) -> Entity | None:
        """The article's most mentioned organisation that is not excluded (what a table is about)."""
        counts: dict[str, list[Entity]] = {}
        for entity in self.entities:
            if entity.label == "ORG" and not is_outlet(entity) and entity.id not in excluding:
                counts.setdefault(entity.id, []).append(entity)
        if not counts:
            return None
        return max(counts.values(), key=len)[0]


def is_definite(token: Token) -> bool:
    """The noun has a definite or demonstrative determiner ("le groupe", "cette société")."""
    determiners = [c for c in token.children if c.dep_ == "det"] or ([token.nbor(-1)] if token.i > 0 else [])
    return any(lemma_of(d) in ("le", "la", "l'", "ce", "cette", "cet") or "Def" in d.morph.get("Definite")
               or "Dem" in d.morph.get("PronType") for d in determiners)

