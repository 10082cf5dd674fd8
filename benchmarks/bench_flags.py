"""Flags at scale: recompute_flags on 10 000 and 100 000 synthetic claims.

    python benchmarks/bench_flags.py [--sizes 10000 100000] [--runs 3] [--per-key 10]

For each size, N-Quads in the shape kg/rdf.py writes (article versions with their date,
publisher and file; entity labels; claims with subject, relation, object, modality,
polarity, sentence, span, amount, first-hop source and source chain; 2 % of articles
revised, their previous version kept) are generated and bulk-loaded straight into an
embedded store in a temporary folder. About `--per-key` claims share each key; most agree
(exact, "environ" or "jusqu'à" the key's figure), some disagree, a few are denied, a few
use another currency.

Times (wall, and CPU time of the process: all its threads), median of --runs runs:
`recompute_flags(store)` (the claims read back by a few SELECTs run side by side, the stored
flags read meanwhile, group/compare, one atomic update of the flags that changed) twice over:
with the flags graph emptied first (every flag written: a first ingest) and on unchanged data
(nothing to write: a re-ingest); then the read alone and the grouping/comparison alone
(`find_flags` on claims already read).

Targets: 100k recompute < 5 s; 100k grouping+comparison < 1 s; 100k/10k ratio <= 12x.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import environment, median, ms, print_table, timed, verdict  # noqa: E402

from kg.conflicts import find_flags, read_claims, recompute_flags  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402
from kg.vocab import DATA, FLAGS_GRAPH, KG, PREFIXES  # noqa: E402

RECOMPUTE_TARGET, GROUPING_TARGET, RATIO_TARGET = 5.0, 1.0, 12.0
CLAIMS_PER_ARTICLE = 10
RELATIONS = ("invests_in", "valued_at", "market_cap", "capacity", "stake_in", "contract_with", "buys_from")
OUTLETS = [f"Journal {name}" for name in ("Alpha", "Bêta", "Gamma", "Delta", "Epsilon", "Zêta", "Êta", "Thêta",
                                            "Iota", "Kappa", "Lambda", "Mu", "Nu", "Xi", "Omicron", "Pi")]
SCHEMA, PROV, OA = PREFIXES["schema"], PREFIXES["prov"], PREFIXES["oa"]
RDF_TYPE, LABEL = f"<{PREFIXES['rdf']}type>", f"<{PREFIXES['rdfs']}label>"
XSD = PREFIXES["xsd"]


def iri(text: str) -> str:
    return f"<{text}>"


def literal(value, datatype: str | None = None) -> str:
    return str(ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))) if datatype else str(ox.Literal(value))


class Writer:
    """Collects N-Quads lines graph by graph."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.graph = ""

    def add(self, subject: str, predicate: str, value: str) -> None:
        self.lines.append(f"{subject} {predicate} {value} {self.graph} .\n")


def key_pool(claims: int, per_key: int, rng: random.Random) -> list[dict]:
    """The keys: subject, relation, object, unit and the figure most sources give."""
    keys = []
    for number in range(max(1, claims // per_key)):
        relation = RELATIONS[number % len(RELATIONS)]
        has_object = relation in ("invests_in", "stake_in", "contract_with", "buys_from")
        keys.append({"subject": f"societe-{number}", "relation": relation,
                     "object": f"cible-{number % 997}" if has_object else None,
                     "unit": "GW" if relation == "capacity" else rng.choice(("EUR", "USD")),
                     "value": float(rng.randint(1, 900)) * 1e6})
    return keys


def add_article(out: Writer, number: int, version: int, published: str, rng: random.Random) -> str:
    node = iri(f"{DATA}article/bench-{number}/v{version}")
    out.graph = iri(f"{DATA}graph/bench-{number}/v{version}")
    out.add(node, RDF_TYPE, iri(SCHEMA + "NewsArticle"))
    out.add(node, iri(SCHEMA + "identifier"), literal(f"bench-{number}"))
    out.add(node, iri(KG + "file"), literal(f"bench-{number}.txt"))
    out.add(node, iri(KG + "sha256"), literal(f"{number:032d}{version:032d}"))
    out.add(node, iri(SCHEMA + "datePublished"), literal(published, "date"))
    out.add(node, iri(SCHEMA + "publisher"), literal(rng.choice(OUTLETS)))
    if version > 1:
        out.add(node, iri(PROV + "wasRevisionOf"), iri(f"{DATA}article/bench-{number}/v{version - 1}"))
    return node


def add_entity(out: Writer, entity: str) -> str:
    node = iri(f"{DATA}entity/{entity}")
    out.add(node, RDF_TYPE, iri(SCHEMA + "Organization"))
    out.add(node, LABEL, literal(entity.replace("-", " ").title()))
    return node


def add_span(out: Writer, node: str, article: str, start: int, text: str) -> None:
    span, position, quote = node[:-1] + "/span>", node[:-1] + "/position>", node[:-1] + "/quote>"
    out.add(node, iri(KG + "span"), span)
    out.add(span, iri(OA + "hasSource"), article)
    out.add(span, iri(OA + "hasSelector"), position)
    out.add(span, iri(OA + "hasSelector"), quote)
    out.add(position, iri(OA + "start"), literal(start, "integer"))
    out.add(position, iri(OA + "end"), literal(start + len(text), "integer"))
    out.add(quote, iri(OA + "exact"), literal(text))


def figure(key: dict, rng: random.Random) -> tuple[str, float, str]:
    """(bound, value, unit): mostly the key's figure, sometimes another one or another currency."""
    draw, value, unit = rng.random(), key["value"], key["unit"]
    if draw < 0.12:
        return "exact", value * rng.choice((0.5, 1.6, 2.5)), unit
    if draw < 0.15 and unit != "GW":
        return "exact", value, "USD" if unit == "EUR" else "EUR"
    return rng.choice(("exact", "exact", "about", "up_to")), value, unit


def add_claim(out: Writer, article: str, prefix: str, index: int, key: dict, rng: random.Random) -> None:
    node = iri(f"{DATA}claim/{prefix}/c{index}")
    bound, value, unit = figure(key, rng)
    sentence = f"{key['subject']} {key['relation']} {key['object'] or ''} {value:.0f} {unit}."
    out.add(node, RDF_TYPE, iri(SCHEMA + "Claim"))
    out.add(node, iri(SCHEMA + "identifier"), literal(f"{prefix}-c{index}"))
    out.add(node, iri(KG + "subject"), add_entity(out, key["subject"]))
    if key["object"]:
        out.add(node, iri(KG + "object"), add_entity(out, key["object"]))
    out.add(node, iri(KG + "relation"), iri(KG + key["relation"]))
    draw = rng.random()
    modality = "denied" if draw < 0.03 else "rumor" if draw < 0.15 else "reported" if draw < 0.7 else "asserted"
    out.add(node, iri(KG + "modality"), iri(KG + modality))
    out.add(node, iri(KG + "polarity"), iri(KG + ("negative" if modality == "denied" else "positive")))
    out.add(node, iri(KG + "sentence"), literal(sentence))
    out.add(node, iri(PROV + "wasDerivedFrom"), article)
    add_span(out, node, article, index * 100, sentence)
    amount = node[:-1] + "/amount>"
    out.add(node, iri(KG + "amount"), amount)
    out.add(amount, iri(KG + "bound"), iri(KG + bound))
    out.add(amount, iri(KG + "rawText"), literal(f"{value:.0f} {unit}"))
    out.add(amount, iri(SCHEMA + "value"), literal(value, "double"))
    out.add(amount, iri(SCHEMA + ("unitText" if unit == "GW" else "currency")), literal(unit))
    if modality == "reported":
        source = add_entity(out, rng.choice(OUTLETS).lower().replace(" ", "-"))
        step = node[:-1] + "/source/0>"
        out.add(node, iri(KG + "source"), source)
        out.add(node, iri(KG + "sourceChain"), step)
        out.add(step, iri(KG + "position"), literal(0, "integer"))
        out.add(step, iri(KG + "agent"), source)
        out.add(step, iri(KG + "sourceText"), literal("selon le journal"))


def synthetic_nquads(claims: int, per_key: int, seed: int = 7) -> str:
    """About `claims` current claims, ~`per_key` per key, in articles of 10 claims."""
    rng = random.Random(seed)
    keys = key_pool(claims, per_key, rng)
    out = Writer()
    for number in range(claims // CLAIMS_PER_ARTICLE):
        published = f"202{rng.randint(4, 6)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        chosen = rng.sample(keys, min(CLAIMS_PER_ARTICLE, len(keys)))
        versions = 2 if rng.random() < 0.02 else 1
        for version in range(1, versions + 1):
            article = add_article(out, number, version, published, rng)
            for index, key in enumerate(chosen, start=1):
                add_claim(out, article, f"bench-{number}-v{version}", index, key, rng)
    return "".join(out.lines)


def build_store(folder: Path, claims: int, per_key: int) -> tuple[EmbeddedStore, int]:
    data = synthetic_nquads(claims, per_key)
    raw = ox.Store(str(folder))
    raw.bulk_load(data.encode(), ox.RdfFormat.N_QUADS)
    raw.flush()
    del raw
    return EmbeddedStore(folder), data.count("\n")


def clear_flags(store: EmbeddedStore) -> None:
    store.update(f"DROP SILENT GRAPH <{FLAGS_GRAPH}>")


def clocked(function, *args, **kwargs) -> tuple[float, float, object]:
    """(wall s, CPU s of this process, result): on a shared machine the CPU time is the steadier
    figure (it counts every thread: with cores free it exceeds the wall time, as the read runs
    its queries side by side), the wall time what a user waits."""
    cpu = time.process_time()
    wall, result = timed(function, *args, **kwargs)
    return wall, time.process_time() - cpu, result


def cold_recompute(store: EmbeddedStore) -> tuple[float, float, object]:
    """recompute_flags with an empty flags graph: every flag is written."""
    clear_flags(store)
    return clocked(recompute_flags, store)


def medians(runs: list[tuple]) -> tuple[float, float]:
    """Median wall and median CPU time of (wall, cpu, result) runs."""
    return median(run[0] for run in runs), median(run[1] for run in runs)


def measure(store: EmbeddedStore, runs: int) -> dict:
    cold = [cold_recompute(store) for _ in range(runs)]
    warm = [clocked(recompute_flags, store) for _ in range(runs)]  # unchanged data: nothing to write
    reads = [clocked(read_claims, store, history=True, sentences=False) for _ in range(runs)]
    claims, versions = reads[0][2]
    grouping = [clocked(find_flags, claims, versions) for _ in range(runs)]
    flags = grouping[0][2]
    return {"claims": sum(claim.current for claim in claims), "flags": len(flags),
            "cold": medians(cold), "warm": medians(warm), "read": medians(reads), "grouping": medians(grouping),
            "kinds": ", ".join(f"{kind} {sum(f.kind == kind for f in flags)}"
                               for kind in ("conflict", "update", "denial", "corroboration", "revision"))}


STAGES = {"cold": "recompute, all flags new", "warm": "recompute, unchanged", "read": "read",
          "grouping": "group+compare"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--per-key", type=int, default=10)
    args = parser.parse_args()
    print(environment())
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="kg-bench-flags-") as folder:
            (load_time, (store, quads)) = timed(build_store, Path(folder), size, args.per_key)
            print(f"{size} claims: {quads} quads generated and bulk-loaded in {load_time:.1f} s", file=sys.stderr)
            with store:
                results.append({"size": size, "quads": quads, **measure(store, args.runs)})
    print_table([{"claims": r["claims"], "quads": r["quads"], "flags": r["flags"],
                  **{f"{label} ms (wall / cpu)": f"{ms(r[stage][0])} / {ms(r[stage][1])}"
                     for stage, label in STAGES.items()},
                  "flags by kind": r["kinds"]} for r in results],
                title=f"recompute_flags, median of {args.runs} runs")
    report(results)


def report(results: list[dict]) -> None:
    small, large = results[0], results[-1]
    if len(results) > 1:
        scale = large["size"] / small["size"]
        for clock, which in (("wall", 0), ("CPU", 1)):
            ratios = {stage: large[stage][which] / small[stage][which] for stage in STAGES}
            told = ", ".join(f"{label} {ratios[stage]:.2f}x" for stage, label in STAGES.items())
            print(f"\n{large['size']}/{small['size']} {clock} time ratio ({scale:.0f}x the claims): {told} "
                  f"(target <= {RATIO_TARGET:.0f}x: {verdict(max(ratios.values()) <= RATIO_TARGET)})", end="")
        print()
    for stage, target in (("cold", RECOMPUTE_TARGET), ("warm", RECOMPUTE_TARGET), ("grouping", GROUPING_TARGET)):
        wall, cpu = large[stage]
        print(f"{large['size']} claims: {STAGES[stage]} {wall:.2f} s wall, {cpu:.2f} s CPU "
              f"(target < {target:.0f} s: {verdict(wall < target)} on wall time, {verdict(cpu < target)} on CPU time)")


if __name__ == "__main__":
    main()
