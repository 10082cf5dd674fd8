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
    stripped = line.strip().strip("*#_ ")
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
    >>> is_gibberish("Nvidia investit dans OpenAI.")
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
RELATED_LINKS = re.compile(r"^(à )?lire (aussi|également)|^sur le même (sujet|thème)|^articles? (similaires|liés)", re.I)


def strip_boilerplate(text: str) -> str:
    """Drop boilerplate lines, and the list of links under a "Lire aussi" heading.

    >>> strip_boilerplate("Texte utile.\\nLire aussi :\\n- Un lien\\n- Un autre\\n\\nSuite.")
    'Texte utile.\\n\\nSuite.'
    """
    kept: list[str] = []
    in_related_links = False
    for line in text.splitlines():
        if starts_comments(line):
            break
        if RELATED_LINKS.search(line.strip().strip("*#_ ")):
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
    meta = Metadata(title=doc.title, published=doc.date, publisher=doc.sitename, url=doc.url)
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
MAX_CANDIDATES = 6


def detect_encoding(data: bytes, file: str) -> tuple[str, str]:
    """The decoding of non-UTF-8 bytes that reads most like French, and its encoding name."""
    from charset_normalizer import from_bytes

    candidates: list[tuple[str, str]] = []
    for match in list(from_bytes(data))[:MAX_CANDIDATES]:
        candidates.append((str(match), match.encoding))
    try:
        cp1252 = data.decode("cp1252")
        candidates.append((cp1252, "cp1252"))
    except UnicodeDecodeError:
        cp1252 = None
    if not candidates:
        raise CorpusError(file, "binary file or unknown text encoding")
    text, encoding = min(candidates, key=lambda candidate: unlikely_in_french(candidate[0]))
    return text, "cp1252" if text == cp1252 else encoding


def unlikely_in_french(text: str) -> int:
    """How many characters of `text` French text would not hold: foreign Latin letters, controls.

    Letters of other scripts are not counted, so a Cyrillic or Greek text keeps its own encoding.

    >>> unlikely_in_french("réagi à"), unlikely_in_french("reagi ŕ"), unlikely_in_french("Привет")
    (0, 1, 0)
    """
    count = 0
    for char in UNUSUAL.findall(text):
        if char in FRENCH_LETTERS:
            continue
        if unicodedata.category(char) in ("Cc", "Cn", "Co") or char == "\ufffd":
            count += 1
        elif unicodedata.name(char, "").startswith("LATIN") and unicodedata.category(char).startswith("L"):
            count += 1
    return count


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
        raise CorpusError(file, f"text looks like language {seen!r}, not {expected!r}; kg reads French articles")


def read_manifest(folder: Path) -> dict[str, Metadata]:
    """Rows of `folder/manifest.csv` by file name; an absent manifest is an empty one."""
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
        manifest[name] = Metadata(**values)
    return manifest


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
    if suffix == ".jsonl":
        return articles_from_jsonl(text, path, encoding)
    if suffix in (".html", ".htm"):
        text, page = html_to_text(text, str(path))
        meta = merge(meta, page)
    return [article_from_text(text, file=path.name, meta=meta, encoding=encoding, markdown=suffix == ".md")]


def merge(manifest: Metadata, page: Metadata) -> Metadata:
    """The manifest wins; what it leaves empty is taken from the page."""
    fields = {k: getattr(manifest, k) or getattr(page, k) for k in Metadata.__dataclass_fields__}
    return Metadata(**fields)


def articles_from_jsonl(text: str, path: Path, encoding: str) -> list[Article]:
    articles = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{line_no}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise CorpusError(where, f"invalid JSON at column {error.colno}: {error.msg}") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise CorpusError(where, "each line needs an object with a 'text' string")
        meta = Metadata(**{k: str(record[k]) for k in Metadata.__dataclass_fields__ if record.get(k)})
        meta = merge(meta, Metadata(id=f"{slug(path.stem)}-{line_no}"))
        articles.append(article_from_text(record["text"], file=f"{path.name}#{line_no}", meta=meta, encoding=encoding))
    return articles


def find_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Metadata] | CorpusError]:
    """Article files under the given paths with their manifest rows, in a stable order."""
    for given in map(Path, paths):
        try:
            if given.is_dir():
                yield from files_in_folder(given)
            elif given.exists():
                yield given, read_manifest(given.parent).get(given.name, Metadata())
            else:
                yield CorpusError(given, "no such file or folder")
        except CorpusError as error:
            yield error


def files_in_folder(folder: Path) -> Iterator[tuple[Path, Metadata] | CorpusError]:
    manifest = read_manifest(folder)
    for name in manifest:
        if not (folder / name).is_file():
            yield CorpusError(folder / MANIFEST, f"lists {name}, which does not exist")
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        if path.suffix.lower() not in SUFFIXES:
            if not path.name.startswith("."):
                yield CorpusError(path, f"unsupported file type {path.suffix or '(none)'} (use {', '.join(SUFFIXES)})")
            continue
        yield path, manifest.get(path.relative_to(folder).as_posix(), Metadata())


def read_articles(paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | CorpusError]:
    """Every article under `paths`; a bad file yields its CorpusError and reading goes on."""
    for found in find_files(paths):
        if isinstance(found, CorpusError):
            yield found
            continue
        try:
            yield from articles_from_file(*found, max_bytes=max_bytes)
        except CorpusError as error:
            yield error
