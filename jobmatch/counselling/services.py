"""Counsellors' caseloads. Flushes, never commits."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from jobmatch.extensions import db
from jobmatch.seekers.models import SeekerProfile


def caseload(counsellor) -> sa.Select:
    """The job seekers assigned to a counsellor, most recently updated first."""
    return (
        sa.select(SeekerProfile)
        .where(SeekerProfile.counsellor_id == counsellor.id)
        .options(selectinload(SeekerProfile.person), selectinload(SeekerProfile.occupations))
        .order_by(SeekerProfile.updated_at.desc(), SeekerProfile.id)
    )


def get_seeker(seeker_id: int) -> SeekerProfile | None:
    return db.session.get(SeekerProfile, seeker_id)
