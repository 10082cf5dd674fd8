"""Values of a Doc computed once per Doc and kept in its `user_data`.

spaCy joins every token's text again at each `Doc.text`, and makes a new Token object at each
index or iteration; kg's components and the claim reader ask for the text, and for each
token's normalised words, thousands of times per article. Kept in `user_data`, the values
live and die with their Doc (and its memory zone). Only what cannot change once the
pipeline has run (the text, the lemmas, answers read from the parse) is kept.

>>> import spacy
>>> doc = spacy.blank("fr")("Acme investit.")
>>> doc_text(doc) == doc.text, doc_text(doc) is doc_text(doc)
(True, True)
"""
from __future__ import annotations

from typing import Callable, TypeVar

from spacy.tokens import Doc, Span, Token

T = TypeVar("T")


def doc_cached(doc: Doc, key: str, compute: Callable[[Doc], T]) -> T:
    """`compute(doc)`, computed on the first call for this Doc and `key` only."""
    try:
        return doc.user_data[key]
    except KeyError:
        value = doc.user_data[key] = compute(doc)
        return value


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once (the tokenizer never changes it)."""
    return doc_cached(doc, "kg.text", lambda d: d.text)


def token_cached(token: Token, key: str, compute: Callable[[Token], T]) -> T:
    """`compute(token)`, computed on the first call for this token and `key` only: the claim reader
    asks the same question of a token for every sentence, claim and source around it.
    `compute` must not return a Token (kept in its own Doc, it would tie the Doc in a cycle)."""
    values = per_doc(token.doc, key)
    try:
        return values[token.i]
    except KeyError:
        value = values[token.i] = compute(token)
        return value


def per_doc(doc: Doc, key: str) -> dict:
    """The Doc's dict for `key`, made on first use (no closure to build at every call: the claim
    reader makes several hundred thousand of them per 40 articles)."""
    values = doc.user_data.get(key)
    if values is None:
        values = doc.user_data[key] = {}
    return values


def span_cached(span: Span, key: str, compute: Callable[[Span], T]) -> T:
    """`compute(span)`, computed on the first call for these tokens of this Doc and `key` only."""
    values = per_doc(span.doc, key)
    try:
        return values[span.start, span.end]
    except KeyError:
        value = values[span.start, span.end] = compute(span)
        return value
