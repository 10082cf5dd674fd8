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
from typing import TYPE_CHECKING, BinaryIO, Iterator

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
    compacted name; each graph is compacted by kg.jsonld's own code. The named graphs are
    read from the store by a second thread, one graph ahead of the compaction.
    """
    import json

    import pyoxigraph as ox

    from kg.jsonld import CompactingContext, FastNodes, _node_key, context, indented_json

    ctx = context()
    compacting = CompactingContext(ctx)
    fast = FastNodes(compacting)
    default_graph = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", union_default_graph=False)
    top = sorted(fast.nodes_of_ntriples(ox.serialize(default_graph, format=ox.RdfFormat.N_TRIPLES) or b""),
                 key=_node_key)
    names: dict[str, list[str]] = {}
    for graph in store.named_graphs():
        names.setdefault(compacting.shrink_iri(graph), []).append(graph)
    nested = [node["@id"] for node in top if node.get("@id") in names]
    order = nested + sorted(set(names) - set(nested))
    graphs = prefetched_ntriples(store, [graph for name in order for graph in names[name]])

    def graph_nodes(name: str) -> list[dict]:
        return sorted((node for _ in names[name] for node in fast.nodes_of_ntriples(next(graphs))), key=_node_key)

    first = True

    def write(item: dict) -> None:
        nonlocal first
        out.write((("" if first else ",") + "\n    " + indented_json(item, "    ")).encode("utf-8"))
        first = False

    context_text = json.dumps(ctx, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    out.write(('{\n  "@context": ' + context_text + ',\n  "@graph": [').encode("utf-8"))
    for node in top:
        if node.get("@id") in names:
            nodes = graph_nodes(node["@id"])
            if nodes:
                node["@graph"] = nodes
        write(node)
    for name in order[len(nested):]:
        nodes = graph_nodes(name)
        if nodes:
            write({"@id": name, "@graph": nodes})
    out.write(("]\n}\n" if first else "\n  ]\n}\n").encode("utf-8"))


def prefetched_ntriples(store: Store, graphs: list[str]) -> Iterator[bytes]:
    """The N-Triples of each graph in turn, the next graph read by a thread while the caller
    works on this one (the embedded store's dump releases the GIL: ~half of a JSON-LD export
    is Oxigraph reading and writing the triples)."""
    from concurrent.futures import ThreadPoolExecutor

    def ntriples(graph: str) -> bytes:
        buffer = io.BytesIO()
        store.dump(buffer, format="nt", graph=graph)
        return buffer.getvalue()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-export-reader") as reader:
        upcoming = [reader.submit(ntriples, graph) for graph in graphs[:2]]
        for index in range(len(graphs)):
            data = upcoming[index].result()
            upcoming[index] = None  # done with: no reference kept
            if index + 2 < len(graphs):
                upcoming.append(reader.submit(ntriples, graphs[index + 2]))
            yield data
