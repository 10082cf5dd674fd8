"""Score extraction against gold annotations (DESIGN §8): `kg evaluate GOLD`.

A gold file names articles (in its own folder) and, for each, the entities, amounts,
claims and junk strings a careful reader finds there, plus the flags `kg conflicts`
should raise. `score` compares extractions with it; `format_report` prints the result.

>>> text = "Acme investit 5 milliards d'euros dans Globex."
>>> gold = Gold(articles={"a.txt": GoldArticle(file="a.txt", text=text,
...     entities=[GoldEntity("Acme", "ORG"), GoldEntity("Globex", "ORG")])})
>>> found = Extraction(article=Article(id="a", text=text, file="a.txt"),
...     entities=[Entity("Acme", "ORG", 0, 4, "acme")])
>>> report = score(gold, {"a.txt": found}, names={})
>>> (report.entities.precision, report.entities.recall, round(report.entities.f1, 3))
(1.0, 0.5, 0.667)
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable, Mapping

from kg.corpus import CorpusError, read_articles, slug
from kg.model import BOUNDS, MODALITIES, RELATIONS, Amount, Article, Claim, Entity, Extraction, Ref

GOLD_FILE = "gold.json"
ENTITY_TYPES = ("ORG", "PER", "PRODUCT", "LOC", "MISC")
FLAG_KINDS = ("conflict", "update", "denial", "corroboration", "revision")
NOTE_KEYS = frozenset({"note", "notes", "comment", "why"})
LEADING_ARTICLE = re.compile(r"^(?:(?:le|la|les|the)\s+|l['’]\s*)", re.IGNORECASE)
CATEGORIES = ("entities", "amounts", "claims")

Span = tuple[int, int]


class GoldError(Exception):
    """A gold file kg cannot use; str() is one line naming the file and the problem."""

    def __init__(self, file: str | Path, problem: str):
        super().__init__(f"{file}: {problem}")
        self.file = str(file)
        self.problem = problem


# -- gold annotations ----------------------------------------------------------------------

@dataclass(frozen=True)
class GoldEntity:
    text: str
    type: str
    wikidata: str | None = None


@dataclass(frozen=True)
class GoldAmount:
    text: str
    value: float | None
    min: float | None
    max: float | None
    bound: str
    unit: str | None


@dataclass(frozen=True)
class GoldClaim:
    """A claim as annotated; `modality=None` leaves it out of the modality accuracy."""

    subject: str
    relation: str
    sentence: str
    object: str | None = None
    amount_text: str | None = None
    source: str | None = None
    modality: str | None = None


@dataclass(frozen=True)
class GoldFlag:
    kind: str
    subject: str
    relation: str
    object: str | None
    files: frozenset[str]
    why: str | None = None


@dataclass
class GoldArticle:
    """One annotated article: its clean text and what a careful reader finds in it."""

    file: str
    text: str
    entities: list[GoldEntity] = field(default_factory=list)
    amounts: list[GoldAmount] = field(default_factory=list)
    claims: list[GoldClaim] = field(default_factory=list)
    junk: list[str] = field(default_factory=list)
    article: Article | None = None

    def as_article(self) -> Article:
        return self.article or Article(id=slug(PurePosixPath(self.file).stem), text=self.text, file=self.file)


@dataclass
class Gold:
    """A gold file: annotated articles by file name, and the flags expected over them."""

    articles: dict[str, GoldArticle]
    flags: list[GoldFlag] = field(default_factory=list)
    path: Path | None = None


def load_gold(path: str | Path) -> Gold:
    """Read and check a gold file (or the gold.json in a folder) and the articles it names.

    Raises GoldError for a malformed file, a missing key, an unknown value, or a text
    that is not in its article.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "gold.json").write_text('{"articles": {"a.txt": {"entities": []}', encoding="utf-8")
    >>> load_gold(folder / "gold.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.evaluate.GoldError: .../gold.json: invalid JSON at line 1, column 40: Expecting ',' delimiter
    """
    path = Path(path)
    if path.is_dir():
        path = path / GOLD_FILE
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GoldError(path, "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise GoldError(path, getattr(error, "strerror", None) or str(error)) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise GoldError(path, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    return _GoldReader(path).gold(data)


class _GoldReader:
    """Checks the parsed JSON of one gold file; every problem names where it is."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, problem: str) -> GoldError:
        return GoldError(self.path, f"{where}: {problem}" if where else problem)

    def obj(self, value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, found {type(value).__name__}")
        missing = [k for k in required if k not in value]
        if missing:
            raise self.fail(where, f"missing key {', '.join(map(repr, missing))}")
        known = set(required) | set(optional) | NOTE_KEYS
        unknown = [k for k in value if k not in known and not k.startswith("_")]
        if unknown:
            raise self.fail(where, f"unknown key {unknown[0]!r} (expected {', '.join(required + optional)})")
        return value

    def lst(self, value: Any, where: str) -> list:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, found {type(value).__name__}")
        return value

    def string(self, value: Any, where: str, *, null: bool = False, choices: tuple[str, ...] = ()) -> str | None:
        if value is None and null:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "expected a non-empty string" + (" or null" if null else ""))
        if choices and value not in choices:
            raise self.fail(where, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def number(self, value: Any, where: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(where, "expected a number or null")
        return float(value)

    def gold(self, data: Any) -> Gold:
        data = self.obj(data, "", ("articles",), ("expected_flags",))
        articles = data["articles"]
        if not isinstance(articles, dict) or not articles:
            raise self.fail("articles", "expected an object of annotated articles by file name")
        texts = self.read_texts(list(articles))
        gold_articles = {
            name: self.article(name, value, *texts[name]) for name, value in articles.items()
        }
        flags = [self.flag(value, f"expected_flags[{i}]", gold_articles)
                 for i, value in enumerate(self.lst(data.get("expected_flags", []), "expected_flags"))]
        return Gold(articles=gold_articles, flags=flags, path=self.path)

    def read_texts(self, names: list[str]) -> dict[str, tuple[Article, str]]:
        """Each named article (clean, manifest-aware) and its raw text, from the gold's folder."""
        folder = self.path.parent
        by_file: dict[str, list[str]] = {}
        for name in names:
            by_file.setdefault(name.split("#", 1)[0], []).append(name)
        found: dict[str, tuple[Article, str]] = {}
        for physical, wanted in by_file.items():
            file_path = folder / physical
            read: dict[str, Article] = {}
            for article in read_articles([file_path]):
                if isinstance(article, CorpusError):
                    raise self.fail(f"article {physical}", article.problem if article.file == str(file_path)
                                    else str(article))
                read[article.file] = article
            raw = file_path.read_bytes().decode("utf-8", errors="replace")
            for name in wanted:
                article = read.get(PurePosixPath(name).name)
                if article is None:
                    raise self.fail(f"article {name}", f"not found in {file_path}")
                found[name] = (article, raw)
        return found

    def article(self, name: str, value: Any, article: Article, raw: str) -> GoldArticle:
        where = f"articles[{name!r}]"
        value = self.obj(value, where, ("entities", "amounts", "claims"), ("junk_must_not_yield_claims",))
        text = article.text
        normalised = normalise(text)
        entities = []
        for i, e in enumerate(self.lst(value["entities"], f"{where}.entities")):
            at = f"{where}.entities[{i}]"
            e = self.obj(e, at, ("text", "type"), ("wikidata",))
            entity = GoldEntity(self.string(e["text"], f"{at}.text"), self.string(e["type"], f"{at}.type", choices=ENTITY_TYPES),
                                self.string(e.get("wikidata"), f"{at}.wikidata", null=True))
            if normalise(entity.text) not in normalised:
                raise self.fail(f"{name}: entity {i}", f"text {short(entity.text)!r} is not in the article")
            entities.append(entity)
        amounts = []
        for i, a in enumerate(self.lst(value["amounts"], f"{where}.amounts")):
            at = f"{where}.amounts[{i}]"
            a = self.obj(a, at, ("text", "bound"), ("value", "min", "max", "unit"))
            amount = GoldAmount(
                text=self.string(a["text"], f"{at}.text"), value=self.number(a.get("value"), f"{at}.value"),
                min=self.number(a.get("min"), f"{at}.min"), max=self.number(a.get("max"), f"{at}.max"),
                bound=self.string(a["bound"], f"{at}.bound", choices=BOUNDS),
                unit=self.string(a.get("unit"), f"{at}.unit", null=True),
            )
            if amount.text not in text:
                raise self.fail(f"{name}: amount {i}", f"text {short(amount.text)!r} is not in the article")
            amounts.append(amount)
        claims = []
        for i, c in enumerate(self.lst(value["claims"], f"{where}.claims")):
            at = f"{where}.claims[{i}]"
            c = self.obj(c, at, ("subject", "relation", "sentence", "modality"), ("object", "amount_text", "source"))
            claim = GoldClaim(
                subject=self.string(c["subject"], f"{at}.subject"),
                relation=self.string(c["relation"], f"{at}.relation", choices=RELATIONS),
                sentence=self.string(c["sentence"], f"{at}.sentence"),
                object=self.string(c.get("object"), f"{at}.object", null=True),
                amount_text=self.string(c.get("amount_text"), f"{at}.amount_text", null=True),
                source=self.string(c.get("source"), f"{at}.source", null=True),
                modality=self.string(c["modality"], f"{at}.modality", null=True, choices=MODALITIES),
            )
            if claim.sentence not in text:
                raise self.fail(f"{name}: claim {i}", f"sentence {short(claim.sentence)!r} is not in the article")
            if claim.amount_text and claim.amount_text not in text:
                raise self.fail(f"{name}: claim {i}", f"amount_text {short(claim.amount_text)!r} is not in the article")
            claims.append(claim)
        junk = []
        for i, j in enumerate(self.lst(value.get("junk_must_not_yield_claims", []), f"{where}.junk_must_not_yield_claims")):
            j = self.string(j, f"{where}.junk_must_not_yield_claims[{i}]")
            if j not in text and j not in raw:
                raise self.fail(f"{name}: junk {i}", f"{short(j)!r} is not in the article")
            junk.append(j)
        return GoldArticle(file=name, text=text, entities=entities, amounts=amounts, claims=claims,
                           junk=junk, article=article)

    def flag(self, value: Any, where: str, articles: Mapping[str, GoldArticle]) -> GoldFlag:
        value = self.obj(value, where, ("kind", "key", "files"), ())
        key = self.obj(value["key"], f"{where}.key", ("subject", "relation"), ("object",))
        files = self.lst(value["files"], f"{where}.files")
        if not files:
            raise self.fail(f"{where}.files", "a flag involves at least one article")
        for i, name in enumerate(files):
            if self.string(name, f"{where}.files[{i}]") not in articles:
                raise self.fail(f"{where}.files[{i}]", f"{name!r} is not one of the gold's articles")
        return GoldFlag(
            kind=self.string(value["kind"], f"{where}.kind", choices=FLAG_KINDS),
            subject=self.string(key["subject"], f"{where}.key.subject"),
            relation=self.string(key["relation"], f"{where}.key.relation", choices=RELATIONS),
            object=self.string(key.get("object"), f"{where}.key.object", null=True),
            files=frozenset(files), why=value.get("why"),
        )


# -- text helpers --------------------------------------------------------------------------

def normalise(text: str) -> str:
    """Whitespace runs as one space, ends trimmed.

    >>> normalise(" Acme\\n  Corp ")
    'Acme Corp'
    """
    return " ".join(text.split())


def short(text: str, limit: int = 120) -> str:
    text = normalise(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def occurrences(text: str, needle: str, within: Iterable[Span] | None = None) -> list[Span]:
    """Every (start, end) of `needle` in `text` (found with str.find), optionally inside spans.

    >>> occurrences("Acme, Acme", "Acme")
    [(0, 4), (6, 10)]
    """
    if not needle:
        return []
    regions = list(within) if within is not None else [(0, len(text))]
    spans = []
    for low, high in regions:
        start = text.find(needle, low)
        while start != -1 and start + len(needle) <= high:
            spans.append((start, start + len(needle)))
            start = text.find(needle, start + 1)
    return spans


def overlaps(start: int, end: int, spans: Iterable[Span]) -> bool:
    return any(start < high and low < end for low, high in spans)


def same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6)


def strip_article(text: str) -> str:
    """Text without a leading French or English article.

    >>> strip_article("le Financial Times"), strip_article("l’Informé")
    ('Financial Times', 'Informé')
    """
    return LEADING_ARTICLE.sub("", text.strip(), count=1)


@cache
def gazetteer_names() -> dict[str, str]:
    """Every gazetteer name and alias (as written, and casefolded) to its canonical id."""
    from kg.nlp.entities import gazetteer  # imports spaCy: only when scoring needs it

    names: dict[str, str] = {}
    for entity in gazetteer().values():
        for surface in (entity.name, *entity.aliases):
            names.setdefault(surface, entity.id)
            names.setdefault(surface.casefold(), entity.id)
    return names


def canonical_id(text: str, names: Mapping[str, str]) -> str | None:
    """The id the gazetteer gives a surface text (as is, casefolded, then without its article)."""
    for candidate in (normalise(text), strip_article(normalise(text))):
        found = names.get(candidate) or names.get(candidate.casefold())
        if found:
            return found
    return None


def entity_keys(ref: Ref, names: Mapping[str, str]) -> set[str]:
    keys = {canonical_id(ref.text, names) or slug(ref.text)}
    if ref.id:
        keys.add(ref.id)
    return keys


def same_entity(gold: str | None, predicted: Ref | None, names: Mapping[str, str]) -> bool:
    """Gold subject/object text vs a predicted reference: same canonical id, or same slug, or same text.

    >>> same_entity("Acme Corp", Ref("Acme Corp", "acme-corp"), {}), same_entity("Acme", Ref("Globex", "globex"), {})
    (True, False)
    >>> same_entity("ACME", Ref("Acme", "acme"), {"Acme": "acme", "acme": "acme"})
    True
    """
    if gold is None or predicted is None:
        return gold is None and predicted is None
    if normalise(gold) == normalise(predicted.text):
        return True
    return (canonical_id(gold, names) or slug(gold)) in entity_keys(predicted, names)


def same_source(gold: str | None, predicted: Ref | None, names: Mapping[str, str]) -> bool:
    """Sources agree: both null, same canonical id, same slug without leading article, or one contains the other.

    >>> same_source("le Globex Herald", Ref("Globex Herald"), {})
    True
    >>> same_source("le Globex Herald, citant des sources", Ref("Globex Herald"), {})
    True
    >>> same_source("Globe", Ref("Globex Herald"), {}), same_source(None, None, {})
    (False, True)
    """
    if gold is None or predicted is None:
        return gold is None and predicted is None
    gold_id = canonical_id(gold, names)
    if gold_id and gold_id in entity_keys(predicted, names):
        return True
    a, b = slug(strip_article(gold)), slug(strip_article(predicted.text))
    return a == b or f"-{a}-" in f"-{b}-" or f"-{b}-" in f"-{a}-"


# -- scores --------------------------------------------------------------------------------

@dataclass
class Counts:
    """Gold, predicted and matched items of one category, with precision, recall and F1.

    >>> c = Counts(gold=4, predicted=5, matched=3)
    >>> (c.precision, c.recall, round(c.f1, 3))
    (0.6, 0.75, 0.667)
    """

    gold: int = 0
    predicted: int = 0
    matched: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        total = self.gold + self.predicted
        return 2 * self.matched / total if total else None

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.gold + other.gold, self.predicted + other.predicted, self.matched + other.matched)

    def to_json(self) -> dict:
        return {"gold": self.gold, "predicted": self.predicted, "matched": self.matched,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class Accuracy:
    """Correct out of total, over matched claims.

    >>> Accuracy(3, 4).value, Accuracy().value
    (0.75, None)
    """

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def add(self, ok: bool) -> None:
        self.correct += ok
        self.total += 1

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)

    def to_json(self) -> dict:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


@dataclass(frozen=True)
class JunkHit:
    """A predicted entity or claim whose span overlaps a junk string."""

    file: str
    junk: str
    kind: str  # "entity" or "claim"
    text: str
    start: int
    end: int

    def to_json(self) -> dict:
        return {"file": self.file, "junk": self.junk, "kind": self.kind, "text": self.text,
                "start": self.start, "end": self.end}


@dataclass
class ArticleReport:
    """Scores of one article, with what was missed, spurious or wrong (for debugging)."""

    file: str
    entities: Counts = field(default_factory=Counts)
    amounts: Counts = field(default_factory=Counts)
    claims: Counts = field(default_factory=Counts)
    source: Accuracy = field(default_factory=Accuracy)
    modality: Accuracy = field(default_factory=Accuracy)
    object: Accuracy = field(default_factory=Accuracy)
    junk_strings: int = 0
    junk: list[JunkHit] = field(default_factory=list)
    missed: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    spurious: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    wrong: list[str] = field(default_factory=list)
    extracted: bool = True

    def to_json(self) -> dict:
        return {
            "file": self.file, "extracted": self.extracted,
            **{c: getattr(self, c).to_json() for c in CATEGORIES},
            "source": self.source.to_json(), "modality": self.modality.to_json(), "object": self.object.to_json(),
            "junk_strings": self.junk_strings, "junk": [hit.to_json() for hit in self.junk],
            "missed": self.missed, "spurious": self.spurious, "wrong": self.wrong,
        }


@dataclass
class Report:
    """Scores by article and in total; `flags` is None when no predicted flags were given."""

    articles: dict[str, ArticleReport] = field(default_factory=dict)
    flags: Counts | None = None
    missed_flags: list[str] = field(default_factory=list)
    spurious_flags: list[str] = field(default_factory=list)
    unscored: list[str] = field(default_factory=list)

    def _total(self, name: str):
        parts = [getattr(a, name) for a in self.articles.values()]
        return sum(parts, Counts() if name in CATEGORIES else Accuracy())

    @property
    def entities(self) -> Counts:
        return self._total("entities")

    @property
    def amounts(self) -> Counts:
        return self._total("amounts")

    @property
    def claims(self) -> Counts:
        return self._total("claims")

    @property
    def source(self) -> Accuracy:
        return self._total("source")

    @property
    def modality(self) -> Accuracy:
        return self._total("modality")

    @property
    def object(self) -> Accuracy:
        return self._total("object")

    @property
    def junk(self) -> list[JunkHit]:
        return [hit for a in self.articles.values() for hit in a.junk]

    @property
    def junk_strings(self) -> int:
        return sum(a.junk_strings for a in self.articles.values())

    def to_json(self) -> dict:
        """Everything in the report as JSON-ready data (for `kg evaluate --format json`)."""
        hits = self.junk
        return {
            "totals": {
                **{c: getattr(self, c).to_json() for c in CATEGORIES},
                "flags": self.flags.to_json() if self.flags else None,
                "source": self.source.to_json(), "modality": self.modality.to_json(),
                "object": self.object.to_json(),
                "junk": {"strings": self.junk_strings,
                         "entities": sum(h.kind == "entity" for h in hits),
                         "claims": sum(h.kind == "claim" for h in hits)},
            },
            "junk": [hit.to_json() for hit in hits],
            "missed_flags": self.missed_flags, "spurious_flags": self.spurious_flags,
            "unscored": self.unscored,
            "articles": {name: a.to_json() for name, a in self.articles.items()},
        }


def score(gold: Gold, extractions: Mapping[str, Extraction], *, flags: list[dict] | None = None,
          names: Mapping[str, str] | None = None) -> Report:
    """Compare extractions (by article file name) and, if given, predicted flags with the gold.

    `names` maps surface texts to canonical ids; by default the gazetteer's names and aliases.

    >>> text = "Acme investit 5 milliards d'euros dans Globex."
    >>> gold = Gold(articles={"a.txt": GoldArticle(file="a.txt", text=text,
    ...     claims=[GoldClaim("Acme", "invests_in", text, object="Globex", modality="asserted")])})
    >>> claim = Claim(id="c1", subject=Ref("Acme", "acme"), relation="invests_in", object=Ref("Globex", "globex"),
    ...     amount=None, source=None, source_chain=[], modality="asserted", polarity="positive", quote=None,
    ...     sentence=text, start=0, end=len(text))
    >>> found = Extraction(article=Article(id="a", text=text, file="a.txt"), claims=[claim])
    >>> r = score(gold, {"a.txt": found}, names={})
    >>> r.claims.f1, r.source.value, r.modality.value, r.object.value
    (1.0, 1.0, 1.0, 1.0)
    """
    names = gazetteer_names() if names is None else names
    report = Report()
    for name, annotated in gold.articles.items():
        extraction = extractions.get(name)
        report.articles[name] = score_article(annotated, extraction, names)
    report.unscored = sorted(set(extractions) - set(gold.articles))
    if flags is not None:
        report.flags, report.missed_flags, report.spurious_flags = score_flags(gold.flags, flags, names)
    return report


def score_article(gold: GoldArticle, extraction: Extraction | None, names: Mapping[str, str]) -> ArticleReport:
    """Scores of one article; a missing extraction is an empty one."""
    report = ArticleReport(file=gold.file, extracted=extraction is not None)
    if extraction is None:
        extraction = Extraction(article=gold.as_article())
    text = gold.text
    score_entities(gold, extraction.entities, report)
    score_amounts(gold, extraction.amounts, report, text)
    score_claims(gold, extraction.claims, report, text, names)
    score_junk(gold, extraction, report, text)
    return report


def score_entities(gold: GoldArticle, predicted: list[Entity], report: ArticleReport) -> None:
    expected = {(normalise(e.text), e.type) for e in gold.entities}
    found = {(normalise(e.text), e.label) for e in predicted}
    report.entities = Counts(len(expected), len(found), len(expected & found))
    report.missed["entities"] = [f"{t} ({label})" for t, label in sorted(expected - found)]
    report.spurious["entities"] = [f"{t} ({label})" for t, label in sorted(found - expected)]


def same_amount(gold: GoldAmount, predicted: Amount) -> bool:
    return (same_number(gold.value, predicted.value) and same_number(gold.min, predicted.min)
            and same_number(gold.max, predicted.max) and gold.bound == predicted.bound
            and gold.unit == predicted.unit)


def describe_amount(a: GoldAmount | Amount) -> str:
    return f"{a.text!r} value={a.value} min={a.min} max={a.max} bound={a.bound} unit={a.unit}"


def score_amounts(gold: GoldArticle, predicted: list[Amount], report: ArticleReport, text: str) -> None:
    located = sorted(((occurrences(text, g.text), i, g) for i, g in enumerate(gold.amounts)),
                     key=lambda item: (item[0][:1], item[1]))
    # The gold lists each distinct amount text once, so repeats of a figure count once.
    distinct = {(a.text, a.value, a.min, a.max, a.bound, a.unit): a for a in reversed(predicted)}
    predicted = list(distinct.values())
    free = sorted(predicted, key=lambda a: (a.start, a.end))
    matched = 0
    for spans, _, g in located:
        pick = next((p for p in free if overlaps(p.start, p.end, spans) and same_amount(g, p)), None)
        if pick is None:
            report.missed["amounts"].append(describe_amount(g))
        else:
            free.remove(pick)
            matched += 1
    report.spurious["amounts"] = [describe_amount(p) for p in free]
    report.amounts = Counts(len(gold.amounts), len(predicted), matched)


def claim_locations(gold: GoldClaim, text: str) -> tuple[list[Span], list[Span]]:
    """Where the gold claim's sentence is, and where its amount_text is (inside the sentence if it can be)."""
    sentences = occurrences(text, gold.sentence)
    if not gold.amount_text:
        return sentences, []
    return sentences, occurrences(text, gold.amount_text, sentences) or occurrences(text, gold.amount_text)


def describe_claim(c: GoldClaim | Claim) -> str:
    if isinstance(c, Claim):
        subject, obj, amount = c.subject.text, c.object.text if c.object else None, c.amount.text if c.amount else None
    else:
        subject, obj, amount = c.subject, c.object, c.amount_text
    return f"{subject} {c.relation} {obj} [{amount}] in {short(c.sentence, 80)!r}"


def score_claims(gold: GoldArticle, predicted: list[Claim], report: ArticleReport, text: str,
                 names: Mapping[str, str]) -> None:
    located = sorted(((claim_locations(g, text), i, g) for i, g in enumerate(gold.claims)),
                     key=lambda item: (item[0][0][:1], item[1]))
    free = sorted(predicted, key=lambda c: (c.start, c.end))
    matched = 0
    for (sentences, amount_spans), _, g in located:
        def matches(p: Claim) -> bool:
            return (overlaps(p.start, p.end, sentences) and p.relation == g.relation
                    and same_entity(g.subject, p.subject, names)
                    and (not g.amount_text or (p.amount is not None and overlaps(p.amount.start, p.amount.end, amount_spans))))

        def agreement(p: Claim) -> int:
            return (same_entity(g.object, p.object, names) + same_source(g.source, p.source, names)
                    + (g.modality == p.modality))

        candidates = [p for p in free if matches(p)]
        if not candidates:
            report.missed["claims"].append(describe_claim(g))
            continue
        pick = max(candidates, key=agreement)  # max keeps the earliest among equals
        free.remove(pick)
        matched += 1
        checks = [("source", report.source, same_source(g.source, pick.source, names), g.source,
                   pick.source.text if pick.source else None),
                  ("object", report.object, same_entity(g.object, pick.object, names), g.object,
                   pick.object.text if pick.object else None)]
        if g.modality is not None:
            checks.append(("modality", report.modality, g.modality == pick.modality, g.modality, pick.modality))
        for what, accuracy, ok, expected, found in checks:
            accuracy.add(ok)
            if not ok:
                report.wrong.append(f"{what}: expected {expected!r}, found {found!r} for {describe_claim(g)}")
    report.spurious["claims"] = [describe_claim(p) for p in free]
    report.claims = Counts(len(gold.claims), len(predicted), matched)


def score_junk(gold: GoldArticle, extraction: Extraction, report: ArticleReport, text: str) -> None:
    report.junk_strings = len(gold.junk)
    for junk in gold.junk:
        spans = occurrences(text, junk)
        for e in extraction.entities:
            if overlaps(e.start, e.end, spans):
                report.junk.append(JunkHit(gold.file, junk, "entity", e.text, e.start, e.end))
        for c in extraction.claims:
            if overlaps(c.start, c.end, spans):
                report.junk.append(JunkHit(gold.file, junk, "claim", c.sentence, c.start, c.end))


def flag_ref(value: Any) -> Ref | None:
    """A predicted flag's key part (a string or {"text", "id"}) as a Ref."""
    if value is None:
        return None
    if isinstance(value, dict):
        text = value.get("text") or value.get("id") or ""
        return Ref(text=text, id=value.get("id"))
    return Ref(text=str(value), id=str(value))


def flag_files(flag: Mapping) -> frozenset[str]:
    return frozenset(PurePosixPath(str(c.get("file") or "")).name for c in flag.get("claims") or [])


def describe_flag(kind: str, subject: Any, relation: Any, obj: Any, files: Iterable[str]) -> str:
    return f"{kind} ({subject}, {relation}, {obj}) in {', '.join(sorted(files))}"


def score_flags(expected: list[GoldFlag], predicted: list[dict], names: Mapping[str, str]
                ) -> tuple[Counts, list[str], list[str]]:
    """Flags matched one-to-one by kind, key and the set of files of their claims."""
    free = list(predicted)
    missed = []
    for g in expected:
        gold_files = frozenset(PurePosixPath(f).name for f in g.files)

        def matches(p: dict) -> bool:
            key = p.get("key") or {}
            return (p.get("kind") == g.kind and key.get("relation") == g.relation
                    and same_entity(g.subject, flag_ref(key.get("subject")), names)
                    and same_entity(g.object, flag_ref(key.get("object")), names)
                    and flag_files(p) == gold_files)

        pick = next((p for p in free if matches(p)), None)
        if pick is None:
            missed.append(describe_flag(g.kind, g.subject, g.relation, g.object, g.files))
        else:
            free.remove(pick)
    spurious = [describe_flag(p.get("kind"), (p.get("key") or {}).get("subject"), (p.get("key") or {}).get("relation"),
                              (p.get("key") or {}).get("object"), flag_files(p)) for p in free]
    return Counts(len(expected), len(predicted), len(expected) - len(missed)), missed, spurious


# -- output --------------------------------------------------------------------------------

HEADER = f"{'category':<12}{'gold':>8}{'predicted':>11}{'matched':>9}{'precision':>11}{'recall':>9}{'F1':>8}"


def _ratio(value: float | None, width: int) -> str:
    return f"{'-' if value is None else f'{value:.3f}':>{width}}"


def _row(label: str, c: Counts) -> str:
    return (f"{label:<12}{c.gold:>8}{c.predicted:>11}{c.matched:>9}"
            f"{_ratio(c.precision, 11)}{_ratio(c.recall, 9)}{_ratio(c.f1, 8)}")


def _accuracy(label: str, a: Accuracy) -> str:
    return f"{label:<20}{f'{a.correct}/{a.total}':>8}{_ratio(a.value, 8)}"


def format_report(report: Report, *, per_article: bool = False, misses: bool = False) -> str:
    """A fixed-width table of the scores, then accuracies over matched claims and junk counts;
    with `misses`, each article's missed and spurious claims and wrong source, object or modality.

    >>> print(format_report(Report(articles={"a.txt": ArticleReport("a.txt", entities=Counts(2, 1, 1))})))
    category        gold  predicted  matched  precision   recall      F1
    entities           2          1        1      1.000    0.500   0.667
    amounts            0          0        0          -        -       -
    claims             0          0        0          -        -       -
    source accuracy          0/0       -
    modality accuracy        0/0       -
    object accuracy          0/0       -
    junk: 0 entities and 0 claims overlap 0 junk strings
    """
    lines = [HEADER] + [_row(c, getattr(report, c)) for c in CATEGORIES]
    if report.flags is not None:
        lines.append(_row("flags", report.flags))
    lines += [_accuracy(f"{name} accuracy", getattr(report, name)) for name in ("source", "modality", "object")]
    hits = report.junk
    lines.append(f"junk: {sum(h.kind == 'entity' for h in hits)} entities and {sum(h.kind == 'claim' for h in hits)}"
                 f" claims overlap {report.junk_strings} junk strings")
    for hit in hits:
        lines.append(f"  {hit.file}: {hit.kind} {short(hit.text, 60)!r} at {hit.start}-{hit.end}"
                     f" overlaps {short(hit.junk, 40)!r}")
    lines += [f"missed flag: {flag}" for flag in report.missed_flags]
    lines += [f"spurious flag: {flag}" for flag in report.spurious_flags]
    if per_article:
        lines += ["", "per article"]
        for name, article in report.articles.items():
            lines.append(name + ("" if article.extracted else " (no extraction)"))
            lines += [_row(f"  {c}", getattr(article, c)) for c in CATEGORIES]
            lines.append("  " + "  ".join(f"{n} {getattr(article, n).correct}/{getattr(article, n).total}"
                                         for n in ("source", "modality", "object"))
                         + f"  junk {len(article.junk)}")
    if misses:
        lines += claim_misses(report)
    if report.unscored:
        lines.append(f"not in the gold (not scored): {', '.join(report.unscored)}")
    return "\n".join(lines)


SUMMARY_COLUMNS = ("entities", "amounts", "claims", "flags", "source", "modality", "object")


def combined(reports: Mapping[str, Report]) -> Report:
    """Several gold sets as one report: their counts added up (micro-averages), articles and flags
    named "SET/FILE"; flags are scored only if every set scored them.

    >>> one = Report(articles={"a.txt": ArticleReport("a.txt", claims=Counts(2, 2, 1))}, flags=Counts(1, 1, 1))
    >>> two = Report(articles={"a.txt": ArticleReport("a.txt", claims=Counts(2, 0, 0))}, flags=Counts(1, 0, 0))
    >>> both = combined({"one": one, "two": two})
    >>> list(both.articles), both.claims, both.flags
    (['one/a.txt', 'two/a.txt'], Counts(gold=4, predicted=2, matched=1), Counts(gold=2, predicted=1, matched=1))
    """
    together = Report()
    flags = [r.flags for r in reports.values()]
    together.flags = sum(flags, Counts()) if all(f is not None for f in flags) else None
    for name, report in reports.items():
        together.articles.update({f"{name}/{file}": article for file, article in report.articles.items()})
        together.missed_flags += [f"{name}: {flag}" for flag in report.missed_flags]
        together.spurious_flags += [f"{name}: {flag}" for flag in report.spurious_flags]
        together.unscored += [f"{name}/{file}" for file in report.unscored]
    return together


def format_summary(reports: Mapping[str, Report]) -> str:
    """One row per gold set and one for all of them together: F1 of entities, amounts, claims and
    flags, accuracies over matched claims, and entities or claims overlapping junk.

    >>> report = Report(articles={"a.txt": ArticleReport("a.txt", claims=Counts(2, 2, 1))})
    >>> print(format_summary({"tuning": report}))
    set              articles  entities   amounts    claims     flags    source  modality    object  junk
    tuning                  1         -         -     0.500         -         -         -         -     0
    together                1         -         -     0.500         -         -         -         -     0
    """
    width = max(len("together"), *(len(name) for name in reports)) + 2
    lines = [f"{'set':<{width}}{'articles':>9}" + "".join(f"{c:>10}" for c in SUMMARY_COLUMNS) + f"{'junk':>6}"]
    for name, report in [*reports.items(), ("together", combined(reports))]:
        values = [getattr(report, c) for c in SUMMARY_COLUMNS]
        figures = [None if v is None else v.f1 if isinstance(v, Counts) else v.value for v in values]
        lines.append(f"{name:<{width}}{len(report.articles):>9}" + "".join(_ratio(f, 10) for f in figures)
                     + f"{len(report.junk):>6}")
    return "\n".join(lines)


def claim_misses(report: Report) -> list[str]:
    """What to read when tuning claims: by article, the gold claims not found, the claims found
    that the gold lacks, and matched claims with a wrong source, object or modality."""
    lines = ["", "claim misses"]
    for name, article in report.articles.items():
        found = ([f"  missed: {m}" for m in article.missed["claims"]]
                 + [f"  spurious: {s}" for s in article.spurious["claims"]]
                 + [f"  wrong {w}" for w in article.wrong])
        if found:
            lines += [name, *found]
    return lines


# -- whole folder --------------------------------------------------------------------------

def gold_set_name(gold_path: str | Path) -> str:
    """The name a gold set goes by in summaries: its folder's.

    >>> gold_set_name("tests/gold/tuning-2/gold.json"), gold_set_name("tests/gold/heldout/")
    ('tuning-2', 'heldout')
    """
    path = Path(gold_path)
    return (path.parent if path.name == GOLD_FILE else path).resolve().name


def evaluate_folder(gold_path: str | Path, *, nlp=None,
                    extractor: Callable[[list[Article]], Iterable[Extraction]] | None = None,
                    flags: list[dict] | None = None, names: Mapping[str, str] | None = None,
                    with_flags: bool = False) -> Report:
    """Load the gold, extract its articles (kg's pipeline unless `extractor` is given), and score.

    `extractor` maps a list of Articles to their Extractions in order; `flags` and `names` go to `score`.
    With `with_flags` (and no `flags`), the flags scored are those kg finds over the extractions.

    >>> evaluate_folder("no-such-folder/gold.json")
    Traceback (most recent call last):
    ...
    kg.evaluate.GoldError: no-such-folder/gold.json: no such file
    """
    gold = load_gold(gold_path)
    articles = [annotated.as_article() for annotated in gold.articles.values()]
    if extractor is None:
        from kg.nlp.pipeline import extract_many  # spaCy is slow to import: only here

        extracted = list(extract_many(articles, nlp=nlp))
    else:
        extracted = list(extractor(articles))
    extractions = dict(zip(gold.articles, extracted))
    if with_flags and flags is None:
        flags = flags_found(extracted)
    return score(gold, extractions, flags=flags, names=names)


def flags_found(extractions: Iterable[Extraction]) -> list[dict]:
    """The flags `kg conflicts --format json` would show once these extractions are ingested
    (into a store in memory: the gold's articles are scored on their own). Files sharing an
    id are versions of one article, chained oldest first as `kg ingest` does.

    >>> flags_found([])
    []
    """
    from kg.conflicts import flags, recompute_flags
    from kg.ingest import Versions, oldest_versions_first, write_extraction
    from kg.store import open_store

    store, versions = open_store(path=":memory:"), Versions()
    by_article = {id(extraction.article): extraction for extraction in extractions}
    for article in oldest_versions_first([extraction.article for extraction in by_article.values()]):
        if not versions.holds(article):
            write_extraction(store, by_article[id(article)], versions.add(article))
    recompute_flags(store)
    return flags(store)
