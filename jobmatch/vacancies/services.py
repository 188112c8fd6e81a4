"""Vacancies: queries and changes. Flushes, never commits."""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from jobmatch.contracts.services import draft_from
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.matching.language import guess_language
from jobmatch.notifications.services import link_to, notify
from jobmatch.reference import LANGUAGES, SKILL_RELATIONS
from jobmatch.taxonomy.models import Occupation, Skill
from jobmatch.vacancies.models import Application, Vacancy, VacancySkill
from jobmatch.validation import InvalidInput


def open_vacancies(region: str | None = None, text: str | None = None) -> sa.Select:
    """Published vacancies that have not expired, newest first."""
    query = (
        sa.select(Vacancy)
        .where(Vacancy.open_on())
        .options(selectinload(Vacancy.employer), selectinload(Vacancy.occupation))
        .order_by(Vacancy.published_at.desc(), Vacancy.id.desc())
    )
    if region:
        query = query.where(Vacancy.region == region)
    if text:
        pattern = f"%{text.strip()}%"
        query = query.where(
            sa.or_(Vacancy.title.ilike(pattern), Vacancy.description.ilike(pattern))
        )
    return query


def get_vacancy(vacancy_id: int) -> Vacancy | None:
    return db.session.get(Vacancy, vacancy_id)


def applications_for(vacancy: Vacancy) -> list[Application]:
    return db.session.scalars(
        sa.select(Application)
        .where(Application.vacancy_id == vacancy.id)
        .order_by(Application.created_at.desc())
    ).all()


DESCRIPTION_MAX = 20_000
SALARY_MAX = 1_000_000
SKILLS_MAX = 40


def new_vacancy(employer) -> Vacancy:
    """A blank draft for the organisation, with the defaults a form shows (not yet added)."""
    return Vacancy(
        employer_id=employer.id,
        status="draft",
        positions=1,
        contract_type="permanent",
        working_time="full_time",
        languages=[],
        other_skills=[],
    )


def save_vacancy(
    vacancy: Vacancy,
    values: dict,
    occupation_id,
    skills: dict[int, str],
    publish: bool = False,
) -> None:
    """Write a vacancy from its form: the text, the conditions, the occupation and the skills
    (id -> "essential" or "optional"); then publish it when asked and not published yet (the
    one rule for the pages and the API). Checks the rules a form alone cannot."""
    _write_vacancy(vacancy, values, occupation_id, skills)
    if publish and vacancy.status != "published":
        change_status(vacancy, "publish")


def _checked_values(values: dict) -> dict:
    """The vacancy's own fields from a form, trimmed and checked."""
    values = dict(values)
    for key in ("title", "description"):
        values[key] = (values.get(key) or "").strip()
    values["city"] = (values.get("city") or "").strip() or None
    if not values["title"]:
        raise InvalidInput(_("A vacancy needs a title."), "title")
    low, high = values.get("salary_min"), values.get("salary_max")
    if low is not None and high is not None and low > high:
        raise InvalidInput(_("The lowest salary is above the highest."), "salary_max")
    expires = values.get("expires_on")
    if expires is not None and expires < utcnow().date():
        raise InvalidInput(_("The closing date has passed."), "expires_on")
    if any(code not in LANGUAGES for code in values.get("languages") or []):
        raise InvalidInput(_("Unknown language."), "languages")
    for key in ("region", "text_language", "education_level"):
        values[key] = values.get(key) or None
    values["text_language"] = values["text_language"] or guess_language(
        f"{values['title']}\n{values['description']}"
    )
    return values


def _check_concepts(occupation_id, skills: dict[int, str]) -> None:
    """The occupation and the skills exist, and the skills are few enough."""
    if occupation_id is not None and db.session.get(Occupation, occupation_id) is None:
        raise InvalidInput(_("This occupation does not exist."), "occupation")
    if len(skills) > SKILLS_MAX:
        raise InvalidInput(_("Choose at most %(n)d skills.", n=SKILLS_MAX), "skills")
    if any(relation not in SKILL_RELATIONS for relation in skills.values()):
        raise InvalidInput(_("Unknown skill relation."), "skills")
    known = set(db.session.scalars(sa.select(Skill.id).where(Skill.id.in_(list(skills)))))
    if known != set(skills):
        raise InvalidInput(_("Some of the chosen skills do not exist."), "skills")


def _write_vacancy(vacancy: Vacancy, values: dict, occupation_id, skills: dict[int, str]) -> None:
    values = _checked_values(values)
    _check_concepts(occupation_id, skills)
    for key, value in values.items():
        setattr(vacancy, key, value)
    vacancy.occupation_id = occupation_id
    current = {s.skill_id: s for s in vacancy.skills}
    rows = []
    for skill_id, relation in sorted(skills.items()):
        row = current.get(skill_id) or VacancySkill(skill_id=skill_id)
        row.relation = relation
        rows.append(row)
    vacancy.skills = rows
    db.session.add(vacancy)
    db.session.flush()


PUBLISH_DAYS = 30  # how long a vacancy stays open when it is published without an end date


def open_until(expires_on: date | None = None) -> date:
    """The closing date a vacancy published now gets: its own while still ahead, else
    PUBLISH_DAYS from today (the one rule for the site, the API and imports)."""
    today = utcnow().date()
    if expires_on is None or expires_on < today:
        return today + timedelta(days=PUBLISH_DAYS)
    return expires_on


def change_status(vacancy: Vacancy, action: str) -> None:
    """Publish or close a vacancy. Publishing a closed or expired one opens it again (until
    its expiry date, or for PUBLISH_DAYS when that has passed)."""
    if action == "publish":
        if vacancy.status not in ("draft", "closed", "expired"):
            raise InvalidInput(_("Only a draft, closed or expired vacancy can be published."))
        if not vacancy.title.strip():
            raise InvalidInput(_("A vacancy needs a title before it is published."))
        vacancy.status, vacancy.published_at = "published", utcnow()
        vacancy.expires_on = open_until(vacancy.expires_on)
    elif action == "close":
        if vacancy.status != "published":
            raise InvalidInput(_("Only a published vacancy can be closed."))
        vacancy.status = "closed"
    else:
        raise InvalidInput(_("Unknown action."))
    db.session.flush()


MESSAGE_MAX = 2000


def application_of(profile, vacancy: Vacancy) -> Application | None:
    return db.session.scalar(
        sa.select(Application).where(
            Application.seeker_id == profile.id, Application.vacancy_id == vacancy.id
        )
    )


def apply(profile, vacancy: Vacancy, message: str) -> Application:
    """A job seeker applies to an open vacancy, once, with an optional message."""
    if not vacancy.is_open():
        raise InvalidInput(_("This vacancy is no longer open."))
    if application_of(profile, vacancy) is not None:
        raise InvalidInput(_("You have already applied to this vacancy."))
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise InvalidInput(
            _("The message is too long: at most %(n)d characters.", n=MESSAGE_MAX), "message"
        )
    row = Application(
        seeker_id=profile.id, vacancy_id=vacancy.id, status="received", message=message
    )
    try:
        with db.session.begin_nested():  # the same person applying twice at once
            db.session.add(row)
    except sa.exc.IntegrityError as error:
        raise InvalidInput(_("You have already applied to this vacancy.")) from error

    link = link_to("employers.applications", vacancy_id=vacancy.id)
    for member in vacancy.employer.members:
        data = {"name": profile.person.full_name, "title": vacancy.title}
        notify(member.user, "application_received", data, link)
    return row


# The applications pipeline: where an application may go from each step.
NEXT_STEPS = {
    "received": ("shortlisted", "rejected"),
    "shortlisted": ("interview", "rejected"),
    "interview": ("offered", "rejected"),
    "offered": ("hired", "rejected"),
    "hired": (),
    "rejected": (),
    "withdrawn": (),
}


def move_application(application: Application, status: str) -> None:
    """Move an application one step along the pipeline; the job seeker is told."""

    if status not in NEXT_STEPS.get(application.status, ()):
        raise InvalidInput(_("This step is not possible from the application's current state."))
    application.status = status
    if status == "hired":
        draft_from(application.vacancy, application.seeker.person, application=application)
    user = application.seeker.person.user
    if user is not None:
        data = {"title": application.vacancy.title, "status": status}
        link = link_to("vacancies.show", vacancy_id=application.vacancy_id)
        notify(user, "application_status", data, link)
    db.session.flush()
