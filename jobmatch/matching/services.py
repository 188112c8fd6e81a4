"""Matching: keep vectors and indexes in step with the data, and rank in both directions."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.matching import facts, store
from jobmatch.matching.documents import ROLES, seeker_document, vacancy_document
from jobmatch.matching.engine import engine
from jobmatch.matching.ranking import Fit, assess
from jobmatch.people.models import Person
from jobmatch.seekers.models import SeekerProfile, SeekerSkill
from jobmatch.vacancies.models import Vacancy, VacancySkill

MODELS = {"vacancy": Vacancy, "seeker": SeekerProfile}


@dataclass
class VacancyFilter:
    """Which vacancies may be shown: open ones, optionally by region, contract, language."""

    region: str | None = None
    contract_type: str | None = None
    language: str | None = None
    open_only: bool = True


@dataclass
class SeekerFilter:
    """Which job seekers may be shown: those who agreed to be found (unless staff ask)."""

    region: str | None = None
    language: str | None = None
    visible_only: bool = True


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


def sync(entity: str, ids=None, progress: Callable[[int], None] = lambda n: None) -> dict:
    """Embed what changed and bring the index in line: for some ids, or everything."""
    eng = engine()
    items = documents(entity, ids)
    counts = store.ensure(entity, items, eng.embedder, ROLES[entity], progress=progress)
    present = {i for i, _ in items}
    if ids is None:
        stale = [i for i in store.ids(entity, eng.model_name) if i not in present]  # deleted
        store.forget(entity, stale)
        db.session.flush()
        eng.rebuild_index(entity)
        counts["removed"] = len(stale)
        return counts
    gone = [int(i) for i in ids if int(i) not in present]
    store.forget(entity, gone)
    stored_ids, vectors = store.load(entity, eng.model_name, present) if present else ([], [])
    eng.apply(entity, dict(zip(np.asarray(stored_ids).tolist(), vectors, strict=True)), gone)
    counts["removed"] = len(gone)
    return counts


def open_vacancy_ids(flt: VacancyFilter) -> np.ndarray:
    query = sa.select(Vacancy.id, Vacancy.languages)
    if flt.open_only:
        today = utcnow().date()
        query = query.where(Vacancy.status == "published").where(
            sa.or_(Vacancy.expires_on.is_(None), Vacancy.expires_on >= today)
        )
    if flt.region:
        query = query.where(Vacancy.region == flt.region)
    if flt.contract_type:
        query = query.where(Vacancy.contract_type == flt.contract_type)
    rows = db.session.execute(query).all()
    if flt.language:
        rows = [r for r in rows if flt.language in (r.languages or [])]
    return np.array([r.id for r in rows], dtype=np.int64)


def findable_seeker_ids(flt: SeekerFilter) -> np.ndarray:
    query = (
        sa.select(SeekerProfile.id, Person.languages)
        .join(Person, Person.id == SeekerProfile.person_id)
        .where(Person.anonymised_at.is_(None))
    )
    if flt.visible_only:
        query = query.where(SeekerProfile.visible.is_(True))
    if flt.region:
        query = query.where(Person.region == flt.region)
    rows = db.session.execute(query).all()
    if flt.language:
        rows = [r for r in rows if flt.language in (r.languages or [])]
    return np.array([r.id for r in rows], dtype=np.int64)


def _stored_vector(entity: str, entity_id: int) -> np.ndarray | None:
    ids, vectors = store.load(entity, engine().model_name, [entity_id])
    return vectors[0] if len(ids) else None


def _rank(entity: str, vector, k: int, allowed, seeker_side: bool, one_id: int) -> list[Fit]:
    """Retrieve by similarity from `entity`'s index, then re-rank with the full score."""
    config = current_app.config
    pool = max(k, config["MATCH_CANDIDATES"])
    scores, ids = engine().index(entity).search(vector, pool, allowed=allowed)
    found = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
    if not found:
        return []
    others = [i for i, _ in found]
    weights, band = config["MATCH_WEIGHTS"], config["MATCH_SEMANTIC_RANGE"]
    if seeker_side:  # one seeker, many vacancies
        seeker, many = facts.seekers([one_id])[one_id], facts.vacancies(others)
        pair = lambda other: (seeker, other)  # noqa: E731
    else:  # one vacancy, many seekers
        job, many = facts.vacancies([one_id])[one_id], facts.seekers(others)
        pair = lambda other: (other, job)  # noqa: E731
    fits = [assess(s, *pair(many[i]), weights, band) for i, s in found if i in many]
    fits.sort(key=lambda f: f.score, reverse=True)
    return fits[:k]


def vacancies_for_seeker(
    seeker_id: int, k: int = 10, flt: VacancyFilter | None = None
) -> list[Fit]:
    """The best open vacancies for a job seeker, from the seeker's stored vector."""
    vector = _stored_vector("seeker", seeker_id)
    if vector is None:
        return []
    allowed = open_vacancy_ids(flt or VacancyFilter())
    return _rank("vacancy", vector[None, :], k, allowed, True, seeker_id)


def candidates_for_vacancy(
    vacancy_id: int, k: int = 10, flt: SeekerFilter | None = None
) -> list[Fit]:
    """The best job seekers for a vacancy, among those who may be shown."""
    vector = _stored_vector("vacancy", vacancy_id)
    if vector is None:
        return []
    allowed = findable_seeker_ids(flt or SeekerFilter())
    return _rank("seeker", vector[None, :], k, allowed, False, vacancy_id)


def search_vacancies(text: str, k: int = 20, flt: VacancyFilter | None = None):
    """Open vacancies for a free-text search, by meaning: (vacancy id, similarity)."""
    vector = engine().embedder.embed([text], "query")
    allowed = open_vacancy_ids(flt or VacancyFilter())
    scores, ids = engine().index("vacancy").search(vector, k, allowed=allowed)
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
