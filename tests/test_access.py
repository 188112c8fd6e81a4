"""Every route × every role: who gets in, who is refused, and per-object rules.

The table is written out by hand, not derived from the code's declarations, so a
change to a route's rule shows up here as a failing row.
"""

import pytest

from jobmatch.extensions import db
from tests import factories
from tests.conftest import login

ROLES = ["anonymous", "job_seeker", "employer", "counsellor", "admin"]

OK, LOGIN, DENY, HIDDEN, MOVED = "ok", "login", "deny", "hidden", "moved"
ALL_OK = dict.fromkeys(ROLES, OK)
NO_TOKEN = dict.fromkeys(ROLES, "status 401")


def only(*roles, anonymous=LOGIN, others=DENY):
    return {"anonymous": anonymous} | {r: OK if r in roles else others for r in ROLES[1:]}


# (endpoint, method, url built from the world, expected outcome by role)
TABLE = [
    ("home.index", "GET", lambda w: "/", ALL_OK),
    ("home.about", "GET", lambda w: "/about", ALL_OK),
    ("home.health", "GET", lambda w: "/healthz", ALL_OK),
    ("home.favicon", "GET", lambda w: "/favicon.ico", dict.fromkeys(ROLES, "status 301")),
    ("home.dashboard", "GET", lambda w: "/home", only(others=MOVED)),
    ("accounts.login", "GET", lambda w: "/login", only(anonymous=OK, others=MOVED)),
    ("accounts.login", "POST", lambda w: "/login", only(anonymous=OK, others=MOVED)),
    ("accounts.logout", "POST", lambda w: "/logout", only(others=MOVED)),
    ("accounts.logout_everywhere", "POST", lambda w: "/logout/everywhere", only(others=MOVED)),
    ("accounts.register", "GET", lambda w: "/register", ALL_OK),
    ("accounts.register_seeker", "GET", lambda w: "/register/seeker", ALL_OK),
    ("accounts.register_seeker", "POST", lambda w: "/register/seeker", ALL_OK),
    ("accounts.register_employer", "GET", lambda w: "/register/employer", ALL_OK),
    ("accounts.register_employer", "POST", lambda w: "/register/employer", ALL_OK),
    ("accounts.forgot_password", "GET", lambda w: "/password/forgot", ALL_OK),
    ("accounts.forgot_password", "POST", lambda w: "/password/forgot", ALL_OK),
    ("accounts.reset_password", "GET", lambda w: "/password/reset/x", dict.fromkeys(ROLES, MOVED)),
    ("accounts.reset_password", "POST", lambda w: "/password/reset/x", dict.fromkeys(ROLES, MOVED)),
    ("accounts.confirm", "GET", lambda w: "/register/confirm/x", ALL_OK),
    ("accounts.confirm", "POST", lambda w: "/register/confirm/x", dict.fromkeys(ROLES, LOGIN)),
    ("accounts.confirm_again", "POST", lambda w: "/register/confirm", only(others=MOVED)),
    ("accounts.account", "GET", lambda w: "/account", only(others=OK)),
    ("accounts.account", "POST", lambda w: "/account", only(others=MOVED)),
    ("accounts.language", "GET", lambda w: "/language/fr", dict.fromkeys(ROLES, MOVED)),
    ("accounts.choose_language", "POST", lambda w: "/language", dict.fromkeys(ROLES, MOVED)),
    ("vacancies.index", "GET", lambda w: "/vacancies/", ALL_OK),
    ("vacancies.show", "GET", lambda w: f"/vacancies/{w['open'].id}", ALL_OK),
    (
        "vacancies.show",
        "GET",
        lambda w: f"/vacancies/{w['draft'].id}",
        {"anonymous": HIDDEN, "job_seeker": HIDDEN, "employer": OK, "counsellor": OK, "admin": OK},
    ),
    (
        "vacancies.show",
        "GET",
        lambda w: f"/vacancies/{w['other_draft'].id}",
        {
            "anonymous": HIDDEN,
            "job_seeker": HIDDEN,
            "employer": HIDDEN,
            "counsellor": OK,
            "admin": OK,
        },
    ),
    (
        "vacancies.apply",
        "POST",
        lambda w: f"/vacancies/{w['other_open'].id}/apply",
        only() | {"job_seeker": MOVED},
    ),
    # A draft is not there for a job seeker.
    (
        "vacancies.apply",
        "POST",
        lambda w: f"/vacancies/{w['other_draft'].id}/apply",
        only() | {"job_seeker": HIDDEN},
    ),
    ("seekers.home", "GET", lambda w: "/seeker/", only("job_seeker")),
    ("seekers.skills", "GET", lambda w: "/seeker/skills", only("job_seeker")),
    ("seekers.profile", "GET", lambda w: "/seeker/profile", only("job_seeker")),
    ("seekers.profile", "POST", lambda w: "/seeker/profile", only() | {"job_seeker": MOVED}),
    ("seekers.history", "GET", lambda w: "/seeker/history", only("job_seeker")),
    ("seekers.history", "POST", lambda w: "/seeker/history", only("job_seeker")),
    (
        "seekers.remove_history",
        "POST",
        lambda w: "/seeker/history/remove",
        only() | {"job_seeker": MOVED},
    ),
    ("seekers.skills", "POST", lambda w: "/seeker/skills", only() | {"job_seeker": MOVED}),
    ("seekers.cv", "GET", lambda w: "/seeker/cv", only("job_seeker")),
    ("seekers.cv_file", "GET", lambda w: "/seeker/cv/file", only() | {"job_seeker": HIDDEN}),
    ("seekers.printable", "GET", lambda w: "/seeker/profile/print", only("job_seeker")),
    (
        "counselling.cv_file",
        "GET",
        lambda w: f"/counsellor/seekers/{w['profile'].id}/cv",
        only() | {"counsellor": HIDDEN, "admin": HIDDEN},
    ),
    ("seekers.matches", "GET", lambda w: "/seeker/matches", only("job_seeker")),
    ("seekers.searches", "GET", lambda w: "/seeker/searches", only("job_seeker")),
    (
        "vacancies.save_search",
        "POST",
        lambda w: "/vacancies/searches",
        only() | {"job_seeker": MOVED},
    ),
    # A saved search that is not there (or another's) is not found.
    (
        "seekers.search_alerts",
        "POST",
        lambda w: "/seeker/searches/999999/alerts",
        only() | {"job_seeker": HIDDEN},
    ),
    (
        "seekers.delete_search",
        "POST",
        lambda w: "/seeker/searches/999999/delete",
        only() | {"job_seeker": HIDDEN},
    ),
    ("seekers.cv", "POST", lambda w: "/seeker/cv", only("job_seeker")),
    ("employers.home", "GET", lambda w: "/employer/", only("employer")),
    (
        "employers.applications",
        "GET",
        lambda w: f"/employer/vacancies/{w['open'].id}/applications",
        only("employer", "counsellor", "admin"),
    ),
    # Another organisation's vacancy: the employer must not learn it exists.
    (
        "employers.applications",
        "GET",
        lambda w: f"/employer/vacancies/{w['other_open'].id}/applications",
        only("counsellor", "admin") | {"employer": HIDDEN},
    ),
    (
        "employers.candidates",
        "GET",
        lambda w: f"/employer/vacancies/{w['open'].id}/candidates",
        only("employer", "counsellor", "admin"),
    ),
    (
        "employers.candidates",
        "GET",
        lambda w: f"/employer/vacancies/{w['other_open'].id}/candidates",
        only("counsellor", "admin") | {"employer": HIDDEN},
    ),
    (
        "employers.vacancy_status",
        "POST",
        lambda w: f"/employer/vacancies/{w['draft'].id}/status",
        only() | {"employer": MOVED, "counsellor": MOVED, "admin": MOVED},
    ),
    # Another organisation's vacancy: hidden from the employer, open to staff.
    (
        "employers.vacancy_status",
        "POST",
        lambda w: f"/employer/vacancies/{w['other_draft'].id}/status",
        only() | {"employer": HIDDEN, "counsellor": MOVED, "admin": MOVED},
    ),
    ("employers.organisation", "GET", lambda w: "/employer/organisation", only("employer")),
    (
        "employers.organisation",
        "POST",
        lambda w: "/employer/organisation",
        only() | {"employer": MOVED},
    ),
    ("employers.new_vacancy", "GET", lambda w: "/employer/vacancies/new", only("employer")),
    ("employers.new_vacancy", "POST", lambda w: "/employer/vacancies/new", only("employer")),
    (
        "employers.edit_vacancy",
        "GET",
        lambda w: f"/employer/vacancies/{w['open'].id}/edit",
        only("employer", "counsellor", "admin"),
    ),
    (
        "employers.edit_vacancy",
        "POST",
        lambda w: f"/employer/vacancies/{w['other_open'].id}/edit",
        only("counsellor", "admin") | {"employer": HIDDEN},
    ),
    ("counselling.caseload", "GET", lambda w: "/counsellor/", only("counsellor")),
    (
        "counselling.seeker",
        "GET",
        lambda w: f"/counsellor/seekers/{w['profile'].id}",
        only("counsellor", "admin"),
    ),
    # Without a vacancy (or with one that does not exist) there is nothing to act on.
    (
        "counselling.refer",
        "POST",
        lambda w: f"/counsellor/seekers/{w['profile'].id}/refer",
        only() | {"counsellor": HIDDEN, "admin": HIDDEN},
    ),
    (
        "counselling.decide",
        "POST",
        lambda w: f"/counsellor/seekers/{w['profile'].id}/decide",
        only() | {"counsellor": HIDDEN, "admin": HIDDEN},
    ),
    (
        "counselling.withdraw",
        "POST",
        lambda w: "/counsellor/decisions/999999/withdraw",
        only() | {"counsellor": HIDDEN, "admin": HIDDEN},
    ),
    (
        "counselling.add_note",
        "POST",
        lambda w: f"/counsellor/seekers/{w['profile'].id}/notes",
        only() | {"counsellor": MOVED, "admin": MOVED},
    ),
    ("contracts.index", "GET", lambda w: "/employer/contracts", only("employer")),
    ("contracts.new", "GET", lambda w: "/employer/contracts/new", only("employer")),
    ("contracts.new", "POST", lambda w: "/employer/contracts/new", only("employer")),
    # Another organisation's contract is not found.
    (
        "contracts.show",
        "GET",
        lambda w: f"/employer/contracts/{w['their_contract'].id}",
        only() | {"employer": HIDDEN},
    ),
    (
        "contracts.show",
        "POST",
        lambda w: f"/employer/contracts/{w['contract'].id}",
        only("employer"),
    ),
    ("contracts.mine", "GET", lambda w: "/me/work", only("job_seeker")),
    ("privacy.index", "GET", lambda w: "/me/privacy", only("job_seeker")),
    ("contracts.looking", "POST", lambda w: "/me/work/looking", only() | {"job_seeker": MOVED}),
    ("privacy.download", "GET", lambda w: "/me/data.json", only("job_seeker")),
    # Without the password nothing is deleted: back to the page, with the reason.
    ("privacy.delete", "POST", lambda w: "/me/delete", only() | {"job_seeker": MOVED}),
    ("admin.audit", "GET", lambda w: "/admin/audit", only("admin")),
    ("stats.index", "GET", lambda w: "/statistics/", ALL_OK),
    ("accounts.tokens", "GET", lambda w: "/account/tokens", only(others=OK)),
    ("accounts.tokens", "POST", lambda w: "/account/tokens", only(others=OK)),
    (
        "accounts.revoke_token",
        "POST",
        lambda w: "/account/tokens/999999/revoke",
        only(others=HIDDEN),
    ),
    ("api_docs.index", "GET", lambda w: "/api/docs", ALL_OK),
    ("api-docs.openapi_json", "GET", lambda w: "/api/openapi.json", ALL_OK),
    # The REST API ignores the session: a bearer token or nothing.
    ("vacancies_api.Vacancies", "GET", lambda w: "/api/v1/vacancies", ALL_OK),
    ("vacancies_api.Vacancies", "POST", lambda w: "/api/v1/vacancies", NO_TOKEN),
    ("vacancies_api.OneVacancy", "GET", lambda w: f"/api/v1/vacancies/{w['open'].id}", ALL_OK),
    ("vacancies_api.OneVacancy", "PATCH", lambda w: f"/api/v1/vacancies/{w['open'].id}", NO_TOKEN),
    (
        "vacancies_api.CloseVacancy",
        "POST",
        lambda w: f"/api/v1/vacancies/{w['open'].id}/close",
        NO_TOKEN,
    ),
    ("people_api.MyProfile", "GET", lambda w: "/api/v1/me/profile", NO_TOKEN),
    ("people_api.MyMatches", "GET", lambda w: "/api/v1/me/matches", NO_TOKEN),
    (
        "hiring_api.Candidates",
        "GET",
        lambda w: f"/api/v1/vacancies/{w['open'].id}/candidates",
        NO_TOKEN,
    ),
    (
        "hiring_api.Applications",
        "GET",
        lambda w: f"/api/v1/vacancies/{w['open'].id}/applications",
        NO_TOKEN,
    ),
    (
        "hiring_api.OneApplication",
        "PATCH",
        lambda w: f"/api/v1/applications/{w['application'].id}",
        NO_TOKEN,
    ),
    ("hiring_api.Contracts", "POST", lambda w: "/api/v1/contracts", NO_TOKEN),
    ("statistics_api.Statistics", "GET", lambda w: "/api/v1/statistics", ALL_OK),
    ("oversight_api.Queue", "GET", lambda w: "/api/v1/moderation", NO_TOKEN),
    ("oversight_api.Decision", "POST", lambda w: f"/api/v1/moderation/{w['open'].id}", NO_TOKEN),
    ("oversight_api.Fairness", "GET", lambda w: "/api/v1/fairness", NO_TOKEN),
    ("oversight_api.Outcomes", "GET", lambda w: "/api/v1/outcomes", NO_TOKEN),
    ("training.index", "GET", lambda w: "/training/", ALL_OK),
    ("training.show", "GET", lambda w: "/training/999999", dict.fromkeys(ROLES, HIDDEN)),
    (
        "training.interest",
        "POST",
        lambda w: "/training/999999/interest",
        only() | {"job_seeker": HIDDEN},
    ),
    # Without a target vacancy there is no gap to show.
    (
        "training.gap",
        "GET",
        lambda w: f"/counsellor/seekers/{w['profile'].id}/training",
        only() | {"counsellor": HIDDEN, "admin": HIDDEN},
    ),
    (
        "training.gap",
        "POST",
        lambda w: f"/counsellor/seekers/{w['profile'].id}/training",
        only() | {"counsellor": HIDDEN, "admin": HIDDEN},
    ),
    ("stats.full", "GET", lambda w: "/statistics/full", only("counsellor", "admin")),
    ("stats.table", "GET", lambda w: "/statistics/by_region.csv", ALL_OK),
    # Per-counsellor figures are for staff only; others are told nothing is there.
    (
        "stats.table",
        "GET",
        lambda w: "/statistics/placements_by_counsellor.csv",
        {
            "anonymous": HIDDEN,
            "job_seeker": HIDDEN,
            "employer": HIDDEN,
            "counsellor": OK,
            "admin": OK,
        },
    ),  # fmt: skip
    ("stats.refresh", "POST", lambda w: "/statistics/refresh", only() | {"admin": MOVED}),
    # Fairness and outcomes: staff only.
    ("monitoring.fairness", "GET", lambda w: "/statistics/fairness", only("counsellor", "admin")),
    (
        "monitoring.fairness_csv",
        "GET",
        lambda w: "/statistics/fairness.csv",
        only("counsellor", "admin"),
    ),
    ("monitoring.matching", "GET", lambda w: "/statistics/matching", only("counsellor", "admin")),
    (
        "monitoring.matching_csv",
        "GET",
        lambda w: "/statistics/matching.csv",
        only("counsellor", "admin"),
    ),
    (
        "employers.person",
        "GET",
        lambda w: f"/employer/vacancies/{w['open'].id}/people/{w['profile'].id}",
        only("employer", "counsellor", "admin"),
    ),
    (
        "employers.person",
        "GET",
        lambda w: f"/employer/vacancies/{w['other_open'].id}/people/{w['profile'].id}",
        only("counsellor", "admin") | {"employer": HIDDEN},
    ),
    (
        "employers.invite",
        "POST",
        lambda w: f"/employer/vacancies/{w['open'].id}/people/{w['profile'].id}/invite",
        only() | {"employer": MOVED, "counsellor": MOVED, "admin": MOVED},
    ),
    (
        "employers.invite",
        "POST",
        lambda w: f"/employer/vacancies/{w['other_open'].id}/people/{w['profile'].id}/invite",
        only() | {"employer": HIDDEN, "counsellor": MOVED, "admin": MOVED},
    ),
    ("seekers.registration", "GET", lambda w: "/seeker/registration", only("job_seeker")),
    ("seekers.registration", "POST", lambda w: "/seeker/registration", only("job_seeker")),
    (
        "counselling.registration",
        "POST",
        lambda w: f"/counsellor/seekers/{w['profile'].id}/registration",
        only() | {"counsellor": MOVED, "admin": MOVED},
    ),
    (
        "employers.answer_referral",
        "POST",
        lambda w: f"/employer/referrals/{w['referral'].id}/answer",
        only() | {"employer": MOVED},
    ),
    ("notifications.index", "GET", lambda w: "/notifications/", only(*ROLES[1:])),
    ("notifications.read", "POST", lambda w: "/notifications/read", only(others=MOVED)),
    (
        "employers.application_status",
        "POST",
        lambda w: f"/employer/applications/{w['application'].id}/status",
        only() | {"employer": MOVED, "counsellor": MOVED, "admin": MOVED},
    ),
    (
        "employers.undo_application_step",
        "POST",
        lambda w: f"/employer/applications/{w['application'].id}/undo",
        only() | {"employer": MOVED, "counsellor": MOVED, "admin": MOVED},
    ),
    (
        "seekers.withdraw",
        "POST",
        lambda w: f"/seeker/applications/{w['application'].id}/withdraw",
        only() | {"job_seeker": MOVED},
    ),
    ("admin.index", "GET", lambda w: "/admin/", only("admin")),
    ("admin.jobs", "GET", lambda w: "/admin/jobs", only("admin")),
    ("admin.jobs_retry", "POST", lambda w: "/admin/jobs/retry", only() | {"admin": MOVED}),
    ("admin.jobs_run", "POST", lambda w: "/admin/jobs/run", only() | {"admin": MOVED}),
    (
        "contracts.answer",
        "POST",
        lambda w: f"/me/work/contracts/{w['contract'].id}/answer",
        only() | {"job_seeker": MOVED},
    ),
    ("contracts.pending", "GET", lambda w: "/counsellor/contracts", only("counsellor", "admin")),
    (
        "contracts.check",
        "POST",
        lambda w: f"/counsellor/contracts/{w['contract'].id}/answer",
        only() | {"counsellor": MOVED, "admin": MOVED},
    ),
    ("admin.moderation", "GET", lambda w: "/admin/moderation", only("counsellor", "admin")),
    (
        "admin.moderate",
        "POST",
        lambda w: f"/admin/moderation/{w['open'].id}",
        only() | {"counsellor": MOVED, "admin": MOVED},
    ),
    ("admin.employers", "GET", lambda w: "/admin/employers", only("counsellor", "admin")),
    (
        "admin.employer_verification",
        "POST",
        lambda w: f"/admin/employers/{w['their_org'].id}/verification",
        only() | {"counsellor": MOVED, "admin": MOVED},
    ),
    (
        "admin.user_active",
        "POST",
        lambda w: f"/admin/users/{w['job_seeker'].id}/active",
        only() | {"admin": MOVED},
    ),
]


@pytest.fixture
def world(app):
    accounts = {role: factories.user(role, email=f"{role}@example.org") for role in ROLES[1:]}
    mine = factories.employer(owner=accounts["employer"])
    theirs = factories.employer()
    w = {
        **accounts,
        "open": factories.vacancy(mine),
        "draft": factories.vacancy(mine, status="draft"),
        "other_open": factories.vacancy(theirs),
        "other_draft": factories.vacancy(theirs, status="draft"),
        "profile": accounts["job_seeker"].person.seeker_profile,
        "their_org": theirs,
    }
    w["application"] = factories.application(accounts["job_seeker"], w["open"])
    from datetime import date

    from jobmatch.contracts.models import LabourContract
    from jobmatch.counselling.models import Referral

    def contract(org):
        row = LabourContract(
            employer_id=org.id, person_id=accounts["job_seeker"].person_id, position="Cook",
            start_date=date(2025, 1, 1), contract_type="permanent", working_time="part_time",
            status="active",
        )  # fmt: skip
        db.session.add(row)
        return row

    w["contract"], w["their_contract"] = contract(mine), contract(theirs)
    w["referral"] = Referral(
        counsellor=accounts["counsellor"], seeker=w["profile"], vacancy=w["open"], note=""
    )
    db.session.add(w["referral"])
    db.session.commit()
    return w


def outcome(response) -> str:
    if response.status_code == 200:
        return OK
    if response.status_code == 403:
        return DENY
    if response.status_code == 404:
        return HIDDEN
    if response.status_code == 302:
        return LOGIN if "/login" in response.location else MOVED
    return f"status {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_role_by_route(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, f"{role}@example.org", factories.PASSWORD).status_code == 302
    wrong = []
    for endpoint, method, url, expected in TABLE:
        path = url(world)
        response = client.open(path, method=method, data={"active": "1"})
        if outcome(response) != expected[role]:
            wrong.append(
                f"{method} {path} ({endpoint}): {outcome(response)}, expected {expected[role]}"
            )
        if endpoint.startswith("accounts.logout") and role != "anonymous":
            login(client, f"{role}@example.org", factories.PASSWORD)
    assert not wrong, "\n".join(wrong)


def test_the_table_covers_every_route(app):
    covered = {(endpoint, method) for endpoint, method, _url, _expected in TABLE}
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set(), "routes missing from the access table"


def test_a_route_without_a_rule_is_refused(app):
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    response = app.test_client().get("/undeclared")
    assert response.status_code == 403


def test_the_site_icon_is_found_by_pages_and_at_its_usual_address(client):
    page = client.get("/about").get_data(as_text=True)
    assert 'rel="icon" type="image/svg+xml" href="/static/favicon.svg"' in page
    moved = client.get("/favicon.ico")
    assert (moved.status_code, moved.location) == (301, "/static/favicon.svg")
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.get_data(as_text=True).startswith("<svg")
