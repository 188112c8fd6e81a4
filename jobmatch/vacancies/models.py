from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobmatch.database import Timestamped, choice, utcnow
from jobmatch.extensions import db
from jobmatch.reference import (
    APPLICATION_STATUSES,
    CONTRACT_TYPES,
    EDUCATION_LEVELS,
    SKILL_RELATIONS,
    VACANCY_STATUSES,
    WORKING_TIMES,
)

PUBLISH_DAYS = 30  # how long a vacancy stays open when it is published without an end date


def open_until(expires_on: date | None = None) -> date:
    """The closing date a vacancy published now gets: its own while still ahead, else
    PUBLISH_DAYS from today (the one rule for the site, the API, imports and review)."""
    today = utcnow().date()
    if expires_on is None or expires_on < today:
        return today + timedelta(days=PUBLISH_DAYS)
    return expires_on


class Vacancy(Timestamped, db.Model):
    __tablename__ = "vacancy"
    __table_args__ = (
        sa.CheckConstraint("positions >= 1", name="positions_positive"),
        sa.CheckConstraint(
            "salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max",
            name="salary_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employer.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    text_language: Mapped[str | None] = mapped_column(sa.String(8))
    occupation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("occupation.id"), index=True)
    region: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    city: Mapped[str | None] = mapped_column(sa.String(80))
    contract_type: Mapped[str] = mapped_column(
        choice(CONTRACT_TYPES, "vacancy_contract_type"), default="permanent"
    )
    working_time: Mapped[str] = mapped_column(
        choice(WORKING_TIMES, "vacancy_working_time"), default="full_time"
    )
    salary_min: Mapped[int | None]
    salary_max: Mapped[int | None]
    # What staff said when they sent it back from review (the employer reads it and corrects).
    moderation_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Skills named in free text that ESCO does not list (e.g. from an import).
    other_skills: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    education_level: Mapped[str | None] = mapped_column(
        choice(EDUCATION_LEVELS, "vacancy_education_level")
    )
    positions: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(
        choice(VACANCY_STATUSES, "vacancy_status"), default="draft", index=True
    )
    published_at: Mapped[datetime | None]
    expires_on: Mapped[date | None]

    employer = relationship("Employer", back_populates="vacancies")
    occupation = relationship("Occupation")
    skills = relationship("VacancySkill", back_populates="vacancy", cascade="all, delete-orphan")
    applications = relationship("Application", back_populates="vacancy")

    # The one rule of an open vacancy: published and not past its closing date; `is_open`
    # applies it to a row, `open_on` to a query (pages, API, jobs and statistics use these).
    def is_open(self, today: date | None = None) -> bool:
        """Published and not past its expiry date."""
        today = today or utcnow().date()
        return self.status == "published" and (self.expires_on is None or self.expires_on >= today)

    @classmethod
    def open_on(cls, today: date | None = None):
        """The same rule as a SQL condition."""
        today = today or utcnow().date()
        return sa.and_(
            cls.status == "published", sa.or_(cls.expires_on.is_(None), cls.expires_on >= today)
        )

    # The most a vacancy may pay a month: `pays` for a row, `pays_on` for a query (the
    # filters, the search's order by pay and the trust score's pay figures use these).
    def pays(self) -> int | None:
        return self.salary_max if self.salary_max is not None else self.salary_min

    @classmethod
    def pays_on(cls):
        return sa.func.coalesce(cls.salary_max, cls.salary_min)

    def __repr__(self) -> str:
        return f"<Vacancy {self.id} {self.title!r}>"


class VacancySkill(db.Model):
    __tablename__ = "vacancy_skill"

    vacancy_id: Mapped[int] = mapped_column(
        sa.ForeignKey("vacancy.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True
    )
    relation: Mapped[str] = mapped_column(choice(SKILL_RELATIONS, "vacancy_skill_relation"))

    vacancy = relationship("Vacancy", back_populates="skills")
    skill = relationship("Skill")


class Application(Timestamped, db.Model):
    """A seeker's application to a vacancy and where it stands in the employer's pipeline."""

    __tablename__ = "application"
    __table_args__ = (sa.UniqueConstraint("seeker_id", "vacancy_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(sa.ForeignKey("seeker_profile.id"), index=True)
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancy.id"), index=True)
    status: Mapped[str] = mapped_column(
        choice(APPLICATION_STATUSES, "application_status"), default="received"
    )
    message: Mapped[str] = mapped_column(sa.Text, default="")

    seeker = relationship("SeekerProfile")
    vacancy = relationship("Vacancy", back_populates="applications")
    events = relationship(
        "ApplicationEvent",
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="ApplicationEvent.id",
    )


class ApplicationEvent(db.Model):
    """One step of an application, as both sides see it: the status it reached, when, who
    took it, and what they said (a message, a reason for a rejection, an interview's time
    and place)."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str | None] = mapped_column(sa.String(40))
    interview_at: Mapped[datetime | None]
    interview_place: Mapped[str] = mapped_column(sa.String(200), default="")

    application = relationship("Application", back_populates="events")
