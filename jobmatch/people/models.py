from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobmatch.database import Timestamped, choice
from jobmatch.extensions import db
from jobmatch.reference import EDUCATION_LEVELS, EMPLOYMENT_STATUSES, GENDERS


class Person(Timestamped, db.Model):
    """The citizen: one record whatever their roles (seeker, employee, registered unemployed)."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    national_id: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    birth_year: Mapped[int | None]
    # Kept for fairness statistics only; never an input to ranking.
    gender: Mapped[str | None] = mapped_column(choice(GENDERS, "person_gender"))
    region: Mapped[str | None] = mapped_column(sa.String(40))
    city: Mapped[str | None] = mapped_column(sa.String(80))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    education_level: Mapped[str | None] = mapped_column(
        choice(EDUCATION_LEVELS, "person_education_level")
    )
    consent_data_processing: Mapped[bool] = mapped_column(default=False)
    consent_contact: Mapped[bool] = mapped_column(default=False)
    # Moved only by jobmatch.contracts.status (contracts and registrations).
    employment_status: Mapped[str] = mapped_column(
        choice(EMPLOYMENT_STATUSES, "person_employment_status"),
        default="job_seeker",
        server_default="job_seeker",
        index=True,
    )
    anonymised_at: Mapped[datetime | None]
    # Told by the person, with their consent, for fairness statistics only: never an input
    # to ranking, never shown to employers. None: not told (or the consent withdrawn).
    disability: Mapped[bool | None]
    disability_consent_at: Mapped[datetime | None]

    user = relationship("User", back_populates="person", uselist=False)
    seeker_profile = relationship("SeekerProfile", back_populates="person", uselist=False)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def __repr__(self) -> str:
        return f"<Person {self.id}>"
