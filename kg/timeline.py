"""How claims evolve: a timeline per key or entity, stories, and money flows (DESIGN §5).

Stories are the connected components of a networkx graph of claims whose edges are
the flags (denies, contradicts, updates, corroborates). Money flows are a directed
multigraph of entities: an edge goes the way the money goes (subject -> object for
invests_in, buys_from and contract_with), and its cycles are circular financing.

>>> from kg.store import open_store
>>> store = open_store(path=":memory:")
>>> timeline(store, "veolia"), circular_financing(store)
([], [])
"""
from __future__ import annotations

from typing import Callable, Iterable

import networkx as nx

from kg.conflicts import ClaimRecord, Flag, chronological, deniable, load_claims, names_entity, settings
from kg.model import RELATIONS
from kg.store import Store

EDGE_OF_FLAG = {"denial": "denies", "conflict": "contradicts", "update": "updates",
                "corroboration": "corroborates"}
NO_OBJECT = ("", "-", "none")


def target_filter(target: str) -> Callable[[ClaimRecord], bool]:
    """A test for the claims `target` names: a key "subject/relation[/object]" (ids or
    labels; an empty or "-" object means no object) or an entity (subject or object).

    >>> target_filter("Veolia/invests_in/Legrand").__name__, target_filter("Veolia").__name__
    ('of_key', 'of_entity')
    """
    parts = [part.strip() for part in target.split("/")]
    if len(parts) in (2, 3) and parts[1] in RELATIONS:
        subject, relation, obj = parts[0], parts[1], parts[2] if len(parts) == 3 else None

        def of_key(claim: ClaimRecord) -> bool:
            return claim.key.relation == relation and names_entity(claim.key.subject, claim.subject_label, subject) \
                and object_matches(claim, obj)
        return of_key

    def of_entity(claim: ClaimRecord) -> bool:
        return names_entity(claim.key.subject, claim.subject_label, target) or \
            bool(claim.key.object) and names_entity(claim.key.object, claim.object_label or "", target)
    return of_entity


def object_matches(claim: ClaimRecord, obj: str | None) -> bool:
    """None matches any object; "" or "-" only a claim without object."""
    if obj is None:
        return True
    if obj.casefold() in NO_OBJECT:
        return claim.key.object is None
    return bool(claim.key.object) and names_entity(claim.key.object, claim.object_label or "", obj)


def timeline_entry(claim: ClaimRecord) -> dict:
    """One line of a timeline (readable labels for subject and object)."""
    return {"date": claim.date, "subject": claim.subject_label, "relation": claim.key.relation,
            "object": claim.object_label, "amount": claim.amount.text if claim.amount else None,
            "source": claim.source_text, "modality": claim.modality, "polarity": claim.polarity,
            "sentence": claim.sentence, "file": claim.file, "id": claim.iri, "article": claim.article}


def timeline(store: Store, target: str) -> list[dict]:
    """The current claims of a key ("subject/relation/object") or of an entity, in date order.

    >>> from kg.store import open_store
    >>> timeline(open_store(path=":memory:"), "Veolia/invests_in/Legrand")
    []
    """
    wanted = target_filter(target)
    return [timeline_entry(claim) for claim in sorted(filter(wanted, load_claims(store)), key=chronological)]


def claim_graph(claims: Iterable[ClaimRecord], flags: Iterable[Flag]) -> nx.Graph:
    """Claims as nodes, flags as edges (denies, contradicts, updates, corroborates).

    Each edge joins two claims the flag sets against each other (see flag_edges).

    >>> claim_graph([], []).number_of_nodes()
    0
    """
    graph = nx.Graph()
    for claim in claims:
        graph.add_node(claim.iri, claim=claim)
    for flag in flags:
        relation = EDGE_OF_FLAG.get(flag.kind)
        for one, other in flag_edges(flag) if relation else ():
            if one.iri in graph and other.iri in graph:
                graph.add_edge(one.iri, other.iri, relation=relation, flag=flag.iri, reason=flag.reason)
    return graph


def flag_edges(flag: Flag) -> list[tuple[ClaimRecord, ClaimRecord]]:
    """(claim, the claim it answers) pairs of a flag: an update's new value (its last claim)
    updates each claim of the value it replaces; each denying claim denies each reported
    one; otherwise the later claims answer the first (the confirmed or contradicted one)."""
    claims = flag.claims
    if flag.kind == "update":
        return [(claims[-1], earlier) for earlier in claims[:-1]]
    if flag.kind == "denial":
        reported = [claim for claim in claims if deniable(claim)]
        denying = [claim for claim in claims if not deniable(claim)]
        if reported and denying:
            return [(denier, target) for denier in denying for target in reported]
    return [(other, claims[0]) for other in claims[1:]]


def stories(claims: Iterable[ClaimRecord], flags: Iterable[Flag], *, min_size: int = 2) -> list[list[ClaimRecord]]:
    """Connected components of the claim graph, each in date order, earliest story first.

    >>> stories([], [])
    []
    """
    graph = claim_graph(claims, flags)
    found = [sorted((graph.nodes[iri]["claim"] for iri in component), key=chronological)
             for component in nx.connected_components(graph) if len(component) >= min_size]
    return sorted(found, key=lambda story: chronological(story[0]))


def money_flows(claims: Iterable[ClaimRecord]) -> nx.MultiDiGraph:
    """Entities as nodes (with their label); one edge per affirmative money claim, from
    who pays to who is paid (subject -> object), with the claim's IRI, amount, date, source.

    >>> money_flows([]).number_of_edges()
    0
    """
    relations = set(settings()["money_relations"])
    graph = nx.MultiDiGraph()
    for claim in claims:
        if claim.key.relation in relations and claim.key.object and claim.is_affirmative:
            graph.add_node(claim.key.subject, label=claim.subject_label)
            graph.add_node(claim.key.object, label=claim.object_label)
            graph.add_edge(claim.key.subject, claim.key.object, key=claim.iri, relation=claim.key.relation,
                           amount=claim.amount.text if claim.amount else None, date=claim.date,
                           source=claim.source_text, file=claim.file)
    return graph


def labelled_cycles(graph: nx.MultiDiGraph) -> list[list[str]]:
    """Cycles of two entities or more, as labels, each starting at its smallest label."""
    found = set()
    for cycle in nx.simple_cycles(nx.DiGraph(graph)):
        if len(cycle) > 1:
            labels = [graph.nodes[node].get("label") or node for node in cycle]
            start = labels.index(min(labels))
            found.add(tuple(labels[start:] + labels[:start]))
    return [list(cycle) for cycle in sorted(found)]


def circular_financing(store: Store) -> list[list[str]]:
    """Cycles of money between entities ("Veolia invests in Legrand, which buys from Veolia").

    >>> from kg.store import open_store
    >>> circular_financing(open_store(path=":memory:"))
    []
    """
    return labelled_cycles(money_flows(load_claims(store)))
