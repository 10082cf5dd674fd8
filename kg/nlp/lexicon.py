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

from spacy.tokens import Token

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
    return [token.text for token in french_tokenizer()(phrase)]


@cache
def french_tokenizer():
    import spacy

    return spacy.blank("fr").tokenizer


def lemma_of(token: Token) -> str:
    """The token's lemma, or its lower-cased form when the pipeline has no lemmatizer."""
    return normal(token.lemma_ or token.text)


def matches_word(token: Token, words: frozenset[str]) -> bool:
    """The token's lemma or its form is one of `words`, or a regular form of one of its verbs
    (forms help where the lemmatizer errs or is absent).

    >>> import spacy
    >>> matches_word(spacy.blank("fr")("investissait")[0], frozenset({"investir"}))
    True
    """
    form = normal(token.text)
    return lemma_of(token) in words or form in words or form in inflected(words)


@cache
def inflected(words: frozenset[str]) -> frozenset[str]:
    """The regular forms of the -er and -ir verbs among `words` (stem + the lexicon's endings)."""
    endings = lexicon()["verb_endings"]
    return frozenset(word[:-2] + ending for word in words if word[-2:] in ("er", "ir") and " " not in word
                     for ending in endings[word[-2:]])


def phrase_at(tokens, i: int, phrase: tuple[str, ...]) -> bool:
    """The phrase's words match the tokens from position i (by lemma or by form)."""
    if i + len(phrase) > len(tokens):
        return False
    return all(matches_word(tokens[i + k], frozenset({word})) for k, word in enumerate(phrase))
