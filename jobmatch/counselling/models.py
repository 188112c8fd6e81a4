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
