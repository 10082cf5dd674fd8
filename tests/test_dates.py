"""The date a claim refers to, resolved against the publication date (kg/nlp/dates.py)."""
from __future__ import annotations

import pytest

from kg.nlp.dates import date_expressions, date_of, resolve_date

PUBLISHED = "2026-02-03"  # a Tuesday


@pytest.mark.parametrize("text, expected", [
    ("Le conseil s'est réuni samedi.", "2026-01-31"),
    ("L'accord a été signé vendredi soir.", "2026-01-30"),
    ("Le contrat a été signé le 30 janvier.", "2026-01-30"),
    ("Le rachat a été bouclé le 1er décembre.", "2025-12-01"),
    ("La levée avait eu lieu en septembre dernier.", "2025-09"),
    ("Le groupe avait investi l'an dernier.", "2025"),
    ("Le groupe avait investi l’année dernière.", "2025"),
    ("Le plan sera lancé en 2027.", "2027"),
    ("Depuis le lancement du service fin 2022, tout a changé.", "2022"),
    ("Les résultats du 12 mars 2024 étaient bons.", "2024-03-12"),
    ("La société a été fondée en mars 2019.", "2019-03"),
    ("Le titre a reculé hier.", "2026-02-02"),
    ("Le chiffre d'affaires a doublé le mois dernier.", "2026-01"),
])
def test_expressions_resolve_against_the_publication_date(text, expected):
    assert date_of(text, PUBLISHED) == expected


def test_no_date_expression_gives_none():
    assert date_of("Le groupe investit dans l'IA.", PUBLISHED) is None


def test_relative_dates_need_a_publication_date_but_absolute_ones_do_not():
    assert date_of("Le conseil s'est réuni samedi.", None) is None
    assert date_of("Le plan sera lancé en 2027.", None) == "2027"
    assert date_of("Signé le 4 juillet 2025.", None) == "2025-07-04"


def test_a_relative_date_is_no_more_precise_than_a_month_publication_date():
    assert date_of("Le titre a reculé aujourd'hui.", "2026-02") == "2026-02"
    assert date_of("Le titre a reculé l'an dernier.", "2026-02") == "2025"


def test_the_future_is_preferred_only_when_the_text_says_so():
    assert date_of("Le conseil se réunira lundi prochain.", PUBLISHED) == "2026-02-09"
    assert date_of("Le conseil s'est réuni lundi dernier.", PUBLISHED) == "2026-02-02"


def test_expressions_are_found_in_text_order_without_overlaps():
    found = date_expressions("Signé le 30 janvier, annoncé samedi soir, effectif en 2027.")
    assert [(e.text, e.kind) for e in found] == [
        ("le 30 janvier", "day_month"), ("samedi soir", "weekday"), ("en 2027", "year")]


def test_numbers_that_are_not_years_are_not_dates():
    assert date_expressions("Le groupe a investi 2027 millions d'euros.") == []
    assert date_of("Une capacité de 1 500 MW.", PUBLISHED) is None


def test_first_resolvable_expression_wins():
    assert date_of("Samedi, le groupe a confirmé l'accord conclu en 2024.", PUBLISHED) == "2026-01-31"


def test_resolve_date_of_a_year_expression():
    (expression,) = date_expressions("mi-2025")
    assert resolve_date(expression, None) == "2025"
