"""The vacancies' jobs."""

import sqlalchemy as sa

from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _l
from jobmatch.tasks.registry import job
from jobmatch.vacancies.models import Vacancy


@job(
    schedule="5 * * * *",
    label=_l("Published vacancies past their expiry date become expired."),
)
def expire_vacancies() -> dict:
    """Published vacancies past their expiry date become 'expired' (and leave matches)."""
    today = utcnow().date()
    due = db.session.scalars(
        sa.select(Vacancy).where(Vacancy.status == "published", Vacancy.expires_on < today)
    ).all()
    for vacancy in due:
        vacancy.status = "expired"
    # the commit at the end of the job lets the change tracker queue their index jobs
    return {"expired": len(due)}
