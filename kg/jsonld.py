"""JSON-LD export and import, compacted with the project's context (ontology/context.jsonld).

The export is one JSON-LD 1.1 document: the context is embedded (no network needed to read
it back), the default graph's nodes come first in the top-level ``"@graph"``, then one
``{"@id": <graph>, "@graph": [...]}`` entry per named graph (one per article version, the
flags graph, the reviews graph). Node objects are flat (one per subject, sorted by ``@id``),
properties use the context's short terms (``"subject"``, ``"relation": "invests_in"``,
``"value": "30000000000.0"``) and IRIs are compacted with the longest matching prefix
(``"kgid:claim/…/c1"``).

It round-trips: ``from_jsonld`` gives back a dataset isomorphic to the input, graph by
graph. rdflib's JSON-LD serializer and parser do the work (no pyld); this module adds the
prefix compaction of IRIs, a guard against short names that another term would capture, and
a stable layout. Two limits of JSON-LD itself: a literal typed ``xsd:string`` comes back as a
simple literal (the same RDF 1.1 term), and integers and booleans are written as JSON numbers
and booleans, so a non-canonical lexical form (``"007"^^xsd:integer``) comes back canonical.

>>> from rdflib import Dataset, Literal, URIRef
>>> from kg.vocab import DATA, KG
>>> ds = Dataset()
>>> g = ds.graph(URIRef(DATA + "graph/a/1"))
>>> _ = g.add((URIRef(DATA + "claim/1/c1"), URIRef(KG + "relation"), URIRef(KG + "invests_in")))
>>> _ = g.add((URIRef(DATA + "claim/1/c1"), URIRef(KG + "sentence"), Literal("Acme investit.")))
>>> text = jsonld_text(ds)
>>> document = json.loads(text)
>>> document["@graph"][0]["@id"], document["@graph"][0]["@graph"]
('kgid:graph/a/1', [{'@id': 'kgid:claim/1/c1', 'relation': 'invests_in', 'sentence': 'Acme investit.'}])
>>> back = from_jsonld(text)
>>> len(back.graph(URIRef(DATA + "graph/a/1")))
2
"""
from __future__ import annotations

import io
import json
import os
from functools import cache
from typing import IO, Any, Union

import rdflib
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.plugins.shared.jsonld.context import Context

from kg import ontology_path

GENERAL_DELIMITERS = ("/", "#", ":", "?", "[", "]", "@")

Output = Union[str, "os.PathLike[str]", IO[bytes], IO[str]]


@cache
def context() -> dict[str, Any]:
    """The project's JSON-LD context (the ``"@context"`` object of ontology/context.jsonld).

    >>> context()["subject"]
    {'@id': 'kg:subject', '@type': '@id'}
    """
    document = json.loads(ontology_path("context.jsonld").read_text(encoding="utf-8"))
    return document["@context"]


def prefixes(ctx: dict[str, Any]) -> dict[str, str]:
    """The context's prefixes: simple terms whose IRI ends with a general delimiter.

    >>> prefixes(context())["kgid"]
    'https://w3id.org/kg-claims/id/'
    """
    return {name: iri for name, iri in ctx.items()
            if not name.startswith("@") and isinstance(iri, str) and iri.endswith(GENERAL_DELIMITERS)}


class CompactingContext(Context):
    """rdflib's JSON-LD context, with two changes for readable output that still round-trips.

    * IRIs are shrunk with the longest matching prefix (rdflib only tries the namespace that
      ends at the last ``/`` or ``#``, so ``kgid:claim/<version>/c1`` would stay a full IRI).
    * A short name that would expand to another IRI is not used: ``kg:exact`` as a
      ``@vocab`` value stays ``"exact"`` only if no term ``exact`` means something else.
    """

    def __init__(self, ctx: dict[str, Any]):
        super().__init__(ctx)
        self._raw = ctx
        self._longest_first = sorted(prefixes(ctx).items(), key=lambda item: -len(item[1]))

    def shrink_iri(self, iri: str) -> str:
        iri = str(iri)
        for name, namespace in self._longest_first:
            if iri.startswith(namespace) and len(iri) > len(namespace) and not iri[len(namespace):].startswith("//"):
                return f"{name}:{iri[len(namespace):]}"
        return iri

    def to_symbol(self, iri: str) -> str | None:
        symbol = super().to_symbol(iri)
        if symbol and ":" not in symbol and self.expand(symbol) != str(iri):
            return self.shrink_iri(iri)
        return symbol


def jsonld_document(data: rdflib.Graph) -> dict[str, Any]:
    """The compacted JSON-LD document (a dict) of a Graph or a Dataset."""
    ctx = context()
    compacting = CompactingContext(ctx)
    top: list[dict[str, Any]] = []
    named: dict[str, list[dict[str, Any]]] = {}
    for identifier, graph in _graphs(data):
        nodes = _nodes(graph, compacting)
        if not nodes:
            continue
        if identifier is None:
            top.extend(nodes)
        else:
            named.setdefault(compacting.shrink_iri(identifier), []).extend(nodes)
    top.sort(key=_node_key)
    by_id = {node.get("@id"): node for node in top}
    for name in sorted(named):
        nodes = sorted(named[name], key=_node_key)
        holder = by_id.get(name)
        if holder is None:
            holder = {"@id": name}
            top.append(holder)
        holder["@graph"] = nodes
    return {"@context": ctx, "@graph": top}


def jsonld_text(data: rdflib.Graph) -> str:
    """The compacted JSON-LD of a Graph or a Dataset, as text."""
    return json.dumps(jsonld_document(data), ensure_ascii=False, indent=2) + "\n"


def to_jsonld(data: rdflib.Graph, *, out: Output) -> None:
    """Write a Graph or a Dataset as JSON-LD compacted with the project's context.

    `out` is a binary stream (UTF-8 is written), a text stream, or a file path.
    """
    text = jsonld_text(data)
    if isinstance(out, (str, os.PathLike)):
        with open(out, "w", encoding="utf-8") as stream:
            stream.write(text)
    elif isinstance(out, io.TextIOBase):
        out.write(text)
    else:
        out.write(text.encode("utf-8"))


def from_jsonld(text: str | bytes) -> rdflib.Dataset:
    """A Dataset from JSON-LD text: top-level nodes in the default graph, ``@graph`` entries named."""
    dataset = rdflib.Dataset()
    dataset.parse(data=text.decode("utf-8") if isinstance(text, bytes) else text, format="json-ld")
    return dataset


def _graphs(data: rdflib.Graph):
    """(name or None for the default graph, graph) pairs of a Graph or a Dataset."""
    if not getattr(data, "context_aware", False):
        yield None, data
        return
    graphs = data.graphs() if isinstance(data, rdflib.Dataset) else data.contexts()  # type: ignore[attr-defined]
    for graph in graphs:
        identifier = graph.identifier
        named = isinstance(identifier, rdflib.URIRef) and identifier != DATASET_DEFAULT_GRAPH_ID
        yield (str(identifier) if named else None), graph


def _nodes(graph: rdflib.Graph, compacting: CompactingContext) -> list[dict[str, Any]]:
    """The flat node objects of one graph, each node's values in a stable order."""
    result = from_rdf(graph, context_data=compacting)
    if isinstance(result, dict):
        result.pop("@context", None)
        nodes = result["@graph"] if set(result) == {"@graph"} else ([result] if result else [])
    else:
        nodes = result
    return [_ordered(node) for node in nodes]


def _ordered(node: dict[str, Any]) -> dict[str, Any]:
    """``@id`` and ``@type`` first, then the properties by name, each one's values sorted."""
    keys = sorted(node, key=lambda key: (key not in ("@id", "@type"), key != "@id", key))
    ordered = {}
    for key in keys:
        value = node[key]
        ordered[key] = sorted(value, key=_value_key) if isinstance(value, list) else value
    return ordered


def _node_key(node: dict[str, Any]) -> str:
    return str(node.get("@id", ""))


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
