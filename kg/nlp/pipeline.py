"""The one spaCy pipeline: fr_core_news_md plus kg's components, and `extract()`.

>>> nlp = build_pipeline(model=None)
>>> extraction = extract(Article(id="a", text="Veolia investit 5 milliards de dollars dans Legrand."), nlp=nlp)
>>> [e.id for e in extraction.entities]
['veolia', 'legrand']
"""
from __future__ import annotations

import re
from functools import cache
from itertools import islice
from typing import Iterable, Iterator

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_suffix_regex

from kg.model import Article, Extraction
from kg.nlp.amounts import parse_amounts
from kg.nlp.claims import claims_of
from kg.nlp.entities import add_gazetteer_ruler, entities_of
from kg.nlp.tables import with_table_amounts

DEFAULT_MODEL = "fr_core_news_md"


SENTENCE_END = re.compile(r"[.!?…]+[»\")]*$")


@Language.component("kg_line_breaks")
def split_at_line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headings, list items and table rows stand alone. Only a line break
    or a full stop may: the parser otherwise cuts "TotalEnergies | prend une participation…" in two."""
    if len(doc) < 2:
        return doc
    starts = doc.to_array([SENT_START]).astype("int64")  # 1 starts a sentence, -1 does not, 0 unknown
    for i, previous in enumerate(doc[:-1], start=1):
        text = previous.text
        if "\n" in text or "\n" in previous.whitespace_:
            starts[i] = 1
        elif not SENTENCE_END.search(text) and not previous.is_space:
            starts[i] = -1
    doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))  # one write, not one per token
    return doc


@Language.component("kg_sound_edges")
def rebuild_without_parse(doc: Doc) -> Doc:
    """The same tokens in a fresh Doc: spaCy 3.8 leaves some tokens of an unparsed Doc with
    edges outside the Doc (a space token, a token after a split prefix), and walking their
    children then reads out of bounds. Only blank pipelines (tests) need this."""
    return Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])


def split_markdown_emphasis(nlp: Language) -> None:
    """"*Le Journal*." in three tokens, not "Journal*." in one: a name in italics stays a name."""
    nlp.tokenizer.suffix_search = compile_suffix_regex([*nlp.Defaults.suffixes, r"\*+", r"(?<=\*)\."]).search


def build_pipeline(*, model: str | None = DEFAULT_MODEL) -> Language:
    """fr_core_news_md with kg's components; `model=None` gives a blank French pipeline for tests."""
    nlp = spacy.load(model) if model else spacy.blank("fr")  # lemmas: the claim lexicon is written in lemmas
    split_markdown_emphasis(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_line_breaks", before="parser")
    else:
        nlp.add_pipe("kg_sound_edges", first=True)
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("kg_line_breaks")
    add_gazetteer_ruler(nlp)
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("kg_entity_filter", after="ner")
    return nlp


@cache
def default_pipeline() -> Language:
    return build_pipeline()


def extraction_of(doc: Doc, article: Article) -> Extraction:
    """Entities, amounts and claims of one processed article."""
    entities = entities_of(doc)
    amounts = with_table_amounts(parse_amounts(article.text), article.text)
    claims = claims_of(doc, article, entities, amounts)
    return Extraction(article=article, entities=entities, amounts=amounts, claims=claims)


def extract(article: Article, *, nlp: Language | None = None) -> Extraction:
    """Everything kg reads from one article."""
    nlp = nlp or default_pipeline()
    return extraction_of(nlp(article.text), article)


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def extract_many(articles: Iterable[Article], *, nlp: Language | None = None,
                 batch_size: int = 16, n_process: int = 1) -> Iterator[Extraction]:
    """Extractions in input order, through `nlp.pipe` in batches.

    Each batch runs in its own memory zone, so the string store does not grow over a long
    ingest. With `n_process` > 1, worker processes each load the pipeline once and send
    back small Extraction objects, never Docs.
    """
    if n_process > 1:
        yield from extract_in_workers(articles, batch_size=batch_size, n_process=n_process)
        return
    nlp = nlp or default_pipeline()
    for batch in batched(articles, batch_size):
        yield from extract_batch(batch, nlp=nlp)


def extract_batch(batch: list[Article], *, nlp: Language | None = None) -> list[Extraction]:
    nlp = nlp or default_pipeline()
    with nlp.memory_zone():
        docs = nlp.pipe([article.text for article in batch], batch_size=len(batch))
        return [extraction_of(doc, article) for doc, article in zip(docs, batch)]


def start_worker() -> None:
    """A worker leaves Ctrl-C to the main process, which stops the ingest cleanly."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    default_pipeline()


def extract_in_workers(articles: Iterable[Article], *, batch_size: int, n_process: int) -> Iterator[Extraction]:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=n_process, initializer=start_worker) as pool:
        # A free worker takes the next batch: small batches keep both busy to the end (40 articles in
        # batches of 8 left one worker 24 of them; in batches of 4, 20 each).
        small_batches = batched(articles, max(1, batch_size // (2 * n_process)))
        for extractions in pool.map(extract_batch, small_batches):
            yield from extractions
