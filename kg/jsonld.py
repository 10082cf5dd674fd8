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

from json.encoder import encode_basestring  # type: ignore[attr-defined]

import rdflib
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.jsonld import PLAIN_LITERAL_TYPES, from_rdf
from rdflib.plugins.shared.jsonld.context import UNDEF, Context
from rdflib.plugins.shared.jsonld.keys import ID, VOCAB

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


class FastNodes:
    """`_nodes` of one graph, computed straight from pyoxigraph triples (40x fewer Python
    operations than an rdflib Graph and `from_rdf`), with the same result.

    rdflib's choice of a term for a predicate depends only on the predicate and on the
    kind of object (IRI, or literal of a datatype and language): it is made once per such
    kind with rdflib's own `find_term` and kept. Graphs that rdflib would shape otherwise
    (blank nodes, RDF lists) are left to `_nodes`: `nodes` returns None for them.
    """

    def __init__(self, compacting: CompactingContext):
        self.context = compacting
        self._plans: dict[tuple, tuple[str, str]] = {}
        self._iri_plans: dict[str, tuple[str, str]] = {}  # the same, for IRI objects, by predicate
        self._symbols: dict[str, str | None] = {}
        self._literals: dict[tuple[str, str], Any] = {}

    def nodes(self, triples) -> list[dict[str, Any]] | None:
        try:
            return self._nodes(triples)
        except _NeedsRdflib:
            return None

    def nodes_of_ntriples(self, data: bytes) -> list[dict[str, Any]]:
        """`_nodes` of a graph given as N-Triples: here when it can, rdflib's `from_rdf` when not."""
        import pyoxigraph as ox

        nodes = self.nodes(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)) if data else []
        if nodes is None:
            graph = rdflib.Graph()
            graph.parse(data=data, format="nt")
            nodes = _nodes(graph, self.context)
        return nodes

    def _nodes(self, triples) -> list[dict[str, Any]]:
        import pyoxigraph as ox

        named_node, blank_node = ox.NamedNode, ox.BlankNode
        shrink, plan, literal, symbol = self.context.shrink_iri, self._plan, self._literal, self._symbol
        iri_plans = self._iri_plans
        shrunk: dict[str, str] = {}
        nodes: dict[str, dict[str, Any]] = {}
        for triple in triples:
            subject, obj = triple.subject, triple.object
            if type(subject) is not named_node:
                raise _NeedsRdflib
            iri = subject.value
            node = nodes.get(iri)
            if node is None:
                node_id = shrunk.get(iri)
                if node_id is None:
                    node_id = shrunk[iri] = shrink(iri)
                node = nodes[iri] = {"@id": node_id}
            predicate = triple.predicate.value
            if type(obj) is named_node:  # the value `Converter.add_to_node` gives an IRI
                found = iri_plans.get(predicate)
                key, mode = found if found is not None else plan(predicate, None, None, True)
                target = obj.value
                if mode == "vocab":
                    value = symbol(target)
                else:
                    value = shrunk.get(target)
                    if value is None:
                        value = shrunk[target] = shrink(target)
                    if mode != "id":
                        value = {"@id": value}
            elif type(obj) is blank_node:
                raise _NeedsRdflib
            else:  # ... and a literal
                datatype, language = obj.datatype.value, obj.language
                if datatype in PLAIN_STRINGS:
                    datatype = None
                key, mode = plan(predicate, datatype, language, False)
                value = literal(obj.value, datatype, language)[mode == "raw"]
            present = node.get(key)
            if present:
                if type(present) is list:
                    present.append(value)
                else:
                    node[key] = [present, value]
            else:
                node[key] = value
        return [_ordered(node) for node in nodes.values()]

    def _plan(self, predicate: str, datatype: str | None, language: str | None, iri: bool) -> tuple[str, str]:
        plan_key = (predicate, datatype, language, iri)
        plan = self._plans.get(plan_key)
        if plan is None:
            plan = self._plans[plan_key] = self._make_plan(predicate, datatype, language, iri)
            if iri and plan[1] != "rdflib":
                self._iri_plans[predicate] = plan
        if plan[1] == "rdflib":
            raise _NeedsRdflib
        return plan

    def _make_plan(self, predicate: str, datatype: str | None, language: str | None, iri: bool) -> tuple[str, str]:
        """(key, mode), the choices of `Converter.add_to_node` for this predicate and kind of
        object. Modes: "id" (compacted IRI), "vocab" (term or compacted IRI), "raw"
        (`to_raw_value`), "lexical" (the literal's lexical form), "rdflib" (not handled here)."""
        context = self.context
        if predicate == RDF_FIRST:
            return predicate, "rdflib"  # a list: rdflib writes it as @list
        if iri:
            term = next((t for t in (context.find_term(predicate, coercion, None) for coercion in (ID, VOCAB, UNDEF))
                         if t), None)
        else:
            term = context.find_term(predicate, datatype, language=language)
        if term is None:
            key = context.to_symbol(predicate)
            key_term = context.terms.get(key)
            if key_term and (key_term.type or key_term.container):
                key = predicate
            if predicate == str(rdflib.RDF.type):
                return context.type_key, "vocab" if iri else "raw"
            return key, "raw"
        if term.container or term.language or context.language:
            return term.name, "rdflib"  # containers and languages: not in kg's context
        if term.type == ID:
            return term.name, "id" if iri else "lexical"
        if term.type == VOCAB:
            return term.name, "vocab" if iri else "raw"
        if term.type is not UNDEF and term.type is not None and not iri and term.type == datatype:
            return term.name, "lexical"
        return term.name, "raw"

    def _symbol(self, iri: str) -> str | None:
        symbol = self._symbols.get(iri, "")
        if symbol == "":
            symbol = self._symbols[iri] = self.context.to_symbol(iri)
        return symbol

    def _literal(self, lexical: str, datatype: str | None, language: str | None) -> tuple[str, Any]:
        """(lexical form as rdflib normalises it, `Converter.to_raw_value`) of a literal, in an
        active context without a default language; kept per typed value (dates, positions
        and amounts repeat)."""
        if datatype is None:
            return lexical, {"@language": language, "@value": lexical} if language else lexical
        cache_key = (lexical, datatype)
        found = self._literals.get(cache_key)
        if found is None:
            literal = rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype))
            if literal.datatype in PLAIN_LITERAL_TYPES:
                found = (str(literal), literal.toPython())
            else:
                found = (str(literal), {"@type": self._symbol(datatype), "@value": str(literal)})
            if len(self._literals) < 200_000:
                self._literals[cache_key] = found
        lexical, raw = found
        return lexical, raw  # shared: nodes are written, never changed


class _NeedsRdflib(Exception):
    """A graph with something `FastNodes` leaves to rdflib."""


XSD_STRING = str(rdflib.XSD.string)
RDF_LANG_STRING = str(rdflib.RDF.langString)
RDF_FIRST = str(rdflib.RDF.first)
PLAIN_STRINGS = (XSD_STRING, RDF_LANG_STRING)  # rdflib reads both back without a datatype


def indented_json(value: Any, pad: str = "") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)` with every line after the first
    indented by `pad`, for the values JSON-LD nodes hold, without the pure-Python encoder
    that `indent` makes json use (most of the time of writing a node).

    >>> value = {"@id": "a", "n": [1, 2.5, True, None], "v": {"@value": "é\\n"}, "e": [], "d": {}}
    >>> indented_json(value, "  ") == json.dumps(value, ensure_ascii=False, indent=2).replace("\\n", "\\n  ")
    True
    """
    pieces: list[str] = []
    _write_json(value, "\n" + pad, pieces)
    return "".join(pieces)


def _write_json(value: Any, newline: str, pieces: list[str]) -> None:
    if isinstance(value, str):
        pieces.append(encode_basestring(value))
    elif isinstance(value, dict):
        if not value:
            pieces.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            pieces.append(separator + encode_basestring(key) + ": ")
            _write_json(item, inner, pieces)
            separator = "," + inner
        pieces.append(newline + "}")
    elif isinstance(value, list):
        if not value:
            pieces.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            pieces.append(separator)
            _write_json(item, inner, pieces)
            separator = "," + inner
        pieces.append(newline + "]")
    else:
        pieces.append(json.dumps(value) if isinstance(value, float) or value is None or isinstance(value, bool)
                      else int.__repr__(value))


def _node_key(node: dict[str, Any]) -> str:
    return str(node.get("@id", ""))


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
