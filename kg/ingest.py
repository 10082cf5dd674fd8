"""Ingest: articles -> extractions -> one atomic graph write per article version.

An unchanged article (same id, same clean text) is skipped before any NLP; a changed one
is written as a new version graph linked to the previous one by prov:wasRevisionOf.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from kg.corpus import DEFAULT_MAX_BYTES, CorpusError, read_articles
from kg.model import Article, Extraction
from kg.rdf import article_graph, graph_iri
from kg.store import Store

CURRENT_VERSIONS = """
SELECT ?id ?version ?sha WHERE {
  GRAPH ?g { ?version a schema:NewsArticle ; schema:identifier ?id ; kg:sha256 ?sha }
  FILTER NOT EXISTS { GRAPH ?h { ?newer prov:wasRevisionOf ?version } }
}"""


@dataclass
class IngestReport:
    """What one ingest did, file by file."""

    added: list[Article] = field(default_factory=list)
    revised: list[Article] = field(default_factory=list)
    unchanged: list[Article] = field(default_factory=list)
    errors: list[CorpusError] = field(default_factory=list)

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


def current_versions(store: Store) -> dict[str, tuple[str, str]]:
    """article id -> (IRI of its current version, sha256 of its text)."""
    return {row["id"].value: (row["version"].value, row["sha"].value) for row in store.select(CURRENT_VERSIONS)}


def to_nquads(extraction: Extraction, previous: str | None) -> str:
    """The article version's triples as N-Quads in its own named graph."""
    from rdflib import URIRef

    graph = article_graph(extraction, previous=URIRef(previous) if previous else None)
    suffix = f" <{graph_iri(extraction.article)}> .\n"
    lines = graph.serialize(format="nt").splitlines()
    return "".join(line[: -len(" .")] + suffix for line in lines if line.endswith(" ."))


def write_extraction(store: Store, extraction: Extraction, previous: str | None) -> None:
    """One atomic write: the version graph replaced in a single update."""
    store.replace_graphs(to_nquads(extraction, previous), graphs=[str(graph_iri(extraction.article))])


def ingest(paths: Iterable[str], store: Store, *, max_bytes: int = DEFAULT_MAX_BYTES,
           extract_many: Callable[[list[Article]], Iterable[Extraction]] | None = None,
           progress: Callable[[Iterable, int], Iterable] = lambda items, total: items) -> IngestReport:
    """Read, extract and store every article under `paths`, then recompute the flags.

    `progress(iterable, total)` may wrap the extraction loop (the CLI shows a bar).
    """
    from kg.conflicts import recompute_flags

    report, known, pending = IngestReport(), current_versions(store), []
    for item in read_articles(paths, max_bytes=max_bytes):
        if isinstance(item, CorpusError):
            report.errors.append(item)
        elif known.get(item.id, (None, None))[1] == item.sha256:
            report.unchanged.append(item)
        else:
            pending.append(item)
    if extract_many is None:
        from kg.nlp.pipeline import extract_many
    for extraction in progress(extract_many(pending), len(pending)):
        previous = known.get(extraction.article.id, (None, None))[0]
        write_extraction(store, extraction, previous)
        (report.revised if previous else report.added).append(extraction.article)
    recompute_flags(store)
    return report
