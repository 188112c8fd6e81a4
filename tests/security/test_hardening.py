"""Input that used to end in a server error, and small leaks: each gets a clear answer and
changes nothing."""

import threading

import pytest
import sqlalchemy as sa
from flask import g

from jobmatch.api import tokens
from jobmatch.extensions import db
from jobmatch.vacancies.models import Application, Vacancy
from jobmatch.validation import InvalidInput, check_password
from tests import factories
from tests.conftest import as_user, login


def test_json_nested_100000_deep_is_refused(client):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/api/v1/vacancies", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "nested too deeply" in response.get_json()["detail"]


def test_a_header_in_the_language_redirect_is_not_followed(client):
    response = client.get("/language/en?next=/%0d%0aSet-Cookie:%20owned=1")
    assert response.status_code == 302
    assert "owned" not in response.headers.get("Set-Cookie", "")
    assert "\n" not in response.location and response.location.endswith("/")


def test_control_characters_in_text_are_refused_and_nothing_is_saved(app, client):
    owner = factories.user("employer")
    factories.employer(owner=owner)
    db.session.commit()
    as_user(client, owner.email)
    response = client.post(
        "/employer/vacancies/new",
        data={"title": "Cook\x00", "description": "Hot dishes", "action": "save"},
    )
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vacancy)) == 0
    api = client.post(
        "/api/v1/vacancies", json={"title": "Cook\u0007"}, headers={"Authorization": "Bearer x"}
    )
    assert api.status_code == 400 and api.mimetype == "application/problem+json"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_six_applications_at_once_store_one_and_answer_every_one(app, backend):
    seeker = factories.user("job_seeker")
    post = factories.vacancy(factories.employer())
    db.session.commit()
    clients = [app.test_client() for _ in range(6)]
    for c in clients:
        g.pop("_login_user", None)
        assert login(c, seeker.email, factories.PASSWORD).status_code == 302
    start = threading.Barrier(len(clients))
    codes, url = [], f"/vacancies/{post.id}/apply"

    def apply(c):
        start.wait()
        codes.append(c.post(url, data={"message": "Hello"}).status_code)

    threads = [threading.Thread(target=apply, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(codes) == [302] * 6  # none is a server error
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 1


@pytest.mark.parametrize(
    "password", ["Password12", "qwertyuiop1", "Aysel2026!!x", "aysel.hasanova1", "1234567890ab"]
)
def test_weak_and_personal_passwords_are_refused(app, password):
    with pytest.raises(InvalidInput):
        check_password(password, "aysel.h@example.org", ("Aysel", "Həsənova"))


def test_a_closed_vacancy_is_as_missing_as_one_that_never_was(app, client):
    seeker = factories.user("job_seeker")
    closed = factories.vacancy(factories.employer(), status="closed")
    db.session.commit()
    _token, secret = tokens.issue(seeker, "Phone", tokens.ROLE_SCOPES["job_seeker"])
    db.session.commit()
    auth = {"Authorization": f"Bearer {secret}"}
    there = client.get(f"/api/v1/vacancies/{closed.id}", headers=auth)
    never = client.get("/api/v1/vacancies/999999", headers=auth)
    assert there.status_code == never.status_code == 404
    assert there.get_json() == never.get_json()


def test_personal_pages_and_exports_are_not_cached(app, client):
    seeker = factories.user("job_seeker")
    db.session.commit()
    as_user(client, seeker.email)
    for path in ("/seeker/", "/me/privacy", "/me/data.json", "/account"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_https_turns_on_secure_cookies_and_hsts(app_with):
    site = app_with(PUBLIC_URL="https://jobmatch.example.az")
    assert site.config["SESSION_COOKIE_SECURE"] and site.config["REMEMBER_COOKIE_SECURE"]
    response = site.test_client().get("/about")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_get_writes_nothing_and_the_language_is_saved_by_a_post(app, client):
    from jobmatch.accounts.models import User

    seeker = factories.user("job_seeker")
    db.session.commit()
    as_user(client, seeker.email)
    client.get("/language/fr?next=/vacancies/")
    db.session.expire_all()
    assert db.session.get(User, seeker.id).locale == "en"  # the session only
    response = client.post("/language", data={"code": "az", "next": "/vacancies/"})
    assert response.status_code == 302 and response.location.endswith("/vacancies/")
    db.session.expire_all()
    assert db.session.get(User, seeker.id).locale == "az"


def test_the_data_page_names_staff_by_role_not_by_address(app, client):
    from jobmatch.audit.services import record

    seeker = factories.user("job_seeker")
    counsellor = factories.user("counsellor", email="c.private@example.org")
    record(counsellor, "person.viewed", seeker.person, person_id=seeker.person_id, what="profile")
    db.session.commit()
    as_user(client, seeker.email)
    for path in ("/me/privacy", "/me/data.json"):
        page = client.get(path).get_data(as_text=True)
        assert "c.private@example.org" not in page, path
        assert "counsellor" in page.lower(), path


def test_ids_that_are_not_plain_numbers_are_not_found_rather_than_errors(app, client):
    """ "²".isdigit() is true and int("²") raises; a number past the databases' integer
    overflows PostgreSQL's. Neither is a server error anywhere an id is read from text."""
    seeker = factories.user("job_seeker")
    staff = factories.user("admin")
    owner = factories.user("employer")
    factories.employer(owner=owner)
    db.session.commit()
    profile = seeker.person.seeker_profile.id
    for bad in ("²", "٣", "99999999999", "-1"):
        answers = [client.get(f"/vacancies/?page={bad}&salary={bad}")]
        as_user(client, staff.email)
        answers += [
            client.post(f"/counsellor/seekers/{profile}/refer", data={"vacancy_id": bad}),
            client.post(f"/counsellor/seekers/{profile}/decide", data={"vacancy_id": bad}),
            client.get(f"/counsellor/seekers/{profile}/training?vacancy={bad}"),
            client.get(f"/admin/audit?person={bad}"),
        ]
        as_user(client, seeker.email)
        answers += [
            client.post("/seeker/history/remove", data={"kind": "experience", "id": bad}),
            client.post("/seeker/skills", data={"skill": [bad], "occupation": [bad]}),
        ]
        as_user(client, owner.email)
        answers.append(
            client.post(
                "/employer/vacancies/new",
                data={"title": "Cook", "occupation": bad, f"skill-{bad}": "essential"},
            )
        )
        assert all(a.status_code < 500 for a in answers), [a.status_code for a in answers]


def test_an_import_line_with_a_control_character_is_reported_not_stored(app):
    import io
    import json

    from jobmatch.imports import services as imports

    line = json.dumps({"external_id": "N-1", "title": "Cook\u0000", "region": "baku"})
    report = imports.run("vacancies", io.StringIO(line + "\n"))
    assert report.created == 0
    assert report.errors == [(1, "title holds a control character (such as NUL)")]
