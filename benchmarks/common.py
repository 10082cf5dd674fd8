"""Shared helpers of the benchmarks: timing and medians, tables, generated French articles,
generated stores in the shape kg/rdf.py writes, child processes with their peak memory,
and an Oxigraph server on a copy of a store.

Nothing here names an entity, outlet or sentence of the corpus: articles are recombined
from the sentences of corpus/*.txt, tests/gold/**/*.txt and tests/fixtures/**/*.txt, with
the gazetteer's organisation names swapped and the numbers changed.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("KG_BENCH_CACHE", Path(tempfile.gettempdir()) / "kg-bench"))
PUBLISHERS = ("Le Quotidien de l'Éco", "La Gazette Tech", "Courrier Financier", "L'Observateur Industriel",
              "Revue des Marchés", "Le Journal du Numérique")
SYLLABLES = ("ver", "no", "ka", "lis", "tra", "mon", "zé", "phy", "ra", "qua", "dor", "vi", "lu", "mé",
             "ax", "el", "sol", "tek", "bri", "an", "or", "ion", "sy", "gna")
SUFFIXES = ("", "", "", " Technologies", " Systems", " Capital", " Group", " AI", " Semiconducteurs", " Énergie")


# -- timing -------------------------------------------------------------------------------------

def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def timed(function: Callable, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def repeat(function: Callable[[], object], runs: int, *, warmup: int = 0) -> list[float]:
    """Wall times (s) of `runs` calls after `warmup` untimed calls."""
    for _ in range(warmup):
        function()
    return [timed(function)[0] for _ in range(runs)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_table(rows: list[dict], columns: list[str] | None = None, *, title: str | None = None) -> None:
    columns = columns or list(rows[0]) if rows else []
    cells = [[str(row.get(c, "")) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    if title:
        print(f"\n{title}")
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())
    sys.stdout.flush()


def environment() -> str:
    import platform

    return (f"python {platform.python_version()}, {os.cpu_count()} cpu(s), "
            f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())} before the run")


def _spin(loops: int) -> float:
    start = time.perf_counter()
    total = 0
    for i in range(loops):
        total += i * i
    return time.perf_counter() - start


def parallel_capacity(loops: int = 2_000_000, rounds: int = 3) -> float:
    """How many cores this machine gives right now: the speed-up of 2 processes over 1 on pure
    CPU work (median of `rounds` alternated measurements).

    2.0 on two idle cores; less when other programs share them.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    ratios = []
    with context.Pool(2) as pool:
        for _ in range(rounds):
            one = _spin(loops)
            start = time.perf_counter()
            pool.map(_spin, [loops, loops])
            ratios.append(2 * one / (time.perf_counter() - start))
    return median(ratios)


# -- memory ----------------------------------------------------------------------------------------

def rss_mb() -> float:
    """Resident set size of this process now (MB)."""
    with open("/proc/self/statm") as stat:
        return int(stat.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def max_rss_mb() -> float:
    """Peak RSS of this process so far (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RssSampler:
    """Samples this process's RSS from a thread every `interval` seconds; `mark()` starts a new phase."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.peaks: list[float] = [0.0]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peaks[-1] = max(self.peaks[-1], rss_mb())
            self._stop.wait(self.interval)

    def mark(self) -> None:
        self.peaks[-1] = max(self.peaks[-1], rss_mb())
        self.peaks.append(rss_mb())

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self.peaks[-1] = max(self.peaks[-1], rss_mb())


@dataclass
class ChildRun:
    seconds: float
    max_rss_mb: float  # peak RSS of the child itself (VmHWM), not counting its own children
    tree_rss_mb: float  # peak of the summed RSS of the child and its descendants (sampled)
    returncode: int
    stdout: bytes
    stderr: bytes
    cpu_seconds: float = 0.0  # user + system time of the child and the children it reaped (wait4)


def _proc_status_mb(pid: int, field: str) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def run_child(command: list[str], *, cwd: str | Path | None = None, env: dict | None = None,
              stdout=subprocess.PIPE, interval: float = 0.05) -> ChildRun:
    """Run a command; its wall time and its peak memory.

    ru_maxrss from wait4 cannot be used: Linux keeps the high-water mark of the forking
    parent across exec, so a child of a big process reports the parent's size. The child's
    own VmHWM (from /proc, polled until it exits) and the summed RSS of its process tree are
    used instead.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE)
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    threads = []
    for stream, chunks in ((process.stdout, out_chunks), (process.stderr, err_chunks)):
        if stream is not None:
            reader = threading.Thread(target=lambda s=stream, c=chunks: c.append(s.read()), daemon=True)
            reader.start()
            threads.append(reader)
    peaks = {"hwm": 0.0, "tree": 0.0}
    finished = threading.Event()

    def poll() -> None:
        tick = 0
        while not finished.is_set():
            peaks["hwm"] = max(peaks["hwm"], _proc_status_mb(process.pid, "VmHWM"))
            if tick % 4 == 0:  # the tree every 4th poll: listing /proc costs more
                tree = [process.pid] + _descendants(process.pid)
                peaks["tree"] = max(peaks["tree"], sum(_proc_status_mb(p, "VmRSS") for p in tree))
            tick += 1
            finished.wait(interval)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    # wait for exit without reaping, so that /proc/<pid> stays readable to the last moment
    os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    peaks["hwm"] = max(peaks["hwm"], _proc_status_mb(process.pid, "VmHWM"))
    finished.set()
    poller.join()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    for reader in threads:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(seconds, peaks["hwm"], max(peaks["tree"], peaks["hwm"]), process.returncode,
                    b"".join(out_chunks), b"".join(err_chunks), usage.ru_utime + usage.ru_stime)


# -- generated articles ----------------------------------------------------------------------------

SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+(?=[«\"A-ZÀ-ÖØ-Þ0-9])")
NUMBER = re.compile(r"\d+")
YEAR = re.compile(r"(?:19|20)\d\d")


def source_texts() -> list[str]:
    files = sorted(ROOT.glob("corpus/*.txt")) + sorted(ROOT.glob("tests/gold/**/*.txt"))
    files += sorted(ROOT.glob("tests/fixtures/**/*.txt"))
    return [path.read_text(encoding="utf-8", errors="replace") for path in files]


def source_sentences() -> list[str]:
    """Sentences of the project's own articles that read as prose (at least 6 words, ending with a stop)."""
    from kg.corpus import is_boilerplate

    found: list[str] = []
    for text in source_texts():
        for line in text.splitlines():
            for sentence in SENTENCE_END.split(line.strip()):
                sentence = sentence.strip()
                if len(sentence.split()) >= 6 and sentence[-1] in ".!?…»\"" and not is_boilerplate(sentence):
                    found.append(sentence)
    return list(dict.fromkeys(found))


def organisation_names() -> list[str]:
    """Names and aliases of the gazetteer's organisations, longest first."""
    names: set[str] = set()
    for line in (ROOT / "ontology" / "gazetteer.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            if entry.get("label") == "ORG":
                names.update([entry["name"], *entry.get("aliases", [])])
    return sorted((n for n in names if len(n) >= 3), key=len, reverse=True)


def invented_company(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    return word.capitalize() + rng.choice(SUFFIXES)


class ArticleMaker:
    """Distinct French articles recombined from the project's sentences (deterministic for a seed)."""

    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        self.sentences = source_sentences()
        self.known = organisation_names()
        self.names = re.compile(r"\b(" + "|".join(map(re.escape, self.known)) + r")\b")
        self.seen: set[str] = set()

    def text(self, words: int) -> str:
        rng = self.rng
        swap: dict[str, str] = {}

        def company(match: re.Match) -> str:
            name = match.group(1)
            if name not in swap:
                swap[name] = rng.choice(self.known) if rng.random() < 0.3 else invented_company(rng)
            return swap[name]

        def number(match: re.Match) -> str:
            digits = match.group(0)
            if len(digits) == 4 and YEAR.fullmatch(digits):
                return str(rng.choice((2024, 2025, 2026)))
            first = str(rng.randint(1, 9)) if digits[0] != "0" or len(digits) == 1 else "0"
            return first + "".join(str(rng.randint(0, 9)) for _ in digits[1:])

        paragraphs, count = [], 0
        while count < words:
            paragraph = []
            for _ in range(rng.randint(2, 5)):
                sentence = NUMBER.sub(number, self.names.sub(company, rng.choice(self.sentences)))
                paragraph.append(sentence)
                count += len(sentence.split())
            paragraphs.append(" ".join(paragraph))
        return "\n".join(paragraphs) + "\n"

    def article(self, words: int) -> str:
        while True:
            text = self.text(words)
            digest = hashlib.sha256(text.encode()).hexdigest()
            if digest not in self.seen:
                self.seen.add(digest)
                return text

    def date(self) -> str:
        return f"{self.rng.choice((2025, 2026))}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"


def generate_articles(n: int, *, words: tuple[int, int] = (300, 600), seed: int = 1) -> list[dict]:
    """`n` distinct articles: dicts with file, id, title, published, publisher, text."""
    maker = ArticleMaker(seed)
    articles = []
    for i in range(n):
        text = maker.article(maker.rng.randint(*words))
        articles.append({"file": f"article-{i:05d}.txt", "id": f"bench-{seed}-{i:05d}",
                         "title": text.split(".")[0][:80], "published": maker.date(),
                         "publisher": maker.rng.choice(PUBLISHERS), "text": text})
    return articles


def write_corpus(folder: Path, articles: list[dict]) -> Path:
    """The articles as .txt files with a manifest.csv, as a fact-checker's folder would hold them."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as manifest:
        writer = csv.writer(manifest)
        writer.writerow(["file", "id", "title", "published", "publisher", "url", "lang"])
        for a in articles:
            (folder / a["file"]).write_text(a["text"], encoding="utf-8")
            writer.writerow([a["file"], a["id"], a["title"], a["published"], a["publisher"],
                             f"https://example.org/{a['id']}", "fr"])
    return folder


# -- generated stores --------------------------------------------------------------------------------

RELATIONS = ("invests_in", "valued_at", "market_cap", "capacity", "stake_in", "contract_with",
             "buys_from", "stock_move", "other")
MODALITIES = ("reported", "reported", "reported", "asserted", "rumor", "conditional", "denied")
CLAIM_SUBJECT = re.compile(r"^<([^>]+)> <http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type> <http://schema\.org/Claim> ",
                           re.MULTILINE)
PLACEHOLDER = re.compile(r'"QQ[A-Z]+\d*QQ"|QQ[A-Z]+\d*QQ|qq[a-z]+\d*qq|"[0-9a-f]{64}"|[0-9a-f]{16}(?=[/>])')


@dataclass
class StoreShape:
    articles: int = 2_500
    claims_per_article: int = 10
    mentions_per_article: int = 20
    entities: int = 3_000
    revised_share: float = 0.05
    seed: int = 7

    @classmethod
    def for_quads(cls, quads: int, **fields) -> StoreShape:
        """The shape with as many articles as give about `quads` quads."""
        shape = cls(**fields)
        per_version = sum(t.count("\n") for t in _templates(shape)) / 4
        per_article = per_version * (1 + shape.revised_share) + 9 * shape.claims_per_article / 20
        shape.articles = max(1, round(quads / per_article))
        return shape

    @property
    def name(self) -> str:
        return (f"a{self.articles}-c{self.claims_per_article}-m{self.mentions_per_article}"
                f"-e{self.entities}-r{self.revised_share}-s{self.seed}")


def _templates(shape: StoreShape) -> list[str]:
    """N-Quads of a few synthetic extractions, made by kg.rdf.article_graph, with placeholders."""
    from kg.model import Amount, Article, Claim, Entity, Extraction, Ref
    from kg.rdf import article_graph, graph_iri

    templates = []
    for variant in range(4):
        article = Article(id="qqartqq", text="QQTEXTQQ", file="qqartqq.txt", title="QQTITLEQQ",
                          published="2025-09-15", publisher="QQPUBQQ", url="https://example.org/qqartqq",
                          encoding="utf-8")
        entities = [Entity(text=f"QQENT{i}QQ", label="PER" if i % 5 == 4 else "ORG", start=100 * i,
                           end=100 * i + 8, id=f"qqent{i}qq", wikidata=f"QQWD{i}QQ" if i % 2 == 0 else None)
                    for i in range(shape.mentions_per_article)]
        claims = []
        for c in range(shape.claims_per_article):
            has_amount = (c + variant) % 4 != 3
            has_source = (c + variant) % 3 != 2
            amount = Amount(text=f"QQAMT{c}QQ", start=50 * c, end=50 * c + 10,
                            value=None if c % 3 == 1 else 1000.0 + c,
                            min=2000.0 + c if c % 3 == 1 else None, max=3000.0 + c if c % 3 == 1 else None,
                            bound="between" if c % 3 == 1 else ("up_to" if c % 3 == 2 else "exact"),
                            unit="USD" if c % 5 else "GW") if has_amount else None
            chain = [Ref(f"QQSRC{c}QQ", None if c % 2 else f"qqsrcent{c}qq")] if has_source else []
            if has_source and c % 4 == 0:
                chain.append(Ref(f"QQSRCB{c}QQ", None))
            subject, obj = c % shape.mentions_per_article, (c + 1 + variant) % shape.mentions_per_article
            claims.append(Claim(
                id=f"c{c + 1}", subject=Ref(f"QQENT{subject}QQ", f"qqent{subject}qq"),
                relation=RELATIONS[(c + variant) % len(RELATIONS)],
                object=Ref(f"QQENT{obj}QQ", f"qqent{obj}qq") if (c + variant) % 5 else None,
                amount=amount, source=chain[0] if chain else None, source_chain=chain,
                modality=MODALITIES[(c + 2 * variant) % len(MODALITIES)],
                polarity="negative" if (c + variant) % 7 == 6 else "positive",
                quote=f"QQQUOTE{c}QQ" if c % 6 == 5 else None, sentence=f"QQSENT{c}QQ",
                start=50 * c, end=50 * c + 40, date="2025-09" if c % 3 == 0 else None,
                denies=["c1"] if MODALITIES[(c + 2 * variant) % len(MODALITIES)] == "denied" and c else []))
        extraction = Extraction(article=article, entities=entities, amounts=[], claims=claims)
        with_previous = article_graph(extraction, previous=_previous_placeholder())
        graph = f" <{graph_iri(article)}> .\n"
        lines = with_previous.serialize(format="nt").splitlines()
        templates.append("".join(line[:-2] + graph for line in lines if line.endswith(" .")))
    return templates


def _previous_placeholder():
    from rdflib import URIRef
    from kg.vocab import DATA

    return URIRef(DATA + "article/qqprevqq/QQPREVKEYQQ")


def _template_key() -> str:
    return hashlib.sha256("QQTEXTQQ".encode()).hexdigest()[:16]


def synthetic_nquads(shape: StoreShape, out: Path) -> dict:
    """Write the N-Quads of a generated store in kg's shape; returns counts."""
    import pyoxigraph as ox

    from kg.corpus import slug
    from kg.vocab import DATA, FLAGS_GRAPH, KG, PREFIXES

    rng = random.Random(shape.seed)
    maker = ArticleMaker(shape.seed)
    sentences = [NUMBER.sub(lambda m: str(rng.randint(1, 999)), maker.names.sub("Entreprise", s))
                 for s in maker.sentences]
    by_slug: dict[str, str] = {}
    for name in maker.known + [invented_company(rng) for _ in range(shape.entities * 2)]:
        by_slug.setdefault(slug(name), name)
    entity_ids = list(by_slug)[: shape.entities]
    names = [by_slug[entity_id] for entity_id in entity_ids]
    weights = [1 / (rank + 10) for rank in range(len(names))]
    key = _template_key()
    full_sha = hashlib.sha256("QQTEXTQQ".encode()).hexdigest()
    templates = _templates(shape)
    no_previous = re.compile(r"[^\n]*QQPREVKEYQQ[^\n]*\n")
    counts = {"articles": 0, "versions": 0, "claims": 0, "quads": 0, "flags": 0}
    claim_iris: list[tuple[str, str]] = []
    tick = time.perf_counter()
    with open(out, "w", encoding="utf-8") as stream:
        for a in range(shape.articles):
            article_id = f"gen-{a:06d}"
            versions = 2 if rng.random() < shape.revised_share else 1
            previous_key = None
            for version in range(versions):
                template = rng.choice(templates)
                version_key = hashlib.sha256(f"{article_id}/{version}".encode()).hexdigest()[:16]
                picks = rng.choices(range(len(names)), weights=weights, k=shape.mentions_per_article)
                values: dict[str, str] = {
                    "qqartqq": article_id, key: version_key,
                    '"QQTEXTQQ"': str(ox.Literal(" ".join(rng.choices(sentences, k=18)))),
                    '"QQTITLEQQ"': str(ox.Literal(rng.choice(sentences)[:80])),
                    '"QQPUBQQ"': str(ox.Literal(rng.choice(PUBLISHERS))),
                    "qqprevqq": article_id, "QQPREVKEYQQ": previous_key or "",
                    f'"{full_sha}"': f'"{hashlib.sha256(version_key.encode()).hexdigest()}"',
                }
                for i in range(shape.mentions_per_article):
                    values[f"qqent{i}qq"] = entity_ids[picks[i]]
                    values[f'"QQENT{i}QQ"'] = str(ox.Literal(names[picks[i]]))
                    values[f"QQWD{i}QQ"] = f"Q{1000 + picks[i]}"
                for c in range(shape.claims_per_article):
                    source = rng.randrange(len(names))
                    values.update({
                        f"qqsrcent{c}qq": entity_ids[source], f'"QQSRC{c}QQ"': str(ox.Literal(names[source])),
                        f"qqsrc{c}qq": f"sources-{rng.randint(1, 50)}", f"qqsrcb{c}qq": f"sources-{rng.randint(1, 50)}",
                        f'"QQSRCB{c}QQ"': str(ox.Literal(f"des sources proches du dossier {rng.randint(1, 50)}")),
                        f'"QQAMT{c}QQ"': str(ox.Literal(f"{rng.randint(1, 999)} milliards de dollars")),
                        f'"QQSENT{c}QQ"': str(ox.Literal(rng.choice(sentences))),
                        f'"QQQUOTE{c}QQ"': str(ox.Literal(rng.choice(sentences)[:60])),
                    })
                text = template if previous_key else no_previous.sub("", template)
                text = PLACEHOLDER.sub(lambda m: values.get(m.group(0), m.group(0)), text)
                claim_iris += [(iri, version_key) for iri in CLAIM_SUBJECT.findall(text)]
                stream.write(text)
                counts["quads"] += text.count("\n")
                counts["versions"] += 1
                counts["claims"] += shape.claims_per_article
                previous_key = version_key
            counts["articles"] += 1
            if time.perf_counter() - tick > 10:
                print(f"  generated {a + 1}/{shape.articles} articles", file=sys.stderr)
                tick = time.perf_counter()
        # a flags graph in the shape kg.conflicts writes: one flag per ~20 claims
        graph = f" <{FLAGS_GRAPH}> .\n"
        for f in range(len(claim_iris) // 20):
            first, second = rng.sample(claim_iris, 2)
            kind = rng.choice(("conflict", "update", "denial", "corroboration"))
            iri = f"<{DATA}flag/{kind}/{f:020d}>"
            subject = entity_ids[rng.randrange(len(names))]
            lines = [
                (f"<{PREFIXES['rdf']}type>", f"<{KG}Flag>"), (f"<{KG}flagKind>", f"<{KG}{kind}>"),
                (f"<{KG}keySubject>", f"<{DATA}entity/{subject}>"), (f"<{KG}keyRelation>", f"<{KG}invests_in>"),
                (f"<{KG}reason>", str(ox.Literal(f"Source A reports {f}; source B reports otherwise"))),
                (f"<{KG}involves>", f"<{first[0]}>"), (f"<{KG}involves>", f"<{second[0]}>"),
                (f"<{KG}fromDate>", '"2025-09"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'),
                (f"<{KG}toDate>", '"2026-01"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'),
            ]
            stream.write("".join(f"{iri} {p} {o}{graph}" for p, o in lines))
            counts["quads"] += len(lines)
            counts["flags"] += 1
    counts["entities"] = {"top": names[0], "typical": names[len(names) // 20], "rare": names[len(names) // 2]}
    return counts


def synthetic_store(shape: StoreShape, *, rebuild: bool = False) -> tuple[Path, dict]:
    """A generated embedded store (cached under $KG_BENCH_CACHE by shape); its folder and counts."""
    import pyoxigraph as ox

    # the cache key holds a digest of what kg.rdf writes, so a change of the RDF shape rebuilds it
    lines = sorted(line for template in _templates(shape) for line in template.splitlines())  # rdflib's order varies
    shape_digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:8]
    folder = CACHE / f"store-{shape.name}-{shape_digest}"
    info_file = CACHE / f"store-{shape.name}-{shape_digest}.json"
    if rebuild or not info_file.exists():
        shutil.rmtree(folder, ignore_errors=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        nquads = CACHE / f"{shape.name}.nq"
        seconds, counts = timed(synthetic_nquads, shape, nquads)
        print(f"  generated {counts['quads']:,} quads in {seconds:.1f} s", file=sys.stderr)
        store = ox.Store(str(folder))
        start = time.perf_counter()
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        counts["load_seconds"] = time.perf_counter() - start
        counts["store_quads"] = len(store)
        del store
        counts["nquads_bytes"] = nquads.stat().st_size
        nquads.unlink()
        print(f"  bulk-loaded in {counts['load_seconds']:.1f} s", file=sys.stderr)
        info_file.write_text(json.dumps(counts, indent=1))
    return folder, json.loads(info_file.read_text())


# -- Oxigraph server -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def oxigraph_server(location: Path, *, read_only: bool = True) -> Iterator[str]:
    """`oxigraph serve[-read-only] --location <location>` on a free port; yields the query URL."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    command = [binary, "serve-read-only" if read_only else "serve", "--location", str(location),
               "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"oxigraph server failed: {process.stderr.read().decode()[:500]}")
                if time.monotonic() > deadline:
                    raise RuntimeError("oxigraph server did not start within 120 s")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
