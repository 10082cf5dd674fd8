"""The date a sentence refers to, resolved against the article's publication date.

Expressions are found with patterns built from the lexicon's words (weekdays, months,
relative phrases such as "l'an dernier"); dateparser resolves weekdays and months against
the publication date, preferring the past as news does. The result is an ISO date whose
form says its precision: "YYYY-MM-DD", "YYYY-MM" or "YYYY".

>>> date_of("Le groupe a annoncé samedi un accord.", "2026-02-03")
'2026-01-31'
>>> date_of("Elle avait levé 2 milliards en septembre dernier.", "2026-02")
'2025-09'
>>> date_of("Un accord sans date.", "2026-02") is None
True
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from kg.nlp.lexicon import lexicon

APOSTROPHE = "['’]"


@dataclass(frozen=True)
class DateExpression:
    """A date expression found in a text: where, what, and which kind of pattern found it."""

    start: int
    end: int
    text: str
    kind: str  # relative, day_month, weekday, month, year


def alternation(words) -> str:
    """A regex alternative of words, longest first, apostrophes and spaces made loose."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace("'", APOSTROPHE).replace(r"\ ", r"\s+") for w in ordered)


@cache
def date_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(kind, pattern) pairs, the most specific first."""
    words = lexicon()["dates"]
    weekday, month = alternation(words["weekdays"]), alternation(words["months"])
    part, year_prefix = alternation(words["day_parts"] + words["past_words"]), alternation(words["year_prefixes"])
    shifts = alternation(words["past_words"] + words["future_words"])
    kinds = (
        ("relative", rf"(?:{alternation(words['relative'])})"),
        ("day_month", rf"(?:(?:{weekday})\s+)?(?:le\s+)?(?:1er|[0-3]?\d)\s+(?:{month})(?:\s+(?:19|20)\d\d)?"),
        ("weekday", rf"(?:{weekday})(?:\s+(?:{part}))?"),
        ("month", rf"(?:(?:{year_prefix})\s*)?(?:{month})(?:\s+(?:(?:19|20)\d\d|{shifts}))?"),
        ("year", rf"(?:{year_prefix})\s*(?:19|20)\d\d"),
    )
    return tuple((kind, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)) for kind, pattern in kinds)


def date_expressions(text: str) -> list[DateExpression]:
    """Date expressions in text order; where patterns overlap the more specific one wins.

    >>> [(e.text, e.kind) for e in date_expressions("Le 30 janvier, puis fin 2022 et l'an dernier.")]
    [('Le 30 janvier', 'day_month'), ('fin 2022', 'year'), ("l'an dernier", 'relative')]
    """
    found: list[DateExpression] = []
    for kind, pattern in date_patterns():
        for match in pattern.finditer(text):
            if not any(match.start() < e.end and e.start < match.end() for e in found):
                found.append(DateExpression(match.start(), match.end(), match.group(), kind))
    return sorted(found, key=lambda e: e.start)


def base_date(published: str | None) -> dt.date | None:
    """The publication date as a date (the first day of its month or year when less precise)."""
    if not published:
        return None
    parts = [int(p) for p in published.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def resolve_date(expression: DateExpression, published: str | None) -> str | None:
    """The ISO date of one expression; None when it is relative and there is no publication date.

    >>> resolve_date(DateExpression(0, 8, "fin 2022", "year"), None)
    '2022'
    """
    base = base_date(published)
    if expression.kind == "year":
        return re.search(r"\d{4}", expression.text).group()
    if expression.kind == "relative":
        return no_finer_than(shifted(base, expression.text), published) if base else None
    explicit_year = re.search(r"(?:19|20)\d\d", expression.text)
    if base is None and not explicit_year:
        return None
    resolved = parsed(expression, base or dt.date(int(explicit_year.group()), 1, 1))
    return resolved if explicit_year or expression.kind != "weekday" else no_finer_than(resolved, published)


def no_finer_than(iso: str | None, published: str) -> str | None:
    """A date counted from the publication date is no more precise than it: "aujourd'hui" in an
    article dated "2026-02" is "2026-02", not the first of the month.

    >>> no_finer_than("2026-02-01", "2026-02"), no_finer_than("2025", "2026-02-03")
    ('2026-02', '2025')
    """
    if iso is None:
        return None
    return iso[:len(published)] if len(iso) > len(published) else iso


def shifted(base: dt.date, phrase: str) -> str | None:
    """A relative phrase ("hier", "l'an dernier") applied to the base date."""
    relative = {key.replace("’", "'"): value for key, value in lexicon()["dates"]["relative"].items()}
    unit, offset = relative.get(" ".join(phrase.lower().replace("’", "'").split()), (None, 0))
    if unit == "year":
        return f"{base.year + offset:04d}"
    if unit == "month":
        months = base.year * 12 + base.month - 1 + offset
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    if unit in ("day", "week"):
        return (base + dt.timedelta(days=offset * (7 if unit == "week" else 1))).isoformat()
    return None


def parsed(expression: DateExpression, base: dt.date) -> str | None:
    """Weekdays and months resolved by dateparser, in the direction the expression says."""
    words = lexicon()["dates"]
    lowered = expression.text.lower()
    future = any(re.search(rf"(?<!\w){w}(?!\w)", lowered) for w in words["future_words"])
    day = parsed_day(core_of(expression), base, future)
    if day is None:
        return None
    return day.isoformat() if expression.kind in ("day_month", "weekday") else f"{day.year:04d}-{day.month:02d}"


@lru_cache(maxsize=4096)
def parsed_day(words: str, base: dt.date, future: bool) -> dt.date | None:
    """dateparser's day for the words, counted from `base`; kept, as every claim of a sentence
    asks for the same date and dateparser takes milliseconds."""
    from dateparser.date import DateDataParser

    settings = {"RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
                "PREFER_DATES_FROM": "future" if future else "past", "PREFER_DAY_OF_MONTH": "first"}
    found = DateDataParser(languages=["fr"], settings=settings).get_date_data(words)
    return None if found is None or found.date_obj is None else found.date_obj.date()


def core_of(expression: DateExpression) -> str:
    """The part of an expression dateparser reads: no prefix ("en", "fin"), no "dernier" or "soir".

    >>> core_of(DateExpression(0, 0, "en septembre dernier", "month"))
    'septembre'
    >>> core_of(DateExpression(0, 0, "vendredi soir", "weekday"))
    'vendredi'
    """
    words = lexicon()["dates"]
    keep = set(words["weekdays"]) | set(words["months"]) | {"1er"}
    kept = [w for w in expression.text.lower().split() if w in keep or re.fullmatch(r"\d+", w)]
    return " ".join("1" if w == "1er" else w for w in kept)


def date_of(text: str, published: str | None) -> str | None:
    """The ISO date of the first date expression of the text that resolves, or None."""
    for expression in date_expressions(text):
        resolved = resolve_date(expression, published)
        if resolved:
            return resolved
    return None
