"""Fact-checkers' verdicts on claims, kept in their own graph, exported as ClaimReview.

Reviews live in REVIEWS_GRAPH, which ingest and flag recomputation never touch.

>>> from kg.store import open_store
>>> store = open_store(path=":memory:")
>>> store.update('INSERT DATA { GRAPH <urn:g> { <urn:c> a schema:Claim ; schema:identifier "a-c1" ; kg:sentence "X." ; prov:wasDerivedFrom <urn:a> } }')
>>> review = add_review(store, "a-c1", rating="Faux", author="Desk", note="Chiffre démenti.", date="2026-02-01")
>>> [r["rating"] for r in reviews(store)]
['Faux']
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from kg.queries import sparql_string
from kg.store import Store
from kg.vocab import DATA, REVIEWS_GRAPH

PLACEHOLDER_URL = "urn:kg:review-not-published"


class UnknownClaimError(LookupError):
    """The claim to review is not in the store."""


@dataclass(frozen=True)
class Review:
    claim_iri: str
    rating: str
    author: str
    note: str
    date: str
    score: int | None = None
    url: str | None = None

    @property
    def iri(self) -> str:
        digest = hashlib.sha256(f"{self.claim_iri}|{self.author}|{self.date}|{self.rating}".encode()).hexdigest()
        return f"{DATA}review/{digest[:16]}"


def find_claim(store: Store, claim: str) -> str:
    """A claim's IRI from its IRI or its identifier (the current version's claim first)."""
    rows = store.select(f"""
        SELECT ?claim WHERE {{ GRAPH ?g {{ ?claim a schema:Claim ; schema:identifier ?id ;
                                              prov:wasDerivedFrom ?article }}
          FILTER(?id = {sparql_string(claim)} || STR(?claim) = {sparql_string(claim)})
          OPTIONAL {{ GRAPH ?h {{ ?newer prov:wasRevisionOf ?article }} }}
        }} ORDER BY BOUND(?newer)""")
    if not rows:
        raise UnknownClaimError(f"no claim {claim!r} in the store (see `kg claims --format json` for ids)")
    return rows[0]["claim"].value


def add_review(store: Store, claim: str, *, rating: str, author: str, note: str, date: str,
               score: int | None = None, url: str | None = None) -> Review:
    """Record a verdict on a claim in the reviews graph (one atomic update)."""
    review = Review(find_claim(store, claim), rating, author, note, date, score, url)
    optional = f"; schema:ratingValue {int(score)} " if score is not None else ""
    store.update(f"""INSERT DATA {{ GRAPH <{REVIEWS_GRAPH}> {{
        <{review.iri}> a schema:ClaimReview ; schema:itemReviewed <{review.claim_iri}> ;
            schema:author {sparql_string(author)} ; schema:datePublished {sparql_string(date)}^^xsd:date ;
            schema:reviewBody {sparql_string(note)} ; schema:url {sparql_string(url or PLACEHOLDER_URL)}^^xsd:anyURI ;
            schema:reviewRating <{review.iri}/rating> .
        <{review.iri}/rating> a schema:Rating ; schema:alternateName {sparql_string(rating)} {optional}.
    }} }}""")
    return review


REVIEWS = """
SELECT ?review ?claim ?rating ?score ?author ?date ?note ?url ?sentence ?source ?published ?articleUrl ?file
WHERE {
  GRAPH <%s> {
    ?review a schema:ClaimReview ; schema:itemReviewed ?claim ; schema:author ?author ;
      schema:datePublished ?date ; schema:reviewBody ?note ; schema:url ?url ;
      schema:reviewRating ?r . ?r schema:alternateName ?rating . OPTIONAL { ?r schema:ratingValue ?score }
  }
  OPTIONAL { GRAPH ?g { ?claim kg:sentence ?sentence ; prov:wasDerivedFrom ?article .
    ?article kg:file ?file .
    OPTIONAL { ?article schema:datePublished ?published }
    OPTIONAL { ?article schema:url ?articleUrl }
    OPTIONAL { ?claim kg:sourceChain ?step . ?step kg:position 0 ; kg:sourceText ?source } } }
} ORDER BY ?date ?review""" % REVIEWS_GRAPH


def reviews(store: Store) -> list[dict]:
    """Every review with the claim it judges."""
    return [{name: term.value for name, term in row.items()} for row in store.select(REVIEWS)]


def claim_review(row: dict) -> dict:
    """One review as a schema.org ClaimReview (the properties its guidelines require)."""
    rating = {"@type": "Rating", "alternateName": row["rating"]}
    if "score" in row:
        rating.update(ratingValue=int(row["score"]), bestRating=5, worstRating=1)
    claim = {"@type": "Claim", "@id": row["claim"],
             "author": {"@type": "Organization", "name": row.get("source") or "the article"},
             "appearance": {"@type": "NewsArticle", "url": row.get("articleUrl") or row.get("file")}}
    if row.get("published"):
        claim["datePublished"] = row["published"]
    return {"@context": "https://schema.org", "@type": "ClaimReview", "@id": row["review"],
            "url": row["url"], "claimReviewed": row.get("sentence", ""),
            "author": {"@type": "Organization", "name": row["author"]},
            "datePublished": row["date"], "reviewBody": row["note"],
            "reviewRating": rating, "itemReviewed": claim}


def claim_reviews_jsonld(store: Store) -> bytes:
    """All reviews as a JSON array of ClaimReview objects."""
    items = [claim_review(row) for row in reviews(store)]
    return (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode()
