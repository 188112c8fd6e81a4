"""The exposure log: which seekers and vacancies a ranked list showed, to whom, at which
rank. Written by the pages and API calls that show a list, in its own commit (a GET's only
write, like the record of access); read by the fairness and outcome reports; covered by a
person's data export and deletion; kept EXPOSURE_RETENTION_DAYS."""

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from jobmatch.accounts.models import User
from jobmatch.database import changes, utcnow
from jobmatch.extensions import db
from jobmatch.monitoring.models import Exposure

TOP = 10  # the reports count the lists' first ten


def _insert(dialect: str):
    return (postgresql if dialect == "postgresql" else sqlite).insert(Exposure)


def record_shown(viewer, surface: str, pairs: list[tuple[int, int]]) -> None:
    """Log that `viewer` saw the (seeker id, vacancy id) `pairs`, best first, on `surface`,
    and commit. A pair seen again the same day keeps its first row (one row a day)."""
    if not pairs or viewer is None or not getattr(viewer, "id", None):
        return
    if not current_app.config["EXPOSURE_LOG"]:
        return
    day = utcnow().date()
    rows = [
        {"day": day, "viewer_id": viewer.id, "surface": surface, "seeker_id": s,
         "vacancy_id": v, "rank": rank}
        for rank, (s, v) in enumerate(pairs, start=1)
    ]  # fmt: skip
    statement = _insert(db.engine.dialect.name).values(rows).on_conflict_do_nothing()
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False  # the page's rows stay
    try:
        with changes():
            session.execute(statement)
    finally:
        session.expire_on_commit = keep


def shown(seeker_id: int, vacancy_id: int) -> tuple[int | None, list[str]]:
    """The best rank the pair was shown at (None: never), and the roles of those who saw it."""
    rows = db.session.execute(
        sa.select(sa.func.min(Exposure.rank), User.role)
        .join(User, User.id == Exposure.viewer_id)
        .where(Exposure.seeker_id == seeker_id, Exposure.vacancy_id == vacancy_id)
        .group_by(User.role)
    ).all()
    return min((rank for rank, _role in rows), default=None), sorted(role for _r, role in rows)


def of_person(profile_id: int) -> list[dict]:
    """Where the person was shown, for their data export: day, list, vacancy, rank."""
    rows = db.session.execute(
        sa.select(Exposure.day, Exposure.surface, Exposure.vacancy_id, Exposure.rank)
        .where(Exposure.seeker_id == profile_id)
        .order_by(Exposure.day, Exposure.surface, Exposure.rank)
    ).all()
    return [
        {"day": r.day.isoformat(), "list": r.surface, "vacancy_id": r.vacancy_id, "rank": r.rank}
        for r in rows
    ]


def forget_person(profile_id: int | None, user_id: int | None) -> None:
    """A deleted person's rows go: where they were shown, and what they were shown."""
    if profile_id is not None:
        db.session.execute(sa.delete(Exposure).where(Exposure.seeker_id == profile_id))
    if user_id is not None:
        db.session.execute(sa.delete(Exposure).where(Exposure.viewer_id == user_id))


def purge_old(today: date | None = None) -> int:
    """Rows older than the retention period go. Returns how many."""
    today = today or utcnow().date()
    cutoff = today - timedelta(days=current_app.config["EXPOSURE_RETENTION_DAYS"])
    result = db.session.execute(sa.delete(Exposure).where(Exposure.day < cutoff))
    return result.rowcount or 0
