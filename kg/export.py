"""Exports: the store streamed to RDF files, to JSON-LD, or to schema.org ClaimReview.

>>> import io
>>> from kg.store import open_store
>>> store = open_store(path=":memory:")
>>> store.update('INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "o" } }')
>>> out = io.BytesIO(); export(store, fmt="nquads", out=out); out.getvalue()
b'<urn:s> <urn:p> "o" <urn:g> .\\n'
"""
from __future__ import annotations

import io
from typing import TYPE_CHECKING, BinaryIO

from kg.store import Store

if TYPE_CHECKING:
    import rdflib

STREAMED = ("nquads", "trig", "turtle", "nt")


def dataset_of(store: Store) -> rdflib.Dataset:
    """The whole store as an rdflib Dataset (for SHACL and JSON-LD, which need rdflib)."""
    import rdflib

    buffer = io.BytesIO()
    store.dump(buffer, format="nquads")
    dataset = rdflib.Dataset()
    dataset.parse(data=buffer.getvalue(), format="nquads")
    return dataset


def rdflib_graph_of(triples) -> rdflib.Graph:
    """pyoxigraph triples as an rdflib Graph, through N-Triples text."""
    import pyoxigraph as ox
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def export(store: Store, *, fmt: str, out: BinaryIO) -> None:
    """Write the store to `out` in `fmt`; RDF text formats stream straight from the store."""
    if fmt in STREAMED:
        store.dump(out, format=fmt)
    elif fmt == "jsonld":
        stream_jsonld(store, out)
    elif fmt == "claimreview":
        from kg.reviews import claim_reviews_jsonld

        out.write(claim_reviews_jsonld(store))
    else:
        raise ValueError(f"unknown export format {fmt!r}")


def stream_jsonld(store: Store, out: BinaryIO) -> None:
    """`kg.jsonld.to_jsonld(dataset_of(store))`, byte for byte, written one graph at a time.

    Memory is bounded by the largest graph (one article version) instead of the whole store
    held in rdflib (2.5 GB for a million triples; benchmarks/bench_export.py). The layout is
    `jsonld_document`'s: the context, the default graph's nodes sorted by @id (a named graph
    nested in the default node of the same @id), then the other named graphs sorted by
    compacted name; each graph is compacted by kg.jsonld's own code.
    """
    import json

    import pyoxigraph as ox

    from kg.jsonld import CompactingContext, FastNodes, _node_key, _nodes, context, indented_json

    ctx = context()
    compacting = CompactingContext(ctx)
    fast = FastNodes(compacting)

    def nodes_of(graph: str | None) -> list[dict]:
        triples = store.triples(graph)
        nodes = fast.nodes(triples)
        if nodes is None:  # blank nodes or lists: rdflib's own conversion
            nodes = _nodes(rdflib_graph_of(ox.Triple(t.subject, t.predicate, t.object) for t in triples), compacting)
        return nodes

    names: dict[str, list[str]] = {}
    for graph in store.named_graphs():
        names.setdefault(compacting.shrink_iri(graph), []).append(graph)

    def graph_nodes(name: str) -> list[dict]:
        return sorted((node for graph in names.pop(name) for node in nodes_of(graph)), key=_node_key)

    first = True

    def write(item: dict) -> None:
        nonlocal first
        out.write((("" if first else ",") + "\n    " + indented_json(item, "    ")).encode("utf-8"))
        first = False

    context_text = json.dumps(ctx, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    out.write(('{\n  "@context": ' + context_text + ',\n  "@graph": [').encode("utf-8"))
    for node in sorted(nodes_of(None), key=_node_key):
        if node.get("@id") in names:
            nested = graph_nodes(node["@id"])
            if nested:
                node["@graph"] = nested
        write(node)
    for name in sorted(names):
        nodes = graph_nodes(name)
        if nodes:
            write({"@id": name, "@graph": nodes})
    out.write(("]\n}\n" if first else "\n  ]\n}\n").encode("utf-8"))
