"""One rule of an open vacancy, for rows and for queries, used by the pages, the API, the
matching and the statistics alike."""

from datetime import timedelta

import sqlalchemy as sa

from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.matching.services import VacancyFilter, open_vacancy_ids
from jobmatch.vacancies.models import Vacancy
from jobmatch.vacancies.services import open_vacancies
from tests import factories


def test_rows_and_queries_agree_on_what_is_open(app):
    org = factories.employer()
    today = utcnow().date()
    cases = {
        "published": factories.vacancy(org),
        "no closing date": factories.vacancy(org, expires_on=None),
        "closes today": factories.vacancy(org, expires_on=today),
        "closed yesterday, no job ran yet": factories.vacancy(
            org, expires_on=today - timedelta(days=1)
        ),
        "draft": factories.vacancy(org, status="draft"),
        "closed": factories.vacancy(org, status="closed"),
    }
    db.session.commit()
    by_row = {v.id for v in cases.values() if v.is_open()}
    by_query = set(db.session.scalars(sa.select(Vacancy.id).where(Vacancy.open_on())))
    assert (
        by_row
        == by_query
        == {cases[k].id for k in ("published", "no closing date", "closes today")}
    )
    assert set(open_vacancy_ids(VacancyFilter()).tolist()) == by_row
    assert {v.id for v in db.session.scalars(open_vacancies())} == by_row
