from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobmatch.database import Timestamped, choice
from jobmatch.extensions import db
from jobmatch.reference import SECTORS

MEMBER_ROLES = ("owner", "recruiter")
VERIFICATION_EVIDENCE = ("document", "contract")


class Employer(Timestamped, db.Model):
    """An employing organisation; its users act for it."""

    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # VÖEN, Azerbaijan's taxpayer number: 10 digits.
    tax_id: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    sector: Mapped[str | None] = mapped_column(choice(SECTORS, "employer_sector", length=1))
    region: Mapped[str | None] = mapped_column(sa.String(40))
    city: Mapped[str | None] = mapped_column(sa.String(80))
    website: Mapped[str | None] = mapped_column(sa.String(255))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Staff verify an organisation (tax number checked, a document or a notified labour
    # contract as proof) before its users may see anyone's contact details.
    verified: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    verification_evidence: Mapped[str | None] = mapped_column(
        choice(VERIFICATION_EVIDENCE, "employer_verification_evidence", length=16)
    )
    verification_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    members = relationship("EmployerMember", back_populates="employer", cascade="all")
    vacancies = relationship("Vacancy", back_populates="employer")

    def __repr__(self) -> str:
        return f"<Employer {self.id} {self.name}>"


class EmployerMember(db.Model):
    __tablename__ = "employer_member"

    employer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("employer.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, unique=True
    )
    role: Mapped[str] = mapped_column(choice(MEMBER_ROLES, "employer_member_role"))

    employer = relationship("Employer", back_populates="members")
    user = relationship("User", back_populates="memberships")
