"""The three ways candidates are found, and how their lists are fused.

- meaning (dense): the nearest vectors in the FAISS index (`engine().search`);
- occupation: documents that share a recognised or chosen occupation, then one of its
  broader occupations or its ISCO unit group, in any language;
- words of the title (lexical): character n-gram TF-IDF over the titles.

Reciprocal-rank fusion merges the lists, so a candidate that only one way finds can still
reach the re-ranking, and from there the top of the list.
"""

import threading
import time
from collections import defaultdict

import numpy as np
import sqlalchemy as sa
from flask import current_app
from scipy import sparse

from jobmatch.extensions import db
from jobmatch.matching.engine import WARMERS, settle_heap
from jobmatch.matching.models import RecognisedOccupation
from jobmatch.matching.occupations import recogniser, titles_of
from jobmatch.matching.ranking import HeldOccupation, related
from jobmatch.matching.recognition import label_index
from jobmatch.search.lexical import CharGrams, words_of
from jobmatch.seekers.models import SeekerProfile, seeker_occupation
from jobmatch.taxonomy.models import Occupation
from jobmatch.vacancies.models import Vacancy

RRF_K = 60  # the usual constant of reciprocal-rank fusion (Cormack et al., 2009)
TITLE_FLOOR = 0.3  # a search's words and a title sharing less than this are unrelated


def occupations_of(entity: str, ids) -> dict[int, list[HeldOccupation]]:
    """Each document's occupations, best first. What the employer chose or the job seeker
    confirmed wins: recognised occupations are used only where nobody chose one."""
    ids = list(ids)
    chosen: dict[int, list[tuple[int, float]]] = defaultdict(list)
    if entity == "vacancy":
        query = sa.select(Vacancy.id, Vacancy.occupation_id).where(
            Vacancy.id.in_(ids), Vacancy.occupation_id.is_not(None)
        )
    else:
        query = sa.select(seeker_occupation.c.seeker_id, seeker_occupation.c.occupation_id).where(
            seeker_occupation.c.seeker_id.in_(ids)
        )
    for entity_id, occupation_id in db.session.execute(query):
        chosen[entity_id].append((occupation_id, 1.0))
    recognised: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for entity_id, occupation_id, confidence in db.session.execute(
        sa.select(
            RecognisedOccupation.entity_id,
            RecognisedOccupation.occupation_id,
            RecognisedOccupation.confidence,
        ).where(RecognisedOccupation.entity_type == entity, RecognisedOccupation.entity_id.in_(ids))
    ):
        if entity_id not in chosen:
            recognised[entity_id].append((occupation_id, confidence))
    wanted = {o for pairs in (*chosen.values(), *recognised.values()) for o, _ in pairs}
    concepts = occupation_codes(wanted)
    out: dict[int, list[HeldOccupation]] = {}
    for source, is_chosen in ((chosen, True), (recognised, False)):
        for entity_id, pairs in source.items():
            out[entity_id] = sorted(
                (HeldOccupation(o, *concepts[o], c, is_chosen) for o, c in pairs if o in concepts),
                key=lambda h: -h.confidence,
            )
    return out


class _Codes:
    """ESCO's occupations by id and by ISCO unit group: (code, English label) each. The
    taxonomy changes only when it is loaded again; an id not known yet is read then."""

    def __init__(self):
        self.of: dict[int, tuple[str, str]] = {}
        self.groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.lock = threading.Lock()

    def read(self, where) -> None:
        columns = (Occupation.id, Occupation.code, Occupation.isco_group, Occupation.label_en)
        query = sa.select(*columns)
        rows = db.session.execute(query.where(where)).all()
        with self.lock:
            for row in rows:
                if row.id not in self.of:
                    self.groups[row.isco_group].append((row.id, row.code or ""))
                self.of[row.id] = (row.code or "", row.label_en)


_codes_lock = threading.Lock()


def _codes() -> _Codes:
    app = current_app._get_current_object()
    with _codes_lock:
        found = app.extensions.get("jobmatch.occupation_codes")
        if found is None:
            found = app.extensions["jobmatch.occupation_codes"] = _Codes()
    if not found.of:
        found.read(sa.true())
    return found


def occupation_codes(ids) -> dict[int, tuple[str, str]]:
    """(ESCO code, English label) of each occupation of `ids` that exists."""
    codes = _codes()
    missing = [i for i in ids if i not in codes.of]
    if missing:
        codes.read(Occupation.id.in_(missing))
    return {i: codes.of[i] for i in ids if i in codes.of}


def occupation_family(groups) -> list[tuple[int, str]]:
    """(id, ESCO code) of every occupation in the ISCO unit groups `groups`."""
    codes = _codes()
    return [pair for group in groups for pair in codes.groups.get(group, [])]


def named_occupations(text: str, vector=None) -> list[HeldOccupation]:
    """The occupations a short text (a search, a title) names, as `by_occupation` takes
    them."""
    found = recogniser()
    hits = found.recognise([text], None if vector is None else vector[None, :])[0] if found else []
    if not hits:
        return []
    codes = dict(
        db.session.execute(
            sa.select(Occupation.id, Occupation.code).where(
                Occupation.id.in_([h.occupation_id for h in hits])
            )
        ).all()
    )
    return [
        HeldOccupation(h.occupation_id, codes[h.occupation_id], "", h.confidence)
        for h in hits
        if h.occupation_id in codes
    ]


def held_occupations(entity: str, entity_id: int) -> list[tuple[Occupation, HeldOccupation]]:
    """A document's occupations with their taxonomy rows, to show (best first)."""
    held = occupations_of(entity, [entity_id]).get(entity_id, [])
    return [(db.session.get(Occupation, h.id), h) for h in held]


def known_words(text: str) -> set[str]:
    """The words of `text` that the service knows: from an occupation's or a skill's label,
    or from an open or past vacancy. Words that nothing uses mean nothing to match."""
    words = words_of(text)
    found = recogniser()
    known = words & found.words if found else set()
    known |= words & title_index("vacancy").words
    skills = {w for phrase in label_index().phrases for w in phrase.split()}
    return known | (words & skills)


def by_occupation(entity: str, held: list[HeldOccupation], allowed, limit: int) -> list[int]:
    """Documents of `entity` that share an occupation with `held`, then a broader one, then
    the unit group; the surest first."""
    if not held:
        return []
    family = occupation_family({h.code[:4] for h in held})
    factor = current_app.config["MATCH_RELATION_FACTORS"]
    weight: dict[int, float] = {}
    for occupation_id, code in family:
        for h in held:
            relation = related(h.code, code or "")
            if relation:
                value = h.confidence * factor[relation]
                weight[occupation_id] = max(weight.get(occupation_id, 0.0), value)
    if not weight:
        return []
    score: dict[int, float] = {}
    for entity_id, occupation_id, confidence in _documents_with(entity, list(weight)):
        value = weight[occupation_id] * confidence
        if value > score.get(entity_id, 0.0):
            score[entity_id] = value
    if allowed is not None:  # a boolean mask over id space
        score = {i: s for i, s in score.items() if i < len(allowed) and allowed[i]}
    return [i for i, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def _documents_with(entity: str, occupation_ids: list[int]):
    """(document id, occupation id, confidence) for documents of `entity` that hold one of
    the occupations, chosen (confidence 1) or recognised."""
    if entity == "vacancy":
        chosen = sa.select(Vacancy.id, Vacancy.occupation_id, sa.literal(1.0)).where(
            Vacancy.occupation_id.in_(occupation_ids)
        )
    else:
        chosen = sa.select(
            seeker_occupation.c.seeker_id, seeker_occupation.c.occupation_id, sa.literal(1.0)
        ).where(seeker_occupation.c.occupation_id.in_(occupation_ids))
    recognised = sa.select(
        RecognisedOccupation.entity_id,
        RecognisedOccupation.occupation_id,
        RecognisedOccupation.confidence,
    ).where(
        RecognisedOccupation.entity_type == entity,
        RecognisedOccupation.occupation_id.in_(occupation_ids),
    )
    yield from db.session.execute(chosen)
    yield from db.session.execute(recognised)


class TitleIndex:
    """The titles of one kind of document as character n-gram vectors, kept in step with the
    database by the rows changed since the last look (rows are replaced, never refitted)."""

    def __init__(self, entity: str):
        self.entity = entity
        self.grams = CharGrams()
        self.row_of: dict[int, int] = {}
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = sparse.csr_matrix((0, 1))
        self.by_feature = sparse.csr_matrix((1, 0))  # the matrix transposed: features x rows
        self.seen_at = None
        self.stamp_of: dict = {}  # id -> updated_at of the row as last read
        self.words: set[str] = set()  # every word the documents use, folded
        self.checked = 0.0
        self.lock = threading.Lock()

    def _changed(self):
        """(id, updated_at) of the rows written since the last look."""
        model = Vacancy if self.entity == "vacancy" else SeekerProfile
        query = sa.select(model.id, model.updated_at)
        if self.seen_at is not None:
            query = query.where(model.updated_at >= self.seen_at)
        return [(i, at) for i, at in db.session.execute(query) if self.stamp_of.get(i) != at]

    def _learn_words(self, ids: list[int], titles: dict) -> None:
        """Remember every word the titles (and a vacancy's text) use."""
        for names in titles.values():
            self.words.update(words_of(" ".join(names)))
        if self.entity == "vacancy":
            for (text,) in db.session.execute(
                sa.select(Vacancy.description).where(Vacancy.id.in_(ids))
            ):
                self.words.update(words_of(text or ""))

    def refresh(self, every: float) -> None:
        with self.lock:
            if time.monotonic() - self.checked < every and self.seen_at is not None:
                return
            self.checked = time.monotonic()
            changed = self._changed()
            if not changed:
                return
            ids = [i for i, _ in changed]
            titles = titles_of(self.entity, ids)
            self._learn_words(ids, titles)
            text = [" ".join(titles.get(i, [])[:1]) for i in ids]
            first = self.seen_at is None
            if first:
                vectors = self.grams.fit(text)
                self.matrix, self.ids = vectors, np.array(ids, dtype=np.int64)
            else:
                vectors = self.grams.transform(text)
                self.matrix = sparse.vstack([self.matrix, vectors]).tocsr()
                self.ids = np.concatenate([self.ids, np.array(ids, dtype=np.int64)])
                for i in ids:  # the old row of a changed title no longer answers
                    if i in self.row_of:
                        self.ids[self.row_of[i]] = -1
            self.by_feature = self.matrix.T.tocsr()
            start = len(self.ids) - len(ids)
            self.row_of.update({i: start + n for n, i in enumerate(ids)})
            self.stamp_of.update(changed)
            self.seen_at = max((at for _, at in changed if at is not None), default=self.seen_at)
            if first:
                settle_heap()

    def vector(self, title: str):
        return self.grams.transform([title])

    def scores(self, title: str) -> np.ndarray:
        """How much of `title` each row's title shares (cosine, 0..1), in the order of
        `self.ids`. One sparse product over the features `title` has: the rows are kept
        feature by feature too, so no per-call conversion of the whole matrix."""
        if not title.strip() or not len(self.ids):
            return np.zeros(len(self.ids), dtype=np.float32)
        return (self.vector(title) @ self.by_feature).toarray().ravel()

    def similar(
        self, title: str, allowed, limit: int, at_least: float = 0.0, scores=None
    ) -> list[int]:
        """The documents whose title shares the most of `title` (at least `at_least`, as a
        cosine), best first. `scores`: what `self.scores(title)` returned, if at hand."""
        if not title.strip() or not len(self.ids):
            return []
        scores = self.scores(title) if scores is None else scores
        ids = self.ids[: len(scores)]
        mask = ids >= 0
        if allowed is not None:  # a boolean mask over id space
            mask &= ids < len(allowed)
            mask[mask] = allowed[ids[mask]]
        scores = np.where(mask, scores, 0.0)
        floor = max(at_least, 0.0)
        if limit < len(scores):
            top = np.argpartition(-scores, limit)[:limit]
            top = top[np.argsort(-scores[top], kind="stable")]
        else:
            top = np.argsort(-scores, kind="stable")
        return [int(self.ids[j]) for j in top if scores[j] > floor]

    def similarity(self, title: str, ids, scores=None) -> dict[int, float]:
        """How much of `title` each document's title shares (cosine, 0..1)."""
        if not title.strip():
            return {}
        scores = self.scores(title) if scores is None else scores
        return {
            i: float(scores[self.row_of[i]])
            for i in ids
            if i in self.row_of and self.row_of[i] < len(scores)
        }


_titles_lock = threading.Lock()


def title_index(entity: str) -> TitleIndex:
    """This process's title index of `entity`, brought up to date (at most once every
    INDEX_REFRESH_SECONDS)."""
    app = current_app._get_current_object()
    with _titles_lock:
        found = app.extensions.setdefault("jobmatch.titles", {})
        index = found.get(entity) or found.setdefault(entity, TitleIndex(entity))
    index.refresh(app.config["INDEX_REFRESH_SECONDS"])
    return index


def title_indexes() -> list[TitleIndex]:
    """Both title indexes, built (for the warm-up)."""
    return [title_index(entity) for entity in ("vacancy", "seeker")]


WARMERS.append(title_indexes)


def fuse(lists: list[list[int]], limit: int, keep: int = 0) -> list[int]:
    """Reciprocal-rank fusion: each list gives 1 / (RRF_K + rank) to its items. The first
    `keep` of every list stay whatever their fused rank, so what only one channel finds is
    still re-ranked."""
    score: dict[int, float] = defaultdict(float)
    for ranked in lists:
        for rank, item in enumerate(ranked):
            score[item] += 1.0 / (RRF_K + rank + 1)
    order = [i for i, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))]
    chosen = dict.fromkeys(i for ranked in lists for i in ranked[:keep])
    for item in order:
        if len(chosen) >= limit:
            break
        chosen.setdefault(item)
    position = {item: n for n, item in enumerate(order)}
    return sorted(chosen, key=position.__getitem__)
