"""Export of the generated ~1M-triple store through kg.export.export, against `oxigraph dump`.

    python benchmarks/bench_export.py [--quick] [--quads N] [--runs R] [--slow-runs R] [--formats ...]

Each export runs in a child process (so that its peak RSS, from wait4's ru_maxrss, is its
own): `kg.export.export(store, fmt=..., out=file)` on the store opened read-only, for
N-Quads, Turtle and JSON-LD; the baseline is the CLI `oxigraph dump --location DIR --file
out.nq` on the same store. Wall times are end to end (process start included, for both);
the time spent inside export() is printed too.

Two other JSON-LD writers are measured as well:

* `jsonld-whole`: the whole store as one rdflib Dataset, then kg.jsonld.to_jsonld: the same
  bytes as kg's graph-by-graph `jsonld` export (checked on a small store first), for memory;
* `jsonld-oxigraph`: pyoxigraph's own streaming JSON-LD writer (expanded form, not compacted
  with ontology/context.jsonld), for scale.

Targets: >= 0.5x the speed of oxigraph dump; peak RSS < 1 GB. On a loaded machine the CPU
time (user + system, from wait4) of each child is the steadier figure: "CPU vs dump".
"""
from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import (StoreShape, environment, median, print_table, run_child, synthetic_store,  # noqa: E402
                    verdict)

SPEED_RATIO = 0.5
MEMORY_MB = 1024
FORMATS = ("nquads", "turtle", "jsonld", "jsonld-whole", "jsonld-oxigraph")
SLOW = ("jsonld-whole",)

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[4])
start = time.perf_counter()
import pyoxigraph as ox
from kg.store import open_store
from kg.export import export
imported = time.perf_counter()
location, fmt, target = sys.argv[1:4]
with open(target, "wb") as out:
    if fmt == "jsonld-whole":
        from kg.export import dataset_of
        from kg.jsonld import to_jsonld
        to_jsonld(dataset_of(open_store(path=location, read_only=True)), out=out)
    elif fmt == "jsonld-oxigraph":
        from kg.vocab import PREFIXES
        ox.Store.read_only(location).dump(out, ox.RdfFormat.JSON_LD, prefixes=PREFIXES)
    else:
        export(open_store(path=location, read_only=True), fmt=fmt, out=out)
done = time.perf_counter()
hwm = next(int(line.split()[1]) / 1024 for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"import": imported - start, "export": done - imported, "hwm": hwm}))
"""


def check_streamed_identical(folder: Path) -> bool:
    """kg's graph-by-graph JSON-LD and the whole-dataset rdflib one give the same bytes on `folder`."""
    from kg.export import dataset_of, export
    from kg.jsonld import to_jsonld
    from kg.store import open_store

    store = open_store(path=folder, read_only=True)
    reference, streamed = io.BytesIO(), io.BytesIO()
    to_jsonld(dataset_of(store), out=reference)
    export(store, fmt="jsonld", out=streamed)
    store.close()
    return reference.getvalue() == streamed.getvalue()


def count_triples(path: Path, fmt: str) -> int:
    import pyoxigraph as ox

    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "nquads": ox.RdfFormat.N_QUADS}[fmt]
    return sum(1 for _ in ox.parse(path=str(path), format=rdf_format))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="A 50 000-quad store.")
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="Runs per format (median).")
    parser.add_argument("--slow-runs", type=int, default=3, help="Runs of the rdflib JSON-LD export.")
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    args = parser.parse_args(argv)
    if args.quick:
        args.quads = 50_000

    print(f"# bench_export ({environment()})")
    small, _ = synthetic_store(StoreShape(articles=3))
    identical = check_streamed_identical(small)
    print(f"kg's JSON-LD export gives the same bytes as the whole-dataset writer on a 3-article store: {identical}")

    folder, info = synthetic_store(StoreShape.for_quads(args.quads))
    print(f"store: {folder}: {info['store_quads']:,} quads, {info['versions']:,} graphs")
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    work = Path(tempfile.mkdtemp(prefix="kg-bench-export-"))
    try:
        jobs = [("oxigraph dump", None)] + [(fmt, fmt) for fmt in args.formats]
        runs = {name: [] for name, _ in jobs}
        for run in range(max(args.runs, args.slow_runs)):
            for name, fmt in jobs:
                if run >= (args.slow_runs if fmt in SLOW else args.runs):
                    continue
                target = work / f"out-{name.replace(' ', '-')}.{'nq' if fmt in (None, 'nquads') else 'out'}"
                if fmt is None:
                    command = [oxigraph, "dump", "--location", str(folder), "--file", str(target)]
                else:
                    command = [sys.executable, "-c", CHILD, str(folder), fmt, str(target), str(HERE)]
                result = run_child(command, stdout=subprocess.PIPE)
                if result.returncode != 0:
                    raise RuntimeError(f"{name} failed: {result.stderr.decode()[-2000:]}")
                inner = json.loads(result.stdout) if fmt else {}
                size = target.stat().st_size
                entry = {"seconds": result.seconds, "cpu": result.cpu_seconds, "rss": max(result.max_rss_mb, inner.get("hwm", 0)),
                         "size": size, **inner}
                if run == 0 and fmt in ("turtle", "nquads"):
                    entry["triples"] = count_triples(target, fmt)
                target.unlink()
                runs[name].append(entry)
                print(f"  run {run + 1}: {name} {result.seconds:.2f} s (CPU {result.cpu_seconds:.2f} s), peak RSS {result.max_rss_mb:.0f} MB, "
                      f"{size / 2**20:.0f} MB written", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    base = median(e["seconds"] for e in runs["oxigraph dump"])
    base_cpu = median(e["cpu"] for e in runs["oxigraph dump"])
    rows = []
    for name, entries in runs.items():
        seconds = median(e["seconds"] for e in entries)
        rss = max(e["rss"] for e in entries)
        speed = base / seconds
        inner = [e["export"] for e in entries if "export" in e]
        triples = next((e["triples"] for e in entries if "triples" in e), None)
        rows.append({
            "export": name, "runs": len(entries), "wall s": f"{seconds:.2f}",
            "in export() s": f"{median(inner):.2f}" if inner else "-",
            "MB written": f"{entries[0]['size'] / 2**20:.0f}",
            "triples out": f"{triples:,}" if triples else "-",
            "speed vs dump": f"{speed:.2f}x", "CPU s": f"{median(e['cpu'] for e in entries):.2f}",
            "CPU vs dump": f"{base_cpu / median(e['cpu'] for e in entries):.2f}x", "peak RSS MB": f"{rss:.0f}",
            "speed >=0.5x": verdict(speed >= SPEED_RATIO) if name != "oxigraph dump" else "-",
            "RSS <1 GB": verdict(rss < MEMORY_MB),
        })
    print_table(rows, title=f"{info['store_quads']:,} quads; wall = child process end to end, median of runs; "
                            "peak RSS = max over runs")
    union = None
    try:
        from kg.store import open_store

        store = open_store(path=folder, read_only=True)
        union = int(store.select("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }")[0]["n"].value)
        store.close()
    except Exception as error:  # noqa: BLE001 - informative only
        print(f"(distinct union count failed: {error})")
    if union is not None:
        print(f"distinct triples in the union of all graphs: {union:,} (what a duplicate-free Turtle export holds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
