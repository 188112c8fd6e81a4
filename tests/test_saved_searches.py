"""Job seekers keep searches; a scheduled job tells them of new vacancies that fit, in the app
and by e-mail, once each."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobmatch.accounts.models import User
from jobmatch.alerts.models import SavedSearch
from jobmatch.alerts.tasks import alert_saved_searches
from jobmatch.database import utcnow
from jobmatch.demo.build import DEMO_DOMAIN, DEMO_PASSWORD
from jobmatch.employers.models import Employer
from jobmatch.extensions import db
from jobmatch.matching import services
from jobmatch.notifications.models import Notification, OutboxMessage
from tests import factories
from tests.conftest import login

SEEKER = f"seeker001@{DEMO_DOMAIN}"


@pytest.fixture
def world(demo_world, client):
    demo_world(seed=6, employers=3, vacancies=40, seekers=2)
    login(client, SEEKER, DEMO_PASSWORD)
    return db.session.scalar(sa.select(User).where(User.email == SEEKER))


def _searches() -> list[SavedSearch]:
    db.session.expire_all()
    return db.session.scalars(sa.select(SavedSearch).order_by(SavedSearch.id)).all()


def _notices(user) -> list[Notification]:
    return db.session.scalars(
        sa.select(Notification).where(
            Notification.user_id == user.id, Notification.kind == "saved_search"
        )
    ).all()


def _post(title: str, region: str = "baku", **fields):
    org = db.session.scalars(sa.select(Employer)).first()
    row = factories.vacancy(org, title=title, region=region, **fields)
    db.session.commit()
    services.sync("vacancy")
    return row


def test_a_search_is_saved_from_the_results_page(client, world, app):
    page = client.get("/vacancies/?q=nurse&region=baku").get_data(as_text=True)
    assert "Save this search and get alerts" in page
    response = client.post(
        "/vacancies/searches",
        data={"q": "nurse", "region": "baku", "salary": "700", "name": "", "alerts": "1"},
    )
    assert response.status_code == 302 and response.location.endswith("/seeker/searches")
    [row] = _searches()
    assert (row.name, row.alerts) == ("nurse, Baku, from 700 AZN", True)
    assert row.criteria == {"q": "nurse", "region": "baku", "salary": "700"}
    page = client.get("/seeker/searches").get_data(as_text=True)
    assert "/vacancies/?" in page and "Alerts on" in page

    nothing = client.post("/vacancies/searches", data={"name": "all"}, follow_redirects=True)
    assert "before saving" in nothing.get_data(as_text=True)
    app.config["SAVED_SEARCHES_MAX"] = 1
    full = client.post("/vacancies/searches", data={"q": "cook"}, follow_redirects=True)
    assert "at most 1 searches" in full.get_data(as_text=True)
    assert len(_searches()) == 1


def test_new_vacancies_that_fit_are_announced_once(client, world):
    client.post("/vacancies/searches", data={"q": "nurse", "alerts": "1"})
    client.post("/vacancies/searches", data={"region": "karabakh", "alerts": "1"})
    client.post("/vacancies/searches", data={"q": "welder", "alerts": ""})  # alerts off
    for row in _searches():  # as if saved a while ago
        row.checked_at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    nurse = _post("Nurse", description="Care for patients in the hospital ward.")
    welder = _post("Welder", region="karabakh", description="Weld steel structures.")

    outcome = alert_saved_searches()
    assert outcome == {"checked": 2, "announced": 2, "failed": 0}
    notices = {n.data["name"]: n for n in _notices(world)}
    assert set(notices) == {"nurse", "Karabakh"}
    assert notices["nurse"].data["titles"] == ["Nurse"] and notices["nurse"].data["count"] == 1
    assert notices["Karabakh"].data["titles"] == ["Welder"]
    assert "/vacancies/?q=nurse" in notices["nurse"].link
    by_name = {s.name: s for s in _searches()}
    assert by_name["nurse"].announced == [nurse.id]
    assert by_name["Karabakh"].announced == [welder.id]
    mail = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to_address == SEEKER))
    assert any("1 new vacancy for your search “nurse”" in m.subject for m in mail)

    assert alert_saved_searches()["announced"] == 0  # nothing twice
    _post("Senior nurse", description="Lead the nurses of a surgical ward.")
    assert alert_saved_searches()["announced"] == 1
    page = client.get("/notifications/").get_data(as_text=True)
    assert "new vacancy for your search" in page


def test_alerts_turn_off_and_searches_are_private(client, world):
    client.post("/vacancies/searches", data={"q": "nurse", "alerts": "1"})
    [row] = _searches()
    client.post(f"/seeker/searches/{row.id}/alerts", data={"alerts": "0"})
    assert _searches()[0].alerts is False
    factories.user("job_seeker", email="other@example.org")
    db.session.commit()
    client.post("/logout")
    login(client, "other@example.org", factories.PASSWORD)
    assert client.post(f"/seeker/searches/{row.id}/delete").status_code == 404
    assert client.post(f"/seeker/searches/{row.id}/alerts", data={"alerts": "1"}).status_code == 404
    assert "nurse" not in client.get("/seeker/searches").get_data(as_text=True)
    client.post("/logout")
    login(client, SEEKER, DEMO_PASSWORD)
    client.post(f"/seeker/searches/{row.id}/delete")
    assert _searches() == []
