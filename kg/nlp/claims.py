"""Sourced claims: who says what about whom, with which figure, citing whom, how sure, when, where.

Per sentence: a trigger word of the lexicon names the relation ("investissement" →
invests_in); the amount that fits the relation's unit and sits closest to the trigger in
the dependency tree is its figure; the grammatical subject (or the owner "de X" / "son")
is the subject, a "dans/avec/auprès de X" the object. Sources, modality and date come
from kg/nlp/sources.py, modality.py and dates.py; a denial becomes a claim of its own
that names the claims it denies. Markdown table rows are claims too (kg/nlp/tables.py).

>>> import spacy
>>> from kg.model import Article
>>> from kg.nlp.pipeline import build_pipeline, extraction_of
>>> nlp = build_pipeline(model=None)
>>> article = Article(id="a", text="Selon Reuters, Nvidia prépare un investissement de 5 milliards de dollars dans OpenAI.")
>>> [(c.id, c.subject.id, c.relation, c.object.id, c.amount.text, c.source.id, c.modality)
...  for c in extraction_of(nlp(article.text), article).claims]
[('a-c1', 'nvidia', 'invests_in', 'openai', '5 milliards de dollars', 'reuters', 'reported')]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span, Token

from kg.model import Amount, Article, Claim, Entity, Ref
from kg.nlp.dates import date_of
from kg.nlp.lexicon import lemma_of, lexicon, matches_word, normal, phrase_at, phrases, split_words, word_set
from kg.nlp.mentions import Mentions, is_outlet, ref_of
from kg.nlp.modality import denial_cue, is_negated, modality_of
from kg.nlp.sources import paragraph_sources, quote_in, sentence_sources, speaker_of
from kg.nlp.tables import Row, Table, markdown_tables, row_amounts

CLIMB_DEPS = ("obj", "obl", "obl:arg", "obl:mod", "obl:agent", "nmod", "xcomp", "advcl", "conj", "acl", "appos", "nsubj", "nsubj:pass")
OBJECT_WINDOW = 12
FAR = 99


@dataclass(frozen=True)
class Trigger:
    relation: str
    token: Token


@dataclass
class Unit:
    """A stretch of text that yields claims: a prose sentence, or a table row with its table."""

    start: int
    end: int
    sent: Span | None = None
    row: Row | None = None
    table: Table | None = None
    claims: list[Claim] = field(default_factory=list)


@cache
def relations() -> dict[str, dict]:
    return {name: spec for name, spec in lexicon()["relations"].items() if not name.startswith("_")}


def fits(relation: str, amount: Amount) -> bool:
    """The amount's unit is one the relation takes (a currency for money relations, GW for capacity…).

    >>> fits("capacity", Amount("10 GW", 0, 5, 1e10, None, None, "exact", "GW")), fits("invests_in", Amount("10 GW", 0, 5, 1e10, None, None, "exact", "GW"))
    (True, False)
    """
    units = relations()[relation]["units"]
    if units == "currency":
        return bool(amount.unit) and len(amount.unit) == 3 and amount.unit.isupper() and amount.unit.isalpha()
    return amount.unit in units


# -- triggers ------------------------------------------------------------------------------

def triggers_in(tokens: list[Token]) -> list[Trigger]:
    """Every (relation, word) the lexicon recognises in the tokens, in text order."""
    found = []
    for relation in relations():
        lemmas = word_set("relations", relation, "lemmas")
        found += [Trigger(relation, t) for t in tokens if matches_word(t, lemmas) and t.pos_ not in ("ADP", "DET", "PRON")]
        for i in range(len(tokens)):
            found += [Trigger(relation, phrase_head(tokens[i:i + len(p)]))
                      for p in phrases("relations", relation, "phrases") if phrase_at(tokens, i, p)]
    return sorted(set(found), key=lambda t: (t.token.i, t.relation))


def phrase_head(tokens: list[Token]) -> Token:
    """The word of a phrase that carries it in the parse (its first noun or verb)."""
    return next((t for t in tokens if t.pos_ in ("NOUN", "VERB")), tokens[0])


def tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the dependency tree (FAR without a parse)."""
    up_a = {t.i: n for n, t in enumerate([a, *a.ancestors])}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in up_a:
            return up_a[t.i] + n
    return FAR


# -- the reader ------------------------------------------------------------------------------

class ClaimReader:
    """Reads one Doc's claims in text order, numbering them and linking denials as it goes."""

    def __init__(self, doc: Doc, article: Article, entities: list[Entity], amounts: list[Amount]):
        self.doc, self.article, self.amounts = doc, article, amounts
        self.mentions = Mentions(doc, entities)
        self.claims: list[Claim] = []
        self.parsed = doc.has_annotation("DEP")

    def read(self) -> list[Claim]:
        for unit in self.units():
            unit.claims = self.row_claims(unit) if unit.row else self.sentence_claims(unit.sent)
            for claim in unit.claims:
                claim.id = f"{self.article.id}-c{len(self.claims) + 1}"
                self.claims.append(claim)
        return self.claims

    def units(self) -> list[Unit]:
        """Prose sentences and table rows, in text order; table lines are never read as prose."""
        tables = markdown_tables(self.doc.text)
        rows = [Unit(r.start, r.end, row=r, table=t) for t in tables for r in t.rows]
        table_spans = [(t.start, t.end) for t in tables]
        sentences = [Unit(*trimmed(s), sent=s) for s in self.doc.sents if is_prose(s)
                     and not any(a < s.end_char and s.start_char < b for a, b in table_spans)]
        return sorted(rows + sentences, key=lambda u: u.start)

    # -- sentences

    def sentence_claims(self, sent: Span) -> list[Claim]:
        cue = denial_cue(sent)
        claims = [self.claim(sent, trigger, subject, obj, amount, denied=cue is not None)
                  for trigger, subject, obj, amount in self.readings(sent)]
        if cue is not None:
            claims = self.denial(sent, cue, claims) + claims
        self.attribute_back(sent)
        return sorted(claims, key=lambda c: c.start)

    def readings(self, sent: Span) -> list[tuple[Trigger, Entity, Entity | None, Amount | None]]:
        """(trigger, subject, object, amount) of each claim the sentence makes."""
        triggers = triggers_in(list(sent))
        found, used = [], set()
        for amount in self.amounts_in(sent):
            best = self.best_reading(triggers, amount)
            if best:
                found.append(best)
                used.add(best[0].token.i)
        for trigger in triggers:
            if trigger.token.i not in used and self.amountless_ok(trigger):
                reading = self.reading(trigger, None)
                found += [reading] if reading and reading[2] else []
                used.add(trigger.token.i)
        return unique_readings(found)

    def amounts_in(self, sent: Span) -> list[Amount]:
        start, end = trimmed(sent)
        return [a for a in self.amounts if start <= a.start and a.end <= end]

    def best_reading(self, triggers: list[Trigger], amount: Amount):
        """The reading of the fitting trigger closest to the amount (tree first, then words)."""
        head = self.amount_head(amount)
        candidates = [t for t in triggers if fits(t.relation, amount)]
        candidates.sort(key=lambda t: (tree_distance(t.token, head), abs(t.token.i - head.i)))
        for trigger in candidates:
            reading = self.reading(trigger, amount)
            if reading:
                return reading
        return None

    def amount_head(self, amount: Amount) -> Token:
        span = self.doc.char_span(amount.start, amount.end, alignment_mode="expand")
        return span.root

    def reading(self, trigger: Trigger, amount: Amount | None):
        subject = self.subject_of(trigger)
        if subject is None:
            return None
        obj = self.object_of(trigger, subject) if relations()[trigger.relation]["needs_object"] else None
        return trigger, subject, obj, amount

    def amountless_ok(self, trigger: Trigger) -> bool:
        """Without a figure, only a plain statement of a transaction between two entities is a claim."""
        return trigger.relation in lexicon()["amountless_relations"] and \
            matches_word(trigger.token, word_set("amountless_triggers"))

    # -- subject and object

    def subject_of(self, trigger: Trigger) -> Entity | None:
        """The entity that does what the trigger says, or None."""
        token = trigger.token
        if "subject_nouns" in relations()[trigger.relation]:
            return self.stock_subject(token)
        if not self.parsed:
            return self.usable(self.mentions.previous_subject(token) or self.name_before(token))
        owner = self.owner_of(token) if token.pos_ in ("NOUN", "PROPN") else None
        return owner or self.clause_subject(token)

    def usable(self, entity: Entity | None) -> Entity | None:
        """Outlets cite; they never take part in a business relation."""
        return entity if entity and not is_outlet(entity) else None

    def name_before(self, token: Token) -> Entity | None:
        names = self.mentions.mentioned_between(token.sent.start, token.i, ("ORG", "PER", "MISC"))
        return names[-1] if names else None

    def owner_of(self, noun: Token) -> Entity | None:
        """"son investissement" → the previous subject; "l'investissement de X" → X."""
        for child in noun.children:
            if child.dep_ == "det" and ("Yes" in child.morph.get("Poss") or lemma_of(child) in ("son", "sa", "ses", "leur", "leurs")):
                return self.usable(self.mentions.previous_subject(noun))
            if child.dep_ == "nmod" and case_of(child) in ("de", "d'", "du", "des"):
                entity = self.usable(self.mentions.resolve(child))
                if entity:
                    return entity
        return None

    def clause_subject(self, token: Token) -> Entity | None:
        """The subject (or "par X" agent) of the trigger's clause, climbing to the verb that has one."""
        while True:
            agent = next((c for c in token.children if c.dep_ == "obl:agent" or (c.dep_ == "obl" and case_of(c) == "par")), None)
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
            if agent is not None and (subject is None or subject.dep_ == "nsubj:pass"):
                return self.usable(self.mentions.resolve(agent))
            if subject is not None:
                return self.subject_entity(subject)
            if token.dep_ not in CLIMB_DEPS or token.head.i == token.i:
                return None
            token = token.head

    def subject_entity(self, subject: Token) -> Entity | None:
        """The entity a subject word stands for; "qui" stands for the noun its clause qualifies."""
        if lemma_of(subject) == "qui" and subject.head.dep_.startswith("acl"):
            subject = subject.head.head
        if matches_word(subject, word_set("relations", "stock_move", "subject_nouns")):
            return None
        return self.usable(self.mentions.resolve(subject))

    def stock_subject(self, token: Token) -> Entity | None:
        """Whose share moves: the entity attached to "action"/"titre" ("l'action Nvidia", "le titre de X")."""
        nouns = [t for t in token.sent if matches_word(t, word_set("relations", "stock_move", "subject_nouns"))]
        for noun in nouns:
            for t in self.doc[noun.i + 1:min(noun.i + 4, noun.sent.end)]:
                entity = self.usable(self.mentions.resolve(t))
                if entity:
                    return entity
        return None

    def object_of(self, trigger: Trigger, subject: Entity) -> Entity | None:
        """The other party: a dependent introduced by one of the relation's prepositions, the verb's
        object, or the first such "dans/avec/auprès de X" after the trigger."""
        cases = relations()[trigger.relation]["object_cases"]
        token = trigger.token
        for child in token.children:
            entity = self.other(child, subject)
            if entity and (case_of(child) in cases or child.dep_ == "obj"):
                return entity
        return self.object_after(token, subject, cases) or self.verb_object(token.sent, subject)

    def verb_object(self, sent: Span, subject: Entity) -> Entity | None:
        """Failing a preposition, the direct object of the sentence's verb ("continue de soutenir X, bien que
        son investissement …")."""
        objects = [t for t in sent if t.dep_ in ("obj", "obl:arg") and t.head.pos_ == "VERB" and not case_of(t)]
        return next(filter(None, (self.other(t, subject) for t in objects)), None)

    def other(self, token: Token, subject: Entity) -> Entity | None:
        entity = self.usable(self.mentions.resolve(token))
        return entity if entity and entity.id != subject.id else None

    def object_after(self, trigger: Token, subject: Entity, cases: list[str]) -> Entity | None:
        """The first entity after the trigger that one of the relation's prepositions introduces."""
        case_words = [split_words(normal(c)) for c in cases]
        end = min(trigger.i + OBJECT_WINDOW, trigger.sent.end)
        for token in self.doc[trigger.i + 1:end]:
            entity = self.other(token, subject)
            if entity and self.mentions.entity_at(token) and starts_entity(token, entity) and \
                    any(preceded_by(token, words) for words in case_words):
                return entity
        return None

    # -- building claims

    def claim(self, sent: Span, trigger: Trigger, subject: Entity, obj: Entity | None, amount: Amount | None,
              *, denied: bool) -> Claim:
        chain = self.sources(sent)
        start, end = trimmed(sent)
        return Claim(
            id="", subject=ref_of(subject), relation=trigger.relation, object=ref_of(obj) if obj else None,
            amount=amount, source=chain[0] if chain else None, source_chain=chain,
            modality=modality_of(sent, trigger.token, sources=chain, denied=denied),
            polarity="negative" if denied or is_negated(trigger.token) else "positive",
            quote=quote_in(sent) if chain else None, sentence=self.doc.text[start:end], start=start, end=end,
            date=date_of(self.doc.text[start:end], self.article.published),
        )

    def sources(self, sent: Span) -> list[Ref]:
        """The source chain: the paragraph's source note, then who the sentence cites."""
        chain = paragraph_sources(sent, self.mentions)
        for ref in sentence_sources(sent, self.mentions):
            if not any((ref.id and ref.id == known.id) or ref.text == known.text for known in chain):
                chain.append(ref)
        return chain

    # -- denials

    def denial(self, sent: Span, cue: Token, claims_here: list[Claim]) -> list[Claim]:
        """The claim "X denies …" with the ids of the earlier claims it denies."""
        denier = self.denier(sent, cue)
        if denier is None:
            return []
        denied = self.denied_claims(sent, denier)
        if not denied and claims_here:
            return []
        obj = denied[0].subject if denied else None
        start, end = trimmed(sent)
        chain = paragraph_sources(sent, self.mentions) + [denier]
        return [Claim(
            id="", subject=denier, relation="denies", object=obj, amount=None, source=chain[0],
            source_chain=chain, modality="denied", polarity="negative", quote=quote_in(sent),
            sentence=self.doc.text[start:end], start=start, end=end,
            date=date_of(self.doc.text[start:end], self.article.published), denies=[c.id for c in denied],
        )]

    def denier(self, sent: Span, cue: Token) -> Ref | None:
        """Who denies: the subject of the denial verb, else the sentence's first named speaker."""
        speaker = speaker_of(cue, self.mentions) if cue.pos_ in ("VERB", "") else None
        if speaker and speaker.id:
            return speaker
        named = [r for r in sentence_sources(sent, self.mentions) if r.id]
        return named[0] if named else None

    def denied_claims(self, sent: Span, denier: Ref) -> list[Claim]:
        """The most recent earlier claims about the same subject, not the denier's own, that were
        reported or rumoured (or asserted): what "a démenti ces spéculations" points back to."""
        eligible = [c for c in self.claims if c.relation != "denies" and c.modality in ("rumor", "reported", "asserted")
                    and not same_ref(c.source, denier)]
        targets = {denier.id} | {e.id for t in sent if (e := self.mentions.entity_at(t)) and not is_outlet(e)}
        pool = [c for c in eligible if c.subject.id in targets] or eligible
        if speaks_of_claims(sent):
            pool = [c for c in pool if c.modality in ("rumor", "reported")] or pool
        if not pool:
            return []
        last = pool[-1]
        return [c for c in pool if c.start == last.start and c.subject == last.subject]

    def attribute_back(self, sent: Span) -> None:
        """"Ces rumeurs, relayées par X, …": X is the source of the previous sentence's unsourced claims."""
        if not refers_back_to_claims(sent):
            return
        named = [r for r in sentence_sources(sent, self.mentions) if r.id]
        previous = [c for c in self.claims if c.end <= sent.start_char and c.relation != "denies"]
        if not named or not previous:
            return
        for claim in (c for c in previous if c.start == previous[-1].start and not c.source_chain):
            claim.source, claim.source_chain = named[0], list(named)
            claim.modality = "reported" if claim.modality == "asserted" else claim.modality

    # -- tables

    def row_claims(self, unit: Unit) -> list[Claim]:
        """One claim per amount of a row whose first cell names an entity; the relation comes
        from the amount's column header."""
        subject = self.cell_entity(unit.row.cells[0]) if unit.row.cells else None
        if subject is None:
            return []
        claims = []
        for header, amount in row_amounts(unit.table, unit.row):
            relation = self.header_relation(header, amount)
            if relation:
                claims.append(self.row_claim(unit, subject, relation, amount))
        return claims

    def cell_entity(self, cell) -> Entity | None:
        span = self.doc.char_span(cell.start, cell.end, alignment_mode="expand")
        return next(filter(None, (self.usable(self.mentions.entity_at(t)) for t in span or ())), None)

    def header_relation(self, header, amount: Amount) -> str | None:
        span = self.doc.char_span(header.start, header.end, alignment_mode="expand")
        fitting = [t.relation for t in triggers_in(list(span or ())) if fits(t.relation, amount)]
        return fitting[0] if fitting else None

    def row_claim(self, unit: Unit, subject: Entity, relation: str, amount: Amount) -> Claim:
        """The row's claim; its object is what the article is about: the most mentioned entity
        that is not one of the table's rows."""
        parties = {e.id for row in unit.table.rows if row.cells and (e := self.cell_entity(row.cells[0]))}
        obj = self.mentions.most_mentioned(parties | {subject.id}) if relations()[relation]["needs_object"] else None
        row = unit.row
        return Claim(
            id="", subject=ref_of(subject), relation=relation, object=ref_of(obj) if obj else None, amount=amount,
            source=None, source_chain=[], modality="asserted", polarity="positive", quote=None,
            sentence=row.text, start=row.start, end=row.end, date=None,
        )


# -- helpers ---------------------------------------------------------------------------------

def claims_of(doc: Doc, article: Article, entities: list[Entity], amounts: list[Amount]) -> list[Claim]:
    """The claims of one processed article, ids f"{article.id}-c{n}" in text order."""
    return ClaimReader(doc, article, entities, amounts).read()


def trimmed(sent: Span) -> tuple[int, int]:
    """Character offsets of the sentence without the line breaks and spaces at its ends."""
    tokens = [t for t in sent if not t.is_space]
    if not tokens:
        return sent.start_char, sent.start_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def is_prose(sent: Span) -> bool:
    """A sentence that can state something: not a table line, and with a finite verb (or, without a
    tagger, ending like a sentence). Headings and bullet lists of topics have neither."""
    text = sent.text.strip()
    if not text or text.startswith("|"):
        return False
    if sent.doc.has_annotation("MORPH"):
        return any("Fin" in t.morph.get("VerbForm") for t in sent)
    return text[-1] in ".!?»)"


def case_of(token: Token) -> str:
    """The preposition that introduces a noun ("dans", "auprès de"), lower-case, or ""."""
    cases = [c for c in token.children if c.dep_ in ("case", "fixed") or (c.dep_ == "det" and c.i < token.i and normal(c.text) in ("du", "des"))]
    words = [normal(c.text) for c in cases if c.i < token.i]
    return " ".join(words[:2]) if len(words) > 1 and words[0] in ("auprès", "au") else (words[0] if words else "")


def preceded_by(token: Token, words: list[str]) -> bool:
    """The words right before the token (skipping one determiner) are `words`."""
    doc = token.doc
    for skip in (0, 1):
        start = token.i - skip - len(words)
        if start >= 0 and [normal(t.text) for t in doc[start:start + len(words)]] == words:
            return skip == 0 or doc[token.i - 1].pos_ in ("DET", "") and normal(doc[token.i - 1].text) in ("le", "la", "l'", "les")
        if words == ["de"] and start >= 0 and normal(doc[token.i - 1].text) in ("du", "d'", "des"):
            return True
    return False


def starts_entity(token: Token, entity: Entity) -> bool:
    return token.idx == entity.start


def same_ref(a: Ref | None, b: Ref | None) -> bool:
    return a is not None and b is not None and ((a.id is not None and a.id == b.id) or a.text == b.text)


def speaks_of_claims(sent: Span) -> bool:
    """The sentence names what it denies as reports ("ces spéculations", "ces hypothèses")."""
    nouns = word_set("modality", "claim_nouns") | word_set("modality", "rumor_nouns")
    return any(matches_word(t, nouns) for t in sent)


def refers_back_to_claims(sent: Span) -> bool:
    """"Ces rumeurs", "Ces informations": a demonstrative before a word for reports."""
    nouns = word_set("modality", "claim_nouns") | word_set("modality", "rumor_nouns")
    return any(matches_word(t, nouns) and t.i > sent.start and normal(t.nbor(-1).text) in ("ces", "cette", "ce", "cet")
               for t in sent)


def unique_readings(readings: list) -> list:
    """One reading per (subject, relation, object, amount) in a sentence."""
    seen, kept = set(), []
    for trigger, subject, obj, amount in readings:
        key = (subject.id, trigger.relation, obj.id if obj else None, (amount.start, amount.end) if amount else None)
        if key not in seen:
            seen.add(key)
            kept.append((trigger, subject, obj, amount))
    return kept
