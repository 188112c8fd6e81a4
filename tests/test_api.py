"""The REST API: scoped, revocable tokens; vacancies, profile, matches both ways,
applications, contracts and statistics; problem+json errors; pagination; rate limits; and a
schemathesis run against the OpenAPI document that finds no server error."""

import json

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from jobmatch.accounts.models import User
from jobmatch.api import tokens
from jobmatch.contracts.services import has_tie
from jobmatch.demo.build import DEMO_DOMAIN
from jobmatch.extensions import db
from jobmatch.stats.tasks import compute_statistics
from jobmatch.vacancies.models import Application, Vacancy
from jobmatch.validation import InvalidInput


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


@pytest.fixture
def world(demo_world):
    app = demo_world(seed=9, employers=3, vacancies=30, seekers=20)
    employer = _user(f"employer01@{DEMO_DOMAIN}")
    seeker = _user(f"seeker001@{DEMO_DOMAIN}")
    secrets = {
        "employer": tokens.issue(employer, "HR system", tokens.ROLE_SCOPES["employer"])[1],
        "reader": tokens.issue(employer, "Website", ["vacancies:read"])[1],
        "seeker": tokens.issue(seeker, "Phone", tokens.ROLE_SCOPES["job_seeker"])[1],
        "rival": tokens.issue(
            _user(f"employer02@{DEMO_DOMAIN}"), "Rival", tokens.ROLE_SCOPES["employer"]
        )[1],
    }
    db.session.commit()
    compute_statistics()  # as the hourly job has on a running site
    return {"app": app, "secrets": secrets, "employer": employer, "seeker": seeker}


def auth(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    return body


def test_tokens_scopes_and_problem_errors(client, world):
    listing = client.get("/api/v1/vacancies?page_size=5")
    assert listing.status_code == 200 and len(listing.get_json()) == 5
    pages = json.loads(listing.headers["X-Pagination"])
    assert pages["total"] >= 5 and pages["page"] == 1 and pages["total_pages"] >= 1

    _problem(client.get("/api/v1/me/profile"), 401)
    assert client.get("/api/v1/me/profile").headers["WWW-Authenticate"].startswith("Bearer")
    _problem(client.get("/api/v1/me/profile", headers=auth("jm_not-a-token")), 401)
    body = _problem(
        client.post(
            "/api/v1/vacancies", json={"title": "x"}, headers=auth(world["secrets"]["seeker"])
        ),
        403,
    )
    assert "vacancies:write" in body["detail"]
    _problem(client.get("/api/v1/vacancies/99999999"), 404)
    body = _problem(client.get("/api/v1/vacancies?region=atlantis"), 422)
    assert "region" in json.dumps(body["errors"])

    reader = db.session.scalar(sa.select(tokens.ApiToken).where(tokens.ApiToken.name == "Website"))
    tokens.revoke(world["employer"], reader)
    db.session.commit()
    _problem(client.get("/api/v1/vacancies", headers=auth(world["secrets"]["reader"])), 401)
    with pytest.raises(InvalidInput, match="cannot grant"):
        tokens.issue(world["seeker"], "Sneaky", ["contracts:write"])


def test_an_employer_manages_its_vacancies(client, world):
    headers = auth(world["secrets"]["employer"])
    created = client.post(
        "/api/v1/vacancies",
        json={"title": "Cook", "description": "Hot dishes.", "region": "baku",
              "salary_min": 800, "salary_max": 1000, "languages": ["az"]},
        headers=headers,
    )  # fmt: skip
    assert created.status_code == 201, created.get_data(as_text=True)
    vacancy = created.get_json()
    assert (vacancy["status"], vacancy["employer"]) == ("draft", world["employer"].employer.name)
    url = f"/api/v1/vacancies/{vacancy['id']}"
    _problem(client.get(url), 404)  # a draft is not public
    assert client.get(url, headers=headers).status_code == 200
    _problem(client.get(url, headers=auth(world["secrets"]["rival"])), 404)
    body = _problem(client.patch(url, json={"salary_min": 2000}, headers=headers), 422)
    assert body["errors"] == {"salary_max": ["The lowest salary is above the highest."]}
    _problem(client.patch(url, json={"colour": "red"}, headers=headers), 422)
    changed = client.patch(url, json={"salary_max": 1200, "publish": True}, headers=headers)
    assert changed.get_json()["status"] == "published" and changed.get_json()["salary_max"] == 1200
    assert client.get(url).status_code == 200  # open now
    closed = client.post(f"{url}/close", headers=headers)
    assert closed.get_json()["status"] == "closed"
    _problem(client.post(f"{url}/close", headers=headers), 422)


def test_matches_both_ways_applications_and_a_contract(client, world):
    seeker = auth(world["secrets"]["seeker"])
    profile = client.get("/api/v1/me/profile", headers=seeker).get_json()
    assert profile["id"] == world["seeker"].person.seeker_profile.id
    matches = client.get("/api/v1/me/matches", headers=seeker).get_json()
    assert matches and matches[0]["reasons"] and 0 < matches[0]["score"] <= 1
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True)

    employer = auth(world["secrets"]["employer"])
    own = db.session.scalars(
        sa.select(Vacancy).where(
            Vacancy.employer_id == world["employer"].employer.id, Vacancy.status == "published"
        )
    ).first()
    candidates = client.get(f"/api/v1/vacancies/{own.id}/candidates", headers=employer)
    assert candidates.status_code == 200 and candidates.get_json()
    assert all(c["reference"] for c in candidates.get_json())
    applications = client.get(f"/api/v1/vacancies/{own.id}/applications", headers=employer)
    assert applications.status_code == 200 and "X-Pagination" in applications.headers

    hire = {"person": world["seeker"].email, "position": "Evening cook", "start_date": "2026-01-10",
            "contract_type": "permanent", "working_time": "part_time", "salary": 500}  # fmt: skip
    if not has_tie(world["employer"].employer, world["seeker"].person):  # known by e-mail only
        _problem(client.post("/api/v1/contracts", json=hire, headers=employer), 422)
        db.session.add(
            Application(seeker_id=world["seeker"].person.seeker_profile.id, vacancy_id=own.id)
        )
        db.session.commit()
    contract = client.post("/api/v1/contracts", json=hire, headers=employer)
    assert contract.status_code == 201, contract.get_data(as_text=True)
    assert contract.get_json()["began"] is True
    _problem(client.post("/api/v1/contracts", json=hire, headers=employer), 422)  # duplicate
    figures = client.get("/api/v1/statistics").get_json()
    assert figures["totals"]["open_positions"] > 0 and len(figures["by_month"]) == 12


def test_the_rate_limit_answers_with_a_problem(client, world, app):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    headers = auth(world["secrets"]["seeker"])
    for _ in range(3):
        assert client.get("/api/v1/me/profile", headers=headers).status_code == 200
    _problem(client.get("/api/v1/me/profile", headers=headers), 429)


def test_the_docs_page_describes_every_operation(client, world):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    page = client.get("/api/docs").get_data(as_text=True)
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in page
    assert "<code>contracts:write</code>" in page


def _spec() -> dict:
    """The OpenAPI document as the app serves it (it does not depend on the data); needed
    when the tests are collected, from an app whose folder is removed at once."""
    import tempfile

    from jobmatch import create_app
    from jobmatch.config import TestConfig

    with tempfile.TemporaryDirectory(prefix="jobmatch-spec-") as instance:
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://", INSTANCE_PATH=instance)
        return app.test_client().get("/api/openapi.json").get_json()


schema = schemathesis.openapi.from_dict(_spec())


@pytest.fixture
def small_world(demo_world):
    app = demo_world(seed=10, employers=2, vacancies=12, seekers=8)
    employer = _user(f"employer01@{DEMO_DOMAIN}")
    secret = tokens.issue(employer, "Fuzz", tokens.ROLE_SCOPES["employer"])[1]
    staff = _user(f"counsellor@{DEMO_DOMAIN}")
    staff_secret = tokens.issue(staff, "Fuzz", tokens.ROLE_SCOPES["counsellor"])[1]
    db.session.commit()
    compute_statistics()  # as the hourly job has on a running site
    return app, secret, staff_secret


STAFF_PATHS = ("/api/v1/moderation", "/api/v1/fairness", "/api/v1/outcomes")
OPERATIONS = [(r.ok().method.upper(), r.ok().path) for r in schema.get_all_operations()]


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_input_makes_the_server_fail(method, path, small_world):
    """schemathesis: generated input for each operation, as an employer's token (a
    counsellor's for the staff's operations)."""
    from hypothesis import given

    app, secret, staff_secret = small_world
    if path.startswith(STAFF_PATHS):
        secret = staff_secret
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    def run(case):
        case.call_and_validate(app=app, headers=auth(secret), checks=[not_a_server_error])

    run()


def _statements(call) -> list[str]:
    seen = []

    def count(conn, cursor, statement, *rest):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return seen


def test_vacancy_lists_read_their_relations_once_not_per_vacancy(client, world):
    def listing(size: int):
        answer = client.get(f"/api/v1/vacancies?page_size={size}")
        assert answer.status_code == 200 and len(answer.get_json()) == size
        assert all(v["employer"] for v in answer.get_json())

    assert len(_statements(lambda: listing(3))) == len(_statements(lambda: listing(15)))

    seeker = auth(world["secrets"]["seeker"])
    matches = []
    statements = _statements(
        lambda: matches.extend(client.get("/api/v1/me/matches", headers=seeker).get_json())
    )
    assert len(matches) >= 10 and any(m["vacancy"]["skills"] for m in matches)
    # The same statement once per vacancy is a relation loaded lazily. (The change log is read
    # by each index as it catches up, not per vacancy.)
    repeated = {s for s in statements if statements.count(s) > 2 and "index_change" not in s}
    assert not repeated, repeated
