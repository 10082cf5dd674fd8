"""SHACL validation of kg data: ontology/shapes.ttl, with ontology/kg.ttl as the ontology graph.

A Dataset is validated as the union of its graphs (so a review in the reviews graph can
point to a claim in an article's graph). pyshacl runs with ``inference="none"``: kg/rdf.py
writes an explicit ``rdf:type`` for every node a shape targets, and ``sh:class`` already
follows ``rdfs:subClassOf`` through the mixed-in ontology, so an RDFS closure would add
nothing the shapes need and would cost a pass over every article text.

The SHACL-SPARQL constraints of shapes.ttl (text hash, quote against offsets, date
precision, source-chain positions) are marked ``sh:deactivated`` there, and run here instead,
once over all the data: pyshacl would parse and run each query once per focus node (tens of
milliseconds each, minutes for a store). Their results join the report like any other.

``sh:Warning`` results (an article without a publication date) are reported but do not make
the data non-conforming; ``violations`` counts only ``sh:Violation`` results.

>>> from rdflib import Graph
>>> data = Graph().parse(format="turtle", data='''
... @prefix kg: <https://w3id.org/kg-claims/ontology#> . @prefix schema: <http://schema.org/> .
... <https://w3id.org/kg-claims/id/amount/1> a schema:MonetaryAmount ; kg:bound kg:sometimes ;
...     kg:rawText "30 Md$" ; schema:currency "USD" .
... ''')
>>> result = validate(data)
>>> result.conforms, result.violations
(False, 1)
>>> print(result.report_text)
kgid:amount/1  kg:bound  An amount needs exactly one kg:bound from the bound list: ... (value: kg:sometimes)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pyshacl
import rdflib
import rdflib.collection
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from kg import ontology_path
from kg.vocab import PREFIXES

SH = rdflib.Namespace(str(ns.SH))
XSD_STRING = URIRef(str(ns.XSD.string))
SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Result:
    """One SHACL result, its terms written as short names (kgid:claim/…, kg:subject)."""

    focus: str
    path: str
    message: str
    value: str | None = None
    severity: str = "violation"

    def line(self) -> str:
        """One readable line: focus node, path, message (and the offending value)."""
        prefix = "" if self.severity == "violation" else f"{self.severity}: "
        value = f" (value: {self.value})" if self.value is not None else ""
        return f"{prefix}{self.focus}  {self.path}  {self.message}{value}"


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of `validate`: whether the data conforms, and a report a person can read."""

    conforms: bool
    report_text: str
    violations: int
    results: tuple[Result, ...] = ()
    report_graph: Graph | None = field(default=None, repr=False, compare=False)

    @property
    def warnings(self) -> int:
        return sum(result.severity == "warning" for result in self.results)


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes (parsed once)."""
    return Graph().parse(ontology_path("shapes.ttl"), format="turtle")


@cache
def ontology_graph() -> Graph:
    """The kg ontology (parsed once)."""
    return Graph().parse(ontology_path("kg.ttl"), format="turtle")


def validate(data_graph: rdflib.Graph | rdflib.Dataset) -> ValidationResult:
    """Check a Graph or a Dataset (the union of its graphs) against the shapes. The data is not modified."""
    conforms, report, _ = pyshacl.validate(
        data_graph,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
        advanced=False,
    )
    found = _results(report) + _bulk_sparql_results(data_graph)
    results = tuple(sorted(set(found), key=lambda r: (r.severity != "violation", r.focus, r.path, r.message)))
    violations = sum(result.severity == "violation" for result in results)
    text = "\n".join(result.line() for result in results)
    conforms = bool(conforms) and violations == 0
    return ValidationResult(conforms=conforms, report_text=text, violations=violations,
                            results=results, report_graph=report)


@dataclass(frozen=True)
class BulkCheck:
    """A deactivated SHACL-SPARQL constraint of shapes.ttl, as one query over all the data."""

    query: str
    message: str
    severity: str


@cache
def bulk_checks() -> tuple[BulkCheck, ...]:
    """The deactivated ``sh:sparql`` constraints of target-class shapes, rewritten to run once.

    ``$this`` becomes ``?this``, restricted to instances of the shape's target classes.
    """
    shapes = shapes_graph()
    checks = []
    for shape in shapes.subjects(SH.sparql, None, unique=True):
        classes = " ".join(f"<{cls}>" for cls in sorted(shapes.objects(shape, SH.targetClass)))
        if not classes:
            continue
        severity = SEVERITY_NAMES.get(shapes.value(shape, SH.severity), "violation")
        for constraint in shapes.objects(shape, SH.sparql):
            deactivated = shapes.value(constraint, SH.deactivated)
            if not (isinstance(deactivated, Literal) and deactivated.toPython() is True):
                continue
            prologue = "".join(
                f"PREFIX {shapes.value(declaration, SH.prefix)}: <{shapes.value(declaration, SH.namespace)}>\n"
                for prefixes in shapes.objects(constraint, SH.prefixes)
                for declaration in shapes.objects(prefixes, SH.declare))
            select = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
            query = (f"{prologue}SELECT DISTINCT ?this ?path ?value WHERE {{\n"
                     f"  {{ {select} }}\n  VALUES ?targetClass {{ {classes} }}\n  ?this a ?targetClass .\n}}")
            checks.append(BulkCheck(query=query, message=str(shapes.value(constraint, SH.message)), severity=severity))
    return tuple(checks)


def _bulk_sparql_results(data: rdflib.Graph) -> list[Result]:
    union = rdflib.Dataset(store=data.store, default_union=True) if getattr(data, "context_aware", False) else data
    found = []
    for check in bulk_checks():
        for row in union.query(check.query):
            found.append(Result(
                focus=short(row.this),
                path=short(row.path) if isinstance(row.path, URIRef) else "-",
                message=check.message,
                value=short(row.value) if row.value is not None else None,
                severity=check.severity,
            ))
    return found


def _results(report: Graph) -> list[Result]:
    """The report's top-level results (not the sh:detail results nested in them)."""
    found = []
    nodes = {node for report_node in report.subjects(ns.RDF.type, SH.ValidationReport)
             for node in report.objects(report_node, SH.result)}
    for node in nodes:
        path = report.value(node, SH.resultPath)
        message = report.value(node, SH.resultMessage)
        value = report.value(node, SH.value)
        severity = report.value(node, SH.resultSeverity)
        found.append(Result(
            focus=short(report.value(node, SH.focusNode)),
            path=_path_text(report, path),
            message=str(message) if message is not None else _default_message(report, node),
            value=short(value) if value is not None else None,
            severity=SEVERITY_NAMES.get(severity, str(severity)),
        ))
    return found


def _path_text(report: Graph, path) -> str:
    """A result path as text: ``kg:subject``, ``kg:span|oa:hasTarget`` for an alternative path."""
    if path is None:
        return "-"
    if isinstance(path, URIRef):
        return short(path)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_text(report, step) for step in rdflib.collection.Collection(report, alternatives))
    return "(path)"


def _default_message(report: Graph, node) -> str:
    component = report.value(node, SH.sourceConstraintComponent)
    return f"fails {short(component)}" if component is not None else "does not conform"


_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def short(term) -> str:
    """A term as a reader wants it: ``kgid:claim/…`` for IRIs, ``"text"`` for strings.

    >>> short(URIRef("https://w3id.org/kg-claims/ontology#subject"))
    'kg:subject'
    >>> short(Literal("dollars")), short(Literal(-1))
    ('"dollars"', '"-1"^^xsd:integer')
    """
    if isinstance(term, URIRef):
        iri = str(term)
        for name, namespace in _LONGEST_FIRST:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{name}:{iri[len(namespace):]}"
        return f"<{iri}>"
    if isinstance(term, Literal):
        text = str(term)
        if len(text) > 80:
            text = text[:77] + "..."
        quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype and term.datatype != XSD_STRING:
            return f"{quoted}^^{short(term.datatype)}"
        return quoted
    return str(term.n3()) if hasattr(term, "n3") else str(term)
