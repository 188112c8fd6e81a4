"""The applications pipeline as both sides live it: a receipt, the history, a withdrawal the
employer sees, an interview's time and place, a rejection with its reason told kindly, undo
of a wrong click, and the last hire filling the vacancy."""

import pytest
import sqlalchemy as sa

from jobmatch.accounts.models import User
from jobmatch.extensions import db
from jobmatch.notifications.models import Notification
from jobmatch.notifications.services import text_of
from jobmatch.vacancies.models import Application, ApplicationEvent, Vacancy
from tests import factories
from tests.conftest import as_user

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def world(app):
    owner = factories.user("employer", email="hr@example.org")
    employer = factories.employer(owner=owner, name="Dəniz Restoranı")
    vacancy = factories.vacancy(employer, title="Aşpaz", positions=1)
    for n in range(3):
        factories.user("job_seeker", email=f"s{n}@example.org")
    db.session.commit()
    return vacancy.id


def _apply(client, n: int, vacancy_id: int) -> int:
    as_user(client, f"s{n}@example.org").post(f"/vacancies/{vacancy_id}/apply", data={})
    return db.session.scalar(sa.select(sa.func.max(Application.id)))


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _application(application_id: int) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application_id)


def _notices(email: str, kind: str) -> list[str]:
    db.session.expire_all()
    user = _user(email)
    rows = db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == user.id, Notification.kind == kind)
        .order_by(Notification.id)
    )
    return [text_of(n) for n in rows]


def test_the_applicant_follows_and_withdraws_and_the_employer_sees_it(client, world):
    first = _apply(client, 0, world)
    assert _notices("s0@example.org", "application_sent") == [
        "Your application to “Aşpaz” (Dəniz Restoranı) is sent. You can follow it, and "
        "withdraw it, on your page."
    ]
    page = client.get("/seeker/").get_data(as_text=True)
    assert "Dəniz Restoranı" in page and "What happened" in page and "Withdraw…" in page

    # no one withdraws another person's application
    other = _apply(client, 1, world)
    assert client.post(f"/seeker/applications/{first}/withdraw").status_code == 404
    assert _application(first).status == "received"

    seeker = as_user(client, "s0@example.org")
    answer = seeker.post(f"/seeker/applications/{first}/withdraw", follow_redirects=True)
    assert "Your application to “Aşpaz” is withdrawn." in answer.get_data(as_text=True)
    assert _application(first).status == "withdrawn"
    assert [e.status for e in _application(first).events] == ["received", "withdrawn"]
    assert _notices("hr@example.org", "application_withdrawn")[0].endswith(
        "withdrew their application to “Aşpaz”."
    )
    again = seeker.post(f"/seeker/applications/{first}/withdraw", follow_redirects=True)
    assert "can no longer be withdrawn" in again.get_data(as_text=True)
    employer = as_user(client, "hr@example.org")
    page = employer.get(f"/employer/vacancies/{world}/applications").get_data(as_text=True)
    assert "Withdrawn" in page and f'id="application-{other}"' in page


def test_an_interview_needs_a_time_and_a_place_and_both_sides_see_them(client, world):
    application = _apply(client, 0, world)
    employer = as_user(client, "hr@example.org")
    url = f"/employer/applications/{application}/status"
    employer.post(url, data={"status": "shortlisted"})
    for bad, message in [
        ({}, "Give the interview&#39;s date and time."),
        ({"interview_at": "soon"}, "Enter a date and time"),
        ({"interview_at": "2001-01-01T10:00"}, "The interview&#39;s date has passed."),
        ({"interview_at": "2099-01-01T10:00"}, "Say where the interview is"),
    ]:
        answer = employer.post(url, data={"status": "interview", **bad}, follow_redirects=True)
        assert message in answer.get_data(as_text=True), bad
        assert _application(application).status == "shortlisted"  # nothing half-saved
    answer = employer.post(
        url,
        data={
            "status": "interview",
            "interview_at": "2099-01-05T11:00",
            "interview_place": "Nizami küç. 10",
        },  # fmt: skip
    )
    assert answer.location.endswith(f"#application-{application}")  # back to where it was
    event = _application(application).events[-1]
    assert (event.status, event.interview_place) == ("interview", "Nizami küç. 10")
    assert event.interview_at.hour == 7  # 11:00 in Baku is 07:00 UTC
    page = as_user(client, "s0@example.org").get("/seeker/").get_data(as_text=True)
    assert "Interview: 5 Jan 2099, 11:00" in page and "Nizami küç. 10" in page


def test_a_rejection_gives_its_reason_kindly_and_a_wrong_click_is_undone(client, world):
    application = _apply(client, 0, world)
    employer = as_user(client, "hr@example.org")
    url = f"/employer/applications/{application}/status"
    refused = employer.post(url, data={"status": "rejected"}, follow_redirects=True)
    assert "Choose the reason the applicant is told." in refused.get_data(as_text=True)
    refused = employer.post(url, data={"status": "rejected", "reason": "other"})
    assert _application(application).status == "received"
    employer.post(url, data={"status": "rejected", "reason": "experience",
                             "message": "We will keep your CV."})  # fmt: skip
    assert _application(application).status == "rejected"
    [told] = _notices("s0@example.org", "application_status")
    assert told == (
        "Thank you for applying to “Aşpaz”. The employer will not go on with your "
        "application: The employer chose a candidate whose experience is closer to the job. "
        "The employer's message: We will keep your CV."
    )
    page = employer.get(f"/employer/vacancies/{world}/applications").get_data(as_text=True)
    assert "Undo the last step (back to “Received”)" in page
    employer.post(f"/employer/applications/{application}/undo")
    assert _application(application).status == "received"
    assert [e.status for e in _application(application).events] == ["received"]
    assert "taken back: it is Received again" in _notices("s0@example.org", "application_status")[1]
    nothing = employer.post(f"/employer/applications/{application}/undo", follow_redirects=True)
    assert "There is no step to undo" in nothing.get_data(as_text=True)
    # another employer can neither move nor undo
    factories.employer(owner=factories.user("employer", email="other@example.org"))
    db.session.commit()
    other = as_user(client, "other@example.org")
    assert other.post(f"/employer/applications/{application}/undo").status_code == 404


def test_hiring_the_last_position_fills_the_vacancy_and_tells_the_others(client, world):
    hired, waiting, withdrawn = (_apply(client, n, world) for n in range(3))
    as_user(client, "s2@example.org").post(f"/seeker/applications/{withdrawn}/withdraw")
    employer = as_user(client, "hr@example.org")
    url = f"/employer/applications/{hired}/status"
    employer.post(url, data={"status": "shortlisted"})
    employer.post(url, data={"status": "interview", "interview_at": "2099-01-05T11:00",
                             "interview_place": "HQ"})  # fmt: skip
    employer.post(url, data={"status": "offered"})
    page = employer.get(f"/employer/vacancies/{world}/applications").get_data(as_text=True)
    assert "This fills the last position" in page  # said before the hire is confirmed
    answer = employer.post(url, data={"status": "hired"}, follow_redirects=True)
    assert "Every position is filled" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Vacancy, world).status == "filled"
    statuses = {a.id: (a.status, a.events[-1].reason) for a in db.session.scalars(
        sa.select(Application))}  # fmt: skip
    assert statuses == {hired: ("hired", None), waiting: ("rejected", "filled"),
                        withdrawn: ("withdrawn", None)}  # fmt: skip
    assert _notices("s1@example.org", "application_status")[-1].startswith(
        "Thank you for applying to “Aşpaz”. The employer will not go on with your "
        "application: The position has been filled."
    )
    assert _notices("s2@example.org", "application_status") == []  # had withdrawn
    # a filled vacancy leaves the search; a rejection for it is not undone from here
    assert f'href="/vacancies/{world}"' not in client.get("/vacancies/").get_data(as_text=True)
    employer.post(f"/employer/applications/{waiting}/undo")
    assert _application(waiting).status == "rejected"


def test_the_api_moves_an_application_with_the_same_rules(client, world):
    from jobmatch.api import tokens

    application = _apply(client, 0, world)
    owner = _user("hr@example.org")
    _token, secret = tokens.issue(owner, "HR system", ["applications:write"])
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/applications/{application}"
    refused = client.patch(url, json={"status": "rejected"}, headers=headers)
    assert refused.status_code == 422 and "reason" in refused.get_data(as_text=True)
    done = client.patch(url, json={"status": "rejected", "reason": "skills"}, headers=headers)
    assert done.status_code == 200 and done.json["status"] == "rejected"
    assert db.session.scalar(sa.select(ApplicationEvent.reason).order_by(
        ApplicationEvent.id.desc()).limit(1)) == "skills"  # fmt: skip
