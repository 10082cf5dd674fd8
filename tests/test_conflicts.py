"""Conflicts, updates, denials, corroborations, revisions, timelines and money flows.

Most tests write hand-made extractions with kg.ingest.write_extraction into a real
memory store (no spaCy: fast). Two tests run the real pipeline: on our own articles
under tests/fixtures/flags, and on the corpus.
"""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from kg.conflicts import (FLAGS_GRAPH, find_flags, flag_ntriples, flags, flags_update, load_claims, read_claims,
                          recompute_flags)
from kg.corpus import slug
from kg.ingest import write_extraction
from kg.model import Amount, Article, Claim, Entity, Extraction, Ref
from kg.rdf import version_iri
from kg.store import open_store
from kg.timeline import circular_financing, claim_graph, money_flows, stories, timeline
from kg.vocab import DATA

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "flags"
CORPUS = ROOT / "corpus"
BILLION = 1e9


# --- hand-made extractions -------------------------------------------------------------------

def ref(name: str | None) -> Ref | None:
    return Ref(name, slug(name)) if name else None


def money(value=None, *, bound="exact", low=None, high=None, unit="EUR", text=None) -> Amount:
    shown = text or f"{value or high:,.0f} {unit}".replace(",", " ")
    return Amount(text=shown, start=0, end=len(shown), value=value, min=low, max=high, bound=bound, unit=unit)


def claim(number: int, subject: str, relation: str, obj: str | None, sentence: str, *, amount=None,
          source: str | None = None, modality: str = "reported", polarity: str = "positive",
          date: str | None = None, denies: tuple[str, ...] = ()) -> Claim:
    return Claim(id=f"c{number}", subject=ref(subject), relation=relation, object=ref(obj), amount=amount,
                 source=ref(source), source_chain=[ref(source)] if source else [], modality=modality,
                 polarity=polarity, quote=None, sentence=sentence, start=0, end=len(sentence), date=date,
                 denies=list(denies))


def entities_of(claims: list[Claim]) -> list[Entity]:
    names = {(ref.text, ref.id) for c in claims for ref in (c.subject, c.object, c.source) if ref}
    return [Entity(text=name, label="ORG", start=0, end=len(name), id=entity_id) for name, entity_id in sorted(names)]


def publish(store, article_id: str, published: str, claims: list[Claim], *, publisher: str | None = None,
            previous: Article | None = None) -> Article:
    text = " ".join([c.sentence for c in claims] + [f"({article_id})"])
    article = Article(id=article_id, text=text, file=f"{article_id}.txt", published=published, publisher=publisher)
    write_extraction(store, Extraction(article=article, entities=entities_of(claims), claims=claims),
                     str(version_iri(previous)) if previous else None)
    return article


@pytest.fixture
def store():
    with open_store(path=":memory:") as opened:
        yield opened


def kinds(found) -> list[str]:
    return sorted(flag.kind for flag in found)


def files(flag) -> list[str]:
    return sorted(claim.file for claim in flag.claims)


INVEST = "Acme Robotique investit {} dans Boréal Data."


# --- the five kinds ------------------------------------------------------------------------------

def changed_amount_later(store) -> None:
    publish(store, "sept", "2025-09-10", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("2 milliards d'euros"), amount=money(2 * BILLION), source="Le Courrier")])
    publish(store, "janv", "2026-01-15", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("3 milliards d'euros"), amount=money(3 * BILLION), source="La Gazette")])


def test_a_changed_amount_reported_later_is_an_update(store):
    changed_amount_later(store)
    found = recompute_flags(store)
    assert kinds(found) == ["update"]
    assert files(found[0]) == ["janv.txt", "sept.txt"]
    assert found[0].claims[0].date == "2025-09-10" and found[0].claims[1].date == "2026-01-15"
    assert found[0].reason == ("Acme Robotique investment in Boréal Data: 2 billion EUR (2025-09-10, Le Courrier) "
                               "updated to 3 billion EUR (2026-01-15, La Gazette)")


def same_day_disagreement(store) -> None:
    publish(store, "courrier", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("2 milliards d'euros"), amount=money(2 * BILLION), source="Le Courrier")])
    publish(store, "gazette", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("3 milliards d'euros"), amount=money(3 * BILLION), source="La Gazette")])


def test_two_outlets_disagreeing_on_the_same_day_is_a_conflict(store):
    same_day_disagreement(store)
    found = recompute_flags(store)
    assert kinds(found) == ["conflict"]
    assert "Le Courrier (2026-03-02) reports 2 billion EUR; La Gazette (2026-03-02) reports 3 billion EUR" \
        in found[0].reason


def report_and_denial(store) -> None:
    publish(store, "rumeur", "2026-01-30", [claim(1, "Acme Robotique", "buys_from", "Sirius Cloud",
            "Acme Robotique achèterait 500 millions d'euros de serveurs à Sirius Cloud.",
            amount=money(500e6), source="Le Courrier", modality="rumor")])
    publish(store, "dementi", "2026-01-31", [claim(1, "Acme Robotique", "buys_from", "Sirius Cloud",
            "Paul Martin a démenti tout achat auprès de Sirius Cloud.", source="Paul Martin", modality="denied")])


def test_a_report_and_its_denial_is_a_denial(store):
    report_and_denial(store)
    found = recompute_flags(store)
    assert kinds(found) == ["denial"]
    assert found[0].reason == ("Le Courrier (2026-01-30) relays a rumour that Acme Robotique buys from Sirius Cloud "
                               "(500 million EUR); Paul Martin (2026-01-31) denies it")


def test_a_denies_link_keys_the_denial_on_the_denied_claim(store):
    publish(store, "article", "2026-02", [
        claim(1, "Acme Robotique", "invests_in", "Boréal Data", "Acme Robotique réduirait son engagement.",
              source="Le Courrier", modality="reported"),
        claim(2, "Paul Martin", "denies", None, "Paul Martin a qualifié ces informations d'absurdes.",
              source="Paul Martin", modality="denied", denies=("c1",))])
    (denial,) = recompute_flags(store)
    assert denial.kind == "denial" and denial.key.relation == "invests_in"
    assert [c.id for c in denial.claims] == ["c1", "c2"]


def test_two_independent_outlets_agreeing_corroborate(store):
    publish(store, "courrier", "2025-09", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("jusqu'à 4 milliards d'euros"), amount=money(4 * BILLION, bound="up_to"),
            source="Le Courrier")])
    publish(store, "gazette", "2026-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("jusqu'à 4 milliards d'euros"), amount=money(4 * BILLION, bound="up_to"),
            source="La Gazette")])
    found = recompute_flags(store)
    assert kinds(found) == ["corroboration"]
    assert found[0].reason == ("Acme Robotique investment in Boréal Data: up to 4 billion EUR (2025-09, Le Courrier) "
                               "confirmed by La Gazette (2026-02)")


def test_a_later_article_restating_a_figure_without_a_source_is_independent(store):
    publish(store, "courrier", "2025-09", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("4 milliards d'euros"), amount=money(4 * BILLION), source="Le Courrier")])
    publish(store, "blog", "2026-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("4 milliards d'euros"), amount=money(4 * BILLION), modality="asserted")])
    (flag,) = recompute_flags(store)
    assert flag.kind == "corroboration" and flag.reason.endswith("confirmed by the 2026-02 article")


def test_the_same_outlet_twice_does_not_corroborate(store):
    for article_id, published in (("un", "2025-09-01"), ("deux", "2025-11-20")):
        publish(store, article_id, published, [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
                INVEST.format("4 milliards d'euros"), amount=money(4 * BILLION), modality="asserted")],
                publisher="Le Courrier")
    for article_id, publisher in (("trois", "La Gazette"), ("quatre", "Le Matin")):
        publish(store, article_id, "2025-12", [claim(1, "Acme Robotique", "valued_at", None,
                "Acme Robotique est valorisée 9 milliards d'euros, selon l'agence Delta.",
                amount=money(9 * BILLION), source="Agence Delta")], publisher=publisher)
    assert recompute_flags(store) == []


def test_a_table_row_restating_its_own_article_does_not_corroborate(store):
    publish(store, "tableau", "2026-02", [
        claim(1, "Acme Robotique", "invests_in", "Boréal Data", INVEST.format("entre 20 et 50 millions d'euros"),
              amount=money(bound="between", low=20e6, high=50e6), modality="asserted"),
        claim(2, "Acme Robotique", "invests_in", "Boréal Data", "| Acme Robotique | 20 à 50 |",
              amount=money(bound="between", low=20e6, high=50e6), modality="asserted")])
    assert recompute_flags(store) == []


def test_an_edited_article_is_a_revision(store):
    sentence = INVEST.format("{} millions d'euros")
    first = publish(store, "depeche", "2026-03-02", [
        claim(1, "Acme Robotique", "invests_in", "Boréal Data", sentence.format(300), amount=money(300e6)),
        claim(2, "Sirius Cloud", "valued_at", None, "Sirius Cloud vaut 1 milliard d'euros.",
              amount=money(1 * BILLION))])
    publish(store, "depeche", "2026-03-02", [
        claim(1, "Acme Robotique", "invests_in", "Boréal Data", sentence.format(350), amount=money(350e6)),
        claim(2, "Sirius Cloud", "valued_at", None, "Sirius Cloud vaut 1 milliard d'euros."),
        claim(3, "Boréal Data", "contract_with", "Sirius Cloud", "Boréal Data a signé avec Sirius Cloud.")],
        previous=first)
    found = recompute_flags(store)
    assert kinds(found) == ["revision"] * 3
    by_relation = {flag.key.relation: flag for flag in found}
    assert by_relation["invests_in"].reason == ('depeche.txt was revised: 300 million EUR became 350 million EUR in '
                                                '"Acme Robotique investit 350 millions d\'euros dans Boréal Data."')
    assert "new claim" in by_relation["contract_with"].reason
    assert len(by_relation["valued_at"].claims) == 2
    assert len(load_claims(store)) == 3, "only the current version's claims are compared"


def test_a_claim_reworded_around_an_unchanged_figure_is_no_revision(store):
    """The corrected figure is a revision; the other claim of its sentence did not change."""
    said = "Acme investit 30 millions d'euros dans Globex et détiendra {} % de Globex."
    first = publish(store, "depeche", "2026-03-02", [
        claim(1, "Acme", "invests_in", "Globex", said.format(9), amount=money(30e6)),
        claim(2, "Acme", "stake_in", "Globex", said.format(9), amount=money(9, unit="%"))])
    publish(store, "depeche", "2026-03-03", [
        claim(1, "Acme", "invests_in", "Globex", said.format(7), amount=money(30e6)),
        claim(2, "Acme", "stake_in", "Globex", said.format(7), amount=money(7, unit="%"))], previous=first)
    (revision,) = recompute_flags(store)
    assert revision.key.relation == "stake_in" and "9 % became 7 %" in revision.reason


def test_a_correction_filed_apart_leaves_the_first_version_on_record_but_not_against_it(store):
    """A dispatch (9 %) and its correction (7 %) filed as two files, and a press release (7 %): the first
    version was published, so it still conflicts with the release; the two versions never flag each other."""
    said = "Acme détiendra {} % de Globex."
    def dispatch(file: str, published: str, stake: int, previous: Article | None = None) -> Article:
        article = Article(id="depeche", text=said.format(stake), file=file, published=published, publisher="Agence")
        found = [claim(1, "Acme", "stake_in", "Globex", said.format(stake), amount=money(stake, unit="%"))]
        write_extraction(store, Extraction(article=article, entities=entities_of(found), claims=found),
                         str(version_iri(previous)) if previous else None)
        return article
    first = dispatch("depeche.txt", "2026-03-02", 9)
    dispatch("depeche-corrigee.txt", "2026-03-03", 7, previous=first)
    publish(store, "communique", "2026-03-02", [claim(1, "Acme", "stake_in", "Globex", said.format(7),
            amount=money(7, unit="%"), source="Acme")])
    found = {(flag.kind, tuple(files(flag))) for flag in recompute_flags(store)}
    assert found == {("conflict", ("communique.txt", "depeche.txt")),
                     ("corroboration", ("communique.txt", "depeche-corrigee.txt")),
                     ("revision", ("depeche-corrigee.txt", "depeche.txt"))}


DISPATCH = ("PARIS, 2 mars (Reuters) - Le groupe Acme Robotique a pris une participation de {} % dans "
            "la société Boréal Data, a annoncé lundi Acme Robotique.\n\nLe montant n'a pas été dévoilé.")


def corrected_dispatch(folder: Path) -> Path:
    """A wire dispatch and its corrected version: two files, one manifest id, the correction
    published a day later (and listed first, to show that the dates order the versions)."""
    folder.mkdir()
    (folder / "a-depeche-corrigee.txt").write_text(DISPATCH.format(7), encoding="utf-8")
    (folder / "b-depeche.txt").write_text(DISPATCH.format(9), encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,id,title,published,publisher,url,lang\n"
        "a-depeche-corrigee.txt,acme-boreal,Acme entre chez Boréal,2026-03-03,Reuters,https://example.org/d,fr\n"
        "b-depeche.txt,acme-boreal,Acme entre chez Boréal,2026-03-02,Reuters,https://example.org/d,fr\n",
        encoding="utf-8")
    return folder


def test_a_corrected_version_filed_beside_the_first_revises_it(tmp_path):
    from kg.ingest import ingest

    folder = corrected_dispatch(tmp_path / "depeches")
    with open_store(path=":memory:") as store:
        report = ingest([str(folder)], store)
        found = flags(store)
        again = ingest([str(folder)], store)
    assert report.summary() == "1 added, 1 revised, 0 unchanged, 0 refused"
    assert [article.file for article in report.revised] == ["a-depeche-corrigee.txt"]
    assert [(flag["kind"], flag["key"]["relation"]) for flag in found] == [("revision", "stake_in")]
    assert "9 % became 7 %" in found[0]["reason"]
    assert again.summary() == "0 added, 0 revised, 2 unchanged, 0 refused"


def test_evaluate_chains_the_versions_of_one_article_as_ingest_does(tmp_path):
    from kg.corpus import read_articles
    from kg.evaluate import flags_found
    from kg.nlp.pipeline import extract_many

    articles = list(read_articles([corrected_dispatch(tmp_path / "depeches")]))
    found = flags_found(extract_many(articles))
    assert [(flag["kind"], flag["key"]["relation"]) for flag in found] == [("revision", "stake_in")]


def test_unrelated_claims_raise_no_flag(store):
    publish(store, "un", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("2 milliards d'euros"), amount=money(2 * BILLION), source="Le Courrier")])
    publish(store, "deux", "2026-03-02", [claim(1, "Sirius Cloud", "invests_in", "Boréal Data",
            "Sirius Cloud investit 3 milliards d'euros dans Boréal Data.", amount=money(3 * BILLION),
            source="La Gazette")])
    publish(store, "trois", "2026-03-02", [claim(1, "Acme Robotique", "stake_in", "Boréal Data",
            "Acme Robotique détient 9 % de Boréal Data.", amount=money(9, unit="%"), source="Le Matin")])
    assert recompute_flags(store) == []


def test_different_currencies_are_never_compared(store):
    publish(store, "euros", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("2 milliards d'euros"), amount=money(2 * BILLION), source="Le Courrier")])
    publish(store, "dollars", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("3 milliards de dollars"), amount=money(3 * BILLION, unit="USD"), source="La Gazette")])
    assert recompute_flags(store) == []


@pytest.mark.parametrize("second, expected", [(105e6, []), (120e6, ["conflict"]), (50e6, ["conflict"])])
def test_about_widens_by_the_tolerance(store, second, expected):
    publish(store, "environ", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("environ 100 millions d'euros"), amount=money(100e6, bound="about"), source="Le Courrier")])
    publish(store, "exact", "2026-03-03", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format(f"{second / 1e6:g} millions d'euros"), amount=money(second), source="La Gazette")])
    assert [f.kind for f in recompute_flags(store) if f.kind != "corroboration"] == expected


def test_up_to_overlaps_any_smaller_figure(store):
    publish(store, "plafond", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("jusqu'à 100 millions d'euros"), amount=money(100e6, bound="up_to"), source="Le Courrier")])
    publish(store, "exact", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("40 millions d'euros"), amount=money(40e6), source="La Gazette")])
    assert kinds(recompute_flags(store)) == ["corroboration"]


# --- what a fact-checker expects of each kind -------------------------------------------------

def stock_move(number: int, company: str, percent: float, source: str, date: str) -> Claim:
    return claim(number, company, "stock_move", None, f"Le titre {company} a gagné {percent:g} %.",
                 amount=money(percent, unit="%"), source=source, modality="asserted", date=date)


def test_share_price_moves_of_different_days_raise_no_flag(store):
    publish(store, "lundi", "2026-03-02", [stock_move(1, "Acme Robotique", 4.2, "Le Courrier", "2026-03-02")])
    publish(store, "jeudi", "2026-03-05", [stock_move(1, "Acme Robotique", 1.1, "La Gazette", "2026-03-05")])
    publish(store, "vendredi", "2026-03-06", [stock_move(1, "Acme Robotique", 1.1, "Le Matin", "2026-03-06")])
    assert recompute_flags(store) == []


def test_share_price_moves_of_the_same_day_conflict_or_corroborate(store):
    publish(store, "courrier", "2026-03-02", [stock_move(1, "Acme Robotique", 4.2, "Le Courrier", "2026-03-02")])
    publish(store, "gazette", "2026-03-02", [stock_move(1, "Acme Robotique", 2.5, "La Gazette", "2026-03-02")])
    publish(store, "matin", "2026-03-03", [stock_move(1, "Acme Robotique", 4.2, "Le Matin", "2026-03-02")])
    found = recompute_flags(store)
    assert kinds(found) == ["conflict", "conflict", "corroboration"]
    assert files(next(f for f in found if f.kind == "corroboration")) == ["courrier.txt", "matin.txt"]


def stake(number: int, percent: float, source: str, *, modality: str = "reported") -> Claim:
    return claim(number, "Acme Robotique", "stake_in", "Boréal Data", f"Acme Robotique prendrait {percent:g} % de Boréal Data.",
                 amount=money(percent, unit="%"), source=source, modality=modality)


def test_an_update_lists_every_claim_of_the_replaced_value(store):
    publish(store, "courrier", "2026-06-22", [stake(1, 70, "Le Courrier")])
    publish(store, "gazette", "2026-06-22", [stake(1, 70, "La Gazette")])
    publish(store, "accord", "2026-07-15", [stake(1, 67, "Acme Robotique", modality="asserted")])
    publish(store, "tableau", "2026-07-16", [stake(1, 67, "Le Matin", modality="asserted")])
    found = recompute_flags(store)
    (update,) = [flag for flag in found if flag.kind == "update"]
    assert files(update) == ["accord.txt", "courrier.txt", "gazette.txt"]
    assert update.reason == ("Acme Robotique stake in Boréal Data: 70 % (2026-06-22, Le Courrier); "
                             "70 % (2026-06-22, La Gazette) updated to 67 % (2026-07-15, Acme Robotique)")
    assert sorted(files(flag) for flag in found if flag.kind == "corroboration") == [
        ["accord.txt", "tableau.txt"], ["courrier.txt", "gazette.txt"]]


def test_a_later_value_replaces_disagreeing_earlier_values_at_once(store):
    publish(store, "courrier", "2026-06-22", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("environ 900 millions d'euros"), amount=money(900e6, bound="about"), source="Le Courrier")])
    publish(store, "gazette", "2026-06-22", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("1,2 milliard d'euros"), amount=money(1.2 * BILLION), source="La Gazette")])
    publish(store, "accord", "2026-07-15", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("1,02 milliard d'euros"), amount=money(1.02 * BILLION), source="Acme Robotique")])
    found = recompute_flags(store)
    assert kinds(found) == ["conflict", "update"]
    assert files(found[1]) == ["accord.txt", "courrier.txt", "gazette.txt"]


def invest(number: int, billions: float, source: str, *, date: str | None = None) -> Claim:
    return claim(number, "Acme Robotique", "invests_in", "Boréal Data", INVEST.format(f"{billions:g} milliards d'euros"),
                 amount=money(billions * BILLION), source=source, date=date)


def test_a_figure_announced_two_days_after_a_report_updates_it(store):
    publish(store, "sources", "2026-06-30", [invest(1, 1.3, "deux sources proches du dossier")])
    publish(store, "officiel", "2026-07-02", [invest(1, 1.6, "Acme Robotique")])
    assert kinds(recompute_flags(store)) == ["update"]


def test_two_outlets_of_one_day_disagreeing_on_last_week_s_deal_conflict(store):
    publish(store, "echos", "2026-05-12", [invest(1, 2.4, "Le Courrier", date="2026-05-05")])
    publish(store, "bourse", "2026-05-12", [invest(1, 1.5, "La Gazette")])
    assert kinds(recompute_flags(store)) == ["conflict"]


def test_a_corroboration_lists_restatements_once_two_origins_agree(store):
    for article_id, published in (("un", "2025-09-01"), ("deux", "2025-11-20")):
        publish(store, article_id, published, [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
                INVEST.format("4 milliards d'euros"), amount=money(4 * BILLION), modality="asserted")],
                publisher="Le Courrier")
    publish(store, "trois", "2025-12-01", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("4 milliards d'euros"), amount=money(4 * BILLION), source="La Gazette")])
    (flag,) = recompute_flags(store)
    assert flag.kind == "corroboration" and files(flag) == ["deux.txt", "trois.txt", "un.txt"]
    assert flag.reason.endswith("confirmed by La Gazette (2025-12-01)"), "the restatement confirms nothing"


def test_claims_without_a_figure_add_no_flag_beside_a_corroborated_figure(store):
    for article_id, source in (("courrier", "Le Courrier"), ("gazette", "La Gazette")):
        publish(store, article_id, "2026-03-02", [
            claim(1, "Acme Robotique", "invests_in", "Boréal Data", INVEST.format("4 milliards d'euros"),
                  amount=money(4 * BILLION), source=source),
            claim(2, "Acme Robotique", "invests_in", "Boréal Data", "Acme Robotique soutient Boréal Data.",
                  source=source)])
    (flag,) = recompute_flags(store)
    assert flag.kind == "corroboration" and flag.claims[0].amount is not None


def test_the_same_relation_without_figures_from_two_outlets_corroborates(store):
    for article_id, source in (("courrier", "Le Courrier"), ("gazette", "La Gazette")):
        publish(store, article_id, "2026-03-02", [claim(1, "Acme Robotique", "buys_from", "Sirius Cloud",
                "Acme Robotique rachèterait les parts de Sirius Cloud.", source=source)])
    assert kinds(recompute_flags(store)) == ["corroboration"]


def test_a_conditional_figure_neither_conflicts_nor_updates(store):
    publish(store, "courrier", "2026-03-02", [
        claim(1, "Sirius Cloud", "valued_at", None, "Sirius Cloud est valorisée 90 milliards d'euros.",
              amount=money(90 * BILLION), source="Le Courrier"),
        claim(2, "Sirius Cloud", "valued_at", None, "Si elle obtient sa licence, elle pourrait valoir 120 milliards.",
              amount=money(120 * BILLION), source="Paul Martin", modality="conditional")])
    publish(store, "gazette", "2026-05-02", [claim(1, "Sirius Cloud", "valued_at", None,
            "Sirius Cloud pourrait valoir 150 milliards si elle entre en Bourse.",
            amount=money(150 * BILLION), source="La Gazette", modality="conditional")])
    assert recompute_flags(store) == []


def test_other_figures_of_different_magnitudes_are_different_figures(store):
    publish(store, "mars", "2026-03-12", [claim(1, "Acme Robotique", "other", None,
            "Son chiffre d'affaires atteindrait 400 millions d'euros.", amount=money(400e6), source="Le Courrier")])
    publish(store, "avril", "2026-04-15", [
        claim(1, "Acme Robotique", "other", None, "Acme Robotique table sur 38 milliards d'euros de revenus.",
              amount=money(38 * BILLION), source="La Gazette"),
        claim(2, "Acme Robotique", "other", None, "Son chiffre d'affaires a atteint 500 millions d'euros.",
              amount=money(500e6), source="La Gazette")])
    (flag,) = recompute_flags(store)
    assert flag.kind == "update" and [c.amount.value for c in flag.claims] == [400e6, 500e6]


def test_a_report_relayed_twice_and_denied_is_one_denial(store):
    for article_id, source in (("courrier", "Le Courrier"), ("gazette", "La Gazette")):
        publish(store, article_id, "2026-01-30", [claim(1, "Acme Robotique", "buys_from", "Sirius Cloud",
                "Acme Robotique achèterait des serveurs à Sirius Cloud.", source=source, modality="rumor")])
    publish(store, "dementi", "2026-01-31", [
        claim(1, "Acme Robotique", "buys_from", "Sirius Cloud", "Acme Robotique n'achètera rien à Sirius Cloud.",
              source="Paul Martin", modality="denied", polarity="negative"),
        claim(2, "Paul Martin", "denies", None, "Paul Martin a démenti.", source="Paul Martin",
              modality="denied", denies=("c1",))])
    denials = [flag for flag in recompute_flags(store) if flag.kind == "denial"]
    assert [files(flag) for flag in denials] == [["courrier.txt", "dementi.txt", "dementi.txt", "gazette.txt"]]
    assert denials[0].reason == ("Acme Robotique buys from Sirius Cloud: reported by Le Courrier (2026-01-30), "
                                 "La Gazette (2026-01-30); denied by Paul Martin (2026-01-31)")


def test_a_denial_naming_whom_it_is_about_answers_the_claim_between_them(store):
    publish(store, "article", "2026-04-04", [
        claim(1, "Acme Robotique", "buys_from", "Sirius Cloud", "Acme Robotique achèterait des parts à Sirius Cloud.",
              source="Le Courrier", modality="reported"),
        claim(2, "Acme Robotique", "stake_in", "Boréal Data", "Acme Robotique détient 9,99 % de Boréal Data.",
              amount=money(9.99, unit="%"), modality="asserted"),
        claim(3, "Sirius Cloud", "denies", "Acme Robotique", "Sirius Cloud a nié toute négociation avec Acme Robotique.",
              source="Sirius Cloud", modality="denied", denies=("c2",))])
    (denial,) = recompute_flags(store)
    assert denial.key.relation == "buys_from" and [c.id for c in denial.claims] == ["c1", "c3"]


def test_a_denied_report_naming_its_source_is_a_denial_on_its_own(store):
    publish(store, "article", "2026-04-04", [
        claim(1, "Boréal Data", "denies", "Acme Robotique", "Boréal Data a démenti les informations du Courrier.",
              source="Boréal Data", modality="denied", denies=("c2",)),
        claim(2, "Acme Robotique", "stake_in", "Boréal Data", "Acme Robotique porterait sa part à 30 %.",
              amount=money(30, unit="%"), source="Le Courrier", modality="denied", polarity="negative")])
    (denial,) = recompute_flags(store)
    assert denial.kind == "denial" and [c.id for c in denial.claims] == ["c2", "c1"]
    assert denial.reason == "Le Courrier (2026-04-04) reports that Acme Robotique holds a stake in Boréal Data (30 %); " \
                            "Boréal Data (2026-04-04) denies it"


def test_a_denied_figure_without_a_relation_answers_the_reports_of_that_figure_about_the_denier(store):
    publish(store, "rapport", "2026-04-22", [stake(1, 20, "Le Courrier"),
        claim(2, "Acme Robotique", "invests_in", "Boréal Data", INVEST.format("20 millions d'euros"),
              amount=money(20e6), source="Le Courrier")])
    publish(store, "dementi", "2026-04-23", [
        claim(1, "Boréal Data", "denies", None, "Boréal Data a démenti.", source="Boréal Data", modality="denied",
              denies=("c2",)),
        claim(2, "Boréal Data", "other", None, "« Jamais de négociation, ni sur 20 %, ni sur rien d'autre. »",
              amount=money(20, unit="%"), source="Boréal Data", modality="denied", polarity="negative")])
    (denial,) = recompute_flags(store)
    assert denial.kind == "denial" and denial.key.relation == "stake_in"
    assert [c.id for c in denial.claims] == ["c1", "c1", "c2"] and files(denial) == ["dementi.txt", "dementi.txt", "rapport.txt"]


def test_a_company_denying_its_own_figure_is_no_report(store):
    publish(store, "article", "2026-04-04", [
        claim(1, "Boréal Data", "denies", None, "Boréal Data a démenti.", source="Boréal Data", modality="denied",
              denies=("c2",)),
        claim(2, "Boréal Data", "valued_at", None, "Boréal Data ne vaut pas 3 milliards, selon Boréal Data.",
              amount=money(3 * BILLION), source="Boréal Data", modality="denied", polarity="negative")])
    assert recompute_flags(store) == []


def named(name: str, entity_id: str) -> Ref:
    return Ref(name, entity_id)


def test_a_key_reads_with_the_full_name_its_iri_was_made_from(store):
    short = claim(1, "Acme", "stake_in", "Boréal Data", "Acme prendrait 70 % de Boréal Data.",
                  amount=money(70, unit="%"), source="Le Courrier")
    short = dataclasses.replace(short, subject=named("Acme", "acme-robotique"))
    publish(store, "courrier", "2026-06-22", [short])
    publish(store, "gazette", "2026-06-22", [stake(1, 70, "La Gazette")])
    recompute_flags(store)
    (flag,) = flags(store)
    assert flag["kind"] == "corroboration" and flag["key"]["subject"] == "Acme Robotique"


def test_a_short_name_in_one_article_meets_the_full_name_of_another(store):
    short = claim(1, "Acme", "stake_in", "Boréal Data", "Acme prendrait 70 % de Boréal Data.",
                  amount=money(70, unit="%"), source="Le Courrier")
    publish(store, "courrier", "2026-06-22", [short])
    publish(store, "gazette", "2026-06-22", [stake(1, 70, "La Gazette")])
    recompute_flags(store)
    (flag,) = flags(store)
    assert flag["kind"] == "corroboration" and flag["key"]["subject"] == "Acme Robotique"


@pytest.mark.parametrize("full_names", [["Acme Participations"], ["Acme Robotique", "Acme Cloud"]])
def test_a_short_name_is_not_linked_to_a_holding_nor_to_one_of_two_names(store, full_names):
    publish(store, "court", "2026-06-22", [claim(1, "Acme", "stake_in", "Boréal Data", "Acme détient 70 % de Boréal Data.",
            amount=money(70, unit="%"), source="Le Courrier")])
    for number, name in enumerate(full_names):
        publish(store, f"long{number}", "2026-06-22", [claim(1, name, "stake_in", "Boréal Data",
                f"{name} détient 70 % de Boréal Data.", amount=money(70, unit="%"), source=f"Agence {number}")])
    assert recompute_flags(store) == []


def test_a_known_entity_is_never_taken_for_the_short_name_of_another(store):
    for article_id, name, source in (("court", "Sanofi", "Le Courrier"), ("long", "Sanofi Robotique", "La Gazette")):
        publish(store, article_id, "2026-06-22", [claim(1, name, "stake_in", "Boréal Data",
                f"{name} détient 70 % de Boréal Data.", amount=money(70, unit="%"), source=source)])
    assert recompute_flags(store) == []


def test_a_short_name_met_beside_the_full_name_in_one_article_stays_apart(store):
    publish(store, "un", "2026-06-22", [
        claim(1, "Acme", "stake_in", "Boréal Data", "Acme détient 24 % de Boréal Data.",
              amount=money(24, unit="%"), source="Le Courrier"),
        claim(2, "Acme Robotique", "stake_in", "Boréal Data", "Acme Robotique en vise 70 %.",
              amount=money(70, unit="%"), source="Le Courrier")])
    publish(store, "deux", "2026-06-23", [claim(1, "Acme", "stake_in", "Boréal Data", "Acme détient 24 % de Boréal Data.",
            amount=money(24, unit="%"), source="La Gazette")])
    (flag,) = recompute_flags(store)
    assert flag.kind == "corroboration" and flag.claims[0].subject_label == "Acme"


def test_recomputing_on_unchanged_data_changes_nothing(store):
    same_day_disagreement(store)
    publish(store, "rumeur", "2026-01-30", [claim(1, "Acme Robotique", "buys_from", "Sirius Cloud",
            "Acme Robotique achèterait des serveurs à Sirius Cloud.", source="Le Courrier", modality="rumor")])
    first = recompute_flags(store)
    before, flag_triples = store.count(), store.count(graph=FLAGS_GRAPH)
    second = recompute_flags(store)
    assert store.count() == before and store.count(graph=FLAGS_GRAPH) == flag_triples > 0
    assert [flag.iri for flag in first] == [flag.iri for flag in second]


def test_a_recompute_after_a_change_keeps_exactly_the_new_flags(store):
    publish(store, "courrier", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("2 milliards d'euros"), amount=money(2 * BILLION), source="Le Courrier")])
    first = publish(store, "gazette", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
                    INVEST.format("3 milliards d'euros"), amount=money(3 * BILLION), source="La Gazette")])
    (conflict,) = recompute_flags(store)
    publish(store, "gazette", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("2 milliards d'euros"), amount=money(2 * BILLION), source="La Gazette")], previous=first)
    found = recompute_flags(store)
    assert kinds(found) == ["corroboration", "revision"]
    assert [flag["kind"] for flag in flags(store)] == ["corroboration", "revision"]
    assert store.count(graph=FLAGS_GRAPH) == len(flag_ntriples(found).splitlines())


def test_a_recompute_deletes_and_inserts_only_the_flags_that_changed(store):
    report_and_denial(store)
    same_day_disagreement(store)
    denial, conflict = sorted(recompute_flags(store), key=lambda flag: flag.kind, reverse=True)
    stored = {denial.iri: denial.reason, conflict.iri: "an older reason", DATA + "flag/conflict/gone": "gone"}
    update = flags_update(stored, [denial, conflict])
    assert denial.iri not in update, "an unchanged flag is left as it is"
    assert conflict.iri in update.split("INSERT DATA")[0] and conflict.iri in update.split("INSERT DATA")[1]
    assert DATA + "flag/conflict/gone" in update
    assert flags_update({denial.iri: denial.reason, conflict.iri: conflict.reason}, [conflict, denial]) == ""


def test_a_recompute_keeps_unchanged_flags_and_drops_removed_ones(store):
    report_and_denial(store)
    first = publish(store, "courrier", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
                    INVEST.format("2 milliards d'euros"), amount=money(2 * BILLION), source="Le Courrier")])
    publish(store, "gazette", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("3 milliards d'euros"), amount=money(3 * BILLION), source="La Gazette")])
    denial, conflict = sorted(recompute_flags(store), key=lambda flag: flag.kind, reverse=True)
    publish(store, "courrier", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("3 milliards d'euros"), amount=money(3 * BILLION), source="Le Courrier")], previous=first)
    found = recompute_flags(store)
    assert kinds(found) == ["corroboration", "denial", "revision"]
    stored = {row["flag"] for row in flag_rows(store)}
    assert denial.iri in stored and conflict.iri not in stored
    assert stored == {flag.iri for flag in found}
    assert store.count(graph=FLAGS_GRAPH) == len(flag_ntriples(found).splitlines())


def flag_rows(store) -> list[dict]:
    return [{name: term.value for name, term in row.items()}
            for row in store.select(f"SELECT ?flag WHERE {{ GRAPH <{FLAGS_GRAPH}> {{ ?flag a kg:Flag }} }}")]


def test_without_sentences_only_the_claims_of_revised_versions_carry_theirs(store):
    first = publish(store, "depeche", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
                    INVEST.format("300 millions d'euros"), amount=money(300e6))])
    publish(store, "depeche", "2026-03-02", [claim(1, "Acme Robotique", "invests_in", "Boréal Data",
            INVEST.format("350 millions d'euros"), amount=money(350e6))], previous=first)
    publish(store, "autre", "2026-03-03", [claim(1, "Sirius Cloud", "valued_at", None,
            "Sirius Cloud vaut 1 milliard d'euros.", amount=money(1 * BILLION))])
    lean, _ = read_claims(store, history=True, sentences=False)
    full, _ = read_claims(store, history=True)
    assert sorted((c.file, bool(c.sentence)) for c in lean) == [("autre.txt", False), ("depeche.txt", True),
                                                                ("depeche.txt", True)]
    assert all(c.sentence for c in full)
    assert [dataclasses.replace(c, sentence="") for c in full] == [dataclasses.replace(c, sentence="") for c in lean]


def test_a_remote_store_gives_the_same_flags(store, remote_store):
    for target in (store, remote_store):
        report_and_denial(target)
        same_day_disagreement(target)
        recompute_flags(target)
    assert flags(remote_store) == flags(store)
    assert remote_store.count(graph=FLAGS_GRAPH) == store.count(graph=FLAGS_GRAPH)


def test_grouping_reads_nothing_from_the_store(store):
    changed_amount_later(store)
    claims, versions = read_claims(store, history=True)
    assert kinds(find_flags(claims, versions)) == ["update"]


# --- reading flags back, timelines, graphs ---------------------------------------------------------

def denial_and_conflict(store) -> None:
    report_and_denial(store)
    same_day_disagreement(store)
    recompute_flags(store)


def test_flags_read_back_follow_the_json_contract(store):
    denial_and_conflict(store)
    found = flags(store)
    assert [flag["kind"] for flag in found] == ["conflict", "denial"]
    denial = found[1]
    assert denial["key"] == {"subject": "Acme Robotique", "relation": "buys_from", "object": "Sirius Cloud"}
    assert set(denial) == {"kind", "key", "reason", "claims"}
    assert [c["file"] for c in denial["claims"]] == ["rumeur.txt", "dementi.txt"]
    assert denial["claims"][0] == {
        "id": denial["claims"][0]["id"], "article": denial["claims"][0]["article"], "file": "rumeur.txt",
        "date": "2026-01-30", "source": "Le Courrier", "modality": "rumor",
        "sentence": "Acme Robotique achèterait 500 millions d'euros de serveurs à Sirius Cloud.",
        "amount": "500 000 000 EUR"}
    assert denial["claims"][1]["amount"] is None and denial["claims"][1]["source"] == "Paul Martin"
    assert found == [flag.to_json() for flag in find_flags(*read_claims(store, history=True))]


def test_flags_filter_by_kind_entity_and_date(store):
    denial_and_conflict(store)
    assert [f["kind"] for f in flags(store, kind="denial")] == ["denial"]
    assert [f["kind"] for f in flags(store, entity="sirius CLOUD")] == ["denial"]
    assert [f["kind"] for f in flags(store, entity="boreal-data")] == ["conflict"]
    assert [f["kind"] for f in flags(store, since="2026-03")] == ["conflict"]
    assert flags(store, entity="Nobody") == []
    with pytest.raises(ValueError):
        flags(store, kind="rumour")


def test_timeline_of_a_key_and_of_an_entity(store):
    changed_amount_later(store)
    report_and_denial(store)
    by_key = timeline(store, "Acme Robotique/invests_in/boreal-data")
    assert [(e["date"], e["source"], e["amount"]) for e in by_key] == [
        ("2025-09-10", "Le Courrier", "2 000 000 000 EUR"), ("2026-01-15", "La Gazette", "3 000 000 000 EUR")]
    assert [e["date"] for e in timeline(store, "acme-robotique")] == [
        "2025-09-10", "2026-01-15", "2026-01-30", "2026-01-31"]
    assert [e["file"] for e in timeline(store, "Sirius Cloud")] == ["rumeur.txt", "dementi.txt"]
    assert timeline(store, "Acme Robotique/buys_from/-") == []
    assert {key: by_key[0][key] for key in ("subject", "relation", "object", "modality", "file")} == {
        "subject": "Acme Robotique", "relation": "invests_in", "object": "Boréal Data", "modality": "reported",
        "file": "sept.txt"}


def test_stories_are_the_connected_components_of_flagged_claims(store):
    changed_amount_later(store)
    report_and_denial(store)
    publish(store, "seul", "2026-02", [claim(1, "Sirius Cloud", "valued_at", None, "Sirius Cloud vaut 1 milliard.")])
    claims, found = load_claims(store), recompute_flags(store)
    graph = claim_graph(claims, found)
    assert sorted(data["relation"] for *_, data in graph.edges(data=True)) == ["denies", "updates"]
    assert [[c.file for c in story] for story in stories(claims, found)] == [
        ["sept.txt", "janv.txt"], ["rumeur.txt", "dementi.txt"]]


def test_a_story_joins_the_new_value_to_every_claim_it_replaces_and_each_denial_to_each_report(store):
    publish(store, "courrier", "2026-06-22", [stake(1, 70, "Le Courrier")])
    publish(store, "gazette", "2026-06-22", [stake(1, 70, "La Gazette")])
    publish(store, "accord", "2026-07-15", [stake(1, 67, "Acme Robotique", modality="asserted")])
    publish(store, "dementi", "2026-06-23", [claim(1, "Boréal Data", "denies", "Acme Robotique",
            "Boréal Data a démenti.", source="Boréal Data", modality="denied", denies=("c2",)),
        claim(2, "Acme Robotique", "stake_in", "Boréal Data", "Acme Robotique ne prendra pas 70 %.",
              amount=money(70, unit="%"), source="Boréal Data", modality="denied", polarity="negative")])
    claims, found = load_claims(store), recompute_flags(store)
    graph = claim_graph(claims, found)
    file_of = {claim.iri: claim.file for claim in claims}
    edges = {(data["relation"], *sorted((file_of[one], file_of[other]))) for one, other, data in graph.edges(data=True)}
    assert {edge for edge in edges if edge[0] != "corroborates"} == {
        ("updates", "accord.txt", "courrier.txt"), ("updates", "accord.txt", "gazette.txt"),
        ("denies", "courrier.txt", "dementi.txt"), ("denies", "dementi.txt", "gazette.txt")}


def test_money_flows_and_circular_financing(store):
    publish(store, "boucle", "2026-02", [
        claim(1, "Acme Robotique", "invests_in", "Boréal Data", INVEST.format("1 milliard d'euros"),
              amount=money(BILLION)),
        claim(2, "Boréal Data", "buys_from", "Acme Robotique", "Boréal Data achète des robots à Acme Robotique."),
        claim(3, "Sirius Cloud", "invests_in", "Boréal Data", "Sirius Cloud investit dans Boréal Data."),
        claim(4, "Boréal Data", "buys_from", "Sirius Cloud", "Boréal Data n'achète rien à Sirius Cloud.",
              polarity="negative")])
    flows = money_flows(load_claims(store))
    assert flows.number_of_edges() == 3
    assert flows.has_edge("https://w3id.org/kg-claims/id/entity/acme-robotique",
                          "https://w3id.org/kg-claims/id/entity/boreal-data")
    assert circular_financing(store) == [["Acme Robotique", "Boréal Data"]]


# --- the real pipeline ------------------------------------------------------------------------------

def flag_summary(found) -> set[tuple]:
    return {(flag["kind"], flag["key"]["subject"], flag["key"]["relation"], flag["key"]["object"],
             tuple(sorted({c["file"] for c in flag["claims"]}))) for flag in found}


PLANTED = {
    ("update", "Norvik", "invests_in", "Quantix", ("01-norvik-septembre.txt", "02-norvik-decembre.txt")),
    ("conflict", "Héliobus", "valued_at", None, ("03-heliobus-courrier.txt", "04-heliobus-gazette.txt")),
    ("denial", "Zephyra", "buys_from", "Quantix", ("05-zephyra-rumeur.txt", "06-zephyra-dementi.txt")),
    ("corroboration", "Norvik", "capacity", None, ("01-norvik-septembre.txt", "02-norvik-decembre.txt")),
}


def test_planted_flags_are_found_by_the_real_pipeline(tmp_path):
    from kg.ingest import ingest

    folder = tmp_path / "flags"
    shutil.copytree(FIXTURES, folder)
    with open_store(path=str(tmp_path / "store")) as store:
        ingest([str(folder)], store)
        found = flag_summary(flags(store))
        edited = folder / "07-lumeo.txt"
        edited.write_text(edited.read_text(encoding="utf-8").replace("120 millions", "150 millions"), encoding="utf-8")
        report = ingest([str(folder)], store)
        revisions = flag_summary(flags(store, kind="revision"))
    assert found == PLANTED, f"missing: {PLANTED - found}; unexpected: {found - PLANTED}"
    assert [article.file for article in report.revised] == ["07-lumeo.txt"]
    assert revisions == {("revision", "Lumeo", "invests_in", "Quantix", ("07-lumeo.txt",))}


def test_the_corpus_story():
    from kg.ingest import ingest

    with open_store(path=":memory:") as store:
        ingest([str(CORPUS)], store)
        found = flags(store)
        cycles = circular_financing(store)
    denials = [f for f in found if f["kind"] == "denial"]
    assert any("Wall Street Journal" in f["reason"] and "Jensen Huang" in f["reason"] for f in denials), denials
    corroborated = {(f["key"]["relation"], c["amount"]) for f in found if f["kind"] == "corroboration"
                    for c in f["claims"] if c["date"] == "2025-09"}
    assert any(relation == "invests_in" and "100" in (amount or "") for relation, amount in corroborated)
    assert any(relation == "capacity" and "10" in (amount or "") for relation, amount in corroborated)
    corpus_files = {"2025-09-nvidia-openai-cycle-100-milliards.txt", "2026-02-nvidia-openai-partenariat-rumeurs.txt"}
    for flag in (f for f in found if f["kind"] == "corroboration"):
        assert {c["file"] for c in flag["claims"]} == corpus_files, flag
    assert ["Nvidia", "OpenAI"] in cycles
