"""Vacancies: queries and changes. Flushes, never commits."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.vacancies.models import Application, Vacancy


def open_vacancies(region: str | None = None, text: str | None = None) -> sa.Select:
    """Published vacancies that have not expired, newest first."""
    today = utcnow().date()
    query = (
        sa.select(Vacancy)
        .where(Vacancy.status == "published")
        .where(sa.or_(Vacancy.expires_on.is_(None), Vacancy.expires_on >= today))
        .options(selectinload(Vacancy.employer), selectinload(Vacancy.occupation))
        .order_by(Vacancy.published_at.desc(), Vacancy.id.desc())
    )
    if region:
        query = query.where(Vacancy.region == region)
    if text:
        pattern = f"%{text.strip()}%"
        query = query.where(
            sa.or_(Vacancy.title.ilike(pattern), Vacancy.description.ilike(pattern))
        )
    return query


def get_vacancy(vacancy_id: int) -> Vacancy | None:
    return db.session.get(Vacancy, vacancy_id)


def applications_for(vacancy: Vacancy) -> list[Application]:
    return db.session.scalars(
        sa.select(Application)
        .where(Application.vacancy_id == vacancy.id)
        .order_by(Application.created_at.desc())
    ).all()
