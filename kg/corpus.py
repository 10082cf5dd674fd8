"""Read article files into `Article`s: decode, extract, strip boilerplate, attach metadata.

The clean text produced here is the text every offset in kg points into.

>>> article = article_from_text("Le groupe a levé 10 millions d'euros.\\n\\nLaisser un commentaire", file="a.txt")
>>> article.text
"Le groupe a levé 10 millions d'euros."
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable, Iterator

from kg import extra_ontology_path, ontology_path
from kg.model import Article

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
MANIFEST = "manifest.csv"
MANIFEST_FIELDS = ("file", "id", "title", "published", "publisher", "url", "lang")
DEFAULT_MAX_BYTES = 5_000_000
DATE_FORMS = (r"\d{4}", r"\d{4}-\d{2}", r"\d{4}-\d{2}-\d{2}")


class CorpusError(Exception):
    """A file kg cannot read; str() is one line naming the file and the problem."""

    def __init__(self, file: str | Path, problem: str):
        super().__init__(f"{file}: {problem}")
        self.file = str(file)
        self.problem = problem


@dataclass(frozen=True)
class Metadata:
    """What the manifest (or the file itself) says about an article."""

    id: str | None = None
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    url: str | None = None
    lang: str | None = None


# -- boilerplate ---------------------------------------------------------------------------

@cache
def boilerplate_patterns(kind: str = "line_patterns") -> tuple[re.Pattern, ...]:
    """Patterns of one kind from ontology/boilerplate.json (plus the user's extension)."""
    paths = [ontology_path("boilerplate.json"), extra_ontology_path("boilerplate.json")]
    patterns: list[str] = []
    for path in filter(None, paths):
        patterns += json.loads(path.read_text(encoding="utf-8")).get(kind, [])
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def starts_comments(line: str) -> bool:
    """A comment section's heading or form: nothing after it is the article."""
    stripped = line.strip().strip("*#_[] ")
    return any(p.search(stripped) for p in boilerplate_patterns("end_patterns"))


@cache
def function_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def is_gibberish(line: str) -> bool:
    """A line of repeated tokens with no French function word ("toto toto 4d TOTO").

    >>> is_gibberish("toto toto toto 4d ROGTOTO rogtoto")
    True
    >>> is_gibberish("blorp zzkx frambouille qwxx tralala")
    True
    >>> is_gibberish("Veolia investit dans Legrand.")
    False
    """
    words = re.findall(r"\w+", line.lower())
    if len(words) < 3 or any(w in function_words() for w in words):
        return False
    if len(set(words)) / len(words) <= 0.6:
        return True
    return len(words) >= 4 and line.strip() == line.strip().lower() and not re.search(r"[.!?:;,]", line)


def is_boilerplate(line: str) -> bool:
    stripped = line.strip()
    return any(p.search(stripped) for p in boilerplate_patterns()) or is_gibberish(stripped)


LIST_ITEM = re.compile(r"^\s*([-*•·]|\d+[.)])\s+")


def heads_link_list(line: str) -> bool:
    """"Lire aussi", "Les plus lus"…: a heading over links to other articles."""
    stripped = line.strip().strip("*#_ ")
    return any(p.search(stripped) for p in boilerplate_patterns("link_list_headings"))


def strip_boilerplate(text: str) -> str:
    """Drop boilerplate lines, the list of links under a "Lire aussi" heading, and everything
    from the comment section on.

    >>> strip_boilerplate("Texte utile.\\nLire aussi :\\n- Un lien\\n- Un autre\\n\\nSuite.")
    'Texte utile.\\n\\nSuite.'
    >>> strip_boilerplate("Texte.\\nLes plus lus\\n1. Un titre\\n2. Un autre\\n\\nSuite.\\nCommentaires (2)\\nx : spam 300 %")
    'Texte.\\n\\nSuite.'
    """
    kept: list[str] = []
    in_related_links = False
    for line in text.splitlines():
        if starts_comments(line):
            break
        if heads_link_list(line):
            in_related_links = True
            continue
        in_related_links = in_related_links and bool(LIST_ITEM.match(line))
        if not in_related_links and not is_boilerplate(line):
            kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


# -- text formats --------------------------------------------------------------------------

MARKDOWN_INLINE = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"^#{1,6}\s+", re.MULTILINE), ""),
    (re.compile(r"^>\s?", re.MULTILINE), ""),
)


def markdown_to_text(text: str) -> str:
    """Plain text of Markdown, keeping tables (they are read as rows of claims).

    >>> markdown_to_text("## Titre\\nVoir [le site](http://x.fr) **vite**.")
    'Titre\\nVoir le site vite.'
    """
    for pattern, replacement in MARKDOWN_INLINE:
        text = pattern.sub(replacement, text)
    return text


def html_to_text(html: str, file: str) -> tuple[str, Metadata]:
    """Main text and metadata of an HTML page, with trafilatura."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if doc is None or not (doc.text or "").strip():
        raise CorpusError(file, "no article text found in the HTML")
    meta = Metadata(title=doc.title, published=page_date(doc.date), publisher=doc.sitename or doc.hostname,
                    url=doc.url)
    return doc.text, meta


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Text and encoding name of raw bytes: UTF-8 (with or without BOM) first, then detection.

    Detection asks charset-normalizer for its candidates and keeps the one that reads most
    like French (fewest letters French does not use, no control characters), because short
    Western texts are often taken for cp1250 ("à" read as "ŕ"). A file that is valid cp1252
    or latin-1 either way is reported as cp1252, its superset.

    >>> decode("Le président a réagi à l’annonce.".encode("cp1252"), "a.txt")
    ('Le président a réagi à l’annonce.', 'cp1252')
    >>> decode(b"\\xef\\xbb\\xbfBonjour", "a.txt")
    ('Bonjour', 'utf-8-sig')
    """
    if not data.strip():
        raise CorpusError(file, "empty file")
    for bom, encoding in UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return repair(checked_text(data.decode(encoding), file)), encoding
            except UnicodeDecodeError:
                raise CorpusError(file, f"starts with a {encoding} byte order mark but is not {encoding}") from None
    if b"\x00" in data[:4096]:
        raise CorpusError(file, "binary file, not text")
    try:
        return repair(checked_text(data.decode("utf-8"), file)), "utf-8"
    except UnicodeDecodeError:
        pass
    text, encoding = detect_encoding(data, file)
    return repair(checked_text(text, file)), encoding


UNICODE_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
FRENCH_LETTERS = frozenset("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ")
NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
UNUSUAL = re.compile(r"[^\t\n\r\f\x20-\x7e]")
RARE_SYMBOLS = frozenset("¤¦¨¬¯´¸¹³¾¿\ufffd")
ASCII_LETTERS = re.compile(r"[A-Za-z]")
MAX_CANDIDATES = 6


def detect_encoding(data: bytes, file: str) -> tuple[str, str]:
    """The decoding of non-UTF-8 bytes that reads most like French, and its encoding name."""
    from charset_normalizer import from_bytes

    candidates: list[tuple[str, str]] = []
    for match in list(from_bytes(data))[:MAX_CANDIDATES]:
        candidates.append((str(match), match.encoding))
    cp1252 = None
    for encoding in ("cp1252", "iso8859_15"):  # the Western encodings French files are written in
        try:
            candidates.append((data.decode(encoding), encoding))
        except UnicodeDecodeError:
            continue
        cp1252 = candidates[-1][0] if encoding == "cp1252" else cp1252
    if not candidates:
        raise CorpusError(file, "binary file or unknown text encoding")
    candidates.sort(key=lambda candidate: candidate[1] != "cp1252")  # French first on a tie
    text, encoding = min(candidates, key=lambda candidate: unlikely_in_french(candidate[0]))
    return text, "cp1252" if text == cp1252 else encoding


def unlikely_in_french(text: str) -> int:
    """How many characters of `text` French text would not hold: foreign Latin letters,
    controls, rare symbols, and letters of another script mixed into a Latin text.

    A text mostly in another script (Cyrillic, Greek…) is not penalised for it, so it keeps
    its own encoding (and is then refused for its language, with the right name).

    >>> unlikely_in_french("réagi à"), unlikely_in_french("reagi ŕ"), unlikely_in_french("Привет")
    (0, 1, 0)
    >>> unlikely_in_french("Зa coыte 5 ¤.")
    3
    """
    count = latin = other = 0
    for char in UNUSUAL.findall(text):
        category = unicodedata.category(char)
        if char in FRENCH_LETTERS:
            latin += 1
        elif category in ("Cc", "Cn", "Co") or char in RARE_SYMBOLS:
            count += 1
        elif category.startswith("L"):
            if unicodedata.name(char, "").startswith("LATIN"):
                latin += 1
                count += 1
            else:
                other += 1
    latin += len(ASCII_LETTERS.findall(text))
    return count + (other if other < latin else 0)


def checked_text(text: str, file: str) -> str:
    """Refuse decoded text that is mostly not text (a binary file without NUL bytes)."""
    sample = text[:20000]
    if sample and len(NOT_TEXT.findall(sample)) > 0.02 * len(sample):
        raise CorpusError(file, "binary file, not text")
    return text


def repair(text: str) -> str:
    """Mojibake repaired by ftfy where it is sure; line ends and Unicode normalised."""
    import ftfy

    text = ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False, normalization="NFC")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- metadata ------------------------------------------------------------------------------

def check_date(value: str | None, file: str) -> str | None:
    """A manifest date as YYYY, YYYY-MM or YYYY-MM-DD, checked for being a real date."""
    if not value:
        return None
    value = value.strip()
    if not any(re.fullmatch(form, value) for form in DATE_FORMS):
        raise CorpusError(file, f"published date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        raise CorpusError(file, f"published date {value!r} does not exist") from None
    return value


def check_language(text: str, file: str, *, expected: str) -> None:
    """Refuse text in another language than the pipeline reads (py3langid)."""
    import py3langid

    seen, _ = py3langid.classify(text[:5000])
    if len(text) >= 40 and seen != expected:
        raise CorpusError(file, f"text looks like {language_name(seen)}, not {language_name(expected)}; "
                                "kg reads French articles")


LANGUAGE_NAMES = {"fr": "French", "en": "English", "de": "German", "es": "Spanish", "it": "Italian",
                  "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "ru": "Russian", "ar": "Arabic",
                  "zh": "Chinese", "ja": "Japanese", "el": "Greek", "tr": "Turkish", "ro": "Romanian"}


def language_name(code: str) -> str:
    """'English (en)' for a language code; the bare code when its name is not known.

    >>> language_name("en"), language_name("xx")
    ('English (en)', "language 'xx'")
    """
    name = LANGUAGE_NAMES.get(code)
    return f"{name} ({code})" if name else f"language {code!r}"


def read_manifest(folder: Path) -> dict[str, Metadata]:
    """Rows of `folder/manifest.csv` by file name; an absent manifest is an empty one."""
    return {name: meta for name, (_, meta) in manifest_rows(folder).items()}


def manifest_rows(folder: Path) -> dict[str, tuple[int, Metadata]]:
    """Rows of `folder/manifest.csv` by file name, with their line numbers (the header is line 1)."""
    path = folder / MANIFEST
    if not path.exists():
        return {}
    text, _ = decode(path.read_bytes(), str(path))
    rows = list(csv.DictReader(text.splitlines()))
    if rows and "file" not in rows[0]:
        raise CorpusError(path, "manifest has no 'file' column (header: file,id,title,published,publisher,url,lang)")
    manifest = {}
    for line, row in enumerate(rows, start=2):
        name = (row.get("file") or "").strip()
        if not name:
            raise CorpusError(f"{path}:{line}", "row without a file name")
        values = {k: (row.get(k) or "").strip() or None for k in MANIFEST_FIELDS[1:]}
        manifest[name] = (line, Metadata(**values))
    return manifest


def checked_row(folder: Path, name: str, row: tuple[int, Metadata] | None) -> Metadata | CorpusError:
    """A file's manifest row, or the error that keeps the file out (a date that cannot be right)."""
    if row is None:
        return Metadata()
    line, meta = row
    try:
        check_date(meta.published, name)
    except CorpusError as error:
        return CorpusError(f"{folder / MANIFEST}:{line}", f"{error.problem} ({name} not ingested)")
    return meta


def normalise_date(value: str | None) -> str | None:
    """The date part of an ISO date-time read from a page or a JSON record; other text unchanged.

    >>> normalise_date("2025-09-15T10:00:00+02:00"), normalise_date(" 2025-09 "), normalise_date("hier")
    ('2025-09-15', '2025-09', 'hier')
    """
    if value is None:
        return None
    found = re.fullmatch(r"\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:[T ][\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?\s*", value)
    return found.group(1) if found else value.strip()


def page_date(value: str | None) -> str | None:
    """A date found in a page as YYYY-MM-DD (or YYYY-MM, YYYY); None when it is not a real date.

    >>> page_date("2025-09-15T10:00:00Z"), page_date("2025-13-40"), page_date(None)
    ('2025-09-15', None, None)
    """
    try:
        return check_date(normalise_date(value), "page")
    except CorpusError:
        return None


def slug(text: str) -> str:
    """An IRI-safe identifier.

    >>> slug("Le Monde / Économie 2025")
    'le-monde-economie-2025'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def article_from_text(text: str, *, file: str, meta: Metadata = Metadata(), encoding: str | None = None,
                      markdown: bool = False) -> Article:
    """An Article from raw text: boilerplate stripped, metadata attached."""
    clean = strip_boilerplate(markdown_to_text(text) if markdown else text)
    if not clean:
        raise CorpusError(file, "no article text left once boilerplate is removed")
    check_language(clean, file, expected=meta.lang or "fr")
    return Article(
        id=meta.id or slug(Path(file).stem), text=clean, file=Path(file).name, title=meta.title,
        published=check_date(meta.published, file), publisher=meta.publisher, url=meta.url,
        lang=meta.lang or "fr", encoding=encoding,
    )


# -- files ---------------------------------------------------------------------------------

def articles_from_file(path: Path, meta: Metadata, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """The article(s) in one file; raises CorpusError for anything a user must fix."""
    articles = []
    for item in items_from_file(path, meta, max_bytes=max_bytes):
        if isinstance(item, CorpusError):
            raise item
        articles.append(item)
    return articles


def items_from_file(path: Path, meta: Metadata, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | CorpusError]:
    """The article(s) in one file, or the errors that keep them out: a JSONL file yields one
    item per line, so a bad line is refused alone; any other file is one article or one error."""
    try:
        text, encoding, suffix = read_text_file(path, max_bytes=max_bytes)
        if suffix == ".jsonl":
            yield from jsonl_items(text, path, encoding)
            return
        if suffix in (".html", ".htm"):
            text, page = html_to_text(text, str(path))
            meta = merge(meta, page)
        yield article_from_text(text, file=str(path), meta=meta, encoding=encoding, markdown=suffix == ".md")
    except CorpusError as error:
        yield error


def read_text_file(path: Path, *, max_bytes: int) -> tuple[str, str, str]:
    """Decoded text, encoding and lower-case suffix of an article file, checked for type and size."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CorpusError(path, f"unsupported file type {suffix or '(none)'} (use {', '.join(SUFFIXES)})")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise CorpusError(path, f"file is {size} bytes, over the limit of {max_bytes} (--max-bytes)")
        text, encoding = decode(path.read_bytes(), str(path))
    except OSError as error:
        raise CorpusError(path, error.strerror or str(error)) from None
    return text, encoding, suffix


def merge(manifest: Metadata, page: Metadata) -> Metadata:
    """The manifest wins; what it leaves empty is taken from the page."""
    fields = {k: getattr(manifest, k) or getattr(page, k) for k in Metadata.__dataclass_fields__}
    return Metadata(**fields)


def articles_from_jsonl(text: str, path: Path, encoding: str) -> list[Article]:
    """The articles of a JSONL file (one object a line); the first bad line raises its CorpusError."""
    articles = []
    for item in jsonl_items(text, path, encoding):
        if isinstance(item, CorpusError):
            raise item
        articles.append(item)
    return articles


JSONL_FIELDS = ("id", "title", "published", "publisher", "url", "lang")


def jsonl_items(text: str, path: Path, encoding: str) -> Iterator[Article | CorpusError]:
    """Each line's article, or its error named `file:line`; blank lines are skipped."""
    for line_no, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield jsonl_article(line, path, line_no, encoding)
            except CorpusError as error:
                yield error


def jsonl_article(line: str, path: Path, line_no: int, encoding: str) -> Article:
    where = f"{path}:{line_no}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise CorpusError(where, f"invalid JSON at column {error.colno}: {error.msg}") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise CorpusError(where, "each line needs an object with a 'text' string")
    values = {k: str(record[k]).strip() for k in JSONL_FIELDS if record.get(k) not in (None, "")}
    values["published"] = normalise_date(values.get("published"))
    meta = merge(Metadata(**values), Metadata(id=f"{slug(path.stem)}-{line_no}"))
    try:
        return article_from_text(record["text"], file=f"{path.name}#{line_no}", meta=meta, encoding=encoding)
    except CorpusError as error:
        raise CorpusError(where, error.problem) from None


def find_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Metadata] | CorpusError]:
    """Article files under the given paths with their manifest rows, in a stable order."""
    for given in map(Path, paths):
        try:
            if given.is_dir():
                yield from files_in_folder(given)
            elif given.exists():
                row = checked_row(given.parent, given.name, manifest_rows(given.parent).get(given.name))
                yield row if isinstance(row, CorpusError) else (given, row)
            else:
                yield CorpusError(given, "no such file or folder")
        except CorpusError as error:
            yield error
        except OSError as error:
            yield CorpusError(getattr(error, "filename", None) or given, error.strerror or str(error))


def files_in_folder(folder: Path) -> Iterator[tuple[Path, Metadata] | CorpusError]:
    rows = manifest_rows(folder)
    for name, (line, _) in rows.items():
        if not (folder / name).is_file():
            yield CorpusError(f"{folder / MANIFEST}:{line}", f"lists {name}, which does not exist")
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        if path.suffix.lower() not in SUFFIXES:
            if not path.name.startswith("."):
                yield CorpusError(path, f"unsupported file type {path.suffix or '(none)'} (use {', '.join(SUFFIXES)})")
            continue
        name = path.relative_to(folder).as_posix()
        row = checked_row(folder, name, rows.get(name))
        yield row if isinstance(row, CorpusError) else (path, row)


def read_articles(paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | CorpusError]:
    """Every article under `paths`; a bad file (or JSONL line) yields its CorpusError and reading goes on."""
    for found in find_files(paths):
        if isinstance(found, CorpusError):
            yield found
        else:
            yield from items_from_file(*found, max_bytes=max_bytes)
