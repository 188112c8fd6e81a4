"""The occupation postings' best documents, against sorting every posting."""

import numpy as np
import pytest

from jobmatch.matching.postings import Runs


def _by_sorting_all(runs: Runs, weights: dict, allowed, limit: int) -> list[int]:
    best: dict[int, float] = {}
    keys = np.repeat(runs.keys, np.diff(runs.starts))
    for doc, key, value in zip(runs.docs, keys, runs.values, strict=True):
        if int(key) in weights and (allowed is None or allowed[doc]) and not runs.moved[doc]:
            score = float(np.float32(value) * np.float32(weights[int(key)]))
            best[int(doc)] = max(best.get(int(doc), 0.0), score)
    for doc, held in runs.changed.items():
        for key, value in held:
            if key in weights and (allowed is None or allowed[doc]):
                score = float(np.float32(value) * np.float32(weights[key]))
                best[doc] = max(best.get(doc, 0.0), score)
    ranked = sorted((d for d, s in best.items() if s > 0), key=lambda d: (-best[d], d))
    return ranked[:limit]


@pytest.mark.parametrize("seed", range(6))
def test_the_best_documents_are_those_a_full_sort_gives_ties_included(seed):
    rng = np.random.default_rng(seed)
    documents, keys = 3_000, 12
    runs = Runs()
    drawn = zip(rng.integers(0, documents, 9_000), rng.integers(0, keys, 9_000), strict=True)
    pairs = {(int(d), int(k)) for d, k in drawn}
    docs = np.array([p[0] for p in pairs], dtype=np.int64)
    # Few distinct confidences, so that many postings tie at the cut.
    values = rng.choice(np.array([1.0, 0.8, 0.5, 0.0], dtype=np.float32), len(pairs))
    runs._set_base(docs, np.array([p[1] for p in pairs], dtype=np.int64), values)
    runs.replace({int(d): [(int(rng.integers(0, keys)), 1.0)] for d in rng.integers(0, 3_000, 40)})
    allowed = rng.random(documents) < 0.7
    for limit in (1, 7, 50, 400):
        weights = {int(k): float(w) for k, w in zip(rng.choice(keys, 4, replace=False),
                                                    (1.0, 0.6, 0.6, 0.3), strict=True)}  # fmt: skip
        for mask in (allowed, None):
            assert runs.best(weights, mask, limit) == _by_sorting_all(runs, weights, mask, limit)
