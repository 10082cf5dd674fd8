"""Start-up time of the `kg` command, and which imports it pays for.

    python benchmarks/bench_startup.py [--quick] [--runs R]

Times, as subprocesses (median of --runs after one warm-up): `python -c pass` (the
interpreter alone, the floor), `kg --help`, and `kg --store DIR query 'SELECT ...'` on a
small generated store. Then `python -X importtime` of the same two commands: the slowest
imports, and every heavy package (spaCy, rdflib, trafilatura, pyshacl, networkx, ...)
with the kg module that pulled it in.

Targets: `kg --help` < 0.5 s; `kg query` on a small store < 1 s.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import StoreShape, environment, median, print_table, run_child, synthetic_store, verdict  # noqa: E402

HELP_TARGET = 0.5
QUERY_TARGET = 1.0
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?claim a schema:Claim }"
HEAVY = ("spacy", "thinc", "rdflib", "trafilatura", "pyshacl", "networkx", "numpy", "charset_normalizer",
         "ftfy", "py3langid", "lxml", "pyoxigraph")
# what each command legitimately needs (timeline draws on networkx; the others read the store)
NEEDED = {"kg --help": {"click"}, "kg query": {"click", "pyoxigraph"}, "kg stats": {"pyoxigraph"},
          "kg claims": {"pyoxigraph"}, "kg conflicts": {"pyoxigraph"}, "kg timeline": {"pyoxigraph", "networkx"},
          "kg export --format nquads": {"pyoxigraph"}}
RUNNER = "import sys; from kg.cli import main; sys.argv[0] = 'kg'; main()"


def parse_importtime(text: str) -> list[dict]:
    """`-X importtime` lines as nodes {name, self, cumulative, depth, parent}, in import order of completion."""
    nodes: list[dict] = []
    pending: list[dict] = []
    for line in text.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not match:
            continue
        node = {"name": match.group(4), "self": int(match.group(1)) / 1e6,
                "cumulative": int(match.group(2)) / 1e6, "depth": (len(match.group(3)) - 1) // 2,
                "parent": None}
        while pending and pending[-1]["depth"] > node["depth"]:
            pending.pop()["parent"] = node
        pending.append(node)
        nodes.append(node)
    return nodes


def chain(node: dict) -> list[str]:
    names = []
    while node is not None:
        names.append(node["name"])
        node = node["parent"]
    return names[::-1]


def importtime(args: list[str]) -> list[dict]:
    command = [sys.executable, "-X", "importtime", "-c", RUNNER, *args]
    result = subprocess.run(command, capture_output=True, text=True)
    return parse_importtime(result.stderr)


def heavy_imports(nodes: list[dict]) -> list[dict]:
    """The first (outermost) import of each heavy package, and the kg module that asked for it."""
    found: dict[str, dict] = {}
    for node in nodes:
        top = node["name"].split(".")[0]
        if top in HEAVY and top not in found:
            outer = node
            while outer["parent"] is not None and outer["parent"]["name"].split(".")[0] == top:
                outer = outer["parent"]
            path = chain(outer)
            kg_modules = [name for name in path if name == "kg" or name.startswith("kg.")]
            found[top] = {"package": top, "cumulative s": outer["cumulative"],
                          "imported by": kg_modules[-1] if kg_modules else path[0],
                          "chain": " > ".join(path)}
    return sorted(found.values(), key=lambda row: -row["cumulative s"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs.")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = 3

    print(f"# bench_startup ({environment()})")
    folder, info = synthetic_store(StoreShape(articles=3))
    kg = shutil.which("kg") or str(Path(sys.executable).parent / "kg")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import click'": [sys.executable, "-c", "import click"],
        "kg --help": [kg, "--help"],
        "kg query": [kg, "--store", str(folder), "query", QUERY, "--format", "csv"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # warm-up: the page cache, .pyc files
        run_child(command, stdout=subprocess.DEVNULL)
    for run in range(args.runs):
        for name, command in commands.items():
            result = run_child(command, stdout=subprocess.PIPE)
            if result.returncode != 0:
                raise RuntimeError(f"{name} failed: {result.stderr.decode()[-1000:]}")
            times[name].append(result.seconds)
    floor = median(times["python -c pass"])
    targets = {"kg --help": HELP_TARGET, "kg query": QUERY_TARGET}
    rows = []
    for name, values in times.items():
        m = median(values)
        target = targets.get(name)
        rows.append({"command": name, "median s": f"{m:.3f}", "runs": " ".join(f"{v:.2f}" for v in values),
                     "vs bare python": f"{m / floor:.1f}x",
                     "target": f"< {target} s" if target else "-",
                     "verdict": verdict(m < target) if target else "-"})
    print_table(rows, title=f"wall time of a subprocess, median of {args.runs} after a warm-up")

    summary: list[dict] = []
    store = ["--store", str(folder)]
    entity = info["entities"]["top"]
    for name, cli_args in (("kg --help", ["--help"]),
                           ("kg query", [*store, "query", QUERY, "--format", "csv"]),
                           ("kg stats", [*store, "stats"]),
                           ("kg claims", [*store, "claims", "--entity", entity]),
                           ("kg conflicts", [*store, "conflicts"]),
                           ("kg timeline", [*store, "timeline", entity]),
                           ("kg export --format nquads", [*store, "export", "--format", "nquads", "-o", "/dev/null"])):
        nodes = importtime(cli_args)
        total = sum(n["self"] for n in nodes)
        summary.append({"command": name, "imports s": f"{total:.3f}"})
        if name in ("kg --help", "kg query"):
            top = sorted((n for n in nodes if n["depth"] == 0), key=lambda n: -n["cumulative"])[:8]
            print_table([{"module": n["name"], "cumulative s": f"{n['cumulative']:.3f}"} for n in top],
                        title=f"{name}: slowest top-level imports (all imports: {total:.3f} s)")
        heavy = heavy_imports(nodes)
        unneeded = [row for row in heavy if row["package"] not in NEEDED[name]]
        if heavy and name in ("kg --help", "kg query"):
            print_table([{**row, "cumulative s": f"{row['cumulative s']:.3f}",
                          "needed": "yes" if row["package"] in NEEDED[name] else "NO"} for row in heavy],
                        ["package", "cumulative s", "imported by", "needed", "chain"],
                        title=f"{name}: heavy packages imported")
        summary[-1]["not needed"] = ", ".join(f"{row['package']} via {row['imported by']} ({row['cumulative s']:.3f} s)"
                                              for row in unneeded) or "none"
    print_table(summary, title="-X importtime per command: total import time, heavy packages it does not need")
    return 0


if __name__ == "__main__":
    sys.exit(main())
