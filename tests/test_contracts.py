"""Closing the loop in the browser's requests: a registered unemployed person is referred,
applies and is hired; the employer confirms the drafted contract; the registration ends and
the referral counts as a placement, every step in the audit log. And the employer's contract
forms, the person's own view, the counsellor's registration desk."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobmatch.accounts.models import User
from jobmatch.audit.models import AuditEvent
from jobmatch.contracts.models import LabourContract, UnemploymentRegistration
from jobmatch.counselling import services as counselling
from jobmatch.counselling.models import Referral
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.people.models import Person
from tests import factories
from tests.conftest import as_user

TODAY = utcnow().date()


@pytest.fixture
def world(app):
    owner = factories.user("employer", email="hr@example.org")
    org = factories.employer("Caspian Foods", owner=owner)
    vacancy = factories.vacancy(org, title="Cook", working_time="full_time", salary_min=900)
    seeker = factories.user("job_seeker", email="aysel@example.org")
    seeker.person.national_id = "5ZX8KLM"
    counsellor = factories.user("counsellor", email="c@example.org")
    db.session.commit()
    return {"org": org.id, "vacancy": vacancy.id, "person": seeker.person.id,
            "profile": seeker.person.seeker_profile.id, "counsellor": counsellor.id}  # fmt: skip


def _contracts() -> list[LabourContract]:
    db.session.expire_all()
    return db.session.scalars(sa.select(LabourContract).order_by(LabourContract.id)).all()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_the_whole_loop_from_registration_to_placement(client, world):
    as_user(client, "aysel@example.org")
    client.post("/seeker/registration", data={"documents": ["identity_card", "diploma"]})
    person = db.session.get(Person, world["person"])
    assert person.employment_status == "registered_unemployed"

    as_user(client, "c@example.org")
    client.post(
        f"/counsellor/seekers/{world['profile']}/refer",
        data={"vacancy_id": world["vacancy"], "note": "Strong cook"},
    )
    as_user(client, "aysel@example.org")
    client.post(f"/vacancies/{world['vacancy']}/apply", data={"message": "Hello"})

    as_user(client, "hr@example.org")
    application = db.session.scalar(sa.select(sa.text("id FROM application")))
    for step in ("shortlisted", "interview", "offered", "hired"):
        response = client.post(
            f"/employer/applications/{application}/status",
            data={"status": step, "interview_at": "2099-01-05T11:00", "interview_place": "HQ"},
        )
        assert response.status_code == 302
    [draft] = _contracts()
    referral = db.session.scalar(sa.select(Referral))
    assert (draft.status, draft.position, draft.salary, draft.referral_id) == (
        "draft",
        "Cook",
        900,
        referral.id,
    )
    assert counselling.placements("counsellor") == []  # not before the contract is confirmed
    page = client.get("/employer/contracts").get_data(as_text=True)
    assert "To confirm" in page
    response = client.post(
        f"/employer/contracts/{draft.id}",
        data={"action": "confirm", "confirm-position": "Cook", "confirm-contract_type": "permanent",
              "confirm-working_time": "full_time", "confirm-salary": "950",
              "confirm-start_date": TODAY.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    [contract] = _contracts()
    person = db.session.get(Person, world["person"])
    assert (contract.status, contract.began, contract.salary) == ("active", True, 950)
    assert person.employment_status == "employed"
    registration = db.session.scalar(sa.select(UnemploymentRegistration))
    assert (registration.status, registration.end_reason) == ("ended", "hired")
    assert db.session.get(Referral, referral.id).outcome == "hired"
    assert counselling.placements("counsellor") == [(world["counsellor"], "c@example.org", 1)]
    assert counselling.placements("vacancy") == [(world["vacancy"], "Cook", 1)]

    actions = db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.person_id == world["person"])
        .order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "status.changed",  # registered
        "registration.opened",
        "referral.created",
        "contract.drafted",
        "contract.confirmed",
        "referral.placed",
        "registration.ended",
        "status.changed",  # hired
    ]
    as_user(client, "aysel@example.org")
    page = client.get("/me/work").get_data(as_text=True)
    assert "Caspian Foods" in page and "Employed" in page and "a labour contract began" in page


def test_notifying_a_hire_a_change_and_a_termination(client, world):
    as_user(client, "hr@example.org")
    hire = {"person": "7ABC123", "position": "Waiter", "contract_type": "fixed_term",
            "working_time": "part_time", "salary": "500",
            "start_date": (TODAY - timedelta(days=30)).isoformat(),
            "end_date": (TODAY + timedelta(days=60)).isoformat()}  # fmt: skip
    page = client.post("/employer/contracts/new", data=hire).get_data(as_text=True)
    assert "give the person&#39;s first and last name" in page and _contracts() == []
    page = client.post("/employer/contracts/new", data={**hire, "person": "nobody@example.org"})
    assert "Name the person by their FIN" in page.get_data(as_text=True)
    response = client.post(
        "/employer/contracts/new",
        data={**hire, "first_name": "Elvin", "last_name": "Əliyev"},
        follow_redirects=True,
    )
    assert "takes effect once the person or the employment service confirms it" in (
        response.get_data(as_text=True)
    )
    [contract] = _contracts()
    person = db.session.get(Person, contract.person_id)
    # a person new to the service has no tie with the employer: nothing changes until checked
    assert (person.full_name, person.national_id, person.employment_status) == (
        "Elvin Əliyev",
        "7ABC123",
        "inactive",
    )
    assert contract.status == "pending"
    as_user(client, "c@example.org")
    assert "Elvin Əliyev" in client.get("/counsellor/contracts").get_data(as_text=True)
    client.post(f"/counsellor/contracts/{contract.id}/answer", data={"answer": "confirm"})
    [contract] = _contracts()
    assert contract.status == "active"
    assert db.session.get(Person, contract.person_id).employment_status == "employed"
    as_user(client, "hr@example.org")
    again = client.post("/employer/contracts/new", data={**hire, "person": "7abc123"})
    assert "already notified" in again.get_data(as_text=True) and len(_contracts()) == 1

    change = {"action": "change", "terms-position": "Head waiter",
              "terms-contract_type": "fixed_term", "terms-working_time": "part_time",
              "terms-salary": "650",
              "terms-end_date": (TODAY + timedelta(days=60)).isoformat()}  # fmt: skip
    client.post(f"/employer/contracts/{contract.id}", data=change)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "contract.changed"))
    assert event.details["changes"] == {"position": ["Waiter", "Head waiter"], "salary": [500, 650]}

    early = {"action": "terminate", "end-last_day": (TODAY - timedelta(days=31)).isoformat(),
             "end-reason": "redundancy"}  # fmt: skip
    page = client.post(f"/employer/contracts/{contract.id}", data=early).get_data(as_text=True)
    assert "cannot end before it starts" in page and _contracts()[0].status == "active"
    ended = {**early, "end-last_day": (TODAY - timedelta(days=1)).isoformat()}
    client.post(f"/employer/contracts/{contract.id}", data=ended)
    [contract] = _contracts()
    assert contract.status == "terminated" and contract.termination_reason == "redundancy"
    assert db.session.get(Person, contract.person_id).employment_status == "job_seeker"

    other = factories.user("employer", email="rival@example.org")
    factories.employer("Rival", owner=other)
    db.session.commit()
    as_user(client, "rival@example.org")
    assert client.get(f"/employer/contracts/{contract.id}").status_code == 404
    assert client.post(f"/employer/contracts/{contract.id}", data=ended).status_code == 404


def test_the_employer_answers_a_referral(client, world):
    profile_id, vacancy_id = world["profile"], world["vacancy"]
    counsellor = db.session.get(User, world["counsellor"])
    from jobmatch.seekers.models import SeekerProfile
    from jobmatch.vacancies.models import Vacancy

    with client.application.test_request_context():
        first = counselling.refer(
            counsellor,
            db.session.get(SeekerProfile, profile_id),
            db.session.get(Vacancy, vacancy_id),
            "",
        )
    db.session.commit()
    as_user(client, "hr@example.org")
    page = client.get(f"/employer/vacancies/{vacancy_id}/applications").get_data(as_text=True)
    assert "Referred by the employment service" in page
    assert page.count("Referred by the employment service") == 1
    assert "<title>Applications · Public Employment Service</title>" in page
    client.post(f"/employer/referrals/{first.id}/answer", data={"outcome": "accepted"})
    [draft] = _contracts()
    assert draft.status == "draft" and draft.referral_id == first.id
    again = client.post(
        f"/employer/referrals/{first.id}/answer",
        data={"outcome": "declined"},
        follow_redirects=True,
    )
    assert "already been answered" in again.get_data(as_text=True)
    notice = db.session.scalar(
        sa.select(sa.text("kind FROM notification WHERE user_id = :u")), {"u": counsellor.id}
    )
    assert notice == "referral_answered"


def test_registration_from_both_sides(client, world):
    as_user(client, "aysel@example.org")
    page = client.post(
        "/seeker/registration", data={"documents": ["diploma"]}, follow_redirects=True
    )
    assert "These documents are needed" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnemploymentRegistration)) == 0

    as_user(client, "c@example.org")
    url = f"/counsellor/seekers/{world['profile']}/registration"
    client.post(url, data={"documents": ["identity_card", "employment_record"]})
    registration = db.session.scalar(sa.select(UnemploymentRegistration))
    assert registration.counsellor_id == world["counsellor"]
    page = client.get(f"/counsellor/seekers/{world['profile']}").get_data(as_text=True)
    assert "End the registration" in page
    client.post(url, data={"action": "end", "reason": "moved_abroad"})
    db.session.expire_all()
    assert db.session.get(Person, world["person"]).employment_status == "job_seeker"
    page = client.get("/counsellor/?status=employed").get_data(as_text=True)
    assert "Nobody matches these filters." in page


def test_a_job_seeker_says_they_stop_and_start_looking(client, world):
    as_user(client, "aysel@example.org")
    client.post("/me/work/looking", data={"looking": "0"})
    assert db.session.get(Person, world["person"]).employment_status == "inactive"
    page = client.get("/me/work").get_data(as_text=True)
    assert "I am looking for work again" in page and "stopped looking for work" in page
    client.post("/me/work/looking", data={"looking": "1"})
    db.session.expire_all()
    assert db.session.get(Person, world["person"]).employment_status == "job_seeker"
    again = client.post("/me/work/looking", data={"looking": "1"}, follow_redirects=True)
    assert "cannot happen to a person whose status is" in again.get_data(as_text=True)
