"""Conflicting, updated, denied, corroborated and revised claims (DESIGN §5).

Every claim of the current article versions is read back by a few SPARQL SELECTs run side
by side, grouped by its key (subject, relation, object) in Python dicts and compared only within its key
(a denial may also answer a claim it links to, or one about its entities, found through
dicts too), so the cost grows with the number of claims, not with its square. The flags go to
FLAGS_GRAPH in one atomic update of the flags that changed; a flag's IRI depends only on its
kind, key and claims, so recomputing on unchanged data changes nothing.

>>> store = open_store(path=":memory:")
>>> recompute_flags(store), flags(store)
([], [])
"""
from __future__ import annotations

import calendar
import contextlib
import csv
import datetime
import gc
import hashlib
import io
import json
import os
import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache
from typing import Iterable, Iterator, NamedTuple

import pyoxigraph as ox

from kg import extra_ontology_path, ontology_path
from kg.corpus import slug
from kg.knowledge import gazetteer
from kg.model import BOUNDS, MODALITIES, RELATIONS, Amount
from kg.store import Store, open_store  # noqa: F401  (open_store: used by the doctests)
from kg.vocab import DATA, FLAGS_GRAPH, KG, PREFIXES

FLAG_KINDS = ("conflict", "update", "denial", "corroboration", "revision")
XSD = PREFIXES["xsd"]
DATE_TYPES = {4: XSD + "gYear", 7: XSD + "gYearMonth", 10: XSD + "date"}
PRECISIONS = {4: "year", 7: "month", 10: "day"}
LONGEST_DATE_SPAN = 366  # days covered by a date given to the year
RELATIVE_EPSILON = 1e-9  # float noise allowed when two amounts touch
NEVER = (float("inf"), float("inf"))  # the date span an undated claim sorts by


# --- settings -----------------------------------------------------------------------------

@cache
def settings() -> dict:
    """ontology/conflicts.json, with the user's extension (KG_ONTOLOGY_EXTRA) merged in.

    >>> settings()["same_date_days"], settings()["about_tolerance"]
    (7, 0.1)
    """
    data = json.loads(ontology_path("conflicts.json").read_text(encoding="utf-8"))
    extra = extra_ontology_path("conflicts.json")
    if extra:
        for name, value in json.loads(extra.read_text(encoding="utf-8")).items():
            data[name] = {**data[name], **value} if isinstance(value, dict) and name in data else value
    return data


@contextlib.contextmanager
def paused_gc():
    """The cyclic garbage collector off for a while: reading and comparing make hundreds of
    thousands of small objects and no cycles, and its passes over them cost more than the work.

    >>> with paused_gc():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- dates --------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def date_span(text: str | None) -> tuple[int, int] | None:
    """The first and last day (proleptic ordinals) a YYYY, YYYY-MM or YYYY-MM-DD date covers.

    >>> first, last = date_span("2026-02")
    >>> last - first, date_span("2026-02-03")[0] - first, date_span(None), date_span("soon")
    (27, 2, None, None)
    """
    try:
        parts = [int(part) for part in (text or "").split("-")]
        if len(parts) == 1:
            return datetime.date(parts[0], 1, 1).toordinal(), datetime.date(parts[0], 12, 31).toordinal()
        if len(parts) == 2:
            last_day = calendar.monthrange(parts[0], parts[1])[1]
            return datetime.date(*parts, 1).toordinal(), datetime.date(*parts, last_day).toordinal()
        return (datetime.date(*parts).toordinal(),) * 2
    except (ValueError, TypeError):
        return None


def days_apart(one: tuple[int, int], other: tuple[int, int]) -> int:
    """Days between two date spans (0 when they overlap).

    >>> days_apart(date_span("2026-02"), date_span("2026-03-05"))
    5
    """
    return max(0, other[0] - one[1], one[0] - other[1])


# --- claims as read back ------------------------------------------------------------------

class Key(NamedTuple):
    """What a claim is about: subject IRI, relation name, object IRI (or None)."""

    subject: str
    relation: str
    object: str | None


# Not frozen, but treated as immutable (replace() makes changed copies) and hashed like a
# frozen one: a frozen dataclass sets each of its 26 fields through object.__setattr__,
# which was half the cost of reading 100 000 claims back.
@dataclass(slots=True, unsafe_hash=True)
class ClaimRecord:
    """One claim of one article version, as read back from the store.

    `id` is the last segment of its IRI (the extractor's claim id); `key` is
    (subject IRI, relation name, object IRI or None); `date` is the date the claim refers
    to, else its article's publication date; `source_text` the first-hop source's label,
    else the first step of its source chain, else the publisher; `origin` is who a reader
    must trust for it: the first-hop source, else the publisher, else the article itself
    (two claims of the same origin are not independent); `sentence` is "" when it was not
    read (see read_claims). `interval`, `span`, `published_span` and `order` are derived
    once, for comparing and sorting.
    """

    iri: str
    id: str
    key: Key
    subject_label: str
    object_label: str | None
    amount: Amount | None
    source: str | None
    source_text: str | None
    chain: tuple[str, ...]
    modality: str
    polarity: str
    denies: tuple[str, ...]
    date: str | None
    article: str
    article_id: str
    file: str
    published: str | None
    publisher: str | None
    sentence: str
    revision_of: str | None = None
    current: bool = True
    interval: tuple[float, float] | None = field(default=None, compare=False)
    span: tuple[int, int] | None = field(default=None, compare=False)
    published_span: tuple[int, int] | None = field(default=None, compare=False)
    origin: str = field(default="", compare=False)
    order: tuple = field(default=(), compare=False)

    @property
    def date_precision(self) -> str | None:
        """'day', 'month' or 'year', from the form of `date`."""
        return PRECISIONS.get(len(self.date or ""))

    @property
    def unit(self) -> str | None:
        """The amount's currency or unit when it has a comparable interval, else None."""
        return self.amount.unit if self.interval else None

    @property
    def is_denial(self) -> bool:
        return self.modality == "denied" or self.polarity == "negative"

    @property
    def is_affirmative(self) -> bool:
        return self.polarity != "negative" and self.modality in settings()["affirmative_modalities"]

    def to_json(self) -> dict:
        """The claim as it appears in a flag of `kg conflicts --format json`."""
        return {"id": self.iri, "article": self.article, "file": self.file, "date": self.date,
                "source": self.source_text, "modality": self.modality, "sentence": self.sentence,
                "amount": self.amount.text if self.amount else None}


def widened_interval(amount: Amount | None) -> tuple[float, float] | None:
    """Amount.interval(), widened by the "about" tolerance for an approximate amount.

    >>> widened_interval(Amount("environ 100", 0, 0, 100.0, None, None, "about", "USD"))
    (90.0, 110.0)
    >>> widened_interval(Amount("jusqu'à 100", 0, 0, 100.0, None, None, "up_to", "USD"))
    (0.0, 100.0)
    """
    span = amount.interval() if amount else None
    if span is None:
        return None
    tolerance = settings()["about_tolerance"] if amount.bound == "about" else 0.0
    return span[0] - abs(span[0]) * tolerance, span[1] + abs(span[1]) * tolerance


def comparable_interval(amount: Amount | None) -> tuple[float, float] | None:
    """widened_interval(), plus a hair of float noise on each side (so "1,3 milliard" and
    "1 300 millions" touch), precomputed once so that comparing is two comparisons.

    >>> overlap(comparable_interval(Amount("a", 0, 0, 1.3e9, None, None, "exact", "EUR")), (1.3e9 + 1e-3, 2e9))
    True
    """
    span = widened_interval(amount)
    if span is None:
        return None
    return span[0] - abs(span[0]) * RELATIVE_EPSILON, span[1] + abs(span[1]) * RELATIVE_EPSILON


@cache
def outlet_iris() -> dict[str, str]:
    """Known names and aliases (case-folded) -> entity IRI, to read a publisher as a source."""
    names = {}
    for known in gazetteer().values():
        for name in (known.name, *known.aliases):
            names[name.casefold()] = entity_iri(known.id)
    return names


def entity_iri(entity_id: str) -> str:
    return f"{DATA}entity/{slug(entity_id)}"


def origin_of(source: str | None, chain: tuple[str, ...], publisher: str | None, article_id: str) -> str:
    """Who vouches for a claim: first-hop source, else the publisher, else the article itself.

    >>> origin_of(None, (), "Agence Zeta", "a1") == origin_of(entity_iri("agence-zeta"), (), None, "a2")
    True
    >>> origin_of(None, (), None, "a1")
    'article:a1'
    """
    if source or chain:
        return source or chain[0]
    if publisher:
        return outlet_iris().get(publisher.casefold(), entity_iri(publisher))
    return f"article:{article_id}"


# --- reading claims back: a few SELECTs, side by side ----------------------------------------

CURRENT_ONLY = "MINUS { ?newer prov:wasRevisionOf ?version }"


def vocabulary_values(variable: str, names: Iterable[str]) -> str:
    """A VALUES block mapping kg:<name> IRIs to plain names: joining on it costs the engine
    no string lookup, unlike returning the IRIs themselves.

    >>> vocabulary_values("bound", ["exact"])
    "VALUES (?boundIri ?bound) { (kg:exact 'exact') }"
    """
    pairs = " ".join(f"(kg:{name} '{name}')" for name in names)
    return f"VALUES (?{variable}Iri ?{variable}) {{ {pairs} }}"


# Each query reads one part. Each property is read by its own subquery and the subqueries
# are hash-joined on ?claim: on an on-disk store that is several times faster than one index
# lookup per claim and property, which a plain basic graph pattern costs. Every IRI or long
# string a query returns costs the engine a lookup, so each value is returned once (a
# claim's version, not its article's file and dates); relation, modality and bound come back
# as plain names (VALUES). The queries run side by side (see read_parts).
VERSIONS_QUERY = """
SELECT ?version ?file ?identifier ?published ?publisher ?previous WHERE {
  { SELECT ?version WHERE { ?version a schema:NewsArticle . %(current)s } }
  { SELECT ?version ?file WHERE { ?version kg:file ?file } }
  { SELECT ?version ?identifier WHERE { ?version schema:identifier ?identifier } }
  OPTIONAL { SELECT ?version ?published WHERE { ?version schema:datePublished ?published } }
  OPTIONAL { SELECT ?version ?publisher WHERE { ?version schema:publisher ?publisher } }
  OPTIONAL { SELECT ?version ?previous WHERE { ?version prov:wasRevisionOf ?previous } }
}"""

CLAIMS_QUERY = """
SELECT ?claim ?version ?subject ?relation ?object ?modality ?negative ?date ?source WHERE {
  { SELECT ?claim ?version WHERE { ?claim prov:wasDerivedFrom ?version } }
  { SELECT ?claim ?subject WHERE { ?claim kg:subject ?subject } }
  { SELECT ?claim ?relation WHERE { ?claim kg:relation ?relationIri . %(relations)s } }
  { SELECT ?claim ?modality WHERE { ?claim kg:modality ?modalityIri . %(modalities)s } }
  OPTIONAL { SELECT ?claim ?negative WHERE { ?claim kg:polarity kg:negative . BIND (true AS ?negative) } }
  OPTIONAL { SELECT ?claim ?object WHERE { ?claim kg:object ?object } }
  OPTIONAL { SELECT ?claim ?date WHERE { ?claim kg:refersToDate ?date } }
  OPTIONAL { SELECT ?claim ?source WHERE { ?claim kg:source ?source } }
}"""

AMOUNTS_QUERY = """
SELECT ?claim ?bound ?amountText ?value ?min ?max ?unit WHERE {
  { SELECT ?claim ?amount WHERE { ?claim kg:amount ?amount } }
  { SELECT ?amount ?bound WHERE { ?amount kg:bound ?boundIri . %(bounds)s } }
  { SELECT ?amount ?amountText WHERE { ?amount kg:rawText ?amountText } }
  OPTIONAL { SELECT ?amount ?value WHERE { ?amount schema:value ?value } }
  OPTIONAL { SELECT ?amount ?min WHERE { ?amount schema:minValue ?min } }
  OPTIONAL { SELECT ?amount ?max WHERE { ?amount schema:maxValue ?max } }
  OPTIONAL { SELECT ?amount ?unit WHERE { ?amount schema:currency|schema:unitText ?unit } }
}"""

CHAINS_QUERY = """
SELECT ?claim ?position ?agent ?agentText WHERE {
  { SELECT ?claim ?step WHERE { ?claim kg:sourceChain ?step } }
  { SELECT ?step ?position WHERE { ?step kg:position ?position } }
  { SELECT ?step ?agent WHERE { ?step kg:agent ?agent } }
  { SELECT ?step ?agentText WHERE { ?step kg:sourceText ?agentText } }
}"""

DENIALS_QUERY = "SELECT ?claim ?denied WHERE { ?claim kg:denies ?denied }"
LABELS_QUERY = "SELECT DISTINCT ?entity ?label WHERE { ?entity rdfs:label ?label }"
SENTENCES_QUERY = "SELECT ?claim ?sentence WHERE { ?claim kg:sentence ?sentence }"
# A few claims' sentences: looked up claim by claim, not read for every claim and joined.
SENTENCES_OF_QUERY = "SELECT ?claim ?sentence WHERE { VALUES ?claim { %s } ?claim kg:sentence ?sentence }"


def claims_queries(*, history: bool, sentences: bool) -> dict[str, str]:
    """The SELECTs read_claims runs, by part, the costliest first: versions (current ones only
    unless `history`), claims, amounts, source chains, labels, kg:denies links and, when
    `sentences`, every claim's sentence.

    >>> list(claims_queries(history=False, sentences=False))
    ['claims', 'amounts', 'chains', 'labels', 'versions', 'denials']
    """
    queries = {
        "claims": CLAIMS_QUERY % {"relations": vocabulary_values("relation", RELATIONS),
                                  "modalities": vocabulary_values("modality", MODALITIES)},
        "amounts": AMOUNTS_QUERY % {"bounds": vocabulary_values("bound", BOUNDS)},
        "chains": CHAINS_QUERY, "labels": LABELS_QUERY,
        "versions": VERSIONS_QUERY % {"current": "" if history else CURRENT_ONLY},
        "denials": DENIALS_QUERY,
    }
    if sentences:
        queries["sentences"] = SENTENCES_QUERY
    return queries


@dataclass(frozen=True)
class Version:
    """One article version: its file, dates and the version it revises."""

    iri: str
    file: str
    identifier: str
    published: str | None
    publisher: str | None
    previous: str | None


def csv_results(store: Store, sparql: str) -> Iterator[list[str]]:
    """A SELECT's results as SPARQL CSV rows of plain strings ("" when unbound), header first.

    CSV keeps only lexical forms, which is all kg needs here, and is much faster to
    decode than one Python term object per value.
    """
    solutions = store.query(sparql)
    try:
        text = solutions.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")
    finally:  # not left to an exception's traceback: the engine's results must die in this thread
        del solutions
    return csv.reader(io.StringIO(text, newline=""))


def result_rows(store: Store, sparql: str) -> Iterable[dict[str, str]]:
    """A SELECT's rows as dicts of plain strings ("" when unbound) (see csv_results)."""
    rows = csv_results(store, sparql)
    header = next(rows, [])
    return (dict(zip(header, row)) for row in rows)


def result_tuples(store: Store, sparql: str) -> list[list[str]]:
    """A SELECT's rows as lists of strings in the order it selects its variables: reading
    100 000 claims makes some 300 000 rows, and a dict per row costs several times as much."""
    rows = csv_results(store, sparql)
    next(rows, None)
    return list(rows)


def read_parts(store: Store, queries: dict[str, str]) -> dict[str, list[list[str]]]:
    """Each query's rows, by part. The queries run in threads, two at a time on two cores:
    the engine (embedded, or a server) evaluates without holding the GIL, so the parts are
    read at once and one part's CSV is decoded while another is evaluated."""
    workers = min(len(queries), os.cpu_count() or 1)
    if workers < 2:
        return {part: result_tuples(store, sparql) for part, sparql in queries.items()}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {part: pool.submit(result_tuples, store, sparql) for part, sparql in queries.items()}
        return {part: future.result() for part, future in futures.items()}


@paused_gc()
def read_claims(store: Store, *, history: bool = False,
                sentences: bool = True) -> tuple[list[ClaimRecord], dict[str, Version]]:
    """Claims and versions, of the current article versions only unless `history`.

    With `sentences` false, only the claims of versions in a revision get their sentence
    (the rest have ""): all that recompute_flags needs, and much less to read.
    """
    parts = read_parts(store, claims_queries(history=history, sentences=sentences))
    versions = {row[0]: Version(row[0], row[1], row[2], row[3] or None, row[4] or None, row[5] or None)
                for row in parts["versions"]}
    rows = {(row[0], row[1]): row for row in reversed(parts["claims"]) if row[1] in versions}
    revised = {version.previous for version in versions.values()}
    texts = dict(parts["sentences"]) if sentences else sentences_in_revisions(store, rows.values(), versions)
    context = ClaimContext(labels=labels_of(parts["labels"]), chains=chains_of(parts["chains"]),
                           denied=denials_of(parts["denials"]), revised=revised, sentences=texts,
                           amounts={row[0]: row for row in reversed(parts["amounts"])})
    claims = [claim_of(row, versions[row[1]], context) for row in rows.values()]
    return sorted(claims, key=lambda claim: claim.iri), versions


def sentences_in_revisions(store: Store, rows: Iterable[list[str]], versions: dict[str, Version]) -> dict[str, str]:
    """claim IRI -> sentence, for the claims of versions in a revision (revisions compare sentences)."""
    in_revision = {version.previous for version in versions.values()} | \
        {iri for iri, version in versions.items() if version.previous}
    claims = [row[0] for row in rows if row[1] in in_revision]
    if not claims:
        return {}
    return dict(result_tuples(store, SENTENCES_OF_QUERY % " ".join(f"<{claim}>" for claim in claims)))


def load_claims(store: Store) -> list[ClaimRecord]:
    """Every claim of the current article versions, sorted by IRI (a few SPARQL SELECTs).

    >>> load_claims(open_store(path=":memory:"))
    []
    """
    return read_claims(store)[0]


@dataclass(frozen=True)
class ClaimContext:
    """What a claim row is completed with: labels, source chains, denials, sentences, amounts."""

    labels: dict[str, str]
    chains: dict[str, list[tuple[str, str]]]
    denied: dict[str, list[str]]
    revised: set[str | None]
    sentences: dict[str, str]
    amounts: dict[str, list[str]]


def denials_of(rows: list[list[str]]) -> dict[str, list[str]]:
    """claim IRI -> the IRIs of the claims it denies (kg:denies), from (claim, denied) rows."""
    denied: dict[str, list[str]] = defaultdict(list)
    for claim, target in rows:
        denied[claim].append(target)
    return denied


def labels_of(rows: list[list[str]]) -> dict[str, str]:
    """IRI -> label, from (entity, label) rows; when article graphs disagree, the best of
    label_rank wins."""
    labels: dict[str, str] = {}
    ranks: dict[str, tuple[bool, str]] = {}  # of labels[entity], once an entity has two labels
    for entity, label in rows:
        if entity not in labels:
            labels[entity] = label
            continue
        rank, best = label_rank(entity, label), ranks.get(entity) or label_rank(entity, labels[entity])
        if rank < best:
            labels[entity], best = label, rank
        ranks[entity] = best
    return labels


def label_rank(iri: str, label: str) -> tuple[bool, str]:
    """Sort key of an entity's labels: first the name its IRI was made from (an article that
    calls "Acme Robotique" just "Acme" labels the same IRI with the short form),
    then the smallest (deterministic).

    >>> min(["Acme", "Acme Robotique"], key=lambda label: label_rank(DATA + "entity/acme-robotique", label))
    'Acme Robotique'
    """
    return slug(label) != local_name(iri), label


def best_label(iri: str, labels: str) -> str:
    """The best of an entity's labels, given one a line (as FLAGS_QUERY reads them), or ""."""
    return min(labels.split("\n"), key=lambda label: label_rank(iri, label)) if labels else ""


def chains_of(rows: list[list[str]]) -> dict[str, list[tuple[str, str]]]:
    """claim IRI -> its source chain as (agent IRI, text) steps, in chain order, from
    (claim, position, agent, text) rows."""
    steps: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for claim, position, agent, text in rows:
        steps[claim].append((int(position), agent, text))
    return {claim: [(agent, text) for _, agent, text in (sorted(set(found)) if len(found) > 1 else found)]
            for claim, found in steps.items()}


def amount_of(row: list[str] | None) -> Amount | None:
    """The Amount of an AMOUNTS_QUERY row (claim, bound, text, value, min, max, unit), if any."""
    if row is None:
        return None
    _, bound, text, value, low, high, unit = row
    return Amount(text=text, start=0, end=0, bound=bound, unit=unit or None, value=float(value) if value else None,
                  min=float(low) if low else None, max=float(high) if high else None)


def local_name(iri: str) -> str:
    """The part of an IRI after its last '#' or '/'.

    >>> local_name(KG + "invests_in"), local_name(DATA + "entity/open-ai")
    ('invests_in', 'open-ai')
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def claim_of(row: list[str], version: Version, context: ClaimContext) -> ClaimRecord:
    """One ClaimRecord from its CLAIMS_QUERY row (claim, version, subject, relation, object,
    modality, negative, date, source), its version and the context."""
    iri, _, subject, relation, obj, modality, negative, date, source = row
    obj, source, date = obj or None, source or None, date or version.published
    chain, amount, denied = context.chains.get(iri, ()), amount_of(context.amounts.get(iri)), context.denied.get(iri)
    labels, agents = context.labels, tuple(agent for agent, _ in chain)
    source_text = (labels.get(source) if source else None) or (chain[0][1] if chain else None) or version.publisher
    return ClaimRecord(
        iri=iri, id=local_name(iri), key=Key(subject, relation, obj),
        subject_label=label_or_name(labels, subject), object_label=label_or_name(labels, obj) if obj else None,
        amount=amount, source=source, source_text=source_text, chain=agents, modality=modality,
        polarity="negative" if negative else "positive",
        denies=tuple(sorted(denied)) if denied else (), date=date, article=version.iri,
        article_id=version.identifier, file=version.file, published=version.published,
        publisher=version.publisher, sentence=context.sentences.get(iri, ""), revision_of=version.previous,
        current=version.iri not in context.revised, interval=comparable_interval(amount), span=date_span(date),
        published_span=date_span(version.published),
        origin=origin_of(source, agents, version.publisher, version.identifier), order=iri_order(iri),
    )


def label_or_name(labels: dict[str, str], iri: str) -> str:
    """An entity's label, else the last segment of its IRI (only worked out when needed)."""
    label = labels.get(iri)
    return local_name(iri) if label is None else label


def iri_order(iri: str) -> tuple:
    """natural_key(iri), its part before the last '/' (shared by an article's claims) cached.

    >>> iri_order(DATA + "claim/a-1/c13") == natural_key(DATA + "claim/a-1/c13")
    True
    """
    head, slash, tail = iri.rpartition("/")
    if not slash:
        return natural_key(iri)
    start, end = natural_key_of_head(head + slash), natural_key(tail)
    return start[:-1] + (start[-1] + end[0],) + end[1:]  # a head ends in "/": text meets text


@lru_cache(maxsize=65536)
def natural_key_of_head(head: str) -> tuple:
    return natural_key(head)


NUMBERS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Text with its numbers compared as numbers (claim c5 before claim c13).

    >>> natural_key("a-c5") < natural_key("a-c13")
    True
    """
    return tuple(int(part) if part.isdigit() else part for part in NUMBERS.split(text))


# --- flags ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Flag:
    """A derived finding about claims of one key, with a one-line reason a person can read.

    `claims` are in the order the kind reads them: the earlier or reported claim first,
    then the later, confirming or denying ones.
    """

    kind: str
    key: Key
    claims: tuple[ClaimRecord, ...]
    reason: str

    @cached_property
    def iri(self) -> str:
        """Deterministic: a hash of kind, key and the claims' IRIs."""
        text = "\n".join([self.kind, *map(str, self.key), *sorted(claim.iri for claim in self.claims)])
        return f"{DATA}flag/{self.kind}/{hashlib.sha256(text.encode()).hexdigest()[:20]}"

    @cached_property
    def dates(self) -> list[str]:
        """The claims' dates, earliest first."""
        dated = {claim.date for claim in self.claims if claim.span}
        return sorted(dated, key=lambda date: (date_span(date), date))

    def to_json(self) -> dict:
        """The flag as `kg conflicts --format json` prints it (DESIGN §7)."""
        first = self.claims[0]
        return {"kind": self.kind,
                "key": {"subject": first.subject_label, "relation": self.key.relation,
                        "object": first.object_label},
                "reason": self.reason,
                "claims": [claim.to_json() for claim in sorted(self.claims, key=chronological)]}


def chronological(claim: ClaimRecord) -> tuple:
    """Sort key: by date (undated last), then publication, file and claim IRI."""
    return (claim.span or NEVER, claim.published_span or NEVER, claim.file, claim.order)


def group_by_key(claims: Iterable[ClaimRecord]) -> dict[Key, list[ClaimRecord]]:
    """Claims by key, each group in chronological order."""
    groups: dict[Key, list[ClaimRecord]] = defaultdict(list)
    for claim in claims:
        groups[claim.key].append(claim)
    for group in groups.values():
        group.sort(key=chronological)
    return groups


@paused_gc()
def find_flags(claims: list[ClaimRecord], versions: dict[str, Version] | None = None) -> list[Flag]:
    """Every flag among `claims` (the grouping and comparison, no store access).

    Current claims are compared within their key, short names of organisations linked to
    the full names other articles give (see full_names); claims of earlier versions serve
    only to find revisions. The result is sorted by kind, then flag IRI.
    """
    current = with_full_names(on_record(claims, versions or {}))
    voices, groups = voices_of_denials(current), group_by_key(current).values()
    found = merged_denials(linked_denials(current) + figure_denials(current, voices)
                           + [flag for group in groups for flag in group_denials(group, voices)])
    for group in groups:
        found += compare_key(group)
    found = [flag for flag in found if not between_versions_only(flag)]
    found += revisions(claims, versions or {})
    return sorted(found, key=lambda flag: (FLAG_KINDS.index(flag.kind), flag.iri))


def on_record(claims: list[ClaimRecord], versions: dict[str, Version]) -> list[ClaimRecord]:
    """The claims compared across articles: the current versions', and those of an earlier version
    that a correction filed as another file superseded (a wire dispatch and its corrected version
    were both published and read); an edited file's older text is no longer on record."""
    filed_apart = {v.previous for v in versions.values() if v.previous in versions
                   and versions[v.previous].file != v.file}
    return [claim for claim in claims if claim.current or claim.article in filed_apart]


def between_versions_only(flag: Flag) -> bool:
    """A flag whose claims all come from versions of one article: what changed is its revision."""
    return len({claim.article_id for claim in flag.claims}) == 1 and len({claim.article for claim in flag.claims}) > 1


def compare_key(group: list[ClaimRecord]) -> list[Flag]:
    """Conflicts, updates and corroborations among the chronologically ordered claims of one
    key, figure by figure (see same_figures). A point-in-time figure (a share price move)
    is compared only with figures of the same day: Monday's move and Thursday's are neither
    an update nor a conflict. Claims without a figure corroborate the bare relation only
    when no figure of the key is corroborated (else they would repeat that finding)."""
    relation, found, bare = group[0].key.relation, [], []
    for unit, same_unit in affirmative_by_unit(group).items():
        if unit is None:
            bare = corroborations(same_unit)
        elif relation in settings()["point_in_time_relations"]:
            found += [flag for same_day in by_day(same_unit) for flag in compare_figures(same_day, updating=False)]
        else:
            found += [flag for figures in same_figures(same_unit, relation) for flag in compare_figures(figures, updating=True)]
    if not any(flag.kind == "corroboration" for flag in found):
        found += bare
    return found


def same_figures(ordered: list[ClaimRecord], relation: str) -> list[list[ClaimRecord]]:
    """The claims, split into groups that may be about the same figure. A relation that names
    no single quantity ("other": a revenue, a headcount, a debt) has its figures compared only
    within a factor of one another (relations_by_magnitude): 400 million and 38 billion are
    two figures, not one updated. Each group stays in chronological order."""
    factor = settings()["relations_by_magnitude"].get(relation)
    if factor is None:
        return [ordered]
    families: list[list[ClaimRecord]] = []
    for claim in sorted(ordered, key=magnitude):
        if families and magnitude(claim) <= magnitude(families[-1][0]) * factor:
            families[-1].append(claim)
        else:
            families.append([claim])
    return [sorted(family, key=chronological) for family in families]


def magnitude(claim: ClaimRecord) -> float:
    """The size of a claim's figure: the largest absolute value its interval reaches."""
    return max(abs(claim.interval[0]), abs(claim.interval[1]))


def affirmative_by_unit(group: list[ClaimRecord]) -> dict[str | None, list[ClaimRecord]]:
    by_unit: dict[str | None, list[ClaimRecord]] = defaultdict(list)
    for claim in group:
        if claim.is_affirmative:
            by_unit[claim.unit].append(claim)
    return by_unit


def by_day(ordered: list[ClaimRecord]) -> list[list[ClaimRecord]]:
    """Claims dated to the day, grouped by that day (vaguer dates say no day to compare on)."""
    days: dict[str, list[ClaimRecord]] = defaultdict(list)
    for claim in ordered:
        if claim.date_precision == "day":
            days[claim.date].append(claim)
    return list(days.values())


def compare_figures(ordered: list[ClaimRecord], *, updating: bool) -> list[Flag]:
    """Corroborations, conflicts and (when `updating`) updates between claims with a figure
    in one unit."""
    return corroborations(ordered) + conflicts(ordered) + (updates(ordered) if updating else [])


# --- organisations named in short in one article and in full in another -------------------

@cache
def holding_suffixes() -> frozenset[str]:
    """Last words that make "X Participations" a company of its own, not X (entity_rules.json)."""
    suffixes = set()
    for path in filter(None, (ontology_path("entity_rules.json"), extra_ontology_path("entity_rules.json"))):
        suffixes.update(json.loads(path.read_text(encoding="utf-8")).get("holding_suffixes", ()))
    return frozenset(suffixes)


def full_names(claims: list[ClaimRecord]) -> dict[str, str]:
    """Entity IRI of a short name -> IRI of the one full name it abbreviates elsewhere.

    Within one article the extractor already joins "Acme" to "Acme Robotique"; across
    articles the short form is a name the full one begins with ("Acme", "Acme
    Robotique"), not one a holding suffix follows ("X Participations" is not X), never met in
    the same article as that full name (there they were told apart), not the start of two
    different full names (then it is nobody's), and not a known entity (the gazetteer
    already says who it is).
    """
    labels: dict[str, str] = {}
    articles: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        for iri, label in ((claim.key.subject, claim.subject_label), (claim.key.object, claim.object_label)):
            if iri and label:
                labels[iri] = label
                articles[iri].add(claim.article)
    by_words = {tuple(label.split()): iri for iri, label in labels.items()}
    candidates: dict[str, set[str]] = defaultdict(set)
    for words, iri in by_words.items():
        if words[-1] in holding_suffixes():
            continue
        for length in range(1, len(words)):
            short = by_words.get(words[:length])
            if short and not articles[short] & articles[iri]:
                candidates[short].add(iri)
    known = known_iris()
    return {short: full.pop() for short, full in candidates.items() if len(full) == 1 and short not in known}


@cache
def known_iris() -> frozenset[str]:
    return frozenset(entity_iri(entity_id) for entity_id in gazetteer())


def with_full_names(claims: list[ClaimRecord]) -> list[ClaimRecord]:
    """The claims, their keys' short organisation names replaced by the full names (full_names)."""
    linked = full_names(claims)
    if not linked:
        return claims
    labels = {claim.key.subject: claim.subject_label for claim in claims}
    labels |= {claim.key.object: claim.object_label for claim in claims if claim.key.object}
    return [relinked(claim, linked, labels) if claim.key.subject in linked or claim.key.object in linked
            else claim for claim in claims]


def relinked(claim: ClaimRecord, linked: dict[str, str], labels: dict[str, str | None]) -> ClaimRecord:
    subject, obj = linked.get(claim.key.subject, claim.key.subject), linked.get(claim.key.object, claim.key.object)
    return replace(claim, key=Key(subject, claim.key.relation, obj), subject_label=labels[subject],
                   object_label=labels[obj] if obj else None)


def overlap(one: tuple[float, float] | None, other: tuple[float, float] | None) -> bool:
    """Whether two intervals share a value (None, a claim without amount, agrees with None only).

    >>> overlap((0.0, 100.0), (100.0, 100.0)), overlap((20.0, 50.0), (0.0, 10.0)), overlap(None, None)
    (True, False, True)
    """
    if one is None or other is None:
        return one is other
    return one[0] <= other[1] and other[0] <= one[1]


def reported_together(one: ClaimRecord, other: ClaimRecord) -> bool:
    """Whether two claims come from articles published at most same_news_days apart (or
    of unknown date): the same news cycle, where a disagreement is a conflict; a later
    article past it gives an update."""
    if not (one.published_span and other.published_span):
        return True
    return days_apart(one.published_span, other.published_span) <= settings()["same_news_days"]


def strictly_before(one: tuple[int, int] | None, other: tuple[int, int] | None) -> bool:
    """Whether date span `one` ends before `other` begins."""
    return bool(one and other) and one[1] < other[0]


def independent(one: ClaimRecord, other: ClaimRecord) -> bool:
    """Different articles and different origins: the same outlet twice, or an article
    restating itself (a table row), is not independent."""
    return one.article != other.article and one.origin != other.origin


def conflicts(ordered: list[ClaimRecord]) -> list[Flag]:
    """Disjoint amounts from different origins around the same date, in articles of the
    same news cycle (reported_together), one flag per pair of (article, origin) couples."""
    found, seen = [], set()
    window = settings()["same_date_days"]
    dated = [claim for claim in ordered if claim.span]
    for index, later in enumerate(dated):
        for earlier in (dated[back] for back in range(index - 1, -1, -1)):
            if later.span[0] - earlier.span[0] > window + LONGEST_DATE_SPAN:
                break
            if earlier.origin == later.origin or overlap(earlier.interval, later.interval) \
                    or days_apart(earlier.span, later.span) > window or not reported_together(earlier, later):
                continue
            couple = frozenset({(earlier.article, earlier.origin), (later.article, later.origin)})
            if couple not in seen:
                seen.add(couple)
                found.append(Flag("conflict", later.key, (earlier, later), conflict_reason(earlier, later)))
    return found


def updates(ordered: list[ClaimRecord]) -> list[Flag]:
    """A later value replacing the value (or the disagreeing values) standing before it.

    The standing claims are those of the latest value, every restatement included; a claim
    disjoint from all of them, from an article of a later news cycle (or of the same origin,
    which corrects itself), replaces them: one flag listing every claim
    that carried the earlier value, then the first claim of the new one. A claim that
    cannot replace them (a same-day disagreement, a conflict) stands beside them.
    """
    found, standing = [], []
    for claim in (claim for claim in ordered if claim.span):
        agreeing = [earlier for earlier in standing if overlap(earlier.interval, claim.interval)]
        if standing and not agreeing and all(replaces(claim, earlier) for earlier in standing):
            found.append(Flag("update", claim.key, (*standing, claim), update_reason(standing, claim)))
            standing = [claim]
        else:
            kept = {id(earlier) for earlier in agreeing}  # identity: comparing records field by field is slow
            standing = [earlier for earlier in standing if id(earlier) in kept or not replaces(claim, earlier)]
            standing.append(claim)
    return found


def replaces(later: ClaimRecord, earlier: ClaimRecord) -> bool:
    """Whether `later` can replace `earlier`'s value: published strictly after it, about no
    earlier a date, and not a disagreement of two origins in the same news cycle."""
    return strictly_before(earlier.published_span, later.published_span) and earlier.span[0] <= later.span[0] \
        and (earlier.origin == later.origin or not reported_together(earlier, later))


def corroborations(ordered: list[ClaimRecord]) -> list[Flag]:
    """Each value's claims, when independent origins agree on it.

    A claim joins the first earlier value it agrees with. A value is corroborated when at
    least two of its claims are independent (other articles, other origins); the flag lists
    every claim carrying it, restatements included, since a fact-checker wants every place
    the figure appears. One flag per corroborated value.
    """
    clusters: list[list[ClaimRecord]] = []
    for claim in ordered:
        cluster = next((found for found in clusters if overlap(found[0].interval, claim.interval)), None)
        if cluster is None:
            clusters.append([claim])
        else:
            cluster.append(claim)
    return [Flag("corroboration", cluster[0].key, tuple(cluster), corroboration_reason(cluster))
            for cluster in clusters if len(independent_voices(cluster)) > 1]


def independent_voices(cluster: list[ClaimRecord]) -> list[ClaimRecord]:
    """The first claim and each later one independent of all those kept before it."""
    voices: list[ClaimRecord] = []
    for claim in cluster:
        if all(independent(claim, voice) for voice in voices):
            voices.append(claim)
    return voices


def deniable(claim: ClaimRecord) -> bool:
    return claim.polarity != "negative" and claim.modality in settings()["deniable_modalities"]


def linked_denials(claims: list[ClaimRecord]) -> list[Flag]:
    """Denials through kg:denies links to a deniable claim (see denied_targets); the key is
    the denied claim's key.

    A link to a claim that is itself a denial (the extractor's "X a démenti" pointing at
    the negated content) is not a denial of a denial: that content is compared within
    its key by `group_denials`, which names the linking claim as who denies.
    """
    by_iri = {claim.iri: claim for claim in claims}
    by_article: dict[str, list[ClaimRecord]] = defaultdict(list)
    for claim in claims:
        by_article[claim.article].append(claim)
    found = []
    for denier in (claim for claim in claims if claim.denies):
        linked = [by_iri[iri] for iri in denier.denies if iri in by_iri and by_iri[iri] is not denier]
        for target in denied_targets(denier, linked, by_article[denier.article]):
            found.append(Flag("denial", target.key, (target, denier), denial_reason(target, denier)))
    return found


def denied_targets(denier: ClaimRecord, linked: list[ClaimRecord], article: list[ClaimRecord]) -> list[ClaimRecord]:
    """The deniable claims a linking denial answers. "Hooli denies any talks with Initech"
    is about the claim between those two: when the denial names whom it is about (its
    object), a linked claim between the denier and that entity wins; failing one, the single
    deniable claim of the article between them does; failing that, the links as given."""
    pair = {denier.key.subject, denier.key.object}
    if denier.key.object is None:
        return [target for target in linked if deniable(target)]
    between = [target for target in linked if deniable(target) and between_pair(target, pair)]
    if between:
        return between
    in_article = [claim for claim in article if claim is not denier and deniable(claim) and between_pair(claim, pair)]
    return in_article if len(in_article) == 1 else [target for target in linked if deniable(target)]


def between_pair(claim: ClaimRecord, pair: set[str | None]) -> bool:
    return {claim.key.subject, claim.key.object} == pair


def voices_of_denials(claims: list[ClaimRecord]) -> dict[str, ClaimRecord]:
    """Denial claim IRI -> the claim that links to it with kg:denies (who says it is not so)."""
    voices: dict[str, ClaimRecord] = {}
    for claim in claims:
        for target in claim.denies:
            voices.setdefault(target, claim)
    return voices


def group_denials(group: list[ClaimRecord], voices: dict[str, ClaimRecord]) -> list[Flag]:
    """Denied or negated claims (without kg:denies links of their own) against the deniable
    claims of their key that they can answer: dated no later than the denial (give or take
    the same-date window), with an amount that agrees if both have one. A denied claim that
    names its own source and none of those answers it is the report and its denial at once
    ("Globex denied the Financial Times' report that Initech..."; see relayed_report)."""
    found = []
    for denier in (claim for claim in group if claim.is_denial and not claim.denies):
        voice, seen = voices.get(denier.iri), set()
        for target in (claim for claim in group if deniable(claim) and answers(denier, claim)):
            if (target.article, target.origin) not in seen:
                seen.add((target.article, target.origin))
                involved = (target, denier, voice) if voice else (target, denier)
                found.append(Flag("denial", target.key, involved, denial_reason(target, voice or denier)))
        if not seen and voice and relayed_report(denier, voice):
            found.append(Flag("denial", denier.key, (denier, voice), relayed_denial_reason(denier, voice)))
    return found


def figure_denials(claims: list[ClaimRecord], voices: dict[str, ClaimRecord]) -> list[Flag]:
    """Denials of a figure the extractor could not tie to a relation ("never any talks with
    Siemens, neither on 20 % nor on any other figure", relation `other`) against the reports
    of that figure about the one denying: deniable claims whose subject or object is the
    denial's subject, with an agreeing figure in the same unit, that the denial can answer."""
    loose = [claim for claim in claims if claim.is_denial and not claim.denies and claim.interval
             and claim.key.relation in settings()["relations_by_magnitude"]]
    if not loose:
        return []
    about: dict[str, list[ClaimRecord]] = defaultdict(list)
    for claim in claims:
        if claim.interval and deniable(claim) and claim.key.relation not in settings()["relations_by_magnitude"]:
            for entity in {claim.key.subject, claim.key.object} - {None}:
                about[entity].append(claim)
    found = []
    for denier in loose:
        voice = voices.get(denier.iri)
        for target in (claim for claim in about[denier.key.subject] if answers(denier, claim)):
            involved = (target, denier, voice) if voice else (target, denier)
            found.append(Flag("denial", target.key, involved, denial_reason(target, voice or denier)))
    return found


def relayed_report(denied: ClaimRecord, voice: ClaimRecord) -> bool:
    """Whether a denied claim carries a report by someone else than who denies it: it names
    a source (the outlet whose report is denied) that is neither the denier nor its voice."""
    return denied.source is not None and denied.source not in (voice.key.subject, voice.source)


def merged_denials(found: list[Flag]) -> list[Flag]:
    """One denial flag per key: every reported claim denied and every claim denying it. A
    denial answers the report wherever it was relayed, and a report linked to its denial
    (kg:denies) and met again within its key is one finding, not two."""
    by_key: dict[Key, list[Flag]] = defaultdict(list)
    for flag in found:
        by_key[flag.key].append(flag)
    merged = []
    for key, flags_of_key in by_key.items():
        targets = unique(flag.claims[0] for flag in flags_of_key)
        reported = {target.iri for target in targets}
        deniers = [claim for claim in unique(c for flag in flags_of_key for c in flag.claims[1:]) if claim.iri not in reported]
        reason = flags_of_key[0].reason if len(flags_of_key) == 1 else denials_reason(targets, deniers)
        merged.append(Flag("denial", key, (*targets, *deniers), reason))
    return merged


def unique(claims: Iterable[ClaimRecord]) -> list[ClaimRecord]:
    """The claims once each, in chronological order."""
    return sorted({claim.iri: claim for claim in claims}.values(), key=chronological)


def answers(denier: ClaimRecord, target: ClaimRecord) -> bool:
    """Whether a denial can be about `target`: not before it, and about a compatible amount."""
    if denier.span and target.span and target.span[0] > denier.span[1] + settings()["same_date_days"]:
        return False
    if denier.interval is None or target.interval is None:
        return True
    return denier.unit == target.unit and overlap(denier.interval, target.interval)


# --- revisions ------------------------------------------------------------------------------

def revisions(claims: list[ClaimRecord], versions: dict[str, Version]) -> list[Flag]:
    """For every version that revises another: which claims appeared, disappeared or changed,
    one flag per key that changed."""
    by_version: dict[str, list[ClaimRecord]] = defaultdict(list)
    for claim in claims:
        by_version[claim.article].append(claim)
    found = []
    for version in versions.values():
        if version.previous in versions:
            found += version_changes(by_version[version.previous], by_version[version.iri], version)
    return found


def claim_figure(claim: ClaimRecord) -> tuple | None:
    amount = claim.amount
    return (amount.bound, amount.value, amount.min, amount.max, amount.unit) if amount else None


def claim_signature(claim: ClaimRecord) -> tuple:
    """What a reader of the claim learns: its key, its figure and how sure it is. A sentence
    reworded around it (another figure of the sentence corrected) leaves the claim unchanged."""
    return claim.key, claim_figure(claim), claim.modality


def version_changes(old: list[ClaimRecord], new: list[ClaimRecord], version: Version) -> list[Flag]:
    """Revision flags between the claims of two versions of one article.

    Claims equal in (key, amount, modality) are unchanged; the others are paired as
    changed by (key, sentence), then (key, amount), then key alone; the rest appeared or
    disappeared."""
    gone, added = unmatched(old, new, claim_signature)
    changes: dict[Key, list[tuple[ClaimRecord | None, ClaimRecord | None]]] = defaultdict(list)
    for pairing in (lambda c: (c.key, c.sentence), lambda c: (c.key, claim_figure(c)), lambda c: c.key):
        pairs = paired(gone, added, pairing)
        for before, after in pairs:
            changes[after.key].append((before, after))
        gone = [claim for claim in gone if all(claim is not before for before, _ in pairs)]
        added = [claim for claim in added if all(claim is not after for _, after in pairs)]
    for claim in gone:
        changes[claim.key].append((claim, None))
    for claim in added:
        changes[claim.key].append((None, claim))
    return [revision_flag(key, found, version) for key, found in changes.items()]


def pair_off(old: list[ClaimRecord], new: list[ClaimRecord], signature) -> tuple[list, list, list]:
    """(old, new) pairs of equal `signature`, each claim used once; then the old and the new
    claims left unpaired."""
    waiting: dict[tuple, list[ClaimRecord]] = defaultdict(list)
    for claim in old:
        waiting[signature(claim)].append(claim)
    pairs, added = [], []
    for claim in new:
        same = waiting.get(signature(claim))
        if same:
            pairs.append((same.pop(0), claim))
        else:
            added.append(claim)
    gone = [claim for claims in waiting.values() for claim in claims]
    return pairs, gone, added


def unmatched(old: list[ClaimRecord], new: list[ClaimRecord], signature) -> tuple[list, list]:
    """Claims of `old` and of `new` left once equal signatures are paired off."""
    _, gone, added = pair_off(old, new, signature)
    return sorted(gone, key=chronological), sorted(added, key=chronological)


def paired(gone: list[ClaimRecord], added: list[ClaimRecord], signature) -> list[tuple]:
    """(old, new) claims with equal `signature`, each claim used once."""
    return pair_off(gone, added, signature)[0]


def revision_flag(key: Key, changes: list[tuple], version: Version) -> Flag:
    involved = tuple(claim for pair in changes for claim in pair if claim is not None)
    told = "; ".join(describe_change(before, after) for before, after in changes)
    return Flag("revision", key, involved, f"{version.file} was revised: {told}")


def describe_change(before: ClaimRecord | None, after: ClaimRecord | None) -> str:
    if before is None:
        return f"new claim {quoted(after.sentence)}"
    if after is None:
        return f"claim removed {quoted(before.sentence)}"
    if claim_figure(before) != claim_figure(after):
        return f"{amount_words(before)} became {amount_words(after)} in {quoted(after.sentence)}"
    if before.modality != after.modality:
        return f"{before.modality} became {after.modality} in {quoted(after.sentence)}"
    return f"{quoted(before.sentence)} became {quoted(after.sentence)}"


def quoted(text: str, limit: int = 90) -> str:
    """A sentence in quotes, shortened to `limit` characters.

    >>> quoted("Acme investit 2 milliards d'euros dans Beta.", limit=20)
    '"Acme investit 2 mil…"'
    """
    return f'"{text if len(text) <= limit else text[:limit - 1] + "…"}"'


# --- reasons --------------------------------------------------------------------------------

def number_words(number: float) -> str:
    """A figure with an English scale word.

    >>> number_words(100e9), number_words(1.3e9), number_words(10.0), number_words(4.5e12)
    ('100 billion', '1.3 billion', '10', '4.5 trillion')
    """
    for factor, word in settings()["scale_words"]:
        if abs(number) >= factor:
            return f"{round(number / factor, 3):g} {word}"
    return f"{round(number, 3):g}"


def amount_words(claim: ClaimRecord) -> str:
    """A claim's amount in plain English ("up to 100 billion USD"), or its text when vague."""
    amount = claim.amount
    if amount is None:
        return "no figure"
    if claim.interval is None:
        return f'"{amount.text}"'
    unit = f" {amount.unit}" if amount.unit else ""
    if amount.bound == "between" and amount.min is not None and amount.max is not None:
        return f"between {number_words(amount.min)} and {number_words(amount.max)}{unit}"
    number = amount.value if amount.value is not None else (amount.max if amount.max is not None else amount.min)
    phrase = settings()["bound_phrases"].get(amount.bound, "")
    return f"{phrase} {number_words(number)}{unit}".strip()


def key_words(claim: ClaimRecord) -> str:
    """'Acme invests in Globex' for a claim's key."""
    relation = settings()["relation_phrases"].get(claim.key.relation, claim.key.relation.replace("_", " "))
    return " ".join(filter(None, (claim.subject_label, relation, claim.object_label)))


def heading(claim: ClaimRecord) -> str:
    """'Veolia investment in Legrand', 'Boréal Data valuation': what a reason is about."""
    relation = settings()["relation_headings"].get(claim.key.relation, claim.key.relation.replace("_", " "))
    return " ".join(filter(None, (claim.subject_label, relation, claim.object_label)))


def statement(claim: ClaimRecord) -> str:
    """The key and, when there is one, the amount: 'Veolia invests in Legrand (up to 100 billion USD)'."""
    return f"{key_words(claim)} ({amount_words(claim)})" if claim.amount else key_words(claim)


def attribution(claim: ClaimRecord) -> str:
    """'AFP (2025-09)', or 'the 2026-02 article' when nobody is named."""
    if claim.source_text:
        return f"{claim.source_text} ({claim.date or 'undated'})"
    published = claim.published or claim.date
    return f"the {published} article" if published else f"the article {claim.file}"


def dated_source(claim: ClaimRecord) -> str:
    """'2025-09, AFP' (or just the date) for use inside parentheses."""
    return ", ".join(filter(None, (claim.date or "undated", claim.source_text)))


def says(claim: ClaimRecord) -> str:
    return settings()["modality_verbs"].get(claim.modality, "states")


def conflict_reason(one: ClaimRecord, other: ClaimRecord) -> str:
    return (f"{heading(one)}: {attribution(one)} {says(one)} {amount_words(one)}; "
            f"{attribution(other)} {says(other)} {amount_words(other)}")


def update_reason(earlier: list[ClaimRecord], later: ClaimRecord) -> str:
    before = "; ".join(f"{amount_words(claim)} ({dated_source(claim)})" for claim in earlier)
    return f"{heading(later)}: {before} updated to {amount_words(later)} ({dated_source(later)})"


def corroboration_reason(cluster: list[ClaimRecord]) -> str:
    first, *others = independent_voices(cluster)
    confirming = ", ".join(attribution(claim) for claim in others)
    what = amount_words(first) if first.amount else "stated"
    return f"{heading(first)}: {what} ({dated_source(first)}) confirmed by {confirming}"


def denials_reason(targets: list[ClaimRecord], deniers: list[ClaimRecord]) -> str:
    reporters = ", ".join(unique_texts(attribution(target) for target in targets))
    denying = ", ".join(unique_texts(attribution(denier) for denier in deniers))
    return f"{statement(targets[0])}: reported by {reporters}; denied by {denying}"


def relayed_denial_reason(denied: ClaimRecord, voice: ClaimRecord) -> str:
    return f"{attribution(denied)} reports that {statement(denied)}; {attribution(voice)} denies it"


def unique_texts(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def denial_reason(target: ClaimRecord, denier: ClaimRecord) -> str:
    answer = "denies it" if denier.modality == "denied" else f"{says(denier)} the opposite"
    return f"{attribution(target)} {says(target)} that {statement(target)}; {attribution(denier)} {answer}"


# --- writing and reading the flags graph -----------------------------------------------------

def flag_ntriples(found: Iterable[Flag]) -> str:
    """The flags' triples in N-Triples syntax (which SPARQL's INSERT DATA also reads)."""
    return "".join(f"<{flag.iri}> {predicate} {value} .\n" for flag in found
                   for predicate, value in flag_triples(flag))


def flag_triples(flag: Flag) -> list[tuple[str, str]]:
    """(predicate, object) pairs of one flag, in N-Triples syntax."""
    pairs = [(f"<{PREFIXES['rdf']}type>", f"<{KG}Flag>"), (f"<{KG}flagKind>", f"<{KG}{flag.kind}>"),
             (f"<{KG}keySubject>", f"<{flag.key.subject}>"),
             (f"<{KG}keyRelation>", f"<{KG}{flag.key.relation}>"),
             (f"<{KG}reason>", str(ox.Literal(flag.reason)))]
    if flag.key.object:
        pairs.append((f"<{KG}keyObject>", f"<{flag.key.object}>"))
    pairs += [(f"<{KG}involves>", f"<{claim.iri}>") for claim in flag.claims]
    if flag.dates:
        pairs += [(f"<{KG}fromDate>", typed_date(flag.dates[0])), (f"<{KG}toDate>", typed_date(flag.dates[-1]))]
    return pairs


def typed_date(text: str) -> str:
    """A date literal whose XSD type keeps its precision, in N-Triples syntax.

    >>> typed_date("2026-02")
    '"2026-02"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
    """
    return str(ox.Literal(text, datatype=ox.NamedNode(DATE_TYPES.get(len(text), XSD + "string"))))


@paused_gc()
def recompute_flags(store: Store) -> list[Flag]:
    """Find every flag and make FLAGS_GRAPH hold exactly them, in one atomic update.

    Flag IRIs depend only on kind, key and claims, so the update deletes and inserts only
    the flags that changed: on unchanged data it writes nothing. (Dropping and rewriting
    the whole graph, as `Store.replace_graphs` does, costs about as much per flag as
    finding it many times over: some 40 000 flags, 400 000 triples, at 100 000 claims.)
    The returned flags' claims carry their sentence only for revisions (the others were
    not read: `flags(store)` reads them back with the flags).

    >>> store = open_store(path=":memory:")
    >>> recompute_flags(store)
    []
    >>> store.count(graph=FLAGS_GRAPH)
    0
    """
    with ThreadPoolExecutor(max_workers=1) as pool:  # the stored flags are read meanwhile
        stored = pool.submit(stored_reasons, store)
        claims, versions = read_claims(store, history=True, sentences=False)
        found = find_flags(claims, versions)
        update = flags_update(stored.result(), found)
    if update:
        store.update(update)
    return found


STORED_FLAGS = "SELECT ?flag ?reason WHERE { GRAPH <%s> { ?flag a kg:Flag ; kg:reason ?reason } }"


def stored_reasons(store: Store) -> dict[str, str]:
    """Flag IRI -> reason, for the flags FLAGS_GRAPH holds now."""
    return {row["flag"]: row["reason"] for row in result_rows(store, STORED_FLAGS % FLAGS_GRAPH)}


def flags_update(stored: dict[str, str], found: list[Flag]) -> str:
    """One SPARQL UPDATE taking FLAGS_GRAPH from `stored` to `found` ("" when nothing changes).

    >>> flags_update({}, [])
    ''
    >>> print(flags_update({DATA + "flag/old": "gone"}, []).replace(DATA, "kgid:"))
    DELETE { GRAPH <kgid:graph/flags> { ?flag ?p ?o } }
    WHERE { GRAPH <kgid:graph/flags> { VALUES ?flag { <kgid:flag/old> } ?flag ?p ?o } }
    """
    wanted = {flag.iri: flag for flag in found}
    gone = sorted(iri for iri, reason in stored.items() if iri not in wanted or wanted[iri].reason != reason)
    new = [flag for iri, flag in wanted.items() if stored.get(iri) != flag.reason]
    operations = []
    if gone:
        values = " ".join(f"<{iri}>" for iri in gone)
        operations.append(f"DELETE {{ GRAPH <{FLAGS_GRAPH}> {{ ?flag ?p ?o }} }}\n"
                          f"WHERE {{ GRAPH <{FLAGS_GRAPH}> {{ VALUES ?flag {{ {values} }} ?flag ?p ?o }} }}")
    if new:
        operations.append(f"INSERT DATA {{ GRAPH <{FLAGS_GRAPH}> {{\n{flag_ntriples(new)}}} }}")
    return " ;\n".join(operations)


FLAGS_QUERY = """
SELECT ?flag ?kind ?subject ?relation ?object ?reason ?to ?claim
       (MIN(?claimId) AS ?id) (MIN(?version) AS ?article) (MIN(?fileName) AS ?file)
       (MIN(COALESCE(?refersTo, ?published)) AS ?date) (MIN(?modalityIri) AS ?modality)
       (MIN(?text) AS ?sentence) (MIN(?amountText) AS ?amount)
       (MIN(COALESCE(?sourceLabel, ?chainText, ?publisher)) AS ?source)
       (GROUP_CONCAT(DISTINCT ?subjectName; SEPARATOR="\\n") AS ?subjectLabels)
       (GROUP_CONCAT(DISTINCT ?objectName; SEPARATOR="\\n") AS ?objectLabels)
WHERE {
  GRAPH <%(graph)s> {
    ?flag a kg:Flag ; kg:flagKind ?kind ; kg:keySubject ?subject ; kg:keyRelation ?relation ;
          kg:reason ?reason ; kg:involves ?claim .
    OPTIONAL { ?flag kg:toDate ?to }
    %(kind)s
  }
  ?claim schema:identifier ?claimId ; prov:wasDerivedFrom ?version ; kg:modality ?modalityIri ;
         kg:sentence ?text .
  ?version kg:file ?fileName .
  OPTIONAL { ?version schema:datePublished ?published }
  OPTIONAL { ?version schema:publisher ?publisher }
  OPTIONAL { ?claim kg:refersToDate ?refersTo }
  OPTIONAL { ?claim kg:amount/kg:rawText ?amountText }
  OPTIONAL { ?claim kg:source/rdfs:label ?sourceLabel }
  OPTIONAL { ?claim kg:sourceChain ?step . ?step kg:position 0 ; kg:sourceText ?chainText }
  OPTIONAL { ?subject rdfs:label ?subjectName }
  OPTIONAL { GRAPH <%(graph)s> { ?flag kg:keyObject ?object } OPTIONAL { ?object rdfs:label ?objectName } }
}
GROUP BY ?flag ?kind ?subject ?relation ?object ?reason ?to ?claim"""


def flags(store: Store, *, kind: str | None = None, entity: str | None = None,
          since: str | None = None) -> list[dict]:
    """The stored flags as DESIGN §7's JSON: kind, key (readable labels), reason, claims.

    `entity` keeps flags whose key's subject or object has that id or label (any case);
    `since` (YYYY[-MM[-DD]]) keeps flags whose latest claim is dated on or after it.

    >>> flags(open_store(path=":memory:"), kind="denial")
    []
    """
    if kind is not None and kind not in FLAG_KINDS:
        raise ValueError(f"unknown flag kind {kind!r}; choose one of {', '.join(FLAG_KINDS)}")
    sparql = FLAGS_QUERY % {"graph": FLAGS_GRAPH, "kind": f"FILTER (?kind = kg:{kind})" if kind else ""}
    found: dict[str, dict] = {}
    for row in result_rows(store, sparql):
        row["subjectLabel"], row["objectLabel"] = best_label(row["subject"], row["subjectLabels"]), \
            best_label(row["object"], row["objectLabels"])
        if matches_entity(row, entity) and recent_enough(row["to"], since):
            flag = found.setdefault(row["flag"], flag_json(row))
            flag["claims"].append(claim_json(row))
    for flag in found.values():
        flag["claims"].sort(key=lambda claim: (date_span(claim["date"]) or NEVER, claim["file"], natural_key(claim["id"])))
    return [found[iri] for iri in sorted(found, key=lambda iri: (FLAG_KINDS.index(found[iri]["kind"]), iri))]


def flag_json(row: dict[str, str]) -> dict:
    subject, obj = row["subject"], row["object"]
    return {"kind": local_name(row["kind"]),
            "key": {"subject": row["subjectLabel"] or local_name(subject), "relation": local_name(row["relation"]),
                    "object": (row["objectLabel"] or local_name(obj)) if obj else None},
            "reason": row["reason"], "claims": []}


def claim_json(row: dict[str, str]) -> dict:
    return {"id": row["claim"], "article": row["article"], "file": row["file"], "date": row["date"] or None,
            "source": row["source"] or None, "modality": local_name(row["modality"]),
            "sentence": row["sentence"], "amount": row["amount"] or None}


def names_entity(iri: str, label: str, entity: str) -> bool:
    """Whether `entity` (an id, IRI or label, any case) names the entity `iri` labelled `label`.

    >>> names_entity(DATA + "entity/paul-hudson", "Paul Hudson", "PAUL hudson")
    True
    """
    wanted = entity.casefold()
    return bool(iri) and (wanted in (iri.casefold(), local_name(iri).casefold(), label.casefold())
                          or slug(entity) == local_name(iri))


def matches_entity(row: dict[str, str], entity: str | None) -> bool:
    return entity is None or names_entity(row["subject"], row["subjectLabel"], entity) \
        or names_entity(row["object"], row["objectLabel"], entity)


def recent_enough(latest: str, since: str | None) -> bool:
    if since is None:
        return True
    latest_span, since_span = date_span(latest), date_span(since)
    if since_span is None:
        raise ValueError(f"--since {since!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return latest_span is not None and latest_span[1] >= since_span[0]


def timeline(store: Store, target: str) -> list[dict]:
    """The claims of a key or an entity in date order: kg.timeline.timeline, re-exported here
    for `kg timeline`.

    >>> timeline(open_store(path=":memory:"), "veolia")
    []
    """
    from kg.timeline import timeline as claims_in_date_order

    return claims_in_date_order(store, target)
