"""Limits keyed on what they limit: the login on the normalised account and the client
address (others' failures never lock the owner out), the API on the token once parsed,
registration per address, and the client address read through trusted proxies only."""

from jobmatch.api import tokens
from jobmatch.extensions import db
from tests import factories
from tests.conftest import login

ELSEWHERE = {"REMOTE_ADDR": "127.0.0.2"}


def test_an_attacker_failing_elsewhere_does_not_lock_the_owner_out(app, app_with):
    owner = factories.user("job_seeker", email="owner@example.org")
    db.session.commit()
    site = app_with(LOGIN_ACCOUNT_RATE_LIMIT="3 per minute")
    attacker = site.test_client()
    codes = [login(attacker, owner.email, "guess").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    page = attacker.post("/login", data={"email": owner.email, "password": "guess"})
    assert "try again in" in page.get_data(as_text=True)  # says when
    assert page.headers.get("Retry-After")
    device = site.test_client()
    device.environ_base.update(ELSEWHERE)
    answer = device.post("/login", data={"email": owner.email, "password": factories.PASSWORD})
    assert answer.status_code == 302  # the right password from the owner's own device


def test_another_spelling_of_the_address_counts_the_same(app, app_with):
    """Full-width letters reach the same account, so they reach the same limit."""
    factories.user("job_seeker", email="x@sectest.az")
    db.session.commit()
    client = app_with(LOGIN_ACCOUNT_RATE_LIMIT="3 per minute").test_client()
    spellings = ["x@sectest.az", "X@ｓｅｃｔｅｓｔ.az", "x@SECTEST.AZ", "x@ｓｅｃｔｅｓｔ.az"]
    codes = [login(client, email, "wrong").status_code for email in spellings]
    assert codes == [200, 200, 200, 429]


def test_registration_is_rate_limited_per_address(app, app_with):
    client = app_with(REGISTER_RATE_LIMIT="2 per hour").test_client()
    codes = [client.post("/register/seeker", data={}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_behind_a_configured_proxy_each_client_has_its_own_login_limit(app, app_with):
    site = app_with(LOGIN_RATE_LIMIT="2 per minute", PROXY_COUNT=1)
    client = site.test_client()

    def attempt(address):
        headers = {"X-Forwarded-For": address}
        return client.post("/login", data={"email": "a@b.az", "password": "x"}, headers=headers)

    assert [attempt("127.0.0.5").status_code for _ in range(3)] == [200, 200, 429]
    assert attempt("127.0.0.6").status_code == 200  # another client behind the same proxy
    # without the setting the header is not believed: everyone is the proxy's address
    direct = app_with(LOGIN_RATE_LIMIT="2 per minute").test_client()
    codes = [
        direct.post(
            "/login", data={"email": "a@b.az"}, headers={"X-Forwarded-For": f"127.0.1.{i}"}
        ).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


def test_the_api_limit_follows_the_token_however_its_header_is_written(app, app_with):
    employer = factories.user("employer")
    db.session.commit()
    _token, secret = tokens.issue(employer, "HR", ["vacancies:read"])
    db.session.commit()
    client = app_with(API_RATE_LIMIT="3 per minute").test_client()
    spellings = [f"Bearer {secret}", f"Bearer {secret} \t", f"bearer  {secret}", f"Bearer {secret}"]
    codes = [
        client.get("/api/v1/vacancies", headers={"Authorization": h}).status_code for h in spellings
    ]
    assert codes == [200, 200, 200, 429]
