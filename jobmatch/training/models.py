from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobmatch.database import Timestamped, choice, utcnow
from jobmatch.extensions import db
from jobmatch.reference import TRAINING_MODES, TRAINING_REFERRAL_STATUSES

programme_skill = sa.Table(
    "training_programme_skill",
    db.metadata,
    sa.Column(
        "programme_id",
        sa.ForeignKey("training_programme.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("skill_id", sa.ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)


class TrainingProgramme(Timestamped, db.Model):
    """A course a job seeker can take to gain skills: who gives it, how, where, how long."""

    __tablename__ = "training_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(sa.String(100), unique=True)
    provider: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    mode: Mapped[str] = mapped_column(choice(TRAINING_MODES, "training_mode"))
    language: Mapped[str] = mapped_column(sa.String(8))
    duration_hours: Mapped[int]
    region: Mapped[str | None] = mapped_column(sa.String(40), index=True)  # None: anywhere
    starts_on: Mapped[date | None]
    cost: Mapped[int | None]  # AZN; 0 is free
    url: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)

    titles = relationship(
        "ProgrammeTitle",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="ProgrammeTitle.language",
    )

    def title_in(self, locale: str) -> str:
        """The title in the reader's language where the provider gave one, else its own."""
        return next((t.title for t in self.titles if t.language == locale), self.title)

    skills = relationship("Skill", secondary=programme_skill, order_by="Skill.label_en")


class TrainingReferral(Timestamped, db.Model):
    """A counsellor sends a job seeker to a programme, to close the gap to a vacancy."""

    __tablename__ = "training_referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    counsellor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    seeker_id: Mapped[int] = mapped_column(
        sa.ForeignKey("seeker_profile.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_programme.id", ondelete="CASCADE"), index=True
    )
    vacancy_id: Mapped[int | None] = mapped_column(sa.ForeignKey("vacancy.id"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(
        choice(TRAINING_REFERRAL_STATUSES, "training_referral_status"), default="referred"
    )

    counsellor = relationship("User")
    seeker = relationship("SeekerProfile")
    programme = relationship("TrainingProgramme")
    vacancy = relationship("Vacancy")


class TrainingInterest(db.Model):
    """A job seeker said they would like to take a course: their counsellor is told, and
    sees it on the case."""

    __tablename__ = "training_interest"

    seeker_id: Mapped[int] = mapped_column(
        sa.ForeignKey("seeker_profile.id", ondelete="CASCADE"), primary_key=True
    )
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_programme.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    programme = relationship("TrainingProgramme")


class ProgrammeTitle(db.Model):
    """A course's title in another of the service's languages."""

    __tablename__ = "programme_title"

    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_programme.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), index=True)
