"""Who does what to whom: the trigger words of a sentence, and the subject and object of each.

The subject is the entity that is the grammatical subject of the trigger's clause (or the
agent "par X" of a passive), the owner of a noun trigger ("son investissement", "la
capitalisation du groupe"), or, for "céder à X", the X who buys. The object is the entity
a preposition of the relation introduces ("dans", "avec", "auprès de"), or the verb's object.
All words come from the lexicon's "relations".

>>> import spacy
>>> nlp = spacy.blank("fr")
>>> [(t.relation, t.token.text) for t in triggers_in(list(nlp("Acme investit dans Globex.")))]
[('invests_in', 'investit')]
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span, Token

from kg.model import Amount, Entity
from kg.nlp.lexicon import lemma_of, lexicon, matches_word, matching, normal, phrase_matches, split_words, word_set
from kg.nlp.mentions import Mentions, is_definite, is_outlet
from kg.nlp.tokens import doc_text, token_cached

# Climbing from a trigger to the verb whose subject it takes; not out of a "que …" clause (ccomp): the
# main clause's subject there is the speaker ("Le FT rapporte que X investirait …"), not the actor.
CLIMB_DEPS = ("obj", "obl", "obl:arg", "obl:mod", "obl:agent", "nmod", "xcomp", "advcl", "conj", "acl", "appos",
              "nsubj", "nsubj:pass", "nummod", "parataxis")
POSSESSIVES = ("son", "sa", "ses", "leur", "leurs")
FIRST_PERSON = ("nous", "je", "j'")
PERCENT_UNITS = ("%", "pp")
OBJECT_WINDOW = 12
FAR = 99


@dataclass(frozen=True)
class Trigger:
    relation: str
    token: Token
    phrase: bool = False  # found by a phrase of the lexicon ("prendre une participation"), not one word
    verbal: bool = False  # a phrase that opens with its verb ("entrer au capital"), however the tagger read it


@cache
def relations() -> dict[str, dict]:
    return {name: spec for name, spec in lexicon()["relations"].items() if not name.startswith("_")}


@cache
def relation_words(relation: str, key: str) -> frozenset[str]:
    """A word list of one relation's lexicon entry (empty when the entry has none)."""
    return frozenset(normal(word) for word in relations()[relation].get(key, ()))


@cache
def currencies() -> frozenset[str]:
    """The currency codes the amount reader knows (ontology/amounts.json)."""
    from kg.nlp.amounts import load_lexicon

    return frozenset(load_lexicon()["currencies"])


def unit_kind(unit: str | None) -> str:
    """"currency" (an ISO 4217 code), "%" or "quantity" ("GW", "GPU", "utilisateurs").

    >>> unit_kind("EUR"), unit_kind("%"), unit_kind("GPU")
    ('currency', '%', 'quantity')
    """
    if unit in PERCENT_UNITS:
        return "%"
    return "currency" if unit in currencies() else "quantity"


def fits(relation: str, amount: Amount) -> bool:
    """The amount's unit is one the relation takes (a currency for money relations, GW for capacity…).

    >>> gw = Amount("10 GW", 0, 5, 1e10, None, None, "exact", "GW")
    >>> fits("capacity", gw), fits("invests_in", gw)
    (True, False)
    """
    units = relations()[relation]["units"]
    if amount.unit is None or amount.unit in relations()[relation].get("excluded_units", ()):
        return False
    if isinstance(units, str):
        return unit_kind(amount.unit) == units
    return amount.unit in units


def relation_for(trigger: Trigger, amount: Amount) -> str | None:
    """The relation a trigger takes with this amount: its own, or the one its lexicon entry names for
    another kind of unit ("investir … pour 25 %" is a stake)."""
    if fits(trigger.relation, amount):
        return trigger.relation
    others = relations()[trigger.relation].get("other_units", {})
    other = others.get(amount.unit) or others.get(unit_kind(amount.unit))
    return other if other and fits(other, amount) else None


def triggers_in(tokens: list[Token]) -> list[Trigger]:
    """Every (relation, word) the lexicon recognises in the tokens, in text order."""
    found = []
    for relation in relations():
        lemmas = word_set("relations", relation, "lemmas")
        found += [Trigger(relation, t) for t in matching(tokens, lemmas)
                  if t.pos_ not in ("ADP", "DET", "PRON") and in_its_context(relation, t)]
        found += [Trigger(relation, phrase_head(tokens[i:i + len(p)]), phrase=True, verbal=opens_with_verb(tokens[i], p))
                  for i, p in phrase_matches(tokens, "relations", relation, "phrases")]
    by_place = {(t.token.i, t.relation): t for t in sorted(found, key=lambda t: t.phrase)}  # a phrase wins
    return without_market_stakes(sorted(by_place.values(), key=lambda t: (t.token.i, t.relation)))


def in_its_context(relation: str, token: Token) -> bool:
    """A trigger the lexicon lists among a relation's "market_lemmas" ("peser" for a market value) counts
    only with one of the market words in its sentence ("pèse 4 000 Md$ en Bourse")."""
    if not matches_word(token, relation_words(relation, "market_lemmas")):
        return True
    return any(matches_word(t, relation_words("stock_move", "market_words")) for t in token.sent)


def phrase_head(tokens: list[Token]) -> Token:
    """The word of a phrase that carries it in the parse (its first verb, else its first noun)."""
    return next((t for t in tokens if t.pos_ == "VERB"), next((t for t in tokens if t.pos_ == "NOUN"), tokens[0]))


def opens_with_verb(first: Token, phrase: tuple[str, ...]) -> bool:
    """The phrase's first word is a verb of the lexicon ("entrer au capital"), and the text uses it as one (the
    tagger may still call "entre" a preposition), not as a noun ("lettre d'intention")."""
    return phrase[0].endswith(("er", "ir", "re")) and first.pos_ not in ("NOUN", "PROPN")


def tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the dependency tree (FAR without a parse)."""
    up_a = {t.i: n for n, t in enumerate([a, *a.ancestors])}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in up_a:
            return up_a[t.i] + n
    return FAR


def governing_verb(token: Token) -> Token:
    """The first verb above the token (the token itself at the root)."""
    return next((t for t in token.ancestors if t.pos_ in ("VERB", "AUX")), token)


def case_of(token: Token) -> str:
    """The preposition that introduces a noun ("dans", "auprès de", "du"), lower-case, or ""."""
    words = [normal(c.text) for c in token.children if c.i < token.i and
             (c.dep_ in ("case", "fixed") or (c.dep_ == "det" and normal(c.text) in ("du", "des", "au", "aux")))]
    return " ".join(words) if words else ""


def relative_antecedent(qui: Token) -> Token:
    """The noun a relative "qui" stands for: the head of its clause, or the word before its comma."""
    if qui.head.dep_.startswith("acl"):
        return qui.head.head
    before = qui.i - 1
    while before > qui.sent.start and qui.doc[before].is_punct:
        before -= 1
    return noun_modified_by(qui.doc[before])


def is_relative_clause(verb: Token) -> bool:
    """A verb with a relative pronoun of its own ("qui a investi", "ce qu'affirment"), however the parser
    attached the clause (its "acl:relcl" label alone is often wrong)."""
    return token_cached(verb, "kg.is_relative_clause", has_a_relative_pronoun)


def has_a_relative_pronoun(verb: Token) -> bool:
    return verb.pos_ in ("VERB", "AUX") and any("Rel" in c.morph.get("PronType") for c in verb.children)


def relative_clause_of(token: Token) -> Token | None:
    """The verb of the relative clause the token is in, if any."""
    at = token_cached(token, "kg.relative_clause", relative_clause_index)
    return None if at is None else token.doc[at]


def relative_clause_index(token: Token) -> int | None:
    return next((t.i for t in [token, *token.ancestors] if is_relative_clause(t)), None)


def clause_tokens(clause: Token) -> list[Token]:
    """The words of a relative clause, up to the comma that closes it (the parser often hangs the rest of
    the sentence below it)."""
    words = list(clause.subtree)
    end = next((t.i for t in words if t.i > clause.i and t.text == ","), words[-1].i + 1)
    return [t for t in words if t.i < end]


def is_opening_participle(token: Token) -> bool:
    """A past participle that opens its sentence without an auxiliary ("Fondée en 2019 à Lille, …"): a
    detached clause about the main subject, which the parser often hangs below it."""
    return token.i == token.sent.start and "Part" in token.morph.get("VerbForm") and \
        "Past" in token.morph.get("Tense") and not any(c.dep_.startswith("aux") for c in token.children)


def in_apposition(token: Token) -> bool:
    """The token is (or qualifies) an apposition: "X, ancienne chercheuse de Y"."""
    return token.dep_ == "appos" or token.head.dep_ == "appos" and token.head.i != token.i


def noun_modified_by(token: Token) -> Token:
    """"Le groupe lyonnais, qui …": the noun that the word before the comma qualifies."""
    while token.dep_ in ("amod", "nmod") and token.head.i < token.i and token.head.pos_ == "NOUN" \
            and not token.text[:1].isupper():
        token = token.head
    return token


def is_agent(token: Token) -> bool:
    """"par X" after a passive verb."""
    return token.dep_ == "obl:agent" or (token.dep_.startswith("obl") and case_of(token) == "par")


def speaks_of_the_market(token: Token) -> bool:
    """A market word in the token's sentence or the one before ("L'indice a fini en repli. X a
    gagné 2 %")."""
    sent = token.sent
    previous = token.doc[sent.start - 1].sent if sent.start > 0 else sent
    words = relation_words("stock_move", "market_words")
    return any(matches_word(t, words) for t in token.doc[previous.start:sent.end])


def without_market_stakes(found: list[Trigger]) -> list[Trigger]:
    """"X a pris 3 %" where the passage speaks of the market is a share move, not a stake, unless the
    sentence speaks of capital ("prendre 5 % du capital")."""
    moves = {t.token.i for t in found if t.relation == "stock_move"}
    def is_market_stake(t: Trigger) -> bool:
        return t.relation == "stake_in" and t.token.i in moves and speaks_of_the_market(t.token) and \
            not any(matches_word(w, relation_words("stake_in", "capital_words")) for w in t.token.sent)
    return [t for t in found if not is_market_stake(t)]


def is_stock_noun(token: Token) -> bool:
    return matches_word(token, word_set("relations", "stock_move", "subject_nouns"))


class Roles:
    """Subjects and objects of triggers, over one Doc's mentions."""

    def __init__(self, mentions: Mentions):
        self.mentions = mentions
        self.parsed = mentions.doc.has_annotation("DEP")

    def usable(self, entity: Entity | None) -> Entity | None:
        """Outlets cite; they never take part in a business relation."""
        return entity if entity and not is_outlet(entity) else None

    # -- subjects

    def subject_of(self, trigger: Trigger) -> Entity | None:
        """The entity that does what the trigger says, or None."""
        token = trigger.token
        if not self.parsed:
            return self.usable(self.mentions.previous_subject(token))
        if trigger.relation == "stock_move":
            return self.stock_subject(token) if self.in_market_context(token) else None
        if matches_word(token, relation_words(trigger.relation, "reverse_lemmas")):
            return self.buyer(token)
        if matches_word(token, relation_words(trigger.relation, "raise_lemmas")):
            return self.investor(trigger)
        if trigger.relation == "buys_from" and self.orders_received(token):
            return self.orderer(token)
        if matches_word(token, relation_words(trigger.relation, "subject_is_object_lemmas")):
            valued = self.passive_subject(token) or self.direct_object(token) or self.name_right_after(token)
            if valued:
                return valued
        return self.grammatical_subject(trigger)

    def grammatical_subject(self, trigger: Trigger) -> Entity | None:
        """The owner of a noun trigger, else its clause's subject; when the parse lost the subject
        altogether, the name just before the trigger."""
        token = trigger.token
        genitive_is_object = matches_word(token, relation_words(trigger.relation, "genitive_object_lemmas"))
        owner = self.owner_of(token) if token.pos_ in ("NOUN", "PROPN") and not genitive_is_object else None
        found = owner or self.agent_of_noun_or_participle(token) or self.clause_subject(token)
        if found is None and not self.has_subject(token):
            return self.usable(self.name_before(token))
        return found

    def agent_of_noun_or_participle(self, token: Token) -> Entity | None:
        """"le rachat de 67 % de Y par X", "Y, contrôlée à 90 % par X": the "par X" of a deal noun or of a bare
        participle (no auxiliary: a passive), set on it or on its figure, does the deal."""
        bare_participle = "Part" in token.morph.get("VerbForm") and not any(c.dep_.startswith("aux") for c in token.children)
        if token.pos_ != "NOUN" and not bare_participle:
            return None
        near = [c for c in token.children] + [g for c in token.children if c.dep_ != "acl" for g in c.children]
        agents = (t for t in near if t.i > token.i and case_of(t) == "par")
        return next(filter(None, (self.usable(self.mentions.resolve(t)) for t in agents)), None)

    def orderer(self, noun: Token) -> Entity | None:
        """"X a décroché une commande de Y", "… auprès de Y": Y buys; unnamed, there is no claim."""
        from_whom = [["auprès", "de"], ["auprès", "d'"]]
        return self.owner_of(noun) or self.entity_after(noun, None, from_whom, within_clause=True)

    def orders_received(self, noun: Token) -> bool:
        """"enregistrer/recevoir des commandes": the clause's subject sells."""
        return noun.pos_ == "NOUN" and matches_word(governing_verb(noun), relation_words("buys_from", "seller_verbs"))

    def has_subject(self, token: Token) -> bool:
        """The trigger's clause (up to a "que …" boundary) has a subject word, entity or not, in the parse.
        An outlet as subject does not count: it never acts, so the parser misread a dateline
        ("PARIS (AFP) - X va prendre …") or an aside, and the actor is the name before the trigger."""
        while True:
            if any(c.dep_ in ("nsubj", "nsubj:pass", "obl:agent") and not is_outlet(self.mentions.entity_at(c))
                   for c in token.children):
                return True
            if token.dep_ not in CLIMB_DEPS or token.head.i == token.i:
                return False
            token = token.head

    def name_before(self, token: Token) -> Entity | None:
        """The last organisation or person named before the token in its clause (after a "que")."""
        start = token.sent.start
        for t in token.doc[token.sent.start:token.i]:
            if normal(t.text) in ("que", "qu'"):
                start = t.i
        names = self.mentions.mentioned_between(start, token.i, ("ORG", "PER"))
        if names:
            return names[-1]
        described = (self.mentions.resolve(t) for t in token.doc[start:token.i] if t.pos_ == "NOUN" and is_definite(t))
        return next(filter(None, described), None)  # "Le groupe lyonnais, …, serait prêt à payer"

    def owner_of(self, noun: Token) -> Entity | None:
        """"son investissement" → the previous subject; "l'investissement de X" → X; "X, dont le chiffre
        d'affaires …" → X."""
        if any(lemma_of(c) == "dont" for c in noun.children) and noun.head.dep_.startswith("acl"):
            return self.usable(self.mentions.resolve(noun.head.head))
        for child in noun.children:
            if child.dep_ == "det" and ("Yes" in child.morph.get("Poss") or lemma_of(child) in POSSESSIVES):
                return self.usable(self.mentions.previous_subject(noun))
            if child.dep_ == "nmod" and case_of(child) in ("de", "d'", "du", "des") and child.i > noun.i:
                entity = self.usable(self.mentions.resolve(child))
                if entity:
                    return entity
        return None

    def clause_subject(self, token: Token) -> Entity | None:
        """The subject (or "par X" agent) of the trigger's clause, climbing to the verb that has one."""
        while True:
            if is_opening_participle(token):  # "Fondée en 2019 par X et Y, Z revendique …": Z, not X
                return self.name_after_opening(token)
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubj:pass")]
            agent = next((c for c in token.children if is_agent(c)), None)
            if agent is not None and (not subjects or subjects[0].dep_ == "nsubj:pass"):
                return self.usable(self.mentions.resolve(agent))
            if subjects:  # an opening participle taken for the subject: the name after it is ("Fondée en …, X est …")
                return next(filter(None, (self.name_after_opening(s) if is_opening_participle(s)
                                          else self.subject_entity(s) for s in subjects)), None)
            if token.dep_ not in CLIMB_DEPS or token.head.i == token.i:
                return None
            token = token.head

    def subject_word(self, token: Token) -> Token | None:
        """The subject word of the token's clause, climbing to the verb that has one."""
        while True:
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
            if subject is not None or token.dep_ not in CLIMB_DEPS or token.head.i == token.i:
                return subject
            token = token.head

    def name_after_opening(self, participle: Token) -> Entity | None:
        """The entity named (or described: "le groupe") right after the comma that closes an opening participle."""
        for comma in (t for t in participle.sent if t.i > participle.i and t.text == ","):
            after = participle.doc[comma.i + 1:min(comma.i + 3, participle.sent.end)]
            if any(in_apposition(t) for t in after):
                continue  # "Fondée par X, ancienne chercheuse de Y, Z …": the comma closes no clause yet
            return next(filter(None, (self.usable(self.mentions.resolve(t)) for t in after)), None)
        return None

    def subject_entity(self, subject: Token) -> Entity | None:
        """The entity a subject word stands for; "qui" stands for the noun its clause qualifies; a
        common noun for its owner ("son chiffre d'affaires", "le directeur de X")."""
        if lemma_of(subject) == "qui":
            subject = relative_antecedent(subject)
        if is_stock_noun(subject):
            return None
        entity = self.usable(self.mentions.resolve(subject))
        if entity is None and subject.pos_ == "NOUN":
            return self.owner_of(subject)
        return entity

    def in_market_context(self, token: Token) -> bool:
        """"céder", "gagner", "prendre" 3 % are share moves only where the passage speaks of the market
        ("X a cédé 9 % de sa participation" is a sale)."""
        if not matches_word(token, relation_words("stock_move", "ambiguous_lemmas")):
            return True
        return speaks_of_the_market(token)

    def stock_subject(self, token: Token) -> Entity | None:
        """Whose share moves: the entity of the nearest "action"/"titre" ("l'action X", "le titre de X"),
        else the subject of the moving verb ("LVMH a chuté de 6 %"). A verb with a company of its own as subject
        moves that company's shares ("… tandis que l'action X s'envolait et que Y gagnait 3 %")."""
        own = [self.usable(self.mentions.named(c)) for c in token.children if c.dep_ == "nsubj"]
        if any(own):
            return next(filter(None, own))
        nouns = sorted((t for t in token.sent if is_stock_noun(t)),
                       key=lambda n: (tree_distance(n, token), abs(n.i - token.i)))
        for noun in nouns[:1]:
            if any(d.dep_ == "det" and "Yes" in d.morph.get("Poss") for d in noun.children):
                return self.usable(self.mentions.previous_subject(noun))  # "X a vu son action bondir"
            for t in self.mentions.doc[noun.i + 1:min(noun.i + 4, noun.sent.end)]:
                entity = self.usable(self.mentions.resolve(t))
                if entity:
                    return entity
        return None if is_stock_noun(token) else self.moving_company(token)

    def moving_company(self, verb: Token) -> Entity | None:
        """"LVMH a chuté de 6 %": the subject must be the company itself, not "le chiffre d'affaires de X"."""
        while verb.head.i != verb.i and not any(c.dep_ == "nsubj" for c in verb.children) and verb.dep_ in CLIMB_DEPS:
            verb = verb.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None and not self.has_subject(verb):
            return self.usable(self.name_before(verb))  # the parse lost the subject ("X s'effondre de 40 %")
        if subject is None or (subject.pos_ == "NOUN" and not self.mentions.named(subject) and
                               not lemma_of(subject) in word_set("coreference", "ORG") and lemma_of(subject) != "qui"):
            return None
        return self.subject_entity(subject)

    def buyer(self, verb: Token) -> Entity | None:
        """"X cède Y à Z": Z buys. The entity "à Z" after the verb."""
        for child in verb.children:
            if case_of(child) in ("à", "au", "aux") or child.dep_ == "iobj" or is_dative_clitic(child):
                entity = self.usable(self.mentions.resolve(child))  # "X lui fournit …": "lui" buys
                if entity:
                    return entity
        return self.entity_after(verb, None, [["à"], ["au"]]) or self.supplied(verb)

    def supplied(self, verb: Token) -> Entity | None:
        """"X fournira la start-up Y": with a verb of supplying someone, the company that is its object buys."""
        if not matches_word(verb, relation_words("buys_from", "recipient_object_lemmas")):
            return None
        objects = (self.usable(self.mentions.resolve(c)) for c in verb.children if c.dep_ == "obj")
        return next((e for e in objects if e is not None and e.label in ("ORG", "MISC")), None)

    def first_person_in_quote(self, trigger: Trigger) -> bool:
        """"« Nous avons investi … », a déclaré X": the subject is "nous" or "je" inside quotation marks."""
        token = trigger.token
        while token.head.i != token.i and not any(c.dep_ == "nsubj" for c in token.children):
            token = token.head
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if subject is None or normal(subject.text) not in FIRST_PERSON:
            return False
        text = doc_text(subject.doc)  # the quote may have opened sentences before, in the paragraph
        before = text[text.rfind("\n", 0, subject.idx) + 1:subject.idx]
        return before.count("«") > before.count("»")

    def names_other_parties(self, trigger: Trigger) -> bool:
        """"céder à X", "lever auprès de X": the grammatical subject is not the claim's subject."""
        words = relation_words(trigger.relation, "reverse_lemmas") | relation_words(trigger.relation, "raise_lemmas")
        return matches_word(trigger.token, words)

    def investor(self, trigger: Trigger) -> Entity | None:
        """"X lève 75 millions auprès de Y", "un tour de table mené par Y": Y invests; without a named
        investor there is no invests_in claim (the figure may still be an "other")."""
        agent = next((c for c in trigger.token.children if is_agent(c)), None)
        if agent is not None:
            return self.usable(self.mentions.resolve(agent))
        cases = [split_words(normal(c)) for c in relations()[trigger.relation].get("investor_cases", ())]
        return self.entity_after(trigger.token, None, cases, within_clause=True)

    def passive_subject(self, verb: Token) -> Entity | None:
        """"X a été valorisée à N par ses investisseurs": X, the passive subject, is what is valued."""
        subjects = [c for c in verb.children if c.dep_ == "nsubj:pass"]
        return next(filter(None, (self.subject_entity(s) for s in subjects)), None)

    def direct_object(self, verb: Token) -> Entity | None:
        objects = [c for c in verb.children if c.dep_ == "obj"]
        return next(filter(None, (self.usable(self.mentions.resolve(o)) for o in objects)), None)

    def name_right_after(self, token: Token) -> Entity | None:
        """The entity right after a verb, past its determiners (for a verb the tagger took for a noun:
        "l'opération valorise Ørsted")."""
        after = token.i + 1
        while after < token.sent.end and token.doc[after].pos_ == "DET":
            after += 1
        return self.usable(self.mentions.resolve(token.doc[after])) if after < token.sent.end else None

    def discourse_subject(self, trigger: Trigger) -> bool:
        """The clause's subject is an anaphoric common noun ("ce partenariat", "ces infrastructures",
        "l'annonce du projet"): the claim is about the entity the passage is about. The trigger itself
        as subject must be demonstrative ("cet engagement", not "la capacité de 10 GW")."""
        if not relations()[trigger.relation].get("topic_fallback"):
            return False
        token = trigger.token
        while token.head.i != token.i and not any(c.dep_ in ("nsubj", "nsubj:pass") for c in token.children):
            token = token.head
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
        if subject is not None and lemma_of(subject) == "qui":  # "L'usine, qui produira 60 000 tonnes"
            subject = relative_antecedent(subject)
        if subject is None or subject.pos_ != "NOUN":
            return subject is None and trigger.token.pos_ == "NOUN"
        determiners = [d for d in subject.children if d.dep_ == "det"]
        demonstrative = any("Dem" in d.morph.get("PronType") for d in determiners)
        definite = any("Def" in d.morph.get("Definite") for d in determiners)
        return demonstrative or (definite and subject.i != trigger.token.i)

    # -- objects

    def invests_in_a_thing(self, trigger: Token) -> bool:
        """"investir 2 milliards dans l'éolien", "dans une usine": the money goes to a sector or an asset
        (a noun after "dans" near the trigger that stands for no entity), not to a company."""
        near = [t for t in trigger.subtree if tree_distance(t, trigger) <= 2] + list(trigger.children)
        into = [t for t in near if t.pos_ == "NOUN" and case_of(t) in word_set("thing_object_cases")]
        return any(self.usable(self.mentions.resolve(t)) is None for t in into)

    def object_of(self, trigger: Trigger, subject: Entity) -> Entity | None:
        """The other party: a dependent introduced by one of the relation's prepositions, the verb's
        object, the first such "dans/avec/auprès de X" after the trigger, or the sentence's verb object."""
        found = self.objects_of(trigger, subject)
        return found[0] if found else None

    def objects_of(self, trigger: Trigger, subject: Entity, relation: str | None = None) -> list[Entity]:
        """The object and the entities coordinated with it ("dans des start-up comme X ou Y"); `relation`
        is the claim's when the amount made it another than the trigger's ("céder 20 % de X à Y")."""
        relation = relation or trigger.relation
        token = trigger.token
        if self.names_other_parties(trigger) or (trigger.relation == "buys_from" and self.orders_received(token)):
            if relation == "stake_in":  # "X cède 20 % de Y à Z": the stake is in Y
                return [e for e in [self.entity_after(token, subject, [["de"]])] if e]
            other_party = self.usable(self.clause_subject(token))  # the seller, or the company that raises
            return [other_party] if other_party else []
        seller = self.stake_owner(token, subject) if relation == "buys_from" else None
        if seller is not None:
            return [seller]
        cases = object_cases(relation, trigger.relation)
        for child in token.children:
            entity = self.other(child, subject)
            if entity and (case_of(child) in cases or child.dep_ in ("obj", "iobj", "nsubj:pass") or
                           is_dative_clitic(child)):  # "X lui achète …": "lui" sells
                return [entity] + self.coordinated(entity, subject, token.sent)
        case_words = [split_words(normal(c)) for c in list(cases) + lexicon()["example_markers"]]
        entity = self.entity_after(token, subject, case_words) or self.verb_object(token.sent, subject)
        return [entity] + self.coordinated(entity, subject, token.sent) if entity else []

    def stake_owner(self, verb: Token, buyer: Entity | None) -> Entity | None:
        """"racheter (l'intégralité de) la participation de X", "les titres de X": whoever owns the stake bought
        sells it."""
        stake_nouns = relation_words("stake_in", "genitive_object_lemmas") | {"participation", "parts"}
        for bought in (c for c in verb.children if c.dep_ == "obj"):
            if matches_word(bought, word_set("whole_company_words")):
                bought = next((c for c in bought.children if c.dep_ == "nmod" and case_of(c) in ("de", "d'", "du")),
                              bought)
            if not matches_word(bought, stake_nouns):
                continue
            owners = (c for c in bought.children if c.dep_ == "nmod" and case_of(c) in ("de", "d'", "du"))
            return next(filter(None, (self.other(c, buyer) for c in owners)), None)
        return None

    def coordinated(self, entity: Entity, subject: Entity | None, sent: Span) -> list[Entity]:
        """Entities right after this one's mention in the sentence, joined by "et", "ou" or a comma, maybe
        repeating the preposition ("Nscale ou Enfabrica", "auprès de Sequoia et de DST Global")."""
        doc, found = self.mentions.doc, []
        mention = [t.i for t in sent if (e := self.mentions.entity_at(t)) and e.id == entity.id]
        if not mention:
            return []
        end = mention[-1] + 1
        while end + 1 < len(doc) and normal(doc[end].text) in ("et", "ou", ","):
            after = end + 1 + (normal(doc[end + 1].text) in ("de", "d'", "du", "à", "au", "dans", "avec"))
            nxt = self.other(doc[after], subject) if after < len(doc) else None
            if nxt is None or nxt in found or nxt.id == entity.id:
                break
            found.append(nxt)
            end = doc.char_span(nxt.start, nxt.end, alignment_mode="expand").end
        return found

    def other(self, token: Token, subject: Entity | None) -> Entity | None:
        """The other party a token names: not the subject, and not a place ("l'entreprise de Lille")."""
        entity = self.usable(self.mentions.resolve(token))
        return entity if entity and entity.label != "LOC" and (subject is None or entity.id != subject.id) else None

    def entity_after(self, trigger: Token, subject: Entity | None, case_words: list[list[str]], *,
                     within_clause: bool = False) -> Entity | None:
        """The first entity (or "le groupe") after the trigger that one of the prepositions introduces
        (before the next comma, when `within_clause`)."""
        doc = trigger.doc
        for token in doc[trigger.i + 1:min(trigger.i + OBJECT_WINDOW, trigger.sent.end)]:
            if within_clause and token.is_punct:
                return None
            if token.i > 0 and self.mentions.entity_at(doc[token.i - 1]) is self.mentions.entity_at(token) is not None:
                continue
            entity = self.other(token, subject)
            if entity and any(preceded_by(token, words) for words in case_words):
                return entity
        return None

    def verb_object(self, sent: Span, subject: Entity) -> Entity | None:
        """Failing a preposition, the direct object of a verb of the sentence ("continue de soutenir X,
        bien que son investissement …")."""
        objects = [t for t in sent if t.dep_ in ("obj", "obl:arg") and t.head.pos_ == "VERB" and not case_of(t)
                   and not matches_word(t.head, word_set("reporting_verbs"))]  # "a annoncé X": X speaks
        return next(filter(None, (self.other(t, subject) for t in objects)), None)


def is_dative_clitic(token: Token) -> bool:
    """"lui", "leur" set right before a verb: its indirect object, whatever role the parser gave it."""
    return normal(token.text) in ("lui", "leur") and token.i < token.head.i and token.head.pos_ in ("VERB", "AUX") \
        and not (token.i > 0 and token.nbor(-1).pos_ == "ADP")  # not "selon lui"


def object_cases(relation: str, trigger_relation: str) -> list[str]:
    """The prepositions of the claim's relation, then those of the trigger's own when the amount made it another
    ("prendre le contrôle de X pour 380 M€" invests in X: the verb still governs "de X")."""
    cases = list(relations()[relation]["object_cases"])
    return cases + [c for c in relations()[trigger_relation]["object_cases"] if c not in cases]


def preceded_by(token: Token, words: list[str]) -> bool:
    """The words right before the token, skipping at most a determiner and an adjective, are `words`
    ("dans le danois Ørsted"); "de" also matches "du", "d'" and "des"."""
    doc = token.doc
    for skip in (0, 1, 2):
        start = token.i - skip - len(words)
        if start < 0:
            return False
        skipped = doc[start + len(words):token.i]
        if skip and not all(t.pos_ in ("DET", "ADJ", "") for t in skipped):
            return False
        seen = [normal(t.text) for t in doc[start:start + len(words)]]
        if seen == words or (words == ["de"] and seen[-1:] in (["du"], ["d'"], ["des"])):
            return True
    return False
