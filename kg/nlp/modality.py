"""How sure a claim is: denied, conditional, rumor, reported or asserted (DESIGN §4), and its polarity.

The cues are words of the lexicon ("démentir", "à condition que", "des rumeurs") and the
verb's mood. fr_core_news_md often tags the journalistic conditional ("investirait") as
indicative, so the -rait/-raient endings of a finite verb count as conditional too.

>>> import spacy
>>> doc = spacy.blank("fr")("Acme investirait 5 milliards si Globex accepte.")
>>> is_conditional(doc[:]), is_hedged(doc[1]), modality_of(doc[:], doc[1], sources=[])
(True, True, 'conditional')
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from kg.model import Ref
from kg.nlp.lexicon import lemma_of, matches_word, normal, phrase_matches, word_set
from kg.nlp.roles import clause_tokens, is_relative_clause, relative_clause_of
from kg.nlp.tokens import span_cached, token_cached

CLAUSE_CHAIN = ("xcomp", "ccomp", "acl", "acl:relcl", "advcl", "conj", "obj", "nmod", "obl", "obl:arg", "obl:mod",
                "nsubj")


def find_phrase(sent: Span | list[Token], *path: str) -> int | None:
    """Index (in the sentence or token list) where one of the lexicon's phrases starts, or None."""
    return next((i for i, _ in phrase_matches(list(sent), *path)), None)


def denial_cue(sent: Span) -> Token | None:
    """The word by which the sentence rejects a claim ("a démenti", "« absurdes »", "rien de tel")."""
    denial = next((t for t in sent if is_denial_verb(t)), None)
    if denial is not None:
        return denial
    at = find_phrase(sent, "modality", "denial_phrases")
    if at is not None:
        return sent[at]
    words = word_set("modality", "denial_words")
    return next((t for t in sent if matches_word(t, words) and not is_negated(t) and has_speaker_verb(sent)), None)


def is_denial_verb(token: Token) -> bool:
    """"démentir", "nier" always deny; "rejeter", "balayer" only when they reject a claim; none does
    negated ("n'a ni confirmé ni démenti")."""
    denies = matches_word(token, word_set("modality", "denial_verbs")) or \
        (matches_word(token, word_set("modality", "denial_verbs_needing_a_claim_object")) and rejects_a_claim(token))
    return denies and not is_negated(token)  # the negation last: it climbs the parse, the word test does not


def rejects_a_claim(verb: Token) -> bool:
    """"Rejeter"/"balayer" deny only when what they reject is a claim (rumours, reports, hypotheses)."""
    objects = [c for c in verb.children if c.dep_ in ("obj", "nsubj:pass")] or list(verb.rights)[:3]
    return any(matches_word(o, word_set("modality", "claim_nouns")) for o in objects)


def has_speaker_verb(sent: Span) -> bool:
    """Someone speaks in the sentence (a reporting verb), so a judgement word is theirs."""
    return any(matches_word(t, word_set("reporting_verbs")) and t.pos_ in ("VERB", "") for t in sent)


def is_conditional(sent: Span) -> bool:
    """The sentence states a condition ("si …", "à condition que", "sous réserve de"), not "même si"."""
    return span_cached(sent, "kg.conditional", states_a_condition)


def states_a_condition(sent: Span) -> bool:
    tokens = list(sent)
    if any(len(p) > 1 for _, p in phrase_matches(tokens, "modality", "conditional_markers")):
        return True
    return any(is_conditional_si(t) for t in tokens)


def is_conditional_si(token: Token) -> bool:
    """"si" introducing a clause, not "même si", "comme si", "si bien que" nor the adverb "si grand"."""
    if normal(token.text) not in ("si", "s'"):
        return False
    if normal(token.text) == "s'" and not (token.i + 1 < len(token.doc) and token.nbor(1).lower_ in ("il", "ils")):
        return False
    if token.pos_ and token.pos_ not in ("SCONJ",) and token.dep_ != "mark":
        return False
    before = normal(token.nbor(-1).text) if token.i > 0 else ""
    after = normal(token.nbor(1).text) if token.i + 1 < len(token.doc) else ""
    return before not in word_set("modality", "not_conditional_before_si") and \
        after not in word_set("modality", "not_conditional_after_si")


def clause_verbs(trigger: Token) -> list[Token]:
    """The trigger and the words that govern it up to the main verb, with their auxiliaries; a relative
    clause ("X, qui a investi 10 milliards, serait prêt à …") has a mood of its own, so the climb stops there."""
    chain, token = [trigger], trigger
    while token.head.i != token.i and token.dep_ in CLAUSE_CHAIN and not is_relative_clause(token):
        token = token.head
        chain.append(token)
    return chain + [c for t in chain for c in t.children if c.dep_.startswith("aux") or c.dep_ == "cop"]


def in_conditional_mood(token: Token) -> bool:
    """Conditional mood, from the tagger or from the ending of a finite verb ("pourrait")."""
    if "Cnd" in token.morph.get("Mood"):
        return True
    finite = token.pos_ in ("VERB", "AUX", "") and "Part" not in token.morph.get("VerbForm") \
        and "Inf" not in token.morph.get("VerbForm")
    return finite and any(normal(token.text).endswith(e) for e in word_set("modality", "conditional_endings"))


def is_hedged(trigger: Token) -> bool:
    """The claim is put as a possibility: conditional mood on its verbs, or rumour words around it."""
    if any(in_conditional_mood(t) for t in clause_verbs(trigger)):
        return True
    clause = relative_clause_of(trigger)  # "X, qui pèse 3 milliards, serait à l'affût, selon des rumeurs"
    scope = clause_tokens(clause) if clause is not None else list(trigger.sent)
    return any(matches_word(t, word_set("modality", "rumor_nouns")) for t in scope) or \
        find_phrase(scope, "modality", "rumor_phrases") is not None


def governing_verb(trigger: Token) -> Token:
    """The verb whose clause the trigger is in, through infinitive complements ("ne prévoit pas d'investir")."""
    token = trigger
    while token.head.i != token.i and (token.pos_ not in ("VERB", "AUX") or token.dep_ == "xcomp"):
        token = token.head
    return token


def is_negated(trigger: Token) -> bool:
    """"n'a pas investi", "ne … jamais": a negation word on the trigger or its verbs (once per token)."""
    return token_cached(trigger, "kg.negated", has_negation)


def has_negation(trigger: Token) -> bool:
    negations = word_set("modality", "negation_words")
    chain, token, verb = [trigger], trigger, governing_verb(trigger).i
    while token.i != verb:
        if token.dep_ in ("nsubj", "nsubj:pass", "appos"):
            return False  # "X, actionnaire à 24 %, n'a pas souhaité commenter": the verb's negation is not the subject's
        token = token.head
        chain.append(token)
    return any(lemma_of(c) in negations or "Neg" in c.morph.get("Polarity") for t in chain for c in t.children)


def modality_of(sent: Span, trigger: Token, *, sources: list[Ref], denied: bool = False) -> str:
    """The first modality that applies, in DESIGN's order: denied, conditional, rumor, reported, asserted.

    A hedge with any source, even an anonymous one ("selon plusieurs sources, X envisagerait"), is
    reported: rumour is what nobody is said to say ("X serait valorisé", "selon des rumeurs").
    """
    if denied:
        return "denied"
    if is_conditional(sent):
        return "conditional"
    if is_hedged(trigger) and not sources:
        return "rumor"
    return "reported" if sources else "asserted"


