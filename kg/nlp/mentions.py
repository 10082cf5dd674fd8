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

from kg.model import Entity, Ref
from kg.nlp.entities import gazetteer
from kg.nlp.lexicon import lemma_of, normal, word_set

SUBJECT_DEPS = ("nsubj", "nsubj:pass")
NAME_PARTS = ("appos", "flat", "flat:name", "compound", "fixed", "nmod", "dep", "amod", "conj")
SPEAKER_LABELS = ("PER", "ORG")
LOOKBACK_SENTENCES = 3
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
        self.entities = sorted(entities, key=lambda e: e.start)
        self.by_token: dict[int, Entity] = {}
        for entity in self.entities:
            span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
            for token in span or ():
                self.by_token.setdefault(token.i, entity)
        self.subjects = self.subjects_in_order()

    def entity_at(self, token: Token) -> Entity | None:
        return self.by_token.get(token.i)

    def named(self, token: Token) -> Entity | None:
        """The entity the token is part of, or the name set beside it ("le géant chinois Tencent")."""
        found = self.entity_at(token)
        if found:
            return found
        if token.pos_ not in ("NOUN", "PROPN", "X", ""):
            return None
        parts = (c for c in token.children if c.dep_ in NAME_PARTS and c.i > token.i and not has_case(c))
        return next(filter(None, (self.entity_at(c) for c in parts)), None)

    def resolve(self, token: Token, *, speaker: bool = False) -> Entity | None:
        """The entity a token names or refers back to (pronoun, definite company/person noun).

        A speaker pronoun ("a-t-il déclaré") prefers a person: companies rarely speak as "il".
        """
        named = self.named(token)
        if named:
            return named
        word = normal(token.text).lstrip("-")
        if (word in word_set("coreference", "pronouns") or lemma_of(token) in word_set("coreference", "pronouns")) \
                and token.dep_ not in ("expl", "expl:comp") and token.pos_ in ("PRON", ""):
            return self.antecedent(token, ("PER",) if speaker else SPEAKER_LABELS) or \
                (self.antecedent(token, SPEAKER_LABELS) if speaker else None)
        for label in ("ORG", "PER"):
            if lemma_of(token) in word_set("coreference", label) and is_definite(token):
                return self.noun_antecedent(token, label)
        return None

    def subjects_in_order(self) -> list[tuple[int, Entity]]:
        """(token index, entity) of every grammatical subject that names or refers to an entity."""
        self.subjects: list[tuple[int, Entity]] = []
        for token in self.doc:
            if token.dep_ in SUBJECT_DEPS:
                entity = self.resolve(token)
                if entity and not is_outlet(entity):
                    self.subjects.append((token.i, entity))
        return self.subjects

    def antecedent(self, token: Token, labels: tuple[str, ...]) -> Entity | None:
        """What a pronoun refers to: the last subject of the right kind in the previous sentences,
        else the last entity of that kind mentioned before."""
        sent_start = token.sent.start
        window_start = self.sentence_start_before(token, LOOKBACK_SENTENCES)
        subjects = [e for i, e in self.subjects if window_start <= i < sent_start and e.label in labels]
        if subjects:
            return subjects[-1]
        earlier = self.mentioned_between(0, sent_start, labels) or self.mentioned_between(sent_start, token.i, labels)
        return earlier[-1] if earlier else None

    def noun_antecedent(self, token: Token, label: str) -> Entity | None:
        """What "le groupe" refers to: an entity named earlier in the same sentence when the noun is not
        the sentence's subject ("l'action X …, portant la capitalisation du groupe"), else the last one
        mentioned in the previous sentences."""
        same_sentence = self.mentioned_between(token.sent.start, token.i, (label,))
        if same_sentence and token.dep_ not in SUBJECT_DEPS:
            return same_sentence[-1]
        earlier = self.mentioned_between(0, token.sent.start, (label,))
        return earlier[-1] if earlier else (same_sentence[-1] if same_sentence else None)

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
        """What a possessive ("son investissement") points to: the subject before it in its sentence,
        else the last entity named before it in the sentence, else the last subject before."""
        in_sentence = [e for i, e in self.subjects if token.sent.start <= i < token.i]
        if in_sentence:
            return in_sentence[-1]
        named_before = self.mentioned_between(token.sent.start, token.i, SPEAKER_LABELS)
        if named_before:
            return named_before[-1]
        before = [e for i, e in self.subjects if i < token.i]
        return before[-1] if before else None

    def most_mentioned(self, excluding: set[str]) -> Entity | None:
        """The article's most mentioned organisation that is not excluded (what a table is about)."""
        counts: dict[str, list[Entity]] = {}
        for entity in self.entities:
            if entity.label == "ORG" and not is_outlet(entity) and entity.id not in excluding:
                counts.setdefault(entity.id, []).append(entity)
        return max(counts.values(), key=len)[0] if counts else None


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
