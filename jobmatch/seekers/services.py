"""Job-seeker profiles. Flushes, never commits."""

import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.seekers.models import SeekerProfile, SeekerSkill
from jobmatch.taxonomy.models import Occupation, Skill
from jobmatch.vacancies.models import Application
from jobmatch.validation import InvalidInput


def applications_of(profile) -> list[Application]:
    return db.session.scalars(
        sa.select(Application)
        .where(Application.seeker_id == profile.id)
        .order_by(Application.created_at.desc())
    ).all()


def profile_text(profile: SeekerProfile) -> str:
    """What the person wrote about their work: the text skills are recognised in."""
    return "\n".join(t for t in (profile.desired_title, profile.summary, profile.cv_text) if t)


def skill_suggestions(profile: SeekerProfile) -> dict:
    """Occupations and skills recognised in the profile's text that it does not hold yet."""
    from jobmatch.matching.recognition import suggest

    text = profile_text(profile)
    found = suggest(text) if text.strip() else []
    have_skills = {s.skill_id for s in profile.skills}
    have_occupations = {o.id for o in profile.occupations}
    return {
        "occupations": [
            s for s in found if s.kind == "occupation" and s.id not in have_occupations
        ],
        "skills": [s for s in found if s.kind == "skill" and s.id not in have_skills],
    }


def save_skills(profile: SeekerProfile, skill_ids, occupation_ids, other_skills: list[str]) -> None:
    """The person's confirmed choice: exactly these skills and occupations."""
    skill_ids = {int(i) for i in skill_ids}
    occupation_ids = {int(i) for i in occupation_ids}
    known = set(db.session.scalars(sa.select(Skill.id).where(Skill.id.in_(skill_ids))))
    if known != skill_ids:
        raise InvalidInput(_("Some of the chosen skills do not exist."))
    occupations = db.session.scalars(
        sa.select(Occupation).where(Occupation.id.in_(occupation_ids))
    ).all()
    if len(occupations) != len(occupation_ids):
        raise InvalidInput(_("Some of the chosen occupations do not exist."))
    if len(other_skills) > 30 or any(len(s) > 100 for s in other_skills):
        raise InvalidInput(_("List at most 30 other skills of up to 100 characters each."))
    current = {s.skill_id: s for s in profile.skills}
    profile.skills = [
        current.get(i) or SeekerSkill(skill_id=i, source="confirmed") for i in sorted(skill_ids)
    ]
    for item in profile.skills:
        item.source = "confirmed"
    profile.occupations = list(occupations)
    profile.other_skills = list(dict.fromkeys(s.strip() for s in other_skills if s.strip()))


def save_cv(profile: SeekerProfile, text: str, filename: str | None) -> None:
    """Keep the CV's text (from a file, or typed) as the profile's CV."""
    from jobmatch.database import utcnow
    from jobmatch.seekers.cv import MAX_CHARS, tidy

    text = tidy(text)
    if not text:
        raise InvalidInput(_("Choose a file or write your experience."), "cv")
    if len(text) >= MAX_CHARS:
        text = text[:MAX_CHARS]
    profile.cv_text = text
    profile.cv_filename = (filename or "")[-255:] or None
    profile.cv_uploaded_at = utcnow()
    db.session.flush()
