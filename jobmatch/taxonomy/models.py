import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobmatch.database import choice
from jobmatch.extensions import db
from jobmatch.reference import SKILL_RELATIONS


class IscoGroup(db.Model):
    __tablename__ = "isco_group"

    code: Mapped[str] = mapped_column(sa.String(4), primary_key=True)
    label_en: Mapped[str] = mapped_column(sa.String(255))


class Labelled:
    """An ESCO concept with labels in some languages (label_en always)."""

    def label(self, locale: str = "en") -> str:
        """The label in `locale` where ESCO has one, else English."""
        return getattr(self, f"label_{locale}", None) or self.label_en


class Occupation(Labelled, db.Model):
    """An ESCO occupation, with its labels in the languages ESCO publishes."""

    __tablename__ = "occupation"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(sa.String(120), unique=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    isco_group: Mapped[str] = mapped_column(sa.String(4), index=True)
    label_en: Mapped[str] = mapped_column(sa.String(255))
    label_fr: Mapped[str | None] = mapped_column(sa.String(255))
    label_ar: Mapped[str | None] = mapped_column(sa.String(255))
    alt_labels_en: Mapped[str] = mapped_column(sa.Text, default="")
    alt_labels_fr: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")

    skill_links = relationship("OccupationSkill", back_populates="occupation")

    @property
    def isco_major_group(self) -> str:
        return self.isco_group[:1]

    def __repr__(self) -> str:
        return f"<Occupation {self.code} {self.label_en}>"


class Skill(Labelled, db.Model):
    """An ESCO skill, competence or knowledge concept."""

    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(sa.String(120), unique=True)
    skill_type: Mapped[str] = mapped_column(sa.String(32))
    reuse_level: Mapped[str] = mapped_column(sa.String(32), default="")
    label_en: Mapped[str] = mapped_column(sa.String(255), index=True)
    alt_labels_en: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    # ESCO v1.0's French labels; ESCO has none in Arabic, Azerbaijani or Russian.
    label_fr: Mapped[str | None] = mapped_column(sa.String(255))
    alt_labels_fr: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    def __repr__(self) -> str:
        return f"<Skill {self.label_en}>"


class OccupationSkill(db.Model):
    __tablename__ = "occupation_skill"

    occupation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("occupation.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True
    )
    relation: Mapped[str] = mapped_column(choice(SKILL_RELATIONS, "occupation_skill_relation"))

    occupation = relationship("Occupation", back_populates="skill_links")
    skill = relationship("Skill")
