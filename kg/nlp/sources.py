"""Who a sentence cites: "selon X", "X a déclaré", "(Source : X, Y)", anonymous sources, quotes.

A claim's source chain runs from the outlet the article cites to whom that outlet cites
("le FT, citant des sources anonymes" gives [FT, "des sources anonymes"]). Anonymous
sources are Refs without an id. A company or person announcing its own action is its own
source. The words (reporting verbs, "selon", anonymous heads) come from the lexicon.

>>> import spacy
>>> from kg.model import Entity
>>> from kg.nlp.mentions import Mentions
>>> nlp = spacy.blank("fr"); _ = nlp.add_pipe("sentencizer")
>>> doc = nlp("Selon l'AFP, Acme investit.")
>>> [r.text for r in sentence_sources(doc[:], Mentions(doc, [Entity("AFP", "ORG", 8, 11, "afp")]))]
['AFP']
"""
from __future__ import annotations

import re
from functools import cache
from weakref import WeakKeyDictionary

from spacy.tokens import Span, Token

from kg.model import Entity, Ref
from kg.nlp.lexicon import lemma_of, matches_word, normal, phrase_matches, word_set
from kg.nlp.mentions import Mentions, is_outlet, name_parts, ref_of
from kg.nlp.modality import is_negated
from kg.nlp.roles import clause_tokens, relative_antecedent, relative_clause_of
from kg.nlp.tokens import doc_text, token_cached

QUOTE = re.compile(r"«\s*(.+?)\s*»", re.DOTALL)
SPLIT_NAMES = re.compile(r"\s*(?:,|;|\bet\b|&)\s*")
INVERTED_SUBJECT_WINDOW = 6
SOURCE_PHRASE_LIMIT = 8
DESCRIBED_SOURCE_WORDS = 6
TITLE_WORDS = 8  # words a title ("la directrice générale de X") may take before the comma and the name
ARTICLES = frozenset({"le", "la", "les", "l'"})
LEADING_PREPOSITIONS = frozenset({"selon", "de", "d'", "par", "à"})
OWN_WORDS = frozenset({"nos", "notre", "mes", "mon", "ma"})
# The sources each token introduces, per Mentions (one per article): forgotten with it.
SOURCES_AT: WeakKeyDictionary[Mentions, dict[int, list[Ref]]] = WeakKeyDictionary()


@cache
def source_note_pattern() -> re.Pattern:
    """"(Source : X, Y)", "(Sources : X)", "(selon X)": a parenthesis that names sources."""
    markers = sorted(word_set("source_marker_words"), key=len, reverse=True)
    words = "|".join(re.escape(w).replace("'", "['’]") for w in markers)
    return re.compile(rf"\(\s*(?:{words})\s*:?\s*([^()]+?)\s*\)", re.IGNORECASE)


def source_notes(text: str) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """(start, end, name spans) of each source note in a text.

    >>> [(s, e, names) for s, e, names in source_notes("Vrai (Source : AFP, Le Monde).")]
    [(5, 29, [(15, 18), (20, 28)])]
    """
    notes = []
    for match in source_note_pattern().finditer(text):
        names, offset = [], match.start(1)
        for part in SPLIT_NAMES.split(match.group(1)):
            at = text.find(part, offset)
            if part and at >= 0:
                names.append((at, at + len(part)))
                offset = at + len(part)
        notes.append((match.start(), match.end(), names))
    return notes


def paragraph_sources(sent: Span, mentions: Mentions) -> list[Ref]:
    """Sources of the first note at or after the sentence in its paragraph (a note covers what precedes it)."""
    text = doc_text(sent.doc)
    line_start = text.rfind("\n", 0, sent.start_char) + 1
    line_end = text.find("\n", sent.start_char)
    line_end = len(text) if line_end < 0 else line_end
    for start, end, names in source_notes(text[line_start:line_end]):
        if line_start + end > sent.start_char:
            return [name_ref(line_start + a, line_start + b, mentions) for a, b in names]
    return []


def name_ref(start: int, end: int, mentions: Mentions) -> Ref:
    """The entity spelled at [start, end), or a bare Ref of the text when kg does not know it."""
    span = mentions.doc.char_span(start, end, alignment_mode="expand")
    entity = next(filter(None, (mentions.entity_at(t) for t in span or ())), None)
    return ref_of(entity) if entity else Ref(text=doc_text(mentions.doc)[start:end], id=None)


def sentence_sources(sent: Span, mentions: Mentions) -> list[Ref]:
    """Sources named in the sentence, outlets first, then speakers, then anonymous sources."""
    found = [ref for token in sent for ref in sources_at(token, mentions)]
    found += anonymous_in(sent)
    return ordered(unique(found))


def sources_at(token: Token, mentions: Mentions) -> list[Ref]:
    """The sources a word introduces: "selon X", a reporting verb's speaker and whom it cites, "les
    informations de X". Found once per token: every claim of a sentence looks at all its words again."""
    found = SOURCES_AT.setdefault(mentions, {})
    if token.i not in found:
        found[token.i] = sources_introduced_by(token, mentions)
    return list(found[token.i])


def sources_introduced_by(token: Token, mentions: Mentions) -> list[Ref]:
    if normal(token.text) in word_set("source_prepositions") or is_d_apres(token):
        return [r for r in [source_after(token, mentions)] if r]
    if is_reporting_verb(token) and not is_negated(token):  # "n'a pas souhaité commenter" says nothing
        return [r for r in [speaker_of(token, mentions)] if r] + cited_by(token, mentions)
    if matches_word(token, word_set("modality", "claim_nouns")):
        return reported_by(token, mentions)
    return []


def is_d_apres(token: Token) -> bool:
    return normal(token.text) in ("d'", "de") and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "après"


def source_after(preposition: Token, mentions: Mentions) -> Ref | None:
    """The source named after "selon"/"d'après": an entity, a pronoun ("selon lui"), or a phrase up to
    the next punctuation ("des analystes de la banque X", "un document consulté par AFP")."""
    start = preposition.i + (2 if is_d_apres(preposition) else 1)
    words = []
    for token in preposition.doc[start:min(start + SOURCE_PHRASE_LIMIT, preposition.sent.end)]:
        if token.is_punct or token.is_space:
            break
        words.append(token)
    if not words or lemma_of(words[0]) in ("lequel", "laquelle", "lesquels", "lesquelles"):
        return None
    if any(matches_word(t, word_set("unsourced_nouns")) for t in words) or normal(words[0].text) in OWN_WORDS:
        return None  # "selon des rumeurs" names no one; "d'après nos informations" is the article itself
    named = just_a_name(words, mentions)
    return ref_of(named) if named else phrase_ref(words, mentions)


def just_a_name(words: list[Token], mentions: Mentions) -> Entity | None:
    """The entity the words are, when they are only a name (after an article), a pronoun ("lui"), or
    a report of a name ("des informations de Les Echos")."""
    content = [t for t in words if not (t.pos_ == "DET" or normal(t.text) in ARTICLES)]
    outlet = mentions.described_outlet(content[0]) if content else None
    if outlet:
        return outlet
    if content and matches_word(content[0], word_set("modality", "claim_nouns")):
        owners = reported_by(content[0], mentions)
        if owners:
            return next(e for e in mentions.entities if e.id == owners[0].id)
    if len(content) == 1 and content[0].pos_ in ("PRON", ""):
        return mentions.resolve(content[0], speaker=True)
    entities = {id(mentions.entity_at(t)) for t in content}
    entity = mentions.entity_at(content[0]) if content else None
    return entity if entity and len(entities) == 1 else None


def phrase_ref(words: list[Token], mentions: Mentions) -> Ref:
    """A source written as a phrase; its id is the entity it speaks for ("un porte-parole de X"), if any."""
    text = doc_text(words[0].doc)[words[0].idx:words[-1].idx + len(words[-1].text)]
    speaks_for = next(filter(None, (mentions.represented(t) for t in words)), None)
    return Ref(text=text, id=speaks_for.id if speaks_for else None)


def is_determiner(token: Token) -> bool:
    return token.pos_ in ("DET", "NUM") or normal(token.text) in word_set("indefinite_determiners") | ARTICLES


def anonymous_group(head: Token) -> Ref | None:
    """"des sources proches du dossier", "plusieurs sources": an anonymous source, as written."""
    if not matches_word(head, word_set("anonymous_source_heads")) or matches_word(head, word_set("unsourced_nouns")):
        return None
    return Ref(text=noun_phrase(head), id=None)


def noun_phrase(head: Token) -> str:
    """The text of a noun with its determiner and modifiers, up to the first punctuation after it."""
    tokens = [t for t in head.subtree if t.sent == head.sent] if head.dep_ else [head]
    if not head.dep_ and head.i > 0 and is_determiner(head.nbor(-1)):
        tokens = [head.nbor(-1), head]
    cut = next((k for k, t in enumerate(tokens) if t.i > head.i and (t.is_punct or t.is_space)), len(tokens))
    tokens = tokens[:cut]
    while tokens and tokens[0].i < head.i and (tokens[0].is_punct or lemma_of(tokens[0]) in LEADING_PREPOSITIONS):
        tokens.pop(0)
    return doc_text(head.doc)[tokens[0].idx:tokens[-1].idx + len(tokens[-1])] if tokens else head.text


def speaker_of(verb: Token, mentions: Mentions) -> Ref | None:
    """Who speaks through a reporting verb: its subject, "-t-il", "par X", an inverted subject, the
    subject of the verb it depends on, or (for a main verb) the last name before it."""
    if not verb.doc.has_annotation("DEP"):
        return preceding_name(verb, mentions) or inverted_subject(verb, mentions)
    for child in verb.children:
        if child.dep_ in ("nsubj", "expl:subj", "obl:agent") or child.lower_ in ("-il", "-elle") or \
                (child.dep_.startswith("obl") and has_case(child, "par")):
            found = speaker_ref(child, mentions) if not is_place(mentions.entity_at(child)) else None
            if found:  # a place never speaks: "LYON, 23 juin (AFP) - X a démenti" is a dateline the parser misread
                return found
    if is_non_finite(verb):  # "après avoir annoncé un achat de X": no inverted subject, X is no speaker
        return inherited_subject(verb, mentions)
    return inverted_subject(verb, mentions) or inherited_subject(verb, mentions) or \
        (preceding_name(verb, mentions) if verb.dep_ == "ROOT" else None)


def is_place(entity: Entity | None) -> bool:
    return entity is not None and entity.label == "LOC"


def absolute_participle_after(verb: Token, trigger: Token) -> bool:
    """"…, certains analystes jugeant …" after the claim: a participle with a subject of its own comments
    on the clause before it, whichever way the parser attached them."""
    return verb.i > trigger.i and any(c.dep_ == "nsubj" for c in verb.children)


def is_non_finite(verb: Token) -> bool:
    """An infinitive ("après avoir dit"), a gerund or a present participle: a verb with no subject of its own."""
    forms = verb.morph.get("VerbForm")
    infinitive_auxiliary = any(c.dep_.startswith("aux") and "Inf" in c.morph.get("VerbForm") for c in verb.children)
    return "Inf" in forms or "Ger" in forms or infinitive_auxiliary or \
        ("Part" in forms and "Pres" in verb.morph.get("Tense"))


def side_remark_sources(sent: Span, trigger: Token, mentions: Mentions) -> list[Ref]:
    """Speakers of a participle or infinitive clause beside the claim, not above it ("X a cédé 1 %,
    des courtiers jugeant le cours trop haut", "après avoir publié ses comptes"): they say
    something else, so they do not source the claim."""
    side = [t for t in sent if is_reporting_verb(t) and is_non_finite(t) and t.dep_ in ("advcl", "acl", "conj", "ROOT")
            and not matches_word(t, word_set("citing_verbs"))  # "le journal, citant des sources": the journal still reports
            and (not any(a.i == t.i for a in [trigger, *trigger.ancestors]) or absolute_participle_after(t, trigger))]
    return [r for verb in side for r in [speaker_of(verb, mentions)] if r]


def enclosed_sources(sent: Span, trigger: Token, mentions: Mentions) -> list[Ref]:
    """Sources cited inside a clause or a report that the claim is not in: a relative clause ("X, qui
    a signé un contrat évalué à 1,5 milliard selon Y, a pris 2,7 %") or a report's phrase ("a bondi
    au lendemain d'informations de Y"): they source what they enclose only. Not a cleft ("C'est Y qui
    détaille le montage : …"), "qui cite des sources" (the cited still speak), nor "selon des
    informations de X". A claim in a relative clause is not what the main verb's speaker says ("X, qui
    détient 51 %, a déclaré …")."""
    own = relative_clause_of(trigger)
    own = own if own is not None and not is_cleft(own) and not reports_content(own) else None
    own_words = {t.i for t in clause_tokens(own)} if own is not None else set()
    inside, outside = [], []
    above_the_claim = {t.i for t in [trigger, *trigger.ancestors]}
    for token in sent:
        clause = relative_clause_of(token)
        enclosure = report_around(token) if clause is None or is_cleft(clause) else clause
        scoped = enclosure is not None and not matches_word(token, word_set("citing_verbs")) \
            and enclosure.i not in above_the_claim
        spoken_outside = own is not None and token.i not in own_words and is_reporting_verb(token) \
            and describes_the_speaker(own, token)
        (inside if scoped or spoken_outside else outside).extend(sources_at(token, mentions))
    return [ref for ref in inside if ref not in outside]  # "selon X, qui affirme que …": X still sources it


def describes_the_speaker(clause: Token, verb: Token) -> bool:
    """"X, qui détient 51 %, a déclaré …": the relative clause qualifies the verb's subject."""
    qui = next((c for c in clause.children if "Rel" in c.morph.get("PronType")), None)
    antecedent = relative_antecedent(qui) if qui is not None and qui.dep_.startswith("nsubj") else clause.head
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")]
    return any(antecedent.i in {t.i for t in s.subtree} for s in subjects)


def reports_content(clause: Token) -> bool:
    """"les informations selon lesquelles X …": the relative clause is what a report says."""
    reports = word_set("modality", "claim_nouns") | word_set("modality", "rumor_nouns")
    return matches_word(clause.head, reports)


def report_around(token: Token) -> Token | None:
    """The report noun ("informations", "rumeurs") whose phrase the token is in, unless that report is the
    sentence's subject or its source ("selon des informations de X")."""
    at = token_cached(token, "kg.report_around", report_index)
    return None if at is None else token.doc[at]


def report_index(token: Token) -> int | None:
    for t in [token, *token.ancestors]:
        if matches_word(t, word_set("modality", "claim_nouns")) and t.pos_ == "NOUN":
            cited = any(normal(c.text) in word_set("source_prepositions") or is_d_apres(c) for c in t.children)
            return None if cited or t.dep_.startswith("nsubj") else t.i
    return None


def is_cleft(clause: Token) -> bool:
    """"C'est X qui …", "Ce sont les analystes qui …": the relative clause says who speaks for the sentence."""
    return token_cached(clause, "kg.cleft", opens_a_cleft)


def opens_a_cleft(clause: Token) -> bool:
    qui = next((c for c in clause.children if c.dep_.startswith("nsubj") and "Rel" in c.morph.get("PronType")), None)
    antecedent = clause.head if qui is None else relative_antecedent(qui)
    start = antecedent.i
    while start > antecedent.sent.start and clause.doc[start - 1].pos_ == "DET":
        start -= 1
    before = [normal(t.text) for t in clause.doc[max(start - 2, 0):start]]
    return len(before) == 2 and before[0] in ("c'", "ce") and lemma_of(clause.doc[start - 1]) == "être"


def named_person_beside(title: Token, mentions: Mentions) -> Entity | None:
    """"La directrice financière de X, Jeanne Dupont, a déclaré": the person the title is apposed to
    speaks, by name."""
    people = (mentions.entity_at(t) for t in name_parts(title))
    return next((e for e in people if e and e.label == "PER"), None) or person_after_comma(title, mentions)


def person_after_comma(title: Token, mentions: Mentions) -> Entity | None:
    """"la directrice générale de X, Léa Dupont": the name after the comma that closes the title, which
    the parser seldom attaches to it."""
    for token in title.doc[title.i + 1:min(title.i + TITLE_WORDS, title.sent.end - 1)]:
        if token.pos_ in ("VERB", "AUX"):
            return None
        if token.text == ",":
            person = mentions.entity_at(title.doc[token.i + 1])
            return person if person is not None and person.label == "PER" else None
    return None


def is_reporting_verb(token: Token) -> bool:
    """A reporting verb of the lexicon; the tagger sometimes takes one for a noun ("Orange table sur …")."""
    if not matches_word(token, word_set("reporting_verbs")):
        return False
    return token.pos_ in ("VERB", "") or (token.dep_ == "ROOT" and lemma_of(token) not in word_set("reporting_verbs"))


def has_case(token: Token, word: str) -> bool:
    return any(c.dep_ == "case" and normal(c.text) == word for c in token.children)


def speaker_ref(token: Token, mentions: Mentions) -> Ref | None:
    """The speaker a subject word names: an entity, someone speaking for one ("un porte-parole de X",
    kept as written), an anonymous group, or a described source ("l'annonce du partenariat")."""
    if lemma_of(token) == "qui":  # "C'est Y qui détaille", "X, qui précise que …": the antecedent speaks
        token = relative_antecedent(token)
    if mentions.represented(token):
        person = named_person_beside(token, mentions)
        return ref_of(person) if person else Ref(text=noun_phrase(token), id=mentions.represented(token).id)
    entity = mentions.resolve(token, speaker=True)
    if entity:
        return ref_of(entity)
    statement = matches_word(token, word_set("spokesperson_heads"))  # "indique le communiqué", parsed as an object
    if token.pos_ == "NOUN" and not matches_word(token, word_set("unsourced_nouns")) and (token.dep_ != "obj" or statement):
        described = noun_phrase(token)
        short = len(described.split()) <= DESCRIBED_SOURCE_WORDS  # a longer "subject" is a misparse
        return anonymous_group(token) or (Ref(text=described, id=None) if short else None)
    return None


def inverted_subject(verb: Token, mentions: Mentions) -> Ref | None:
    """"…, rapporte le Financial Times", "a-t-il déclaré", "ont déclaré à AFP trois sources":
    a named or anonymous subject after the verb (not the one spoken to, "à X"; not inside a "que" clause)."""
    for token in verb.doc[verb.i + 1:min(verb.i + 1 + INVERTED_SUBJECT_WINDOW, verb.sent.end)]:
        if token.lower_ in ("-il", "-elle"):
            return speaker_ref(token, mentions)
        if (token.is_punct and token.text != "-") or token.pos_ == "SCONJ" or normal(token.text) in ("que", "qu'"):
            return None
        if addressed(token) or (token.pos_ not in ("NOUN", "PROPN", "X", "PRON", "") and not mentions.entity_at(token)):
            continue  # a name the tagger took for a verb ("a appris Les Echos") is still a name
        entity = mentions.entity_at(token) or mentions.represented(token) or mentions.resolve(token, speaker=True)
        found = speaker_ref(token, mentions) if entity else anonymous_group(token)
        if found:
            return found
    return None


def addressed(token: Token) -> bool:
    """"à AFP", "aux analystes": whom the speaker speaks to, not a source."""
    before = [normal(t.text) for t in token.doc[max(token.i - 2, 0):token.i]]
    return any(word in ("à", "au", "aux") for word in before)


def preceding_name(verb: Token, mentions: Mentions) -> Ref | None:
    """Without a usable parse, the speaker is the last name before the verb in its sentence."""
    names = mentions.mentioned_between(verb.sent.start, verb.i, ("PER", "ORG"))
    outlets = [mentions.entity_at(t) for t in verb.doc[verb.sent.start:verb.i] if mentions.entity_at(t)]
    return ref_of(names[-1]) if names else (ref_of(outlets[-1]) if outlets else None)


def inherited_subject(verb: Token, mentions: Mentions) -> Ref | None:
    """A participle or gerund without a subject speaks for its head's subject ("en annonçant")."""
    if verb.dep_ not in ("advcl", "xcomp", "conj") or verb.head.i == verb.i or verb.head.pos_ not in ("VERB", "AUX"):
        return None
    subject = next((c for c in verb.head.children if c.dep_ in ("nsubj", "expl:subj")), None)
    return speaker_ref(subject, mentions) if subject is not None else None


def cited_by(verb: Token, mentions: Mentions) -> list[Ref]:
    """Whom a speaker cites: "citant des sources anonymes", "citant le directeur financier"."""
    if not matches_word(verb, word_set("citing_verbs")):
        return []
    cited = []
    for child in verb.children:
        if child.dep_ in ("obj", "obl", "obl:arg", "obl:mod"):
            entity = mentions.resolve(child) if child.dep_ == "obj" else None
            cited += [r for r in [ref_of(entity) if entity else anonymous_group(child)] if r]
    return cited


def reported_by(noun: Token, mentions: Mentions) -> list[Ref]:
    """"les informations du Financial Times", "l'article de X": X is a source."""
    owners = [c for c in noun.children if c.dep_ == "nmod" and c.i > noun.i and has_case(c, "de") or
              (c.dep_ == "nmod" and any(normal(d.text) in ("du", "d'", "des") for d in c.children))]
    entities = [mentions.named(o) for o in owners]
    return [ref_of(e) for e in entities if e]


def anonymous_in(sent: Span) -> list[Ref]:
    """Anonymous sources the lexicon knows by phrase ("des personnes ayant connaissance du dossier")."""
    tokens = list(sent)
    starts = dict.fromkeys(i for i, _ in phrase_matches(tokens, "anonymous_source_phrases"))
    return [Ref(text=noun_phrase(tokens[i]), id=None) for i in starts]


def unique(refs: list[Ref]) -> list[Ref]:
    """Each source once; an anonymous phrase inside a longer one already kept ("proches du dossier") is dropped."""
    seen, kept = set(), []
    for ref in refs:
        key = ref.id or normal(ref.text)
        if key not in seen and not any(key in normal(k.text) for k in kept if not ref.id and not k.id):
            seen.add(key)
            kept.append(ref)
    return kept


def ordered(refs: list[Ref]) -> list[Ref]:
    """Outlets first (they cite), then named speakers, then anonymous sources (whom they cite)."""
    return sorted(refs, key=lambda ref: 0 if is_outlet(ref) else (1 if ref.id else 2))


def quote_in(sent: Span) -> str | None:
    """The text inside « » in the sentence, or None."""
    found = QUOTE.search(sent.text)
    return found.group(1) if found else None
