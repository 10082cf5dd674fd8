"""Plain dataclasses that carry an article and what was extracted from it.

No rdflib and no spaCy here: every stage of the data flow speaks these types.

>>> a = Amount(text="100 Md$", start=0, end=7, value=100e9, min=None, max=None, bound="exact", unit="USD")
>>> a.interval()
(100000000000.0, 100000000000.0)
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

BOUNDS = ("exact", "up_to", "at_least", "less_than", "more_than", "between", "about")
RELATIONS = (
    "invests_in", "valued_at", "market_cap", "capacity", "stake_in", "contract_with",
    "buys_from", "stock_move", "denies", "other",
)
MODALITIES = ("denied", "conditional", "rumor", "reported", "asserted")
DATE_PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True)
class Article:
    """One article's clean text and metadata; `id` is stable across versions."""

    id: str
    text: str
    file: str = ""
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    url: str | None = None
    lang: str = "fr"
    encoding: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def date_precision(self) -> str | None:
        """'year', 'month' or 'day', read from the form of `published`.

        >>> [Article(id="a", text="", published=d).date_precision for d in ("2025", "2025-09", "2025-09-15")]
        ['year', 'month', 'day']
        """
        if not self.published:
            return None
        return ("year", "month", "day")[min(self.published.count("-"), 2)]

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "published": self.published,
            "date_precision": self.date_precision, "publisher": self.publisher,
            "url": self.url, "lang": self.lang, "sha256": self.sha256,
        }


@dataclass(frozen=True)
class Entity:
    """A mention of an entity; `id` is the canonical key shared by all its mentions."""

    text: str
    label: str  # ORG, PER, PRODUCT, LOC or MISC
    start: int
    end: int
    id: str
    wikidata: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Amount:
    """A normalised figure: value/min/max in base units, `unit` an ISO 4217 code or a unit."""

    text: str
    start: int
    end: int
    value: float | None
    min: float | None
    max: float | None
    bound: str
    unit: str | None

    def interval(self) -> tuple[float, float] | None:
        """The closed interval of values the text allows, or None for a vague amount."""
        low = self.min if self.min is not None else self.value
        high = self.max if self.max is not None else self.value
        if low is None and high is None:
            return None
        if self.bound in ("up_to", "less_than") and self.min is None:
            low = 0.0
        if self.bound in ("at_least", "more_than") and self.max is None:
            high = float("inf")
        return (low if low is not None else 0.0, high if high is not None else float("inf"))

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Ref:
    """A reference to an entity or a source by its surface text and canonical id."""

    text: str
    id: str | None = None

    def to_json(self) -> dict:
        return {"text": self.text, "id": self.id}


@dataclass
class Claim:
    """Who says what about whom, with which figure, citing whom, how sure, and where."""

    id: str
    subject: Ref
    relation: str
    object: Ref | None
    amount: Amount | None
    source: Ref | None
    source_chain: list[Ref]
    modality: str
    polarity: str  # "positive" or "negative"
    quote: str | None
    sentence: str
    start: int
    end: int
    date: str | None = None
    denies: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "subject": self.subject.to_json(),
            "relation": self.relation,
            "object": self.object.to_json() if self.object else None,
            "amount": self.amount.to_json() if self.amount else None,
            "source": self.source.to_json() if self.source else None,
            "source_chain": [ref.to_json() for ref in self.source_chain],
            "modality": self.modality,
            "polarity": self.polarity,
            "quote": self.quote,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "date": self.date,
            "denies": list(self.denies),
        }


@dataclass
class Extraction:
    """Everything kg read from one article: the contract of `kg extract --format json`."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "article": self.article.to_json(),
            "entities": [e.to_json() for e in self.entities],
            "amounts": [a.to_json() for a in self.amounts],
            "claims": [c.to_json() for c in self.claims],
        }
