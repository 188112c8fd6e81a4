"""The public vacancy search: by meaning when words are given, newest first otherwise."""

import math
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.matching.engine import ModelWarming
from jobmatch.matching.services import VacancyFilter, open_vacancy_ids, search_vacancies
from jobmatch.reference import CONTRACT_TYPES, LANGUAGES, REGIONS, label
from jobmatch.vacancies.models import Vacancy
from jobmatch.validation import as_number

PER_PAGE = 20
MAX_RESULTS = 200  # ranked by meaning, at most
# How results may be ordered besides the default (closest in meaning, or newest without words)
SORTS = ("newest", "pay")


@dataclass
class Criteria:
    text: str = ""
    region: str | None = None
    contract_type: str | None = None
    language: str | None = None
    salary: int | None = None
    sort: str = ""  # "", or one of SORTS

    @classmethod
    def from_args(cls, args) -> "Criteria":
        def code(name, codes):
            value = args.get(name) or None
            return value if value in codes else None

        salary = (args.get("salary") or "").strip()
        return cls(
            text=(args.get("q") or "").strip()[:200],
            region=code("region", REGIONS),
            contract_type=code("contract_type", CONTRACT_TYPES),
            language=code("language", LANGUAGES),
            salary=as_number(salary, maximum=10**6 - 1) or None,
            sort=args.get("sort") if args.get("sort") in SORTS else "",
        )

    def filter(self) -> VacancyFilter:
        return VacancyFilter(
            region=self.region,
            contract_type=self.contract_type,
            language=self.language,
            salary_at_least=self.salary,
        )

    def summary(self) -> str:
        """The search in a few words, in the current language: a default name for it."""

        parts = [
            self.text,
            label(REGIONS, self.region) if self.region else "",
            label(CONTRACT_TYPES, self.contract_type) if self.contract_type else "",
            label(LANGUAGES, self.language) if self.language else "",
            _("from %(n)d AZN", n=self.salary) if self.salary else "",
        ]
        return ", ".join(str(p) for p in parts if p)

    def args(self) -> dict:
        values = {
            "q": self.text,
            "region": self.region,
            "contract_type": self.contract_type,
            "language": self.language,
            "salary": self.salary,
            "sort": self.sort,
        }
        return {k: v for k, v in values.items() if v}

    def chosen_filters(self) -> int:
        """How many filters besides the words are set."""
        return sum(1 for v in (self.region, self.contract_type, self.language, self.salary) if v)


@dataclass
class Results:
    """One page of results, shaped like Flask-SQLAlchemy's pagination for the pager."""

    items: list
    total: int
    page: int
    by_meaning: bool
    scores: dict[int, float]
    per_page: int = PER_PAGE
    warming: bool = False  # by words while the model loads

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _by_meaning(criteria: Criteria) -> list[tuple[int, float]] | None:
    """(id, similarity) best first; None when this server cannot search by meaning. Raises
    ModelWarming while the model loads (the caller answers by words meanwhile)."""
    try:
        return search_vacancies(criteria.text, MAX_RESULTS, criteria.filter())
    except (OSError, RuntimeError, ValueError):  # no model on this server: words instead
        current_app.logger.exception("search by meaning failed; searching by words")
        return None


def _ordered(query: sa.Select, sort: str) -> sa.Select:
    """Highest pay first (those that name none last), or newest first."""
    if sort == "pay":
        pays = Vacancy.pays_on()
        return query.order_by(
            pays.is_(None), pays.desc(), Vacancy.published_at.desc(), Vacancy.id.desc()
        )
    return query.order_by(Vacancy.published_at.desc(), Vacancy.id.desc())


def _sorted(found: list[tuple[int, float]], sort: str) -> list[tuple[int, float]]:
    """What the meaning found, put in the order asked for (the closest in meaning first when
    none was asked for)."""
    if not sort or not found:
        return found
    scores = dict(found)
    query = _ordered(sa.select(Vacancy.id).where(Vacancy.id.in_(list(scores))), sort)
    return [(i, scores[i]) for i in db.session.scalars(query)]


def _by_words(criteria: Criteria) -> sa.Select:
    """Open vacancies passing the filters (and containing the words), newest (or best paid)
    first."""
    ids = open_vacancy_ids(criteria.filter()).tolist()
    query = sa.select(Vacancy).where(Vacancy.id.in_(ids))
    if criteria.text:
        pattern = f"%{criteria.text}%"
        query = query.where(
            sa.or_(Vacancy.title.ilike(pattern), Vacancy.description.ilike(pattern))
        )
    return _ordered(query, criteria.sort)


def _by_meaning_or_warming(criteria: Criteria) -> tuple[list | None, bool]:
    """What _by_meaning finds, and whether the model was still loading (then None)."""
    if not criteria.text:
        return None, False
    try:
        found = _by_meaning(criteria)
        return (None if found is None else _sorted(found, criteria.sort)), False
    except ModelWarming:
        return None, True


def ordered_ids(criteria: Criteria) -> list[int]:
    """Every open vacancy the criteria find, best first (by meaning) or newest first."""
    found, _warming = _by_meaning_or_warming(criteria)
    if found is not None:
        return [i for i, _ in found]
    return list(db.session.scalars(_by_words(criteria).with_only_columns(Vacancy.id)))


def find(criteria: Criteria, page: int) -> Results:
    page = max(1, page)
    found, warming = _by_meaning_or_warming(criteria)
    if found is not None:
        return _page_by_meaning(found, page)
    query = _by_words(criteria)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return Results(rows, total, page, by_meaning=False, scores={}, warming=warming)


def _page_by_meaning(found: list[tuple[int, float]], page: int) -> Results:
    chunk = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    rows = {
        v.id: v
        for v in db.session.scalars(
            sa.select(Vacancy)
            .where(Vacancy.id.in_([i for i, _ in chunk]))
            .options(selectinload(Vacancy.employer))
        )
    }
    items = [rows[i] for i, _ in chunk if i in rows]
    return Results(items, len(found), page, by_meaning=True, scores=dict(chunk))
