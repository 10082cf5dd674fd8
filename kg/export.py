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
from typing import BinaryIO

import rdflib

from kg.store import Store

STREAMED = ("nquads", "trig", "turtle", "nt")


def dataset_of(store: Store) -> rdflib.Dataset:
    """The whole store as an rdflib Dataset (for SHACL and JSON-LD, which need rdflib)."""
    buffer = io.BytesIO()
    store.dump(buffer, format="nquads")
    dataset = rdflib.Dataset()
    dataset.parse(data=buffer.getvalue(), format="nquads")
    return dataset


def rdflib_graph_of(triples) -> rdflib.Graph:
    """pyoxigraph triples as an rdflib Graph, through N-Triples text."""
    import pyoxigraph as ox

    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def export(store: Store, *, fmt: str, out: BinaryIO) -> None:
    """Write the store to `out` in `fmt`; RDF text formats stream straight from the store."""
    if fmt in STREAMED:
        store.dump(out, format=fmt)
    elif fmt == "jsonld":
        from kg.jsonld import to_jsonld

        to_jsonld(dataset_of(store), out=out)
    elif fmt == "claimreview":
        from kg.reviews import claim_reviews_jsonld

        out.write(claim_reviews_jsonld(store))
    else:
        raise ValueError(f"unknown export format {fmt!r}")
