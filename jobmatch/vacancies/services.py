"""Vacancies: queries and changes. Flushes, never commits."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from jobmatch.contracts.services import draft_from
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.matching.language import guess_language
from jobmatch.monitoring.outcomes import record_outcome, take_back
from jobmatch.notifications.services import link_to, notify
from jobmatch.reference import LANGUAGES, REJECTION_REASONS, SKILL_RELATIONS
from jobmatch.taxonomy.models import Occupation, Skill
from jobmatch.trust.moderation import needs_review
from jobmatch.vacancies.models import (
    Application,
    ApplicationEvent,
    Vacancy,
    VacancySkill,
    open_until,
)
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


def change_status(vacancy: Vacancy, action: str) -> None:
    """Publish or close a vacancy. Publishing a closed or expired one opens it again (until
    its expiry date, or for PUBLISH_DAYS when that has passed)."""
    if action == "publish":
        if vacancy.status not in ("draft", "closed", "expired", "filled"):
            raise InvalidInput(_("Only a draft, closed or expired vacancy can be published."))
        if not vacancy.title.strip():
            raise InvalidInput(_("A vacancy needs a title before it is published."))
        db.session.flush()
        if needs_review(vacancy):  # staff see it first; job seekers once it is published
            vacancy.status, vacancy.published_at = "review", None
            db.session.flush()
            return
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
    user = profile.person.user
    row.events.append(ApplicationEvent(status="received", actor_id=getattr(user, "id", None)))

    link = link_to("employers.applications", vacancy_id=vacancy.id)
    for member in vacancy.employer.members:
        data = {"name": profile.person.full_name, "title": vacancy.title}
        notify(member.user, "application_received", data, link)
    if user is not None:  # a receipt, in the app and by e-mail
        data = {"title": vacancy.title, "employer": vacancy.employer.name}
        notify(user, "application_sent", data, link_to("seekers.home"))
    db.session.flush()
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


# Steps from which the applicant may still withdraw.
WITHDRAWABLE = ("received", "shortlisted", "interview", "offered")
# Steps an employer may take back (a hire has made a contract draft: that is ended there).
UNDOABLE = ("shortlisted", "interview", "offered", "rejected")
INTERVIEW_PLACE_MAX = 200


def _step_details(status: str, message: str, reason: str | None, interview_at, place: str):
    """The checked words and facts that go with a step: (message, reason, when, place)."""
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise InvalidInput(
            _("The message is too long: at most %(n)d characters.", n=MESSAGE_MAX), "message"
        )
    place = " ".join((place or "").split())
    if status == "interview":
        if interview_at is None:
            raise InvalidInput(_("Give the interview's date and time."), "interview_at")
        if interview_at < utcnow():
            raise InvalidInput(_("The interview's date has passed."), "interview_at")
        if not place:
            raise InvalidInput(_("Say where the interview is (an address, or a video link)."),
                               "interview_place")  # fmt: skip
        if len(place) > INTERVIEW_PLACE_MAX:
            raise InvalidInput(_("The place is too long."), "interview_place")
    else:
        interview_at, place = None, ""
    if status == "rejected":
        if reason not in REJECTION_REASONS:
            raise InvalidInput(_("Choose the reason the applicant is told."), "reason")
        if reason == "other" and not message:
            raise InvalidInput(_("Write the reason in the message."), "message")
    else:
        reason = None
    return message, reason, interview_at, place


def move_application(
    application: Application,
    status: str,
    actor=None,
    *,
    message: str = "",
    reason: str | None = None,
    interview_at=None,
    interview_place: str = "",
) -> None:
    """Move an application one step along the pipeline, with what the employer tells the
    applicant (a message; for an interview its time and place; for a rejection its reason).
    The applicant is told. Hiring the last open position fills the vacancy and tells the
    other applicants."""

    if status not in NEXT_STEPS.get(application.status, ()):
        raise InvalidInput(_("This step is not possible from the application's current state."))
    message, reason, interview_at, place = _step_details(
        status, message, reason, interview_at, interview_place
    )
    _step(application, status, actor, message, reason, interview_at, place)
    if status in ("shortlisted", "hired"):
        record_outcome(status, application.seeker_id, application.vacancy_id)
    if status == "hired":
        draft_from(application.vacancy, application.seeker.person, application=application)
        _fill_when_complete(application.vacancy, actor)
    db.session.flush()


def _step(application, status, actor, message="", reason=None, interview_at=None, place=""):
    """Record the step and tell the applicant."""
    application.status = status
    application.events.append(
        ApplicationEvent(status=status, actor_id=getattr(actor, "id", None), message=message,
                         reason=reason, interview_at=interview_at, interview_place=place)
    )  # fmt: skip
    user = application.seeker.person.user
    if user is not None:
        when = interview_at.isoformat(timespec="minutes") if interview_at else None
        data = {"title": application.vacancy.title, "status": status,
                "employer": application.vacancy.employer.name, "message": message,
                "reason": reason, "place": place, "when": when}  # fmt: skip
        notify(user, "application_status", data, link_to("seekers.home", _anchor="applications"))


def _fill_when_complete(vacancy: Vacancy, actor) -> None:
    """Once as many people are hired as the vacancy has positions, it is filled: it leaves
    the search, and those still waiting are told it is filled."""
    hired = sum(1 for a in vacancy.applications if a.status == "hired")
    if hired < (vacancy.positions or 1):
        return
    vacancy.status = "filled"
    for other in vacancy.applications:
        if other.status in WITHDRAWABLE:
            _step(other, "rejected", actor, reason="filled")


def withdraw_application(application: Application, actor) -> None:
    """The applicant takes their application back; the employer sees it withdrawn."""
    if application.status not in WITHDRAWABLE:
        raise InvalidInput(_("This application can no longer be withdrawn."))
    application.status = "withdrawn"
    application.events.append(ApplicationEvent(status="withdrawn", actor_id=actor.id))
    vacancy = application.vacancy
    link = link_to("employers.applications", vacancy_id=vacancy.id)
    for member in vacancy.employer.members:
        data = {"name": application.seeker.person.full_name, "title": vacancy.title}
        notify(member.user, "application_withdrawn", data, link)
    db.session.flush()


def undo_last_step(application: Application, actor) -> None:
    """Take back the employer's last step (a click on the wrong row): the application is
    where it was before, the step leaves its history, and the applicant is told."""
    events = application.events
    if (
        len(events) < 2
        or events[-1].status not in UNDOABLE
        or application.status != events[-1].status
        or events[-1].reason == "filled"  # the vacancy was filled: that is not undone here
    ):
        raise InvalidInput(_("There is no step to undo on this application."))
    last = events[-1]
    application.events.remove(last)
    if last.status in ("shortlisted", "hired"):
        take_back(last.status, application.seeker_id, application.vacancy_id)
    application.status = events[-1].status
    user = application.seeker.person.user
    if user is not None:
        data = {"title": application.vacancy.title, "status": application.status,
                "employer": application.vacancy.employer.name, "undone": True}  # fmt: skip
        notify(user, "application_status", data, link_to("seekers.home", _anchor="applications"))
    db.session.flush()
