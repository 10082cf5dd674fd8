"""The claim lexicon (ontology/lexicon.json): trigger words, reporting verbs, hedges, dates.

Every word the claim extractor knows lives in that data file, so that a user can teach kg
a new verb or a new kind of anonymous source without touching the code.

>>> "investir" in lexicon()["relations"]["invests_in"]["lemmas"]
True
>>> lemma_of(__import__("spacy").blank("fr")("Investit")[0])
'investit'
"""
from __future__ import annotations

import json
from functools import cache
from typing import Any

from spacy.tokens import Doc, Token

from kg import extra_ontology_path, ontology_path

LEXICON = "lexicon.json"


def merged(base: Any, extra: Any) -> Any:
    """`extra` laid over `base`: lists appended (without repeats), objects merged key by key.

    >>> merged({"a": [1], "b": {"c": [2]}}, {"a": [1, 3], "b": {"d": 4}})
    {'a': [1, 3], 'b': {'c': [2], 'd': 4}}
    """
    if isinstance(base, dict) and isinstance(extra, dict):
        return {**base, **{k: merged(base[k], v) if k in base else v for k, v in extra.items()}}
    if isinstance(base, list) and isinstance(extra, list):
        return base + [item for item in extra if item not in base]
    return extra


@cache
def lexicon() -> dict:
    """The bundled lexicon, with the user's extension (KG_ONTOLOGY_EXTRA) merged in."""
    data = json.loads(ontology_path(LEXICON).read_text(encoding="utf-8"))
    extra = extra_ontology_path(LEXICON)
    return merged(data, json.loads(extra.read_text(encoding="utf-8"))) if extra else data


@cache
def word_set(*path: str) -> frozenset[str]:
    """A list of the lexicon as a set of lower-case words, e.g. word_set("modality", "rumor_nouns")."""
    node: Any = lexicon()
    for key in path:
        node = node[key]
    return frozenset(normal(word) for word in node)


@cache
def phrases(*path: str) -> tuple[tuple[str, ...], ...]:
    """A list of phrases of the lexicon, each split into words, longest first."""
    node: Any = lexicon()
    for key in path:
        node = node[key]
    split = {tuple(split_words(normal(phrase))) for phrase in node}
    return tuple(sorted(split, key=len, reverse=True))


def normal(word: str) -> str:
    """Lower case with the typographic apostrophe made plain, as the lexicon is written."""
    return word.lower().replace("’", "'")


def split_words(phrase: str) -> list[str]:
    """Words of a phrase as spaCy's French tokenizer splits them, so phrases match token by token.

    >>> split_words("à condition qu'il"), split_words("aujourd'hui")
    (['à', 'condition', "qu'", 'il'], ["aujourd'hui"])
    """
    return list(tokenized(phrase))


@cache
def tokenized(phrase: str) -> tuple[str, ...]:
    """The words of a phrase, tokenized once: the claim reader splits the same few lexicon phrases
    for every trigger."""
    return tuple(token.text for token in french_tokenizer()(phrase))


@cache
def french_tokenizer():
    import spacy

    return spacy.blank("fr").tokenizer


def lemma_of(token: Token) -> str:
    """The token's lemma, or its lower-cased form when the pipeline has no lemmatizer."""
    return token_words(token.doc)[1][token.i]


def token_words(doc: Doc) -> tuple[list[str], list[str]]:
    """Every token's normal form and lemma (as `normal` writes them), computed once per Doc: the
    claim reader asks for them hundreds of thousands of times per article."""
    words = doc.user_data.get("kg.words")  # not doc_cached: its closure would be built at every call
    if words is None:
        words = doc.user_data["kg.words"] = ([normal(t.text) for t in doc], [normal(t.lemma_ or t.text) for t in doc])
    return words


def matches_word(token: Token, words: frozenset[str]) -> bool:
    """The token's lemma or its form is one of `words`, or a regular form of one of its verbs
    (forms help where the lemmatizer errs or is absent).

    >>> import spacy
    >>> matches_word(spacy.blank("fr")("investissait")[0], frozenset({"investir"}))
    True
    """
    forms, lemmas = token_words(token.doc)
    form = forms[token.i]
    return lemmas[token.i] in words or form in words or form in inflected(words)


@cache
def inflected(words: frozenset[str]) -> frozenset[str]:
    """The regular forms of the -er and -ir verbs among `words` (stem + the lexicon's endings)."""
    endings = lexicon()["verb_endings"]
    return frozenset(word[:-2] + ending for word in words if word[-2:] in ("er", "ir") and " " not in word
                     for ending in endings[word[-2:]])


@cache
def phrase_index(*path: str) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
    """The phrases of `phrases(*path)`, numbered in that order, under every word their first token
    may be written as (the word itself, or a regular form of its verb)."""
    index: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for n, phrase in enumerate(phrases(*path)):
        for key in {phrase[0]} | inflected(frozenset({phrase[0]})):
            index.setdefault(key, []).append((n, phrase))
    return index


def phrase_matches(tokens, *path: str) -> list[tuple[int, tuple[str, ...]]]:
    """(position, phrase) for every phrase of `phrases(*path)` whose words match the tokens from that
    position, by position and then in the order of `phrases`: what testing `phrase_at` at every position
    with every phrase finds, through an index of the phrases' first words."""
    if not tokens:
        return []
    index = phrase_index(*path)
    forms, lemmas = token_words(tokens[0].doc)
    found = []
    for i, token in enumerate(tokens):
        by_form, by_lemma = index.get(forms[token.i]), index.get(lemmas[token.i])
        if by_form or by_lemma:
            candidates = sorted(set((by_form or []) + (by_lemma or [])))
            found += [(i, phrase) for _, phrase in candidates if phrase_at(tokens, i, phrase)]
    return found


def matching(tokens, words: frozenset[str]) -> list[Token]:
    """The tokens that `matches_word` one of `words`, in order."""
    if not tokens:
        return []
    forms, lemmas = token_words(tokens[0].doc)
    also = inflected(words)
    return [t for t in tokens if lemmas[t.i] in words or forms[t.i] in words or forms[t.i] in also]


def phrase_at(tokens, i: int, phrase: tuple[str, ...]) -> bool:
    """The phrase's words match the tokens from position i (by lemma or by form)."""
    if i + len(phrase) > len(tokens):
        return False
    return all(matches_word(tokens[i + k], frozenset({word})) for k, word in enumerate(phrase))
