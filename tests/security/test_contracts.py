"""A stranger's contract notification changes nothing until the person or a counsellor
confirms it, and no answer tells one employer about another's contracts or accounts."""

from datetime import date

import sqlalchemy as sa

from jobmatch.contracts.models import LabourContract
from jobmatch.extensions import db
from jobmatch.notifications.models import Notification
from jobmatch.people.models import Person
from tests import factories
from tests.conftest import as_user

HIRE = {
    "position": "Secret position",
    "contract_type": "permanent",
    "working_time": "full_time",
    "salary": "900",
    "start_date": "2026-01-05",
}


def _person(fin: str = "5ZX8KLM"):
    seeker = factories.user("job_seeker", email="aysel@example.org")
    seeker.person.national_id = fin
    seeker.person.employment_status = "job_seeker"
    return seeker


def _employer(email: str, verified: bool = True):
    owner = factories.user("employer", email=email)
    factories.employer(f"Org of {email}", owner=owner, verified=verified)
    return owner


def test_an_unrelated_or_unverified_employer_cannot_make_a_stranger_employed(app, client):
    seeker = _person()
    for email, verified in (("scam@example.org", False), ("stranger@example.org", True)):
        _employer(email, verified)
        db.session.commit()
        as_user(client, email)
        client.post("/employer/contracts/new", data={**HIRE, "person": "5ZX8KLM"})
    db.session.expire_all()
    contracts = db.session.scalars(sa.select(LabourContract)).all()
    assert [c.status for c in contracts] == ["pending", "pending"]
    person = db.session.get(Person, seeker.person_id)
    assert person.employment_status == "job_seeker"  # unchanged
    kinds = db.session.scalars(
        sa.select(Notification.kind).where(Notification.user_id == seeker.id)
    ).all()
    assert kinds == ["contract_to_confirm", "contract_to_confirm"]

    as_user(client, seeker.email)
    page = client.get("/me/work").get_data(as_text=True)
    assert "This is not my contract" in page
    client.post(
        f"/me/work/contracts/{contracts[0].id}/answer", data={"answer": "refuse", "reason": "No"}
    )
    client.post(f"/me/work/contracts/{contracts[1].id}/answer", data={"answer": "confirm"})
    db.session.expire_all()
    assert [c.status for c in db.session.scalars(sa.select(LabourContract))] == [
        "rejected",
        "active",
    ]
    assert db.session.get(Person, seeker.person_id).employment_status == "employed"


def test_a_conflict_names_no_other_employer_position_or_date(app, client):
    seeker = _person()
    first = _employer("first@example.org")
    db.session.add(
        LabourContract(
            employer_id=first.employer.id, person_id=seeker.person_id, position="Secret position",
            start_date=date(2025, 1, 1), contract_type="permanent", working_time="full_time",
            status="active", began=True,
        )
    )  # fmt: skip
    _employer("second@example.org")
    db.session.commit()
    as_user(client, "second@example.org")
    page = client.post(
        "/employer/contracts/new",
        data={**HIRE, "position": "Cook", "person": "5ZX8KLM"},
        follow_redirects=True,
    ).get_data(as_text=True)
    for secret in ("Secret position", "Org of first", "2025"):
        assert secret not in page
    assert "cannot be hired full-time for these dates; the employment service will check" in page
    pending = db.session.scalar(sa.select(LabourContract).where(LabourContract.status == "pending"))
    assert pending is not None  # recorded for a counsellor to check


def test_the_contract_form_does_not_tell_which_addresses_have_an_account(app, client):
    _person()
    _employer("hr@example.org")
    db.session.commit()
    as_user(client, "hr@example.org")
    answers = [
        client.post("/employer/contracts/new", data={**HIRE, "person": email}).get_data(
            as_text=True
        )
        for email in ("aysel@example.org", "nobody@example.org")
    ]
    message = "Name the person by their FIN"
    assert all(message in a for a in answers)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LabourContract)) == 0


def test_a_fin_an_employer_notified_does_not_block_its_owner(app, client):
    _employer("hr@example.org")
    db.session.commit()
    as_user(client, "hr@example.org")
    client.post(
        "/employer/contracts/new",
        data={**HIRE, "person": "7ABC123", "first_name": "Fake", "last_name": "Name"},
    )
    client.post("/logout")
    response = client.post(
        "/register/seeker",
        data={"email": "owner@example.org", "password": "Xəzər dənizi 2026",
              "confirm": "Xəzər dənizi 2026", "first_name": "Elvin", "last_name": "Əliyev",
              "national_id": "7ABC123", "locale": "en", "consent": "y"},
    )  # fmt: skip
    assert response.status_code == 200  # "check your e-mail"
    person = db.session.scalar(sa.select(Person).where(Person.national_id == "7ABC123"))
    assert person.user.email == "owner@example.org" and person.first_name == "Elvin"
    [contract] = db.session.scalars(sa.select(LabourContract)).all()
    assert contract.status == "pending" and contract.person_id == person.id
