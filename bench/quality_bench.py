"""Match quality on public data built from ESCO: job seekers name an occupation in their
language, vacancies describe occupations in English; the right vacancy should rank high.

    python bench/quality_bench.py [--occupations 1000]

Seekers: an English alternative title, the French and the Arabic ESCO titles, and for
the demo occupations the Azerbaijani and Russian titles with a sentence of duties.
Vacancies: the English title, essential skills and description. Metrics: hit@10 and
MRR, for the bundled model (both prompt roles) and a plain TF-IDF baseline. A second
table compares truncating long CVs at 512 tokens with chunking and pooling them.
"""

import argparse
import csv
import gzip
import random

import numpy as np

from bench.common import Timer, table
from jobmatch.demo.content import OCCUPATIONS
from jobmatch.search.embedder import Embedder
from jobmatch.taxonomy.services import DATA_DIR

MODEL = "models/multilingual-e5-small"


def load(n: int, seed: int = 11):
    occupations = [
        r
        for r in csv.DictReader(gzip.open(DATA_DIR / "occupations.csv.gz", "rt"))
        if r["label_fr"] and r["label_ar"]
    ]
    demo = [r for r in occupations if r["label_en"] in OCCUPATIONS]
    rest = [r for r in occupations if r["label_en"] not in OCCUPATIONS]
    random.Random(seed).shuffle(rest)
    chosen = demo + rest[: n - len(demo)]
    skills = {
        r["uri"]: r["label_en"] for r in csv.DictReader(gzip.open(DATA_DIR / "skills.csv.gz", "rt"))
    }
    essential = {}
    for r in csv.DictReader(gzip.open(DATA_DIR / "occupation_skills.csv.gz", "rt")):
        if r["relation"] == "essential" and r["skill"] in skills:
            essential.setdefault(r["occupation"], []).append(skills[r["skill"]])
    return chosen, essential


def vacancy_text(row, essential) -> str:
    skills = ", ".join(sorted(essential.get(row["uri"], []))[:8])
    return f"{row['label_en']}\nSkills: {skills}\n{row['description_en']}"


def seeker_sets(rows) -> dict[str, list[tuple[int, str]]]:
    """(index of the right vacancy, seeker text) per language."""
    sets = {"en (other title)": [], "fr": [], "ar": [], "az": [], "ru": []}
    for i, r in enumerate(rows):
        alternatives = [a for a in r["alt_en"].split("|") if a and a != r["label_en"]]
        if alternatives:
            sets["en (other title)"].append((i, alternatives[0]))
        sets["fr"].append((i, r["label_fr"].split("/")[0].strip()))
        sets["ar"].append((i, r["label_ar"].split(" / ")[0].strip()))
        if r["label_en"] in OCCUPATIONS:
            az, ru, *_rest, duties = OCCUPATIONS[r["label_en"]]
            sets["az"].append((i, f"{az}. {duties['az']}"))
            sets["ru"].append((i, f"{ru}. {duties['ru']}"))
    return sets


def metrics(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    right = scores[np.arange(len(truth)), truth]
    # Ties count against: a method that scores every vacancy alike has found nothing.
    ranks = (scores >= right[:, None]).sum(axis=1) - 1
    return float((ranks < 10).mean()), float((1.0 / (ranks + 1)).mean())


def tfidf_scores(documents, queries) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1)
    vectoriser.fit(documents + queries)
    return (vectoriser.transform(queries) @ vectoriser.transform(documents).T).toarray()


def long_cvs(rows, essential, count: int, seed: int = 5):
    """CVs of about 900 tokens: six earlier jobs and the one sought, in either order."""
    rng = random.Random(seed)
    cases = []
    for target in rng.sample(range(len(rows)), count):
        earlier = [
            vacancy_text(rows[j], essential) for j in rng.sample(range(len(rows)), 6) if j != target
        ]
        sought = vacancy_text(rows[target], essential)
        cases.append((target, earlier, sought))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--occupations", type=int, default=1000)
    parser.add_argument("--long", type=int, default=150, help="long CVs to test")
    args = parser.parse_args()
    rows, essential = load(args.occupations)
    documents = [vacancy_text(r, essential) for r in rows]
    embedder = Embedder(MODEL)
    with Timer() as t:
        passages = embedder.embed(documents, "passage")
    print(f"{len(documents)} vacancies embedded in {t.seconds:.0f}s", flush=True)
    results = []
    for language, pairs in seeker_sets(rows).items():
        truth = np.array([i for i, _ in pairs])
        texts = [text for _, text in pairs]
        as_query = embedder.embed(texts, "query") @ passages.T
        as_passage = embedder.embed(texts, "passage") @ passages.T
        for name, scores in (
            ("e5-small, seeker as query", as_query),
            ("e5-small, both as passages", as_passage),
            ("TF-IDF baseline", tfidf_scores(documents, texts)),
        ):
            hit, mrr = metrics(scores, truth)
            results.append([language, len(pairs), name, round(hit, 3), round(mrr, 3)])
    print(f"\n### Seekers find their occupation's vacancy among {len(rows):,}\n")
    print(table(["seekers", "n", "method", "hit@10", "MRR"], results))

    long_rows = []
    cases = long_cvs(rows, essential, args.long)
    for order in ("sought job last", "sought job first"):
        texts = ["\n".join(e + [s] if order == "sought job last" else [s] + e) for _, e, s in cases]
        truth = np.array([target for target, _, _ in cases])
        tokens = np.mean(embedder.count_tokens(texts, "query"))
        pooled = embedder.embed(texts, "query") @ passages.T
        truncated = embedder._encode(texts, "query") @ passages.T
        for name, scores in (("chunk and pool", pooled), ("truncate at 512 tokens", truncated)):
            hit, mrr = metrics(scores, truth)
            long_rows.append([order, int(tokens), name, round(hit, 3), round(mrr, 3)])
    print("\n### Long CVs (seven jobs; which vacancy is found for the job sought)\n")
    print(table(["CV order", "mean tokens", "strategy", "hit@10", "MRR"], long_rows))


if __name__ == "__main__":
    main()
