"""Which documents hold which occupation, in memory beside the index: the occupation
channel's lookup without a database query.

A vacancy holds the occupation its employer chose (confidence 1) and those recognised in
its text; a job seeker those they chose and those recognised. The postings are arrays
sorted by occupation (a document id and a confidence each), read with the index and
saved in its snapshots. A document changed since is marked moved: its old postings are
skipped and its new ones kept in a small table beside, until the next snapshot folds
them in. The change log brings the changes, as for the vectors and the filters' facts.
"""

from collections import defaultdict

import numpy as np
import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.matching.models import RecognisedOccupation
from jobmatch.seekers.models import seeker_occupation
from jobmatch.vacancies.models import Vacancy

FOLD_ABOVE = 50_000  # documents changed since the last fold: fold them in at once


def _queries(entity: str, ids=None) -> list[sa.Select]:
    """(document, occupation, confidence) of what was chosen and what was recognised."""
    if entity == "vacancy":
        chosen = sa.select(Vacancy.id, Vacancy.occupation_id, sa.literal(1.0)).where(
            Vacancy.occupation_id.is_not(None)
        )
        key = Vacancy.id
    else:
        chosen = sa.select(
            seeker_occupation.c.seeker_id, seeker_occupation.c.occupation_id, sa.literal(1.0)
        )
        key = seeker_occupation.c.seeker_id
    recognised = sa.select(
        RecognisedOccupation.entity_id,
        RecognisedOccupation.occupation_id,
        RecognisedOccupation.confidence,
    ).where(RecognisedOccupation.entity_type == entity)
    if ids is not None:
        chosen = chosen.where(key.in_(ids))
        recognised = recognised.where(RecognisedOccupation.entity_id.in_(ids))
    return [chosen, recognised]


class Runs:
    """Documents by key (an key, a distinct title), each with a weight: sorted
    arrays, plus the documents changed since they were sorted."""

    def __init__(self):
        self.keys = np.zeros(0, dtype=np.int64)  # sorted, one per run of postings
        self.starts = np.zeros(1, dtype=np.int64)  # where each key's run begins
        self.docs = np.zeros(0, dtype=np.int64)
        self.values = np.zeros(0, dtype=np.float32)
        self.moved = np.zeros(0, dtype=bool)  # over id space: base postings out of date
        self.changed: dict[int, list[tuple[int, float]]] = {}  # doc -> its postings now
        self.changed_by_key: dict[int, dict[int, float]] = defaultdict(dict)

    def _set_base(self, docs, keys, values) -> None:
        order = np.lexsort((docs, keys))
        docs, keys = docs[order], keys[order]
        self.docs, self.values = docs, values[order]
        self.keys, first = np.unique(keys, return_index=True)
        self.starts = np.append(first, len(keys)).astype(np.int64)
        self.moved = np.zeros(int(docs.max()) + 1 if len(docs) else 0, dtype=bool)
        self.changed, self.changed_by_key = {}, defaultdict(dict)

    def replace(self, now: dict[int, list[tuple[int, float]]]) -> None:
        """Each document of `now` holds exactly its (key, weight) pairs from now on."""
        if not now:
            return
        ids = sorted(now)
        if ids[-1] >= len(self.moved):
            grown = np.zeros(max(ids[-1] + 1, int(len(self.moved) * 1.5) + 1024), dtype=bool)
            grown[: len(self.moved)] = self.moved
            self.moved = grown
        self.moved[ids] = True
        for doc, held in now.items():
            for key, _ in self.changed.get(doc, []):
                self.changed_by_key[key].pop(doc, None)
            self.changed[doc] = held
            for key, value in held:
                self.changed_by_key[key][doc] = value
        if len(self.changed) > FOLD_ABOVE:
            self.fold()

    def fold(self) -> None:
        """Fold the changed documents' postings into the sorted arrays."""
        if not self.changed:
            return
        keep = ~self.moved[self.docs]
        extra = [(d, o, c) for d, held in self.changed.items() for o, c in held]
        self._set_base(
            np.concatenate([self.docs[keep], np.array([e[0] for e in extra], dtype=np.int64)]),
            np.concatenate(
                [
                    np.repeat(self.keys, np.diff(self.starts))[keep],
                    np.array([e[1] for e in extra], dtype=np.int64),
                ]
            ),  # fmt: skip
            np.concatenate([self.values[keep], np.array([e[2] for e in extra], dtype=np.float32)]),
        )

    def _base(self, weights: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
        """The sorted arrays' current postings of the keys of `weights`, each scored by its
        key's weight: all runs gathered at once."""
        keys = np.fromiter(weights.keys(), dtype=np.int64, count=len(weights))
        factor = np.fromiter(weights.values(), dtype=np.float32, count=len(weights))
        at = np.searchsorted(self.keys, keys)
        held = at < len(self.keys)
        held[held] = self.keys[at[held]] == keys[held]
        at, factor = at[held], factor[held]
        starts, lengths = self.starts[at], self.starts[at + 1] - self.starts[at]
        # positions start..end of every run, one after another
        ends = np.cumsum(lengths)
        positions = np.arange(ends[-1] if len(ends) else 0) + np.repeat(
            starts - ends + lengths, lengths
        )
        docs = self.docs[positions]
        current = ~self.moved[docs]
        return docs[current], (self.values[positions] * np.repeat(factor, lengths))[current]

    def best(self, weights: dict[int, float], allowed, limit: int) -> list[int]:
        """The documents holding one of the keys of `weights` (key -> weight), scored by
        the best weight × their own, best first (then the lower id); only those `allowed`
        lets through (a boolean mask over id space, or None)."""
        base_docs, base_scores = self._base(weights)
        docs, scores = [base_docs], [base_scores]
        for key, weight in weights.items():
            fresh = self.changed_by_key.get(key)
            if fresh:
                docs.append(np.fromiter(fresh.keys(), dtype=np.int64, count=len(fresh)))
                scores.append(np.fromiter(fresh.values(), dtype=np.float32) * weight)
        docs, scores = np.concatenate(docs), np.concatenate(scores)
        if not len(docs):
            return []
        if allowed is not None:
            inside = docs < len(allowed)
            inside[inside] = allowed[docs[inside]]
            docs, scores = docs[inside], scores[inside]
        scores = scores * (scores > 0)
        docs, scores = _leading(docs, scores, limit * len(weights))
        order = np.lexsort((docs, -scores))  # best score first, then the lower id
        docs, scores = docs[order], scores[order]
        _, first = np.unique(docs, return_index=True)  # each document once, at its best
        first = np.sort(first)
        first = first[scores[first] > 0][:limit]
        return docs[first].tolist()


def _leading(docs, scores, n: int):
    """The first `n` postings in the order best score first, then the lower id, in no
    particular order: without sorting them all. A document holds at most one posting per
    key, so with `n` = limit × keys these hold every one of the best `limit` documents at
    its best score: only documents ranked before it can rank a posting before its best."""
    if len(scores) <= n:
        return docs, scores
    cut = np.partition(scores, len(scores) - n)[len(scores) - n]  # the n-th best score
    above = np.flatnonzero(scores > cut)
    tied = np.flatnonzero(scores == cut)
    room = n - len(above)
    if len(tied) > room:  # among equal scores the lower ids come first
        tied = tied[np.argpartition(docs[tied], room - 1)[:room]] if room else tied[:0]
    keep = np.concatenate([above, tied])
    return docs[keep], scores[keep]


class Postings(Runs):
    """Which documents of one kind hold which occupation, and how surely."""

    def __init__(self, entity: str):
        super().__init__()
        self.entity = entity

    @classmethod
    def read(cls, entity: str) -> "Postings":
        postings = cls(entity)
        rows = [row for query in _queries(entity) for row in db.session.execute(query)]
        postings._set_base(
            np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
            np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)),
            np.fromiter((r[2] for r in rows), dtype=np.float32, count=len(rows)),
        )
        return postings

    def update(self, ids: list[int]) -> None:
        """Read the postings of `ids` again (a removed document has none)."""
        now: dict[int, list[tuple[int, float]]] = {int(i): [] for i in ids}
        if not now:
            return
        for query in _queries(self.entity, sorted(now)):
            for doc, occupation, confidence in db.session.execute(query):
                now[doc].append((occupation, float(confidence)))
        self.replace(now)

    # --- saving beside a snapshot -------------------------------------------------

    def arrays(self) -> dict[str, np.ndarray]:
        self.fold()
        return {
            "posting_keys": self.keys,
            "posting_starts": self.starts,
            "posting_docs": self.docs,
            "posting_values": self.values,
        }

    @classmethod
    def from_arrays(cls, entity: str, saved) -> "Postings":
        postings = cls(entity)
        postings.keys = saved["posting_keys"]
        postings.starts = saved["posting_starts"]
        postings.docs = saved["posting_docs"]
        postings.values = saved["posting_values"]
        largest = int(postings.docs.max()) + 1 if len(postings.docs) else 0
        postings.moved = np.zeros(largest, dtype=bool)
        return postings
