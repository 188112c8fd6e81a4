"""Matching: keep vectors and indexes in step with the data, and rank in both directions."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from jobmatch.database import among, commit_chunk, end_read, keep_statistics
from jobmatch.extensions import db
from jobmatch.matching import facts, filters, ready, store
from jobmatch.matching.channels import (
    TITLE_FLOOR,
    by_occupation,
    fuse,
    known_words,
    named_occupations,
    occupations_of,
    title_index,
)
from jobmatch.matching.documents import ROLES, seeker_document, vacancy_document
from jobmatch.matching.engine import engine, model_ready
from jobmatch.matching.filters import SeekerFilter, VacancyFilter
from jobmatch.matching.models import IndexChange, RecognisedOccupation, StoredVector
from jobmatch.matching.occupations import recognise_entities, titles_of, unrecognised
from jobmatch.matching.ranking import Fit, assess, damp
from jobmatch.people.models import Person
from jobmatch.search.lexical import shared_words
from jobmatch.seekers.models import SeekerProfile, SeekerSkill
from jobmatch.tasks.locks import exclusive
from jobmatch.vacancies.models import Application, Vacancy, VacancySkill

MODELS = {"vacancy": Vacancy, "seeker": SeekerProfile}


def documents(entity: str, ids=None) -> list[tuple[int, str]]:
    """(id, text) of the entity's documents, all or some."""
    if entity == "vacancy":
        query = sa.select(Vacancy).options(
            selectinload(Vacancy.skills).selectinload(VacancySkill.skill),
            selectinload(Vacancy.occupation),
        )
        build = vacancy_document
    else:
        query = sa.select(SeekerProfile).options(
            selectinload(SeekerProfile.skills).selectinload(SeekerSkill.skill),
            selectinload(SeekerProfile.occupations),
            selectinload(SeekerProfile.experiences),
        )
        build = seeker_document
    model = MODELS[entity]
    if ids is not None:
        query = query.where(model.id.in_(list(ids)))
    return [(row.id, build(row)) for row in db.session.scalars(query.order_by(model.id))]


SYNC_CHUNK = 256  # entities embedded, then written under the lock and committed, at a time


def entity_ids(entity: str) -> list[int]:
    model = MODELS[entity]
    return db.session.scalars(sa.select(model.id).order_by(model.id)).all()


def sync(entity: str, ids=None, progress: Callable[[int], None] = lambda n: None) -> dict:
    """Embed what changed, store it and log it for the indexes: for some ids, or everything.

    Commits, a chunk at a time. Texts are embedded outside the writer lock (several
    workers embed in parallel); under it, each chunk's texts are read again and
    anything that changed meanwhile is embedded again, so a slower writer never
    overwrites a newer vector with an older one. Ids whose row is gone lose their
    vector. A full sync (no ids) then rebuilds the index as a new generation.
    """
    eng = engine()
    counts = {"embedded": 0, "reused": 0, "removed": 0}
    end_read()  # what other processes committed is seen
    wanted = entity_ids(entity) if ids is None else sorted({int(i) for i in ids})
    if ids is None:  # rows deleted since their vector was stored
        present = set(wanted)
        gone = [i for i in store.ids(entity, eng.model_name) if i not in present]
        wanted = sorted(present.union(gone))
    for start in range(0, len(wanted), SYNC_CHUNK):
        part = wanted[start : start + SYNC_CHUNK]
        _sync_chunk(entity, part, eng, counts, progress, log_all=ids is not None)
    if ids is None:
        eng.rebuild_index(entity)
    return counts


def _sync_chunk(entity: str, part: list[int], eng, counts: dict, progress, log_all) -> None:
    """`log_all`: log every id of `part`, not only those whose vector changed: a change of
    status, region or visibility reaches the other processes' filters through the log too
    (a full sync rebuilds the index, facts and all, instead)."""

    model, role = eng.model_name, ROLES[entity]
    items = documents(entity, part)
    todo = store.stale(items, store.hashes(entity, model, part))
    fresh = store.embed(todo, eng.embedder, role)
    end_read()  # end the read; under the lock everything is read again
    with exclusive(f"index-writer:{entity}"):
        items = dict(documents(entity, part))
        stored = store.hashes(entity, model, part)
        # what changed since it was embedded above: embedded again, inside the lock
        expected = stored | {i: digest for i, (digest, _) in fresh.items()}
        again = store.stale(list(items.items()), expected)
        fresh.update(store.embed(again, eng.embedder, role))
        fresh = {i: fresh[i] for i in fresh if i in items and fresh[i][0] != stored.get(i)}
        gone = [i for i in part if i not in items and i in stored]
        store.write(entity, model, fresh)
        store.forget(entity, gone)
        store.log_changes(entity, model, part if log_all else [*fresh, *gone])
        if log_all:  # a person's own change, not a full sync: the first vector is news
            ready.announce(entity, [i for i in fresh if i not in stored])
        # the occupations, from the same text: again where it changed, or never recognised
        recognise_entities(entity, {*fresh, *gone, *unrecognised(entity, list(items))})
        commit_chunk()
    keep_statistics(StoredVector, RecognisedOccupation, IndexChange, MODELS[entity])
    counts["embedded"] += len(todo) + len(again)
    counts["reused"] += len(items) - len(todo)
    counts["removed"] += len(gone)
    progress(len(part))


ACTIVE_APPLICATIONS = ("received", "shortlisted", "interview", "offered")


def crowding(vacancy_ids: list[int]) -> dict[int, float]:
    """Applications still in play per open position, of each vacancy (those with none are
    left out)."""
    if not vacancy_ids:
        return {}
    rows = db.session.execute(
        sa.select(Application.vacancy_id, sa.func.count(), Vacancy.positions)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .where(
            among(Application.vacancy_id, vacancy_ids),
            Application.status.in_(ACTIVE_APPLICATIONS),
        )
        .group_by(Application.vacancy_id, Vacancy.positions)
    ).all()
    return {vacancy_id: n / max(positions or 1, 1) for vacancy_id, n, positions in rows}


def open_vacancy_ids(flt: VacancyFilter) -> np.ndarray:
    """The ids of the vacancies that pass `flt`, read from the database as it is now (for
    lists by date and alerts; matching asks the index's facts instead)."""
    query = sa.select(Vacancy.id, Vacancy.languages)
    if flt.open_only:
        query = query.where(Vacancy.open_on())
    if flt.region:
        query = query.where(Vacancy.region == flt.region)
    if flt.regions is not None:
        query = query.where(Vacancy.region.in_(list(flt.regions)))
    if flt.contract_type:
        query = query.where(Vacancy.contract_type == flt.contract_type)
    if flt.salary_at_least:
        pays = Vacancy.pays_on()
        query = query.where(pays >= flt.salary_at_least)
    if flt.published_after is not None:
        query = query.where(Vacancy.published_at > flt.published_after)
    if flt.ids is not None:
        query = query.where(Vacancy.id.in_(list(flt.ids)))
    rows = db.session.execute(query).all()
    if flt.language:
        rows = [r for r in rows if flt.language in (r.languages or [])]
    return np.array([r.id for r in rows], dtype=np.int64)


def findable_seeker_ids(flt: SeekerFilter) -> np.ndarray:
    """The ids of the job seekers who pass `flt`, read from the database as it is now."""
    query = (
        sa.select(SeekerProfile.id, Person.languages)
        .join(Person, Person.id == SeekerProfile.person_id)
        .where(Person.anonymised_at.is_(None))
    )
    if flt.visible_only:
        query = query.where(SeekerProfile.findable_clause())
    if flt.region:
        query = query.where(Person.region == flt.region)
    if flt.ids is not None:
        query = query.where(SeekerProfile.id.in_(list(flt.ids)))
    rows = db.session.execute(query).all()
    if flt.language:
        rows = [r for r in rows if flt.language in (r.languages or [])]
    return np.array([r.id for r in rows], dtype=np.int64)


def is_indexed(entity: str, entity_id: int) -> bool:
    """Whether the entity has a vector yet (a new one waits for its index job)."""
    return bool(store.hashes(entity, engine().model_name, [entity_id]))


def _vectors(entity: str, ids: list[int]) -> tuple[list[int], np.ndarray]:
    """(ids, vectors) of those of `ids` that have one: as the loaded index holds them, so
    that every channel's candidates are scored as the dense channel scores them; else as
    stored (a document whose index job has not run yet, or an index not loaded here)."""
    found, vectors = engine().vectors_of(entity, ids)
    held = set(found)
    missing = [i for i in ids if i not in held]
    if missing:
        stored, more = store.load(entity, engine().model_name, missing)
        if len(stored):
            found = found + stored.tolist()
            vectors = np.vstack([vectors, more]) if len(vectors) else more
    return found, vectors


def stored_vector(entity: str, entity_id: int) -> np.ndarray | None:
    """The document's vector; None before its first index job."""
    ids, vectors = _vectors(entity, [entity_id])
    return vectors[0] if ids else None


@dataclass
class _One:
    """The one seeker or vacancy others are ranked for, as the channels and the re-ranking
    both need it (read once)."""

    entity: str  # "seeker" or "vacancy"
    id: int
    title: str
    occupations: list


def _candidates(entity: str, vector, one: _One, pool: int, allowed, keep: int, lexical):
    """The channels' candidates of `entity` for `one`, fused: (ids, cosine of each id found
    by meaning)."""
    channels = current_app.config["MATCH_CHANNELS"]
    lists, cosines = [], {}
    if "dense" in channels:
        scores, ids = engine().search(entity, vector, pool, allowed=allowed)
        cosines = {int(i): float(s) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0}
        lists.append(list(cosines))
    if "occupation" in channels:
        lists.append(by_occupation(entity, one.occupations, allowed, pool))
    if "lexical" in channels:
        lists.append(title_index(entity).similar(one.title, allowed, pool, scores=lexical))
    return fuse(lists, pool, keep), cosines


def _cosines(entity: str, vector, ids: list[int]) -> dict[int, float]:
    """The cosine of `vector` with the vectors of `ids`."""
    if not ids:
        return {}
    found, vectors = _vectors(entity, ids)
    scores = (vectors @ np.asarray(vector, dtype=np.float32).ravel()).tolist() if found else []
    return dict(zip(found, scores, strict=True))


def _admitted(entity: str, ids: list[int], flt) -> list[int]:
    """The ids among `ids` whose rows pass `flt` as the database has them now (the index's
    facts may lag a commit by a second or two)."""
    if not ids:
        return []
    passing = {r.id for r in db.session.execute(filters.rows(entity, ids)) if flt.admits(r)}
    return [i for i in ids if i in passing]


def _rank(entity: str, vector, k: int, flt, seeker_side: bool, one_id: int) -> list[Fit]:
    """Find candidates through the channels among those `flt` lets through (the index's
    facts), fuse them, then re-rank with the full score."""
    config = current_app.config
    allowed = engine().allowed(entity, flt)
    kind = "seeker" if seeker_side else "vacancy"
    one = _One(
        kind,
        one_id,
        (titles_of(kind, [one_id]).get(one_id) or [""])[0],
        occupations_of(kind, [one_id]).get(one_id, []),
    )
    pool = max(k, config["MATCH_CANDIDATES"])
    titles_here = title_index(entity)
    lexical = titles_here.scores(one.title) if one.title.strip() else None
    others, cosines = _candidates(entity, vector, one, pool, allowed, k, lexical)
    others = _admitted(entity, others, flt)
    if not others:
        return []
    cosines.update(_cosines(entity, vector, [i for i in others if i not in cosines]))
    title = one.title
    titles = titles_here.similarity(title, others, scores=lexical) if title.strip() else {}
    if seeker_side:  # one seeker, many vacancies
        seeker = facts.seekers([one_id], {one_id: one.occupations})[one_id]
        many = facts.vacancies(others)
        pair = lambda other: (seeker, other)  # noqa: E731
    else:  # one vacancy, many seekers
        job = facts.vacancies([one_id], {one_id: one.occupations})[one_id]
        many = facts.seekers(others)
        pair = lambda other: (other, job)  # noqa: E731
    weights, band = config["MATCH_WEIGHTS"], config["MATCH_SEMANTIC_RANGE"]
    factors = config["MATCH_RELATION_FACTORS"]
    fits = [
        assess(cosines[i], *pair(many[i]), weights, band, titles.get(i), factors)
        for i in others
        if i in many and i in cosines
    ]
    if seeker_side and config["CONGESTION_DAMPING"]:
        damp(fits, crowding([f.vacancy_id for f in fits]), config["CONGESTION"])
    fits.sort(key=lambda f: (-f.score, f.vacancy_id if seeker_side else f.seeker_id))
    fits = fits[:k]
    if title.strip():  # the words of the titles the why names, for those shown
        named = titles_of(entity, [f.vacancy_id if seeker_side else f.seeker_id for f in fits])
        for fit in fits:
            other = (named.get(fit.vacancy_id if seeker_side else fit.seeker_id) or [""])[0]
            fit.shared_words = (
                shared_words(title, other) if seeker_side else shared_words(other, title)
            )
    return fits


def vacancies_for_seeker(
    seeker_id: int, k: int = 10, flt: VacancyFilter | None = None
) -> list[Fit]:
    """The best open vacancies for a job seeker, from the seeker's stored vector."""
    vector = stored_vector("seeker", seeker_id)
    if vector is None:
        return []
    return _rank("vacancy", vector[None, :], k, flt or VacancyFilter(), True, seeker_id)


def candidates_for_vacancy(
    vacancy_id: int, k: int = 10, flt: SeekerFilter | None = None
) -> list[Fit]:
    """The best job seekers for a vacancy, among those who may be shown."""
    vector = stored_vector("vacancy", vacancy_id)
    if vector is None:
        return []
    return _rank("seeker", vector[None, :], k, flt or SeekerFilter(), False, vacancy_id)


def search_vacancies(text: str, k: int = 20, flt: VacancyFilter | None = None):
    """Open vacancies for a free-text search: (vacancy id, similarity), best first. The
    channels that match profiles find them too: meaning, the occupation the words name,
    and the words of the titles. Only what is relevant comes back: a vacancy close in
    meaning only, below SEARCH_MIN_SIMILARITY, is left out, so words that mean nothing
    find nothing. In a request, raises ModelWarming while the model is still loading."""
    model_ready()
    config = current_app.config
    vector = engine().embedder.embed([text], "query")
    flt = flt or VacancyFilter()
    allowed = engine().allowed("vacancy", flt)
    channels = config["MATCH_CHANNELS"]
    named = named_occupations(text, vector[0]) if "occupation" in channels else []
    lists = [by_occupation("vacancy", named, allowed, k)]
    if "lexical" in channels:
        lists.append(title_index("vacancy").similar(text, allowed, k, at_least=TITLE_FLOOR))
    # Closeness in meaning proves little for words the service has never seen (the bundled
    # model puts "lorem ipsum" as close to a vacancy as "honey" to a beekeeper's): they
    # find nothing.
    if not (named or any(lists) or known_words(text)):
        return []
    floor = config["SEARCH_MIN_SIMILARITY"]
    scores, ids = engine().search("vacancy", vector, k, allowed=allowed)
    dense = [int(i) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0 and s >= floor]
    found = _admitted("vacancy", fuse([dense, *lists], k, keep=k), flt)
    cosines = _cosines("vacancy", vector[0], found)
    return [(i, cosines[i]) for i in found if i in cosines][:k]
