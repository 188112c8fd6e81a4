"""Job-seeker profiles. Flushes, never commits."""

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.matching.recognition import suggest
from jobmatch.matching.skills import link_other_skills
from jobmatch.reference import LANGUAGES
from jobmatch.seekers.cv import MAX_CHARS, tidy
from jobmatch.seekers.models import CvFile, Education, Experience, SeekerProfile, SeekerSkill
from jobmatch.taxonomy.models import Occupation, Skill
from jobmatch.vacancies.models import Application, Vacancy
from jobmatch.validation import InvalidInput


def applications_of(profile) -> list[Application]:
    return db.session.scalars(
        sa.select(Application)
        .where(Application.seeker_id == profile.id)
        .options(
            selectinload(Application.vacancy).selectinload(Vacancy.employer),
            selectinload(Application.events),
        )
        .order_by(Application.created_at.desc())
    ).all()


def profile_text(profile: SeekerProfile) -> str:
    """What the person wrote about their work: the text skills are recognised in."""
    return "\n".join(t for t in (profile.desired_title, profile.summary, profile.cv_text) if t)


def skill_suggestions(profile: SeekerProfile) -> dict:
    """Occupations and skills recognised in the profile's text that it does not hold yet,
    each with its ESCO concept (for its label in the page's language)."""

    text = profile_text(profile)
    found = suggest(text) if text.strip() else []
    have = {
        "skill": {s.skill_id for s in profile.skills},
        "occupation": {o.id for o in profile.occupations},
    }
    out = {}
    for kind, model in (("occupation", Occupation), ("skill", Skill)):
        new = [s for s in found if s.kind == kind and s.id not in have[kind]]
        rows = db.session.scalars(sa.select(model).where(model.id.in_([s.id for s in new])))
        concepts = {row.id: row for row in rows}
        out[f"{kind}s"] = [
            Suggested(s.id, concepts[s.id], s.source) for s in new if s.id in concepts
        ]
    return out


@dataclass(frozen=True)
class Suggested:
    id: int
    concept: Occupation | Skill
    source: str  # "label", "words" or "meaning" (jobmatch.matching.recognition.Suggestion)


def other_skill_links(profile: SeekerProfile) -> list[tuple[str, Skill | None]]:
    """Each "other skill" as the person typed it, with the ESCO skill it is linked to."""
    linked = link_other_skills(profile.other_skills or [])
    rows = db.session.scalars(
        sa.select(Skill).where(Skill.id.in_([f.skill_id for f in linked.values()]))
    )
    skills = {row.id: row for row in rows}
    return [
        (line, skills.get(linked[line].skill_id) if line in linked else None)
        for line in profile.other_skills or []
    ]


def save_skills(profile: SeekerProfile, skill_ids, occupation_ids, other_skills: list[str]) -> None:
    """The person's confirmed choice: exactly these skills and occupations, and the other
    skills as typed, each never dropped; an other skill that names an ESCO skill clearly
    brings that skill too (as recognised), so matching counts it."""
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
    others = list(dict.fromkeys(s.strip() for s in other_skills if s.strip()))
    linked = {found.skill_id for found in link_other_skills(others).values()} - skill_ids
    current = {s.skill_id: s for s in profile.skills}
    profile.skills = [
        current.get(i) or SeekerSkill(skill_id=i, source="confirmed")
        for i in sorted(skill_ids | linked)
    ]
    for item in profile.skills:
        item.source = "recognised" if item.skill_id in linked else "confirmed"
    profile.occupations = list(occupations)
    profile.other_skills = others


def save_cv(
    profile: SeekerProfile,
    text: str,
    filename: str | None,
    data: bytes | None = None,
    kind: str | None = None,
) -> None:
    """Keep the CV's text (from a file, or typed) as the profile's CV, and the file itself
    (`data`, of `kind`) when one was uploaded; typed text replaces an earlier file."""

    text = tidy(text)
    if not text:
        raise InvalidInput(_("Choose a file or write your experience."), "cv")
    if len(text) >= MAX_CHARS:
        text = text[:MAX_CHARS]
    profile.cv_text = text
    profile.cv_filename = (filename or "")[-255:] or None
    profile.cv_uploaded_at = utcnow()
    stored = db.session.get(CvFile, profile.id)
    if data is None:
        if stored is not None:
            db.session.delete(stored)
    elif stored is None:
        db.session.add(CvFile(seeker_id=profile.id, kind=kind, data=data))
    else:
        stored.kind, stored.data, stored.uploaded_at = kind, data, utcnow()
    db.session.flush()


def save_profile(profile: SeekerProfile, values: dict) -> None:
    """Step 1 of the profile: the work sought, where, languages, conditions, consents."""

    title = (values.get("desired_title") or "").strip()
    if not title:
        raise InvalidInput(_("Say what work you are looking for."), "desired_title")
    phone = (values.get("phone") or "").strip()
    if phone and not re.fullmatch(r"\+?[0-9 ()-]{7,20}", phone):
        raise InvalidInput(_("Enter a telephone number, like +994 50 123 45 67."), "phone")
    if any(code not in LANGUAGES for code in values.get("languages") or []):
        raise InvalidInput(_("Unknown language."), "languages")
    disability = values.get("disability") or ""
    if disability not in ("", "yes", "no"):
        raise InvalidInput(_("Choose one of the answers."), "disability")
    if disability and not values.get("consent_disability"):
        raise InvalidInput(
            _("Tick the box to agree that your answer is kept, or choose “I prefer not to say”."),
            "consent_disability",
        )
    person = profile.person
    told = {"yes": True, "no": False}.get(disability)
    if told != person.disability or (told is not None and person.disability_consent_at is None):
        person.disability = told
        person.disability_consent_at = utcnow() if told is not None else None
    profile.desired_title = title
    profile.summary = (values.get("summary") or "").strip()
    profile.availability = values["availability"]
    profile.salary_expectation = values.get("salary_expectation")
    profile.visible = bool(values.get("visible"))
    person.region = values.get("region") or None
    person.city = (values.get("city") or "").strip() or None
    person.phone = phone or None
    person.languages = list(dict.fromkeys(values.get("languages") or []))
    person.education_level = values.get("education_level") or None
    person.consent_contact = bool(values.get("consent_contact"))
    db.session.flush()


def add_experience(profile: SeekerProfile, values: dict, job: Experience | None = None) -> None:
    """Add a job to the profile, or change `job` (one of the profile's) to `values`."""

    start, end = values.get("start_date"), values.get("end_date")
    if start and end and start > end:
        raise InvalidInput(_("The job ends before it starts."), "end_date")
    if start and start > date.today():
        raise InvalidInput(_("The start date is in the future."), "start_date")
    if job is None:
        if len(profile.experiences) >= 30:
            raise InvalidInput(_("A profile holds at most 30 jobs."))
        job = Experience()
        profile.experiences.append(job)
    elif job.seeker_id != profile.id:
        raise InvalidInput(_("This job is not in your profile."))
    job.title = values["title"].strip()
    job.employer_name = (values.get("employer_name") or "").strip()
    job.start_date, job.end_date = start, end
    job.description = (values.get("description") or "").strip()
    db.session.flush()


# A period of work as CVs write it: "2018 – 2021", "03/2018 - 05/2021", "2019 – present".
_YEAR = r"(?:(?:0?[1-9]|1[0-2])[./])?((?:19|20)\d\d)"
_NOW = r"(present|now|current|today|h\.?\s*h\.?|hazırda|indiyədək|по\s*н\.?\s*в\.?|"
_NOW += r"по\s+настоящее\s+время|сейчас|à\s+ce\s+jour|aujourd'hui|actuel|الآن|حتى\s+الآن)"
_PERIOD = re.compile(_YEAR + r"\s*(?:[-–—]|to|до|à|ilə|–)\s*(?:" + _YEAR + "|" + _NOW + ")", re.I)
_SPLIT = re.compile(r"\s+(?:at|chez|в|da)\s+|\s*[,|•·—–:]\s*|\s+-\s+")
# Lines about studies, not jobs, in the five languages.
_STUDIES = re.compile(
    r"universit|университет|école|school|məktəb|школ|college|kollec|колледж|lycée|institut|"
    r"институт|education|təhsil|образование|formation|diplom|جامعة|مدرسة|تعليم|كلية",
    re.I,
)


def jobs_in_cv(profile: SeekerProfile, most: int = 8) -> list[dict]:
    """Jobs the CV seems to list (a line with a period of years, and a title beside or under
    it), for the person to add with one click and correct: never added by themselves. Jobs
    already in the profile are left out."""
    held = {e.title.casefold() for e in profile.experiences}
    lines = [line.strip() for line in (profile.cv_text or "").splitlines()]
    found = []
    for n, line in enumerate(lines):
        period = _PERIOD.search(line)
        if not period:
            continue
        beside = [line[: period.start()], line[period.end() :]]
        if not any(len(b.strip(" :;,()-–—\t")) >= 3 for b in beside) and n + 1 < len(lines):
            beside = [lines[n + 1]]  # the dates on a line of their own, the job under them
        if any(_STUDIES.search(b) for b in beside):
            continue
        parts = [p.strip(" ;()\t") for b in beside for p in _SPLIT.split(b)]
        parts = [p for p in parts if len(p) >= 2]
        if not parts or len(parts[0]) > 120 or parts[0].casefold() in held:
            continue
        start, end = int(period.group(1)), period.group(2)
        found.append({
            "title": parts[0].strip(),
            "employer_name": parts[1].strip() if len(parts) > 1 else "",
            "start_date": date(start, 1, 1),
            "end_date": date(int(end), 12, 31) if end and int(end) < date.today().year else None,
        })  # fmt: skip
        held.add(parts[0].casefold())
        if len(found) == most:
            break
    return found


def add_education(profile: SeekerProfile, values: dict) -> None:

    if len(profile.educations) >= 15:
        raise InvalidInput(_("A profile holds at most 15 diplomas."))
    profile.educations.append(
        Education(
            level=values["level"],
            field=(values.get("field") or "").strip(),
            institution=(values.get("institution") or "").strip(),
            year_completed=values.get("year_completed"),
        )
    )
    db.session.flush()


def remove_entry(profile: SeekerProfile, kind: str, entry_id: int) -> None:
    """Remove one of the person's own jobs or diplomas (another's is not found)."""
    items = {"experience": profile.experiences, "education": profile.educations}.get(kind)
    if items is None:
        raise InvalidInput(_("Unknown action."))
    entry = next((e for e in items if e.id == entry_id), None)
    if entry is None:
        raise InvalidInput(_("This entry is not in your profile."))
    items.remove(entry)
    db.session.flush()


def completeness(profile: SeekerProfile) -> list[tuple[str, bool, str]]:
    """The profile's steps: (name, done, endpoint), in the order a person takes them."""
    return [
        (_("About you"), bool(profile.desired_title), "seekers.profile"),
        (_("CV"), bool(profile.cv_text), "seekers.cv"),
        (_("Occupations and skills"), bool(profile.skills), "seekers.skills"),
        (
            _("Jobs and education"),
            bool(profile.experiences or profile.educations),
            "seekers.history",
        ),
    ]
