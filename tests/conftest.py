"""Shared pytest fixtures."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kg.store import RemoteStore, open_store


# --- store fixtures ---------------------------------------------------------------------

def _oxigraph_binary() -> str:
    beside_python = Path(sys.executable).parent / "oxigraph"
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail(f"the oxigraph server binary is not installed (looked in {beside_python.parent} "
                    "and on PATH); install the test extra: pip install 'oxigraph>=0.5,<0.6'")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_answering(base_url: str, server: subprocess.Popen, *, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"oxigraph serve exited with {server.returncode}: {server.stderr.read()}")
        try:
            urllib.request.urlopen(f"{base_url}/query?query=ASK%7B%7D", timeout=1).close()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    pytest.fail(f"oxigraph serve did not answer on {base_url} within {seconds} s")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """Base URL of a real `oxigraph serve` on 127.0.0.1 (query: /query, update: /update)."""
    location = tmp_path_factory.mktemp("oxigraph-server")
    base_url = f"http://127.0.0.1:{_free_port()}"
    command = [_oxigraph_binary(), "serve", "--location", str(location),
               "--bind", base_url.removeprefix("http://")]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_answering(base_url, server)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def remote_store(oxigraph_server) -> RemoteStore:
    """A RemoteStore on the test server, emptied first; quick retries so failures stay fast."""
    store = open_store(endpoint=f"{oxigraph_server}/query", attempts=2, backoff=0.01)
    store.update("DROP ALL")
    yield store
    store.close()


# --- NLP fixtures -----------------------------------------------------------------------

@pytest.fixture(scope="session")
def nlp_md():
    """The real pipeline (fr_core_news_md + kg's components), loaded once per session.

    It is `default_pipeline()`, the very object `kg extract` and `kg ingest` use in-process,
    so tests that call the CLI with CliRunner share this one load.
    """
    from kg.nlp.pipeline import default_pipeline

    return default_pipeline()
