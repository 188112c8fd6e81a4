"""Embedding throughput of the bundled model on this machine, end to end through
`Embedder.embed` (prompts, chunking, pooling): tokens/s and documents/s, in float32
and in bfloat16 side by side (JOBMATCH_EMBED_DTYPE), with the cosine between the two.

    python -m bench.throughput_bench [--dtypes float32 bfloat16] [--batches 16 64]
"""

import argparse
import csv
import gzip
import random

from bench.common import Timer, table
from jobmatch.search.embedder import Embedder
from jobmatch.taxonomy.services import DATA_DIR

MODEL = "models/multilingual-e5-small"


def samples() -> dict[str, list[str]]:
    rows = list(csv.DictReader(gzip.open(DATA_DIR / "occupations.csv.gz", "rt")))
    random.Random(3).shuffle(rows)
    short = [r["label_en"] for r in rows[:512]]
    medium = [f"{r['label_en']}\n{r['description_en']}" for r in rows[:256]]
    long = [
        "\n".join(f"{r['label_en']}: {r['description_en']}" for r in rows[i : i + 12])
        for i in range(0, 12 * 24, 12)
    ]
    return {"short (titles)": short, "medium (vacancy)": medium, "long (CV, > 512 tokens)": long}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dtypes", nargs="+", default=["float32", "bfloat16"])
    parser.add_argument("--batches", nargs="+", type=int, default=[16, 64])
    args = parser.parse_args(argv)
    embedders = {dtype: Embedder(MODEL, dtype=dtype) for dtype in args.dtypes}
    for embedder in embedders.values():
        embedder.embed(["warm up"], "passage")
    rows = []
    for name, texts in samples().items():
        first = next(iter(embedders.values()))
        tokens = sum(first.count_tokens(texts, "passage"))
        vectors = {}
        for batch in args.batches:
            for dtype, embedder in embedders.items():
                embedder.batch_size = batch
                with Timer() as t:
                    vectors[dtype] = embedder.embed(texts, "passage")
                cosine = float((vectors[dtype] * vectors[args.dtypes[0]]).sum(axis=1).min())
                rows.append(
                    [name, len(texts), round(tokens / len(texts)), batch, dtype,
                     round(tokens / t.seconds), round(len(texts) / t.seconds, 1),
                     f"{cosine:.6f}"]
                )  # fmt: skip
    print("\n### Embedding throughput (2 cores, CPU)\n")
    print(table(["texts", "n", "tokens/text", "batch", "dtype", "tokens/s", "texts/s",
                 f"least cosine to {args.dtypes[0]}"], rows))  # fmt: skip


if __name__ == "__main__":
    main()
