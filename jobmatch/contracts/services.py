"""Labour contracts notified by employers, and what they do to a person's status.
Flushes, never commits: each request or job commits once."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from jobmatch.audit.services import record
from jobmatch.contracts import status
from jobmatch.contracts.models import LabourContract, UnemploymentRegistration
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.people.models import Person
from jobmatch.reference import CONTRACT_TYPES, WORKING_TIMES
from jobmatch.validation import InvalidInput

TERMS = ("position", "contract_type", "working_time", "salary", "end_date")
SALARY_MAX = 1_000_000


def today() -> date:
    return utcnow().date()


def find_person(reference: str) -> Person | None:
    """A person by personal identification number (FIN) or by their account's e-mail."""
    from jobmatch.accounts.models import User

    reference = (reference or "").strip()
    if "@" in reference:
        user = db.session.scalar(sa.select(User).where(User.email == reference.lower()))
        return user.person if user is not None else None
    return db.session.scalar(sa.select(Person).where(Person.national_id == reference.upper()))


def person_for_hire(reference: str, first_name: str = "", last_name: str = "") -> Person:
    """The person a hire names (FIN or account e-mail); a FIN new to the service makes a
    person record, with the name given."""
    from jobmatch.validation import normalise_national_id

    person = find_person(reference)
    if person is not None:
        return person
    if "@" in (reference or ""):
        raise InvalidInput(_("No account has this e-mail address. Use the FIN."), "person")
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
    duplicate = db.session.scalar(
        sa.select(LabourContract.id).where(
            LabourContract.employer_id == contract.employer_id,
            LabourContract.person_id == contract.person_id,
            LabourContract.start_date == contract.start_date,
            sa.func.lower(LabourContract.position) == contract.position.lower(),
            LabourContract.status != "draft",
            LabourContract.id != (contract.id or 0),
        )
    )
    if duplicate is not None:
        raise InvalidInput(_("This contract is already notified."))
    if contract.working_time == "full_time":
        other = _overlapping_full_time(
            contract.person_id, contract.start_date, contract.end_date, contract
        )
        if other is not None:
            raise InvalidInput(
                _(
                    "This person already has a full-time contract for these dates "
                    "(%(position)s, from %(start)s).",
                    position=other.position,
                    start=other.start_date.isoformat(),
                )
            )


def draft_from(vacancy, person, application=None, referral=None) -> LabourContract | None:
    """A contract draft for the employer to confirm, after a hire or an accepted referral
    (none when one is already there for this person and vacancy's employer)."""
    from jobmatch.counselling.models import Referral

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
    from flask import current_app

    from jobmatch.matching.recognition import suggest

    try:
        found = suggest(position, skills=0, occupations=1)
    except (OSError, RuntimeError, ValueError):
        current_app.logger.exception("no occupation recognised for %r", position)
        return None
    return found[0].id if found else None


def notify_hire(actor, employer, person, values: dict) -> LabourContract:
    """An employer notifies a hire. From its start date the person is employed, and an open
    unemployment registration ends."""
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
    _check_rules(contract)
    db.session.add(contract)
    db.session.flush()
    record(actor, "contract.notified", contract, person_id=person.id, employer_id=employer.id)
    begin_if_due(contract, actor)
    return contract


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
        from jobmatch.counselling.models import Referral

        referral = db.session.get(Referral, contract.referral_id)
        referral.outcome = "hired"
        record(actor, "referral.placed", referral, person_id=contract.person_id)
    begin_if_due(contract, actor)


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
    from jobmatch.audit.models import AuditEvent

    return db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.person_id == person.id, AuditEvent.action == "status.changed")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    ).all()
