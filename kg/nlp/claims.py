"""Sourced claims: who says what about whom, with which figure, citing whom, how sure, when, where.

Per sentence: a trigger word of the lexicon names the relation ("investissement" →
invests_in); the amount that fits the relation's unit and sits closest to the trigger in
the dependency tree is its figure; kg/nlp/roles.py finds the subject and the object;
kg/nlp/sources.py, modality.py and dates.py give the source chain, the modality and the
date. A denial is a claim of its own that lists the claims it denies; a sourced figure
that fits no relation is an "other" claim; Markdown table rows are claims too.

>>> from kg.model import Article
>>> from kg.nlp.pipeline import build_pipeline, extraction_of
>>> nlp = build_pipeline(model=None)
>>> article = Article(id="a", text="Selon AFP, Veolia investit 5 milliards de dollars dans Legrand.")
>>> [(c.id, c.subject.id, c.relation, c.object.id, c.amount.text, c.source.id, c.modality)
...  for c in extraction_of(nlp(article.text), article).claims]
[('a-c1', 'veolia', 'invests_in', 'legrand', '5 milliards de dollars', 'afp', 'reported')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, cached_property

from spacy.tokens import Doc, Span, Token

from kg.model import Amount, Article, Claim, Entity, Ref
from kg.nlp.dates import date_of
from kg.nlp.lexicon import inflected, lemma_of, lexicon, matches_word, matching, normal, phrase_matches, word_set
from kg.nlp.mentions import Mentions, is_definite, is_outlet, most_frequent, ref_of
from kg.nlp.modality import denial_cue, is_negated, modality_of
from kg.nlp.roles import (Roles, Trigger, case_of, currencies, fits, is_agent, phrase_head, preceded_by, relation_for,
                          relation_words, relations, relative_antecedent, relative_clause_of, tree_distance, triggers_in)
from kg.nlp.sources import (enclosed_sources, paragraph_sources, quote_in, reports_content, sentence_sources,
                             side_remark_sources, speaker_of)
from kg.nlp.amounts import unit_from_header
from kg.nlp.tables import Cell, Row, Table, markdown_tables, row_amounts
from kg.nlp.tokens import doc_text

SENTENCE_ENDS = tuple(".!»\"…:;)")  # not "?": a question asserts nothing
TOPIC_WINDOW = 3  # sentences back in which a claim's subject is still "the topic"
SELLER_WINDOW = 6  # words after a share bought in which "à Y" names its seller ("43 % du capital à la holding Y")
CONVERSION = re.compile(r"\s*\(\s*((soit|environ|près de|quelque|plus de)\s+)*$", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """What one claim of a sentence says, before its sources and modality are added."""

    trigger: Token
    relation: str
    subject: Ref
    object: Ref | None
    amount: Amount | None


@dataclass
class Unit:
    """A stretch of text that yields claims: a prose sentence, or a table row with its table."""

    start: int
    end: int
    sent: Span | None = None
    row: Row | None = None
    table: Table | None = None


def claims_of(doc: Doc, article: Article, entities: list[Entity], amounts: list[Amount]) -> list[Claim]:
    """The claims of one processed article, ids f"{article.id}-c{n}" in text order."""
    return ClaimReader(doc, article, entities, amounts).read()


class ClaimReader:
    """Reads one Doc's claims in text order, numbering them and linking denials as it goes."""

    def __init__(self, doc: Doc, article: Article, entities: list[Entity], amounts: list[Amount]):
        self.doc, self.article, self.amounts = doc, article, amounts
        self.mentions = Mentions(doc, entities)
        self.roles = Roles(self.mentions)
        self.claims: list[Claim] = []

    def read(self) -> list[Claim]:
        for unit in self.units():
            found = self.row_claims(unit) if unit.row else self.sentence_claims(unit.sent)
            for n, claim in enumerate(found, start=len(self.claims) + 1):
                claim.id = f"{self.article.id}-c{n}"
            for claim in found:
                claim.denies = [c.id for c in claim.denies]  # Claim objects until now: some had no id yet
            self.claims += found
        return self.claims

    def units(self) -> list[Unit]:
        """Prose sentences and table rows in text order, up to a comment section."""
        text = doc_text(self.doc)
        end = end_of_article(text)
        tables = markdown_tables(text[:end])
        rows = [Unit(r.start, r.end, row=r, table=t) for t in tables for r in t.rows]
        in_tables = [(t.start, t.end) for t in tables]
        sentences = [Unit(*trimmed(s), sent=s) for s in self.doc.sents if is_prose(s) and s.end_char <= end
                     and not any(a < s.end_char and s.start_char < b for a, b in in_tables)]
        return sorted(rows + sentences, key=lambda u: u.start)

    # -- sentences

    def sentence_claims(self, sent: Span) -> list[Claim]:
        cue = denial_cue(sent)
        chain = self.sources(sent)
        readings = self.readings(sent, chain)
        denier = self.denier(sent, cue) if cue is not None else self.negating_speaker(readings, chain)
        talks = self.denied_talks(sent, chain) if denier is None and cue is None else None
        denier, about = talks if talks else (denier, None)
        aside = [r for r in readings if cue is not None and in_another_relative_clause(r.trigger, cue)]
        claims = [self.claim(sent, reading, chain, None if reading in aside else denier,
                             own_words=talks is not None or is_negated(reading.trigger)) for reading in readings]
        if denier is not None:
            denied = [c for c, r in zip(claims, readings) if r not in aside]
            return self.denial(sent, denier, denied, about=about) + claims
        return claims or self.restated(sent, chain)

    def denied_talks(self, sent: Span, chain: list[Ref]) -> tuple[Ref, Ref | None] | None:
        """"« Aucune négociation n'est en cours avec Y », a déclaré X", "« Il n'y a jamais eu de discussions
        avec Y »": a named speaker who says there are no talks denies them, without a denial verb; the
        denier, and the party the talks would be with (named after the noun)."""
        speaker = named_speaker(chain)
        if speaker is None or quote_in(sent) is None:
            return None
        negations = word_set("modality", "negation_words")
        talks = [t for t in matching(list(sent), word_set("talks_nouns"))
                 if any(normal(w.text) in negations for w in self.doc[max(sent.start, t.i - 4):t.i + 2])]
        if not talks:
            return None
        after = self.mentions.mentioned_between(talks[0].i + 1, sent.end, ("ORG", "PER"))
        return speaker, next((ref_of(e) for e in after if e.id != speaker.id and not is_outlet(e)), None)

    def negating_speaker(self, readings: list[Reading], chain: list[Ref]) -> Ref | None:
        """"X n'a pas investi dans Y, a affirmé un porte-parole de X": a company (or its spokesperson)
        saying that it did not do something denies it."""
        negated = [r for r in readings if is_negated(r.trigger)]
        speakers = [ref for ref in chain if ref.id and not is_outlet(ref)]
        return speakers[0] if negated and speakers and any(r.subject.id == speakers[0].id for r in negated) else None

    def readings(self, sent: Span, chain: list[Ref]) -> list[Reading]:
        """One reading per amount that a trigger (or, failing one, a source) accounts for, then the
        plain transactions without a figure."""
        triggers = triggers_in(list(sent))
        found = [r for a in self.amounts_in(sent) for r in self.amount_readings(sent, triggers, a, chain)]
        found = self.with_co_investors(sent, self.gapped(found))
        used, with_figures = {r.trigger.i for r in found}, {r.subject for r in found}
        for trigger in triggers:
            if trigger.token.i not in used and self.amountless_ok(trigger):
                more = [r for r in self.readings_of(trigger, trigger.relation, None, topical=False, chain=chain)
                        if r.subject not in with_figures and (r.object or in_finite_clause(trigger.token) and chain)]
                found += more
                used |= {trigger.token.i} if more else set()
        return unique_readings(self.with_implied_objects(self.as_stakes(self.as_licence(sent, found))))

    def as_licence(self, sent: Span, readings: list[Reading]) -> list[Reading]:
        """"X a obtenu les droits de l'AX-1 de Y", "Y accorde à X une licence", "X a proposé un accord de
        licence à Y": a licence is a contract between the licensee (subject) and the licensor (object),
        with the deal's figure, not a purchase of the licensed product."""
        parties = self.licence_parties(sent)
        if parties is None:
            return readings
        (licensee, licensor), verb = parties
        deals = [r for r in readings if r.relation in ("contract_with", "buys_from")]
        figures = [a for a in dict.fromkeys(r.amount for r in deals) if a is not None]
        if not deals:
            used = {r.amount.start for r in readings if r.amount}
            figures = [a for a in self.amounts_in(sent) if a.start not in used and fits("contract_with", a)][:1]
        licence = [Reading(verb, "contract_with", ref_of(licensee), ref_of(licensor), a) for a in figures or [None]]
        return [r for r in readings if r not in deals] + licence

    def licence_parties(self, sent: Span) -> tuple[tuple[Entity, Entity], Token] | None:
        """(licensee, licensor) and the verb of the sentence's licence, when both are named."""
        for noun in matching(list(sent), word_set("licences", "nouns")):
            deal = noun.head if noun.dep_ == "nmod" and matches_word(noun.head, word_set("licences", "deal_nouns")) \
                else noun
            verb = deal.head  # its object, or (as the parser often has it) its "obl"
            if deal.dep_ not in ("obj", "obl", "obl:arg", "obl:mod") or verb.pos_ not in ("VERB", "AUX"):
                continue
            granted = matches_word(verb, word_set("licences", "granting_verbs"))
            if not (granted or matches_word(verb, word_set("licences", "taking_verbs"))):
                continue
            if any(c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in noun.children):
                continue  # "obtenir sa licence bancaire": a permit of its own, not a deal with anyone
            subject = self.roles.grammatical_subject(Trigger("contract_with", verb))
            other = self.party_to(verb) or self.organisation_after(noun, subject) or self.speaking_company(sent)
            if subject is not None and other is not None and other.id != subject.id:
                return ((other, subject) if granted else (subject, other)), verb
        return None

    def party_to(self, verb: Token) -> Entity | None:
        """The "à Y" a verb grants or offers something to."""
        for child in verb.children:
            if child.dep_ in ("obl:arg", "obl", "iobj", "obl:mod") and case_of(child) in ("à", "au", "aux"):
                entity = self.roles.usable(self.mentions.resolve(child))
                if entity is not None and entity.label == "ORG":
                    return entity
        return None

    def organisation_after(self, noun: Token, subject: Entity | None) -> Entity | None:
        """The first organisation named after the licence, besides the subject: whose product it is
        ("les droits de l'AX-1 de la biotech Y")."""
        named = self.mentions.mentioned_between(noun.i + 1, noun.sent.end, ("ORG",))
        return next((e for e in named if subject is None or e.id != subject.id), None)

    def speaking_company(self, sent: Span) -> Entity | None:
        """"Y annonce que X a acquis une licence": the company announcing the licence grants it."""
        return self.speaking_entity([ref for ref in sentence_sources(sent, self.mentions)])

    def as_stakes(self, readings: list[Reading]) -> list[Reading]:
        """"racheter X", "racheter la totalité de X": buying a company itself, not buying from it, is
        taking a stake in it."""
        return [replace(r, relation="stake_in") if r.relation == "buys_from" and r.amount is None and r.object
                and self.buys_the_company(r.trigger, r.object) else r for r in readings]

    def buys_the_company(self, trigger: Token, company: Ref) -> bool:
        """The company is what the verb buys: its object, or "la totalité de" it."""
        if matches_word(trigger, relation_words("buys_from", "reverse_lemmas")):
            return False
        def names_it(token: Token) -> bool:
            entity = self.mentions.entity_at(token)
            return entity is not None and entity.id == company.id
        for obj in (c for c in trigger.children if c.dep_ == "obj"):
            if names_it(obj) or (matches_word(obj, word_set("whole_company_words")) and any(
                    names_it(c) for c in obj.children if c.dep_ == "nmod" and case_of(c) in ("de", "d'", "du"))):
                return True
        return False

    def with_co_investors(self, sent: Span, readings: list[Reading]) -> list[Reading]:
        """"Aux côtés de X figurent A, B et C", "A et B rejoignent le tour de table": each organisation the
        sentence lists invests in the company of the investment told just before, with the figure set right
        after its name ("A, pour 20 millions, …"), which then is no other reading's."""
        tokens = list(sent)
        cues = phrase_matches(tokens, "co_investor_phrases", "phrases")
        joined = self.latest_investment(sent[0]) if cues else None
        if joined is None or any(r.relation != "invests_in" for r in readings):
            return readings
        start, phrase = cues[0]
        cue = phrase_head(tokens[start:start + len(phrase)])
        alongside = {t.i for t in cue.subtree} if cue.pos_ == "NOUN" else set()  # "aux côtés de X": X joined before
        excluded = {r.subject.id for r in readings} | {joined.subject.id, joined.object.id}
        listed = [e for e in self.listed_organisations(sent) if e.id not in excluded
                  and self.mentions.doc.char_span(e.start, e.end, alignment_mode="expand").root.i not in alongside]
        joining = [Reading(cue, "invests_in", ref_of(e), joined.object, self.figure_right_after(e, sent))
                   for e in listed]
        taken = {r.amount.start for r in joining if r.amount}
        return [r for r in readings if not (r.amount and r.amount.start in taken)] + joining

    def latest_investment(self, token: Token, relations: frozenset[str] = frozenset({"invests_in"})) -> Claim | None:
        """The latest claim of one of these relations in a named company told in the last few sentences."""
        window = self.doc[self.mentions.sentence_start_before(token, TOPIC_WINDOW)].idx
        told = [c for c in self.claims if c.start >= window and c.relation in relations and c.object and c.object.id]
        return told[-1] if told else None

    def listed_organisations(self, sent: Span) -> list[Entity]:
        """The organisations a sentence names as its own actors: not after a preposition, not inside a
        relative clause."""
        found = []
        for entity in self.mentions.mentioned_between(sent.start, sent.end, ("ORG",)):
            span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if span is not None and not case_of(span.root) and relative_clause_of(span.root) is None \
                    and entity.id not in {e.id for e in found}:
                found.append(entity)
        return found

    def figure_right_after(self, entity: Entity, sent: Span) -> Amount | None:
        """A sum set right after a name, past a comma and a preposition ("le fonds X, pour 20 millions")."""
        name_end = self.doc.char_span(entity.start, entity.end, alignment_mode="expand").end
        for amount in self.amounts_in(sent):
            start = self.doc.char_span(amount.start, amount.end, alignment_mode="expand").start
            between = self.doc[name_end:start]
            if name_end <= start <= name_end + 3 and all(t.is_punct or t.pos_ == "ADP" for t in between) \
                    and fits("invests_in", amount):
                return amount
        return None

    def with_implied_objects(self, readings: list[Reading]) -> list[Reading]:
        """"Thales détient 8,7 % du capital", "Bpifrance a investi 25 millions": a stake or an investment
        with no object named is in the company the passage is about (unless it goes "dans" a sector)."""
        implied = word_set("implied_object_relations")
        return [replace(r, object=self.implied_object(r, readings))
                if r.relation in implied and r.object is None and not self.roles.invests_in_a_thing(r.trigger)
                else r for r in readings]

    def implied_object(self, reading: Reading, siblings: list[Reading]) -> Ref | None:
        """The object of a claim of the same subject in the sentence, else of the latest stake or investment
        of the last few sentences, else the organisation the article names most."""
        implied = word_set("implied_object_relations")
        def usable(ref: Ref | None) -> bool:
            return ref is not None and ref.id is not None and ref.id != reading.subject.id
        same_sentence = [r.object for r in siblings if r.subject == reading.subject and usable(r.object)
                         and r.relation in implied]
        window = self.doc[self.mentions.sentence_start_before(reading.trigger, TOPIC_WINDOW)].idx
        recent = [c.object for c in self.claims if c.start >= window and c.relation in implied and usable(c.object)]
        focus = self.mentions.most_mentioned({reading.subject.id})
        return (same_sentence[:1] or recent[-1:] or [ref_of(focus) if focus else None])[0]

    def gapped(self, readings: list[Reading]) -> list[Reading]:
        """"X détient 11 % du capital, Y 6 % et Z 1 %": a figure right after another name, in a list after
        the first claim, is that name's, with the first claim's relation and object."""
        kept: list[Reading] = []
        for reading in readings:
            first = kept[0] if kept else None
            name = self.name_right_before(reading.amount) if first and first.amount and reading.amount else None
            if name and name.id != first.subject.id:
                if first.object and first.object.id == name.id:  # a listed holder is no object of the first
                    kept[0] = first = replace(first, object=None)
                reading = replace(reading, relation=first.relation, subject=ref_of(name), object=first.object)
            kept.append(reading)
        return kept

    def name_right_before(self, amount: Amount) -> Entity | None:
        """The entity written just before the amount, itself after a comma or "et" (a gapped clause)."""
        span = self.doc.char_span(amount.start, amount.end, alignment_mode="expand")
        if span is None or span.start < 2:
            return None
        at = span.start - 1
        while at > span.start - 3 and self.doc[at].pos_ in ("ADV", "DET"):  # "Z à peine 2 %"
            at -= 1
        entity = self.mentions.entity_at(self.doc[at])
        if entity is None:
            return None
        name = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if name is None:
            return None
        at = name.start - 1
        while at > name.start - 3 and at >= 0 and describes_a_name(self.doc[at]):  # "et le suédois Z 4,4 %"
            at -= 1
        return entity if at >= 0 and normal(self.doc[at].text) in (",", "et") else None

    def amounts_in(self, sent: Span) -> list[Amount]:
        """The sentence's figures, less those in brackets that restate the one before in another
        currency or unit ("1,2 milliard de dollars (environ 1 milliard d'euros)") and share prices
        ("au prix de 11 euros par action")."""
        start, end = trimmed(sent)
        inside = [a for a in self.amounts if start <= a.start and a.end <= end]
        text = doc_text(self.doc)
        return [a for i, a in enumerate(inside) if not (i and CONVERSION.match(text[inside[i - 1].end:a.start]))
                and not per_share_price().match(text, a.end)]

    def amount_readings(self, sent: Span, triggers: list[Trigger], amount: Amount, chain: list[Ref]) -> list[Reading]:
        """The readings of the fitting trigger closest to the amount; for a power figure without one (or a
        raise without a named investor), a capacity; for a sourced figure, "other"."""
        head = self.amount_head(amount)
        others = {self.amount_head(a).i for a in self.amounts_in(sent)} - {head.i}
        fitting = [t for t in triggers if relation_for(t, amount) and governs_or_shares(t.token, head, others)]
        fitting = agreed_purchases(fitting, triggers, amount)
        company_figure = is_company_figure(head, amount)
        if company_figure:  # "un chiffre d'affaires de 3,4 milliards … et pèse 5 Md$ en Bourse"
            fitting = [t for t in fitting if tree_distance(t.token, head) <= 2]
        if fitting:
            found = self.triggered_readings(fitting, amount, head, chain)
            if found or not self.roles.names_other_parties(found_first(fitting, amount, head)):
                return found
        elif any(in_subtree(head, t.token) for t in triggers) and not (implicit_relation(amount) or company_figure):
            return []  # "la vente de 30 hôtels": a detail of a transaction, not a figure of its own
        return self.untriggered_readings(head, amount, chain)

    def triggered_readings(self, fitting: list[Trigger], amount: Amount, head: Token,
                           chain: list[Ref]) -> list[Reading]:
        """The readings of the closest fitting trigger (its own relation before one it takes for another
        unit), or of the next as close when the parse gives the first no subject."""
        ranked = sorted(fitting, key=lambda t: trigger_rank(t, amount, head))
        nearest = tree_distance(ranked[0].token, head)
        close = [t for t in ranked if tree_distance(t.token, head) <= nearest + 1]
        bought = next(filter(None, (self.stake_bought_from(t, amount) or self.share_paid_for(t, amount)
                                    for t in close)), None)
        if bought:  # the purchase names its seller: that, not "du capital", says what the share is
            return bought
        for trigger in close:
            found = self.readings_of(trigger, relation_for(trigger, amount), amount, chain=chain)
            if found:
                return found
        return []

    def stake_bought_from(self, trigger: Trigger, amount: Amount) -> list[Reading]:
        """"X rachètera … 43 % du capital à Y": a share bought from a seller named right after it is a purchase
        from that seller (for the share's own stake, the seller's holding changes hands, not a new one)."""
        if trigger.relation != "buys_from" or relation_for(trigger, amount) != "stake_in" or \
                self.roles.names_other_parties(trigger):
            return []
        buyer = self.roles.subject_of(trigger)
        end = self.doc.char_span(amount.start, amount.end, alignment_mode="expand").end
        for token in self.doc[end:min(end + SELLER_WINDOW, trigger.token.sent.end)]:
            if token.is_punct:
                return []
            seller = self.roles.other(token, buyer)
            if buyer and seller and (preceded_by(token, ["à"]) or preceded_by(token, ["auprès", "de"])):
                return [Reading(trigger.token, "buys_from", ref_of(buyer), ref_of(seller), amount)]
        return []

    def share_paid_for(self, trigger: Trigger, amount: Amount) -> list[Reading]:
        """"acquérir 67 % du capital de Y, pour 1 milliard": the price of a share bought from no named seller is an
        investment in the company whose share it is."""
        token = trigger.token
        if trigger.relation != "buys_from" or amount.unit not in currencies() or self.roles.names_other_parties(trigger):
            return []
        shares = [c for c in token.children if c.dep_ == "obj" and (normal(c.text) in ("%", "pourcent") or
                  matches_word(c, relation_words("stake_in", "genitive_object_lemmas") | {"participation"}))]
        buyer = self.roles.subject_of(trigger) if shares else None
        if buyer is None or self.roles.stake_owner(token, buyer):
            return []
        company = next(iter(self.roles.objects_of(trigger, buyer, "stake_in")), None)
        return [Reading(token, "invests_in", ref_of(buyer), ref_of(company), amount)] if company else []

    def untriggered_readings(self, head: Token, amount: Amount, chain: list[Ref]) -> list[Reading]:
        """A power figure is a capacity of its clause's subject; a sourced figure is "other" (the subject's,
        or the speaker's own: "Legrand revendique 90 millions d'utilisateurs")."""
        deal = self.deal_size(head, amount) or self.stake_in_talks(head, amount, chain) or self.price_of_a_share(head, amount)
        if deal:
            return deal
        implicit = implicit_relation(amount)
        if not (implicit or chain or is_company_figure(head, amount)):
            return []
        speaker = None if implicit else self.speaking_entity(chain)
        if speaker is not None and speaker.label != "ORG":
            speaker = None  # a person quoted has no revenue or headcount of their own
        subject = self.roles.clause_subject(head) or speaker
        if subject is None and not implicit and self.said_of_a_site(head, amount):
            subject = self.topic(head)
        relation = implicit or "other"
        return [Reading(head, relation, ref_of(subject), None, amount)] \
            if subject and self.can_act(ref_of(subject), relation) else []

    def said_of_a_site(self, head: Token, amount: Amount) -> bool:
        """"L'usine, qui produira …, créera 1 200 emplois", "Le site … emploiera 1 200 personnes": a company's
        figure said of one of its sites, or of nothing the parse names, is the company the passage is about."""
        word = self.roles.subject_word(head)
        if word is not None and lemma_of(word) == "qui":
            word = relative_antecedent(word)
        return is_company_figure(head, amount) and (word is None or (
            lemma_of(word) in word_set("site_nouns", "words") and is_definite(word) and not self.mentions.named(word)))

    def deal_size(self, head: Token, amount: Amount) -> list[Reading]:
        """"L'opération, d'un montant de 3 milliards, a été menée par X", "Cette opération, d'un montant de 620 M€,
        valorise Y …": the size of a deal that is the clause's subject is the investment it makes: by the
        "par X" who led it, else the investment or stake told just before."""
        deal = next((t for t in head.ancestors if matches_word(t, word_set("deal_nouns"))), None)
        if deal is None or deal.dep_ not in ("nsubj", "nsubj:pass", "ROOT") or tree_distance(head, deal) > 2 \
                or not fits("invests_in", amount):
            return []  # (a verb the tagger missed leaves the deal noun as the root: "Cette opération … valorise Y")
        agent = next((c for c in deal.head.children if is_agent(c)), None)
        leader = self.roles.usable(self.mentions.resolve(agent)) if agent is not None else None
        told = self.latest_investment(head, word_set("implied_object_relations"))
        if leader is not None:
            obj = told.object if told and told.object.id != leader.id else None
            return [Reading(deal.head, "invests_in", ref_of(leader), obj, amount)]
        return [Reading(deal.head, "invests_in", told.subject, told.object, amount)] if told else []

    def price_of_a_share(self, head: Token, amount: Amount) -> list[Reading]:
        """"X proposerait 1,2 milliard d'euros pour 70 % du capital": a sum paid "pour" a share is an investment by
        the clause's subject (in the company the passage is about, when the share names none)."""
        if amount.unit not in currencies():
            return []
        end = self.doc.char_span(amount.start, amount.end, alignment_mode="expand").end
        after = self.doc[end:min(end + 4, head.sent.end)]
        share = next((a for a in self.amounts_in(head.sent) if a.unit == "%" and after and a.start > after[0].idx
                      and a.start <= after[-1].idx), None)
        if share is None or not after or normal(after[0].text) != "pour":
            return []
        buyer = self.roles.clause_subject(head)
        return [Reading(head, "invests_in", ref_of(buyer), None, amount)] if buyer else []

    def stake_in_talks(self, head: Token, amount: Amount, chain: list[Ref]) -> list[Reading]:
        """"« Il n'y a jamais eu de négociation avec Y, ni sur 20 % », dit la PDG de X": a share in talks
        with Y is the stake Y would take in the speaker's company."""
        if amount.unit != "%":
            return []
        sent = head.sent
        talks = matching(list(sent), word_set("talks_nouns"))
        speaker = named_speaker(chain)
        company = self.mentions.employer(speaker) if speaker else None
        if not talks or company is None:
            return []
        after = self.mentions.mentioned_between(talks[0].i + 1, head.i, ("ORG",))
        partner = next((e for e in after if e.id != company.id), None)
        return [Reading(head, "stake_in", ref_of(partner), ref_of(company), amount)] if partner else []

    def speaking_entity(self, chain: list[Ref]) -> Entity | None:
        """A company or person that speaks for itself ("Acme revendique …"): the figure is theirs; an executive
        named with the company's title ("« Nous visons 1 000 clients », a dit le PDG de X, Jean Dupont") speaks for
        that company."""
        speakers = [ref for ref in chain if ref.id and not is_outlet(ref)]
        speaker = next((e for e in self.mentions.entities if speakers and e.id == speakers[0].id), None)
        employer = self.mentions.employer(speakers[0]) if speaker is not None and speaker.label == "PER" else None
        return employer or speaker

    def amount_head(self, amount: Amount) -> Token:
        """The amount's word in the parse: its number or scale noun ("millions"), not "plus" or "près"."""
        span = self.doc.char_span(amount.start, amount.end, alignment_mode="expand")
        roots = [t for t in span if not (span.start <= t.head.i < span.end) or t.head.i == t.i]
        return next((t for t in roots if t.pos_ in ("NOUN", "NUM", "PROPN", "SYM")), span.root)

    def readings_of(self, trigger: Trigger, relation: str, amount: Amount | None, *,
                    topical: bool = True, chain: list[Ref] = ()) -> list[Reading]:
        """Subject and object(s) of a trigger, one reading per object ("dans X ou Y"); a figure about
        "ce partenariat" is about the passage's subject; "nous" in a quote is the speaker."""
        found = self.speakers_company(trigger, chain) or self.valued_by_description(trigger) or \
            self.roles.subject_of(trigger)  # ("céder à X": its own words)
        if found is None and self.roles.first_person_in_quote(trigger) and not self.roles.names_other_parties(trigger):
            found = self.speaking_entity(list(chain))  # ("je vends": the speaker sells, so is no buyer)
        topical = topical and not self.roles.names_other_parties(trigger)
        subject = ref_of(found) if found else \
            (self.topic(trigger.token) if topical and self.roles.discourse_subject(trigger) else None)
        if subject is None and amount is not None:
            told = self.deal_told_before(trigger, relation)
            if told is not None:
                return [Reading(trigger.token, relation, told.subject, told.object, amount)]
        if subject is None or not self.can_act(subject, relation):
            return []
        needs_object = relations()[relation]["needs_object"]
        objects = self.roles.objects_of(trigger, found, relation) if needs_object else []
        partners = self.roles.coordinated(found, None, trigger.token.sent) if found else []  # "X et Y investissent"
        if relation == "contract_with" and partners and not objects:
            objects, partners = partners[:1], []  # "X et Y ont signé un contrat": Y is the other party
        subjects = [subject] + [ref_of(p) for p in partners if p not in objects]
        return [Reading(trigger.token, relation, s, o, amount) for s in subjects
                for o in [ref_of(e) for e in objects if e.id != s.id] or [None]]

    def valued_by_description(self, trigger: Trigger) -> Entity | None:
        """"Mené par X, ce financement valorise l'entreprise à …", "une offre sur Y, qui pourrait valoriser le groupe à
        …": a company valued after a deal and described, not named, is the one the deal is about (not the buyer or
        investor named nearer): the object of a deal of the sentence, else of the latest one told."""
        token = trigger.token
        if not matches_word(token, relation_words(trigger.relation, "subject_is_object_lemmas")):
            return None
        valued = [c for c in token.children if c.dep_ in ("obj", "nsubj:pass")] + [word_after_determiners(token)]
        if not any(is_definite(w) and lemma_of(w) in word_set("coreference", "ORG") and not self.mentions.named(w)
                   for w in valued):
            return None
        deal_relations = word_set("implied_object_relations") | {"buys_from"}
        deals = [t for t in triggers_in(list(token.sent)) if t.relation in deal_relations]
        buyers = set()
        for deal in sorted(deals, key=lambda t: abs(t.token.i - token.i)):  # the deal the valuation follows
            buyer = self.roles.subject_of(deal)
            target = next((e for e in self.roles.objects_of(deal, buyer) if e.id != buyer.id), None) if buyer else None
            if target is not None:
                return target
            buyers |= {buyer.id} if buyer else set()
        told = self.latest_investment(token, word_set("implied_object_relations"))
        if told is not None:
            return next((e for e in self.mentions.entities if e.id == told.object.id), None)
        return self.mentions.most_mentioned(buyers) if buyers else None  # the company the investors put money in

    def deal_told_before(self, trigger: Trigger, relation: str) -> Claim | None:
        """"L'accord pourrait atteindre 2 milliards", "le montant total du contrat": a contract named by a
        definite noun, its parties unnamed, is the contract between the parties of the latest such claim
        of the last few sentences."""
        if relation != "contract_with" or trigger.token.pos_ != "NOUN" or not is_definite(trigger.token):
            return None
        return self.latest_investment(trigger.token, frozenset({"contract_with"}))

    def speakers_company(self, trigger: Trigger, chain: list[Ref]) -> Entity | None:
        """"Selon lui, le groupe investira …", "Il a précisé que le groupe comptait …": in what a company's
        executive says, "le groupe" (a noun said of any company) is the executive's company."""
        word = self.roles.subject_word(trigger.token)
        if word is None or lemma_of(word) not in word_set("coreference", "generic") or not is_definite(word) \
                or self.mentions.named(word):
            return None
        speaker = named_speaker(chain)
        return self.mentions.employer(speaker) if speaker else None

    def can_act(self, subject: Ref, relation: str) -> bool:
        """A place does business only as a state that invests or holds shares ("le Danemark détient 50 %")."""
        entity = next((e for e in self.mentions.entities if e.id == subject.id), None)
        return entity is None or entity.label != "LOC" or relation in word_set("place_subject_relations")

    def amountless_ok(self, trigger: Trigger) -> bool:
        """Without a figure, only a plain statement of a transaction between two entities is a claim:
        a verb, or a noun with a possessive ("son investissement"), not "l'investissement de X"."""
        if trigger.relation not in lexicon()["amountless_relations"]:
            return False
        if not (trigger.phrase or matches_word(trigger.token, word_set("amountless_triggers"))):
            return False
        token = trigger.token
        if token.i > 0 and normal(token.nbor(-1).text) == "en" and token.lower_.endswith("ant"):
            return False  # "en investissant dans X, …": a circumstance, not a statement
        return token.pos_ in ("VERB", "") or trigger.verbal or looks_like_a_known_verb(token) or \
            any(c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in token.children) \
            or ("Plur" in token.morph.get("Number") and not any(c.dep_ == "det" for c in token.children))

    def topic(self, token: Token) -> Ref | None:
        """The entity the passage is about: the subject of the latest claim of the last few sentences,
        else the latest main subject, else the first organisation named in the previous sentence, else
        the one named most so far."""
        window = self.mentions.sentence_start_before(token, TOPIC_WINDOW)
        recent = [c for c in self.claims if c.start >= self.doc[window].idx and c.relation != "denies" and c.subject.id]
        if recent:
            return recent[-1].subject
        subjects = [e for i, e in self.mentions.subjects if window <= i < token.sent.start and e.label == "ORG"]
        previous_start = self.mentions.sentence_start_before(token, 1)
        previous = self.mentions.mentioned_between(previous_start, token.sent.start, ("ORG",))
        so_far = most_frequent(self.mentions.mentioned_between(0, token.sent.start, ("ORG",)))
        found = (subjects[-1:] or previous[:1] or [so_far])[0]
        return ref_of(found) if found else None

    # -- building claims

    def claim(self, sent: Span, reading: Reading, chain: list[Ref], denier: Ref | None, *,
              own_words: bool = False) -> Claim:
        """The claim of a reading; a denier stays its source only when it denies in its own words ("X n'a pas
        investi dans Y, a affirmé un porte-parole de X"), not when it rejects what others report."""
        if denier is not None and not own_words:
            chain = [ref for ref in chain if not same_ref(ref, denier)]
        aside = side_remark_sources(sent, reading.trigger, self.mentions) + \
            enclosed_sources(sent, reading.trigger, self.mentions)
        chain = [ref for ref in chain if not any(same_ref(ref, other) for other in aside)]
        start, end = trimmed(sent)
        text = doc_text(self.doc)[start:end]
        return Claim(
            id="", subject=reading.subject, relation=reading.relation, object=reading.object, amount=reading.amount,
            source=chain[0] if chain else None, source_chain=chain,
            modality=modality_of(sent, reading.trigger, sources=chain,
                                 denied=denier is not None or is_negated(reading.trigger)),
            polarity="negative" if denier is not None or is_negated(reading.trigger) else "positive",
            quote=quote_in(sent) if chain else None, sentence=text, start=start, end=end,
            date=date_of(text, self.article.published),
        )

    def sources(self, sent: Span) -> list[Ref]:
        """The source chain: the paragraph's source note, then who the sentence cites; in an interview,
        a quote nobody is said to speak is the interviewee's."""
        chain = paragraph_sources(sent, self.mentions)
        for ref in map(self.earlier_speaker_if_anaphoric, sentence_sources(sent, self.mentions)):
            if not any(same_ref(ref, known) for known in chain):
                chain.append(ref)
        if not chain and self.interviewee is not None and in_open_quote(sent[0]):
            chain.append(ref_of(self.interviewee))
        return chain

    @cached_property
    def interviewee(self) -> Entity | None:
        """The person an interview (signed "Propos recueillis par X") gives the floor to: the first
        person it names, the interviewer aside."""
        text = doc_text(self.doc)
        signature = interview_signature().search(text)
        if signature is None:
            return None
        line_end = text.find("\n", signature.start())
        line_end = len(text) if line_end < 0 else line_end
        interviewers = {e.id for e in self.mentions.entities if signature.start() <= e.start < line_end}
        people = [e for e in self.mentions.entities if e.label == "PER" and e.id not in interviewers]
        return min(people, key=lambda e: e.start, default=None)

    def earlier_speaker_if_anaphoric(self, ref: Ref) -> Ref:
        """"indique le communiqué", "précise le texte": the statement already cited, so its speaker, the
        latest company or person an earlier claim cites."""
        if ref.id or not is_definite_statement(ref.text):
            return ref
        speakers = [c.source for c in self.claims if c.source and c.source.id and not is_outlet(c.source)]
        return speakers[-1] if speakers else ref

    # -- denials and restatements

    def denier(self, sent: Span, cue: Token) -> Ref | None:
        """Who denies: the subject of the denial verb, else the sentence's first named speaker."""
        speaker = speaker_of(cue, self.mentions) if cue.pos_ in ("VERB", "") else None
        if speaker and speaker.id:
            return speaker
        named = [r for r in sentence_sources(sent, self.mentions) if r.id and not is_outlet(r)]
        return named[0] if named else None

    def denial(self, sent: Span, denier: Ref, claims_here: list[Claim], *, about: Ref | None = None) -> list[Claim]:
        """The claim "X denies …" with the claims it denies: those its sentence reports, or the most
        recent earlier ones."""
        denied = claims_here or self.denied_claims(sent, denier)
        speaks_for = self.gazetteer_ref(denier)
        employer = self.mentions.employer(denier)
        denying = {denier.id, speaks_for.id} | ({employer.id} if employer else set())
        about = about or (other_party(denied[0], denying) if denied else None)
        if about is None or about.id in denying:  # "« Il n'y a jamais eu de négociation avec Y », dit la PDG de X"
            about = self.named_other(sent, denying)
        start, end = trimmed(sent)
        chain = paragraph_sources(sent, self.mentions) + [denier]
        text = doc_text(self.doc)[start:end]
        return [Claim(
            id="", subject=speaks_for, relation="denies", object=about,
            amount=None, source=chain[0], source_chain=chain, modality="denied", polarity="negative",
            quote=quote_in(sent), sentence=text, start=start, end=end, date=date_of(text, self.article.published),
            denies=list(denied),
        )]

    def named_other(self, sent: Span, denying: set[str | None]) -> Ref | None:
        """Without a claim to deny (or only the denier's own), what the denial is about: the first other
        entity it names ("X a démenti toute discussion avec Y")."""
        named = self.mentions.mentioned_between(sent.start, sent.end, ("ORG", "PER", "MISC"))
        others = [e for e in named if e.id not in denying]
        return ref_of(others[0]) if others else None

    def gazetteer_ref(self, ref: Ref) -> Ref:
        """The entity a speaker stands for ("un porte-parole de Globex" → Globex), as it is written."""
        entity = next((e for e in self.mentions.entities if e.id == ref.id), None)
        return ref_of(entity) if entity and entity.text != ref.text else ref

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

    def restated(self, sent: Span, chain: list[Ref]) -> list[Claim]:
        """"Ces rumeurs, relayées par X, …": the previous sentence's claims, now reported by X (not when X
        declines to comment, nor when X is the one they are about)."""
        window_start = self.doc[self.mentions.sentence_start_before(sent[0], 1)].idx
        previous = [c for c in self.claims if c.start >= window_start and c.relation != "denies"]
        named = [ref for ref in chain if ref.id and not any(ref.id == c.subject.id for c in previous)]
        if not named or not refers_back_to_claims(sent) or any(is_negated(t) for t in sent if t.pos_ == "VERB"):
            return []
        start, end = trimmed(sent)
        text = doc_text(self.doc)[start:end]
        return [replace(c, id="", amount=None, source=named[0], source_chain=list(chain), modality="reported",
                        quote=None, sentence=text, start=start, end=end, date=date_of(text, self.article.published),
                        denies=[]) for c in previous]

    # -- tables

    def row_claims(self, unit: Unit) -> list[Claim]:
        """One claim per amount of a row whose first cell names an entity; the relation comes from the
        amount's column header. A row with no figure ("Non spécifié") under such a column still says
        that the entity takes part: one claim without an amount."""
        subject = self.cell_entity(unit.row.cells[0]) if unit.row.cells else None
        if subject is None:
            return []
        claims = []
        for header, amount in row_amounts(unit.table, unit.row):
            relation = self.header_relation(header, amount)
            if relation:
                claims.append(self.row_claim(unit, subject, relation, amount))
        if not claims:
            relation = next(filter(None, (self.header_relation(h, None) for h in unit.table.header[1:])), None)
            claims += [self.row_claim(unit, subject, relation, None)] if relation else []
        return claims

    def cell_entity(self, cell: Cell) -> Entity | None:
        """The entity a cell names; when the tagger missed it there, an entity of the same name elsewhere."""
        span = self.doc.char_span(cell.start, cell.end, alignment_mode="expand")
        found = next(filter(None, (self.roles.usable(self.mentions.entity_at(t)) for t in span or ())), None)
        same_name = (e for e in self.mentions.entities if normal(e.text) == normal(cell.text) and not is_outlet(e))
        return found or next(same_name, None)

    def header_relation(self, header: Cell, amount: Amount | None) -> str | None:
        """The relation a column header names ("Montant de l'investissement (en milliards USD)"), for
        this amount (or, without one, for the unit the header gives)."""
        span = self.doc.char_span(header.start, header.end, alignment_mode="expand")
        triggers = triggers_in(list(span or ()))
        if amount is None:
            unit = unit_from_header(header.text)[1]
            relations_without_figures = lexicon()["amountless_relations"]
            return next((t.relation for t in triggers if unit and t.relation in relations_without_figures), None)
        return next(filter(None, (relation_for(t, amount) for t in triggers)), None)

    def row_claim(self, unit: Unit, subject: Entity, relation: str, amount: Amount | None) -> Claim:
        """The row's claim; its object is what the article is about: the most mentioned organisation
        that is not one of the table's rows."""
        parties = {e.id for row in unit.table.rows if row.cells and (e := self.cell_entity(row.cells[0]))}
        obj = self.mentions.most_mentioned(parties) if relations()[relation]["needs_object"] else None
        row = unit.row
        return Claim(
            id="", subject=ref_of(subject), relation=relation, object=ref_of(obj) if obj else None, amount=amount,
            source=None, source_chain=[], modality="asserted", polarity="positive", quote=None,
            sentence=row.text, start=row.start, end=row.end, date=None,
        )


# -- helpers ---------------------------------------------------------------------------------

@cache
def per_share_price() -> re.Pattern:
    nouns = "|".join(map(re.escape, lexicon()["per_share_nouns"]["words"]))
    return re.compile(rf"\s+par\s+({nouns})s?\b", re.IGNORECASE)


@cache
def interview_signature() -> re.Pattern:
    return re.compile("|".join(lexicon()["interview_signatures"]["patterns"]), re.IGNORECASE | re.MULTILINE)


def in_open_quote(token: Token) -> bool:
    """The token is inside « » opened earlier in its paragraph (a quote may run over several sentences)."""
    text = doc_text(token.doc)
    before = text[text.rfind("\n", 0, token.idx) + 1:token.idx]
    return before.count("«") > before.count("»")


@cache
def end_of_article_pattern() -> re.Pattern:
    return re.compile("|".join(lexicon()["end_of_article_headings"]), re.IGNORECASE | re.MULTILINE)


def end_of_article(text: str) -> int:
    """Where readers' comments start ("3 commentaires", "Laisser un commentaire"): nothing after is
    the article's."""
    found = end_of_article_pattern().search(text)
    return found.start() if found else len(text)


def named_speaker(chain: list[Ref]) -> Ref | None:
    """The first company or person (not an outlet) the source chain names."""
    return next((ref for ref in chain if ref.id and not is_outlet(ref)), None)


def describes_a_name(token: Token) -> bool:
    """A determiner or a lower-case word set before a name ("le suédois", "le fonds")."""
    return token.pos_ in ("DET", "ADJ") or (token.pos_ == "NOUN" and token.text.islower())


def trimmed(sent: Span) -> tuple[int, int]:
    """Character offsets of the sentence without the line breaks and spaces at its ends."""
    first = next((t for t in sent if not t.is_space), None)
    if first is None:
        return sent.start_char, sent.start_char
    last = next(t for t in reversed(sent) if not t.is_space)  # reads only the ends of the sentence
    return first.idx, last.idx + len(last.text)


def is_prose(sent: Span) -> bool:
    """A sentence that can state something: in a paragraph that ends like one (titles and headings do
    not), not a table line, and with a finite verb (or, without a tagger, ending like a sentence)."""
    text = sent.text.strip()
    if not text or text.startswith("|") or text.endswith("?") or not line_of(sent).rstrip().endswith(SENTENCE_ENDS):
        return False
    if sent.doc.has_annotation("MORPH"):
        return any(is_finite_verb(t) or looks_like_a_known_verb(t) for t in sent)
    return text[-1] in ".!»)"


def line_of(sent: Span) -> str:
    """The whole line (paragraph) the sentence ends in."""
    text = doc_text(sent.doc)
    end = text.find("\n", trimmed(sent)[1])
    return text[text.rfind("\n", 0, sent.start_char) + 1:len(text) if end < 0 else end]


def looks_like_a_known_verb(token: Token) -> bool:
    """A form of one of the lexicon's verbs that the tagger took for a noun or an adjective
    ("l'opération valorise X", "Veolia injecte des fonds")."""
    return token.pos_ in ("NOUN", "ADJ", "PROPN", "X") and normal(token.text) in inflected(known_verbs()) \
        and normal(token.text) != lemma_of(token) + "s"


@cache
def known_verbs() -> frozenset[str]:
    words = set(word_set("reporting_verbs"))
    for relation in relations():
        words |= word_set("relations", relation, "lemmas")
    return frozenset(w for w in words if w.endswith(("er", "ir")))


def is_finite_verb(token: Token) -> bool:
    return "Fin" in token.morph.get("VerbForm") or (not token.morph and token.pos_ in ("VERB", "AUX", ""))


def in_finite_clause(token: Token) -> bool:
    """A finite verb, or an infinitive that one governs ("devraient remettre au pot")."""
    return is_finite_verb(token) or (token.dep_ == "xcomp" and is_finite_verb(token.head))


def word_after_determiners(token: Token) -> Token:
    """The word right after a verb, past its determiners ("valorise le groupe": "groupe")."""
    after = token.i + 1
    while after < token.sent.end - 1 and token.doc[after].pos_ == "DET":
        after += 1
    return token.doc[min(after, token.sent.end - 1)]


def agreed_purchases(fitting: list[Trigger], triggers: list[Trigger], amount: Amount) -> list[Trigger]:
    """"signer un accord pour acquérir Y, pour 1 milliard": the figure of an agreement made to buy or invest is
    the deal's, so the buying or investing trigger the agreement governs stands in for it."""
    deal_relations = {"buys_from", "invests_in", "stake_in"}
    found = []
    for trigger in fitting:
        purposes = [t for t in triggers if t.relation in deal_relations and t.token.dep_ in ("advcl", "xcomp", "acl")
                    and t.token.head.i in (trigger.token.i, *(c.i for c in trigger.token.children))
                    and relation_for(t, amount)] if trigger.relation == "contract_with" else []
        found += [t for t in purposes if t not in found] or ([trigger] if trigger not in found else [])
    return found


def implicit_relation(amount: Amount) -> str | None:
    """The relation a unit implies on its own (GW, MW: a capacity)."""
    return next((r for r, spec in relations().items() if amount.unit in spec.get("implicit_units", ())), None)


def is_company_figure(head: Token, amount: Amount) -> bool:
    """"un chiffre d'affaires de 612 millions", "emploie 2 300 salariés", "45 % de ses ventes": a figure that
    states a company's size is a fact worth a claim even when the article cites no one."""
    span = head.doc.char_span(amount.start, amount.end, alignment_mode="expand") or [head]
    above = list(head.ancestors)[:2]
    beside = [c for a in above[:1] for c in a.children if c.dep_ in ("nmod", "nsubj")]
    near = [*span, *above, *(c for c in head.children if c.dep_ == "nmod"), *beside,  # "un chiffre d'affaires de …"
            *(c for b in beside for c in b.children if c.dep_ == "nmod")]  # "dont le chiffre d'affaires a atteint …"
    return any(matches_word(t, word_set("company_figure_words", "words")) for t in near)


def trigger_rank(trigger: Trigger, amount: Amount, head: Token) -> tuple:
    """Its own relation first, then the closest in the tree, then in words."""
    own = relation_for(trigger, amount) == trigger.relation
    return not own, tree_distance(trigger.token, head), abs(trigger.token.i - head.i)


def found_first(fitting: list[Trigger], amount: Amount, head: Token) -> Trigger:
    return min(fitting, key=lambda t: trigger_rank(t, amount, head))


def governs_or_shares(trigger: Token, amount_head: Token, other_heads: set[int]) -> bool:
    """The trigger is about the amount: the amount is in the trigger's phrase ("une participation de 10 %"),
    or in the clause of the verb the trigger depends on ("son investissement reste inférieur à 10
    milliards", not a verb coordinated with the trigger verb), or the trigger qualifies it closely ("à 26 % sa participation"); but the trigger is not
    below another amount inside this one ("1,7 milliard, dont 1,3 apporté par X"), and the amount is not
    in the subject of the trigger's verb ("l'opération, d'un montant de X, valorise Y à Z")."""
    if not trigger.doc.has_annotation("DEP") or right_before(trigger, amount_head) or restated(trigger, amount_head):
        return True
    if below_another_amount(trigger, amount_head, other_heads) or in_subject_of(trigger, amount_head) or \
            in_reported_clause_below(trigger, amount_head):
        return False
    head = trigger.head
    coordinated_verb = trigger.dep_ == "conj" and trigger.pos_ == "VERB"  # "X versera 5 M et souscrira à …"
    in_the_verbs_clause = head.i != trigger.i and head.pos_ in ("VERB", "AUX") and in_subtree(amount_head, head) \
        and not coordinated_verb
    qualifies_it = in_subtree(trigger, amount_head) and tree_distance(trigger, amount_head) <= 2
    return in_subtree(amount_head, trigger) or in_the_verbs_clause or qualifies_it


def restated(trigger: Token, amount_head: Token) -> bool:
    """"la participation de Globex, soit 24 %": a figure after ", soit" restates the noun phrase just before it."""
    if trigger.pos_ != "NOUN" or amount_head.i <= trigger.i:
        return False
    doc = trigger.doc
    soit = next((t for t in doc[max(trigger.i, amount_head.i - 3):amount_head.i] if normal(t.text) == "soit"), None)
    if soit is None or doc[soit.i - 1].text != ",":
        return False
    inside = {t.i for t in trigger.subtree}
    return all(i in inside for i in range(trigger.i + 1, soit.i - 1))


def right_before(trigger: Token, amount_head: Token) -> bool:
    """"achèterait pour 500 millions", "investit 5 milliards": the trigger verb just before the figure,
    whatever the parse says."""
    between = trigger.doc[trigger.i + 1:amount_head.i]
    verb = trigger.pos_ == "VERB" or looks_like_a_known_verb(trigger)
    return verb and trigger.i < amount_head.i and len(between) <= 6 and not any(t.is_punct for t in between)


def in_reported_clause_below(trigger: Token, amount_head: Token) -> bool:
    """"X a perdu 3 % après qu'un courtier a jugé que ses marges tomberaient à 10 %": a figure
    in a "que …" clause under the trigger belongs to what someone says, not to the trigger."""
    for ancestor in [amount_head, *amount_head.ancestors]:
        if ancestor.i == trigger.i:
            return False
        if ancestor.dep_ == "ccomp":
            return any(a.i == trigger.i for a in ancestor.ancestors)
    return False


def in_another_relative_clause(trigger: Token, cue: Token) -> bool:
    """"X, qui détient 51 % du capital, a balayé ces rumeurs": what a relative clause says about the denier
    is not what the denial rejects, unless the clause is what a report says ("les informations selon
    lesquelles X s'apprêterait à …")."""
    clause = relative_clause_of(trigger)
    return clause is not None and not in_subtree(cue, clause) and not reports_content(clause)


def in_subtree(token: Token, root: Token) -> bool:
    return token.i == root.i or any(a.i == root.i for a in token.ancestors)


def below_another_amount(trigger: Token, amount_head: Token, other_heads: set[int]) -> bool:
    between = []
    for ancestor in trigger.ancestors:
        if ancestor.i == amount_head.i:
            return any(i in other_heads for i in between)
        between.append(ancestor.i)
    return False


def in_subject_of(verb: Token, token: Token) -> bool:
    return any(in_subtree(token, s) for s in verb.children if s.dep_ in ("nsubj", "nsubj:pass"))


def other_party(claim: Claim, denying: set[str | None]) -> Ref | None:
    """What a denial is about: the denied claim's subject, or its object when the subject is the one denying
    ("X n'a pas investi dans Y", says X: the denial is about Y)."""
    return claim.object if claim.subject.id in denying and claim.object else claim.subject


def same_ref(a: Ref | None, b: Ref | None) -> bool:
    return a is not None and b is not None and ((a.id is not None and a.id == b.id) or normal(a.text) == normal(b.text))


def is_definite_statement(text: str) -> bool:
    """"le communiqué", "la direction": a definite article and a word for someone or something speaking for
    an organisation, nothing more."""
    words = normal(text).replace("'", "' ").split()
    return len(words) == 2 and words[0] in ("le", "la", "l'") and words[1] in word_set("spokesperson_heads")


def speaks_of_claims(sent: Span) -> bool:
    """The sentence names what it denies as reports ("ces spéculations", "ces hypothèses")."""
    nouns = word_set("modality", "claim_nouns") | word_set("modality", "rumor_nouns")
    return any(matches_word(t, nouns) for t in sent)


def refers_back_to_claims(sent: Span) -> bool:
    """"Ces rumeurs", "Ces informations": a demonstrative before a word for reports."""
    nouns = word_set("modality", "claim_nouns") | word_set("modality", "rumor_nouns")
    return any(matches_word(t, nouns) and t.i > sent.start and normal(t.nbor(-1).text) in ("ces", "cette", "ce", "cet")
               for t in sent)


def unique_readings(readings: list[Reading]) -> list[Reading]:
    """One reading per (subject, relation, object, amount) in a sentence, in text order."""
    seen, kept = set(), []
    for r in sorted(readings, key=lambda r: r.amount.start if r.amount else r.trigger.idx):
        key = (r.subject.id or r.subject.text, r.relation, r.object.id if r.object else None,
               (r.amount.start, r.amount.end) if r.amount else None)
        if key not in seen:
            seen.add(key)
            kept.append(r)
    return kept
