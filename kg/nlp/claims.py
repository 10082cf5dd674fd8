"""Sourced claims (placeholder until the claim extractor lands)."""
from __future__ import annotations


def claims_of(doc, article, entities, amounts):
    return []
