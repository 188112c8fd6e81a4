"""Embedding throughput of the bundled model on this machine, end to end through
`Embedder.embed` (prompts, chunking, pooling): tokens/s and documents/s.

    python bench/throughput_bench.py
"""

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


def main() -> None:
    embedder = Embedder(MODEL)
    embedder.embed(["warm up"], "passage")
    rows = []
    for name, texts in samples().items():
        tokens = sum(embedder.count_tokens(texts, "passage"))
        for batch in (16, 64):
            embedder.batch_size = batch
            with Timer() as t:
                embedder.embed(texts, "passage")
            rows.append(
                [
                    name,
                    len(texts),
                    round(tokens / len(texts)),
                    batch,
                    round(tokens / t.seconds),
                    round(len(texts) / t.seconds, 1),
                ]
            )
    print("\n### Embedding throughput (2 cores, CPU)\n")
    print(table(["texts", "n", "tokens/text", "batch", "tokens/s", "texts/s"], rows))


if __name__ == "__main__":
    main()
