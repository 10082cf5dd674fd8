"""Conflicts, updates, denials, corroborations and revisions between claims (DESIGN §5)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Flag:
    """A derived flag between claims (placeholder, being written)."""

    kind: str
    key: tuple
    claims: list = field(default_factory=list)
    reason: str = ""


def recompute_flags(store) -> list[Flag]:
    """Recompute the flags graph (placeholder: returns no flags yet)."""
    return []
