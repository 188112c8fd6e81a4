"""A person's rights over their data: who looked at it, a copy of all of it, and deletion.
Deletion anonymises the person; labour contracts stay for the period the law requires
(CONTRACT_RETENTION_YEARS) and are purged after it. Flushes, never commits."""

import secrets
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from jobmatch.accounts.services import end_all_sessions
from jobmatch.alerts.models import SavedSearch
from jobmatch.api.models import ApiToken
from jobmatch.audit.models import AuditEvent
from jobmatch.audit.services import record
from jobmatch.contracts.models import LabourContract, UnemploymentRegistration
from jobmatch.contracts.registration import end, open_registration
from jobmatch.counselling.models import CaseNote, MatchDecision, Referral
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.monitoring import exposure
from jobmatch.notifications.models import Notification, OutboxMessage
from jobmatch.people.models import Person
from jobmatch.seekers.models import CvFile
from jobmatch.training.models import TrainingReferral
from jobmatch.vacancies.models import Application

VIEW_ACTIONS = ("person.viewed",)
# Notices to others whose data names a person.
NAMED_NOTICES = ("application_received", "referral_received", "referral_answered")
DELETED_NAME = "—"


def viewers(person, limit: int = 200) -> list[dict]:
    """Who looked at the person's profile, CV or contact details, newest first."""
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.person_id == person.id, AuditEvent.action.in_(VIEW_ACTIONS))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    rows = []
    for event in events:
        actor = event.actor
        organisation = actor.employer.name if actor is not None and actor.employer else None
        rows.append(
            {
                "at": event.at,
                "role": actor.role if actor is not None else None,
                # an employer by its organisation; staff by their role alone, never by address
                "who": organisation or "",
                "what": event.details.get("what", "profile"),
            }
        )
    return rows


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj, *names) -> dict:
    return {name: _plain(getattr(obj, name)) for name in names}


def export(person) -> dict:
    """Everything the service holds about the person, as JSON-ready data."""

    user, profile = person.user, person.seeker_profile
    data = {
        "exported_at": utcnow().isoformat(),
        "person": _row(
            person, "first_name", "last_name", "national_id", "birth_year", "gender", "region",
            "city", "phone", "languages", "education_level", "employment_status",
            "consent_data_processing", "consent_contact", "disability",
            "disability_consent_at", "created_at",
        ),
        "account": _row(user, "email", "role", "locale", "created_at", "last_login_at")
        if user is not None
        else None,
    }  # fmt: skip
    if profile is not None:
        data["profile"] = _row(
            profile, "desired_title", "summary", "cv_text", "cv_filename", "cv_uploaded_at",
            "availability", "salary_expectation", "visible", "other_skills", "text_language",
        )  # fmt: skip
        data["profile"]["skills"] = [s.skill.label_en for s in profile.skills]
        data["profile"]["occupations"] = [o.label_en for o in profile.occupations]
        data["experience"] = [
            _row(e, "title", "employer_name", "start_date", "end_date", "description")
            for e in profile.experiences
        ]
        data["education"] = [
            _row(e, "level", "field", "institution", "year_completed") for e in profile.educations
        ]
        data["applications"] = [
            {**_row(a, "status", "message", "created_at"), "vacancy": a.vacancy.title}
            for a in db.session.scalars(
                sa.select(Application).where(Application.seeker_id == profile.id)
            )
        ]
        data["shown_in_ranked_lists"] = exposure.of_person(profile.id)
        data["referrals"] = [
            {**_row(r, "note", "outcome", "created_at"), "vacancy": r.vacancy.title}
            for r in db.session.scalars(sa.select(Referral).where(Referral.seeker_id == profile.id))
        ]
    data["labour_contracts"] = [
        {
            **_row(
                c,
                "position",
                "start_date",
                "end_date",
                "contract_type",
                "working_time",
                "salary",
                "status",
                "termination_reason",
            ),
            "employer": c.employer.name,
        }  # fmt: skip
        for c in db.session.scalars(
            sa.select(LabourContract).where(LabourContract.person_id == person.id)
        )
    ]
    data["unemployment_registrations"] = [
        _row(r, "registered_on", "ended_on", "end_reason", "documents", "status")
        for r in db.session.scalars(
            sa.select(UnemploymentRegistration).where(
                UnemploymentRegistration.person_id == person.id
            )
        )
    ]
    data["case_notes"] = [
        _row(n, "body", "created_at")
        for n in db.session.scalars(sa.select(CaseNote).where(CaseNote.person_id == person.id))
    ]
    if user is not None:
        data["notifications"] = [
            _row(n, "kind", "data", "created_at", "read_at")
            for n in db.session.scalars(
                sa.select(Notification).where(Notification.user_id == user.id)
            )
        ]
        data["saved_searches"] = [
            _row(s, "name", "criteria", "alerts", "created_at")
            for s in db.session.scalars(
                sa.select(SavedSearch).where(SavedSearch.user_id == user.id)
            )
        ]
    data["record_of_access"] = [
        {"at": v["at"].isoformat(), "role": v["role"], "who": v["who"], "what": v["what"]}
        for v in viewers(person, limit=10_000)
    ]
    return data


def anonymise(actor, person) -> None:
    """Delete the person at their request: names, identifiers, contact details, CV, history
    and searches go; the account is closed. Labour contracts stay (anonymised) until the
    retention period ends; applications and referrals stay without a name."""

    if person.anonymised_at is not None:
        return
    names = [n for n in (person.full_name, person.first_name, person.last_name) if n]
    profile = person.seeker_profile
    if profile is not None:
        _forget_their_words(profile)
    _forget_in_messages_to_others(person, names)
    _end_registration(actor, person)
    person.first_name, person.last_name = "—", "—"
    person.national_id = person.phone = person.city = person.gender = None
    person.birth_year = None
    person.disability = person.disability_consent_at = None
    person.languages = []
    person.consent_contact = False
    person.anonymised_at = utcnow()
    if profile is not None:
        profile.desired_title = profile.summary = profile.cv_text = ""
        profile.cv_filename = profile.cv_path = None
        db.session.execute(sa.delete(CvFile).where(CvFile.seeker_id == profile.id))
        profile.other_skills, profile.visible = [], False
        profile.skills, profile.occupations = [], []
        profile.experiences, profile.educations = [], []
        db.session.execute(sa.delete(MatchDecision).where(MatchDecision.seeker_id == profile.id))
        exposure.forget_person(profile.id, None)
        # The profile's vector is made again from the emptied text by its index job, and
        # an anonymised person is never among the candidates.
    db.session.execute(sa.delete(CaseNote).where(CaseNote.person_id == person.id))
    user = person.user
    if user is not None:
        db.session.execute(sa.delete(SavedSearch).where(SavedSearch.user_id == user.id))
        db.session.execute(sa.delete(Notification).where(Notification.user_id == user.id))
        db.session.execute(sa.delete(ApiToken).where(ApiToken.user_id == user.id))
        exposure.forget_person(None, user.id)
        _forget_mail_to(user.email)
        user.email = f"deleted-{user.id}@deleted.invalid"
        user.set_password(secrets.token_urlsafe(32))
        user.active = False
        end_all_sessions(user)
    db.session.flush()
    record(actor, "person.anonymised", person, person_id=person.id)


def _forget_their_words(profile) -> None:
    """What the person wrote to employers, and what counsellors wrote about them when
    referring them, goes with them; the applications and referrals stay, without words."""

    for model, column in (
        (Application, Application.message),
        (Referral, Referral.note),
        (TrainingReferral, TrainingReferral.note),
    ):
        db.session.execute(
            sa.update(model).where(model.seeker_id == profile.id).values({column: ""})
        )


def _forget_in_messages_to_others(person, names: list[str]) -> None:
    """Notices and e-mails to employers and counsellors that name the person ("… applied")
    keep their meaning without the name; local copies of sent e-mails that named them go."""

    full_name = person.full_name
    for notice in db.session.scalars(
        sa.select(Notification).where(Notification.kind.in_(NAMED_NOTICES))
    ):
        if (notice.data or {}).get("name") == full_name:
            notice.data = {**notice.data, "name": DELETED_NAME}
    pattern = sa.or_(*(OutboxMessage.body.contains(n) for n in names if len(n) > 2))
    for message in db.session.scalars(sa.select(OutboxMessage).where(pattern)):
        for name in sorted(names, key=len, reverse=True):
            message.subject = message.subject.replace(name, DELETED_NAME)
            message.body = message.body.replace(name, DELETED_NAME)
        _remove_copy(message)


def _forget_mail_to(address: str) -> None:

    for message in db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == address)
    ):
        _remove_copy(message)
        db.session.delete(message)


def _remove_copy(message) -> None:
    """The .eml file the embedded mode keeps of a sent message."""
    copy = Path(current_app.config["INSTANCE_PATH"]) / "outbox" / f"{message.id:08d}.eml"
    copy.unlink(missing_ok=True)


def _end_registration(actor, person) -> None:
    """A deleted person is no longer in any counsellor's caseload."""

    registration = open_registration(person)
    if registration is not None:
        end(actor, registration, "own_request")


def purge_expired(today: date | None = None) -> int:
    """Delete the labour contracts of anonymised people once the retention period has passed
    since the contract ended (or since the person was deleted, for a running one)."""

    today = today or utcnow().date()
    years = current_app.config["CONTRACT_RETENTION_YEARS"]
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    doomed = db.session.scalars(
        sa.select(LabourContract.id)
        .join(Person, Person.id == LabourContract.person_id)
        .where(
            Person.anonymised_at.is_not(None),
            sa.func.coalesce(LabourContract.end_date, sa.func.date(Person.anonymised_at)) < cutoff,
        )
    ).all()
    if doomed:
        db.session.execute(sa.delete(LabourContract).where(LabourContract.id.in_(doomed)))
        record(None, "contracts.purged", None, count=len(doomed), before=cutoff.isoformat())
    db.session.flush()
    return len(doomed)
