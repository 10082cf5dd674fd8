"""Sourced claims (kg/nlp/claims.py and its helpers): one rule per test, on sentences of our own,
then the key claims of the two corpus articles."""
from __future__ import annotations

from pathlib import Path

import pytest
from kg.corpus import read_articles
from kg.model import Article
from kg.nlp.claims import end_of_article, is_prose
from kg.nlp.pipeline import build_pipeline, extract

CORPUS = Path(__file__).parent.parent / "corpus"
PUBLISHED = "2026-03-12"  # a Thursday


def claims(nlp, text: str, published: str | None = PUBLISHED):
    return extract(Article(id="t", text=text, published=published), nlp=nlp).claims


def only(found, relation: str | None = None):
    matching = [c for c in found if relation is None or c.relation == relation]
    assert len(matching) == 1, [(c.subject.text, c.relation, c.sentence) for c in found]
    return matching[0]


# -- without the model ---------------------------------------------------------------------------

def test_a_comment_section_ends_the_article():
    text = "Acme investit.\n\n3 commentaires\n\nJean : Acme va racheter Globex."
    assert text[end_of_article(text):].startswith("3 commentaires")
    assert end_of_article("Pas de commentaire ici.") == len("Pas de commentaire ici.")


def test_lexicon_phrases_are_found_wherever_a_word_by_word_match_finds_them():
    """`phrase_matches` looks phrases up by their first word: it must find exactly what trying
    every phrase at every position finds, for every phrase list of the lexicon."""
    from spacy.tokens import Doc

    from kg.nlp.lexicon import inflected, lexicon, phrase_at, phrase_matches, phrases

    nlp = build_pipeline(model=None)
    paths = [("relations", name, "phrases") for name, spec in lexicon()["relations"].items()
             if isinstance(spec, dict) and spec.get("phrases")]
    paths += [("modality", "denial_phrases"), ("modality", "conditional_markers"), ("anonymous_source_phrases",)]
    words, lemmas = [], []
    for phrase in (phrase for path in paths for phrase in phrases(*path)[:3]):
        forms = sorted(inflected(frozenset({phrase[0]})))  # a regular form of a verb matches its infinitive
        words += [forms[0] if forms else phrase[0] + "x", *phrase[1:], "et"]  # else the lemma does
        lemmas += [phrase[0] if not forms else forms[0], *phrase[1:], "et"]
    tokens = list(Doc(nlp.vocab, words=words, lemmas=lemmas))
    for path in paths:
        everywhere = [(i, p) for i in range(len(tokens)) for p in phrases(*path) if phrase_at(tokens, i, p)]
        assert phrase_matches(tokens, *path) == everywhere, path
        assert everywhere, path


def test_headings_are_not_prose():
    nlp = build_pipeline(model=None)
    heading, sentence = nlp("Un investissement record dans l'IA\nLe groupe investit.").sents
    assert not is_prose(heading)
    assert is_prose(sentence)


# -- relation, subject, object, amount, source ---------------------------------------------------

def test_relation_subject_object_amount_and_offsets(nlp_md):
    text = "Selon Bloomberg, Microsoft a investi 2 milliards de dollars dans Mistral AI."
    claim = only(claims(nlp_md, text))
    assert (claim.id, claim.relation, claim.subject.id, claim.object.id) == (
        "t-c1", "invests_in", "microsoft", "mistral-ai")
    assert (claim.amount.value, claim.amount.unit) == (2e9, "USD")
    assert (claim.source.id, claim.modality, claim.polarity) == ("bloomberg", "reported", "positive")
    assert text[claim.start:claim.end] == claim.sentence == text


def test_source_chain_runs_from_the_outlet_to_whom_it_cites(nlp_md):
    text = ("Apple prendrait une participation de 5 % dans Intel, a rapporté le Financial Times, "
            "citant des sources proches du dossier.")
    claim = only(claims(nlp_md, text))
    assert (claim.relation, claim.subject.id, claim.object.id) == ("stake_in", "apple", "intel")
    assert [(r.text, r.id) for r in claim.source_chain] == [
        ("Financial Times", "financial-times"), ("des sources proches du dossier", None)]
    assert claim.source == claim.source_chain[0]
    assert claim.modality == "reported"  # hedged, but attributed


def test_anonymous_sources_are_refs_without_id(nlp_md):
    text = "Selon plusieurs sources, Amazon envisagerait d'investir 4 milliards de dollars dans Anthropic."
    claim = only(claims(nlp_md, text))
    assert (claim.source.text, claim.source.id) == ("plusieurs sources", None)
    assert (claim.subject.id, claim.object.id, claim.modality) == ("amazon", "anthropic", "reported")


def test_a_company_announcing_its_own_action_is_its_own_source(nlp_md):
    claim = only(claims(nlp_md, "Capgemini a annoncé un investissement de 500 millions d'euros dans Mistral AI."))
    assert (claim.subject.id, claim.source.id, claim.modality) == ("capgemini", "capgemini", "reported")


def test_a_quote_is_kept_with_its_speaker(nlp_md):
    text = "« TotalEnergies investira 3 milliards d'euros en France », a déclaré Patrick Pouyanné."
    claim = only(claims(nlp_md, text))
    assert claim.quote == "TotalEnergies investira 3 milliards d'euros en France"
    assert claim.source.id == "patrick-pouyanne"


def test_outlets_are_never_subjects(nlp_md):
    for claim in claims(nlp_md, "Bloomberg a révélé que Sanofi a investi 1 milliard d'euros dans une usine."):
        assert claim.subject.id != "bloomberg"


# -- modality and polarity -----------------------------------------------------------------------

def test_conditional_rumor_reported_asserted(nlp_md):
    def modality(text: str) -> str:
        return only(claims(nlp_md, text)).modality

    assert modality("Renault investirait 2 milliards d'euros dans l'usine si l'État accepte.") == "conditional"
    assert modality("Tesla serait valorisée à 900 milliards de dollars.") == "rumor"
    assert modality("Tesla serait valorisée à 900 milliards de dollars, selon Reuters.") == "reported"
    assert modality("Tesla est valorisée à 900 milliards de dollars.") == "asserted"


def test_meme_si_is_not_a_condition_and_a_possessive_points_to_the_subject(nlp_md):
    text = ("Broadcom continue de soutenir OpenAI, même si son investissement reste inférieur "
            "à 5 milliards de dollars.")
    claim = only(claims(nlp_md, text))
    assert (claim.subject.id, claim.object.id, claim.modality) == ("broadcom", "openai", "asserted")
    assert claim.amount.bound == "less_than"


def test_rumour_words_make_a_rumor(nlp_md):
    text = "Le groupe céderait sa filiale à Stellantis pour 2 milliards d'euros, selon des rumeurs."
    claim = only(claims(nlp_md, "Renault a publié ses comptes. " + text))
    assert (claim.relation, claim.subject.id, claim.object.id) == ("buys_from", "stellantis", "renault")
    assert (claim.source, claim.modality) == (None, "rumor")


def test_negation_makes_a_negative_claim(nlp_md):
    claim = only(claims(nlp_md, "Amazon n'a pas investi dans Anthropic."))
    assert (claim.relation, claim.subject.id, claim.object.id, claim.amount) == (
        "invests_in", "amazon", "anthropic", None)
    assert claim.polarity == "negative"


# -- denials -------------------------------------------------------------------------------------

def test_a_denial_is_a_claim_that_lists_what_it_denies(nlp_md):
    text = ("Des articles ont rapporté que Google pourrait réduire son investissement dans Anthropic. "
            "Sundar Pichai a démenti ces spéculations.")
    rumour, denial = claims(nlp_md, text)
    assert (rumour.id, rumour.subject.id, rumour.relation, rumour.object.id) == (
        "t-c1", "google", "invests_in", "anthropic")
    assert (denial.id, denial.subject.id, denial.relation, denial.object.id) == (
        "t-c2", "sundar-pichai", "denies", "google")
    assert (denial.modality, denial.polarity, denial.denies) == ("denied", "negative", ["t-c1"])


def test_a_denial_by_qualification_keeps_the_quote(nlp_md):
    text = ("Selon le Financial Times, Tencent achèterait 10 % d'Ubisoft. "
            "Ubisoft a qualifié ces informations d'« infondées ».")
    found = claims(nlp_md, text)
    denial = only(found, "denies")
    assert (denial.subject.id, denial.quote, denial.object.id) == ("ubisoft", "infondées", "tencent")
    assert denial.denies == [only(found, "stake_in").id]


def test_the_claims_a_denial_sentence_reports_are_denied_and_keep_their_source(nlp_md):
    text = "Kering a démenti les informations de Bloomberg selon lesquelles LVMH prendrait 10 % de son capital."
    found = claims(nlp_md, text)
    denial, stake = only(found, "denies"), only(found, "stake_in")
    assert (stake.subject.id, stake.source.id, stake.modality, stake.polarity) == (
        "lvmh", "bloomberg", "denied", "negative")
    assert (denial.subject.id, denial.denies) == ("kering", [stake.id])


# -- coreference ---------------------------------------------------------------------------------

def test_le_groupe_and_pronouns_resolve_to_the_last_entity(nlp_md):
    text = ("Orange a publié ses résultats jeudi. Le groupe prévoit d'investir 2 milliards d'euros dans la fibre. "
            "Elle prévoit aussi d'investir 1 milliard d'euros en Espagne.")
    first, second = claims(nlp_md, text)
    assert first.subject.id == second.subject.id == "orange"
    assert first.subject.text == "Orange"


def test_a_speaker_pronoun_is_the_person_named_before(nlp_md):
    text = "Tim Cook s'est exprimé mardi. Apple investira 5 milliards de dollars en Inde, a-t-il déclaré."
    claim = only(claims(nlp_md, text))
    assert (claim.subject.id, claim.source.id, claim.modality) == ("apple", "tim-cook", "reported")


# -- other relations, dates, tables --------------------------------------------------------------

def test_stock_move_market_cap_and_date(nlp_md):
    text = "L'action Renault a chuté de 4 % mardi, portant la capitalisation du groupe à 15 milliards d'euros."
    found = claims(nlp_md, text)
    move, cap = only(found, "stock_move"), only(found, "market_cap")
    assert (move.subject.id, move.amount.value, move.date) == ("renault", 4.0, "2026-03-10")
    assert (cap.subject.id, cap.amount.value) == ("renault", 15e9)


def test_capacity_takes_power_units(nlp_md):
    claim = only(claims(nlp_md, "TotalEnergies construira un parc éolien d'une capacité de 500 MW."))
    assert (claim.relation, claim.subject.id, claim.amount.unit) == ("capacity", "totalenergies", "MW")


def test_a_sourced_figure_that_fits_no_relation_is_other(nlp_md):
    claim = only(claims(nlp_md, "Doctolib revendique 90 millions d'utilisateurs."))
    assert (claim.relation, claim.subject.id, claim.source.id) == ("other", "doctolib", "doctolib")
    assert claims(nlp_md, "Doctolib compte 90 millions d'utilisateurs.") == []


def test_table_rows_are_claims_and_their_amounts_are_extracted(nlp_md):
    text = ("Mistral AI lève des fonds. Plusieurs groupes soutiennent Mistral AI.\n"
            "| Entreprise | Investissement (en millions d'euros) |\n"
            "|---|---|\n"
            "| Capgemini | 200 |\n"
            "| Orange | Non communiqué |\n")
    extraction = extract(Article(id="t", text=text, published=PUBLISHED), nlp=nlp_md)
    row, vague = extraction.claims
    assert (row.relation, row.subject.id, row.object.id, row.amount.value, row.amount.unit) == (
        "invests_in", "capgemini", "mistral-ai", 200e6, "EUR")
    assert row.sentence == "| Capgemini | 200 |" == text[row.start:row.end]
    assert (vague.subject.id, vague.amount) == ("orange", None)
    assert any(a.start == row.amount.start and a.value == 200e6 for a in extraction.amounts)


def test_headings_bullet_topics_and_table_headers_yield_no_claims(nlp_md):
    text = ("Un investissement de 5 milliards de dollars dans OpenAI\n\n"
            "- Microsoft : 10 milliards de dollars dans OpenAI\n"
            "| Entreprise | Investissement (en milliards USD) |\n|---|---|\n")
    assert claims(nlp_md, text) == []


def test_ids_follow_text_order(nlp_md):
    text = "Apple a investi 1 milliard de dollars dans Intel. Google a investi 2 milliards de dollars dans Anthropic."
    assert [(c.id, c.subject.id) for c in claims(nlp_md, text)] == [("t-c1", "apple"), ("t-c2", "google")]


# -- the corpus ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_claims(nlp_md):
    return {a.id: extract(a, nlp=nlp_md).claims for a in read_articles([CORPUS])}


def test_corpus_key_claims(corpus_claims):
    first, second = corpus_claims["nvidia-openai-cycle-100-md"], corpus_claims["nvidia-openai-partenariat-2026"]
    hundred = next(c for c in first if c.relation == "invests_in" and c.amount and c.amount.max == 100e9)
    assert (hundred.subject.id, hundred.object.id, hundred.amount.unit, hundred.amount.bound) == (
        "nvidia", "openai", "USD", "up_to")
    assert (hundred.source.id, hundred.modality) == ("reuters", "reported")
    for claims_of_article in (first, second):
        assert any(c.relation == "capacity" and (c.amount.value, c.amount.unit) == (10, "GW")
                   for c in claims_of_article)
    amazon = next(c for c in second if c.subject.id == "amazon" and c.amount and c.amount.bound == "between")
    assert (amazon.relation, amazon.amount.min, amazon.amount.max) == ("invests_in", 20e9, 50e9)
    microsoft = next(c for c in second if c.subject.id == "microsoft" and c.amount and c.amount.bound == "less_than")
    assert (microsoft.relation, microsoft.object.id, microsoft.amount.max) == ("invests_in", "openai", 10e9)


def test_corpus_wsj_report_and_the_denial_that_answers_it(corpus_claims):
    second = corpus_claims["nvidia-openai-partenariat-2026"]
    wsj = [c for c in second if any(r.id == "wall-street-journal" for r in c.source_chain)]
    assert wsj and all((c.subject.id, c.relation, c.modality) in {("nvidia", "invests_in", "reported"),
                                                                  ("nvidia", "invests_in", "rumor")} for c in wsj)
    denials = [c for c in second if c.relation == "denies" and c.subject.id == "jensen-huang"]
    assert any(wsj[0].id in d.denies for d in denials)
    assert all(d.modality == "denied" and d.polarity == "negative" and d.object.id == "nvidia" for d in denials)


def test_corpus_boilerplate_yields_no_claim(nlp_md):
    raw = (CORPUS / "2025-09-nvidia-openai-cycle-100-milliards.txt").read_text(encoding="utf-8")
    found = claims(nlp_md, raw, published="2025-09")
    boilerplate = raw.index("Laisser un commentaire")
    assert found and all(c.end <= boilerplate for c in found)


# -- more sources ---------------------------------------------------------------------------------

def test_a_source_note_covers_the_sentences_of_its_paragraph_before_it(nlp_md):
    text = ("Oracle investira 2 milliards de dollars dans xAI. "
            "Le projet sera financé par emprunt (Source : Reuters, CNBC). "
            "Intel investira 1 milliard de dollars dans Arm.")
    before, after = claims(nlp_md, text)
    assert [r.id for r in before.source_chain] == ["reuters", "cnbc"]
    assert (after.subject.id, after.source, after.modality) == ("intel", None, "asserted")


def test_an_outlet_learning_from_anonymous_people(nlp_md):
    text = "Meta rachèterait 20 % de Scale AI, a appris Bloomberg de personnes ayant connaissance du dossier."
    claim = only(claims(nlp_md, text))
    assert (claim.relation, claim.subject.id) == ("stake_in", "meta")
    assert [(r.id, r.text) for r in claim.source_chain] == [
        ("bloomberg", "Bloomberg"), (None, "personnes ayant connaissance du dossier")]


def test_a_described_source_after_d_apres(nlp_md):
    text = ("Iliad a signé un contrat de 200 millions d'euros avec Orange, "
            "d'après un document consulté par Les Echos.")
    claim = only(claims(nlp_md, text))
    assert (claim.relation, claim.subject.id, claim.object.id) == ("contract_with", "iliad", "orange")
    assert (claim.source.text, claim.source.id, claim.modality) == (
        "un document consulté par Les Echos", None, "reported")


def test_ces_rumeurs_relayees_par_x_restate_the_rumour_as_reported(nlp_md):
    text = ("Selon des rumeurs, Google pourrait investir 2 milliards de dollars dans Anthropic. "
            "Ces rumeurs, relayées notamment par CNBC, ont surpris les analystes.")
    rumour, restated = claims(nlp_md, text)
    assert (rumour.modality, rumour.source) == ("rumor", None)
    assert (restated.subject.id, restated.relation, restated.object.id) == ("google", "invests_in", "anthropic")
    assert (restated.source.id, restated.modality, restated.amount) == ("cnbc", "reported", None)
    assert restated.sentence.startswith("Ces rumeurs")


# -- who acts: raises, sales, orders, unnamed companies ------------------------------------------

def test_a_raise_names_its_investors(nlp_md):
    found = claims(nlp_md, "Mistral AI a levé 600 millions d'euros auprès de Nvidia et de Microsoft.")
    assert [(c.subject.id, c.relation, c.object.id) for c in found] == [
        ("nvidia", "invests_in", "mistral-ai"), ("microsoft", "invests_in", "mistral-ai")]


def test_selling_a_stake_makes_the_buyer_the_subject(nlp_md):
    found = claims(nlp_md, "Sanofi a cédé 10 % d'Orange à Amazon pour 2 milliards d'euros.")
    stake, sale = only(found, "stake_in"), only(found, "buys_from")
    assert (stake.subject.id, stake.object.id, stake.amount.value) == ("amazon", "orange", 10)
    assert (sale.subject.id, sale.object.id, sale.amount.value) == ("amazon", "sanofi", 2e9)


def test_an_order_won_is_bought_by_the_customer(nlp_md):
    claim = only(claims(nlp_md, "Airbus a décroché une commande de 2 milliards d'euros auprès d'Amazon."))
    assert (claim.subject.id, claim.relation, claim.object.id) == ("amazon", "buys_from", "airbus")


def test_questions_assert_nothing(nlp_md):
    assert claims(nlp_md, "Mistral AI vaut-elle vraiment 10 milliards d'euros ?") == []


def test_a_share_move_needs_the_company_not_its_revenue(nlp_md):
    assert claims(nlp_md, "Le chiffre d'affaires de Renault a bondi de 12 % au premier trimestre.") == []
    claim = only(claims(nlp_md, "Kering a vu son action bondir de 8 % à la Bourse de Paris."))
    assert (claim.relation, claim.subject.id) == ("stock_move", "kering")


# -- generalisation rules: datelines, descriptions, side remarks, denials, markets, lists ----------

def test_a_dateline_agency_is_not_the_actor(nlp_md):
    found = claims(nlp_md, "PARIS, 3 mars 2026 (Reuters) - Danone va prendre une participation de 20 % dans "
                           "Orange, a annoncé le groupe.")
    stake = only(found, "stake_in")
    assert (stake.subject.id, stake.object.id) == ("danone", "orange")


def test_a_description_before_a_name_is_that_name(nlp_md):
    claim = only(claims(nlp_md, "Kering a publié ses comptes. La néobanque britannique Revolut a été "
                                "valorisée à 40 milliards de dollars."))
    assert (claim.subject.id, claim.relation) == ("revolut", "valued_at")


def test_a_described_outlet_is_the_outlet_named_before(nlp_md):
    text = "Le Figaro rapporte que Danone négocie. Selon le quotidien, Danone investira 2 milliards d'euros dans Orange."
    claim = only(claims(nlp_md, text)[-1:])
    assert claim.source.id == "le-figaro"


def test_a_titled_speaker_named_beside_the_title_speaks_by_name(nlp_md):
    text = "Le directeur financier de Danone, Jean Martin, a déclaré que le groupe investira 2 milliards d'euros dans Orange."
    assert {c.source.text for c in claims(nlp_md, text)} == {"Jean Martin"}


def test_a_participle_aside_does_not_source_the_claim(nlp_md):
    text = "À la Bourse de Paris, l'action Kering a cédé 3 % mardi, certains analystes jugeant la valorisation excessive."
    claim = only(claims(nlp_md, text))
    assert (claim.relation, claim.source, claim.modality) == ("stock_move", None, "asserted")


def test_a_plain_negation_is_denied(nlp_md):
    text = "Danone n'a pas investi dans Orange, a indiqué une source proche du dossier."
    claim = only(claims(nlp_md, text), "invests_in")
    assert claim.modality == "denied"


def test_taking_a_percentage_in_a_market_passage_is_a_share_move(nlp_md):
    text = "Le CAC 40 a fini la séance en hausse. Kering a pris 2,5 %, portée par la Chine."
    claim = only(claims(nlp_md, text)[-1:])
    assert (claim.subject.id, claim.relation) == ("kering", "stock_move")


def test_a_figure_in_a_que_clause_is_not_the_triggers(nlp_md):
    text = "Kering a reculé de 2 % en Bourse après qu'un analyste a estimé que la croissance serait d'environ 3 %."
    moves = [c for c in claims(nlp_md, text) if c.relation == "stock_move"]
    assert [c.amount.value for c in moves] == [2]


def test_a_gapped_list_gives_each_name_its_figure(nlp_md):
    text = "Après l'opération, Danone détient 12 % du capital, Kering 5 % et Orange 2 %."
    stakes = [(c.subject.id, c.amount.value) for c in claims(nlp_md, text) if c.relation == "stake_in"]
    assert stakes == [("danone", 12), ("kering", 5), ("orange", 2)]


def test_a_relative_after_an_adjective_refers_to_the_noun(nlp_md):
    text = "Danone prépare une offre. Le groupe parisien, qui a déjà investi 3 milliards d'euros dans la santé, vise Orange."
    claim = only(claims(nlp_md, text), "invests_in")
    assert claim.subject.id == "danone"


def test_a_supplier_sells_to_the_one_it_delivers(nlp_md):
    claim = only(claims(nlp_md, "Orange fournit ses réseaux à Kering."), "buys_from")
    assert (claim.subject.id, claim.object.id) == ("kering", "orange")


# -- implied objects, passive valuations, market weight, share counts, denials in one's own words --------

def test_a_stake_without_a_named_company_is_in_the_company_the_passage_is_about(nlp_md):
    text = ("La start-up Orbalis lève 50 millions d'euros auprès du fonds Kestrel. Orbalis prépare une usine. "
            "Orbalis recrute. Le fonds Kestrel détient désormais 12 % du capital.")
    stake = only(claims(nlp_md, text), "stake_in")
    assert (stake.subject.text, stake.object.text) == ("Kestrel", "Orbalis")


def test_money_put_into_a_sector_has_no_company_object(nlp_md):
    text = "Orbalis est une start-up. Le groupe Vantor investira 3 milliards d'euros dans le nucléaire d'ici 2030."
    found = only(claims(nlp_md, text), "invests_in")
    assert found.object is None


def test_a_passive_valuation_values_its_subject(nlp_md):
    text = "Le groupe Vantor a investi dans Orbalis. La start-up Orbalis a été valorisée à 2 milliards d'euros par ses actionnaires."
    valued = only(claims(nlp_md, text), "valued_at")
    assert valued.subject.text == "Orbalis"


def test_weighing_in_the_stock_market_is_a_market_value_and_only_there(nlp_md):
    text = "Renault pèse désormais 300 milliards de dollars en Bourse."
    assert only(claims(nlp_md, text), "market_cap").subject.text == "Renault"
    assert not [c for c in claims(nlp_md, "Renault pèse 3 milliards d'euros de chiffre d'affaires.")
                if c.relation == "market_cap"]


def test_buying_shares_counted_in_shares_is_a_stake(nlp_md):
    text = "Renault pourra acquérir jusqu'à 20 millions d'actions Valeo."
    stake = only(claims(nlp_md, text), "stake_in")
    assert stake.amount.unit == "actions"


def test_a_company_denying_in_its_own_words_stays_the_source_and_the_denial_is_about_the_other(nlp_md):
    text = ("Renault n'a pas investi dans Valeo, a affirmé un porte-parole de Renault, "
            "qualifiant ces rumeurs de « fantaisistes ».")
    found = claims(nlp_md, text)
    denial, invest = only(found, "denies"), only(found, "invests_in")
    assert denial.object.text == "Valeo"
    assert invest.source is not None and "porte-parole" in invest.source.text


# -- clauses: relative clauses keep their own mood and sources; a cleft names the source -----------

def test_a_relative_clause_keeps_its_own_mood(nlp_md):
    text = ("Siemens, qui a déjà investi plus de 10 milliards d'euros dans le logiciel depuis 2020, "
            "serait prêt à acheter Helvion.")
    claim = next(c for c in claims(nlp_md, text) if c.amount is not None)
    assert (claim.subject.id, claim.relation, claim.modality) == ("siemens", "invests_in", "asserted")


def test_a_source_inside_a_relative_clause_sources_that_clause_only(nlp_md):
    text = ("Renault, qui a signé avec Brakmor un contrat de batteries évalué à 1,5 milliard d'euros selon "
            "Bloomberg, a pris 2,7 %, la plus forte hausse de l'indice.")
    found = {c.relation: c for c in claims(nlp_md, text)}
    assert (found["contract_with"].source.id, found["contract_with"].modality) == ("bloomberg", "reported")
    assert (found["stock_move"].source, found["stock_move"].modality) == (None, "asserted")


def test_selon_x_qui_affirme_still_sources_the_claim(nlp_md):
    text = ("Databricks a été valorisée à 134 milliards de dollars, selon The Information, "
            "qui affirme que l'éditeur prépare une introduction en Bourse.")
    claim = only(claims(nlp_md, text), "valued_at")
    assert (claim.source.text, claim.modality) == ("The Information", "reported")


def test_a_cleft_names_the_source_of_what_follows(nlp_md):
    text = ("C'est Le Monde qui détaille le mieux le montage : EDF prend 35 % de Norvik Énergie "
            "pour 410 millions d'euros.")
    for claim in claims(nlp_md, text):
        assert (claim.subject.id, claim.source.text, claim.modality) == ("edf", "Le Monde", "reported")


def test_neither_confirming_nor_denying_is_no_denial(nlp_md):
    text = ("Renault achèterait des batteries à Brakmor, selon Les Echos. "
            "Interrogé, un porte-parole de Renault n'a ni confirmé ni démenti.")
    assert not [c for c in claims(nlp_md, text) if c.relation == "denies"]


def test_declining_to_comment_neither_denies_nor_sources(nlp_md):
    claim = only(claims(nlp_md, "Le fonds Ardian, actionnaire à hauteur de 24 %, n'a pas souhaité commenter."))
    assert (claim.subject.id, claim.relation, claim.source, claim.modality, claim.polarity) == (
        "ardian", "stake_in", None, "asserted", "positive")


def test_a_report_sources_only_what_it_says(nlp_md):
    text = ("L'action Vernadet a bondi de 14,2 % lundi à la Bourse de Paris, au lendemain d'informations "
            "du Nikkei.")
    claim = only(claims(nlp_md, text), "stock_move")
    assert (claim.source, claim.modality) == (None, "asserted")


def test_what_a_relative_clause_says_of_the_denier_is_not_denied(nlp_md):
    text = ("Selon Les Echos, Kisaragi veut racheter Vernadet. La holding Vernadet Participations, qui détient "
            "51 % du capital, a balayé ces rumeurs.")
    found = claims(nlp_md, text)
    holding = next(c for c in found if c.relation == "stake_in" and c.subject.text == "Vernadet Participations")
    assert (holding.modality, holding.polarity) == ("asserted", "positive")
    denial = only(found, "denies")
    assert denial.subject.text == "Vernadet Participations" and holding.id not in denial.denies


def test_rumour_words_outside_a_relative_clause_do_not_hedge_it(nlp_md):
    text = ("L'italien Pallamar Group, qui pèse près de 3 milliards d'euros en Bourse, serait lui aussi à "
            "l'affût d'une cible en France, selon des rumeurs persistantes à Milan.")
    assert only(claims(nlp_md, text), "market_cap").modality == "asserted"


def test_a_company_figure_is_a_claim_even_unsourced(nlp_md):
    text = ("Vernadet a réalisé l'an dernier un chiffre d'affaires de 612 millions d'euros et pèse environ "
            "900 millions d'euros en Bourse.")
    found = {(c.relation, c.amount.text) for c in claims(nlp_md, text) if c.subject.text == "Vernadet"}
    assert ("other", "612 millions d'euros") in found
    assert ("market_cap", "environ 900 millions d'euros") in found
    assert ("market_cap", "612 millions d'euros") not in found


def test_a_payment_a_deal_provides_for_is_a_figure_of_the_payer(nlp_md):
    text = ("Aux termes de l'accord, Globex Pharma versera à Acme Therapeutics un paiement initial de 40 millions "
            "d'euros, puis jusqu'à 300 millions d'euros de paiements d'étape.")
    found = {(c.subject.text, c.relation, c.amount.text) for c in claims(nlp_md, text)}
    assert found == {("Globex Pharma", "other", "40 millions d'euros"),
                     ("Globex Pharma", "other", "jusqu'à 300 millions d'euros")}


@pytest.mark.parametrize("text, amount", [
    ("Le laboratoire Globex Pharma a obtenu les droits mondiaux du principal traitement de la biotech "
     "Acme Therapeutics, dans le cadre d'un accord de licence pouvant atteindre 900 millions d'euros.",
     "pouvant atteindre 900 millions d'euros"),
    ("La biotech Acme Therapeutics a accordé au laboratoire Globex Pharma une licence exclusive sur son "
     "traitement pour un montant pouvant atteindre 300 millions d'euros.", "pouvant atteindre 300 millions d'euros"),
    ("Acme Therapeutics annonce que Globex Pharma a acquis une licence exclusive pour commercialiser "
     "son traitement, pour un montant total de 1,7 milliard de dollars.", "1,7 milliard de dollars"),
    ("Selon des bruits de marché, Globex Pharma aurait lui aussi proposé un accord de licence à Acme "
     "Therapeutics au printemps.", None),
])
def test_a_licence_is_a_contract_of_the_licensee_with_the_licensor(nlp_md, text, amount):
    found = claims(nlp_md, text)
    licence = only(found, "contract_with")
    assert (licence.subject.text, licence.object.text) == ("Globex Pharma", "Acme Therapeutics")
    assert (licence.amount.text if licence.amount else None) == amount
    assert not [c for c in found if c.relation == "buys_from"]


def test_a_permit_of_its_own_is_no_licence_deal(nlp_md):
    text = "Si Globex Bank obtient sa licence bancaire au Royaume-Uni, elle pourra concurrencer Acme Finance."
    assert not [c for c in claims(nlp_md, text) if c.relation == "contract_with"]


def test_a_figure_in_brackets_restating_the_one_before_is_no_claim_of_its_own(nlp_md):
    text = "Le groupe Globex Materials va acheter la société Initech pour 500 millions de dollars (soit 460 millions d'euros)."
    assert [c.amount.text for c in claims(nlp_md, text)] == ["500 millions de dollars"]


def test_a_figure_belongs_to_its_own_verb_not_to_a_verb_coordinated_with_it(nlp_md):
    text = ("Globex Pharma versera 50 millions d'euros à la signature et souscrira à une augmentation de "
            "capital de 20 millions d'euros d'Acme Therapeutics.")
    found = {(c.relation, c.amount.text) for c in claims(nlp_md, text)}
    assert ("other", "50 millions d'euros") in found and ("invests_in", "20 millions d'euros") in found
    assert ("invests_in", "50 millions d'euros") not in found


def test_the_contract_named_again_is_the_one_told_before(nlp_md):
    text = ("Globex Pharma a obtenu les droits mondiaux du vaccin de la biotech Acme Therapeutics, selon Reuters. "
            "L'accord de licence pourrait atteindre 400 millions d'euros, d'après l'agence.")
    contract = only([c for c in claims(nlp_md, text) if c.amount], "contract_with")
    assert (contract.subject.text, contract.object.text, contract.amount.text) == (
        "Globex Pharma", "Acme Therapeutics", "400 millions d'euros")


def test_a_spokesperson_of_the_group_saying_no_agreement_was_signed_denies_it(nlp_md):
    text = ("Le laboratoire japonais Globex Pharma a démenti mardi avoir conclu un accord avec la biotech française "
            "Acme Therapeutics, qualifiant de « prématurées » les informations de presse.\n\n"
            "« Aucun accord n'a été signé et nous ne commentons pas les spéculations sur nos discussions », "
            "a déclaré à l'AFP un porte-parole du groupe à Osaka.")
    quoted = [c for c in claims(nlp_md, text) if c.sentence.startswith("« Aucun accord")]
    assert [(c.subject.text, c.relation, c.modality) for c in quoted] == [("Globex Pharma", "denies", "denied")]


INTERVIEW = ("Jean Martin : « Je vendrai le club si l'offre est bonne »\n\n"
             "Propriétaire de l'Initech FC depuis 2010, l'homme d'affaires Jean Martin confirme négocier la vente "
             "du club au fonds Globex Capital. Entretien.\n\nVous confirmez les discussions ?\n\n"
             "« Oui. Nous négocions depuis un mois. Je détiens 80 % du capital de l'Initech FC. {} »\n\n"
             "Propos recueillis par Paul Durand")


def test_in_an_interview_an_unattributed_quote_is_the_interviewees(nlp_md):
    stake = only(claims(nlp_md, INTERVIEW.format("Le reste appartient aux supporters.")), "stake_in")
    assert (stake.subject.text, stake.amount.text, stake.source.text) == ("Jean Martin", "80 %", "Jean Martin")


def test_without_an_interview_signature_a_first_person_quote_has_no_speaker(nlp_md):
    text = INTERVIEW.format("Le reste appartient aux supporters.").replace("Propos recueillis par", "Photo :")
    assert not [c for c in claims(nlp_md, text) if c.relation == "stake_in"]


def test_a_quoted_person_is_neither_the_buyer_of_what_they_sell_nor_the_owner_of_a_figure(nlp_md):
    found = claims(nlp_md, INTERVIEW.format("Je vendrai l'intégralité de mes titres. Le club réalise 85 millions "
                                            "d'euros de chiffre d'affaires. J'ai remis 40 millions d'euros de ma poche."))
    assert not [c for c in found if c.subject.text == "Jean Martin" and c.relation != "stake_in"]


def test_a_share_price_is_no_figure_of_the_deal(nlp_md):
    text = ("Globex Pharma souscrira par ailleurs à une augmentation de capital réservée de 35 millions d'euros, "
            "au prix de 11,20 euros par action, et détiendra à son issue 7,5 % du capital d'Acme Therapeutics.")
    assert [c.amount.text for c in claims(nlp_md, text) if c.amount] == ["35 millions d'euros", "7,5 %"]


def test_a_loss_is_a_company_figure(nlp_md):
    claim = only(claims(nlp_md, "Le club Initech FC a perdu 14 millions d'euros la saison dernière."))
    assert (claim.subject.text, claim.relation, claim.amount.text) == ("Initech FC", "other", "14 millions d'euros")


def test_a_share_moving_down_is_still_a_share_move(nlp_md):
    claim = only(claims(nlp_md, "L'action Initech a perdu 5 % à la clôture de la Bourse de Paris."))
    assert (claim.relation, claim.amount.text) == ("stock_move", "5 %")


def test_the_company_after_an_opening_participle_owns_the_figure_the_parse_left_without_subject(nlp_md):
    text = ("Fondée en 2015 par Marie Durand, ancienne chercheuse du CNRS, Globex Therapeutics est cotée sur "
            "Euronext Growth depuis 2021 et emploie 140 personnes.")
    claim = only(claims(nlp_md, text))
    assert (claim.subject.text, claim.relation, claim.amount.text) == ("Globex Therapeutics", "other", "140 personnes")


def test_an_unsourced_figure_without_a_company_word_is_no_claim(nlp_md):
    assert not claims(nlp_md, "Vernadet a installé 300 machines en France l'an dernier.")


def test_an_infinitive_under_a_finite_verb_states_a_transaction(nlp_md):
    text = ("Mistral AI lève 2 milliards d'euros auprès de General Catalyst. "
            "Selon Reuters, Sequoia devrait également remettre au pot.")
    claim = only([c for c in claims(nlp_md, text) if c.subject.text == "Sequoia"])
    assert (claim.relation, claim.object.id, claim.source.id, claim.modality) == (
        "invests_in", "mistral-ai", "reuters", "reported")


def test_a_plant_that_will_produce_is_the_company_capacity(nlp_md):
    text = ("Le groupe Nordex a officialisé jeudi la construction d'une usine à Dunkerque. "
            "L'usine, qui produira 60 000 tonnes de matériaux par an à partir de 2029, ouvrira en 2029.")
    claim = only(claims(nlp_md, text), "capacity")
    assert (claim.subject.text, claim.amount.text, claim.modality) == ("Nordex", "60 000 tonnes", "asserted")


def test_a_telling_description_keeps_the_entity_of_its_first_use(nlp_md):
    text = ("EDF va prendre 35 % de Norvik, a annoncé mardi l'électricien public. "
            "Engie, qui avait étudié le dossier, n'a pas fait d'offre. "
            "L'électricien a annoncé en février un plan de cession d'actifs de 5 milliards d'euros.")
    claim = next(c for c in claims(nlp_md, text) if c.amount and c.amount.text == "5 milliards d'euros")
    assert claim.subject.id == "edf"


def test_a_place_is_neither_party_nor_capacity_holder(nlp_md):
    text = ("Brakmor fournira des batteries à Renault. Il s'agirait du plus gros contrat jamais "
            "remporté par l'entreprise de Bratislava, dont le chiffre d'affaires a atteint 580 millions d'euros en 2025.")
    found = [c for c in claims(nlp_md, text) if c.amount is not None]
    assert all(c.subject.id != "bratislava" and (c.object is None or c.object.id != "bratislava") for c in found)
    assert [(c.subject.id, c.relation) for c in found] == [("brakmor", "other")]


def test_the_founder_of_an_opening_participle_is_not_the_subject(nlp_md):
    from kg.nlp.mentions import Mentions
    from kg.nlp.roles import Roles

    text = "Fondée en 2019 à Strasbourg par Léa Kessler et Jonas Vogt, Doctolib revendique 320 clients."
    doc = nlp_md(text)
    entities = extract(Article(id="t", text=text), nlp=nlp_md).entities
    assert Roles(Mentions(doc, entities)).clause_subject(doc[0]).text == "Doctolib"


def test_investors_listed_alongside_an_investment_invest_in_its_company(nlp_md):
    text = ("La start-up Qubix a levé 150 millions d'euros auprès de Thalor. "
            "Aux côtés du groupe de défense figurent Bpifrance, le fonds américain Lux Capital et, plus inattendu, "
            "le laboratoire Sanofi, qui voit dans le calcul quantique un moyen d'accélérer la recherche.")
    found = claims(nlp_md, text)
    joined = [(c.subject.text, c.object.text if c.object else None) for c in found if "Aux côtés" in c.sentence]
    assert joined == [("Bpifrance", "Qubix"), ("Lux Capital", "Qubix"), ("Sanofi", "Qubix")]
    assert all(c.relation == "invests_in" and c.modality == "asserted" for c in found)


def test_a_figure_right_after_a_joining_investor_is_its_own(nlp_md):
    text = ("Thalor a relevé son investissement dans Qubix à 80 millions d'euros. "
            "Deux nouveaux venus rejoignent le tour : le fonds singapourien Temasek, pour moins de 20 millions "
            "d'euros, et Capgemini, qui apporte 20 M€.")
    found = [(c.subject.text, c.relation, c.amount.text if c.amount else None, c.object.text if c.object else None)
             for c in claims(nlp_md, text) if "rejoignent" in c.sentence]
    assert ("Temasek", "invests_in", "moins de 20 millions d'euros", "Qubix") in found
    assert not any(subject == "Capgemini" and (amount or "").startswith("moins") for subject, _, amount, _ in found)


def test_aux_cotes_de_without_an_investment_just_told_lists_nobody(nlp_md):
    text = "Aux côtés de Renault figurent Valeo et Forvia parmi les exposants du salon."
    assert claims(nlp_md, text) == []


def test_le_groupe_in_what_an_executive_says_is_the_executives_company(nlp_md):
    text = ("Orvane va prendre 35 % de Skarnor. Son actionnaire historique, le fonds Havlund, conservera 40 % du capital. "
            "« Nous ajoutons une brique », a déclaré le directeur exécutif d'Orvane chargé des renouvelables, "
            "Marc Delorme. Selon lui, le groupe investira au moins 2 milliards d'euros dans l'éolien d'ici 2030.")
    claim = next(c for c in claims(nlp_md, text) if c.amount and c.amount.text == "au moins 2 milliards d'euros")
    assert (claim.subject.text, claim.relation, claim.source.text) == ("Orvane", "invests_in", "Marc Delorme")


def test_le_groupe_far_from_a_description_is_the_passages_company(nlp_md):
    text = ("Le japonais Kaminari Precision envisagerait de racheter Orvane. Ses machines équipent les lignes du "
            "groupe laitier Lactor et du groupe Pierre Fabre. Basé à Nagoya, Kaminari Precision a dégagé un chiffre "
            "d'affaires de 3,4 milliards de dollars. Le groupe a déjà pris le contrôle en mars de l'allemand Haldor, "
            "pour 380 M€.")
    claim = next(c for c in claims(nlp_md, text) if c.amount and c.amount.text == "380 M€")
    assert claim.subject.text == "Kaminari Precision"


def test_taking_control_of_a_company_is_a_stake(nlp_md):
    found = claims(nlp_md, "Le fabricant japonais Kaminari Precision envisagerait de prendre le contrôle de Orvane, "
                           "selon le quotidien Nikkan.")
    assert [(c.subject.text, c.relation, c.object.text) for c in found] == [("Kaminari Precision", "stake_in", "Orvane")]


def test_a_dateline_place_never_denies(nlp_md):
    text = ("LYON, 23 juin 2026 (AFP) - Le groupe lyonnais Orvane a démenti mardi les informations du Nikkan selon "
            "lesquelles le japonais Kaminari Precision s'apprêtait à racheter 70 % de son capital.")
    denial = only(claims(nlp_md, text), "denies")
    assert denial.subject.text == "Orvane"


def test_buying_a_company_itself_is_a_stake_buying_from_it_is_not(nlp_md):
    whole = claims(nlp_md, "Orvane pourrait racheter la totalité de Skarnor d'ici 2030.")
    assert [(c.subject.text, c.relation, c.object.text) for c in whole] == [("Orvane", "stake_in", "Skarnor")]
    supplies = claims(nlp_md, "Orvane achète ses logiciels à Skarnor depuis 2023.")
    assert [(c.subject.text, c.relation, c.object.text) for c in supplies] == [("Orvane", "buys_from", "Skarnor")]


def test_money_raised_aupres_du_fonds_x_is_xs_investment(nlp_md):
    found = claims(nlp_md, "Skarnor n'en est pas à son coup d'essai : elle avait levé 45 millions d'euros en 2024 "
                           "auprès du fonds Elvora.")
    claim = only(found, "invests_in")
    assert (claim.subject.text, claim.amount.text) == ("Elvora", "45 millions d'euros")


def test_a_gapped_figure_after_a_described_name_is_that_names(nlp_md):
    text = ("Les valeurs de l'emballage ont profité de l'annonce à la Bourse de Paris. L'italien Pallamir Group a gagné "
            "3,1 % à Milan et le suédois Kronvald Systems 4,4 % à Stockholm.")
    moves = [(c.subject.text, c.amount.text) for c in claims(nlp_md, text) if c.relation == "stock_move"]
    assert moves == [("Pallamir Group", "3,1 %"), ("Kronvald Systems", "4,4 %")]


def test_the_size_of_a_deal_is_the_investment_of_who_led_it_or_of_the_one_just_told(nlp_md):
    led = claims(nlp_md, "Rivolo a levé des fonds auprès de ses actionnaires. L'opération, d'un montant de 3 milliards "
                         "de dollars, a été menée par le fonds américain Coatar, selon les mêmes sources.")
    claim = next(c for c in led if c.amount is not None)
    assert (claim.subject.text, claim.relation, claim.amount.text) == ("Coatar", "invests_in", "3 milliards de dollars")
    told = claims(nlp_md, "Le constructeur Stelvia porte à 26 % sa participation dans Lipmotor. Cette opération, "
                          "d'un montant de 620 M€, valorise Lipmotor à environ 12,4 Md€.")
    claim = next(c for c in told if c.amount is not None and c.amount.text == "620 M€")
    assert (claim.subject.text, claim.relation, claim.object.text) == ("Stelvia", "invests_in", "Lipmotor")


def test_a_nationality_adjective_before_a_name_names_the_subject(nlp_md):
    text = "Selon le Nikkan, le japonais Kaminari Precision s'apprêtait à racheter 70 % du capital de Orvane."
    claim = only(claims(nlp_md, text), "stake_in")
    assert (claim.subject.text, claim.amount.text) == ("Kaminari Precision", "70 %")


def test_an_executive_named_after_her_title_denies_talks_with_the_other_party(nlp_md):
    text = ("« Il n'y a jamais eu de négociation avec Siemar, ni sur 20 %, ni sur aucun autre pourcentage », a déclaré "
            "jeudi à l'AFP la directrice générale de Helvar, Léa Kessner.")
    found = claims(nlp_md, text)
    denial = only(found, "denies")
    assert (denial.subject.text, denial.object.text, denial.source.text) == ("Léa Kessner", "Siemar", "Léa Kessner")
    stake = only(found, "stake_in")  # the share the talks were said to be about: the partner's stake
    assert (stake.subject.text, stake.object.text, stake.amount.text, stake.modality) == ("Siemar", "Helvar", "20 %", "denied")


def test_a_speaker_saying_there_are_no_talks_denies_them(nlp_md):
    text = ("« Orvane n'est pas à vendre et aucune négociation n'est en cours avec Kaminari ni avec quiconque », "
            "a déclaré à l'AFP la présidente du directoire, Claire Orvane-Royer.")
    denial = only(claims(nlp_md, text), "denies")
    assert (denial.subject.text, denial.object.text, denial.modality) == ("Claire Orvane-Royer", "Kaminari", "denied")
    assert claims(nlp_md, "« Les négociations avec Kaminari avancent bien », a déclaré Claire Orvane-Royer.") == []


def test_a_phrase_that_opens_with_its_verb_states_a_transaction_without_a_figure(nlp_md):
    found = claims(nlp_md, "Vous l'avez sans doute vu passer hier : Orvane entre au capital de Skarnor Énergie.")
    assert [(c.subject.text, c.relation, c.object.text) for c in found] == [("Orvane", "stake_in", "Skarnor Énergie")]


def test_a_price_paid_for_control_goes_to_the_company_taken_over(nlp_md):
    found = claims(nlp_md, "Orvane veut racheter 70 % de Skarnor. Le groupe a déjà pris le contrôle en mars dernier "
                           "de l'allemand Haldor Werke, pour 380 M€.")
    claim = only(found, "invests_in")
    assert (claim.subject.text, claim.object.text, claim.amount.text) == ("Orvane", "Haldor Werke", "380 M€")


def test_a_described_company_valued_after_a_deal_is_the_deals_target_not_its_buyer(nlp_md):
    bid = claims(nlp_md, "Selon des sources proches du dossier, le fonds d'investissement suédois Nordvik Capital étudierait une offre sur "
                         "Kalmor Systems, qui pourrait valoriser le groupe jusqu'à 2,2 milliards d'euros.")
    assert [(c.subject.text, c.relation, c.object.text if c.object else None) for c in bid] == [
        ("Nordvik Capital", "stake_in", "Kalmor Systems"), ("Kalmor Systems", "valued_at", None)]
    raise_ = claims(nlp_md, "Orvane a bouclé un tour de table de 180 millions d'euros, a annoncé mardi la société. "
                            "Mené par Globex, qui apporte à lui seul 60 millions d'euros, ce financement de série B "
                            "valorise l'entreprise à 1,2 milliard d'euros.")
    assert only(raise_, "valued_at").subject.text == "Orvane"


def test_a_headcount_of_a_companys_site_is_the_companys_figure_never_a_capacity(nlp_md):
    text = ("Orvane a officialisé jeudi la construction d'une usine à Dunkerque. L'usine, qui produira 60 000 tonnes "
            "de matériaux par an à partir de 2029, créera 1 200 emplois directs.")
    found = [(c.subject.text, c.relation, c.amount.text) for c in claims(nlp_md, text) if c.amount]
    assert ("Orvane", "other", "1 200 emplois") in found
    assert not any(relation == "capacity" and amount == "1 200 emplois" for _, relation, amount in found)


def test_an_executive_saying_nous_speaks_for_the_company_of_the_title(nlp_md):
    text = ("« Nous comptons désormais plus de 5 000 clients », a affirmé à l'AFP le président et cofondateur de "
            "Orvane, Élie Marchal.")
    claim = only(claims(nlp_md, text))
    assert (claim.subject.text, claim.relation, claim.amount.text) == ("Orvane", "other", "plus de 5 000 clients")


def test_a_generic_description_opening_a_paragraph_is_the_company_of_the_lede(nlp_md):
    lede = ("Orvane est en discussions avancées pour lever 2 milliards d'euros, selon des sources proches du dossier. "
            "Globex, qui avait mené le précédent tour de table, participerait de nouveau. Globex n'a pas répondu.")
    later = "La société vaut désormais 14 milliards d'euros, selon l'une des sources."
    def valued(text):
        return only(claims(nlp_md, text), "valued_at").subject.text
    assert valued(lede + "\n\n" + later) == "Orvane"
    assert valued(lede + " " + later) == "Globex"  # within the paragraph, the last subject


def test_a_moving_verb_with_a_company_as_its_own_subject_moves_that_companys_shares(nlp_md):
    text = ("Orvane a vu son titre reculer de 4,2 % à la Bourse de Paris, tandis que l'action Globex s'envolait de "
            "7,5 % et que Kalmor gagnait 3 %.")
    moves = [(c.subject.text, c.amount.text) for c in claims(nlp_md, text) if c.relation == "stock_move"]
    assert moves == [("Orvane", "4,2 %"), ("Globex", "7,5 %"), ("Kalmor", "3 %")]


def test_a_sentence_carrying_several_deals_gives_each_its_parties(nlp_md):
    text = ("Orvane va racheter 67 % de Skarnor. Orvane rachètera d'abord l'intégralité de la participation de Globex, "
            "soit 24 %, pour quelque 365 millions d'euros, puis 43 % du capital à la holding familiale Skarnor "
            "Participations, qui conservera 8 % des titres.")
    found = {(c.subject.text, c.relation, c.object.text if c.object else None, c.amount.text if c.amount else None)
             for c in claims(nlp_md, text) if "d'abord" in c.sentence}
    assert found == {
        ("Globex", "stake_in", "Skarnor", "24 %"),  # ", soit 24 %" restates Globex's stake
        ("Orvane", "buys_from", "Globex", "quelque 365 millions d'euros"),  # whose stake is bought sells it
        ("Orvane", "buys_from", "Skarnor Participations", "43 %"),  # a share bought "à Y" is bought from Y
        ("Skarnor Participations", "stake_in", "Skarnor", "8 %"),  # "qui conservera 8 %": a stake kept
    }


def test_a_dative_pronoun_before_the_verb_is_the_other_party_never_the_verbs_own_subject(nlp_md):
    text = "Orvane revendique 300 clients industriels. Globex lui achète depuis 2023 ses logiciels de maintenance."
    sale = only(claims(nlp_md, text), "buys_from")
    assert (sale.subject.text, sale.object.text) == ("Globex", "Orvane")


def test_the_company_a_supplier_supplies_buys_from_it(nlp_md):
    found = claims(nlp_md, "Orvane fournira notamment la start-up française Kalmor, qui construit une usine à Lille.")
    assert [(c.subject.text, c.relation, c.object.text) for c in found] == [("Kalmor", "buys_from", "Orvane")]


def test_the_par_agent_of_a_deal_noun_or_of_a_passive_participle_does_the_deal(nlp_md):
    nominal = claims(nlp_md, "L'annonce, mercredi, du rachat de 67 % de Kalmor par Orvane Industries a profité jeudi "
                             "à l'ensemble du secteur.")
    stake = only(nominal, "stake_in")
    assert (stake.subject.text, stake.object.text, stake.amount.text) == ("Orvane Industries", "Kalmor", "67 %")
    passive = claims(nlp_md, "Ces composants intègrent des cœurs conçus par Kalmor, la société britannique contrôlée "
                             "à près de 90 % par Orvane Industries, qui perçoit des redevances.")
    stake = only(passive, "stake_in")
    assert (stake.subject.text, stake.object.text, stake.amount.text) == ("Orvane Industries", "Kalmor", "près de 90 %")


def test_the_volume_a_company_sold_is_a_figure_about_it(nlp_md):
    text = ("Pour Orvane, l'enjeu est de taille : le groupe, qui a vendu 2,26 millions de véhicules l'an dernier, veut "
            "réduire fortement le coût de ses batteries.")
    claim = only(claims(nlp_md, text))
    assert (claim.subject.text, claim.relation, claim.amount.text) == ("Orvane", "other", "2,26 millions de véhicules")


def test_the_price_of_a_share_bought_under_an_agreement_is_an_investment_in_the_company(nlp_md):
    text = ("Le japonais Orvane Precision a annoncé mercredi avoir signé un accord pour acquérir 67 % du capital du "
            "lyonnais Kalmor, pour 1,02 milliard d'euros, trois semaines après les premières rumeurs.")
    found = {(c.subject.text, c.relation, c.object.text, c.amount.text) for c in claims(nlp_md, text)}
    assert found == {("Orvane Precision", "stake_in", "Kalmor", "67 %"),
                     ("Orvane Precision", "invests_in", "Kalmor", "1,02 milliard d'euros")}


def test_a_sum_offered_for_a_share_is_an_investment_in_the_company(nlp_md):
    text = ("Le japonais Orvane Precision envisagerait de racheter Kalmor, selon le Nikkan. Selon des sources proches "
            "du dossier, Orvane Precision proposerait près de 1,2 milliard d'euros pour 70 % du capital.")
    found = {(c.subject.text, c.relation, c.object.text if c.object else None, c.amount.text)
             for c in claims(nlp_md, text) if c.amount}
    assert ("Orvane Precision", "invests_in", "Kalmor", "près de 1,2 milliard d'euros") in found
