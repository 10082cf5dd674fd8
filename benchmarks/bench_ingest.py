"""Ingest throughput of kg against bare spaCy, and --jobs 2 against --jobs 1.

    python benchmarks/bench_ingest.py [--quick] [--articles N] [--runs R] [--no-cli]

N distinct French articles (300-600 words, recombined from the project's own sentences
with organisation names swapped and numbers changed) are written to a folder with a
manifest. In one process, with both pipelines loaded beforehand, each run times in turn:

* bare `nlp.pipe` of `spacy.load("fr_core_news_md")` over the articles' clean texts
  (the baseline), and the same with n_process=2 (what spaCy itself gains from 2 workers);
* `kg.ingest.ingest` into a fresh embedded store (read, NLP + kg components, RDF, one
  atomic write per article, flags), with `extract_many(n_process=1)` and `n_process=2`.
  The n_process=2 workers are forked from this process, which already holds the model.

Then one instrumented ingest splits the time by stage, and (unless --no-cli) the command
`kg -q --store DIR ingest FOLDER --jobs 1|2` is timed end to end as a user runs it
(interpreter start, imports, model loading in every worker).

Targets: ingest >= 0.8x bare nlp.pipe throughput; --jobs 2 >= 1.6x --jobs 1.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (environment, generate_articles, median, parallel_capacity, print_table,  # noqa: E402
                    ratio, run_child, timed, verdict, write_corpus)

INGEST_RATIO = 0.8
JOBS_RATIO = 1.6


def cpu_seconds() -> float:
    """User + system time of this process (all threads) and of its terminated, reaped children."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def bare_pipe(nlp, texts: list[str], n_process: int = 1) -> int:
    """Tokens of `texts` through nlp.pipe; with workers, batches small enough that each worker gets
    several (nlp.pipe's default batch of 256 texts would hand all of them to one worker)."""
    if n_process == 1:
        return sum(len(doc) for doc in nlp.pipe(texts))
    batch_size = max(1, len(texts) // (4 * n_process))
    return sum(len(doc) for doc in nlp.pipe(texts, n_process=n_process, batch_size=batch_size))


def kg_ingest(folder: Path, work: Path, jobs: int) -> object:
    from kg.ingest import ingest
    from kg.nlp.pipeline import extract_many
    from kg.store import open_store

    location = Path(tempfile.mkdtemp(prefix="store-", dir=work))
    try:
        with open_store(path=location) as store:
            report = ingest([str(folder)], store,
                            extract_many=lambda articles: extract_many(articles, n_process=jobs))
        if report.errors or len(report.added) == 0:
            raise RuntimeError(f"ingest went wrong: {report.summary()} {report.errors[:3]}")
        return report
    finally:
        shutil.rmtree(location, ignore_errors=True)


@contextlib.contextmanager
def stage_timer():
    """Patch kg's stage functions with timing wrappers; yields {stage: seconds}.

    A top-level stage called inside another (the flags update inside recompute_flags) is
    counted in the outer one only; sub-stages (names starting with two spaces) always count.
    """
    import kg.conflicts
    import kg.ingest
    import kg.nlp.pipeline as pipeline
    import kg.store

    spent: dict[str, float] = defaultdict(float)
    patched: list[tuple[object, str, object]] = []
    active: list[str] = []

    def record(stage: str, seconds: float) -> None:
        if stage.startswith("  ") or not active:
            spent[stage] += seconds

    def wrap(owner, name: str, stage: str) -> None:
        original = getattr(owner, name)

        def timed_call(*args, **kwargs):
            start = time.perf_counter()
            outer = not stage.startswith("  ")
            if outer:
                active.append(stage)
            try:
                return original(*args, **kwargs)
            finally:
                if outer:
                    active.pop()
                record(stage, time.perf_counter() - start)

        patched.append((owner, name, original))
        setattr(owner, name, timed_call)

    def wrap_generator(owner, name: str, stage: str) -> None:
        original = getattr(owner, name)

        def timed_generator(*args, **kwargs):
            iterator = iter(original(*args, **kwargs))
            while True:
                start = time.perf_counter()
                active.append(stage)
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    active.pop()
                    record(stage, time.perf_counter() - start)
                yield item

        patched.append((owner, name, original))
        setattr(owner, name, timed_generator)

    wrap_generator(kg.ingest, "read_articles", "read files (kg.corpus)")
    wrap(kg.ingest, "stored_versions", "stored versions query")
    wrap_generator(pipeline, "extract_many", "extract_many (NLP + extraction)")
    wrap(pipeline, "entities_of", "  entities_of")
    wrap(pipeline, "parse_amounts", "  parse_amounts")
    wrap(pipeline, "with_table_amounts", "  with_table_amounts")
    wrap(pipeline, "claims_of", "  claims_of")
    wrap(kg.ingest, "article_nquads", "article_nquads (RDF text)")
    wrap(kg.store.EmbeddedStore, "replace_graphs", "store.replace_graphs (parse + write)")
    wrap(kg.store.EmbeddedStore, "update", "store.update (oxigraph SPARQL update)")
    wrap(kg.conflicts, "recompute_flags", "recompute_flags (whole)")
    try:
        yield spent
    finally:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)


def breakdown(folder: Path, work: Path) -> tuple[float, dict[str, float]]:
    """One ingest (jobs=1) split by stage; `ingest()` takes extract_many from kg.nlp.pipeline."""
    from kg.ingest import ingest
    from kg.store import open_store

    location = Path(tempfile.mkdtemp(prefix="store-", dir=work))
    with stage_timer() as spent, open_store(path=location) as store:
        seconds, _ = timed(ingest, [str(folder)], store)
    shutil.rmtree(location, ignore_errors=True)
    top = {k: v for k, v in spent.items() if not k.startswith("  ")}
    inner = {k: v for k, v in spent.items() if k.startswith("  ")}
    inner["  spaCy nlp.pipe (the rest of extract_many)"] = (
        top.get("extract_many (NLP + extraction)", 0) - sum(inner.values()))
    stages: dict[str, float] = {}
    for key, value in top.items():
        stages[key] = value
        if key.startswith("extract_many"):
            stages.update(inner)
    stages["other (ingest loop glue)"] = seconds - sum(top.values())
    return seconds, stages


def component_times(nlp, texts: list[str]) -> dict[str, float]:
    """Seconds spent in each pipeline component over `texts` (batches of 16, as kg runs them)."""
    docs = [nlp.make_doc(text) for text in texts]
    spent = {}
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=16))
        else:
            docs = [component(doc) for doc in docs]
        spent[name] = time.perf_counter() - start
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="8 articles, 3 runs, 1 CLI run.")
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cli-runs", type=int, default=3)
    parser.add_argument("--no-cli", action="store_true", help="Skip the end-to-end `kg ingest` runs.")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.runs, args.cli_runs = 8, 3, 1

    print(f"# bench_ingest ({environment()})")
    work = Path(tempfile.mkdtemp(prefix="kg-bench-ingest-"))
    try:
        articles = generate_articles(args.articles, seed=args.seed)
        folder = write_corpus(work / "corpus", articles)
        warm = write_corpus(work / "warm", generate_articles(2, seed=args.seed + 1000))

        import spacy

        from kg.corpus import read_articles
        from kg.nlp.pipeline import DEFAULT_MODEL, default_pipeline

        texts = [a.text for a in read_articles([str(folder)])]
        words = sum(len(t.split()) for t in texts)
        load_bare, nlp = timed(spacy.load, DEFAULT_MODEL)
        load_kg, _ = timed(default_pipeline)
        print(f"{len(texts)} articles, {words:,} words; model load: bare {load_bare:.1f} s, kg pipeline {load_kg:.1f} s")

        tokens = bare_pipe(nlp, texts[:2])  # warm-ups
        kg_ingest(warm, work, 1)
        kg_ingest(warm, work, 2)
        tokens = bare_pipe(nlp, texts)

        times: dict[str, list[float]] = defaultdict(list)
        cpu: dict[str, list[float]] = defaultdict(list)
        steps = [("bare nlp.pipe", lambda: bare_pipe(nlp, texts)),
                 ("bare nlp.pipe n_process=2", lambda: bare_pipe(nlp, texts, 2)),
                 ("kg ingest jobs=1", lambda: kg_ingest(folder, work, 1)),
                 ("kg ingest jobs=2", lambda: kg_ingest(folder, work, 2))]
        for run in range(args.runs):
            order = steps[run % len(steps):] + steps[: run % len(steps)]  # rotate: drift hits all alike
            for name, step in order:
                before = cpu_seconds()
                seconds, _ = timed(step)
                times[name].append(seconds)
                cpu[name].append(cpu_seconds() - before)
                print(f"  run {run + 1}: {name} {seconds:.2f} s, cpu {cpu[name][-1]:.2f} s", file=sys.stderr)

        capacity = parallel_capacity()
        medians = {name: median(values) for name, values in times.items()}
        bare, one, two = medians["bare nlp.pipe"], medians["kg ingest jobs=1"], medians["kg ingest jobs=2"]
        cpu_medians = {name: median(values) for name, values in cpu.items()}
        rows = [{"what": name, "median s": f"{m:.2f}", "runs": " ".join(f"{v:.2f}" for v in times[name]),
                 "tokens/s": f"{tokens / m:,.0f}", "articles/s": f"{len(texts) / m:.2f}",
                 "vs bare": ratio(bare, m), "cpu s": f"{cpu_medians[name]:.2f}",
                 "cpu vs bare": ratio(cpu_medians["bare nlp.pipe"], cpu_medians[name])}
                for name, m in medians.items()]
        print_table(rows, title=f"{len(texts)} articles, {tokens:,} tokens (spaCy), in-process, medians of "
                                f"{args.runs}; cpu = user+sys of this process and its reaped workers")

        bare_parts, kg_parts = component_times(nlp, texts), component_times(default_pipeline(), texts)
        print_table([{"component": name, "bare s": f"{bare_parts[name]:.2f}" if name in bare_parts else "-",
                      "kg pipeline s": f"{kg_parts[name]:.2f}" if name in kg_parts else "-"}
                     for name in dict.fromkeys([*kg_parts, *bare_parts])]
                    + [{"component": "total", "bare s": f"{sum(bare_parts.values()):.2f}",
                        "kg pipeline s": f"{sum(kg_parts.values()):.2f}"}],
                    title="spaCy components, one pass each (batches of 16)")

        seconds, stages = breakdown(folder, work)
        print_table([{"stage": k, "s": f"{v:.2f}", "share": f"{100 * v / seconds:.0f} %"} for k, v in stages.items()],
                    title=f"one instrumented kg ingest, jobs=1: {seconds:.2f} s")

        cli: dict[int, list[float]] = defaultdict(list)
        rss: dict[int, list[float]] = defaultdict(list)
        if not args.no_cli:
            kg_binary = shutil.which("kg") or str(Path(sys.executable).parent / "kg")
            for run in range(args.cli_runs):
                for jobs in ((1, 2) if run % 2 == 0 else (2, 1)):
                    location = work / f"cli-store-{jobs}-{run}"
                    result = run_child([kg_binary, "-q", "--store", str(location), "ingest", str(folder),
                                        "--jobs", str(jobs)], stdout=subprocess.DEVNULL)
                    if result.returncode != 0:
                        raise RuntimeError(result.stderr.decode()[-2000:])
                    cli[jobs].append(result.seconds)
                    rss[jobs].append(result.tree_rss_mb)
                    print(f"  cli run {run + 1}: --jobs {jobs} {result.seconds:.2f} s, peak RSS {result.max_rss_mb:.0f} MB "
                          f"(main process), {result.tree_rss_mb:.0f} MB (with workers)", file=sys.stderr)
                    shutil.rmtree(location, ignore_errors=True)
            print_table([{"command": f"kg ingest --jobs {jobs}", "median s": f"{median(v):.2f}",
                          "runs": " ".join(f"{x:.2f}" for x in v), "articles/s": f"{len(texts) / median(v):.2f}",
                          "vs --jobs 1": ratio(median(cli[1]), median(v)),
                          "peak RSS MB (all processes)": f"{max(rss[jobs]):.0f}"} for jobs, v in sorted(cli.items())],
                        title="end to end, as a user runs it (includes start-up and model loading)")

        bare2 = medians["bare nlp.pipe n_process=2"]
        print("\ntargets")
        cpu_ratio = cpu_medians["bare nlp.pipe"] / cpu_medians["kg ingest jobs=1"]
        print(f"  ingest / bare nlp.pipe throughput = {bare / one:.2f} by wall time, {cpu_ratio:.2f} by cpu time "
              f"(target >= {INGEST_RATIO}): {verdict(bare / one >= INGEST_RATIO)}")
        print(f"  jobs 2 / jobs 1 (in-process, model already loaded) = {one / two:.2f} "
              f"(target >= {JOBS_RATIO}): {verdict(one / two >= JOBS_RATIO)}; "
              f"spaCy alone gets {bare / bare2:.2f} from n_process=2; 2 processes of pure CPU work get "
              f"{capacity:.2f} on these {os.cpu_count()} shared cpu(s) right now")
        if cli:
            e2e = median(cli[1]) / median(cli[2])
            print(f"  jobs 2 / jobs 1 (end to end `kg ingest`) = {e2e:.2f} (target >= {JOBS_RATIO}): {verdict(e2e >= JOBS_RATIO)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
