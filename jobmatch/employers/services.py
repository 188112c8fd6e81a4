"""Employer organisations. Flushes, never commits."""

from urllib.parse import urlsplit

import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.vacancies.models import Application, Vacancy
from jobmatch.validation import InvalidInput


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


def is_owner(user, employer) -> bool:
    return any(m.employer_id == employer.id and m.role == "owner" for m in user.memberships)


def update_organisation(employer, values: dict) -> None:
    """The organisation's public profile. Its tax number is fixed once verified."""

    name = (values.get("name") or "").strip()
    if not name:
        raise InvalidInput(_("The organisation needs a name."), "name")
    website = (values.get("website") or "").strip()
    if website:
        parts = urlsplit(website if "//" in website else f"https://{website}")
        if parts.scheme not in ("http", "https") or "." not in parts.netloc:
            raise InvalidInput(_("Enter the address of a website, like example.az."), "website")
        website = parts.geturl()
    employer.name = name
    employer.sector = values.get("sector") or None
    employer.region = values.get("region") or None
    employer.city = (values.get("city") or "").strip() or None
    employer.website = website or None
    employer.description = (values.get("description") or "").strip()
    db.session.flush()
