"""The applications pipeline tells people what happened: in the app and through the outbox."""

import socket

import pytest
import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.notifications.models import Notification, OutboxMessage
from jobmatch.notifications.tasks import deliver_outbox
from jobmatch.vacancies.models import Application
from tests import factories
from tests.conftest import as_user


@pytest.fixture
def world(app):
    owner = factories.user("employer", email="hr@example.org")
    seeker = factories.user("job_seeker", email="aysel@example.org")
    vacancy = factories.vacancy(factories.employer(owner=owner), title="Aşpaz")
    db.session.commit()
    return {"owner": owner.id, "seeker": seeker.id, "vacancy": vacancy.id}


def _count(model, **where) -> int:
    db.session.expire_all()
    query = sa.select(sa.func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return db.session.scalar(query)


def test_an_application_and_each_step_reach_the_other_side(client, world):
    seeker = as_user(client, "aysel@example.org")
    seeker.post(f"/vacancies/{world['vacancy']}/apply", data={"message": "Hello"})
    employer = as_user(client, "hr@example.org")
    assert _count(Notification, user_id=world["owner"], kind="application_received") == 1
    page = employer.get("/notifications/").get_data(as_text=True)
    assert "applied to “Aşpaz”" in page
    assert _count(Notification, user_id=world["owner"], read_at=None) == 1  # a GET changes nothing
    employer.post("/notifications/read")
    assert _count(Notification, user_id=world["owner"], read_at=None) == 0  # now read

    application = db.session.scalars(sa.select(Application)).one()
    url = f"/employer/applications/{application.id}/status"
    assert employer.post(url, data={"status": "hired"}).status_code == 302  # not from here
    assert _count(Notification, user_id=world["seeker"], kind="application_status") == 0
    employer.post(url, data={"status": "shortlisted"})
    employer.post(url, data={"status": "interview", "interview_at": "2099-03-02T10:30",
                             "interview_place": "Nizami küç. 10, Bakı",
                             "message": "Bring your diploma."})  # fmt: skip
    seeker = as_user(client, "aysel@example.org")
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "interview"
    assert _count(Notification, user_id=world["seeker"], kind="application_status") == 2
    # the receipt of the application, and the two steps
    assert _count(Notification, user_id=world["seeker"], kind="application_sent") == 1

    home = seeker.get("/seeker/").get_data(as_text=True)
    assert "3 unread" in home
    page = seeker.get("/notifications/").get_data(as_text=True)
    assert "Your application to “Aşpaz” (" in page and "is sent" in page
    assert "Your application to “Aşpaz” is now: Shortlisted." in page
    # the time is written on the service's clock (Baku, UTC+4) and day first
    assert "You are invited to an interview for “Aşpaz” on 2 Mar 2099, 10:30, at Nizami" in page
    assert "The employer&#39;s message: Bring your diploma." in page
    assert "3 unread" in seeker.get("/seeker/").get_data(as_text=True)  # reading writes nothing
    seeker.post("/notifications/read")
    assert "unread" not in seeker.get("/seeker/").get_data(as_text=True)
    mails = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == "aysel@example.org")
    ).all()
    assert len(mails) == 3 and all("Aşpaz" in m.subject for m in mails)


def test_another_employer_cannot_move_the_application(client, world):
    factories.employer(owner=factories.user("employer", email="other@example.org"))
    db.session.commit()
    as_user(client, "aysel@example.org").post(f"/vacancies/{world['vacancy']}/apply", data={})
    other = as_user(client, "other@example.org")
    application = db.session.scalars(sa.select(Application)).one()
    url = f"/employer/applications/{application.id}/status"
    assert other.post(url, data={"status": "shortlisted"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "received"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_outbox_is_delivered_once_and_failures_are_retried(app, world, tmp_path):
    db.session.add_all(
        [OutboxMessage(to_address=f"p{i}@example.org", subject=f"S{i}", body="B") for i in (1, 2)]
    )
    db.session.commit()
    app.config["MAIL_SERVER"] = f"127.0.0.1:{_closed_port()}"  # nobody answers
    assert deliver_outbox() == {"sent": 0, "failed": 2}
    row = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).first()
    assert row.attempts == 1 and row.sent_at is None and row.last_error

    app.config["MAIL_SERVER"] = None  # the embedded mode: files in instance/outbox/
    assert deliver_outbox() == {"sent": 2, "failed": 0}
    files = sorted((tmp_path / "instance" / "outbox").glob("*.eml"))
    assert len(files) == 2 and b"Subject: S1" in files[0].read_bytes()
    assert deliver_outbox() == {"sent": 0, "failed": 0}


def test_people_are_told_when_their_matches_are_ready(demo_world):
    """A vacancy or a profile someone wrote is announced once, when it first reaches the
    index; an imported one, or one indexed again, is not."""
    from jobmatch.matching import services

    demo_world(seed=3, employers=1, vacancies=2, seekers=2)
    owner = factories.user("employer", email="hr-ready@example.org")
    org = factories.employer(owner=owner)
    mine = factories.vacancy(org, title="Aşpaz")
    imported = factories.vacancy(org, title="Ofisiant", external_id="IMPORT-1")
    seeker = factories.user("job_seeker", email="ready@example.org")
    db.session.commit()
    profile_id = seeker.person.seeker_profile.id

    services.sync("vacancy", [mine.id, imported.id])  # the index jobs of the commits
    services.sync("seeker", [profile_id])
    notices = db.session.scalars(sa.select(Notification).order_by(Notification.id)).all()
    assert [(n.user_id, n.kind, n.data) for n in notices] == [
        (owner.id, "candidates_ready", {"title": "Aşpaz"}),
        (seeker.id, "matches_ready", {}),
    ]
    assert notices[0].link.endswith(f"/employer/vacancies/{mine.id}/candidates")
    assert notices[1].link.endswith("/seeker/matches")

    mine.description = "Prepare hot dishes and pastries."  # embedded again: no news
    db.session.commit()
    services.sync("vacancy", [mine.id])
    assert _count(Notification) == 2
