"""Stolen cookies can be revoked: logout, logout everywhere, a password change and
deactivation end the sessions they should; remember-me cookies are bound to them."""

from flask import g

from jobmatch.accounts.models import AccountSession
from jobmatch.extensions import db
from tests import factories
from tests.conftest import login


def _cookies(client) -> dict[str, str]:
    return {c.key: c.value for c in client._cookies.values()}


def _replay(app, cookies: dict[str, str]):
    """A new browser holding copies of the cookies, as a thief would."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    g.pop("_login_user", None)  # the tests hold one app context: no user cached from before
    return thief.get("/account")


def _seeker():
    user = factories.user("job_seeker")
    db.session.commit()
    return user


def test_a_session_cookie_copied_before_logout_stops_working(app, client):
    user = _seeker()
    assert login(client, user.email, factories.PASSWORD).status_code == 302
    stolen = _cookies(client)
    assert _replay(app, stolen).status_code == 200  # the copy works while the session lives
    g.pop("_login_user", None)
    client.post("/logout")
    response = _replay(app, stolen)
    assert response.status_code == 302 and "/login" in response.location


def test_a_remember_me_cookie_alone_dies_with_its_session(app, client):
    user = _seeker()
    client.post(
        "/login", data={"email": user.email, "password": factories.PASSWORD, "remember": "y"}
    )
    remember = {"remember_token": _cookies(client)["remember_token"]}
    assert _replay(app, remember).status_code == 200
    g.pop("_login_user", None)
    client.post("/logout")
    assert _replay(app, remember).status_code == 302


def test_a_password_change_ends_every_other_session(app, client):
    user = _seeker()
    other_device = app.test_client()
    login(other_device, user.email, factories.PASSWORD)
    stolen = _cookies(other_device)
    g.pop("_login_user", None)
    login(client, user.email, factories.PASSWORD)
    g.pop("_login_user", None)
    response = client.post(
        "/account",
        data={
            "locale": "en",
            "current_password": factories.PASSWORD,
            "new_password": "a much better secret 2026",
        },
    )
    assert response.status_code == 302
    assert _replay(app, stolen).status_code == 302  # the other device is logged out
    assert _replay(app, _cookies(client)).status_code == 200  # this one goes on
    assert db.session.query(AccountSession).filter_by(user_id=user.id).count() == 1


def test_logout_everywhere_and_deactivation_end_all_sessions(app, client):
    user = _seeker()
    devices = [app.test_client() for _ in range(3)]
    stolen = []
    for device in devices:
        g.pop("_login_user", None)
        login(device, user.email, factories.PASSWORD)
        stolen.append(_cookies(device))
    g.pop("_login_user", None)
    devices[0].post("/logout/everywhere")
    assert all(_replay(app, c).status_code == 302 for c in stolen)

    g.pop("_login_user", None)
    login(client, user.email, factories.PASSWORD)
    stolen = _cookies(client)
    admin = factories.user("admin")
    from jobmatch.accounts.services import set_active

    set_active(admin, db.session.get(type(user), user.id), False)
    db.session.commit()
    assert _replay(app, stolen).status_code == 302


def test_the_session_is_rotated_at_login(app, client):
    """Whatever a visitor's session held before the login does not carry over."""
    user = _seeker()
    with client.session_transaction() as before:
        before["planted"] = "by someone else"
    login(client, user.email, factories.PASSWORD)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["_user_id"].startswith(f"{user.id}:")
