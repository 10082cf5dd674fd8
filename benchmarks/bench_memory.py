"""Peak memory over a long ingest: does RSS grow from the first quarter to the last?

    python benchmarks/bench_memory.py [--quick] [--articles N] [--words MIN MAX] [--jobs J]

N generated articles (default 2 000 of ~150 words) are split into four folders and ingested
into one embedded store by four `kg.ingest.ingest` calls in one process (the pipeline is
loaded first). A thread samples this process's RSS every 0.2 s; each quarter's peak is split
into the extraction + writing phase and the flags phase (`recompute_flags`, which reads
every claim back and so legitimately grows with the store). The size of spaCy's string
store is printed per quarter too: it is what grows when memory zones are not used.

Target: last-quarter peak <= 1.1x first-quarter peak.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (RssSampler, environment, generate_articles, max_rss_mb, print_table, rss_mb,  # noqa: E402
                    verdict, write_corpus)

GROWTH_TARGET = 1.1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 articles.")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--words", type=int, nargs=2, default=(120, 180), metavar=("MIN", "MAX"))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--flush-every", type=int, default=0, metavar="N",
                        help="Extra flushes of the embedded store (RocksDB write buffers) every N article "
                             "writes, on top of kg's own, to try other intervals.")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles = 200

    print(f"# bench_memory ({environment()})")
    work = Path(tempfile.mkdtemp(prefix="kg-bench-memory-"))
    try:
        articles = generate_articles(args.articles, words=tuple(args.words), seed=3)
        quarter = -(-len(articles) // 4)
        folders = [write_corpus(work / f"q{i + 1}", articles[i * quarter:(i + 1) * quarter]) for i in range(4)]

        import kg.conflicts
        import kg.ingest
        from kg.ingest import ingest
        from kg.nlp.pipeline import default_pipeline, extract_many
        from kg.store import open_store

        nlp = default_pipeline()
        baseline = rss_mb()
        print(f"{len(articles)} articles of {args.words[0]}-{args.words[1]} words in 4 quarters; "
              f"RSS with the pipeline loaded: {baseline:.0f} MB")

        rows = []
        original_flags = kg.conflicts.recompute_flags
        original_write = kg.ingest.write_extraction
        writes = [0]

        def write_and_flush(target_store, extraction, previous):
            original_write(target_store, extraction, previous)
            writes[0] += 1
            if writes[0] % args.flush_every == 0:
                target_store._opened().flush()

        if args.flush_every:
            kg.ingest.write_extraction = write_and_flush
        with RssSampler(args.interval) as sampler, open_store(path=work / "store") as store:
            def flags_with_mark(target_store):
                sampler.mark()  # extraction + writes of this quarter end here
                return original_flags(target_store)

            kg.conflicts.recompute_flags = flags_with_mark
            try:
                for number, folder in enumerate(folders, 1):
                    start = time.perf_counter()
                    report = ingest([str(folder)], store,
                                    extract_many=lambda items: extract_many(items, n_process=args.jobs))
                    sampler.mark()  # flags of this quarter end here
                    seconds = time.perf_counter() - start
                    extraction_peak, flags_peak = sampler.peaks[-3], sampler.peaks[-2]
                    rows.append({"quarter": number, "articles": len(report.added), "s": f"{seconds:.0f}",
                                 "peak MB (extract+write)": f"{extraction_peak:.0f}",
                                 "peak MB (flags)": f"{flags_peak:.0f}",
                                 "peak MB": f"{max(extraction_peak, flags_peak):.0f}",
                                 "RSS after MB": f"{rss_mb():.0f}", "ru_maxrss MB": f"{max_rss_mb():.0f}",
                                 "spaCy strings": f"{len(nlp.vocab.strings):,}", "quads": f"{store.count():,}"})
                    print(f"  quarter {number}: {rows[-1]}", file=sys.stderr)
            finally:
                kg.conflicts.recompute_flags = original_flags
                kg.ingest.write_extraction = original_write
        flushing = f", store flushed every {args.flush_every} articles" if args.flush_every else ""
        print_table(rows, title=f"RSS sampled every {args.interval} s (jobs={args.jobs}{flushing})")
        first, last = float(rows[0]["peak MB"]), float(rows[-1]["peak MB"])
        first_x, last_x = float(rows[0]["peak MB (extract+write)"]), float(rows[-1]["peak MB (extract+write)"])
        print(f"\nlast / first quarter peak = {last:.0f} / {first:.0f} MB = {last / first:.3f} "
              f"(target <= {GROWTH_TARGET}): {verdict(last / first <= GROWTH_TARGET)}")
        print(f"  extraction + writing phases only: {last_x:.0f} / {first_x:.0f} MB = {last_x / first_x:.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
