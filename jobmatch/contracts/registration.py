"""Unemployment registration: by the person or by a counsellor for them, with a checklist of
documents and an assigned counsellor. A new contract ends it (contracts.services). Flushes."""

import sqlalchemy as sa

from jobmatch.accounts.models import User
from jobmatch.audit.services import record
from jobmatch.contracts import status
from jobmatch.contracts.models import UnemploymentRegistration
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _, _l
from jobmatch.validation import InvalidInput

DOCUMENTS = {
    "identity_card": _l("Identity card"),
    "employment_record": _l("Employment record (the e-contract history or the work book)"),
    "termination_notice": _l("The last employer's termination order"),
    "diploma": _l("Education documents"),
}
REQUIRED = ("identity_card",)
END_REASONS = {
    "hired": _l("Found work"),
    "moved_abroad": _l("Moved abroad"),
    "education": _l("Started full-time education"),
    "no_contact": _l("Did not keep in contact with the service"),
    "own_request": _l("At the person's request"),
}


def open_registration(person) -> UnemploymentRegistration | None:
    return db.session.scalar(
        sa.select(UnemploymentRegistration).where(
            UnemploymentRegistration.person_id == person.id,
            UnemploymentRegistration.status == "active",
        )
    )


def least_busy_counsellor():
    """The active counsellor with the fewest open registrations."""

    load = (
        sa.select(
            UnemploymentRegistration.counsellor_id.label("user_id"),
            sa.func.count().label("n"),
        )
        .where(UnemploymentRegistration.status == "active")
        .group_by(UnemploymentRegistration.counsellor_id)
        .subquery()
    )
    return db.session.scalar(
        sa.select(User)
        .outerjoin(load, load.c.user_id == User.id)
        .where(User.role == "counsellor", User.active.is_(True))
        .order_by(sa.func.coalesce(load.c.n, 0), User.id)
        .limit(1)
    )


def register(actor, person, documents, counsellor=None) -> UnemploymentRegistration:
    """Register the person as unemployed from today. Refused while they work, or twice."""
    chosen = {d for d in documents if d in DOCUMENTS}
    if any(d not in DOCUMENTS for d in documents):
        raise InvalidInput(_("Unknown document."), "documents")
    missing = [str(DOCUMENTS[d]) for d in REQUIRED if d not in chosen]
    if missing:
        raise InvalidInput(
            _("These documents are needed: %(list)s.", list=", ".join(missing)), "documents"
        )
    status.apply(person, "registered", actor)  # refuses an employed or registered person
    counsellor = counsellor or least_busy_counsellor()
    registration = UnemploymentRegistration(
        person_id=person.id,
        counsellor_id=counsellor.id if counsellor is not None else None,
        registered_on=utcnow().date(),
        documents={d: d in chosen for d in DOCUMENTS},
        status="active",
    )
    db.session.add(registration)
    profile = person.seeker_profile
    if profile is not None and counsellor is not None:
        profile.counsellor_id = counsellor.id
    db.session.flush()
    record(
        actor,
        "registration.opened",
        registration,
        person_id=person.id,
        counsellor_id=registration.counsellor_id,
    )
    return registration


def end(actor, registration: UnemploymentRegistration, reason: str) -> None:
    if registration.status != "active":
        raise InvalidInput(_("This registration has already ended."))
    if reason not in END_REASONS or reason == "hired":
        raise InvalidInput(_("Choose why the registration ends."), "reason")
    status.apply(registration.person, "registration_ended", actor, reason=reason)
    registration.status, registration.ended_on = "ended", utcnow().date()
    registration.end_reason = reason
    db.session.flush()
    record(actor, "registration.ended", registration, person_id=registration.person_id,
           reason=reason)  # fmt: skip
