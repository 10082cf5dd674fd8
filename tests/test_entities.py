"""Entity rules on blank French pipelines: gazetteer, NER filter, label corrections."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from kg.nlp.entities import add_gazetteer_ruler, entities_of, filter_entities


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.blank("fr")
    pipeline.add_pipe("sentencizer")
    return pipeline


def with_ner(nlp, text: str, *ents: tuple[str, str]):
    """A Doc whose entities are set as a statistical NER would, then filtered by kg."""
    doc = nlp(text)
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = spans
    return filter_entities(doc)


def labels(doc) -> list[tuple[str, str]]:
    return [(ent.text, ent.label_) for ent in doc.ents]


def test_gazetteer_aliases_share_one_id_and_wikidata():
    pipeline = spacy.blank("fr")
    add_gazetteer_ruler(pipeline)
    found = entities_of(pipeline("Le Wall Street Journal et le WSJ citent Reuters."))
    assert [(e.text, e.id, e.wikidata) for e in found] == [
        ("Wall Street Journal", "wall-street-journal", "Q164746"),
        ("WSJ", "wall-street-journal", "Q164746"),
        ("Reuters", "reuters", "Q130879"),
    ]


def test_table_residue_and_dangling_particles_are_not_names(nlp):
    doc = with_ner(nlp, "| Entreprise | Montant |\nLa Bourse de Milan a baissé.",
                   ("Entreprise | Montant", "ORG"), ("Bourse de", "ORG"))
    assert labels(doc) == []


def test_a_cue_word_sets_the_label(nlp):
    doc = with_ner(nlp, "Le groupe confie ses serveurs à l'hébergeur français Quantix.", ("Quantix", "MISC"))
    assert labels(doc) == [("Quantix", "ORG")]


def test_a_list_after_a_product_cue_is_all_products(nlp):
    text = "Le studio vend les franchises Alpha Quest, Beta Run et Gamma Strike."
    doc = with_ner(nlp, text, ("Alpha Quest", "MISC"), ("Beta Run", "ORG"), ("Gamma Strike", "MISC"))
    assert labels(doc) == [("Alpha Quest", "PRODUCT"), ("Beta Run", "PRODUCT"), ("Gamma Strike", "PRODUCT")]


def test_a_lone_surname_is_a_company_unless_the_full_name_came_first(nlp):
    doc = with_ner(nlp, "Brakmor rachète Helvion, a dit Jeanne Brakmor. Brakmor confirme.",
                   ("Helvion", "PER"), ("Jeanne Brakmor", "PER"))
    assert labels(doc) == [("Helvion", "ORG"), ("Jeanne Brakmor", "PER")]


def test_company_suffixes_make_an_organisation(nlp):
    doc = with_ner(nlp, "Norvik Partners investit.", ("Norvik Partners", "MISC"))
    assert labels(doc) == [("Norvik Partners", "ORG")]


def test_one_label_per_name_in_a_document(nlp):
    doc = nlp("Sylvane monte. Puis Sylvane baisse. Enfin Sylvane rebondit.")
    doc.ents = [Span(doc, 0, 1, label="ORG"), Span(doc, 4, 5, label="MISC"), Span(doc, 8, 9, label="ORG")]
    assert {ent.label_ for ent in filter_entities(doc).ents} == {"ORG"}


def test_a_quoted_plan_keeps_its_year(nlp):
    doc = with_ner(nlp, "Le plan « Horizon Vert 2030 » est lancé.", ("Horizon Vert", "MISC"))
    assert labels(doc) == [("Horizon Vert 2030", "MISC")]


def test_institutions_keep_their_lowercase_words(nlp):
    doc = with_ner(nlp, "La Commission européenne enquête.", ("Commission européenne", "MISC"))
    assert labels(doc) == [("Commission européenne", "ORG")]


def test_a_name_run_into_its_verb_is_cut_back():
    pipeline = spacy.blank("fr")
    doc = pipeline("Quantix traîne des pieds.")
    doc[1].pos_ = "VERB"
    doc.ents = [Span(doc, 0, 4, label="ORG")]
    assert labels(filter_entities(doc)) == [("Quantix", "ORG")]


def test_first_column_of_a_table_of_companies(nlp):
    text = "Les cours :\n| Valeur | Variation |\n|---|---|\n| Brakmor | +2,7 % |\n| Sylvane Bio | -1 % |\n"
    assert labels(with_ner(nlp, text)) == [("Brakmor", "ORG"), ("Sylvane Bio", "ORG")]
