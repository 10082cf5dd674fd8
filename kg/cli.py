"""The `kg` command line: thin click commands over the library.

Data goes to stdout, messages to stderr. Exit codes: 0 ok, 1 error, 2 usage,
3 a check failed (shapes not conformed, or `--check` found flags).
"""
from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import click

CHECK_FAILED = 3
INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
DEFAULT_STORE = "kg-store"


@dataclass
class Settings:
    store_path: str
    endpoint: str | None
    update_endpoint: str | None
    quiet: bool
    verbose: bool

    def open(self, *, read_only: bool = False):
        from kg.store import open_store

        if self.endpoint:
            return open_store(endpoint=self.endpoint, update_endpoint=self.update_endpoint)
        return open_store(path=self.store_path, read_only=read_only)

    def say(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)


class KgGroup(click.Group):
    """Turns the library's user-facing errors into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context):
        from kg.corpus import CorpusError
        from kg.queries import UnknownQueryError
        from kg.sparql import UsageError
        from kg.store import StoreError

        try:
            return super().invoke(ctx)
        except UsageError as error:
            raise click.UsageError(str(error), ctx) from None
        except (StoreError, CorpusError, UnknownQueryError, OSError, ValueError) as error:
            raise click.ClickException(str(error).splitlines()[0] if str(error) else repr(error)) from None


def output_format_option(*choices: str, default: str = "table") -> Callable:
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_path", envvar="KG_STORE", default=DEFAULT_STORE, show_default=True,
              help="Folder of the embedded Oxigraph store (env KG_STORE).")
@click.option("--endpoint", envvar="KG_ENDPOINT", help="SPARQL 1.1 query endpoint URL instead of the embedded store (env KG_ENDPOINT).")
@click.option("--update-endpoint", envvar="KG_UPDATE_ENDPOINT", help="SPARQL update URL when it differs from the query URL.")
@click.option("-q", "--quiet", is_flag=True, help="No messages on stderr, only data and errors.")
@click.option("-v", "--verbose", is_flag=True, help="More messages on stderr.")
@click.version_option(package_name="kg")
@click.pass_context
def main(ctx: click.Context, store_path, endpoint, update_endpoint, quiet, verbose):
    """kg: a knowledge graph of sourced claims read from French news articles.

    \b
    Typical session:
      kg ingest corpus/             read articles into the embedded store
      kg claims --entity Acme       who claimed what about Acme
      kg conflicts                  denials, conflicts, updates, corroborations
      kg query 'SELECT ...'         any SPARQL, with the project's prefixes
      kg export --format turtle     the whole graph
    """
    ctx.obj = Settings(store_path, endpoint, update_endpoint, quiet, verbose)


# -- ingest and extract ----------------------------------------------------------------------

@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes for the NLP.")
@click.option("--max-bytes", default=5_000_000, show_default=True, type=click.IntRange(1), help="Refuse files larger than this.")
@click.pass_obj
def ingest(settings: Settings, paths, jobs, max_bytes):
    """Read article files or folders into the store.

    Folders may hold a manifest.csv (file,id,title,published,publisher,url,lang).
    Unchanged articles are skipped; a changed article is stored as a new version.
    A file that cannot be read is reported on one line and the others are still ingested.
    Each article is stored in one atomic write: Ctrl-C stops after the article being
    written (exit code 130), and running the same command again ingests the rest.
    With -v, each stored article is named as it is written.

    \b
    Example:
      kg ingest corpus/ --jobs 2
    """
    from kg.ingest import IngestInterrupted
    from kg.ingest import ingest as run_ingest

    def extract_many(articles):
        from kg.nlp import pipeline  # imported once the store is open: "store in use" comes at once

        return pipeline.extract_many(articles, n_process=jobs)

    def progress(items: Iterable, total: int) -> Iterable:
        if settings.quiet or settings.verbose or total == 0:
            return items
        return click.progressbar(items, length=total, label="Extracting", file=sys.stderr)

    def bar(items: Iterable, total: int) -> Iterable:
        wrapped = progress(items, total)
        if wrapped is items:
            yield from items
        else:
            with wrapped as shown:
                yield from shown

    def stored(article) -> None:
        if settings.verbose and not settings.quiet:
            click.echo(f"stored {article.file} ({article.id})", err=True)

    try:
        with settings.open() as store:
            report = run_ingest(paths, store, max_bytes=max_bytes, progress=bar, on_stored=stored,
                                extract_many=extract_many)
    except IngestInterrupted as interrupted:
        report_ingest(settings, interrupted.report)
        click.echo(f"{after_bar()}{interrupted.report.interrupted_summary()}", err=True)
        sys.exit(INTERRUPTED)
    except KeyboardInterrupt:
        click.echo(f"{after_bar()}interrupted before any article was stored; run the same command again", err=True)
        sys.exit(INTERRUPTED)
    report_ingest(settings, report)
    settings.say(report.summary())
    if report.errors:
        sys.exit(1)


def after_bar() -> str:
    """A line break after "^C" and the progress bar on a terminal; nothing in a log."""
    return "\n" if sys.stderr.isatty() else ""


def report_ingest(settings: Settings, report) -> None:
    """The refused files (always shown) and the articles without a date."""
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    for article in report.without_date:
        settings.say(f"no date: {article.file} (add it to manifest.csv)")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@output_format_option("json", "table", "text", default="json")
@click.option("--published", help="Publication date YYYY, YYYY-MM or YYYY-MM-DD (overrides the manifest).")
@click.option("--publisher", help="Publisher (overrides the manifest).")
@click.option("--url", help="URL (overrides the manifest).")
@click.option("--title", help="Title (overrides the manifest).")
def extract(file, fmt, published, publisher, url, title):
    """Extract entities, amounts and claims from one article, without a store.

    `--format text` prints the clean text that every offset points into.

    \b
    Example:
      kg extract corpus/article.txt --format table
    """
    from dataclasses import replace

    from kg.corpus import CorpusError, check_date, read_articles

    articles = list(read_articles([file]))
    if isinstance(articles[0], CorpusError):
        raise articles[0]
    overrides = {"published": check_date(published, file), "publisher": publisher, "url": url, "title": title}
    article = replace(articles[0], **{k: v for k, v in overrides.items() if v})
    if fmt == "text":
        click.echo(article.text)
        return
    from kg.nlp.pipeline import extract as run_extract

    extraction = run_extract(article)
    if fmt == "json":
        click.echo(json.dumps(extraction.to_json(), ensure_ascii=False, indent=2))
    else:
        rows = [claim_table_row(c.to_json()) for c in extraction.claims]
        click.echo(render_table(rows, CLAIM_COLUMNS))


# -- SPARQL ------------------------------------------------------------------------------------

def read_query_text(query: str | None, query_file, named: str | None) -> str:
    given = [x for x in (query, query_file, named) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of QUERY (or - for stdin), -f FILE or --named NAME")
    if query_file is not None:
        return query_file.read()
    return sys.stdin.read() if query == "-" else query


def named_query_text(named: str, params: tuple[str, ...], limit: int | None) -> str:
    """A named query with its `--param NAME=VALUE` options bound and its page size set."""
    from kg.queries import QueryParameterError, named_query

    values: dict[str, list[str]] = {}
    for param in params:
        name, equals, value = param.partition("=")
        if not equals or not name:
            raise click.UsageError(f"--param {param!r}: expected NAME=VALUE")
        values.setdefault(name, []).append(value)
    try:
        return named_query(named, values, limit=limit)
    except QueryParameterError as error:
        raise click.UsageError(str(error)) from None


def describe_named_queries() -> str:
    """One line per named query: its name, parameters and page size."""
    from kg.queries import named_queries, page_size, query_parameters

    lines = []
    for name, path in named_queries().items():
        text = path.read_text(encoding="utf-8")
        params = " ".join(f"--param {p}=..." for p in query_parameters(text))
        page = page_size(text)
        lines.append("  ".join(x for x in (name, params, f"(pages of {page})" if page else "") if x))
    return "\n".join(lines)


RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "trig", "nt", "nquads", "jsonld", "rdfxml")
EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".srj": "json", ".xml": "xml", ".srx": "xml",
              ".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".jsonld": "jsonld", ".rdf": "rdfxml"}


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file.")
@click.option("--named", help="Run a named query from ontology/queries (see `kg query --list`).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A named query's parameter, bound as a string (repeat for several values).")
@click.option("--limit", type=click.IntRange(0), metavar="N",
              help="Rows per page of a paged named query (default: the query's own; 0: every row).")
@click.option("--list", "list_named", is_flag=True, help="List the named queries, their parameters and page sizes, and exit.")
@click.option("--format", "fmt", type=click.Choice(RESULT_FORMATS + GRAPH_FORMATS), help="Output format (default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE, or from -o's extension).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to a file instead of stdout.")
@click.pass_obj
def query(settings: Settings, query, query_file, named, params, limit, list_named, fmt, output):
    """Run a read-only SPARQL query (the project's prefixes are pre-bound).

    Named queries that list claims return one page, the most recent first (`--limit N`
    for another page size, `--limit 0` for every row); some take parameters, bound with
    `--param NAME=VALUE` (see `kg query --list`).

    \b
    Examples:
      kg query 'SELECT ?claim ?sentence WHERE { ?claim a schema:Claim ; kg:sentence ?sentence }'
      kg query --named claims-by-entity --param entity=Acme --format csv
      kg query --named claims --limit 0 -o claims.csv
      echo 'ASK { ?s ?p ?o }' | kg query -
    """
    from kg.sparql import render_results, reject_updates

    if list_named:
        click.echo(describe_named_queries())
        return
    text = read_query_text(query, query_file, named)
    if named:
        text = named_query_text(named, params, limit)
    elif params or limit is not None:
        raise click.UsageError("--param and --limit are for named queries (--named NAME)")
    reject_updates(text)
    fmt = fmt or (EXTENSIONS.get(Path(output).suffix.lower()) if output else None)
    with settings.open(read_only=True) as store:
        results = store.query(text)
        data = render_results(results, fmt=fmt)
    write_output(data, output)


@main.command()
@click.argument("update", required=False)
@click.option("-f", "--file", "update_file", type=click.File("r", encoding="utf-8"), help="Read the update from a file.")
@click.pass_obj
def update(settings: Settings, update, update_file):
    """Run a SPARQL UPDATE against the store, deliberately (it is applied atomically).

    \b
    Example:
      kg update 'DELETE WHERE { GRAPH kgid:graph/flags { ?s ?p ?o } }'
    """
    text = read_query_text(update, update_file, None)
    with settings.open() as store:
        store.update(text)
    settings.say("update applied")


@main.command()
def prefixes():
    """Show the prefixes pre-bound in every query."""
    from kg.vocab import PREFIXES

    for name, iri in PREFIXES.items():
        click.echo(f"{name}: <{iri}>")


def write_output(data: bytes, output: str | None) -> None:
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


# -- the fact-checker's views -------------------------------------------------------------------

CLAIM_COLUMNS = ("date", "subject", "relation", "object", "amount", "source", "modality")


def claim_table_row(claim: dict) -> dict:
    """A claim as a row of short strings (JSON claims and store claims alike)."""
    def text(value):
        return value.get("text") if isinstance(value, dict) else value

    return {"date": claim.get("date") or "", "subject": text(claim["subject"]) or "",
            "relation": claim["relation"], "object": text(claim.get("object")) or "",
            "amount": text(claim.get("amount")) or "", "source": text(claim.get("source")) or "",
            "modality": claim["modality"]}


def render_table(rows: list[dict], columns: Iterable[str], *, width: int = 40) -> str:
    """A fixed-width text table; long cells are cut with an ellipsis.

    >>> print(render_table([{"a": "x", "b": "long text"}], ["a", "b"], width=6))
    a  b
    -  ------
    x  long …
    """
    columns = list(columns)
    cells = [[cut(str(row.get(c) if row.get(c) is not None else ""), width) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [columns, ["-" * w for w in widths], *cells]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(line, widths)).rstrip() for line in lines)


def cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 2] + " …"


def emit_rows(rows: list[dict], columns: Iterable[str], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: flatten(v) for k, v in row.items()} for row in rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(render_table(rows, columns))


def flatten(value) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else ("" if value is None else str(value))


@main.command()
@click.option("--entity", help="Claims where this entity (id, name or alias) is subject or object.")
@click.option("--source", help="Claims whose first-hop source contains this text.")
@click.option("--relation", help="Claims of this relation (invests_in, valued_at, ...).")
@click.option("--since", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", help="Up to this date.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(0), metavar="N",
              help="Only the N most recent claims (0: all of them).")
@output_format_option("table", "json", "csv")
@click.pass_obj
def claims(settings: Settings, entity, source, relation, since, until, limit, fmt):
    """List the most recent claims of the current article versions, in date order.

    \b
    Examples:
      kg claims --entity Acme
      kg claims --source "Agence" --format json --limit 0
    """
    from kg.queries import claims as find_claims

    with settings.open(read_only=True) as store:
        rows = find_claims(store, entity=entity, source=source, relation=relation, since=since, until=until,
                           limit=limit or None)
    if limit and len(rows) == limit:
        settings.say(f"the {limit} most recent claims; --limit N for more, --limit 0 for all")
    if fmt == "table":
        rows = [claim_table_row(row) for row in rows]
    emit_rows(rows, CLAIM_COLUMNS, fmt)


@main.command()
@click.pass_obj
def stats(settings: Settings):
    """Count what the store holds: triples, graphs, articles, versions, claims, entities, flags."""
    from kg.queries import stats as count

    with settings.open(read_only=True) as store:
        for name, value in count(store).items():
            click.echo(f"{name}\t{value}")


# -- export and validation --------------------------------------------------------------------

@main.command()
@click.option("--format", "fmt", type=click.Choice(("turtle", "trig", "nt", "nquads", "jsonld", "claimreview")),
              default="trig", show_default=True, help="RDF format, or schema.org ClaimReview JSON-LD.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to a file instead of stdout.")
@click.pass_obj
def export(settings: Settings, fmt, output):
    """Export the whole graph (streamed for N-Quads, TriG, Turtle and N-Triples).

    Turtle and N-Triples hold one graph: the union of all graphs.

    \b
    Examples:
      kg export --format turtle -o kg.ttl
      kg export --format jsonld
    """
    from kg.export import export as run_export

    with settings.open(read_only=True) as store:
        if output:
            with open(output, "wb") as out:
                run_export(store, fmt=fmt, out=out)
        else:
            run_export(store, fmt=fmt, out=sys.stdout.buffer)
            sys.stdout.flush()


@main.command()
@click.pass_obj
def validate(settings: Settings):
    """Check the store against the SHACL shapes of ontology/shapes.ttl (exit 3 if it does not conform)."""
    from kg.export import dataset_of
    from kg.validate import validate as run_validate

    with settings.open(read_only=True) as store:
        result = run_validate(dataset_of(store))
    if result.conforms:
        settings.say("conforms")
        return
    click.echo(result.report_text)
    click.echo(f"{result.violations} violation(s)", err=True)
    sys.exit(CHECK_FAILED)


# -- flags, timeline, reviews, evaluation ----------------------------------------------------

FLAG_COLUMNS = ("kind", "key", "reason")
FLAG_KINDS = ("conflict", "update", "denial", "corroboration", "revision")


@main.command()
@click.option("--kind", type=click.Choice(FLAG_KINDS), help="Only flags of this kind.")
@click.option("--entity", help="Only flags whose key names this entity (id, name or alias).")
@click.option("--since", help="Only flags involving claims from this date on (YYYY, YYYY-MM or YYYY-MM-DD).")
@output_format_option("table", "json", "csv")
@click.option("--check", is_flag=True, help="Exit with code 3 when any flag is found (for scripts).")
@click.pass_obj
def conflicts(settings: Settings, kind, entity, since, fmt, check):
    """Claims that conflict, were updated, denied, corroborated or revised, with reasons.

    \b
    Examples:
      kg conflicts
      kg conflicts --kind denial --format json
      kg conflicts --entity Acme --check
    """
    from kg.conflicts import flags

    with settings.open(read_only=True) as store:
        found = flags(store, kind=kind, entity=entity, since=since)
    if fmt == "table":
        rows = [{"kind": f["kind"], "key": key_text(f["key"]), "reason": f["reason"]} for f in found]
        click.echo(render_table(rows, FLAG_COLUMNS, width=100))
    else:
        emit_rows(found, FLAG_COLUMNS, fmt)
    if check and found:
        sys.exit(CHECK_FAILED)


def key_text(key: dict) -> str:
    return " ".join(filter(None, (key.get("subject"), key.get("relation"), key.get("object"))))


@main.command()
@click.argument("target")
@output_format_option("table", "json", "csv")
@click.pass_obj
def timeline(settings: Settings, target, fmt):
    """How a figure or a claim evolved, in date order: TARGET is an entity or SUBJECT/RELATION/OBJECT.

    \b
    Examples:
      kg timeline Acme
      kg timeline acme/invests_in/globex --format json
    """
    from kg.conflicts import timeline as find_timeline

    with settings.open(read_only=True) as store:
        rows = find_timeline(store, target)
    if fmt == "table":
        rows = [claim_table_row(row) for row in rows]
    emit_rows(rows, CLAIM_COLUMNS, fmt)


@main.command()
@click.argument("claim")
@click.option("--rating", required=True, help='The verdict, e.g. "Faux", "Trompeur", "Vrai".')
@click.option("--score", type=click.IntRange(1, 5), help="The verdict on a 1 (false) to 5 (true) scale.")
@click.option("--author", required=True, help="Who reviews (person or organisation).")
@click.option("--note", default="", help="Why: the review's text.")
@click.option("--date", "date_", help="Date of the review, YYYY-MM-DD (default: today).")
@click.option("--url", help="Where the review is published.")
@click.pass_obj
def review(settings: Settings, claim, rating, score, author, note, date_, url):
    """Record a fact-checker's verdict on CLAIM (its id or IRI); kept across re-ingests.

    \b
    Example:
      kg review article-id-c1 --rating "Vrai" --score 5 --author "Desk" --note "Confirmé"
    """
    import datetime as dt

    from kg.reviews import UnknownClaimError, add_review

    date_ = date_ or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(date_)
    except ValueError:
        raise click.BadParameter(f"{date_!r} is not YYYY-MM-DD", param_hint="--date") from None
    with settings.open() as store:
        try:
            added = add_review(store, claim, rating=rating, author=author, note=note, date=date_, score=score, url=url)
        except UnknownClaimError as error:
            raise click.ClickException(str(error)) from None
    settings.say(f"review {added.iri} recorded for {added.claim_iri}")


@main.command()
@click.argument("golds", metavar="GOLD...", nargs=-1, required=True, type=click.Path(exists=True))
@output_format_option("table", "json")
@click.option("--per-article", is_flag=True, help="Add a row per article.")
@click.option("--misses", is_flag=True,
              help="List each article's missed and spurious claims and wrong source, object or modality.")
@click.option("--flags", "with_flags", is_flag=True,
              help="Also score the flags kg finds over the articles (ingested into a store in memory) "
                   "against the gold's expected_flags.")
def evaluate(golds, fmt, per_article, misses, with_flags):
    """Precision, recall and F1 of the extraction against GOLD annotations (a gold.json or its folder).

    With several GOLD sets, each is scored on its own (its flags over its own articles), then a
    summary gives one row per set and one for all of them together, followed by the full report
    of all sets together (articles named SET/FILE).

    \b
    Examples:
      kg evaluate tests/gold/tuning
      kg evaluate tests/gold/tuning/gold.json --per-article
      kg evaluate tests/gold/tuning-3 --flags
      kg evaluate tests/gold/tuning-2 --misses
      kg evaluate tests/gold/* --flags
    """
    from kg.evaluate import GoldError, combined, evaluate_folder, format_report, format_summary, gold_set_name

    reports = {}
    try:
        for gold in golds:
            name = gold_set_name(gold)
            reports[gold if name in reports else name] = evaluate_folder(gold, with_flags=with_flags)
    except GoldError as error:
        raise click.ClickException(str(error)) from None
    report = combined(reports) if len(reports) > 1 else next(iter(reports.values()))
    if fmt == "json":
        sets = {"sets": {name: r.to_json()["totals"] for name, r in reports.items()}} if len(reports) > 1 else {}
        click.echo(json.dumps({**sets, **report.to_json()}, ensure_ascii=False, indent=2))
    else:
        summary = [format_summary(reports), ""] if len(reports) > 1 else []
        click.echo("\n".join([*summary, format_report(report, per_article=per_article, misses=misses)]))


@main.command()
@output_format_option("table", "json")
@click.pass_obj
def cycles(settings: Settings, fmt):
    """Circular financing: money that flows from an entity back to itself.

    Money flows along invests_in, buys_from and contract_with claims (investor to
    investee, buyer to seller, payer to payee).

    \b
    Example:
      kg cycles
    """
    from kg.timeline import circular_financing

    with settings.open(read_only=True) as store:
        found = circular_financing(store)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        for cycle in found:
            click.echo(" → ".join([*cycle, cycle[0]]))


if __name__ == "__main__":
    main()
