import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobmatch.database import Timestamped, choice
from jobmatch.extensions import db
from jobmatch.reference import REFERRAL_OUTCOMES


class Referral(Timestamped, db.Model):
    """A counsellor sends a seeker to a vacancy; it counts as a placement once a contract exists."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    counsellor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    seeker_id: Mapped[int] = mapped_column(sa.ForeignKey("seeker_profile.id"), index=True)
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancy.id"), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[str] = mapped_column(
        choice(REFERRAL_OUTCOMES, "referral_outcome"), default="pending"
    )

    counsellor = relationship("User")
    seeker = relationship("SeekerProfile")
    vacancy = relationship("Vacancy")


class CaseNote(Timestamped, db.Model):
    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text)

    person = relationship("Person")
    author = relationship("User")


MATCH_DECISIONS = ("hidden", "promoted")


class MatchDecision(Timestamped, db.Model):
    """A counsellor's judgement on one seeker-vacancy match, with the reason written down:
    hidden from the ranked lists, or put at their top. Each change is also in the audit log."""

    __tablename__ = "match_decision"
    __table_args__ = (sa.UniqueConstraint("seeker_id", "vacancy_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(
        sa.ForeignKey("seeker_profile.id", ondelete="CASCADE"), index=True
    )
    vacancy_id: Mapped[int] = mapped_column(
        sa.ForeignKey("vacancy.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(choice(MATCH_DECISIONS, "match_decision_kind"))
    reason: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    author = relationship("User")
    seeker = relationship("SeekerProfile")
    vacancy = relationship("Vacancy")
