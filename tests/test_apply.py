"""A job seeker applies to a vacancy once, with an optional message; bad requests change nothing."""

import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.vacancies.models import Application
from tests import factories
from tests.conftest import login


def _world():
    seeker = factories.user("job_seeker", email="aysel@example.org")
    employer = factories.employer()
    open_one = factories.vacancy(employer)
    closed = factories.vacancy(employer, status="closed")
    db.session.commit()
    return seeker.person.seeker_profile.id, open_one.id, closed.id


def _applications() -> list[Application]:
    db.session.expire_all()
    return db.session.scalars(sa.select(Application)).all()


def test_a_seeker_applies_once_with_a_message(app, client):
    profile, vacancy, _closed = _world()
    login(client, "aysel@example.org", factories.PASSWORD)
    page = client.get(f"/vacancies/{vacancy}").get_data(as_text=True)
    assert "Send my application" in page

    response = client.post(
        f"/vacancies/{vacancy}/apply", data={"message": "  I can start <b>now</b>. "}
    )
    assert response.status_code == 302
    [application] = _applications()
    assert (application.seeker_id, application.vacancy_id) == (profile, vacancy)
    assert application.message == "I can start <b>now</b>." and application.status == "received"

    page = client.get(f"/vacancies/{vacancy}", follow_redirects=True).get_data(as_text=True)
    assert "You applied on" in page and "Send my application" not in page
    client.post(f"/vacancies/{vacancy}/apply", data={"message": "again"})
    assert len(_applications()) == 1
    home = client.get("/seeker/").get_data(as_text=True)
    assert f'href="/vacancies/{vacancy}"' in home and "<b>now</b>" not in home


def test_closed_vacancies_and_long_messages_are_refused(app, client):
    _profile, vacancy, closed = _world()
    login(client, "aysel@example.org", factories.PASSWORD)
    response = client.post(f"/vacancies/{closed}/apply", data={"message": ""})
    assert response.status_code == 404  # a closed vacancy is not shown to job seekers
    response = client.post(
        f"/vacancies/{vacancy}/apply", data={"message": "x" * 2001}, follow_redirects=True
    )
    assert "The message is too long" in response.get_data(as_text=True)
    assert _applications() == []


def test_anonymous_visitors_are_invited_to_log_in(app, client):
    _profile, vacancy, _closed = _world()
    page = client.get(f"/vacancies/{vacancy}").get_data(as_text=True)
    assert "Log in to apply" in page and f"next=/vacancies/{vacancy}" in page
