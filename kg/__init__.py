"""kg: a knowledge graph of sourced claims read from French news articles."""
from __future__ import annotations

import os
from pathlib import Path

__version__ = "0.1.0"


def ontology_path(name: str) -> Path:
    """Path of a bundled ontology file, installed (kg/ontology) or in a source checkout.

    >>> ontology_path("kg.ttl").name
    'kg.ttl'
    """
    installed = Path(__file__).parent / "ontology" / name
    return installed if installed.exists() else Path(__file__).parent.parent / "ontology" / name


def extra_ontology_path(name: str) -> Path | None:
    """The user's extension of a data file, from the folder in `KG_ONTOLOGY_EXTRA`, if any."""
    folder = os.environ.get("KG_ONTOLOGY_EXTRA")
    candidate = Path(folder) / name if folder else None
    return candidate if candidate and candidate.exists() else None
