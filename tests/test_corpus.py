"""Reading article files: encodings, formats and refusals (kg/corpus.py), without NLP.

Every refusal is a CorpusError whose str() is one line "<file>: <problem>"; the CLI prints
it as "error: <file>: <problem>" (see tests/test_reliability.py).
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.corpus import (
    CorpusError, Metadata, articles_from_file, decode, normalise_date, read_articles,
)
from kg.model import Extraction
from kg.rdf import article_graph, version_iri
from kg.vocab import KG

ARTICLE = (
    "Le groupe Norvik a annoncé lundi un investissement de 200 millions d’euros dans la société "
    "Quantix, selon Reuters. « C’est déjà un succès », a déclaré sa présidente, qui prévoit d’être "
    "rentable dès l’été prochain. Les œuvres du garçon coûtent très cher, même à Noël."
)
# Without the characters latin-1 lacks (’ « » œ): the same article as a latin-1 file can hold it.
LATIN1_ARTICLE = ARTICLE.replace("’", "'").replace("« ", '"').replace(" »", '"').replace("œ", "oe")
SHORT_ARTICLES = [
    "Économie : la Bourse de Paris a reculé à l’ouverture, après une hausse à deux chiffres en août.",
    "Le fonds français a levé 1,3 milliard d’euros ; l’opération, très attendue, a été saluée à Lyon.",
]
ENGLISH = ("The company announced on Monday a large investment of two hundred million dollars "
           "in the startup, according to Reuters, which cited people familiar with the matter.")


def read_one(path: Path, meta: Metadata = Metadata(), **options):
    articles = articles_from_file(path, meta, **options)
    assert len(articles) == 1
    return articles[0]


def refusal(path: Path, **options) -> str:
    """The one-line message the file is refused with (also checked to be what read_articles yields)."""
    with pytest.raises(CorpusError) as caught:
        articles_from_file(path, Metadata(), **options)
    (yielded,) = list(read_articles([path], **options))
    assert isinstance(yielded, CorpusError) and str(yielded) == str(caught.value)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message


# --- encodings --------------------------------------------------------------------------------

def test_utf8_with_and_without_bom_read_the_same(tmp_path):
    plain, bom = tmp_path / "plain.txt", tmp_path / "bom.txt"
    plain.write_bytes(ARTICLE.encode("utf-8"))
    bom.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    a, b = read_one(plain), read_one(bom)
    assert a.text == b.text == ARTICLE
    assert (a.encoding, b.encoding) == ("utf-8", "utf-8-sig")
    assert not b.text.startswith("\ufeff")


@pytest.mark.parametrize("text", [ARTICLE, *SHORT_ARTICLES])
def test_a_cp1252_file_yields_the_same_clean_text_as_its_utf8_twin(tmp_path, text):
    utf8, cp1252 = tmp_path / "utf8.txt", tmp_path / "cp1252.txt"
    utf8.write_bytes(text.encode("utf-8"))
    cp1252.write_bytes(text.encode("cp1252"))
    twin, detected = read_one(utf8), read_one(cp1252)
    assert detected.text == twin.text == text
    assert detected.sha256 == twin.sha256
    assert detected.encoding == "cp1252"


def test_a_latin1_file_yields_the_same_clean_text_as_its_utf8_twin(tmp_path):
    utf8, latin1 = tmp_path / "utf8.txt", tmp_path / "latin1.txt"
    utf8.write_bytes(LATIN1_ARTICLE.encode("utf-8"))
    latin1.write_bytes(LATIN1_ARTICLE.encode("latin-1"))
    detected = read_one(latin1)
    assert detected.text == read_one(utf8).text == LATIN1_ARTICLE
    assert detected.encoding in ("cp1252", "iso8859_15", "latin_1")  # identical bytes for this text


def test_cp1252_is_preferred_to_cp1250_which_charset_normalizer_guesses_for_short_french():
    """charset-normalizer alone reads "à" in this text as "ŕ" (cp1250)."""
    text, encoding = decode(SHORT_ARTICLES[1].encode("cp1252"), "a.txt")
    assert "ŕ" not in text and text == SHORT_ARTICLES[1] and encoding == "cp1252"


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(ARTICLE.encode("utf-16"))
    article = read_one(path)
    assert article.text == ARTICLE and article.encoding == "utf-16"


@pytest.mark.parametrize("broken, repaired", [
    ("Le fonds a confirmé lâ€™investissement de Norvik dans Quantix, a déclaré sa présidente.",
     "Le fonds a confirmé l’investissement de Norvik dans Quantix, a déclaré sa présidente."),
    ("La sociÃ©tÃ© a levÃ© 10 millions dâ€™euros auprÃ¨s de ses actionnaires franÃ§ais.",
     "La société a levé 10 millions d’euros auprès de ses actionnaires français."),
])
def test_mojibake_is_repaired_where_it_is_certain(tmp_path, broken, repaired):
    path = tmp_path / "mojibake.txt"
    path.write_text(broken, encoding="utf-8")
    assert read_one(path).text == repaired


def test_correct_text_is_left_alone_by_the_repair():
    careful = "Il a dit « Ã bientôt » pour rire ; le prix reste 5 € et l’écart 3 %."
    assert decode(careful.encode("utf-8"), "a.txt")[0] == careful


def test_the_encoding_is_written_to_rdf(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes(ARTICLE.encode("cp1252"))
    article = read_one(path)
    graph = article_graph(Extraction(article=article))
    assert (version_iri(article), URIRef(KG + "encoding"), Literal("cp1252")) in graph


def test_crlf_line_ends_are_normalised(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes((SHORT_ARTICLES[0] + "\r\n\r\n" + SHORT_ARTICLES[1] + "\r\n").encode("utf-8"))
    assert read_one(path).text == SHORT_ARTICLES[0] + "\n\n" + SHORT_ARTICLES[1]


# --- formats ---------------------------------------------------------------------------------

def test_markdown_is_read_as_plain_text(tmp_path):
    path = tmp_path / "article.md"
    path.write_text(f"# Norvik investit\n\n{SHORT_ARTICLES[1]} Voir [le communiqué](https://ex.fr/c) **ici**.\n",
                    encoding="utf-8")
    article = read_one(path)
    assert article.text.startswith("Norvik investit\n\n")
    assert "le communiqué ici." in article.text and "](" not in article.text and "**" not in article.text


HTML = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Norvik mise sur Quantix | Le Courrier</title>
<meta property="og:title" content="Norvik mise sur Quantix">
<meta property="og:site_name" content="Le Courrier Financier">
<meta name="author" content="Jeanne Dupont">
<meta property="article:published_time" content="2025-09-15T10:30:00+02:00">
<link rel="canonical" href="https://courrier.example/norvik-quantix">
</head><body>
<nav><a href="/">Accueil</a> <a href="/eco">Économie</a></nav>
<article><h1>Norvik mise sur Quantix</h1>
<p>{p1}</p><p>{p2}</p>
</article>
<footer>Tous droits réservés. Abonnez-vous à notre newsletter.</footer>
</body></html>"""


def test_html_gives_main_text_title_date_and_publisher(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML.format(p1=ARTICLE, p2=SHORT_ARTICLES[1]), encoding="utf-8")
    article = read_one(path)
    assert ARTICLE in article.text and SHORT_ARTICLES[1] in article.text
    assert "Accueil" not in article.text and "newsletter" not in article.text
    assert article.title == "Norvik mise sur Quantix"
    assert article.published == "2025-09-15"
    assert article.publisher == "Le Courrier Financier"
    assert article.url == "https://courrier.example/norvik-quantix"


@pytest.mark.parametrize("published, precision", [("2025-09-15", "day"), ("2025", "year")])
def test_date_precision_follows_the_form_of_the_date(tmp_path, published, precision):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert read_one(path, Metadata(published=published)).date_precision == precision


def test_the_manifest_wins_over_the_page(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML.format(p1=ARTICLE, p2=SHORT_ARTICLES[1]), encoding="utf-8")
    article = read_one(path, Metadata(published="2025-09", publisher="Autre Journal"))
    assert (article.published, article.publisher) == ("2025-09", "Autre Journal")
    assert article.title == "Norvik mise sur Quantix"


def test_html_without_a_date_leaves_published_empty(tmp_path):
    path = tmp_path / "page.html"
    page = HTML.format(p1=ARTICLE, p2=SHORT_ARTICLES[1]).replace(
        '<meta property="article:published_time" content="2025-09-15T10:30:00+02:00">', "")
    path.write_text(page, encoding="utf-8")
    assert read_one(path).published is None


def test_html_without_article_text_is_refused(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Rien</title></head><body><script>var x = 1;</script>"
                    '<img src="photo.jpg"></body></html>')
    assert refusal(path) == f"{path}: no article text found in the HTML"


@pytest.mark.parametrize("value, expected", [
    ("2025-09-15T10:30:00+02:00", "2025-09-15"), ("2025-09-15 10:30:00", "2025-09-15"),
    ("2025-09-15T08:30:00Z", "2025-09-15"), ("2025-09", "2025-09"), ("2025", "2025"),
    (" 2025-09-15 ", "2025-09-15"), ("15/09/2025", "15/09/2025"), (None, None),
])
def test_dates_from_pages_and_records_are_normalised(value, expected):
    assert normalise_date(value) == expected


def test_jsonl_gives_one_article_a_line_with_its_metadata(tmp_path):
    path = tmp_path / "feed.jsonl"
    records = [
        {"text": ARTICLE, "title": "Norvik", "published": "2025-09-15T10:30:00Z",
         "url": "https://ex.fr/1", "publisher": "Le Courrier"},
        {"text": SHORT_ARTICLES[1], "published": "2025-10", "id": "mon-id"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n", encoding="utf-8")
    first, second = articles_from_file(path, Metadata())
    assert (first.text, first.title, first.published, first.url, first.publisher) == (
        ARTICLE, "Norvik", "2025-09-15", "https://ex.fr/1", "Le Courrier")
    assert (first.id, first.file, first.encoding) == ("feed-1", "feed.jsonl#1", "utf-8")
    assert (second.id, second.published, second.date_precision) == ("mon-id", "2025-10", "month")


def test_a_bad_jsonl_line_is_refused_alone_with_file_and_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"text": ARTICLE}, ensure_ascii=False), "{not json", json.dumps({"title": "no text"}),
             json.dumps({"text": SHORT_ARTICLES[1], "published": "2025-13-40"}, ensure_ascii=False),
             json.dumps({"text": ENGLISH}), json.dumps({"text": SHORT_ARTICLES[0]}, ensure_ascii=False)]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_articles([path]))
    assert [item.id for item in items if not isinstance(item, CorpusError)] == ["feed-1", "feed-6"]
    assert [str(item) for item in items if isinstance(item, CorpusError)] == [
        f"{path}:2: invalid JSON at column 2: Expecting property name enclosed in double quotes",
        f"{path}:3: each line needs an object with a 'text' string",
        f"{path}:4: published date '2025-13-40' does not exist",
        f"{path}:5: text looks like English (en), not French (fr); kg reads French articles",
    ]
    with pytest.raises(CorpusError, match=r"feed.jsonl:2: invalid JSON"):
        articles_from_file(path, Metadata())


def test_unknown_extensions_are_refused(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04 whatever")
    assert refusal(path) == f"{path}: unsupported file type .docx (use .txt, .md, .html, .htm, .jsonl)"
    bare = tmp_path / "README"
    bare.write_text(ARTICLE)
    assert "unsupported file type (none)" in refusal(bare)


# --- refusals ----------------------------------------------------------------------------------

def test_empty_and_blank_files_are_refused(tmp_path):
    for name, content in (("empty.txt", b""), ("blank.md", b"  \n\t\n")):
        path = tmp_path / name
        path.write_bytes(content)
        assert refusal(path) == f"{path}: empty file"


def test_binary_files_are_refused(tmp_path):
    with_nul = tmp_path / "image.txt"
    with_nul.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert refusal(with_nul) == f"{with_nul}: binary file, not text"
    noise = tmp_path / "noise.txt"
    rng = random.Random(7)
    noise.write_bytes(bytes(rng.randrange(1, 256) for _ in range(4000)))  # no NUL byte
    assert refusal(noise).startswith(f"{noise}: binary file")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(ARTICLE * 10, encoding="utf-8")
    size = path.stat().st_size
    assert refusal(path, max_bytes=1000) == f"{path}: file is {size} bytes, over the limit of 1000 (--max-bytes)"
    assert read_one(path, max_bytes=size).text


@pytest.mark.parametrize("text, encoding, seen", [
    (ENGLISH, "utf-8", "English (en)"),
    ("Das Unternehmen hat am Montag eine Investition von zweihundert Millionen Euro angekündigt, "
     "berichtete Reuters unter Berufung auf informierte Kreise.", "utf-8", "German (de)"),
    ("Компания объявила в понедельник об инвестициях в размере двухсот миллионов евро, "
     "сообщает агентство Рейтер.", "cp1251", "Russian (ru)"),
])
def test_text_that_is_not_french_is_refused_naming_the_language_seen(tmp_path, text, encoding, seen):
    path = tmp_path / "foreign.txt"
    path.write_bytes(text.encode(encoding))
    assert refusal(path) == f"{path}: text looks like {seen}, not French (fr); kg reads French articles"


def test_a_manifest_row_for_a_missing_file_is_refused_with_its_line(tmp_path):
    (tmp_path / "present.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,id,published\npresent.txt,p,2025-09-15\nmissing.txt,m,2025-09\n")
    items = list(read_articles([tmp_path]))
    assert [str(i) for i in items if isinstance(i, CorpusError)] == [
        f"{tmp_path / 'manifest.csv'}:3: lists missing.txt, which does not exist"]
    assert [(a.id, a.published) for a in items if not isinstance(a, CorpusError)] == [("p", "2025-09-15")]


@pytest.mark.parametrize("date, problem", [
    ("2025-13-40", "published date '2025-13-40' does not exist"),
    ("2025-02-30", "published date '2025-02-30' does not exist"),
    ("15/09/2025", "published date '15/09/2025' is not YYYY, YYYY-MM or YYYY-MM-DD"),
])
def test_a_manifest_row_with_an_impossible_date_keeps_its_file_out(tmp_path, date, problem):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(SHORT_ARTICLES[1], encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(f"file,id,published\ngood.txt,g,2025-09\nbad.txt,b,{date}\n")
    expected = f"{tmp_path / 'manifest.csv'}:3: {problem} (bad.txt not ingested)"
    items = list(read_articles([tmp_path]))
    assert [str(i) for i in items if isinstance(i, CorpusError)] == [expected]
    assert [a.id for a in items if not isinstance(a, CorpusError)] == ["g"]
    # the same when the file is named on its own
    assert [str(i) for i in read_articles([tmp_path / "bad.txt"])] == [expected]


def test_a_missing_path_is_one_line(tmp_path):
    assert [str(i) for i in read_articles([tmp_path / "nope"])] == [f"{tmp_path / 'nope'}: no such file or folder"]


def test_bad_files_do_not_stop_the_others(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(SHORT_ARTICLES[1].encode("cp1252"))
    (tmp_path / "d.bin").write_bytes(b"\x00")
    items = list(read_articles([tmp_path]))
    assert [getattr(i, "file", None) for i in items] == ["a.txt", str(tmp_path / "b.txt"), "c.txt", str(tmp_path / "d.bin")]


# --- boilerplate ------------------------------------------------------------------------------

BODY = "Acme a racheté Globex pour 12 millions d’euros, a annoncé lundi le groupe."


@pytest.mark.parametrize("junk", [
    "Temps de lecture : 3 min · Partager : [X] [LinkedIn] [E-mail]",
    "Ce site utilise des cookies pour vous offrir la meilleure expérience. [J'accepte] [Personnaliser]",
    "Nous utilisons des cookies pour mesurer l'audience. [Accepter] [Refuser]",
    "Accueil · Économie · Entreprises · Mon compte",
    "Newsletter — Toute l'actu chaque lundi dans votre boîte mail. [Je m'inscris]",
    "Prochain match — Acme FC – Globex United, samedi 21 h · Billetterie",
    "*Avertissement : ce communiqué contient des déclarations prospectives soumises à des risques.*",
    "(Version corrigée : rectifie le montant au deuxième paragraphe)",
    "(Corrige la date de l’assemblée générale)",
])
def test_page_furniture_lines_are_dropped(tmp_path, junk):
    path = tmp_path / "a.md"
    path.write_text(f"{junk}\n\n{BODY}\n\n{junk}\n", encoding="utf-8")
    assert read_one(path).text == BODY


@pytest.mark.parametrize("heading", ["**À propos d’Acme**", "À propos de Globex Industries", "**Contacts presse**"])
def test_a_press_release_about_section_and_what_follows_are_dropped(tmp_path, heading):
    path = tmp_path / "a.md"
    path.write_text(f"{BODY}\n\n{heading}\nAcme conçoit des robots. Pour en savoir plus : acme.example\n\n"
                    "Relations investisseurs : ir@acme.example\n", encoding="utf-8")
    assert read_one(path).text == BODY


@pytest.mark.parametrize("sentence", [
    "À propos de la fusion, le PDG d’Acme s’est montré prudent.",
    "Acme utilise des cookies de fortune chance pour son marketing, selon le journal.",
    "Le groupe a publié une version corrigée de ses comptes, a indiqué Acme.",
])
def test_article_sentences_that_look_like_furniture_are_kept(tmp_path, sentence):
    path = tmp_path / "a.md"
    path.write_text(f"{BODY}\n\n{sentence}\n", encoding="utf-8")
    assert read_one(path).text == f"{BODY}\n\n{sentence}"
