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

from jobmatch.database import among, end_read
from jobmatch.extensions import db
from jobmatch.matching import store
from jobmatch.matching.engine import WARMERS, engine, settle_heap
from jobmatch.matching.models import RecognisedOccupation
from jobmatch.matching.occupations import recogniser, titles_of
from jobmatch.matching.postings import Runs
from jobmatch.matching.ranking import HeldOccupation, related
from jobmatch.matching.recognition import label_index
from jobmatch.search.index import current_info
from jobmatch.search.lexical import CharGrams, words_of
from jobmatch.seekers.models import seeker_occupation
from jobmatch.taxonomy.models import Occupation
from jobmatch.vacancies.models import Vacancy

RRF_K = 60  # the usual constant of reciprocal-rank fusion (Cormack et al., 2009)
FEW_ALLOWED = 5_000  # allowed documents so few that each is scored directly
RETRANSPOSE_ABOVE = 5_000  # titles added since the rows were last kept by feature
READ_ALL_ABOVE = 10_000  # rows changed at once: the title index reads every title instead
TITLE_FLOOR = 0.3  # a search's words and a title sharing less than this are unrelated


def occupations_of(entity: str, ids) -> dict[int, list[HeldOccupation]]:
    """Each document's occupations, best first. What the employer chose or the job seeker
    confirmed wins: recognised occupations are used only where nobody chose one."""
    ids = list(ids)
    chosen: dict[int, list[tuple[int, float]]] = defaultdict(list)
    if entity == "vacancy":
        query = sa.select(Vacancy.id, Vacancy.occupation_id).where(
            among(Vacancy.id, ids), Vacancy.occupation_id.is_not(None)
        )
    else:
        query = sa.select(seeker_occupation.c.seeker_id, seeker_occupation.c.occupation_id).where(
            among(seeker_occupation.c.seeker_id, ids)
        )
    for entity_id, occupation_id in db.session.execute(query):
        chosen[entity_id].append((occupation_id, 1.0))
    recognised: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for entity_id, occupation_id, confidence in db.session.execute(
        sa.select(
            RecognisedOccupation.entity_id,
            RecognisedOccupation.occupation_id,
            RecognisedOccupation.confidence,
        ).where(
            RecognisedOccupation.entity_type == entity, among(RecognisedOccupation.entity_id, ids)
        )
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


NAMED_FLOOR = 0.5  # a search's words name an occupation when recognised at least this sure


def occupation_ids_named(text: str) -> list[int]:
    """The occupations a search's words name, in any of the service's languages ("aşpaz",
    "повар", "cuisinier" are each the cook): for searches that should find across them."""
    if not text.strip():
        return []
    return [h.id for h in named_occupations(text) if h.confidence >= NAMED_FLOOR]


def holders_of(occupation_ids: list[int]) -> sa.Select:
    """The ids of the job seekers who confirmed one of these occupations, or in whose
    profile one was recognised."""
    confirmed = sa.select(seeker_occupation.c.seeker_id).where(
        seeker_occupation.c.occupation_id.in_(occupation_ids)
    )
    recognised = sa.select(RecognisedOccupation.entity_id).where(
        RecognisedOccupation.entity_type == "seeker",
        RecognisedOccupation.occupation_id.in_(occupation_ids),
        RecognisedOccupation.confidence >= NAMED_FLOOR,
    )
    return sa.union(confirmed, recognised)


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
    return engine().facts(entity).postings.best(weight, allowed, limit)


class TitleIndex:
    """The titles of one kind of document as character n-gram vectors, one row per distinct
    title (a national service has a million job seekers but far fewer titles), and which
    documents bear each title. Kept in step with the database by the change log, as the
    vector indexes are: a new title gets a row (never refitted), a document moves to its
    new title's row."""

    def __init__(self, entity: str):
        self.entity = entity
        self.grams = CharGrams()
        self.row_of_title: dict[str, int] = {}
        self.row_of: dict[int, int] = {}  # document -> the row of its title
        self.bearers = Runs()  # row -> the documents bearing that title
        self.matrix = sparse.csr_matrix((0, 1))  # rows x features
        self.by_feature = sparse.csr_matrix((1, 0))  # the first `transposed` rows, features x rows
        self.transposed = 0
        self.position: int | None = None  # the last line of the change log read
        self.words: set[str] = set()  # every word the documents use, folded
        self.checked = 0.0
        self.lock = threading.Lock()

    def _changed(self) -> list[int] | None:
        """The ids changed since the last look, read from the change log the vector
        indexes follow (no table is scanned); None when everything must be read: the
        first time, or when the lines since the last look are gone (pruned)."""
        eng = engine()
        on_disk = current_info(eng.folder(self.entity))
        floor = on_disk[1].log_floor if on_disk is not None else 0
        if self.position is None or floor > self.position:
            self.position = store.log_position(self.entity, eng.model_name)
            end_read()  # lines after the position are read again next time: harmless
            return None
        changed: list[int] = []
        while True:
            position, ids = store.changes_since(
                self.entity, eng.model_name, self.position, READ_ALL_ABOVE
            )
            if not ids:
                return list(dict.fromkeys(changed))
            changed.extend(ids)
            self.position = position

    def _learn_words(self, ids: list[int] | None, titles: dict) -> None:
        """Remember every word the titles (and a vacancy's text) use (`ids` None: all)."""
        for names in titles.values():
            self.words.update(words_of(" ".join(names)))
        if self.entity == "vacancy":
            query = sa.select(Vacancy.description)
            if ids is not None:
                query = query.where(Vacancy.id.in_(ids))
            for (text,) in db.session.execute(query):
                self.words.update(words_of(text or ""))

    def refresh(self, every: float) -> None:
        with self.lock:
            if time.monotonic() - self.checked < every and self.position is not None:
                return
            self.checked = time.monotonic()
            changed = self._changed()
            if changed is None:  # everything, anew
                titles = titles_of(self.entity)
                self.words = set()
                self._learn_words(None, titles)
                first = {i: " ".join(names[:1]) for i, names in titles.items()}
                distinct = sorted(set(first.values()))
                if not distinct:  # nothing to learn the n-grams from yet: next time
                    self.position = None
                    return
                self.row_of_title = {t: n for n, t in enumerate(distinct)}
                self.row_of = {i: self.row_of_title[t] for i, t in first.items()}
                self.matrix = self.grams.fit(distinct)
                self._transpose()
                ids = np.fromiter(self.row_of, dtype=np.int64, count=len(self.row_of))
                rows = np.fromiter(self.row_of.values(), dtype=np.int64, count=len(ids))
                self.bearers = Runs()
                self.bearers._set_base(ids, rows, np.ones(len(ids), dtype=np.float32))
                settle_heap()
                return
            if changed:
                self._move(changed)

    def _move(self, changed: list[int]) -> None:
        every = len(changed) > READ_ALL_ABOVE  # one read of all, not a huge IN
        titles = titles_of(self.entity, None if every else changed)
        self._learn_words(None if every else changed, titles)
        first = {i: " ".join(titles[i][:1]) for i in changed if i in titles}
        new = sorted({t for t in first.values() if t not in self.row_of_title})
        if new:
            start = self.matrix.shape[0]
            self.row_of_title.update({t: start + n for n, t in enumerate(new)})
            self.matrix = sparse.vstack([self.matrix, self.grams.transform(new)]).tocsr()
            if self.matrix.shape[0] - self.transposed > RETRANSPOSE_ABOVE:
                self._transpose()
        for i in changed:  # a removed document bears no title any more
            self.row_of.pop(i, None)
        self.row_of.update({i: self.row_of_title[t] for i, t in first.items()})
        self.bearers.replace({i: [(self.row_of[i], 1.0)] if i in first else [] for i in changed})

    def _transpose(self) -> None:
        """Keep the rows feature by feature too, so a search converts nothing per call;
        rows added since are scored directly (few), until there are enough to do it again."""
        self.by_feature = self.matrix.T.tocsr()
        self.transposed = self.matrix.shape[0]

    def vector(self, title: str):
        return self.grams.transform([title])

    def scores(self, title: str) -> np.ndarray:
        """How much of `title` each distinct title shares (cosine, 0..1), by row. One sparse
        product over the features `title` has."""
        rows = self.matrix.shape[0]
        if not title.strip() or not rows or not self.row_of:
            return np.zeros(rows, dtype=np.float32)
        query = self.vector(title)
        out = (query @ self.by_feature).toarray().ravel()
        if rows > self.transposed:  # the titles added since the last transposition
            recent = self.matrix[self.transposed :] @ query.T
            out = np.concatenate([out, recent.toarray().ravel()])
        return out

    def similar(
        self, title: str, allowed, limit: int, at_least: float = 0.0, scores=None
    ) -> list[int]:
        """The documents whose title shares the most of `title` (more than `at_least`, as a
        cosine), best first (then the lower id). `scores`: what `self.scores(title)`
        returned, if at hand. The best titles are taken in widening batches until enough
        of their bearers pass `allowed`."""
        if not title.strip() or not self.row_of:
            return []
        scores = self.scores(title) if scores is None else scores
        floor = max(at_least, 0.0)
        if allowed is not None and np.count_nonzero(allowed) <= FEW_ALLOWED:
            few = self.similarity(title, np.flatnonzero(allowed).tolist(), scores)
            ranked = sorted(
                (kv for kv in few.items() if kv[1] > floor), key=lambda kv: (-kv[1], kv[0])
            )
            return [i for i, _ in ranked[:limit]]
        candidates = np.flatnonzero(scores > floor)
        if not len(candidates):
            return []
        order = candidates[np.lexsort((candidates, -scores[candidates]))]
        batch = max(64, limit)
        while True:
            rows = order[:batch]
            found = self.bearers.best({int(r): float(scores[r]) for r in rows}, allowed, limit)
            if len(found) >= limit or batch >= len(order):
                return found
            batch *= 4

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
