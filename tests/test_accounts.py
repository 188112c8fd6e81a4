import re

import pytest
import sqlalchemy as sa

from jobmatch import create_app
from jobmatch.accounts.models import User
from jobmatch.audit.models import AuditEvent
from jobmatch.config import TestConfig
from jobmatch.employers.models import Employer
from jobmatch.extensions import db
from jobmatch.people.models import Person
from tests import factories
from tests.conftest import login

SEEKER = {
    "first_name": "Aysel",
    "last_name": "Məmmədova",
    "email": "Aysel@Example.org",
    "password": "Xəzər dənizi 2026",
    "confirm": "Xəzər dənizi 2026",
    "locale": "az",
    "region": "baku",
    "national_id": "5zx8klm",
    "birth_year": "1994",
    "visible": "y",
    "consent": "y",
}
EMPLOYER = {
    "organisation": "Xəzər Logistika MMC",
    "tax_id": "1400057911",
    "sector": "H",
    "region": "baku",
    "email": "hr@xezer.az",
    "password": "Yük daşıma 2026",
    "confirm": "Yük daşıma 2026",
    "locale": "az",
    "consent": "y",
}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def confirmation_link(address: str) -> str:
    """The path of the newest confirmation link e-mailed to the address."""
    from jobmatch.notifications.models import OutboxMessage

    body = db.session.scalar(
        sa.select(OutboxMessage.body)
        .where(OutboxMessage.to_address == address)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    return re.search(r"https?://[^/\s]+(/register/confirm/\S+)", body).group(1)


def register_and_confirm(client, path: str, data: dict):
    """Register, open the e-mailed link and press its button: the answer of that press."""
    answer = client.post(path, data=data)
    assert answer.status_code == 200 and "Check your e-mail" in answer.get_data(as_text=True)
    link = confirmation_link(data["email"].lower())
    assert client.get(link).status_code == 200  # the page with the button changes nothing
    return client.post(link)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_a_job_seeker_registers_and_starts_their_profile(client):
    answer = client.post("/register/seeker", data=SEEKER)
    assert "Check your e-mail" in answer.get_data(as_text=True)
    assert client.get("/seeker/").status_code == 302  # not logged in by the registration
    link = confirmation_link("aysel@example.org")
    client.get(link)
    user = db.session.scalar(sa.select(User))
    assert user.email_confirmed_at is None  # a GET confirms nothing
    response = client.post(link)
    assert response.status_code == 302 and response.location.endswith("/seeker/profile")
    db.session.expire_all()
    user = db.session.scalar(sa.select(User))
    assert user.email_confirmed_at is not None
    assert user.email == "aysel@example.org"
    assert user.password_hash != SEEKER["password"] and user.check_password(SEEKER["password"])
    assert user.person.national_id == "5ZX8KLM"
    assert user.person.seeker_profile.visible is True
    assert user.person.seeker_profile.findable is True
    page = client.get("/seeker/").get_data(as_text=True)
    assert "Aysel" in page and "Confirm your e-mail address" not in page
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id))
    assert list(actions)[:2] == ["account.registered", "account.email_confirmed"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_before_the_address_is_confirmed_the_profile_is_built_but_not_found(client):
    client.post("/register/seeker", data=SEEKER)
    answer = login(client, SEEKER["email"], SEEKER["password"])
    assert answer.status_code == 302  # the owner logs in and starts
    page = client.get("/seeker/profile").get_data(as_text=True)
    assert "Confirm your e-mail address: open the link we sent to aysel@example.org." in page
    assert "employers find it once the address is confirmed" in page
    profile = db.session.scalar(sa.select(User)).person.seeker_profile
    assert profile.visible and not profile.findable  # agreed to be found; not yet found
    # the banner's button sends the link again, and brings the person back to their page
    again = client.post("/register/confirm", data={"next": "/seeker/profile?"})
    assert again.status_code == 302 and again.location.endswith("/seeker/profile")
    from jobmatch.notifications.models import OutboxMessage

    sent = sa.select(sa.func.count()).where(OutboxMessage.to_address == "aysel@example.org")
    assert db.session.scalar(sent) == 2 and confirmation_link("aysel@example.org")
    assert client.post(confirmation_link("aysel@example.org")).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(User)).person.seeker_profile.findable
    assert "Confirm your e-mail address" not in client.get("/seeker/").get_data(as_text=True)


def test_an_employer_prepares_before_confirming_but_publishes_after(client):
    from jobmatch.vacancies.models import Vacancy

    client.post("/register/employer", data=EMPLOYER)
    assert login(client, EMPLOYER["email"], EMPLOYER["password"]).status_code == 302
    assert "vacancies are published once the address is confirmed" in client.get(
        "/employer/"
    ).get_data(as_text=True)
    form = {"title": "Anbardar", "description": "Anbarda iş.", "region": "baku",
            "contract_type": "permanent", "working_time": "full_time", "positions": "1",
            "currency": "AZN"}  # fmt: skip
    refused = client.post("/employer/vacancies/new", data={**form, "action": "publish"})
    assert "Confirm your e-mail address first" in refused.get_data(as_text=True)
    assert _count(Vacancy) == 0  # nothing half-saved
    saved = client.post("/employer/vacancies/new", data={**form, "action": "save"})
    assert saved.status_code == 302
    vacancy = db.session.scalar(sa.select(Vacancy))
    assert vacancy.status == "draft"
    client.post(f"/employer/vacancies/{vacancy.id}/status", data={"action": "publish"})
    db.session.expire_all()
    assert db.session.get(Vacancy, vacancy.id).status == "draft"
    tokens = client.post("/account/tokens", data={"name": "HR system", "scopes": "vacancies"})
    assert "Confirm your e-mail address first" in tokens.get_data(as_text=True)
    client.post(confirmation_link(EMPLOYER["email"]))
    client.post(f"/employer/vacancies/{vacancy.id}/status", data={"action": "publish"})
    db.session.expire_all()
    # confirmed: it goes on to staff, as every vacancy of an organisation not verified yet
    assert db.session.get(Vacancy, vacancy.id).status == "review"


def test_an_employer_registers_with_their_organisation(client):
    response = register_and_confirm(client, "/register/employer", EMPLOYER)
    assert response.status_code == 302 and response.location.endswith("/employer/")
    org = db.session.scalar(sa.select(Employer))
    assert (org.name, org.tax_id, org.verified) == ("Xəzər Logistika MMC", "1400057911", False)
    assert "Xəzər Logistika MMC" in client.get("/employer/").get_data(as_text=True)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"national_id": "12"}, "7-character FIN"),
        ({"password": "short", "confirm": "short"}, "at least 10 characters"),
        ({"confirm": "something else"}, "The passwords differ."),
        ({"consent": ""}, "Please agree to the processing of your data."),
        ({"email": "nobody"}, "valid e-mail"),
        ({"birth_year": "2024"}, "Enter a year of birth from 1930 to"),
    ],
)
def test_bad_seeker_registration_says_why_and_saves_nothing(client, change, message):
    response = client.post("/register/seeker", data={**SEEKER, **change})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert (_count(User), _count(Person)) == (0, 0)


def test_one_submit_reports_every_problem_with_a_summary_linking_to_each_field(client):
    import re

    wrong = {**SEEKER, "first_name": "", "national_id": "12", "email": "nobody",
             "password": "short", "confirm": "other", "birth_year": "1900"}  # fmt: skip
    page = client.post("/register/seeker", data=wrong).get_data(as_text=True)
    summary = page[page.index('class="flash flash-error error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert "There is a problem" in summary
    links = dict(re.findall(r'<a href="#([a-z_]+)">([^<]+)</a>', summary))
    # in the order the page asks: about the person, then the account
    assert list(links) == ["first_name", "national_id", "birth_year", "email", "password",
                           "confirm"], links  # fmt: skip
    assert links["first_name"] == "Enter your first name."
    assert "for example 5ZXK2PL" in links["national_id"]
    assert "at least 10 characters" in links["password"]
    assert all(f'id="{name}"' in page for name in links)  # each link reaches its field
    assert (_count(User), _count(Person)) == (0, 0)
    wrong = {**EMPLOYER, "organisation": "", "tax_id": "12"}
    employer = client.post("/register/employer", data=wrong).get_data(as_text=True)
    assert "Enter the organisation's name." in employer and "10 digits" in employer


def test_a_fin_already_held_is_not_revealed_and_its_owner_is_told(client):
    """Registering with someone else's FIN must not tell whether the FIN is known: the new
    account is made without it, and the FIN's owner is told."""
    from jobmatch.notifications.models import Notification

    client.post("/register/seeker", data=SEEKER)
    same_fin = client.post("/register/seeker", data={**SEEKER, "email": "other@example.org"})
    assert "Check your e-mail" in same_fin.get_data(as_text=True)
    owner, newcomer = db.session.scalars(sa.select(User).order_by(User.id)).all()
    assert owner.person.national_id == SEEKER["national_id"].upper()
    assert newcomer.person.national_id is None
    notices = db.session.scalars(
        sa.select(Notification.kind).where(Notification.user_id == owner.id)
    )
    assert list(notices) == ["national_id_reused"]


def test_an_unclaimed_fin_record_is_taken_over_by_its_owner(client):
    """An employer's notification made a record for a FIN new to the service; the person
    registering with that FIN takes it over, contracts and all."""
    from jobmatch.contracts.services import person_for_hire

    record = person_for_hire(SEEKER["national_id"], "Elvin", "Əliyev")
    db.session.commit()
    response = client.post("/register/seeker", data=SEEKER)
    assert response.status_code == 200
    user = db.session.scalar(sa.select(User))
    assert user.person_id == record.id and _count(Person) == 1
    assert user.person.first_name == SEEKER["first_name"]


def test_an_address_with_an_account_gets_the_same_answer_and_its_owner_is_told(client):
    from jobmatch.notifications.models import OutboxMessage

    first = client.post("/register/seeker", data={**SEEKER, "locale": "en"})
    again = client.post("/register/seeker", data={**SEEKER, "national_id": "", "locale": "en"})
    assert again.status_code == 200
    assert again.get_data() == first.get_data()  # nothing tells the address is known
    assert (_count(User), _count(Person)) == (1, 1)
    subjects = db.session.scalars(
        sa.select(OutboxMessage.subject)
        .where(OutboxMessage.to_address == "aysel@example.org")
        .order_by(OutboxMessage.id)
    ).all()
    assert [s.split(": ")[-1] for s in subjects] == [
        "confirm your e-mail address",
        "you already have an account",
    ]


def test_a_second_registration_of_an_organisation_is_answered_in_the_mailbox(client):
    """Which tax numbers the service holds is not shown on the page: the second registrant
    gets the usual answer, and an e-mail saying whom to ask; nothing is made."""
    from jobmatch.notifications.models import OutboxMessage

    english = {**EMPLOYER, "locale": "en"}
    first = client.post("/register/employer", data=english)
    second = client.post("/register/employer", data={**english, "email": "b@xezer.az"})
    assert second.status_code == 200
    assert second.get_data(as_text=True) == first.get_data(as_text=True).replace(
        "hr@xezer.az", "b@xezer.az"
    )
    assert (_count(Employer), _count(User)) == (1, 1)
    mail = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == "b@xezer.az")
    )
    assert "already registered" in mail.subject and "Xəzər Logistika MMC" in mail.body


def test_login_logout_and_wrong_password(client):
    factories.user("counsellor", email="c@example.org")
    db.session.commit()
    wrong = login(client, "c@example.org", "not the password")
    assert "not correct" in wrong.get_data(as_text=True)
    ok = login(client, "C@Example.org", factories.PASSWORD)
    assert ok.status_code == 302
    assert client.get("/home").location.endswith("/counsellor/")
    assert client.post("/logout").status_code == 302
    assert client.get("/counsellor/").status_code == 302  # back to the login page


def test_a_deactivated_account_cannot_log_in(client):
    factories.user("employer", email="gone@example.org", active=False)
    db.session.commit()
    response = login(client, "gone@example.org", factories.PASSWORD)
    assert response.status_code == 200 and "not correct" in response.get_data(as_text=True)


def test_next_parameter_never_leaves_the_site(client):
    factories.user("admin", email="a@example.org")
    db.session.commit()
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": "a@example.org", "password": factories.PASSWORD},
    )
    assert response.location == "/home"


def _throttled_app(tmp_path, database_url, storage: str):
    return create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        INSTANCE_PATH=str(tmp_path),
        LOGIN_ACCOUNT_RATE_LIMIT="3 per minute",
        RATELIMIT_STORAGE_URI=storage,
    )


def test_repeated_failed_logins_are_throttled_per_account(app, tmp_path, database_url):
    throttled = _throttled_app(tmp_path, database_url, "memory://")
    client = throttled.test_client()
    codes = [login(client, "x@example.org", "wrong").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert login(client, "y@example.org", "wrong").status_code == 200  # another account


def test_throttling_is_shared_through_redis_by_every_process(
    app, tmp_path, database_url, redis_url
):
    first = _throttled_app(tmp_path, database_url, redis_url).test_client()
    assert [login(first, "x@example.org", "wrong").status_code for _ in range(3)] == [200] * 3
    # A second application (as another gunicorn worker would be) sees the same count.
    second = _throttled_app(tmp_path, database_url, redis_url).test_client()
    assert login(second, "x@example.org", "wrong").status_code == 429
    import redis

    assert any(b"login:x@example.org" in key for key in redis.Redis.from_url(redis_url).keys())


def test_forms_need_a_csrf_token_when_protection_is_on(app_with):
    protected = app_with(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    response = client.post("/register/seeker", data=SEEKER)
    assert response.status_code == 400
    assert _count(User) == 0


def test_security_headers_and_cookie_flags(client):
    factories.user("admin", email="a@example.org")
    db.session.commit()
    response = login(client, "a@example.org", factories.PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/")
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"


def test_output_is_escaped(client):
    bad = {**SEEKER, "first_name": "<script>alert(1)</script>", "national_id": ""}
    register_and_confirm(client, "/register/seeker", bad)
    page = client.get("/seeker/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_changing_language_and_password(client):
    factories.user("counsellor", email="c@example.org")
    db.session.commit()
    login(client, "c@example.org", factories.PASSWORD)
    wrong = client.post(
        "/account",
        data={"locale": "ru", "current_password": "nope", "new_password": "Новый пароль 2026"},
    )
    assert "not correct" in wrong.get_data(as_text=True)
    user = db.session.scalar(sa.select(User))
    db.session.refresh(user)
    assert user.locale == "en"  # nothing half-saved
    done = client.post(
        "/account",
        data={
            "locale": "ru",
            "current_password": factories.PASSWORD,
            "new_password": "Новый пароль 2026",
        },
    )
    assert done.status_code == 302
    db.session.refresh(user)
    assert user.locale == "ru" and user.check_password("Новый пароль 2026")


def test_staff_give_the_name_people_know_them_by_and_others_have_no_such_field(client):
    factories.user("counsellor", email="c@example.org")
    factories.user("job_seeker", email="s@example.org")
    db.session.commit()
    login(client, "c@example.org", factories.PASSWORD)
    assert "Your name, as job seekers and employers see it" in client.get("/account").get_data(
        as_text=True
    )
    client.post("/account", data={"name": "  Leyla   Əliyeva ", "locale": "az"})
    counsellor = db.session.scalar(sa.select(User).where(User.email == "c@example.org"))
    assert (counsellor.name, counsellor.display_name) == ("Leyla Əliyeva", "Leyla Əliyeva")
    client.post("/logout")
    login(client, "s@example.org", factories.PASSWORD)
    assert "Your name, as" not in client.get("/account").get_data(as_text=True)
    client.post("/account", data={"name": "Someone else", "locale": "en"})
    seeker = db.session.scalar(sa.select(User).where(User.email == "s@example.org"))
    assert seeker.name == "" and seeker.display_name == seeker.person.full_name
