"""French amounts: figures in running text, in table cells, and units in column headers.

Every word this module reads (bound triggers, scales, currencies, units, countable
nouns) comes from `ontology/amounts.json`, which users extend through the folder named
by `KG_ONTOLOGY_EXTRA`. The grammar is small and explicit:

    amount   := vague | [opener] quantity join quantity | [trigger] quantity
    quantity := [currency] number [collective] [scale] [unit]

>>> [(a.text, a.value, a.bound, a.unit) for a in parse_amounts("Veolia investirait 100 Md$ en 2026.")]
[('100 Md$', 100000000000.0, 'exact', 'USD')]
"""
from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal

from text_to_num import text2num

from kg import extra_ontology_path, ontology_path
from kg.model import Amount

__all__ = ["parse_amounts", "parse_amount", "unit_from_header", "load_lexicon", "reload_lexicon"]

# One-character substitutions only, so offsets in the normalised text are offsets in the original.
_NORMALISE = str.maketrans({
    "’": "'", "ʼ": "'", "‘": "'", "´": "'",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
    "\u2212": "-",
})
_BLANK = r"[ \t]"
_DE = rf"(?:de{_BLANK}+|d')"  # French elides "de" before a vowel: "d'euros", "plus d'un"
_BLANKS = re.compile(f"{_BLANK}*")
_DE_AFTER = re.compile(f"{_BLANK}*{_DE}", re.IGNORECASE)
_DIGITS = re.compile(r"""
    (?P<sign>[+-]|–(?=\d))?                # a dash glued to the figure is a minus in tables: "–3,2 %"
    (?P<int>\d{1,3}(?:\ \d{3})+(?!\d)      # 4 500 (spaces: NBSP and NNBSP are normalised)
          | \d{1,3}(?:\.\d{3})+(?!\d)      # 4.500
          | \d{1,3}(?:,\d{3}){2,}(?!\d)    # 4,500,000 (one comma group is a French decimal)
          | \d+)
    (?:[.,](?P<frac>\d+))?
""", re.VERBOSE)


# ---------------------------------------------------------------- the data file


@functools.cache
def load_lexicon() -> dict:
    """The amounts data file, with the lists of `KG_ONTOLOGY_EXTRA/amounts.json` merged in.

    >>> "jusqu'à" in load_lexicon()["bounds"]["up_to"]
    True
    """
    data = json.loads(ontology_path("amounts.json").read_text(encoding="utf-8"))
    extra = extra_ontology_path("amounts.json")
    if extra is not None:
        data = _merged(data, json.loads(extra.read_text(encoding="utf-8")))
    return data


def reload_lexicon() -> None:
    """Forget the cached data and grammar, e.g. after `KG_ONTOLOGY_EXTRA` changed.

    >>> reload_lexicon()
    """
    load_lexicon.cache_clear()
    _grammar.cache_clear()
    _opening.cache_clear()
    _read_quantity.cache_clear()
    _lendable_units.cache_clear()


def _merged(base, extra):
    """Lists are concatenated and mappings merged key by key, so users only add."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _merged(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return base + [item for item in extra if item not in base]
    return extra


# ---------------------------------------------------------------- regexes built from the data


@dataclass(frozen=True)
class _Lexeme:
    """Surface forms compiled into one regex; `match` returns the form's value and the end."""

    pattern: re.Pattern
    values: tuple

    def match(self, text: str, pos: int) -> tuple[object, int] | None:
        found = self.pattern.match(text, pos)
        return (self.values[int(found.lastgroup[1:])], found.end()) if found else None


def _form_regex(form: str, whole_word: bool = False) -> str:
    """Regex of one surface form: blanks flexible, a trailing "de" elidable, capitals kept."""
    words = form.translate(_NORMALISE).split()
    body = f"{_BLANK}+".join(re.escape(word) for word in words)
    if words[-1] == "de":
        head = "".join(re.escape(word) + f"{_BLANK}+" for word in words[:-1])
        body = head + r"(?:de(?!\w)|d')"
    elif words[-1][-1].isalnum():
        body += r"(?!\w)"  # "M" must not eat "Mars", nor "environ" a longer word
    if whole_word and words[0][0].isalnum():
        body = r"(?<!\w)" + body  # in a header, "M" must not be read inside "aM"
    return f"(?-i:{body})" if any(c.isupper() for c in form) else body


def _lexeme(forms: dict[str, object], lead: str = "", whole_word: bool = False) -> _Lexeme:
    """One regex for all forms, longest first so "dollars américains" beats "dollars"."""
    ordered = sorted(forms, key=len, reverse=True)
    groups = "|".join(f"(?P<g{i}>{_form_regex(form, whole_word)})" for i, form in enumerate(ordered))
    return _Lexeme(re.compile(f"{lead}(?:{groups})", re.IGNORECASE), tuple(forms[form] for form in ordered))


def _words_regex(words: list[str]) -> str:
    return "|".join(_form_regex(word) for word in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Unit:
    code: str
    countable: bool = False
    currency: bool = False


@dataclass(frozen=True)
class _Scale:
    factor: Decimal
    needs: str | None  # None, "unit" or "currency"


@dataclass(frozen=True)
class _Grammar:
    """Every regex of the amount grammar, compiled once from the data file."""

    trigger: _Lexeme
    trailing: _Lexeme
    halves: re.Pattern
    after_change: re.Pattern
    scale: _Lexeme
    unit: _Lexeme
    unit_after_de: _Lexeme
    countable_after_adjective: _Lexeme
    countable_after_de_adjective: _Lexeme
    scale_article: re.Pattern
    currency_prefix: _Lexeme
    collective: _Lexeme
    number_words: re.Pattern
    articles: frozenset[str]
    min_countable_in_words: Decimal
    vague: re.Pattern
    vague_scales: frozenset[str]
    openers: tuple[tuple[re.Pattern, re.Pattern], ...]
    joins: re.Pattern
    header_scale: _Lexeme
    header_unit: _Lexeme


def _unit_forms(data: dict) -> dict[str, _Unit]:
    """Surface form -> unit, for currencies (ISO 4217), measures and countable nouns."""
    forms = {form: _Unit(code, currency=True) for code, spelled in data["currencies"].items() for form in spelled}
    forms |= {form: _Unit(code) for code, spelled in data["units"].items() for form in spelled}
    forms |= {noun: _Unit(noun, countable=True) for noun in data["countables"]}
    return forms | {form: _Unit(plural, countable=True) for form, plural in data["countable_forms"].items()}


def _scale_forms(data: dict) -> dict[str, _Scale]:
    needs = {form: "unit" for form in data["scales_needing_a_unit"]}
    needs |= {form: "currency" for form in data["scales_needing_a_currency"]}
    return {form: _Scale(Decimal(str(scale["factor"])), needs.get(form))
            for scale in data["scales"] for form in scale["forms"]}


def _vague_regex(data: dict) -> re.Pattern:
    """"plusieurs dizaines de milliards", "des centaines de millions": no figure at all."""
    collective = f"(?:{_words_regex(data['vague']['collectives'] + data['vague']['scales'])})"
    quantifier = f"(?:{_words_regex(data['vague']['quantifiers'])})"
    return re.compile(f"{quantifier}{_BLANK}+{collective}(?:{_BLANK}*{_DE}{collective})*", re.IGNORECASE)


def _range_regexes(data: dict) -> tuple[tuple[re.Pattern, re.Pattern], ...]:
    """(opener, closer) pairs such as ("entre", "et"); the closer is a word between blanks."""
    return tuple((re.compile(f"{_form_regex(opener)}{_BLANK}*", re.IGNORECASE),
                  re.compile(f"{_BLANK}+{_form_regex(closer)}{_BLANK}*", re.IGNORECASE))
                 for opener, closer in data["ranges"]["open_close"])


def _joins_regex(data: dict) -> re.Pattern:
    """Words join with blanks around them ("20 à 50"), dashes need none ("20-50")."""
    words = [j for j in data["ranges"]["bare_joins"] if j[-1].isalnum()]
    dashes = [re.escape(j) for j in data["ranges"]["bare_joins"] if not j[-1].isalnum()]
    joins = ([f"{_BLANK}+(?:{_words_regex(words)}){_BLANK}+"] if words else []) + \
        ([f"{_BLANK}*(?:{'|'.join(dashes)}){_BLANK}*"] if dashes else [])
    return re.compile("|".join(joins) or "(?!)", re.IGNORECASE)


def _number_words_regex(data: dict) -> re.Pattern:
    """A run of number words, for text2num to judge: "deux cents", "vingt et un", "quatre-vingt-dix"."""
    word = f"(?:{_words_regex(data['number_words'])})"
    return re.compile(f"{word}(?:(?:{_BLANK}+|-)(?:et(?:{_BLANK}+|-))?{word})*", re.IGNORECASE)


@functools.cache
def _grammar() -> _Grammar:
    data = load_lexicon()
    units, scales = _unit_forms(data), _scale_forms(data)
    countables = {form: unit for form, unit in units.items() if unit.countable}
    adjective = f"(?:{_words_regex(data['countable_adjectives'])})"
    prefixes = {form: _Unit(code, currency=True) for code, spelled in data["currency_prefixes"].items() for form in spelled}
    collectives = {adjective + form + "s" * plural: Decimal(factor)
                   for form, factor in data["approximate_collectives"].items() for plural in (False, True)
                   for adjective in ["", *(word + " " for word in data["collective_adjectives"])]}
    return _Grammar(
        trigger=_lexeme({form: bound for bound, forms in data["bounds"].items() for form in forms}),
        trailing=_lexeme({form: bound for bound, forms in data["trailing_bounds"].items() for form in forms},
                         lead=f"{_BLANK}+"),
        halves=re.compile(f"{_BLANK}+(?:{_words_regex(data['halves'])})", re.IGNORECASE),
        after_change=re.compile(f"(?<!\\w)(?:{_words_regex(data['change_words'])}){_BLANK}+(?:{_DE})?\\Z",
                                re.IGNORECASE),
        scale=_lexeme(scales, lead=f"{_BLANK}*"),
        unit=_lexeme(units, lead=f"{_BLANK}*"),
        unit_after_de=_lexeme(units, lead=f"{_BLANK}*{_DE}"),
        countable_after_adjective=_lexeme(countables, lead=f"{_BLANK}*{adjective}{_BLANK}+"),
        countable_after_de_adjective=_lexeme(countables, lead=f"{_BLANK}*{_DE}{adjective}{_BLANK}+"),
        scale_article=re.compile(f"(?:{_words_regex(data['scale_articles'])}){_BLANK}+", re.IGNORECASE),
        currency_prefix=_lexeme(prefixes),
        collective=_lexeme(collectives, lead=f"{_BLANK}+"),
        number_words=_number_words_regex(data),
        articles=frozenset(data["article_numbers"]),
        min_countable_in_words=Decimal(str(data["min_countable_in_words"])),
        vague=_vague_regex(data),
        vague_scales=frozenset(word.lower() for word in data["vague"]["scales"]),
        openers=_range_regexes(data),
        joins=_joins_regex(data),
        header_scale=_lexeme(scales, lead=".*?", whole_word=True),
        header_unit=_lexeme(units, lead=".*?", whole_word=True),
    )


# ---------------------------------------------------------------- numbers and quantities


@dataclass(frozen=True)
class _Number:
    value: Decimal
    end: int
    in_words: bool
    article: bool  # "un"/"une": an article unless a scale follows ("un milliard")
    definite: bool = False  # "le milliard", "du million": one of that scale, a figure only with a unit


def _read_digits(text: str, pos: int) -> _Number | None:
    found = _DIGITS.match(text, pos)
    if not found:
        return None
    value = Decimal(re.sub(r"\D", "", found["int"]) + (f".{found['frac']}" if found["frac"] else ""))
    return _Number(-value if found["sign"] in ("-", "–") else value, found.end(), in_words=False, article=False)


def _read_words(text: str, pos: int) -> _Number | None:
    """Numbers in words; text2num judges them, dropping trailing words it rejects ("quatre et cinq")."""
    found = _grammar().number_words.match(text, pos)
    if not found:
        return None
    for word in reversed(list(re.finditer(r"[^\s-]+", found.group()))):
        phrase = text[pos:pos + word.end()].lower()
        value = _text2num(phrase)
        if value is not None:
            return _Number(Decimal(value), pos + word.end(), in_words=True, article=phrase in _grammar().articles)
    return None


def _text2num(phrase: str) -> int | None:
    if phrase.endswith("et"):
        return None  # "quatre et" before "cinq millions": the "et" joins a range
    try:
        return text2num(phrase, "fr")
    except ValueError:
        return None


def _read_number(text: str, pos: int) -> _Number | None:
    return _read_digits(text, pos) or _read_words(text, pos) or _read_scale_article(text, pos)


def _read_scale_article(text: str, pos: int) -> _Number | None:
    """"la barre du milliard d'euros", "dépasser le million d'abonnés": the article stands for one."""
    found = _grammar().scale_article.match(text, pos)
    scale = _grammar().scale.match(text, found.end()) if found else None
    if scale is None or scale[0].needs is not None or text[scale[1] - 1] in "sS":
        return None
    return _Number(Decimal(1), found.end(), in_words=True, article=True, definite=True)


@dataclass(frozen=True)
class _Quantity:
    """A number with whatever multipliers and unit were written beside it."""

    end: int
    number: Decimal
    collective: Decimal | None  # "une dizaine de ...": approximate
    scale: Decimal | None
    unit: _Unit | None
    in_words: bool
    article: bool
    definite: bool

    def is_figure(self) -> bool:
        """A scale or a unit makes a figure; "un euro" and "trois personnes" are phrases, "deux cents salariés" a figure."""
        if self.scale is not None:
            return self.unit is not None or not self.definite
        if self.unit is None:
            return False
        if self.collective is not None:
            return True
        if self.in_words and self.unit.countable:
            return self.number >= _grammar().min_countable_in_words
        return not self.article


def _read_multiplier(text: str, pos: int) -> tuple[Decimal | None, _Scale | None, int]:
    """(collective, scale, end) for "milliards", "Md", "dizaine", "dizaine de milliards"."""
    grammar = _grammar()
    collective = grammar.collective.match(text, pos)
    if collective is None:
        scale = grammar.scale.match(text, pos)
        return (None, scale[0], scale[1]) if scale else (None, None, pos)
    de = _DE_AFTER.match(text, collective[1])
    scale = grammar.scale.match(text, de.end()) if de else None
    if scale and scale[0].needs is None:
        return collective[0], scale[0], scale[1]
    return collective[0], None, collective[1]


def _read_unit(text: str, pos: int, multiplied: bool) -> tuple[_Unit | None, int]:
    """After a multiplier, "de dollars"/"d'abonnés" or "$"; without one, "$" or "salariés"."""
    grammar = _grammar()
    if multiplied and (found := grammar.unit_after_de.match(text, pos) or
                       grammar.countable_after_de_adjective.match(text, pos)):
        return found
    found = grammar.unit.match(text, pos) or grammar.countable_after_adjective.match(text, pos)
    if found and not (multiplied and found[0].countable):
        return found
    return None, pos


@functools.lru_cache(maxsize=256)
def _read_quantity(text: str, pos: int) -> _Quantity | None:
    """[currency] number [collective] [scale] [unit], glued to no letter after it. Kept for the last
    few positions read: a figure that is no range (`_bare_range`) is read again as a single one."""
    prefix = _grammar().currency_prefix.match(text, pos)
    number = _read_number(text, _BLANKS.match(text, prefix[1]).end() if prefix else pos)
    if number is None:
        return None
    collective, scale, end = _read_multiplier(text, number.end)
    half = _grammar().halves.match(text, end) if scale else None
    if half:  # "un milliard et demi": half of the scale is added to the number
        number, end = replace(number, value=number.value + Decimal("0.5")), half.end()
    unit, end = (prefix[0], end) if prefix else _read_unit(text, end, multiplied=bool(collective or scale))
    if scale and not _scale_satisfied(scale, unit):
        collective, scale, unit, end = None, None, (prefix[0] if prefix else None), number.end
    if end < len(text) and text[end].isalnum():
        return None  # "1er", "3e", "18h30", "4d": not figures
    return _Quantity(end, number.value, collective, scale.factor if scale else None, unit,
                     number.in_words, number.article, number.definite)


def _scale_satisfied(scale: _Scale, unit: _Unit | None) -> bool:
    """"30 mn" is thirty minutes and "5G" a network: those abbreviations need a unit."""
    if scale.needs == "currency":
        return unit is not None and unit.currency
    return scale.needs is None or unit is not None


# ---------------------------------------------------------------- readings: quantities with a bound


@dataclass(frozen=True)
class _Context:
    """Running text wants figures only; a table cell takes its scale and unit from the header."""

    strict: bool = True
    default_scale: Decimal = Decimal(1)
    default_unit: str | None = None


@dataclass(frozen=True)
class _Reading:
    end: int
    bound: str
    value: float | None
    min: float | None
    max: float | None
    unit: str | None


_RUNNING_TEXT = _Context()


def _resolve(quantity: _Quantity, context: _Context, partner: _Quantity | None = None) -> tuple[float, str | None]:
    """Value and unit; in "entre 4 et 5 millions de GPU" the first number borrows the second's."""
    scale = quantity.scale or (partner.scale if partner else None)
    unit = quantity.unit or (partner.unit if partner else None)
    code = unit.code if unit else context.default_unit
    if scale is None and code == context.default_unit:
        scale = context.default_scale  # the header's "(en milliards USD)" for a bare cell
    return float(quantity.number * (quantity.collective or 1) * (scale or 1)), code


def _bounded(bound: str, value: float, unit: str | None, end: int) -> _Reading:
    """The conventions of the gold annotations: ceilings fill max, floors fill min."""
    if bound in ("up_to", "less_than"):
        return _Reading(end, bound, value, None, value, unit)
    if bound in ("at_least", "more_than"):
        return _Reading(end, bound, value, value, None, unit)
    return _Reading(end, bound, value, None, None, unit)


def _single(text: str, pos: int, context: _Context, bound: str | None = None) -> _Reading | None:
    quantity = _read_quantity(text, pos)
    if quantity is None or (context.strict and not quantity.is_figure()):
        return None
    value, unit = _resolve(quantity, context)
    if bound is None and (trailing := _grammar().trailing.match(text, quantity.end)):
        return _bounded(trailing[0], value, unit, trailing[1])  # "500 millions d'euros au maximum"
    return _bounded(bound or ("about" if quantity.collective else "exact"), value, unit, quantity.end)


def _with_trigger(text: str, pos: int, context: _Context) -> _Reading | None:
    """"jusqu'à 100 milliards $", "près de +4 %", "~10 M€"."""
    trigger = _grammar().trigger.match(text, pos)
    if trigger is None:
        return None
    bound, end = trigger
    return _single(text, _BLANKS.match(text, end).end(), context, bound)


def _vague(text: str, pos: int, context: _Context) -> _Reading | None:
    """"plusieurs dizaines de milliards de dollars": kept, with no value; "des dizaines de pays" is no amount."""
    found = _grammar().vague.match(text, pos)
    if found is None:
        return None
    unit, end = _read_unit(text, found.end(), multiplied=True)
    last_word = re.split(r"[\s']", found.group())[-1].lower()
    if (unit is None and last_word not in _grammar().vague_scales) or (end < len(text) and text[end].isalnum()):
        return None
    return _Reading(end, "about", None, None, None, unit.code if unit else context.default_unit)


def _range(first: _Quantity | None, second: _Quantity | None, context: _Context) -> _Reading | None:
    """Two quantities as an interval: same unit, ordered, and a figure unless in a cell."""
    if first is None or second is None or (context.strict and not second.is_figure()):
        return None
    if first.unit and second.unit != first.unit and (second.unit or context.strict):
        return None  # "de 5 % à 612 millions" joins two different figures
    low, unit = _resolve(first, context, partner=second)
    high, _ = _resolve(second, context)
    return _Reading(second.end, "between", None, low, high, unit) if low <= high else None


def _after_change(text: str, pos: int) -> bool:
    """"est passé de 10 à 12 %", "passant de 2 à 4 milliards": a figure before, a figure after, no range."""
    return _grammar().after_change.search(text, max(0, pos - 40), pos) is not None


def _framed_range(text: str, pos: int, context: _Context) -> _Reading | None:
    """"entre 20 et 50 milliards de dollars", "de 20 à 50 %"."""
    for opener, closer in _grammar().openers:
        opened = opener.match(text, pos)
        first = _read_quantity(text, opened.end()) if opened else None
        closed = closer.match(text, first.end) if first else None
        reading = _range(first, _read_quantity(text, closed.end()), context) if closed else None
        if reading:
            return None if _after_change(text, pos) else reading
    return None


def _bare_range(text: str, pos: int, context: _Context) -> _Reading | None:
    """"20 à 50 milliards", "4-5 %", "4 et 5 millions de GPU": the first number has no unit."""
    first = _read_quantity(text, pos)
    joined = _grammar().joins.match(text, first.end) if first and first.unit is None else None
    second = _read_quantity(text, joined.end()) if joined else None
    if second and _after_change(text, pos):
        return _start_of_change(first, second, context)
    return _range(first, second, context)


def _start_of_change(first: _Quantity, second: _Quantity, context: _Context) -> _Reading | None:
    """"passé de 420 à 612 millions d'euros": 420 takes the scale and unit written after 612."""
    if context.strict and not second.is_figure():
        return None
    value, unit = _resolve(first, context, partner=second)
    return _Reading(first.end, "exact", value, None, None, unit)


def _read_at(text: str, pos: int, context: _Context) -> _Reading | None:
    """The first reading that fits at `pos`, the widest forms first."""
    for reader in (_vague, _framed_range, _with_trigger, _bare_range, _single):
        reading = reader(text, pos, context)
        if reading:
            return reading
    return None


# ---------------------------------------------------------------- public API


def _starts(text: str):
    """Positions where a word or symbol begins: not inside "GPT-4", "A320" or "1.5"."""
    return (m.start() for m in re.finditer(r"(?<!\w)(?<!\w[-.,])\S", text))


_GROUP_NAME = re.compile(r"\(\?P<\w+>")


def _source(pattern: re.Pattern) -> str:
    """A regex's text as a group that can join others (group names repeat across them, so they go)."""
    return f"(?:{_GROUP_NAME.sub('(?:', pattern.pattern)})"


@functools.cache
def _opening() -> re.Pattern:
    """What every reading starts with, in one regex: a vague quantity, or a quantity after a range opener,
    after a bound, or alone; a quantity starts with a currency prefix or a number (figures, words, "le"
    of "le milliard"). Most words of a text start none, and one test spares them the dozen that
    `_read_at` would make. Wider than the readers (it backtracks where they do not), never narrower."""
    grammar = _grammar()
    number = "|".join([_source(grammar.currency_prefix.pattern), _source(grammar.number_words),
                       _source(grammar.scale_article) + _source(grammar.scale.pattern),
                       r"[+\-–]?\d"])  # where `_DIGITS` can match
    quantity = f"(?:{number})"
    openers = "|".join(_source(opener) for opener, _ in grammar.openers)
    return re.compile("|".join([_source(grammar.vague), f"(?:{openers}){quantity}",
                                f"{_source(grammar.trigger.pattern)}{_BLANK}*{quantity}", quantity]),
                      re.IGNORECASE)


def _amount(original: str, start: int, reading: _Reading) -> Amount:
    return Amount(text=original[start:reading.end], start=start, end=reading.end, value=reading.value,
                  min=reading.min, max=reading.max, bound=reading.bound, unit=reading.unit)


def parse_amounts(text: str) -> list[Amount]:
    """Every amount in a text, in order, without overlaps; bare numbers ("en 2026") are not amounts.

    >>> [(a.text, a.min, a.max, a.bound, a.unit) for a in parse_amounts("Airbus : entre 4 et 5 millions de GPU.")]
    [('entre 4 et 5 millions de GPU', 4000000.0, 5000000.0, 'between', 'GPU')]
    """
    normalised, found, resume = text.translate(_NORMALISE), [], 0
    opening = _opening()
    for start in _starts(normalised):
        can_open = start >= resume and opening.match(normalised, start)
        reading = _read_at(normalised, start, _RUNNING_TEXT) if can_open else None
        if reading:
            found.append(_amount(text, start, reading))
            resume = reading.end
    return _with_implied_units(found, normalised)


_SENTENCE_BREAK = re.compile(r"[.!?;](?:\s|$)|\n")


def _with_implied_units(found: list[Amount], text: str) -> list[Amount]:
    """"650 millions d'euros en 2026, contre 612 millions": French drops the unit it just named.

    In running text a figure without a unit always has a scale. It takes the unit of the nearest
    amount of its sentence that is in a currency, or counted in the same order of magnitude
    ("2 millions d'abonnés, contre 1,5 million", not "800 postes et 300 millions"); failing
    that, the text's most frequent currency, as "300 millions" in business news is money.
    An aside in parentheses ("la série C (80 M$)") lends to nothing outside it.
    """
    currencies, counted = _lendable_units()
    lenders = [a for a in found if a.unit in currencies or a.unit in counted]
    usual = _usual_currency(lenders, currencies)
    return [replace(a, unit=_implied_unit(a, lenders, currencies, text) or usual) if a.unit is None else a
            for a in found]


def _usual_currency(lenders: list[Amount], currencies: frozenset[str]) -> str | None:
    counts = Counter(a.unit for a in lenders if a.unit in currencies)
    return counts.most_common(1)[0][0] if counts else None


@functools.cache
def _lendable_units() -> tuple[frozenset[str], frozenset[str]]:
    """(currencies, counted units): a percentage or a power lends no unit to "612 millions"."""
    data = load_lexicon()
    return (frozenset(data["currencies"]),
            frozenset(data["countables"]) | frozenset(data["countable_forms"].values()))


def _implied_unit(amount: Amount, lenders: list[Amount], currencies: frozenset[str], text: str) -> str | None:
    """The unit of the nearest lender of the sentence, those before first."""
    aside = _in_parentheses(text, amount.start)
    before = [a for a in lenders[::-1] if a.end <= amount.start and not _SENTENCE_BREAK.search(text, a.end, amount.start)]
    after = [a for a in lenders if a.start >= amount.end and not _SENTENCE_BREAK.search(text, amount.end, a.start)]
    nearest = next((a for a in before + after if (a.unit in currencies or _same_magnitude(a, amount))
                    and (aside or not _in_parentheses(text, a.start))), None)
    return nearest.unit if nearest else None


def _in_parentheses(text: str, pos: int) -> bool:
    return text.rfind("(", 0, pos) > text.rfind(")", 0, pos)


def _same_magnitude(a: Amount, b: Amount) -> bool:
    x, y = _magnitude(a), _magnitude(b)
    return x is not None and y is not None and y / 10 <= x <= y * 10


def _magnitude(amount: Amount) -> float | None:
    figure = next((v for v in (amount.value, amount.max, amount.min) if v is not None), None)
    return abs(figure) if figure else None


def parse_amount(cell: str, *, default_unit: str | None = None, default_scale: float = 1.0) -> Amount | None:
    """The amount of one expression such as a table cell; scale and unit default to the header's.

    >>> parse_amount("Jusqu’à 100", default_unit="USD", default_scale=1e9)
    Amount(text='Jusqu’à 100', start=0, end=11, value=100000000000.0, min=None, max=100000000000.0, bound='up_to', unit='USD')
    >>> parse_amount("Non spécifié") is None
    True
    """
    context = _Context(strict=False, default_scale=Decimal(str(default_scale)), default_unit=default_unit)
    normalised = cell.translate(_NORMALISE)
    for start in _starts(normalised):
        reading = _read_at(normalised, start, context)
        if reading:
            return _amount(cell, start, reading)
    return None


def unit_from_header(header: str) -> tuple[float, str | None]:
    """(scale, unit) named by a column header, (1.0, None) when it names neither.

    >>> unit_from_header("Montant de l’investissement (en milliards USD)")
    (1000000000.0, 'USD')
    >>> unit_from_header("Valorisation (M€)")
    (1000000.0, 'EUR')
    """
    normalised = header.translate(_NORMALISE)
    scale = _grammar().header_scale.match(normalised, 0)
    unit = _grammar().header_unit.match(normalised, 0)
    return (float(scale[0].factor) if scale else 1.0), (unit[0].code if unit else None)
