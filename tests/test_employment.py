"""A person's employment status follows labour contracts and unemployment registrations
through an explicit state machine; every transition and every refusal, with its audit entry."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from jobmatch.audit.models import AuditEvent
from jobmatch.contracts import registration, services, status
from jobmatch.contracts.models import LabourContract, UnemploymentRegistration
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.validation import InvalidInput
from tests import factories

TODAY = utcnow().date()


@pytest.fixture(autouse=True)
def known_to_the_employer(monkeypatch):
    """These tests are of the status machine: every employer here knows the person (applied,
    referred, or employed before). Notifications from strangers: tests/security."""
    monkeypatch.setattr(services, "has_tie", lambda employer, person: True)


def _person(state: str = "job_seeker", email: str = "p@example.org"):
    person = factories.user("job_seeker", email=email).person
    person.employment_status = state
    db.session.flush()
    return person


def _statuses(person) -> list[tuple[str, str, str]]:
    return [
        (e.details["event"], e.details["before"], e.details["after"])
        for e in db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.person_id == person.id, AuditEvent.action == "status.changed")
            .order_by(AuditEvent.id)
        )
    ]


def _terms(**changes) -> dict:
    terms = {
        "position": "Cook",
        "contract_type": "permanent",
        "working_time": "full_time",
        "salary": 900,
        "start_date": TODAY,
        "end_date": None,
    }
    terms.update(changes)
    return terms


@pytest.mark.parametrize("before, event", sorted(status.TRANSITIONS))
def test_every_transition_moves_the_status_and_is_recorded(app, before, event):
    person = _person(before)
    after = status.apply(person, event, actor=None, note="test")
    assert after == status.TRANSITIONS[(before, event)] == person.employment_status
    assert _statuses(person) == [(event, before, after)]


REFUSED = [
    (state, event)
    for state in status.STATUSES
    for event in status.EVENTS
    if (state, event) not in status.TRANSITIONS
]


@pytest.mark.parametrize("before, event", REFUSED)
def test_every_other_event_is_refused_and_changes_nothing(app, before, event):
    person = _person(before)
    with pytest.raises(InvalidInput):
        status.apply(person, event)
    assert person.employment_status == before and _statuses(person) == []


def test_refusals_say_why(app):
    person = _person("employed")
    with pytest.raises(InvalidInput, match="cannot register as unemployed"):
        status.apply(person, "registered")
    with pytest.raises(InvalidInput, match="Unknown event"):
        status.apply(person, "promoted")


def test_a_hire_ends_the_registration_and_makes_the_person_employed(app):
    counsellor = factories.user("counsellor", email="c@example.org")
    person = _person()
    org = factories.employer()
    reg = registration.register(counsellor, person, ["identity_card", "diploma"])
    assert person.employment_status == "registered_unemployed"
    assert reg.counsellor_id == counsellor.id == person.seeker_profile.counsellor_id
    assert reg.documents == {
        "identity_card": True,
        "employment_record": False,
        "termination_notice": False,
        "diploma": True,
    }
    contract = services.notify_hire(None, org, person, _terms())
    assert contract.began and person.employment_status == "employed"
    assert (reg.status, reg.ended_on, reg.end_reason) == ("ended", TODAY, "hired")
    assert _statuses(person) == [
        ("registered", "job_seeker", "registered_unemployed"),
        ("hired", "registered_unemployed", "employed"),
    ]
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.person_id == person.id)
    ).all()
    assert actions == [
        "status.changed",
        "registration.opened",
        "contract.notified",
        "registration.ended",
        "status.changed",
    ]


def test_a_contract_that_starts_later_moves_the_status_on_its_day(app):
    person = _person()
    start = TODAY + timedelta(days=10)
    contract = services.notify_hire(None, factories.employer(), person, _terms(start_date=start))
    assert not contract.began and person.employment_status == "job_seeker"
    assert services.apply_dates(on=start - timedelta(days=1)) == {"started": 0, "ended": 0}
    assert services.apply_dates(on=start) == {"started": 1, "ended": 0}
    assert contract.began and person.employment_status == "employed"


def test_overlapping_full_time_contracts_wait_for_a_check(app):
    person = _person()
    first, second = factories.employer(), factories.employer()
    services.notify_hire(None, first, person, _terms(start_date=date(2025, 1, 1)))
    clash = services.notify_hire(None, second, person, _terms(start_date=date(2025, 6, 1)))
    assert clash.status == "pending" and not clash.began  # changes nothing until checked
    with pytest.raises(InvalidInput, match="cannot be hired full-time for these dates"):
        services.confirm_pending(None, clash)
    # part time beside it is fine, and so is full time after a fixed term ends
    services.notify_hire(
        None,
        second,
        person,
        _terms(start_date=date(2025, 6, 1), working_time="part_time", position="Waiter"),
    )
    other = _person(email="q@example.org")
    services.notify_hire(
        None,
        first,
        other,
        _terms(contract_type="fixed_term", start_date=date(2025, 1, 1), end_date=date(2025, 3, 31)),
    )
    assert (
        services.notify_hire(None, second, other, _terms(start_date=date(2025, 4, 1))).status
        == "active"
    )
    late = services.notify_hire(None, second, other, _terms(start_date=date(2025, 3, 1)))
    assert late.status == "pending"


def test_a_duplicate_notification_is_refused(app):
    person, org = _person(), factories.employer()
    services.notify_hire(None, org, person, _terms(working_time="part_time"))
    with pytest.raises(InvalidInput, match="already notified"):
        services.notify_hire(None, org, person, _terms(working_time="part_time", position="cook"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LabourContract)) == 1


def test_termination_rules_and_the_status_after_the_last_day(app):
    person, org = _person(), factories.employer()
    start = TODAY - timedelta(days=100)
    main = services.notify_hire(None, org, person, _terms(start_date=start))
    side = services.notify_hire(
        None, factories.employer(), person, _terms(start_date=start, working_time="part_time")
    )
    with pytest.raises(InvalidInput, match="cannot end before it starts"):
        services.terminate(None, main, start - timedelta(days=1), "redundancy")
    with pytest.raises(InvalidInput, match="reason"):
        services.terminate(None, main, TODAY, "  ")
    services.terminate(None, main, TODAY, "redundancy")  # works today, not employed tomorrow
    assert main.status == "active" and person.employment_status == "employed"
    services.apply_dates(on=TODAY + timedelta(days=1))
    assert main.status == "terminated" and person.employment_status == "employed"  # side job
    with pytest.raises(InvalidInput, match="Only a running contract"):
        services.terminate(None, main, TODAY, "again")
    services.terminate(None, side, TODAY - timedelta(days=1), "own request")  # already past
    assert side.status == "terminated" and person.employment_status == "job_seeker"
    assert [e for e, _b, _a in _statuses(person)] == [
        "hired",
        "hired",
        "contract_ended",
        "last_contract_ended",
    ]


def test_registration_is_refused_while_employed_and_twice(app):
    person = _person()
    services.notify_hire(None, factories.employer(), person, _terms())
    with pytest.raises(InvalidInput, match="cannot register"):
        registration.register(None, person, ["identity_card"])
    other = _person(email="q@example.org")
    with pytest.raises(InvalidInput, match="documents are needed"):
        registration.register(None, other, ["diploma"])
    reg = registration.register(None, other, ["identity_card"])
    with pytest.raises(InvalidInput, match="already registered"):
        registration.register(None, other, ["identity_card"])
    registration.end(None, reg, "moved_abroad")
    assert other.employment_status == "job_seeker" and reg.end_reason == "moved_abroad"
    with pytest.raises(InvalidInput, match="already ended"):
        registration.end(None, reg, "moved_abroad")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnemploymentRegistration)) == 1


def test_the_occupation_is_recognised_from_the_position(app, mini_esco):
    from jobmatch.taxonomy import services as taxonomy
    from jobmatch.taxonomy.models import Occupation

    taxonomy.load(mini_esco)
    cook = db.session.scalar(sa.select(Occupation.id).where(Occupation.label_en == "cook"))
    contract = services.notify_hire(None, factories.employer(), _person(), _terms(position="Cook"))
    assert contract.occupation_id == cook
