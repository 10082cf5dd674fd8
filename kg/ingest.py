"""Ingest: articles -> extractions -> one atomic graph write per article version.

An unchanged article (same id, same clean text) is skipped before any NLP; a changed one
is written as a new version graph linked to the previous one by prov:wasRevisionOf. Several
files with one id (a wire dispatch and its corrected version) are versions of one article,
chained oldest first.
"""
from __future__ import annotations

import contextlib
import signal
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from kg.corpus import DEFAULT_MAX_BYTES, CorpusError, read_articles
from kg.model import Article, Extraction
from kg.rdf import article_nquads, graph_node, version_node
from kg.store import Store

STORED_VERSIONS = """
SELECT ?id ?version ?sha ?revised WHERE {
  GRAPH ?g { ?version a schema:NewsArticle ; schema:identifier ?id ; kg:sha256 ?sha }
  BIND (EXISTS { GRAPH ?h { ?newer prov:wasRevisionOf ?version } } AS ?revised)
}"""


@dataclass
class IngestReport:
    """What one ingest did, file by file."""

    added: list[Article] = field(default_factory=list)
    revised: list[Article] = field(default_factory=list)
    unchanged: list[Article] = field(default_factory=list)
    errors: list[CorpusError] = field(default_factory=list)
    pending: int = 0  # articles to store (new or changed) once reading is done
    flags_recomputed: bool = False

    @property
    def without_date(self) -> list[Article]:
        return [a for a in self.added + self.revised if not a.published]

    def summary(self) -> str:
        """One line a person can read.

        >>> IngestReport().summary()
        '0 added, 0 revised, 0 unchanged, 0 refused'
        """
        return (f"{len(self.added)} added, {len(self.revised)} revised, "
                f"{len(self.unchanged)} unchanged, {len(self.errors)} refused")

    @property
    def stored(self) -> int:
        return len(self.added) + len(self.revised)

    def interrupted_summary(self) -> str:
        """What an interrupted ingest stored, and how to finish it.

        >>> IngestReport(pending=3).interrupted_summary()
        'interrupted: 0 of 3 new or changed articles stored (0 added, 0 revised, 0 unchanged, 0 refused); flags not recomputed; run the same command again to ingest the rest'
        """
        flags = "flags recomputed" if self.flags_recomputed else "flags not recomputed"
        return (f"interrupted: {self.stored} of {self.pending} new or changed articles stored "
                f"({self.summary()}); {flags}; run the same command again to ingest the rest")


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C during an ingest, raised once the article being written is complete.

    `report` says what was stored; every stored article graph is whole, and running the
    same ingest again stores the rest (stored articles are then unchanged and skipped).
    """

    def __init__(self, report: IngestReport):
        super().__init__(report.interrupted_summary())
        self.report = report


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back until the block ends, then raise it: an article version is
    written and counted, or not written at all. Outside the main thread this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    except ValueError:  # signals cannot be handled here (e.g. an embedded interpreter)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received and previous != signal.SIG_IGN:
            if callable(previous):
                previous(signal.SIGINT, None)  # Python's default handler raises KeyboardInterrupt
            else:
                raise KeyboardInterrupt


@dataclass
class Versions:
    """The article versions a store holds: the current one of each id, and every (id, sha256)."""

    current: dict[str, str] = field(default_factory=dict)  # article id -> IRI of its current version
    stored: set[tuple[str, str]] = field(default_factory=set)

    def holds(self, article: Article) -> bool:
        """This very text of the article is stored already (as its current or an earlier version)."""
        return (article.id, article.sha256) in self.stored

    def add(self, article: Article) -> str | None:
        """Record the article as its id's new current version; the IRI of the version it revises."""
        previous = self.current.get(article.id)
        self.current[article.id] = version_node(article)[1:-1]
        self.stored.add((article.id, article.sha256))
        return previous


def stored_versions(store: Store) -> Versions:
    versions = Versions()
    for row in store.select(STORED_VERSIONS):
        versions.stored.add((row["id"].value, row["sha"].value))
        if row["revised"].value in ("false", "0"):
            versions.current[row["id"].value] = row["version"].value
    return versions


def oldest_versions_first(articles: list[Article]) -> list[Article]:
    """The articles in their order, except that the files of one id (an article and its
    corrected version) come in order of publication, so each revises the one before.

    >>> a = [Article(id="x", text="v2", file="b.txt", published="2026-01-02"), Article(id="y", text="y", file="c.txt"),
    ...      Article(id="x", text="v1", file="a.txt", published="2026-01-01")]
    >>> [article.text for article in oldest_versions_first(a)]
    ['v1', 'y', 'v2']
    """
    by_id: dict[str, list[Article]] = {}
    for article in articles:
        by_id.setdefault(article.id, []).append(article)
    queues = {id_: iter(sorted(group, key=lambda a: (a.published or "", a.file))) for id_, group in by_id.items()}
    return [next(queues[article.id]) for article in articles]


FLUSH_EVERY = 100  # articles; RocksDB's write buffers otherwise grow for the whole ingest


def write_extraction(store: Store, extraction: Extraction, previous: str | None) -> None:
    """One atomic write: the version graph replaced in a single update."""
    graph = graph_node(extraction.article)[1:-1]
    store.replace_graphs(article_nquads(extraction, previous=previous), graphs=[graph])


def ingest(paths: Iterable[str], store: Store, *, max_bytes: int = DEFAULT_MAX_BYTES,
           extract_many: Callable[[list[Article]], Iterable[Extraction]] | None = None,
           progress: Callable[[Iterable, int], Iterable] = lambda items, total: items,
           on_stored: Callable[[Article], None] | None = None) -> IngestReport:
    """Read, extract and store every article under `paths`, then recompute the flags.

    `progress(iterable, total)` may wrap the extraction loop (the CLI shows a bar);
    `on_stored(article)` is called once each article version is in the store.

    Each article version is one atomic write, so a crash leaves whole graphs only, and the
    same ingest run again stores what is missing. Ctrl-C is held back while an article is
    being written; the flags are then recomputed for what was stored and IngestInterrupted
    (a KeyboardInterrupt carrying the report) is raised.
    """
    from kg.conflicts import recompute_flags

    report, versions, pending, seen = IngestReport(), stored_versions(store), [], set()
    for item in read_articles(paths, max_bytes=max_bytes):
        if isinstance(item, CorpusError):
            report.errors.append(item)
        elif versions.holds(item) or (item.id, item.sha256) in seen:
            report.unchanged.append(item)
        else:
            seen.add((item.id, item.sha256))
            pending.append(item)
    pending = oldest_versions_first(pending)
    report.pending = len(pending)
    if extract_many is None:
        from kg.nlp.pipeline import extract_many
    try:
        for extraction in progress(extract_many(pending), len(pending)):
            previous = versions.add(extraction.article)
            with interrupts_deferred():
                write_extraction(store, extraction, previous)
                (report.revised if previous else report.added).append(extraction.article)
                if (len(report.added) + len(report.revised)) % FLUSH_EVERY == 0:
                    store.flush()
                if on_stored is not None:
                    on_stored(extraction.article)
    except KeyboardInterrupt:
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C leaves the old flags
            recompute_flags(store)
            report.flags_recomputed = True
        raise IngestInterrupted(report) from None
    recompute_flags(store)
    report.flags_recomputed = True
    return report
