"""Every command against a real `oxigraph serve` on 127.0.0.1 gives what the embedded store gives."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.queries import named_queries, query_parameters
from kg.store import open_store

CORPUS = Path(__file__).parent.parent / "corpus"
EXAMPLE_VALUES = {"entity": "Nvidia", "subject": "Nvidia", "label": "Nvidia", "source": "Reuters"}


def kg(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def stores(oxigraph_server, tmp_path_factory) -> tuple[list[str], list[str]]:
    """Global options for the embedded and the remote store, both holding the corpus."""
    with open_store(endpoint=f"{oxigraph_server}/query") as remote:
        remote.update("DROP ALL")
    embedded = ["--store", str(tmp_path_factory.mktemp("embedded") / "store")]
    remote = ["--endpoint", f"{oxigraph_server}/query"]
    for options in (embedded, remote):
        result = kg(*options, "ingest", str(CORPUS))
        assert result.exit_code == 0, result.output
    return embedded, remote


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_queries_answer_the_same_remote_and_embedded(stores, name):
    embedded, remote = stores
    params = [f"--param={p}={EXAMPLE_VALUES[p]}" for p in query_parameters(named_queries()[name].read_text("utf-8"))]
    answers = [kg(*options, "query", "--named", name, *params, "--format", "json") for options in stores]
    assert all(answer.exit_code == 0 for answer in answers), [a.output for a in answers]
    rows = [json.loads(answer.stdout)["results"]["bindings"] for answer in answers]
    assert rows[0] and rows[0] == rows[1]


@pytest.mark.parametrize("command", [["claims", "--format", "json"], ["conflicts", "--format", "json"],
                                     ["stats"], ["timeline", "Nvidia", "--format", "json"]])
def test_views_answer_the_same_remote_and_embedded(stores, command):
    embedded, remote = stores
    assert kg(*embedded, *command).stdout == kg(*remote, *command).stdout


def test_reingest_on_the_server_changes_nothing(stores):
    _, remote = stores
    before = kg(*remote, "stats").stdout
    result = kg(*remote, "ingest", str(CORPUS))
    assert "0 added, 0 revised, 2 unchanged" in result.stderr
    assert kg(*remote, "stats").stdout == before


def test_a_server_that_is_down_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(main, ["--endpoint", "http://127.0.0.1:9/query", "stats"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "unreachable" in result.stderr
