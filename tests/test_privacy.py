"""Who looked at a person's data is recorded and shown to them; they can download all of it
and have it deleted (contracts kept as long as the law requires); admins search the record."""

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from jobmatch.accounts.models import User
from jobmatch.alerts.models import SavedSearch
from jobmatch.audit.models import AuditEvent
from jobmatch.contracts import services as contracts
from jobmatch.contracts.models import LabourContract
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.people.models import Person
from jobmatch.privacy.services import purge_expired
from jobmatch.seekers.models import CvFile
from jobmatch.vacancies.models import Application
from tests import factories
from tests.conftest import as_user, login

TODAY = utcnow().date()


@pytest.fixture
def world(app):
    owner = factories.user("employer", email="hr@example.org")
    org = factories.employer("Caspian Foods", owner=owner)
    vacancy = factories.vacancy(org, title="Cook")
    other = factories.vacancy(org, title="Driver")
    seeker = factories.user("job_seeker", email="aysel@example.org")
    person = seeker.person
    person.national_id, person.phone = "5ZX8KLM", "+994 50 111 22 33"
    profile = person.seeker_profile
    profile.cv_text = "Cook with ten years in Baku."
    db.session.flush()
    db.session.add(CvFile(seeker_id=profile.id, kind="txt", data=b"Cook with ten years in Baku."))
    factories.application(seeker, vacancy)
    factories.user("counsellor", email="c@example.org")
    factories.user("admin", email="admin@example.org")
    db.session.add(SavedSearch(user_id=seeker.id, name="cook", criteria={"q": "cook"}))
    contracts.notify_hire(
        None, org, person,
        {"position": "Cook", "contract_type": "fixed_term", "working_time": "full_time",
         "salary": 800, "start_date": date(2020, 1, 1), "end_date": date(2021, 12, 31)},
    )  # fmt: skip
    contracts.apply_dates()
    db.session.commit()
    return {"vacancy": vacancy.id, "other": other.id, "profile": profile.id, "person": person.id}


def _views(person_id: int) -> list[dict]:
    return [
        e.details
        for e in db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.person_id == person_id, AuditEvent.action == "person.viewed"
            )
        )
    ]


def test_views_are_recorded_and_the_person_sees_who_looked(client, world):
    as_user(client, "hr@example.org")
    page = client.get(f"/employer/vacancies/{world['vacancy']}/people/{world['profile']}")
    html = page.get_data(as_text=True)
    assert "aysel@example.org" in html and "+994 50 111 22 33" in html and "ten years" in html
    # not for a vacancy the person did not apply or get referred to (and no consent)
    assert (
        client.get(f"/employer/vacancies/{world['other']}/people/{world['profile']}").status_code
        == 404
    )
    as_user(client, "c@example.org")
    client.get(f"/counsellor/seekers/{world['profile']}")
    assert [v.get("what") for v in _views(world["person"])] == ["cv_and_contact", None]

    as_user(client, "aysel@example.org")
    page = client.get("/me/privacy").get_data(as_text=True)
    assert "Employer: Caspian Foods" in page and "CV and contact details" in page
    assert "c@example.org" not in page and "<td>Counsellor</td>" in page  # by role


def test_a_person_downloads_all_their_data(client, world):
    as_user(client, "aysel@example.org")
    response = client.get("/me/data.json")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    assert data["person"]["national_id"] == "5ZX8KLM"
    assert data["account"]["email"] == "aysel@example.org"
    assert data["profile"]["cv_text"] == "Cook with ten years in Baku."
    assert [a["vacancy"] for a in data["applications"]] == ["Cook"]
    assert [(c["employer"], c["status"]) for c in data["labour_contracts"]] == [
        ("Caspian Foods", "terminated")
    ]
    assert data["saved_searches"][0]["criteria"] == {"q": "cook"}
    assert "password" not in json.dumps(data)
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "person.exported"))


def test_deletion_anonymises_and_keeps_contracts_for_their_period(client, world, app):
    as_user(client, "aysel@example.org")
    client.post("/me/delete", data={"confirm": "yes", "password": "wrong"})
    assert db.session.get(Person, world["person"]).anonymised_at is None
    response = client.post("/me/delete", data={"confirm": "yes", "password": factories.PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(Person, world["person"])
    assert person.anonymised_at is not None and person.full_name == "— —"
    assert (person.national_id, person.phone) == (None, None)
    assert person.seeker_profile.cv_text == "" and person.seeker_profile.visible is False
    assert db.session.get(CvFile, person.seeker_profile.id) is None  # the file goes too
    user = db.session.scalar(sa.select(User).where(User.person_id == person.id))
    assert user.active is False and user.email.endswith("@deleted.invalid")
    assert login(client, "aysel@example.org", factories.PASSWORD).status_code != 302
    assert db.session.scalars(sa.select(SavedSearch)).all() == []
    assert len(db.session.scalars(sa.select(Application)).all()) == 1  # kept, without a name
    assert len(db.session.scalars(sa.select(LabourContract)).all()) == 1
    assert db.session.scalar(
        sa.select(AuditEvent.id).where(AuditEvent.action == "person.anonymised")
    )
    # the employer can no longer open the deleted person's CV
    as_user(client, "hr@example.org")
    url = f"/employer/vacancies/{world['vacancy']}/people/{world['profile']}"
    assert client.get(url).status_code == 404

    app.config["CONTRACT_RETENTION_YEARS"] = 5
    assert purge_expired(today=TODAY) == 0  # ended 2021: kept until 2026-12-31 has passed
    assert purge_expired(today=date(2027, 1, 1)) == 1
    assert db.session.scalars(sa.select(LabourContract)).all() == []


def test_admins_search_the_record(client, world):
    as_user(client, "c@example.org")
    client.get(f"/counsellor/seekers/{world['profile']}")
    as_user(client, "admin@example.org")
    page = client.get("/admin/audit?action=contract.").get_data(as_text=True)
    assert "<code>contract.notified</code>" in page and "<code>person.viewed</code>" not in page
    page = client.get("/admin/audit?person=5zx8klm&actor=c@example").get_data(as_text=True)
    assert "<code>person.viewed</code>" in page and "<code>contract.notified</code>" not in page
    since = (TODAY + timedelta(days=1)).isoformat()
    page = client.get(f"/admin/audit?since={since}").get_data(as_text=True)
    assert "No event matches." in page
    assert client.get("/admin/audit?since=not-a-date").status_code == 200
