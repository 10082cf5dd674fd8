"""Scoring extraction against gold annotations (kg/evaluate.py), with hand-built objects only."""
from __future__ import annotations

import json

import pytest

from kg.evaluate import (
    HEADER, Counts, Gold, GoldAmount, GoldArticle, GoldClaim, GoldEntity, GoldError, GoldFlag,
    evaluate_folder, format_report, load_gold, score,
)
from kg.model import Amount, Article, Claim, Entity, Extraction, Ref

S1 = "Acme va investir jusqu'à 5 milliards de dollars dans Globex, selon le Globex Herald."
S2 = "Initech a démenti tout accord avec Acme."
JUNK = "Partager sur Acme Facebook"
TEXT = f"{S1}\n{S2}\n{JUNK}"
FILE = "acme.txt"
NAMES: dict[str, str] = {}  # no gazetteer: invented names resolve by slug


def at(needle: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def gold_article(**changes) -> GoldArticle:
    fields = dict(
        file=FILE, text=TEXT,
        entities=[GoldEntity("Acme", "ORG"), GoldEntity("Globex", "ORG"), GoldEntity("Initech", "ORG"),
                  GoldEntity("Globex Herald", "ORG")],
        amounts=[GoldAmount("jusqu'à 5 milliards de dollars", None, None, 5e9, "up_to", "USD")],
        claims=[
            GoldClaim("Acme", "invests_in", S1, object="Globex", amount_text="5 milliards de dollars",
                      source="le Globex Herald", modality="reported"),
            GoldClaim("Initech", "denies", S2, object="Acme", source="Initech", modality="denied"),
        ],
        junk=[JUNK],
    )
    return GoldArticle(**{**fields, **changes})


def entity(text: str, label: str = "ORG", *, after: int = 0) -> Entity:
    start = TEXT.index(text, after)
    return Entity(text, label, start, start + len(text), text.lower().replace(" ", "-"))


def amount(text: str = "jusqu'à 5 milliards de dollars", *, bound: str = "up_to", unit: str = "USD",
           max: float = 5e9) -> Amount:
    start, end = at(text)
    return Amount(text, start, end, None, None, max, bound, unit)


def claim(subject: str, relation: str, sentence: str, *, obj: str | None = None, amount_: Amount | None = None,
          source: Ref | None = None, modality: str = "reported") -> Claim:
    start, end = at(sentence)
    return Claim(
        id=f"c-{start}", subject=Ref(subject, subject.lower()), relation=relation,
        object=Ref(obj, obj.lower()) if obj else None, amount=amount_, source=source, source_chain=[],
        modality=modality, polarity="positive", quote=None, sentence=sentence, start=start, end=end,
    )


def perfect_extraction() -> Extraction:
    return Extraction(
        article=Article(id="acme", text=TEXT, file=FILE),
        entities=[entity("Acme"), entity("Globex"), entity("Initech"), entity("Globex Herald")],
        amounts=[amount()],
        claims=[
            claim("Acme", "invests_in", S1, obj="Globex", amount_=amount(), source=Ref("Globex Herald", "globex-herald")),
            claim("Initech", "denies", S2, obj="Acme", source=Ref("Initech", "initech"), modality="denied"),
        ],
    )


def gold(**changes) -> Gold:
    return Gold(articles={FILE: gold_article(**changes)})


def test_perfect_prediction_scores_one_everywhere():
    report = score(gold(), {FILE: perfect_extraction()}, names=NAMES)
    for counts in (report.entities, report.amounts, report.claims):
        assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0)
    assert (report.source.value, report.modality.value, report.object.value) == (1.0, 1.0, 1.0)
    assert report.junk == [] and report.junk_strings == 1
    assert report.flags is None


def test_missing_entity_lowers_recall_exactly():
    extraction = perfect_extraction()
    extraction.entities = [e for e in extraction.entities if e.text != "Initech"]
    extraction.entities.append(entity("Herald"))  # also a spurious one: "Herald" alone
    counts = score(gold(), {FILE: extraction}, names=NAMES).entities
    assert (counts.gold, counts.predicted, counts.matched) == (4, 4, 3)
    assert (counts.precision, counts.recall, counts.f1) == (0.75, 0.75, 0.75)
    article = score(gold(), {FILE: extraction}, names=NAMES).articles[FILE]
    assert article.missed["entities"] == ["Initech (ORG)"]
    assert article.spurious["entities"] == ["Herald (ORG)"]


def test_entities_compare_by_type_and_normalised_whitespace():
    g = gold(entities=[GoldEntity("Globex  Herald", "ORG"), GoldEntity("Acme", "ORG")])
    extraction = perfect_extraction()
    extraction.entities = [entity("Globex Herald"), entity("Acme", "PER")]
    counts = score(g, {FILE: extraction}, names=NAMES).entities
    assert (counts.gold, counts.predicted, counts.matched) == (2, 2, 1)


@pytest.mark.parametrize("wrong", [dict(bound="exact"), dict(unit="EUR"), dict(max=5.1e9)])
def test_wrong_amount_bound_unit_or_value_is_not_a_match(wrong):
    extraction = perfect_extraction()
    extraction.amounts = [amount(**wrong)]
    counts = score(gold(), {FILE: extraction}, names=NAMES).amounts
    assert (counts.gold, counts.predicted, counts.matched) == (1, 1, 0)
    assert (counts.precision, counts.recall, counts.f1) == (0.0, 0.0, 0.0)


def test_amount_matches_on_overlapping_span_and_close_value_one_to_one():
    extraction = perfect_extraction()
    # a shorter span that overlaps the gold text, a value equal within 1e-6, and a duplicate
    extraction.amounts = [amount("5 milliards de dollars", max=5e9 * (1 + 1e-9)), amount("5 milliards de dollars")]
    counts = score(gold(), {FILE: extraction}, names=NAMES).amounts
    assert (counts.gold, counts.predicted, counts.matched) == (1, 2, 1)
    assert counts.precision == 0.5 and counts.recall == 1.0


def test_amount_elsewhere_in_the_text_is_not_a_match():
    text = "Acme vaut 5 milliards. Globex vaut 5 milliards aussi."
    g = Gold(articles={FILE: GoldArticle(FILE, text, amounts=[GoldAmount("5 milliards", 5e9, None, None, "exact", None)])})
    start = text.index("Globex")  # the second "5 milliards" is found too: all occurrences count
    second = text.index("5 milliards", start)
    predicted = Amount("5 milliards", second, second + 11, 5e9, None, None, "exact", None)
    extraction = Extraction(Article(id="a", text=text, file=FILE), amounts=[predicted])
    assert score(g, {FILE: extraction}, names=NAMES).amounts.matched == 1
    outside = Amount("Acme", 0, 4, 5e9, None, None, "exact", None)
    extraction.amounts = [outside]
    assert score(g, {FILE: extraction}, names=NAMES).amounts.matched == 0


def test_claim_with_wrong_relation_is_not_matched():
    extraction = perfect_extraction()
    extraction.claims[0].relation = "stake_in"
    report = score(gold(), {FILE: extraction}, names=NAMES)
    assert (report.claims.gold, report.claims.predicted, report.claims.matched) == (2, 2, 1)
    assert report.claims.f1 == 0.5
    assert report.modality.total == 1 and report.source.total == 1


def test_claim_needs_the_gold_amount_and_sentence():
    extraction = perfect_extraction()
    extraction.claims[0].amount = None
    assert score(gold(), {FILE: extraction}, names=NAMES).claims.matched == 1
    extraction = perfect_extraction()
    extraction.claims[0].start, extraction.claims[0].end = at(S2)
    assert score(gold(), {FILE: extraction}, names=NAMES).claims.matched == 1


def test_claim_subject_resolves_through_the_gazetteer_names():
    extraction = perfect_extraction()
    extraction.claims[0].subject = Ref("ACME Corp", "acme-corporation")
    assert score(gold(), {FILE: extraction}, names=NAMES).claims.matched == 1
    names = {"Acme": "acme-corporation", "ACME Corp": "acme-corporation"}
    assert score(gold(), {FILE: extraction}, names=names).claims.matched == 2


def test_source_accuracy_ignores_leading_article_and_containment():
    extraction = perfect_extraction()
    g = gold()
    g.articles[FILE].claims[0] = GoldClaim("Acme", "invests_in", S1, object="Globex", amount_text="5 milliards de dollars",
                                           source="le Globex Herald, citant des sources", modality="reported")
    extraction.claims[0].source = Ref("Globex Herald")  # no id: "le Globex Herald" vs "Globex Herald"
    extraction.claims[1].source = None  # gold says Initech
    report = score(g, {FILE: extraction}, names=NAMES)
    assert (report.source.correct, report.source.total) == (1, 2)
    assert report.articles[FILE].wrong == [
        "source: expected 'Initech', found None for Initech denies Acme [None] in 'Initech a démenti tout accord avec Acme.'"]


def test_modality_and_object_accuracy_over_matched_claims():
    extraction = perfect_extraction()
    extraction.claims[0].modality = "rumor"
    extraction.claims[1].object = None
    report = score(gold(), {FILE: extraction}, names=NAMES)
    assert report.claims.matched == 2
    assert (report.modality.correct, report.modality.total) == (1, 2)
    assert (report.object.correct, report.object.total) == (1, 2)


def test_one_to_one_claims_prefer_the_candidate_that_agrees():
    extraction = perfect_extraction()
    wrong_object = claim("Acme", "invests_in", S1, obj="Initech", amount_=amount(), source=Ref("Globex Herald"))
    extraction.claims.insert(0, wrong_object)
    report = score(gold(), {FILE: extraction}, names=NAMES)
    assert (report.claims.gold, report.claims.predicted, report.claims.matched) == (2, 3, 2)
    assert report.object.value == 1.0


def test_junk_overlaps_are_counted_and_listed():
    extraction = perfect_extraction()
    start, end = at(JUNK)
    extraction.entities.append(entity("Acme", after=start))
    extraction.claims.append(claim("Acme", "other", JUNK))
    report = score(gold(), {FILE: extraction}, names=NAMES)
    assert [(h.kind, h.text, h.start) for h in report.junk] == [("entity", "Acme", start + 13), ("claim", JUNK, start)]
    assert report.to_json()["totals"]["junk"] == {"strings": 1, "entities": 1, "claims": 1}


def test_missing_extraction_counts_as_empty_and_extra_files_are_not_scored():
    report = score(gold(), {"other.txt": perfect_extraction()}, names=NAMES)
    assert (report.entities.gold, report.entities.predicted, report.entities.matched) == (4, 0, 0)
    assert report.entities.precision is None and report.entities.f1 == 0.0
    assert report.unscored == ["other.txt"]
    assert not report.articles[FILE].extracted


def predicted_flag(kind="denial", subject="initech", relation="denies", obj="acme", files=("a.txt", "b.txt")):
    return {"kind": kind, "key": {"subject": subject, "relation": relation, "object": obj}, "reason": "",
            "claims": [{"id": f"c{i}", "file": f} for i, f in enumerate(files)]}


def test_flags_match_by_kind_key_and_files():
    g = Gold(articles={"a.txt": GoldArticle("a.txt", TEXT), "b.txt": GoldArticle("b.txt", TEXT)},
             flags=[GoldFlag("denial", "Initech", "denies", "Acme", frozenset({"a.txt", "b.txt"})),
                    GoldFlag("conflict", "Acme", "invests_in", "Globex", frozenset({"a.txt", "b.txt"}))])
    flags = [
        predicted_flag(files=("b.txt", "a.txt", "a.txt")),  # same set of files
        predicted_flag("conflict", "acme", "invests_in", "globex", files=("a.txt",)),  # files differ
        predicted_flag("update", "acme", "invests_in", {"text": "Globex", "id": "globex"}),  # kind differs
    ]
    report = score(g, {}, flags=flags, names=NAMES)
    assert (report.flags.gold, report.flags.predicted, report.flags.matched) == (2, 3, 1)
    assert (report.flags.precision, report.flags.recall, report.flags.f1) == (1 / 3, 0.5, 0.4)
    assert report.missed_flags == ["conflict (Acme, invests_in, Globex) in a.txt, b.txt"]
    assert score(g, {}, flags=[], names=NAMES).flags == Counts(2, 0, 0)


def test_format_report_header_and_rows():
    report = score(gold(), {FILE: perfect_extraction()}, names=NAMES)
    lines = format_report(report, per_article=True).splitlines()
    assert lines[0] == "category        gold  predicted  matched  precision   recall      F1"
    assert lines[0] == HEADER
    assert lines[1] == "entities           4          4        4      1.000    1.000   1.000"
    assert "source accuracy          2/2   1.000" in lines
    assert "junk: 0 entities and 0 claims overlap 1 junk strings" in lines
    assert lines[lines.index("per article") + 1] == FILE
    assert json.loads(json.dumps(report.to_json()))["totals"]["claims"]["f1"] == 1.0


def test_format_report_lists_claim_misses_by_article_only_when_asked():
    extraction = perfect_extraction()
    extraction.claims[1] = claim("Initech", "denies", S2, obj="Acme", source=None, modality="reported")
    extraction.claims.append(claim("Globex", "acquires", S2))
    report = score(gold(), {FILE: extraction}, names=NAMES)
    assert "claim misses" not in format_report(report)
    lines = format_report(report, misses=True).splitlines()
    listed = lines[lines.index("claim misses") + 1:]
    assert listed[0] == FILE
    assert listed[1] == f"  spurious: Globex acquires None [None] in {S2!r}"
    assert listed[2] == f"  wrong source: expected 'Initech', found None for Initech denies Acme [None] in {S2!r}"
    assert listed[3] == f"  wrong modality: expected 'denied', found 'reported' for Initech denies Acme [None] in {S2!r}"
    extraction.claims.pop(0)
    listed = format_report(score(gold(), {FILE: extraction}, names=NAMES), misses=True).splitlines()
    assert any(line.startswith("  missed: Acme invests_in Globex [5 milliards de dollars]") for line in listed)


# -- loading gold files --------------------------------------------------------------------

@pytest.fixture(autouse=True)
def quick_function_words(monkeypatch):
    """The corpus reader's gibberish check imports spaCy's French stop words (seconds); a few suffice here."""
    import kg.corpus

    monkeypatch.setattr(kg.corpus, "function_words", lambda: frozenset({"a", "de", "dans", "le", "un", "selon"}))


ARTICLE = "Acme a annoncé mardi un investissement de cinq milliards d'euros dans Globex, selon le Globex Herald."


def write_gold(folder, data) -> object:
    (folder / "acme.txt").write_text(ARTICLE + "\n", encoding="utf-8")
    path = folder / "gold.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def gold_data(**claim_changes) -> dict:
    claim_ = {"subject": "Acme", "relation": "invests_in", "object": "Globex", "amount_text": "cinq milliards d'euros",
              "source": "le Globex Herald", "modality": "reported", "sentence": ARTICLE, **claim_changes}
    return {"articles": {"acme.txt": {
        "entities": [{"text": "Acme", "type": "ORG", "wikidata": None}],
        "amounts": [{"text": "cinq milliards d'euros", "value": 5e9, "min": None, "max": None, "bound": "exact",
                     "unit": "EUR"}],
        "claims": [claim_], "junk_must_not_yield_claims": []}},
        "expected_flags": [{"kind": "revision", "key": {"subject": "Acme", "relation": "invests_in", "object": "Globex"},
                            "files": ["acme.txt"], "why": "test"}]}


def test_load_gold_reads_the_articles_beside_it(tmp_path):
    gold_ = load_gold(write_gold(tmp_path, gold_data()))
    article = gold_.articles["acme.txt"]
    assert article.text == ARTICLE and article.claims[0].source == "le Globex Herald"
    assert gold_.flags == [GoldFlag("revision", "Acme", "invests_in", "Globex", frozenset({"acme.txt"}), "test")]
    assert load_gold(tmp_path).articles.keys() == {"acme.txt"}  # a folder means its gold.json


def test_malformed_gold_json_names_file_line_and_column(tmp_path):
    path = write_gold(tmp_path, '{"articles": {\n  "acme.txt": {"entities": [}\n}')
    with pytest.raises(GoldError) as error:
        load_gold(path)
    assert str(error.value) == f"{path}: invalid JSON at line 2, column 29: Expecting value"


def test_gold_sentence_not_in_article_names_article_and_sentence(tmp_path):
    path = write_gold(tmp_path, gold_data(sentence="Acme rachète Globex."))
    with pytest.raises(GoldError) as error:
        load_gold(path)
    assert str(error.value) == f"{path}: acme.txt: claim 0: sentence 'Acme rachète Globex.' is not in the article"


@pytest.mark.parametrize("change, problem", [
    (dict(relation="buys"), "articles['acme.txt'].claims[0].relation: 'buys' is not one of invests_in"),
    (dict(amount_text="six milliards"), "acme.txt: claim 0: amount_text 'six milliards' is not in the article"),
    (dict(modalty="reported"), "articles['acme.txt'].claims[0]: unknown key 'modalty'"),
])
def test_gold_claim_problems_are_one_clear_line(tmp_path, change, problem):
    path = write_gold(tmp_path, gold_data(**change))
    with pytest.raises(GoldError) as error:
        load_gold(path)
    assert str(error.value).startswith(f"{path}: {problem}")
    assert "\n" not in str(error.value)


def test_gold_missing_key_and_missing_article(tmp_path):
    data = gold_data()
    del data["articles"]["acme.txt"]["claims"][0]["subject"]
    with pytest.raises(GoldError, match=r"articles\['acme.txt'\].claims\[0\]: missing key 'subject'$"):
        load_gold(write_gold(tmp_path, data))
    data = gold_data()
    data["articles"]["absent.txt"] = data["articles"]["acme.txt"]
    with pytest.raises(GoldError, match=r"article absent.txt: no such file or folder$"):
        load_gold(write_gold(tmp_path, data))


def test_evaluate_folder_scores_what_the_extractor_finds(tmp_path):
    path = write_gold(tmp_path, gold_data())

    def extractor(articles):
        for article in articles:
            start = article.text.index("Acme")
            yield Extraction(article, entities=[Entity("Acme", "ORG", start, start + 4, "acme"),
                                                Entity("Globex", "ORG", 0, 0, "globex")])

    report = evaluate_folder(path, extractor=extractor, names=NAMES)
    assert report.entities == Counts(gold=1, predicted=2, matched=1)
    assert report.claims == Counts(gold=1, predicted=0, matched=0)


def test_evaluate_folder_with_flags_ingests_the_extractions_and_scores_what_kg_flags(tmp_path):
    texts = {"a.txt": "Acme investit 5 milliards d'euros dans Globex.", "b.txt": "Acme investit 7 milliards d'euros dans Globex."}
    for name, text in texts.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,published,publisher\na.txt,2026-01-05,Le Globex Herald\n"
                                           "b.txt,2026-03-05,La Gazette d'Acme\n", encoding="utf-8")
    gold_articles = {name: {"entities": [], "amounts": [], "claims": [], "junk_must_not_yield_claims": []}
                     for name in texts}
    expected = {"kind": "update", "key": {"subject": "Acme", "relation": "invests_in", "object": "Globex"},
                "files": ["a.txt", "b.txt"], "why": "5 then 7 billion"}
    (tmp_path / "gold.json").write_text(json.dumps({"articles": gold_articles, "expected_flags": [expected]}),
                                        encoding="utf-8")

    def extractor(articles):
        for article in articles:
            sentence = article.text.strip()
            shown = sentence[len("Acme investit "):sentence.index(" dans")]
            start = sentence.index(shown)
            figure = Amount(shown, start, start + len(shown), float(shown[0]) * 1e9, None, None, "exact", "EUR")
            yield Extraction(article, claims=[Claim(
                id="c1", subject=Ref("Acme", "acme"), relation="invests_in", object=Ref("Globex", "globex"),
                amount=figure, source=None, source_chain=[], modality="asserted", polarity="positive", quote=None,
                sentence=sentence, start=0, end=len(sentence))])

    report = evaluate_folder(tmp_path, extractor=extractor, names=NAMES, with_flags=True)
    assert report.flags == Counts(gold=1, predicted=1, matched=1)
    assert evaluate_folder(tmp_path, extractor=extractor, names=NAMES).flags is None
    assert "missed flag" not in format_report(report) and "flags              1" in format_report(report)
