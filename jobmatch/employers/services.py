"""Employer organisations. Flushes, never commits."""

import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.vacancies.models import Application, Vacancy


def vacancies_with_counts(employer) -> list[tuple[Vacancy, int]]:
    """The organisation's vacancies, newest first, each with its number of applications."""
    counts = (
        sa.select(Application.vacancy_id, sa.func.count().label("n"))
        .group_by(Application.vacancy_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Vacancy, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.vacancy_id == Vacancy.id)
        .where(Vacancy.employer_id == employer.id)
        .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())
    ).all()
    return [(vacancy, count) for vacancy, count in rows]
