"""SPARQL results rendered the way a fact-checker asked: a table, or a W3C format exactly.

>>> import pyoxigraph as ox
>>> results = ox.Store().query('SELECT ?x WHERE { VALUES ?x { "a" } }')
>>> print(render_results(results, fmt="table").decode())
x
-
a
"""
from __future__ import annotations

import pyoxigraph as ox

from kg.store import StoreError, check_update_syntax, syntax_error_message
from kg.vocab import PREFIXES

RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS, "rdfxml": ox.RdfFormat.RDF_XML,
}


class UsageError(ValueError):
    """A request that cannot be answered as asked (a format that does not fit the query form)."""


def reject_updates(text: str) -> None:
    """Refuse an update given where a read-only query is expected; report syntax errors.

    >>> reject_updates("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    Traceback (most recent call last):
    ...
    kg.sparql.UsageError: this is a SPARQL update; `kg query` is read-only (use `kg update`)
    """
    try:
        ox.Store().query(text, prefixes=PREFIXES)  # lazy: on an empty store this only parses
    except SyntaxError as query_error:
        try:
            check_update_syntax(text)
        except StoreError:
            raise StoreError(syntax_error_message("invalid SPARQL query", query_error)) from None
        raise UsageError("this is a SPARQL update; `kg query` is read-only (use `kg update`)") from None


def short(term) -> str:
    """A term as a person reads it: prefixed IRIs, literal values."""
    if isinstance(term, ox.NamedNode):
        for name, iri in PREFIXES.items():
            if term.value.startswith(iri) and "/" not in term.value[len(iri):]:
                return f"{name}:{term.value[len(iri):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return "" if term is None else term.value


def solutions_table(results: ox.QuerySolutions) -> bytes:
    from kg.cli import render_table

    names = [v.value for v in results.variables]
    rows = [{name: short(solution[name]) for name in names} for solution in results]
    return (render_table(rows, names, width=80) + "\n").encode()


def render_results(results, *, fmt: str | None) -> bytes:
    """Bytes of a query's results in `fmt` (default: table for SELECT/ASK, turtle for graphs)."""
    if isinstance(results, ox.QueryTriples):
        return render_triples(results, fmt or "turtle")
    fmt = fmt or "table"
    if fmt == "table":
        if isinstance(results, ox.QueryBoolean):
            return b"true\n" if bool(results) else b"false\n"
        return solutions_table(results)
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"--format {fmt} is for CONSTRUCT/DESCRIBE; SELECT and ASK give table, csv, tsv, json or xml")
    return results.serialize(format=RESULT_FORMATS[fmt])


def render_triples(triples: ox.QueryTriples, fmt: str) -> bytes:
    if fmt == "jsonld":
        from kg.export import rdflib_graph_of

        from kg.jsonld import to_jsonld
        import io

        out = io.BytesIO()
        to_jsonld(rdflib_graph_of(triples), out=out)
        return out.getvalue()
    if fmt not in GRAPH_FORMATS:
        raise UsageError(f"--format {fmt} is for SELECT/ASK; CONSTRUCT and DESCRIBE give {', '.join(GRAPH_FORMATS)} or jsonld")
    return ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES) if fmt in ("turtle", "trig") \
        else ox.serialize(triples, format=GRAPH_FORMATS[fmt])
