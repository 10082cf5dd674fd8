"""Known entities from the gazetteer data file: names, aliases, labels, Wikidata items.

>>> gazetteer()["afp"].outlet
True
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from kg import extra_ontology_path, ontology_path


@dataclass(frozen=True)
class KnownEntity:
    id: str
    label: str
    name: str
    aliases: tuple[str, ...]
    wikidata: str | None
    outlet: bool


@cache
def gazetteer() -> dict[str, KnownEntity]:
    """Known entities by id, from the bundled gazetteer and the user's extension."""
    known: dict[str, KnownEntity] = {}
    for path in filter(None, [ontology_path("gazetteer.jsonl"), extra_ontology_path("gazetteer.jsonl")]):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                known[row["id"]] = KnownEntity(
                    id=row["id"], label=row["label"], name=row["name"], aliases=tuple(row.get("aliases", ())),
                    wikidata=row.get("wikidata"), outlet=bool(row.get("outlet")),
                )
    return known
