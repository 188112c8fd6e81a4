from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobmatch.database import Timestamped, choice
from jobmatch.extensions import db
from jobmatch.reference import CONTRACT_STATUSES, CONTRACT_TYPES, WORKING_TIMES

REGISTRATION_STATUSES = ("active", "ended")


class LabourContract(Timestamped, db.Model):
    """A labour contract as notified by the employer."""

    __tablename__ = "labour_contract"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employer.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    position: Mapped[str] = mapped_column(sa.String(200))
    occupation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("occupation.id"))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    contract_type: Mapped[str] = mapped_column(choice(CONTRACT_TYPES, "contract_contract_type"))
    working_time: Mapped[str] = mapped_column(choice(WORKING_TIMES, "contract_working_time"))
    salary: Mapped[int | None]
    status: Mapped[str] = mapped_column(
        choice(CONTRACT_STATUSES, "contract_status"), default="draft"
    )
    termination_reason: Mapped[str | None] = mapped_column(sa.String(200))
    # Whether the start date has come and the person's status moved to employed.
    began: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id"))
    referral_id: Mapped[int | None] = mapped_column(sa.ForeignKey("referral.id"))

    employer = relationship("Employer")
    person = relationship("Person")
    occupation = relationship("Occupation")


class UnemploymentRegistration(Timestamped, db.Model):
    __tablename__ = "unemployment_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    counsellor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    registered_on: Mapped[date]
    ended_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(sa.String(200))
    documents: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(
        choice(REGISTRATION_STATUSES, "registration_status"), default="active"
    )

    person = relationship("Person")
    counsellor = relationship("User")
