"""Job-seeker profiles. Flushes, never commits."""

import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.vacancies.models import Application


def applications_of(profile) -> list[Application]:
    return db.session.scalars(
        sa.select(Application)
        .where(Application.seeker_id == profile.id)
        .order_by(Application.created_at.desc())
    ).all()
