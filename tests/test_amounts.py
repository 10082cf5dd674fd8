"""The French amount parser: running text, table cells, column headers, and the data file."""
from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.nlp.amounts import load_lexicon, parse_amount, parse_amounts, reload_lexicon, unit_from_header

B, M, K = 1e9, 1e6, 1e3


def figures(text: str) -> list[tuple]:
    """Each amount as (text, start, value, min, max, bound, unit), checking the offsets first."""
    found = parse_amounts(text)
    for amount in found:
        assert text[amount.start:amount.end] == amount.text
    return [(a.text, a.start, a.value, a.min, a.max, a.bound, a.unit) for a in found]


def expect(text: str, span: str, value, low, high, bound: str, unit) -> tuple:
    """The one figure `span` at its first place in `text`."""
    return (span, text.index(span), value, low, high, bound, unit)


# ---------------------------------------------------------------- exact amounts, every written form

EXACT = [
    ("Un cycle de 100 Md$ qui alimente l’IA.", "100 Md$", 100 * B, "USD"),
    ("Un partenariat à 100 milliards de dollars crée une boucle.", "100 milliards de dollars", 100 * B, "USD"),
    ("Il a investi $10 mds dans le cloud.", "$10 mds", 10 * B, "USD"),
    ("Une levée de 1,3 Md€ annoncée hier.", "1,3 Md€", 1.3 * B, "EUR"),
    ("Une valorisation de 500 M€ seulement.", "500 M€", 500 * M, "EUR"),
    ("Un accord de US$ 5 milliards signé.", "US$ 5 milliards", 5 * B, "USD"),
    ("Un accord de 5 milliards USD signé.", "5 milliards USD", 5 * B, "USD"),
    ("Soit 10 milliards de dollars américains.", "10 milliards de dollars américains", 10 * B, "USD"),
    ("Soit 1,3 milliard d’euros de chiffre.", "1,3 milliard d’euros", 1.3 * B, "EUR"),
    ("Soit 1,3 milliard d'euros de chiffre.", "1,3 milliard d'euros", 1.3 * B, "EUR"),
    ("Soit 1 300 millions d’euros de chiffre.", "1 300 millions d’euros", 1.3 * B, "EUR"),
    ("Sa capitalisation atteint 4\u202f500\u202fmilliards\u202f$.", "4\u202f500\u202fmilliards\u202f$", 4500 * B, "USD"),
    ("Sa capitalisation atteint 4\u00a0500 milliards $.", "4\u00a0500 milliards $", 4500 * B, "USD"),
    ("Un chèque de 4.500 euros.", "4.500 euros", 4500.0, "EUR"),
    ("Un chèque de 4,500,000 dollars.", "4,500,000 dollars", 4.5e6, "USD"),
    ("Un prêt de 1.5 milliard de dollars.", "1.5 milliard de dollars", 1.5 * B, "USD"),
    ("Ils ont levé cinquante milliards la semaine passée.", "cinquante milliards", 50 * B, None),
    ("Ils ont levé deux cents millions d’euros.", "deux cents millions d’euros", 200 * M, "EUR"),
    ("Un apport de un milliard de dollars.", "un milliard de dollars", 1 * B, "USD"),
    ("Un investissement d’un milliard de dollars.", "un milliard de dollars", 1 * B, "USD"),
    ("Il vaut vingt et un milliards d’euros.", "vingt et un milliards d’euros", 21 * B, "EUR"),
    ("L'action a gagné +4 % vendredi.", "+4 %", 4.0, "%"),
    ("L'action a perdu -3,2 % vendredi.", "-3,2 %", -3.2, "%"),
    ("L'action a perdu −3,2 % vendredi.", "−3,2 %", -3.2, "%"),
    ("Une hausse de 5 pour cent.", "5 pour cent", 5.0, "%"),
    ("Une hausse de dix pour cent.", "dix pour cent", 10.0, "%"),
    ("Le taux monte de 3 points de pourcentage.", "3 points de pourcentage", 3.0, "pp"),
    ("Une puissance totale de 10 gigawatts.", "10 gigawatts", 10.0, "GW"),
    ("Des data centers de 10 GW.", "10 GW", 10.0, "GW"),
    ("Une centrale de 900 MW.", "900 MW", 900.0, "MW"),
    ("Une centrale de 900 mégawatts.", "900 mégawatts", 900.0, "MW"),
    ("Une borne de 50 kW.", "50 kW", 50.0, "kW"),
    ("Une production de 2 TWh par an.", "2 TWh", 2.0, "TWh"),
    ("Une production de 30 GWh par an.", "30 GWh", 30.0, "GWh"),
    ("Une production de 7 MWh par an.", "7 MWh", 7.0, "MWh"),
    ("Soit entre-temps 4 millions de GPU livrés.", "4 millions de GPU", 4 * M, "GPU"),
    ("Elle compte 2 millions d’abonnés.", "2 millions d’abonnés", 2 * M, "abonnés"),
    ("Le groupe emploie 10 000 salariés.", "10 000 salariés", 10000.0, "salariés"),
    ("Il extrait 2 millions de barils par jour.", "2 millions de barils", 2 * M, "barils"),
    ("Elle a vendu 3 milliards d’actions.", "3 milliards d’actions", 3 * B, "actions"),
    ("Il a reçu 10 millions en dons.", "10 millions", 10 * M, None),
    ("Un marché de 100 livres sterling.", "100 livres sterling", 100.0, "GBP"),
    ("Un marché de £5 millions.", "£5 millions", 5 * M, "GBP"),
    ("Un prix de 3 000 yens.", "3 000 yens", 3000.0, "JPY"),
    ("Un prix de ¥100 pièce.", "¥100", 100.0, "JPY"),
    ("Un bonus de 5 francs suisses.", "5 francs suisses", 5.0, "CHF"),
    ("Un fonds de CHF 10 millions.", "CHF 10 millions", 10 * M, "CHF"),
    ("Un fonds de 10 yuans.", "10 yuans", 10.0, "CNY"),
    ("Un fonds de 10 G$ au total.", "10 G$", 10 * B, "USD"),
    ("Un ticket de 10k€ au total.", "10k€", 10 * K, "EUR"),
    ("Un ticket de 10 mille euros.", "10 mille euros", 10 * K, "EUR"),
    ("Une aide de 2 billions d'euros.", "2 billions d'euros", 2e12, "EUR"),
    ("Un budget de 3 Mio d'euros.", "3 Mio d'euros", 3 * M, "EUR"),
    ("Un budget de 3 Mrds d'euros.", "3 Mrds d'euros", 3 * B, "EUR"),
    ("Un budget de 3 mn $ en tout.", "3 mn $", 3 * M, "USD"),
    ("Une dette de 10 Millions de dollars.", "10 Millions de dollars", 10 * M, "USD"),
    ("Une dette de 10 M de dollars.", "10 M de dollars", 10 * M, "USD"),
    ("Une hausse de ５ % (chiffres pleine chasse).", "５ %", 5.0, "%"),
]


@pytest.mark.parametrize("text, span, value, unit", EXACT)
def test_exact_amounts_in_every_written_form(text, span, value, unit):
    assert figures(text) == [expect(text, span, value, None, None, "exact", unit)]


# ---------------------------------------------------------------- bounds

BOUNDED = [
    ("un investissement pouvant atteindre 100 milliards $ dans OpenAI", "pouvant atteindre 100 milliards $", "up_to", 100 * B, "USD"),
    ("Il investira jusqu’à 100 milliards de dollars.", "jusqu’à 100 milliards de dollars", "up_to", 100 * B, "USD"),
    ("Il investira jusqu'à $10 mds.", "jusqu'à $10 mds", "up_to", 10 * B, "USD"),
    ("Un montant pouvant aller jusqu’à 5 Md€.", "pouvant aller jusqu’à 5 Md€", "up_to", 5 * B, "EUR"),
    ("Il versera au maximum 2 milliards.", "au maximum 2 milliards", "up_to", 2 * B, None),
    ("Il versera au plus 2 milliards.", "au plus 2 milliards", "up_to", 2 * B, None),
    ("Il garde au moins 3 % du capital.", "au moins 3 %", "at_least", 3.0, "%"),
    ("Il garde au minimum 3 % du capital.", "au minimum 3 %", "at_least", 3.0, "%"),
    ("Il recrute pas moins de 10 000 salariés.", "pas moins de 10 000 salariés", "at_least", 10000.0, "salariés"),
    ("Il faut minimum 5 GW.", "minimum 5 GW", "at_least", 5.0, "GW"),
    ("Microsoft a mis moins de 10 milliards.", "moins de 10 milliards", "less_than", 10 * B, None),
    ("Son investissement reste inférieur à 10 milliards de dollars.", "inférieur à 10 milliards de dollars", "less_than", 10 * B, "USD"),
    ("Une part inférieure à 5 %.", "inférieure à 5 %", "less_than", 5.0, "%"),
    ("Le titre passe sous la barre des 10 %.", "sous la barre des 10 %", "less_than", 10.0, "%"),
    ("Le titre passe sous la barre de 100 dollars.", "sous la barre de 100 dollars", "less_than", 100.0, "USD"),
    ("Elle compte plus de 10 millions d'abonnés.", "plus de 10 millions d'abonnés", "more_than", 10 * M, "abonnés"),
    ("Elle vaut plus d’un milliard de dollars.", "plus d’un milliard de dollars", "more_than", 1 * B, "USD"),
    ("Une valeur supérieure à 3 Md€.", "supérieure à 3 Md€", "more_than", 3 * B, "EUR"),
    ("Une capacité au-delà de 5 GW.", "au-delà de 5 GW", "more_than", 5.0, "GW"),
    ("Un chiffre dépassant 100 M€.", "dépassant 100 M€", "more_than", 100 * M, "EUR"),
    ("L’action Nvidia a gagné de près de +4 %, dit-on.", "près de +4 %", "about", 4.0, "%"),
    ("Une capitalisation d’environ 4 500 milliards $.", "environ 4 500 milliards $", "about", 4500 * B, "USD"),
    ("Une levée de quelque 200 millions.", "quelque 200 millions", "about", 200 * M, None),
    ("Une levée autour de 200 millions.", "autour de 200 millions", "about", 200 * M, None),
    ("Une levée d’approximativement 2 M€.", "approximativement 2 M€", "about", 2 * M, "EUR"),
    ("Une hausse de plus ou moins 5 %.", "plus ou moins 5 %", "about", 5.0, "%"),
    ("Un tour de ~10 M€.", "~10 M€", "about", 10 * M, "EUR"),
    ("Une consommation de l’ordre de 3 TWh.", "de l’ordre de 3 TWh", "about", 3.0, "TWh"),
    ("Jusqu'À 100 milliards, dit-il.", "Jusqu'À 100 milliards", "up_to", 100 * B, None),
]


def bound_fields(bound: str, value: float) -> tuple:
    """(value, min, max) by the project's conventions."""
    if bound in ("up_to", "less_than"):
        return value, None, value
    if bound in ("at_least", "more_than"):
        return value, value, None
    return value, None, None


@pytest.mark.parametrize("text, span, bound, value, unit", BOUNDED)
def test_bound_triggers_are_part_of_the_amount(text, span, bound, value, unit):
    assert figures(text) == [expect(text, span, *bound_fields(bound, value), bound, unit)]


RANGES = [
    ("soit entre 4 et 5 millions de GPU.", "entre 4 et 5 millions de GPU", 4 * M, 5 * M, "GPU"),
    ("un investissement oscillant entre 20 et 50 milliards de dollars.", "entre 20 et 50 milliards de dollars", 20 * B, 50 * B, "USD"),
    ("un apport de 20 à 50 milliards de dollars.", "de 20 à 50 milliards de dollars", 20 * B, 50 * B, "USD"),
    ("une hausse de 20 à 50 % attendue", "de 20 à 50 %", 20.0, 50.0, "%"),
    ("ils misent 20 à 50 milliards au total.", "20 à 50 milliards", 20 * B, 50 * B, None),
    ("ils misent 20-50 milliards au total.", "20-50 milliards", 20 * B, 50 * B, None),
    ("ils misent 20–50 M€ au total.", "20–50 M€", 20 * M, 50 * M, "EUR"),
    ("une hausse de 4-5 % au total.", "4-5 %", 4.0, 5.0, "%"),
    ("soit 4 et 5 millions de GPU.", "4 et 5 millions de GPU", 4 * M, 5 * M, "GPU"),
    ("entre 500 millions et 1 milliard de dollars", "entre 500 millions et 1 milliard de dollars", 500 * M, 1 * B, "USD"),
    ("entre deux et trois milliards d’euros", "entre deux et trois milliards d’euros", 2 * B, 3 * B, "EUR"),
    ("entre $10 et $20 milliards", "entre $10 et $20 milliards", 10 * B, 20 * B, "USD"),
]


@pytest.mark.parametrize("text, span, low, high, unit", RANGES)
def test_ranges_distribute_scale_and_unit_to_both_numbers(text, span, low, high, unit):
    assert figures(text) == [expect(text, span, None, low, high, "between", unit)]


VAGUE = [
    ("Ils injectent plusieurs dizaines de milliards de dollars.", "plusieurs dizaines de milliards de dollars", "USD"),
    ("Des centaines de millions d’euros sont en jeu.", "Des centaines de millions d’euros", "EUR"),
    ("Il y a quelques millions d'utilisateurs.", "quelques millions d'utilisateurs", "utilisateurs"),
    ("On parle de plusieurs dizaines de milliards.", "plusieurs dizaines de milliards", None),
    ("Des dizaines de milliers de salariés.", "Des dizaines de milliers de salariés", "salariés"),
    ("Des centaines de salariés.", "Des centaines de salariés", "salariés"),
]


@pytest.mark.parametrize("text, span, unit", VAGUE)
def test_vague_amounts_are_kept_without_a_value(text, span, unit):
    assert figures(text) == [expect(text, span, None, None, None, "about", unit)]


def test_approximate_collectives_are_about_their_figure():
    text = "une dizaine de milliards d'euros et une centaine de salariés, depuis une dizaine d'années"
    assert figures(text) == [
        expect(text, "une dizaine de milliards d'euros", 10 * B, None, None, "about", "EUR"),
        expect(text, "une centaine de salariés", 100.0, None, None, "about", "salariés"),
    ]


# ---------------------------------------------------------------- what is not an amount

NOT_AMOUNTS = [
    "La croissance est attendue en 2026, le 30 janvier.",
    "Depuis le lancement de ChatGPT fin 2022, GPT-4, puis GPT-5.",
    "Les 10 plus grandes entreprises, page 3.",
    "- 1 L’engagement spectaculaire de Nvidia",
    "Rendez-vous à 18h30, le 1er mars, pour la 3e fois.",
    "toto toto 4d ROGTOTO rogtoto",
    "Un écran 4K et la 5G, à 10 km, en 30 mn.",
    "Trois puces et un euro symbolique, une action de plus.",
    "entre 2020 et 2025, de 2020 à 2025, 10-15 avril",
    "Il reste une dizaine d'années et des puces.",
    "Version 1.2.3 du modèle A320 et COVID-19.",
    "Des dizaines de pays et des centaines de villes, avec 3 M. Dupont.",
    "| Amazon | 20 à 50 | Financement |",
]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_bare_numbers_in_running_text_are_not_amounts(text):
    assert figures(text) == []


def test_several_amounts_are_sorted_and_do_not_overlap():
    text = "Nvidia : 100 Md$ ; Amazon : entre 20 et 50 milliards de dollars ; Microsoft : moins de 10 milliards."
    found = parse_amounts(text)
    assert [a.text for a in found] == ["100 Md$", "entre 20 et 50 milliards de dollars", "moins de 10 milliards"]
    assert all(left.end <= right.start for left, right in zip(found, found[1:]))


def test_a_decreasing_pair_is_not_a_range():
    text = "Sa part va de 10 à 5 %."
    assert figures(text) == [expect(text, "5 %", 5.0, None, None, "exact", "%")]


# ---------------------------------------------------------------- table cells and headers

CELLS = [
    ("Jusqu’à 100", "up_to", 100 * B, None, 100 * B),
    ("20 à 50", "between", None, 20 * B, 50 * B),
    ("Moins de 10", "less_than", 10 * B, None, 10 * B),
    ("Plus de 10", "more_than", 10 * B, 10 * B, None),
    ("Environ 3,5", "about", 3.5 * B, None, None),
    ("100", "exact", 100 * B, None, None),
    ("entre 1 et 2", "between", None, 1 * B, 2 * B),
]


@pytest.mark.parametrize("cell, bound, value, low, high", CELLS)
def test_cells_take_scale_and_unit_from_the_header(cell, bound, value, low, high):
    amount = parse_amount(cell, default_unit="USD", default_scale=1e9)
    assert (amount.text, amount.start, amount.end) == (cell, 0, len(cell))
    assert (amount.value, amount.min, amount.max, amount.bound, amount.unit) == (value, low, high, bound, "USD")


@pytest.mark.parametrize("cell", ["Non spécifié", "N/A", "—", "", "   ", "1er", "Financement + Actions", "n.c.", "n.d.", "ns", "-"])
def test_cells_without_a_figure_are_none(cell):
    assert parse_amount(cell, default_unit="USD", default_scale=1e9) is None


def test_a_cell_with_its_own_scale_and_unit_keeps_them():
    amount = parse_amount("100 M€", default_unit="USD", default_scale=1e9)
    assert (amount.value, amount.unit, amount.bound) == (100 * M, "EUR", "exact")


def test_a_cell_with_a_percent_is_not_scaled_by_a_money_header():
    amount = parse_amount("4 %", default_unit="USD", default_scale=1e9)
    assert (amount.value, amount.unit) == (4.0, "%")


@pytest.mark.parametrize("cell, value", [("–3,2 %", -3.2), ("-3,2 %", -3.2), ("+3,2 %", 3.2), ("(–12 %)", -12.0)])
def test_a_signed_cell_keeps_its_sign(cell, value):
    amount = parse_amount(cell, default_unit="%")
    assert (amount.value, amount.unit) == (value, "%")


def test_a_padded_cell_reports_offsets_in_the_cell():
    amount = parse_amount("  100  ")
    assert (amount.text, amount.start, amount.end, amount.value, amount.unit) == ("100", 2, 5, 100.0, None)


HEADERS = [
    ("Montant de l’investissement (en milliards USD)", 1e9, "USD"),
    ("Valorisation (M€)", 1e6, "EUR"),
    ("Chiffre d'affaires (en millions d'euros)", 1e6, "EUR"),
    ("Effectif (milliers de salariés)", 1e3, "salariés"),
    ("Part (%)", 1.0, "%"),
    ("Capacité (GW)", 1.0, "GW"),
    ("Montant (k$)", 1e3, "USD"),
    ("Cours (€)", 1.0, "EUR"),
    ("Variation (%)", 1.0, "%"),
    ("CA 2025 (Md€)", 1e9, "EUR"),
    ("Chiffre d'affaires (en M€)", 1e6, "EUR"),
    ("Montant (millions de dollars)", 1e6, "USD"),
    ("Capacité installée (MW)", 1.0, "MW"),
    ("Dividende par action (en euros)", 1.0, "EUR"),
    ("Entreprise", 1.0, None),
    ("Type d’engagement", 1.0, None),
    ("Rôle stratégique", 1.0, None),
]


@pytest.mark.parametrize("header, scale, unit", HEADERS)
def test_unit_from_header(header, scale, unit):
    assert unit_from_header(header) == (scale, unit)


def test_a_table_read_through_its_header():
    scale, unit = unit_from_header("Montant de l’investissement (en milliards USD)")
    cells = ["Jusqu’à 100", "20 à 50", "Moins de 10", "Non spécifié"]
    read = [parse_amount(cell, default_unit=unit, default_scale=scale) for cell in cells]
    assert [a.interval() if a else None for a in read] == [(0.0, 100 * B), (20 * B, 50 * B), (0.0, 10 * B), None]


# ---------------------------------------------------------------- the data file is the vocabulary


@pytest.fixture
def extra_folder(tmp_path, monkeypatch):
    """A user's KG_ONTOLOGY_EXTRA folder; the cached data is reloaded around the test."""
    monkeypatch.setenv("KG_ONTOLOGY_EXTRA", str(tmp_path))
    reload_lexicon()
    yield tmp_path
    reload_lexicon()  # the next call reads the environment as monkeypatch restores it


def test_users_extend_the_data_file(extra_folder):
    extension = {"countables": ["robots"], "currencies": {"INR": ["roupies"]}, "bounds": {"about": ["grosso modo"]}}
    (extra_folder / "amounts.json").write_text(json.dumps(extension), encoding="utf-8")
    reload_lexicon()
    text = "Il livre 3 millions de robots pour grosso modo 5 milliards de roupies, soit 2 GW."
    assert [(a.text, a.value, a.bound, a.unit) for a in parse_amounts(text)] == [
        ("3 millions de robots", 3 * M, "exact", "robots"),
        ("grosso modo 5 milliards de roupies", 5 * B, "about", "INR"),
        ("2 GW", 2.0, "exact", "GW"),
    ]
    assert "salariés" in load_lexicon()["countables"]


def test_without_an_extension_the_bundled_data_is_used(extra_folder):
    assert parse_amounts("3 millions de robots")[0].unit is None


# ---------------------------------------------------------------- properties

TRIGGERS = {
    "exact": [""],
    "up_to": ["jusqu’à ", "jusqu'à ", "pouvant atteindre ", "au maximum ", "au plus "],
    "at_least": ["au moins ", "au minimum ", "pas moins de ", "minimum "],
    "less_than": ["moins de ", "inférieur à ", "inférieures à ", "sous la barre des "],
    "more_than": ["plus de ", "supérieure à ", "au-delà de ", "dépassant "],
    "about": ["environ ", "près de ", "quelque ", "autour de ", "approximativement ", "plus ou moins ", "~",
              "de l’ordre de "],
}
SCALES = [(" millions", 1e6), (" million", 1e6), (" M", 1e6), ("M", 1e6), (" Mio", 1e6), (" milliards", 1e9),
          (" milliard", 1e9), (" Md", 1e9), ("Md", 1e9), (" Mds", 1e9), (" mds", 1e9), (" Mrd", 1e9),
          (" billions", 1e12), (" mille", 1e3), (" k", 1e3), ("k", 1e3)]
STANDING_ALONE = {"millions", "million", "Mio", "milliards", "milliard", "Md", "Mds", "mds", "Mrd", "billions", "mille"}
SYMBOLS = [("$", "USD"), (" $", "USD"), ("€", "EUR"), (" €", "EUR"), (" USD", "USD"), (" EUR", "EUR"), ("£", "GBP"),
           (" CHF", "CHF")]
WORDS = [("dollars", "USD"), ("dollars américains", "USD"), ("euros", "EUR"), ("livres sterling", "GBP"),
         ("yens", "JPY"), ("francs suisses", "CHF"), ("yuans", "CNY"), ("GPU", "GPU"), ("salariés", "salariés"),
         ("abonnés", "abonnés"), ("utilisateurs", "utilisateurs"), ("barils", "barils")]
MEASURES = [(" %", "%"), ("%", "%"), (" pour cent", "%"), (" points de pourcentage", "pp"), (" GW", "GW"),
            (" gigawatts", "GW"), (" MW", "MW"), (" mégawatts", "MW"), (" TWh", "TWh"), (" kW", "kW")]
BLANKS = [" ", "\u00a0", "\u202f"]


@st.composite
def french_numbers(draw) -> tuple[str, Decimal]:
    """An integer or a one-decimal number as a French article prints it."""
    if draw(st.booleans()):
        value = draw(st.integers(0, 999_999))
        grouped = f"{value:,}".replace(",", draw(st.sampled_from(BLANKS + ["."])))
        return grouped, Decimal(value)
    tenths = draw(st.integers(1, 99_999))
    return f"{tenths // 10}{draw(st.sampled_from([',', '.']))}{tenths % 10}", Decimal(tenths) / 10


def units_after(scale: str) -> list[tuple[str, str | None]]:
    """The units French writes after a scale ("milliards de dollars", "Md$") or after a bare number."""
    if not scale:
        return SYMBOLS + [(f" {word}", unit) for word, unit in WORDS] + MEASURES
    with_de = [(f" {'d’' if word[0] in 'aeiouéè' else 'de '}{word}", unit) for word, unit in WORDS]
    return SYMBOLS + with_de + ([("", None)] if scale.strip() in STANDING_ALONE else [])


@st.composite
def tails(draw) -> tuple[str, Decimal, str | None]:
    """What follows a number: a scale, a unit or both; (text, factor, unit code)."""
    scale, factor = draw(st.sampled_from([("", 1.0)] + SCALES))
    unit_text, unit = draw(st.sampled_from(units_after(scale)))
    return scale + unit_text, Decimal(str(factor)), unit


SENTENCE = "Le groupe a levé {} auprès d’investisseurs."


def parsed_once(sentence: str):
    found = parse_amounts(sentence)
    assert len(found) == 1, found
    amount = found[0]
    assert 0 <= amount.start < amount.end <= len(sentence)
    assert sentence[amount.start:amount.end] == amount.text
    return amount


def same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(number=french_numbers(), tail=tails(), bound=st.sampled_from(sorted(TRIGGERS)), data=st.data())
def test_property_one_rendered_amount_is_read_back(number, tail, bound, data):
    (digits, value), (tail_text, factor, unit) = number, tail
    written = data.draw(st.sampled_from(TRIGGERS[bound])) + digits + tail_text
    amount = parsed_once(SENTENCE.format(written))
    expected = bound_fields(bound, float(value * factor))
    assert amount.text == written
    assert (amount.bound, amount.unit) == (bound, unit)
    assert all(same(got, want) for got, want in zip((amount.value, amount.min, amount.max), expected))


@settings(max_examples=200, deadline=None)
@given(low=french_numbers(), high=french_numbers(), tail=tails(),
       frame=st.sampled_from(["entre {} et {}", "de {} à {}", "{} à {}", "{}-{}", "{} – {}"]))
def test_property_one_rendered_range_is_read_back(low, high, tail, frame):
    (low_text, low_value), (high_text, high_value) = sorted([low, high], key=lambda number: number[1])
    tail_text, factor, unit = tail
    written = frame.format(low_text, high_text) + tail_text
    amount = parsed_once(SENTENCE.format(written))
    assert (amount.text, amount.bound, amount.unit, amount.value) == (written, "between", unit, None)
    assert same(amount.min, float(low_value * factor)) and same(amount.max, float(high_value * factor))


def _offsets_hold(text: str) -> None:
    found = parse_amounts(text)
    for amount in found:
        assert 0 <= amount.start < amount.end <= len(text)
        assert text[amount.start:amount.end] == amount.text
        assert amount.bound in ("exact", "up_to", "at_least", "less_than", "more_than", "between", "about")
    assert all(left.end <= right.start for left, right in zip(found, found[1:]))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_property_any_text_never_raises_and_keeps_offsets(text):
    _offsets_hold(text)


AMOUNTISH = list("0123456789  ,.-–+%$€£~'’\u00a0\u202f") + [
    "milliards", "millions", "Md", "M", "k", "G", "de ", "d’", "à", " et ", "entre ", "dollars", "euros", "GPU",
    "plus de ", "jusqu’à ", "environ ", "des ", "plusieurs ", "dizaines", "une ", "un ", "dizaine", "deux", "cent",
    "er", "e", "h",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(AMOUNTISH), max_size=30).map("".join))
def test_property_amount_like_text_never_raises_and_keeps_offsets(text):
    _offsets_hold(text)
    for amount in parse_amounts(text):
        assert amount.interval() is None or amount.interval()[0] <= amount.interval()[1]


@settings(max_examples=100, deadline=None)
@given(st.text(), st.sampled_from(["USD", "EUR", None]), st.sampled_from([1.0, 1e6, 1e9]))
def test_property_cells_never_raise(cell, unit, scale):
    amount = parse_amount(cell, default_unit=unit, default_scale=scale)
    assert amount is None or cell[amount.start:amount.end] == amount.text


# ---------------------------------------------------------------- French usage, systematically
# One row per way French business journalism writes a figure, written from usage (style guides,
# wire copy conventions), not from the gold articles: (sentence, span, bound, value, unit).

NNBSP, NBSP = "\u202f", "\u00a0"

FRENCH_USAGE = [
    # thousands separators: space, NBSP, NNBSP, point; decimal comma
    ("Le groupe a dégagé 4 500 euros de marge.", "4 500 euros", "exact", 4500.0, "EUR"),
    (f"Le groupe a dégagé 4{NBSP}500 euros de marge.", f"4{NBSP}500 euros", "exact", 4500.0, "EUR"),
    (f"Le groupe a dégagé 4{NNBSP}500 euros de marge.", f"4{NNBSP}500 euros", "exact", 4500.0, "EUR"),
    (f"Un budget de 12{NNBSP}500{NNBSP}000 euros.", f"12{NNBSP}500{NNBSP}000 euros", "exact", 12.5e6, "EUR"),
    ("Un budget de 250 000 €.", "250 000 €", "exact", 250000.0, "EUR"),
    ("Une perte de 1,3 milliard d'euros.", "1,3 milliard d'euros", "exact", 1.3 * B, "EUR"),
    ("Une perte de 0,8 million d'euros.", "0,8 million d'euros", "exact", 0.8 * M, "EUR"),
    ("Une perte de 2,75 milliards de dollars.", "2,75 milliards de dollars", "exact", 2.75 * B, "USD"),
    # abbreviated scales glued to or spaced from the currency sign
    ("Le chiffre d'affaires atteint 1,3 Md€.", "1,3 Md€", "exact", 1.3 * B, "EUR"),
    ("Le chiffre d'affaires atteint 2,5 Mds€.", "2,5 Mds€", "exact", 2.5 * B, "EUR"),
    ("Le chiffre d'affaires atteint 2,5 Mds €.", "2,5 Mds €", "exact", 2.5 * B, "EUR"),
    ("Le chiffre d'affaires atteint 2,5 mds d'euros.", "2,5 mds d'euros", "exact", 2.5 * B, "EUR"),
    ("Le chiffre d'affaires atteint 40 Md$.", "40 Md$", "exact", 40 * B, "USD"),
    ("Le chiffre d'affaires atteint 12 M€.", "12 M€", "exact", 12 * M, "EUR"),
    ("Le chiffre d'affaires atteint 12 M$.", "12 M$", "exact", 12 * M, "USD"),
    ("Le chiffre d'affaires atteint 800 k€.", "800 k€", "exact", 800 * K, "EUR"),
    ("Le chiffre d'affaires atteint 800 K€.", "800 K€", "exact", 800 * K, "EUR"),
    ("Le chiffre d'affaires atteint 800 000 €.", "800 000 €", "exact", 800 * K, "EUR"),
    ("Le chiffre d'affaires atteint 3 milliards €.", "3 milliards €", "exact", 3 * B, "EUR"),
    ("Le chiffre d'affaires atteint 3 millions $.", "3 millions $", "exact", 3 * M, "USD"),
    ("Le fonds gère 5 milliards d'euros d'actifs.", "5 milliards d'euros", "exact", 5 * B, "EUR"),
    ("Le fonds gère 5 Mrd EUR d'actifs.", "5 Mrd EUR", "exact", 5 * B, "EUR"),
    ("Le fonds gère 1 milliard d'euros.", "1 milliard d'euros", "exact", 1 * B, "EUR"),
    ("Le fonds gère €5 milliards.", "€5 milliards", "exact", 5 * B, "EUR"),
    ("Le fonds gère 5 milliards de livres.", "5 milliards de livres", "exact", 5 * B, "GBP"),
    ("Le fonds gère 5 milliards de francs suisses.", "5 milliards de francs suisses", "exact", 5 * B, "CHF"),
    ("Le fonds gère 40 milliards de couronnes suédoises.", "40 milliards de couronnes suédoises", "exact", 40 * B, "SEK"),
    ("Le fonds gère 900 milliards de wons.", "900 milliards de wons", "exact", 900 * B, "KRW"),
    ("Le fonds gère 2 000 milliards de yens.", "2 000 milliards de yens", "exact", 2000 * B, "JPY"),
    ("Le fonds gère 30 milliards de yuans.", "30 milliards de yuans", "exact", 30 * B, "CNY"),
    ("Le fonds gère 3 milliards de dollars canadiens.", "3 milliards de dollars canadiens", "exact", 3 * B, "CAD"),
    # numbers in words
    ("Il a levé trois cents millions d'euros.", "trois cents millions d'euros", "exact", 300 * M, "EUR"),
    ("Il a levé trois cent cinquante millions d'euros.", "trois cent cinquante millions d'euros", "exact", 350 * M, "EUR"),
    ("Il a levé quatre-vingts millions d'euros.", "quatre-vingts millions d'euros", "exact", 80 * M, "EUR"),
    ("Il a levé soixante-dix millions de dollars.", "soixante-dix millions de dollars", "exact", 70 * M, "USD"),
    ("Il a levé deux milliards de dollars.", "deux milliards de dollars", "exact", 2 * B, "USD"),
    ("Il a levé un demi-milliard de dollars.", "un demi-milliard de dollars", "exact", 0.5 * B, "USD"),
    ("Il a levé un million d'euros.", "un million d'euros", "exact", 1 * M, "EUR"),
    ("Il compte deux cents salariés.", "deux cents salariés", "exact", 200.0, "salariés"),
    ("Il compte mille deux cents salariés.", "mille deux cents salariés", "exact", 1200.0, "salariés"),
    ("Il vise deux millions d'abonnés.", "deux millions d'abonnés", "exact", 2 * M, "abonnés"),
    ("Une hausse de cinq pour cent.", "cinq pour cent", "exact", 5.0, "%"),
    # percentages, signed, glued, points
    ("Le titre gagne +3,2 % à l'ouverture.", "+3,2 %", "exact", 3.2, "%"),
    ("Le titre perd -12 % à l'ouverture.", "-12 %", "exact", -12.0, "%"),
    ("Le titre (–12 %) recule.", "–12 %", "exact", -12.0, "%"),
    ("Le titre gagne +3,2% à l'ouverture.", "+3,2%", "exact", 3.2, "%"),
    (f"Le titre gagne 3,2{NNBSP}% à l'ouverture.", f"3,2{NNBSP}%", "exact", 3.2, "%"),
    ("Le titre recule de 0,45 % en séance.", "0,45 %", "exact", 0.45, "%"),
    ("Le titre recule de 12 pour cent.", "12 pour cent", "exact", 12.0, "%"),
    ("La marge gagne 1,5 point de pourcentage.", "1,5 point de pourcentage", "exact", 1.5, "pp"),
    ("La marge gagne 0,3 point.", "0,3 point", "exact", 0.3, "points"),
    ("Le CAC 40 termine à 8 214,37 points.", "8 214,37 points", "exact", 8214.37, "points"),
    ("Le Nasdaq gagne 150 points.", "150 points", "exact", 150.0, "points"),
    # per-share prices: the currency amount is the figure
    ("L'offre valorise le titre à 12,40 euros par action.", "12,40 euros", "exact", 12.4, "EUR"),
    ("L'action clôture à 60,80 €.", "60,80 €", "exact", 60.8, "EUR"),
    ("Un dividende de 1,20 € par action.", "1,20 €", "exact", 1.2, "EUR"),
    # energy and measures
    ("Un parc de 1,2 GW.", "1,2 GW", "exact", 1.2, "GW"),
    ("Un parc de 500 MW.", "500 MW", "exact", 500.0, "MW"),
    ("Un parc de 2 gigawatts.", "2 gigawatts", "exact", 2.0, "GW"),
    ("Un parc de 3 TWh par an.", "3 TWh", "exact", 3.0, "TWh"),
    ("Un site de 80 hectares.", "80 hectares", "exact", 80.0, "hectares"),
    ("Un site de 80 ha.", "80 ha", "exact", 80.0, "hectares"),
    ("Un réseau de 1 200 points de vente.", "1 200 points de vente", "exact", 1200.0, "points de vente"),
    ("Un réseau de 12 000 sous-traitants.", "12 000 sous-traitants", "exact", 12000.0, "sous-traitants"),
    ("Une usine de 40 000 mètres carrés.", "40 000 mètres carrés", "exact", 40000.0, "mètres carrés"),
    ("Une production de 200 000 tonnes.", "200 000 tonnes", "exact", 200000.0, "tonnes"),
    # counted units
    ("Le contrat porte sur 10 000 GPU.", "10 000 GPU", "exact", 10000.0, "GPU"),
    ("Le groupe emploie 2 300 personnes.", "2 300 personnes", "exact", 2300.0, "personnes"),
    ("Le groupe emploie 610 employés.", "610 employés", "exact", 610.0, "employés"),
    ("Le groupe emploie 1 200 collaborateurs.", "1 200 collaborateurs", "exact", 1200.0, "collaborateurs"),
    ("Le plan supprime 450 postes.", "450 postes", "exact", 450.0, "postes"),
    ("Le plan crée 1 000 emplois.", "1 000 emplois", "exact", 1000.0, "emplois"),
    ("Il a cédé 1,4 million de titres.", "1,4 million de titres", "exact", 1.4 * M, "titres"),
    ("Il a cédé 3 millions d'actions.", "3 millions d'actions", "exact", 3 * M, "actions"),
    ("La puce dépasse 1 000 qubits.", "dépasse 1 000 qubits", "more_than", 1000.0, "qubits"),
    ("La compagnie a commandé 150 avions.", "150 avions", "exact", 150.0, "avions"),
    ("La plateforme revendique 20 millions d'utilisateurs.", "20 millions d'utilisateurs", "exact", 20 * M, "utilisateurs"),
    # bounds
    ("Il investira jusqu'à 2 milliards d'euros.", "jusqu'à 2 milliards d'euros", "up_to", 2 * B, "EUR"),
    ("Il investira jusqu’à 2 Md€.", "jusqu’à 2 Md€", "up_to", 2 * B, "EUR"),
    ("Il détient plus de 5 % du capital.", "plus de 5 %", "more_than", 5.0, "%"),
    ("Il détient plus d'un milliard d'euros.", "plus d'un milliard d'euros", "more_than", 1 * B, "EUR"),
    ("Il détient un peu plus de 5 % du capital.", "un peu plus de 5 %", "more_than", 5.0, "%"),
    ("Il détient près de 10 % du capital.", "près de 10 %", "about", 10.0, "%"),
    ("Il détient près d'un milliard d'euros.", "près d'un milliard d'euros", "about", 1 * B, "EUR"),
    ("Près de 1,4 million de titres ont changé de mains.", "Près de 1,4 million de titres", "about", 1.4 * M, "titres"),
    ("Le groupe emploie environ 1 200 personnes.", "environ 1 200 personnes", "about", 1200.0, "personnes"),
    ("Le groupe emploie quelque 2 300 personnes.", "quelque 2 300 personnes", "about", 2300.0, "personnes"),
    ("Le groupe emploie quelque 2\u00a0300 personnes.", "quelque 2\u00a0300 personnes", "about", 2300.0, "personnes"),
    ("Le groupe emploie au moins 500 salariés.", "au moins 500 salariés", "at_least", 500.0, "salariés"),
    ("Le groupe a perdu moins de 3 % en Bourse.", "moins de 3 %", "less_than", 3.0, "%"),
    ("Le groupe a perdu moins d'un million d'euros.", "moins d'un million d'euros", "less_than", 1 * M, "EUR"),
    ("Le groupe a perdu un peu moins de 3 %.", "un peu moins de 3 %", "less_than", 3.0, "%"),
    ("Une valorisation d'environ 3 Md€.", "environ 3 Md€", "about", 3 * B, "EUR"),
    ("Une valorisation avoisinant 3 milliards d'euros.", "avoisinant 3 milliards d'euros", "about", 3 * B, "EUR"),
    ("Une valorisation qui frôle les 3 milliards d'euros.", "frôle les 3 milliards d'euros", "about", 3 * B, "EUR"),
    ("Une valorisation qui pourrait dépasser 120 milliards de dollars.", "dépasser 120 milliards de dollars", "more_than", 120 * B, "USD"),
    ("Une valorisation qui dépasse les 10 milliards de dollars.", "dépasse les 10 milliards de dollars", "more_than", 10 * B, "USD"),
    ("Une valorisation de plus de 10 milliards de dollars.", "plus de 10 milliards de dollars", "more_than", 10 * B, "USD"),
    ("Une valorisation supérieure à 10 Md$.", "supérieure à 10 Md$", "more_than", 10 * B, "USD"),
    ("Une enveloppe plafonnée à 500 millions d'euros.", "plafonnée à 500 millions d'euros", "up_to", 500 * M, "EUR"),
    ("Une enveloppe de 500 millions d'euros au maximum.", "500 millions d'euros au maximum", "up_to", 500 * M, "EUR"),
    ("Une enveloppe de 500 millions d'euros au moins.", "500 millions d'euros au moins", "at_least", 500 * M, "EUR"),
    ("Une enveloppe de 3 milliards d'euros environ.", "3 milliards d'euros environ", "about", 3 * B, "EUR"),
    ("Une enveloppe de 3 milliards d'euros, environ un tiers du total.", "3 milliards d'euros", "exact", 3 * B, "EUR"),
    ("Une amende de pas plus de 2 % du chiffre.", "pas plus de 2 %", "up_to", 2.0, "%"),
    ("Une amende de 2 % tout au plus.", "2 % tout au plus", "up_to", 2.0, "%"),
    ("Une levée d'un milliard et demi d'euros.", "un milliard et demi d'euros", "exact", 1.5 * B, "EUR"),
    ("Une levée de deux millions et demi de dollars.", "deux millions et demi de dollars", "exact", 2.5 * M, "USD"),
    ("Une levée de 1 milliard et demi d'euros.", "1 milliard et demi d'euros", "exact", 1.5 * B, "EUR"),
    ("Il a levé plusieurs milliards d'euros.", "plusieurs milliards d'euros", "about", None, "EUR"),
    ("Il a levé des millions de dollars.", "des millions de dollars", "about", None, "USD"),
    ("La BCE relève ses taux de 25 points de base.", "25 points de base", "exact", 25.0, "bp"),
    ("Une centrale solaire de 300 MWc.", "300 MWc", "exact", 300.0, "MWc"),
    ("Une batterie de 75 kWh.", "75 kWh", "exact", 75.0, "kWh"),
    ("Le baril cote 80 dollars.", "80 dollars", "exact", 80.0, "USD"),
    ("Un accord de 3 milliards de $.", "3 milliards de $", "exact", 3 * B, "USD"),
    ("Un accord de 1,5 Md d'euros.", "1,5 Md d'euros", "exact", 1.5 * B, "EUR"),
    ("Un accord de USD 300 millions.", "USD 300 millions", "exact", 300 * M, "USD"),
    ("Le titre est détenu à 100 %.", "100 %", "exact", 100.0, "%"),
    ("Il emploie plus d'une centaine de salariés.", "plus d'une centaine de salariés", "more_than", 100.0, "salariés"),
    ("Il prévoit 1 200 licenciements.", "1 200 licenciements", "exact", 1200.0, "licenciements"),
    ("Il annonce 300 embauches.", "300 embauches", "exact", 300.0, "embauches"),
    ("Il exploite 2 000 bornes de recharge.", "2 000 bornes", "exact", 2000.0, "bornes"),
    ("Il a commandé 500 camions.", "500 camions", "exact", 500.0, "camions"),
    ("Il compte 4 000 agents.", "4 000 agents", "exact", 4000.0, "agents"),
    ("Il a cédé 10 000 parts.", "10 000 parts", "exact", 10000.0, "parts"),
    ("Il gère 3 millions de comptes.", "3 millions de comptes", "exact", 3 * M, "comptes"),
    ("Un contrat de 2 milliards de livres turques.", "2 milliards de livres turques", "exact", 2 * B, "TRY"),
    ("Un contrat de 50 milliards de roupies indiennes.", "50 milliards de roupies indiennes", "exact", 50 * B, "INR"),
    ("Un contrat de 3 milliards de pesos mexicains.", "3 milliards de pesos mexicains", "exact", 3 * B, "MXN"),
    ("Un contrat de 10 milliards de rands.", "10 milliards de rands", "exact", 10 * B, "ZAR"),
    ("Un contrat de 4 milliards de zlotys.", "4 milliards de zlotys", "exact", 4 * B, "PLN"),
    ("Un contrat de 12 milliards de reais.", "12 milliards de reais", "exact", 12 * B, "BRL"),
    ("Un contrat de 8 milliards de couronnes tchèques.", "8 milliards de couronnes tchèques", "exact", 8 * B, "CZK"),
    ("Un contrat de 2,1 md€.", "2,1 md€", "exact", 2.1 * B, "EUR"),
    ("Le plan crée 10 000 nouveaux emplois.", "10 000 nouveaux emplois", "exact", 10000.0, "emplois"),
    ("Elle a gagné 2 millions de nouveaux abonnés.", "2 millions de nouveaux abonnés", "exact", 2 * M, "abonnés"),
    ("Son chiffre d'affaires a franchi la barre du milliard d'euros.", "franchi la barre du milliard d'euros", "more_than", 1 * B, "EUR"),
    ("Ses ventes vont dépasser le milliard de dollars.", "dépasser le milliard de dollars", "more_than", 1 * B, "USD"),
    ("La plateforme a franchi le cap du million d'abonnés.", "franchi le cap du million d'abonnés", "more_than", 1 * M, "abonnés"),
    ("Un investissement de l'ordre du milliard d'euros.", "de l'ordre du milliard d'euros", "about", 1 * B, "EUR"),
    ("Un investissement de près d'un milliard d'euros.", "près d'un milliard d'euros", "about", 1 * B, "EUR"),
    ("Un investissement proche de près du milliard d'euros.", "près du milliard d'euros", "about", 1 * B, "EUR"),
    ("Le site produit 20 000 litres par jour.", "20 000 litres", "exact", 20000.0, "litres"),
    ("Une enveloppe d'au moins 500 millions d'euros.", "au moins 500 millions d'euros", "at_least", 500 * M, "EUR"),
    ("Une enveloppe d'au minimum 500 M€.", "au minimum 500 M€", "at_least", 500 * M, "EUR"),
    ("Une hausse de près de +4 % du titre.", "près de +4 %", "about", 4.0, "%"),
    ("Une enveloppe estimée à quelque 20 milliards.", "quelque 20 milliards", "about", 20 * B, None),
    ("Une enveloppe d'une vingtaine de millions d'euros.", "une vingtaine de millions d'euros", "about", 20 * M, "EUR"),
    ("Une enveloppe d'une centaine de salariés.", "une centaine de salariés", "about", 100.0, "salariés"),
    ("Une enveloppe d'une bonne dizaine de milliards d'euros.", "une bonne dizaine de milliards d'euros", "about", 10 * B, "EUR"),
    ("Il emploie une petite centaine de salariés.", "une petite centaine de salariés", "about", 100.0, "salariés"),
    ("Une trentaine de milliards de dollars.", "Une trentaine de milliards de dollars", "about", 30 * B, "USD"),
    ("Le titre repasse au-delà des 10 %.", "au-delà des 10 %", "more_than", 10.0, "%"),
    ("Le titre repasse au-dessous des 50 euros.", "au-dessous des 50 euros", "less_than", 50.0, "EUR"),
    ("Le titre oscille autour des 50 euros.", "autour des 50 euros", "about", 50.0, "EUR"),
    ("Une enveloppe de plusieurs centaines de millions d'euros.", "plusieurs centaines de millions d'euros", "about", None, "EUR"),
]


@pytest.mark.parametrize("text, span, bound, value, unit", FRENCH_USAGE)
def test_french_usage_single_amounts(text, span, bound, value, unit):
    fields = bound_fields(bound, value) if value is not None else (None, None, None)
    assert figures(text) == [expect(text, span, *fields, bound, unit)]


FRENCH_RANGES = [
    ("Une levée entre 20 et 30 millions d'euros.", "entre 20 et 30 millions d'euros", 20 * M, 30 * M, "EUR"),
    ("Une levée entre 1,2 et 1,5 milliard d'euros.", "entre 1,2 et 1,5 milliard d'euros", 1.2 * B, 1.5 * B, "EUR"),
    ("Une levée de 300 à 400 millions d'euros.", "de 300 à 400 millions d'euros", 300 * M, 400 * M, "EUR"),
    ("Une levée entre 300 millions et 1,2 milliard d'euros.", "entre 300 millions et 1,2 milliard d'euros", 300 * M, 1.2 * B, "EUR"),
    ("Une marge entre 10 % et 12 %.", "entre 10 % et 12 %", 10.0, 12.0, "%"),
    ("Une marge de 10 à 12 %.", "de 10 à 12 %", 10.0, 12.0, "%"),
    ("Une marge de 10 % à 12 %.", "de 10 % à 12 %", 10.0, 12.0, "%"),
    ("Une capacité entre 5 et 7 GW.", "entre 5 et 7 GW", 5.0, 7.0, "GW"),
    ("Un plan de 2 000 à 3 000 postes.", "de 2 000 à 3 000 postes", 2000.0, 3000.0, "postes"),
    ("Un plan touchant entre 2 000 et 3 000 salariés.", "entre 2 000 et 3 000 salariés", 2000.0, 3000.0, "salariés"),
    ("Un prix entre 10 et 15 euros par action.", "entre 10 et 15 euros", 10.0, 15.0, "EUR"),
    ("Une levée de 20 à 30 M€.", "de 20 à 30 M€", 20 * M, 30 * M, "EUR"),
    ("Une levée entre deux et trois milliards de dollars.", "entre deux et trois milliards de dollars", 2 * B, 3 * B, "USD"),
    ("Une levée de 2-3 Md$.", "2-3 Md$", 2 * B, 3 * B, "USD"),
    ("Une levée comprise entre 5 et 10 millions d'euros.", "entre 5 et 10 millions d'euros", 5 * M, 10 * M, "EUR"),
    ("Une croissance de 3 à 4 % par an.", "de 3 à 4 %", 3.0, 4.0, "%"),
    ("Une croissance entre 3 % et 4 % par an.", "entre 3 % et 4 %", 3.0, 4.0, "%"),
    ("Les ventes ont augmenté de 3 à 4 % par an.", "de 3 à 4 %", 3.0, 4.0, "%"),
    ("Une levée entre 1 et 1,5 milliard de dollars.", "entre 1 et 1,5 milliard de dollars", 1 * B, 1.5 * B, "USD"),
]


CHANGES = [
    ("Sa part est passée de 10 % à 12 %.", [("10 %", 10.0, "%"), ("12 %", 12.0, "%")]),
    ("Sa part est passée de 10 à 5 %.", [("10", 10.0, "%"), ("5 %", 5.0, "%")]),
    ("Le résultat a été porté de 1,2 à 1,5 milliard d'euros.",
     [("1,2", 1.2 * B, "EUR"), ("1,5 milliard d'euros", 1.5 * B, "EUR")]),
    ("L'effectif est passé de 2 000 à 2 300 salariés.", [("2 000", 2000.0, "salariés"), ("2 300 salariés", 2300.0, "salariés")]),
    ("Le chiffre d'affaires est passé de 420 millions à 612 millions d'euros.",
     [("420 millions", 420 * M, "EUR"), ("612 millions d'euros", 612 * M, "EUR")]),
]


@pytest.mark.parametrize("text, expected", CHANGES)
def test_a_change_from_one_figure_to_another_is_two_exact_figures(text, expected):
    assert [(a.text, a.value, a.bound, a.unit) for a in parse_amounts(text)] == \
        [(span, value, "exact", unit) for span, value, unit in expected]


@pytest.mark.parametrize("text, span, low, high, unit", FRENCH_RANGES)
def test_french_usage_ranges(text, span, low, high, unit):
    assert figures(text) == [expect(text, span, None, low, high, "between", unit)]


FRENCH_TRAPS = [
    "Selon trois personnes proches du dossier, rien n'est fait.",
    "Deux sources et un analyste l'ont confirmé.",
    "La société vise une cotation en 2026.",
    "L'accord a été signé le 12 mars 2026.",
    "L'accord a été signé le 1er avril, pour la 2e fois.",
    "Le gouvernement a recouru à l'article 49.3 et à l'article L. 233-7.",
    "La start-up a bouclé sa Série B mardi.",
    "La compagnie exploite des A320 et des Boeing 737 MAX.",
    "Contact presse : 01 42 68 53 00.",
    "Le CAC 40 et le S&P 500 ont ouvert en hausse.",
    "La séance a fermé à 17 h 35, puis à 17h35.",
    "Le Covid-19 et la 5G ont changé le secteur.",
    "Le groupe est le numéro 2 mondial du secteur, n°1 en Europe.",
    "Il y a 20 ans, dans les années 1990, au deuxième trimestre 2025.",
    "Un exercice 2025-2026 décevant pour l'iPhone 15.",
    "Les 27 pays de l'Union et les 3 grands groupes du secteur.",
    "Plus de 20 ans après, moins de 3 semaines plus tard.",
    "La réunion du 12/03/2026 a duré 24 heures, à 10 km du siège.",
    "Le G20 et le G7 se réunissent ; Windows 11 et l'iPhone 15 Pro aussi.",
    "Un chiffre multiplié par 3, un titre en hausse 2 fois de suite.",
    "Sa croissance à deux chiffres et ses quatre usines.",
    "Les chiffres du premier trimestre (T1) et du 3e trimestre.",
    "Le milliardaire a déjeuné au Millionnaire, le million de questions reste.",
    "Un accord qui vaut de l'or, à l'ordre du jour.",
]


@pytest.mark.parametrize("text", FRENCH_TRAPS)
def test_french_traps_are_not_amounts(text):
    assert figures(text) == []


TRAPS_BESIDE_A_FIGURE = [
    ("Le CAC 40 a cédé 0,8 % mardi.", "0,8 %", 0.8, "%"),
    ("La Série B de 40 millions d'euros est bouclée.", "40 millions d'euros", 40 * M, "EUR"),
    ("En 2026, le groupe vise 3 milliards d'euros.", "3 milliards d'euros", 3 * B, "EUR"),
    ("Le 12 mars, le titre a pris 7 %.", "7 %", 7.0, "%"),
    ("Selon trois personnes proches du dossier, le prix atteindrait 2 Md€.", "2 Md€", 2 * B, "EUR"),
    ("Airbus livrera 50 A320 pour 5 milliards de dollars.", "5 milliards de dollars", 5 * B, "USD"),
]


@pytest.mark.parametrize("text, span, value, unit", TRAPS_BESIDE_A_FIGURE)
def test_traps_beside_a_figure_leave_only_the_figure(text, span, value, unit):
    assert figures(text) == [expect(text, span, value, None, None, "exact", unit)]


def test_a_scaled_figure_without_a_unit_borrows_a_counted_unit_of_its_sentence():
    text = "Elle revendique 2 millions d'abonnés, contre 1,5 million un an plus tôt."
    assert [(a.text, a.value, a.unit) for a in parse_amounts(text)] == [
        ("2 millions d'abonnés", 2 * M, "abonnés"), ("1,5 million", 1.5 * M, "abonnés")]


def test_a_percentage_lends_no_unit_to_a_scaled_figure():
    text = "Le chiffre d'affaires progresse de 5 % à 612 millions."
    assert [(a.text, a.unit) for a in parse_amounts(text)] == [("5 %", "%"), ("612 millions", None)]


def test_a_scaled_figure_without_a_currency_borrows_the_sentence_currency():
    text = "Il vise 650 millions d'euros en 2026, contre 612 millions l'an dernier. Puis 3 millions."
    assert [(a.text, a.value, a.unit) for a in parse_amounts(text)] == [
        ("650 millions d'euros", 650 * M, "EUR"), ("612 millions", 612 * M, "EUR"), ("3 millions", 3 * M, "EUR")]


def test_money_is_implied_over_a_count_of_another_magnitude():
    text = ("Le titre vaut 18,50 euros. Le groupe supprimera jusqu'à 800 postes et investira 300 millions ; "
            "il a 2 millions d'abonnés et 1,5 million de plus qu'hier, pour 3 millions de dollars.")
    assert [(a.text, a.unit) for a in parse_amounts(text)] == [
        ("18,50 euros", "EUR"), ("jusqu'à 800 postes", "postes"), ("300 millions", "EUR"),
        ("2 millions d'abonnés", "abonnés"), ("1,5 million", "abonnés"), ("3 millions de dollars", "USD")]


def test_an_aside_in_parentheses_lends_no_currency_and_the_usual_one_wins():
    text = ("Il a levé 30 millions d'euros en 2023 et 50 millions d'euros en 2024 (80 M$). "
            "Le fondateur empocherait entre 70 et 80 millions (selon nos sources). Puis 5 millions.")
    assert [(a.text, a.unit) for a in parse_amounts(text)] == [
        ("30 millions d'euros", "EUR"), ("50 millions d'euros", "EUR"), ("80 M$", "USD"),
        ("entre 70 et 80 millions", "EUR"), ("5 millions", "EUR")]


def test_a_scaled_figure_in_a_text_without_money_keeps_no_unit():
    assert [(a.text, a.unit) for a in parse_amounts("800 postes. Il a reçu 10 millions en dons.")] == [
        ("800 postes", "postes"), ("10 millions", None)]
