from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobmatch.accounts.models import User
from jobmatch.database import Timestamped, choice, utcnow
from jobmatch.extensions import db
from jobmatch.people.models import Person
from jobmatch.reference import AVAILABILITY, EDUCATION_LEVELS

SKILL_SOURCES = ("declared", "recognised", "confirmed")

seeker_occupation = sa.Table(
    "seeker_occupation",
    db.metadata,
    sa.Column(
        "seeker_id", sa.ForeignKey("seeker_profile.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "occupation_id", sa.ForeignKey("occupation.id", ondelete="CASCADE"), primary_key=True
    ),
)


class SeekerProfile(Timestamped, db.Model):
    """What a person looking for work tells the service about themselves."""

    __tablename__ = "seeker_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), unique=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    desired_title: Mapped[str] = mapped_column(sa.String(200), default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    cv_text: Mapped[str] = mapped_column(sa.Text, default="")
    cv_uploaded_at: Mapped[datetime | None]
    cv_filename: Mapped[str | None] = mapped_column(sa.String(255))
    cv_path: Mapped[str | None] = mapped_column(sa.String(255))
    text_language: Mapped[str | None] = mapped_column(sa.String(8))
    # Skills named in free text that ESCO does not list (e.g. from an import).
    other_skills: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    availability: Mapped[str] = mapped_column(
        choice(AVAILABILITY, "seeker_availability"), default="immediately"
    )
    salary_expectation: Mapped[int | None]
    # Consent to be found by employers in candidate searches.
    visible: Mapped[bool] = mapped_column(default=False)
    counsellor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    person = relationship("Person", back_populates="seeker_profile")
    counsellor = relationship("User")
    occupations = relationship("Occupation", secondary=seeker_occupation)
    skills = relationship("SeekerSkill", back_populates="seeker", cascade="all, delete-orphan")
    experiences = relationship(
        "Experience",
        back_populates="seeker",
        cascade="all, delete-orphan",
        order_by="Experience.start_date.desc()",
    )
    educations = relationship("Education", back_populates="seeker", cascade="all, delete-orphan")

    @property
    def findable(self) -> bool:
        """Whether employers may find the person: they agreed, and the account (if they
        registered one themselves) has a confirmed address."""
        user = self.person.user
        return self.visible and (user is None or user.email_confirmed_at is not None)

    @classmethod
    def findable_clause(cls):
        """`findable` in SQL, for a query that joins Person."""
        unconfirmed = sa.exists().where(
            User.person_id == Person.id, User.email_confirmed_at.is_(None)
        )
        return sa.and_(cls.visible.is_(True), ~unconfirmed)

    def __repr__(self) -> str:
        return f"<SeekerProfile {self.id}>"


class SeekerSkill(db.Model):
    __tablename__ = "seeker_skill"

    seeker_id: Mapped[int] = mapped_column(
        sa.ForeignKey("seeker_profile.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(choice(SKILL_SOURCES, "seeker_skill_source"))

    seeker = relationship("SeekerProfile", back_populates="skills")
    skill = relationship("Skill")


class Experience(db.Model):
    __tablename__ = "experience"

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(
        sa.ForeignKey("seeker_profile.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    employer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    occupation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("occupation.id"))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    description: Mapped[str] = mapped_column(sa.Text, default="")

    seeker = relationship("SeekerProfile", back_populates="experiences")
    occupation = relationship("Occupation")


class Education(db.Model):
    __tablename__ = "education"

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(
        sa.ForeignKey("seeker_profile.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(choice(EDUCATION_LEVELS, "education_level"))
    field: Mapped[str] = mapped_column(sa.String(200), default="")
    institution: Mapped[str] = mapped_column(sa.String(200), default="")
    year_completed: Mapped[int | None]

    seeker = relationship("SeekerProfile", back_populates="educations")


class CvFile(db.Model):
    """The CV file a job seeker uploaded, as it came (checked for its kind and size): they
    can download it again, and staff can open it. One per profile, replaced by the next."""

    __tablename__ = "cv_file"

    seeker_id: Mapped[int] = mapped_column(
        sa.ForeignKey("seeker_profile.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(sa.String(8))  # pdf, docx or txt
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
