"""What the ranking showed, and what came of it: the ground of the fairness and outcome
reports. Kept apart from ranking: nothing here is read to rank anyone."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jobmatch.database import choice, utcnow
from jobmatch.extensions import db

# Where a ranked list was shown: a job seeker's own matches, the candidates of a vacancy
# (to its employer or to staff), a counsellor's matches for a person on their case.
SURFACES = ("matches", "candidates", "case")
OUTCOMES = ("shortlisted", "hired", "placed")


class Exposure(db.Model):
    """A seeker and a vacancy shown together in a ranked list, to one user, on one day, at
    the best rank of that day. One row a pair, viewer, list and day however often the list
    is opened: a compact record, kept for EXPOSURE_RETENTION_DAYS."""

    __tablename__ = "exposure"
    __table_args__ = (
        sa.UniqueConstraint("day", "viewer_id", "surface", "seeker_id", "vacancy_id"),
        sa.Index("ix_exposure_pair", "seeker_id", "vacancy_id"),
        sa.Index("ix_exposure_vacancy_day", "vacancy_id", "day"),
    )

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    day: Mapped[date] = mapped_column(index=True)
    viewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    surface: Mapped[str] = mapped_column(choice(SURFACES, "exposure_surface", 12))
    seeker_id: Mapped[int] = mapped_column(sa.ForeignKey("seeker_profile.id", ondelete="CASCADE"))
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancy.id", ondelete="CASCADE"))
    rank: Mapped[int] = mapped_column(sa.SmallInteger)


class MatchOutcome(db.Model):
    """A shortlist, a hire or a placement confirmed by a labour contract, with where the
    ranking had put the pair before it: the best rank it was shown at (None: never shown in
    a ranked list), to whom (the roles of those who saw it), and what counsellors decided
    (promoted, hidden; referred)."""

    __tablename__ = "match_outcome"
    __table_args__ = (sa.UniqueConstraint("kind", "seeker_id", "vacancy_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(choice(OUTCOMES, "match_outcome_kind", 12))
    seeker_id: Mapped[int] = mapped_column(
        sa.ForeignKey("seeker_profile.id", ondelete="CASCADE"), index=True
    )
    vacancy_id: Mapped[int] = mapped_column(
        sa.ForeignKey("vacancy.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    rank: Mapped[int | None] = mapped_column(sa.SmallInteger)
    shown_to: Mapped[str] = mapped_column(sa.String(60), default="")  # roles, comma-separated
    decision: Mapped[str | None] = mapped_column(sa.String(12))  # promoted, hidden
    referred: Mapped[bool] = mapped_column(default=False)
