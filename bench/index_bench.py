"""Vector index at scale: build time, single-query latency (top 50), recall@10 against
exact search, memory per vector; with and without filters.

    python bench/index_bench.py [--sizes 10000 100000 1000000] [--real instance/jobmatch.sqlite]

Synthetic vectors (a 32-dimensional surface in 384 dimensions, normalised) give the
scale; real embeddings from a jobmatch database give the recall that matters.
"""

import argparse
import sqlite3

import faiss
import numpy as np

from bench.common import Timer, percentiles_ms, table
from jobmatch.search.index import VectorIndex, build

D = 384


def synthetic(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    basis = np.random.default_rng(1).normal(size=(32, D)).astype(np.float32) / np.sqrt(32)
    out = np.empty((n, D), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        x = np.tanh(rng.normal(size=(m, 32)).astype(np.float32) @ basis * 2)
        x += 0.05 * rng.normal(size=(m, D)).astype(np.float32)
        out[start : start + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def exact_top(x: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    out = []
    for start in range(0, len(queries), 50):
        scores = queries[start : start + 50] @ x.T
        out.append(np.argsort(-scores, axis=1)[:, :k])
    return np.vstack(out)


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(
        np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth, strict=True)])
    )


def latency(index: VectorIndex, queries: np.ndarray, k: int, allowed=None) -> tuple[float, float]:
    times = []
    for q in queries:
        with Timer() as t:
            index.search(q[None, :], k, allowed=allowed)
        times.append(t.seconds)
    return percentiles_ms(times)


def run_size(n: int, kinds: list[str], rows: list, filter_rows: list) -> None:
    x = synthetic(n, seed=n)
    ids = np.arange(1, n + 1, dtype=np.int64)
    queries = synthetic(300, seed=7)
    truth = ids[exact_top(x, queries[:200], 10)]
    rng = np.random.default_rng(0)
    region = rng.choice(ids, n // 14, replace=False)  # one region of fourteen
    open_ = rng.choice(ids, int(n * 0.85), replace=False)  # published and unexpired
    for kind in kinds:
        with Timer() as t:
            index = build(ids, x, D, "bench", kind)
        memory = faiss.serialize_index(index._index).nbytes / n
        _, found = index.search(queries[:200], 10)
        p50, p99 = latency(index, queries[:300], 50)
        rows.append(
            [
                f"{n:,}",
                kind,
                round(t.seconds, 1),
                round(p50, 2),
                round(p99, 2),
                round(recall(found, truth), 3),
                int(memory),
            ]
        )
        for name, allowed in (("open (85%)", open_), ("one region (7%)", region)):
            p50f, p99f = latency(index, queries[:200], 50, allowed)
            filter_rows.append([f"{n:,}", kind, name, round(p50f, 2), round(p99f, 2)])
        print(f"  {n:,} {kind}: built in {t.seconds:.1f}s", flush=True)
        del index
    del x


def real_vectors(path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every stored vector of a jobmatch SQLite database: documents and queries."""
    con = sqlite3.connect(path)
    rows = con.execute("SELECT entity_type, vector FROM stored_vector").fetchall()
    con.close()
    kinds = np.array([k for k, _ in rows])
    x = np.vstack([np.frombuffer(v, dtype=np.float32) for _, v in rows])
    return x, kinds, np.arange(1, len(rows) + 1, dtype=np.int64)


def run_real(path: str) -> list:
    x, kinds, ids = real_vectors(path)
    queries = x[kinds == "seeker"][:300]
    truth = ids[exact_top(x, queries, 10)]
    rows = []
    for kind, options in (
        ("flat", {}),
        ("hnsw", {}),
        ("hnsw", {"ef_search": 200}),
        ("ivf", {"ivf_probe": 16}),
        ("ivf", {"ivf_probe": 48}),
    ):
        index = build(ids, x, x.shape[1], "bench", kind, **options)
        _, found = index.search(queries, 10)
        p50, p99 = latency(index, queries, 50)
        label = kind + "".join(f" {k}={v}" for k, v in options.items())
        rows.append(
            [f"{len(ids):,}", label, round(recall(found, truth), 3), round(p50, 2), round(p99, 2)]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--kinds", nargs="+", default=["flat", "hnsw", "ivf"])
    parser.add_argument("--real", help="a jobmatch SQLite database with stored vectors")
    parser.add_argument("--threads", type=int, default=0, help="FAISS threads (0: all cores)")
    args = parser.parse_args()
    if args.threads:
        faiss.omp_set_num_threads(args.threads)
    rows, filter_rows = [], []
    for n in args.sizes:
        run_size(n, args.kinds, rows, filter_rows)
    print("\n### Synthetic vectors (384 dimensions): build, latency of one query (top 50)\n")
    print(
        table(
            ["vectors", "index", "build s", "p50 ms", "p99 ms", "recall@10", "bytes/vector"], rows
        )
    )
    print("\n### With filters (top 50 among the allowed ids)\n")
    print(table(["vectors", "index", "filter", "p50 ms", "p99 ms"], filter_rows))
    if args.real:
        print("\n### Real embeddings (demo and ESCO documents; seekers as queries)\n")
        print(table(["vectors", "index", "recall@10", "p50 ms", "p99 ms"], run_real(args.real)))


if __name__ == "__main__":
    main()
