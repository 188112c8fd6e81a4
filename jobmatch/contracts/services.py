"""Labour contracts notified by employers, and what they do to a person's status.
Flushes, never commits: each request or job commits once."""

from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from jobmatch.accounts.models import User
from jobmatch.audit.models import AuditEvent
from jobmatch.audit.services import record
from jobmatch.contracts import status
from jobmatch.contracts.models import LabourContract, UnemploymentRegistration
from jobmatch.contracts.registration import open_registration
from jobmatch.counselling.models import Referral
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.matching.recognition import suggest
from jobmatch.monitoring.outcomes import record_outcome
from jobmatch.notifications.services import link_to, notify
from jobmatch.people.models import Person
from jobmatch.reference import CONTRACT_TYPES, WORKING_TIMES
from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies.models import Application, Vacancy
from jobmatch.validation import InvalidInput, normalise_national_id

TERMS = ("position", "contract_type", "working_time", "salary", "end_date")
SALARY_MAX = 1_000_000


def today() -> date:
    return utcnow().date()


def find_person(reference: str, employer=None) -> Person | None:
    """A person by personal identification number (FIN), or by their account's e-mail when
    they have a tie with the employer (so the form tells no one which addresses have an
    account)."""

    reference = (reference or "").strip()
    if "@" in reference:
        user = db.session.scalar(sa.select(User).where(User.email == reference.lower()))
        person = user.person if user is not None else None
        if person is None or employer is None or not has_tie(employer, person):
            return None
        return person
    return db.session.scalar(sa.select(Person).where(Person.national_id == reference.upper()))


def has_tie(employer, person) -> bool:
    """The person applied or was referred to one of the employer's vacancies, or had a
    contract with it before: the employer knows them."""

    own = sa.select(Vacancy.id).where(Vacancy.employer_id == employer.id)
    profile = sa.select(SeekerProfile.id).where(SeekerProfile.person_id == person.id)
    ties = (
        sa.select(Application.id).where(
            Application.vacancy_id.in_(own), Application.seeker_id.in_(profile)
        ),
        sa.select(Referral.id).where(Referral.vacancy_id.in_(own), Referral.seeker_id.in_(profile)),
        sa.select(LabourContract.id).where(
            LabourContract.employer_id == employer.id,
            LabourContract.person_id == person.id,
            LabourContract.status.in_(("active", "terminated")),
        ),
    )
    return any(db.session.scalar(query.limit(1)) is not None for query in ties)


def person_for_hire(
    reference: str, first_name: str = "", last_name: str = "", employer=None
) -> Person:
    """The person a hire names (FIN, or the e-mail of someone tied to the employer); a FIN
    new to the service makes an unclaimed person record, with the name given, which its
    owner takes over on registering."""

    person = find_person(reference, employer)
    if person is not None:
        return person
    if "@" in (reference or ""):
        raise InvalidInput(
            _(
                "Name the person by their FIN, or by the e-mail address of someone who "
                "applied or was referred to your vacancies."
            ),
            "person",
        )
    national_id = normalise_national_id(reference)
    first, last = (first_name or "").strip(), (last_name or "").strip()
    if not first or not last:
        raise InvalidInput(
            _("This FIN is new to the service: give the person's first and last name."),
            "first_name",
        )
    person = Person(
        first_name=first, last_name=last, national_id=national_id, employment_status="inactive"
    )
    db.session.add(person)
    db.session.flush()
    return person


def contracts_of_employer(employer) -> list[LabourContract]:
    return db.session.scalars(
        sa.select(LabourContract)
        .where(LabourContract.employer_id == employer.id)
        .options(selectinload(LabourContract.person))
        .order_by(LabourContract.status != "draft", LabourContract.start_date.desc())
    ).all()


def contracts_of_person(person) -> list[LabourContract]:
    return db.session.scalars(
        sa.select(LabourContract)
        .where(LabourContract.person_id == person.id, LabourContract.status != "draft")
        .options(selectinload(LabourContract.employer))
        .order_by(LabourContract.start_date.desc())
    ).all()


def _check_terms(values: dict, start: date) -> dict:
    position = (values.get("position") or "").strip()
    if not position:
        raise InvalidInput(_("Name the position."), "position")
    if len(position) > 200:
        raise InvalidInput(_("The position is too long: at most 200 characters."), "position")
    if values.get("contract_type") not in CONTRACT_TYPES:
        raise InvalidInput(_("Choose the type of contract."), "contract_type")
    if values.get("working_time") not in WORKING_TIMES:
        raise InvalidInput(_("Choose the working time."), "working_time")
    salary = values.get("salary")
    if salary is not None and not 0 <= salary <= SALARY_MAX:
        raise InvalidInput(_("Enter the monthly salary in AZN."), "salary")
    end = values.get("end_date")
    if end is not None and end < start:
        raise InvalidInput(_("The contract ends before it starts."), "end_date")
    if values["contract_type"] == "permanent" and end is not None:
        raise InvalidInput(_("A permanent contract has no end date."), "end_date")
    return {
        "position": position,
        "contract_type": values["contract_type"],
        "working_time": values["working_time"],
        "salary": salary,
        "end_date": end,
    }


def _overlapping_full_time(person_id: int, start: date, end: date | None, but=None):
    """Another full-time contract of the person's that runs on some of these days."""
    query = sa.select(LabourContract).where(
        LabourContract.person_id == person_id,
        LabourContract.status == "active",
        LabourContract.working_time == "full_time",
        sa.or_(LabourContract.end_date.is_(None), LabourContract.end_date >= start),
    )
    if end is not None:
        query = query.where(LabourContract.start_date <= end)
    if but is not None:
        query = query.where(LabourContract.id != but.id)
    return db.session.scalars(query).first()


def _check_rules(contract: LabourContract) -> None:
    _check_duplicate(contract)
    if conflicts(contract):
        # never name the other employer, position or dates
        raise InvalidInput(
            _(
                "This person cannot be hired full-time for these dates; the employment "
                "service will check."
            )
        )


def _check_duplicate(contract: LabourContract) -> None:
    duplicate = db.session.scalar(
        sa.select(LabourContract.id).where(
            LabourContract.employer_id == contract.employer_id,
            LabourContract.person_id == contract.person_id,
            LabourContract.start_date == contract.start_date,
            sa.func.lower(LabourContract.position) == contract.position.lower(),
            LabourContract.status.not_in(("draft", "rejected")),
            LabourContract.id != (contract.id or 0),
        )
    )
    if duplicate is not None:
        raise InvalidInput(_("This contract is already notified."))


def conflicts(contract: LabourContract) -> bool:
    return contract.working_time == "full_time" and (
        _overlapping_full_time(contract.person_id, contract.start_date, contract.end_date, contract)
        is not None
    )


def draft_from(vacancy, person, application=None, referral=None) -> LabourContract | None:
    """A contract draft for the employer to confirm, after a hire or an accepted referral
    (none when one is already there for this person and vacancy's employer)."""

    if referral is None:  # a hire that a counsellor's referral led to counts as a placement
        referral = db.session.scalar(
            sa.select(Referral).where(
                Referral.seeker_id == application.seeker_id,
                Referral.vacancy_id == vacancy.id,
                Referral.outcome.in_(("pending", "accepted")),
            )
        )
    existing = db.session.scalar(
        sa.select(LabourContract).where(
            LabourContract.person_id == person.id,
            LabourContract.employer_id == vacancy.employer_id,
            LabourContract.status == "draft",
        )
    )
    if existing is not None:
        existing.application_id = existing.application_id or getattr(application, "id", None)
        existing.referral_id = existing.referral_id or getattr(referral, "id", None)
        return existing
    contract = LabourContract(
        employer_id=vacancy.employer_id,
        person_id=person.id,
        position=vacancy.title[:200],
        occupation_id=vacancy.occupation_id,
        start_date=today(),
        contract_type=vacancy.contract_type,
        working_time=vacancy.working_time,
        salary=vacancy.salary_min,
        status="draft",
        application_id=getattr(application, "id", None),
        referral_id=getattr(referral, "id", None),
    )
    db.session.add(contract)
    db.session.flush()
    record(None, "contract.drafted", contract, person_id=person.id, vacancy_id=vacancy.id)
    return contract


def occupation_for(position: str) -> int | None:
    """The ESCO occupation a position's title names or means (None if none is clear)."""

    try:
        found = suggest(position, skills=0, occupations=1)
    except (OSError, RuntimeError, ValueError):
        current_app.logger.exception("no occupation recognised for %r", position)
        return None
    return found[0].id if found else None


def notify_hire(actor, employer, person, values: dict) -> LabourContract:
    """An employer notifies a hire. From its start date the person is employed, and an open
    unemployment registration ends.

    Without e-signatures, a notification is taken at its word only from a verified employer
    the person has a tie with, and when it conflicts with no other contract. Otherwise it is
    recorded as pending: it changes no status and ends no registration until the person (in
    their account) or a counsellor confirms it."""
    start = values.get("start_date")
    if start is None:
        raise InvalidInput(_("Give the start date."), "start_date")
    if person.anonymised_at is not None:
        raise InvalidInput(_("This person's record was deleted at their request."))
    terms = _check_terms(values, start)
    contract = LabourContract(
        employer_id=employer.id,
        person_id=person.id,
        start_date=start,
        occupation_id=values.get("occupation_id") or occupation_for(terms["position"]),
        status="active",
        **terms,
    )
    _check_duplicate(contract)
    reasons = [
        reason
        for reason, holds in (
            ("unverified_employer", not employer.verified),
            ("no_tie", not has_tie(employer, person)),
            ("conflict", conflicts(contract)),
        )
        if holds
    ]
    if reasons:
        contract.status = "pending"
    db.session.add(contract)
    db.session.flush()
    record(actor, "contract.notified", contract, person_id=person.id, employer_id=employer.id)
    if reasons:
        _ask_confirmation(contract, person, reasons)
    else:
        begin_if_due(contract, actor)
    return contract


def _ask_confirmation(contract: LabourContract, person, reasons: list[str]) -> None:
    """Tell the person (if they have an account) and their counsellor (if registered) that
    a contract waits for their confirmation."""

    record(None, "contract.pending", contract, person_id=person.id, reasons=reasons)
    data = {"employer": contract.employer.name, "position": contract.position}
    if person.user is not None and person.user.active:
        notify(person.user, "contract_to_confirm", data, link_to("contracts.mine"))
    registration = open_registration(person)
    if registration is not None and registration.counsellor is not None:
        notify(registration.counsellor, "contract_to_check", data, link_to("contracts.pending"))


def confirm_pending(actor, contract: LabourContract) -> None:
    """The person, or a counsellor, confirms a pending contract: it takes effect."""
    if contract.status != "pending":
        raise InvalidInput(_("Only a contract awaiting confirmation can be confirmed."))
    contract.status = "active"
    _check_rules(contract)
    db.session.flush()
    record(actor, "contract.confirmed", contract, person_id=contract.person_id)
    _placed(contract)
    begin_if_due(contract, actor)


def refuse_pending(actor, contract: LabourContract, reason: str) -> None:
    """The person, or a counsellor, says a pending contract is not theirs or not true."""

    reason = (reason or "").strip()[:200]
    if contract.status != "pending":
        raise InvalidInput(_("Only a contract awaiting confirmation can be refused."))
    contract.status, contract.termination_reason = "rejected", reason or "refused"
    db.session.flush()
    record(actor, "contract.refused", contract, person_id=contract.person_id, reason=reason)
    data = {"position": contract.position}
    for member in contract.employer.members:
        link = link_to("contracts.show", contract_id=contract.id)
        notify(member.user, "contract_refused", data, link)


def pending_contracts() -> list[LabourContract]:
    """Contracts waiting for a confirmation, oldest first (the counsellors' queue)."""
    return db.session.scalars(
        sa.select(LabourContract)
        .where(LabourContract.status == "pending")
        .options(selectinload(LabourContract.person), selectinload(LabourContract.employer))
        .order_by(LabourContract.created_at)
    ).all()


def confirm(actor, contract: LabourContract, values: dict) -> None:
    """The employer confirms a contract drafted from a hire or an accepted referral."""
    if contract.status != "draft":
        raise InvalidInput(_("Only a draft contract can be confirmed."))
    start = values.get("start_date") or contract.start_date
    for key, value in _check_terms(values, start).items():
        setattr(contract, key, value)
    contract.start_date, contract.status = start, "active"
    _check_rules(contract)
    db.session.flush()
    record(actor, "contract.confirmed", contract, person_id=contract.person_id)
    if contract.referral_id is not None:
        referral = db.session.get(Referral, contract.referral_id)
        referral.outcome = "hired"
        record(actor, "referral.placed", referral, person_id=contract.person_id)
    _placed(contract)
    begin_if_due(contract, actor)


def _placed(contract: LabourContract) -> None:
    """A contract that a hire or a referral led to is a confirmed placement: its outcome is
    recorded for "How matching did"."""
    link = None
    if contract.application_id is not None:
        link = db.session.get(Application, contract.application_id)
    elif contract.referral_id is not None:
        link = db.session.get(Referral, contract.referral_id)
    if link is not None:
        record_outcome("placed", link.seeker_id, link.vacancy_id)


def change(actor, contract: LabourContract, values: dict) -> dict:
    """A change to a running contract's terms; returns what changed (also in the audit log)."""
    if contract.status != "active":
        raise InvalidInput(_("Only a running contract can be changed."))
    terms = _check_terms(values, contract.start_date)
    changes = {
        key: [_plain(getattr(contract, key)), _plain(value)]
        for key, value in terms.items()
        if getattr(contract, key) != value
    }
    if not changes:
        raise InvalidInput(_("Nothing has changed."))
    for key, value in terms.items():
        setattr(contract, key, value)
    _check_rules(contract)
    db.session.flush()
    record(actor, "contract.changed", contract, person_id=contract.person_id, changes=changes)
    end_if_due(contract, actor)
    return changes


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def terminate(actor, contract: LabourContract, last_day: date | None, reason: str) -> None:
    """End a running contract: its last working day and the reason. From the day after, the
    person is no longer employed by it."""
    reason = (reason or "").strip()
    if contract.status != "active":
        raise InvalidInput(_("Only a running contract can be terminated."))
    if last_day is None:
        raise InvalidInput(_("Give the last working day."), "last_day")
    if last_day < contract.start_date:
        raise InvalidInput(_("A contract cannot end before it starts."), "last_day")
    if not reason:
        raise InvalidInput(_("Give the reason for the termination."), "reason")
    if len(reason) > 200:
        raise InvalidInput(_("The reason is too long: at most 200 characters."), "reason")
    contract.end_date, contract.termination_reason = last_day, reason
    db.session.flush()
    record(
        actor,
        "contract.terminated",
        contract,
        person_id=contract.person_id,
        last_day=last_day.isoformat(),
        reason=reason,
    )
    end_if_due(contract, actor)


def begin_if_due(contract: LabourContract, actor=None, on: date | None = None) -> bool:
    """On its start date a contract makes the person employed and ends their registration."""
    on = on or today()
    if contract.status != "active" or contract.began or contract.start_date > on:
        return False
    person = contract.person or db.session.get(Person, contract.person_id)
    registration = db.session.scalar(
        sa.select(UnemploymentRegistration).where(
            UnemploymentRegistration.person_id == person.id,
            UnemploymentRegistration.status == "active",
        )
    )
    if registration is not None:
        registration.status, registration.ended_on = "ended", contract.start_date
        registration.end_reason = "hired"
        record(actor, "registration.ended", registration, person_id=person.id, reason="hired")
    status.apply(person, "hired", actor, contract_id=contract.id)
    contract.began = True
    db.session.flush()
    return True


def end_if_due(contract: LabourContract, actor=None, on: date | None = None) -> bool:
    """After its last working day a contract ends; the person stays employed only if another
    contract goes on."""
    on = on or today()
    if contract.status != "active" or contract.end_date is None or contract.end_date >= on:
        return False
    contract.status = "terminated"
    contract.termination_reason = contract.termination_reason or "end of term"
    if contract.began:
        others = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(LabourContract)
            .where(
                LabourContract.person_id == contract.person_id,
                LabourContract.id != contract.id,
                LabourContract.status == "active",
                LabourContract.began.is_(True),
            )
        )
        event = "contract_ended" if others else "last_contract_ended"
        status.apply(contract.person, event, actor, contract_id=contract.id)
    db.session.flush()
    return True


def apply_dates(on: date | None = None) -> dict:
    """Contracts whose start date has come begin; those past their last day end."""
    on = on or today()
    started = ended = 0
    for contract in db.session.scalars(
        sa.select(LabourContract).where(
            LabourContract.status == "active",
            sa.or_(
                sa.and_(LabourContract.began.is_(False), LabourContract.start_date <= on),
                LabourContract.end_date < on,
            ),
        )
    ).all():
        started += begin_if_due(contract, on=on)
        ended += end_if_due(contract, on=on)
    return {"started": started, "ended": ended}


def status_history(person) -> list:
    """The person's status changes, newest first (from the audit log)."""

    return db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.person_id == person.id, AuditEvent.action == "status.changed")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    ).all()
