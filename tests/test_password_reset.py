"""Forgotten passwords: a single-use, time-limited link by e-mail, the same answer whether or
not the address exists, rate limited and audited; the new password follows the rules and
ends every other session."""

import re

import pytest
import sqlalchemy as sa
from flask import g

from jobmatch.accounts.models import AccountSession, User
from jobmatch.audit.models import AuditEvent
from jobmatch.extensions import db
from jobmatch.notifications.models import OutboxMessage
from tests import factories
from tests.conftest import login

NEW = "Qız qalası 1070 il"


def _link(address: str) -> str | None:
    body = db.session.scalar(
        sa.select(OutboxMessage.body)
        .where(OutboxMessage.to_address == address)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    found = re.search(r"(/password/reset/\S+)", body or "")
    return found.group(1) if found else None


@pytest.fixture
def owner(app):
    user = factories.user("job_seeker", email="leyla@example.org")
    db.session.commit()
    return user


def test_a_link_sets_a_new_password_once_and_ends_other_sessions(app, client, owner):
    elsewhere = app.test_client()
    login(elsewhere, owner.email, factories.PASSWORD)
    g.pop("_login_user", None)
    answer = client.post("/password/forgot", data={"email": "Leyla@Example.org"})
    assert answer.status_code == 302
    link = _link(owner.email)
    assert link is not None
    page = client.get(link)
    assert page.status_code == 200 and "Set a new password" in page.get_data(as_text=True)
    weak = client.post(link, data={"password": "Password12", "confirm": "Password12"})
    assert "too easy to guess" in weak.get_data(as_text=True)
    done = client.post(link, data={"password": NEW, "confirm": NEW})
    assert done.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, owner.id)
    assert user.check_password(NEW) and not user.check_password(factories.PASSWORD)
    assert db.session.query(AccountSession).filter_by(user_id=user.id).count() == 1  # this one
    g.pop("_login_user", None)
    assert elsewhere.get("/account").status_code == 302  # the other device is logged out
    again = client.get(link)  # used: dead
    assert again.status_code == 302 and "/password/forgot" in again.location
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"account.password_reset_requested", "account.password_reset"} <= actions


def test_a_password_change_kills_an_unused_link(app, client, owner):
    client.post("/password/forgot", data={"email": owner.email})
    link = _link(owner.email)
    user = db.session.get(User, owner.id)
    user.set_password("Another strong secret 2026")
    db.session.commit()
    assert client.get(link).status_code == 302


def test_an_expired_link_is_refused(app, client, owner):
    client.post("/password/forgot", data={"email": owner.email})
    link = _link(owner.email)
    app.config["PASSWORD_RESET_SECONDS"] = -1
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and "/password/forgot" in response.location
    assert db.session.get(User, owner.id).check_password(factories.PASSWORD)


def test_the_answer_does_not_tell_whether_the_address_has_an_account(app, client, owner):
    known = client.post("/password/forgot", data={"email": owner.email}, follow_redirects=True)
    unknown = client.post(
        "/password/forgot", data={"email": "nobody@example.org"}, follow_redirects=True
    )
    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    assert _link("nobody@example.org") is None


def test_asking_for_links_is_rate_limited(app_with, owner):
    limited = app_with(RESET_RATE_LIMIT="2 per hour").test_client()
    codes = [
        limited.post("/password/forgot", data={"email": owner.email}).status_code for _ in range(3)
    ]
    assert codes == [302, 302, 429]
