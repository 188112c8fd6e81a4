"""Job-scam harvesting: an employer sees a person's contact details and CV only for its own
published vacancy, once staff verified the organisation, and only for people who applied,
were referred, or agreed to be contacted and are among the vacancy's candidates; opening
many people's details in an hour is stopped and reported."""

import sqlalchemy as sa

from jobmatch.audit.models import AuditEvent
from jobmatch.extensions import db
from jobmatch.notifications.models import Notification
from tests import factories
from tests.conftest import as_user


def _people(n: int, consent: bool = True) -> list:
    seekers = []
    for _ in range(n):
        seeker = factories.user("job_seeker")
        seeker.person.consent_contact = consent
        seeker.person.phone = "+994501234567"
        seekers.append(seeker)
    return seekers


def _person_page(client, vacancy, seeker):
    return client.get(f"/employer/vacancies/{vacancy.id}/people/{seeker.person.seeker_profile.id}")


def test_an_unverified_employer_with_a_draft_reads_no_one(app, client):
    """The attack as found: a self-registered employer counts ids on its draft's pages."""
    owner = factories.user("employer")
    org = factories.employer(owner=owner, verified=False)
    draft = factories.vacancy(org, status="draft")
    seekers = _people(15)
    db.session.commit()
    as_user(client, owner.email)
    pages = [_person_page(client, draft, s) for s in seekers]
    assert [p.status_code for p in pages] == [404] * 15
    assert not any(b"+994501234567" in p.data for p in pages)


def test_consent_alone_does_not_open_details_to_any_verified_employer(app, client):
    """A published vacancy of a verified employer, people who agreed to be contacted but are
    not among its candidates (the vacancy is not even ranked): nothing shows."""
    owner = factories.user("employer")
    post = factories.vacancy(factories.employer(owner=owner))
    seekers = _people(3)
    db.session.commit()
    as_user(client, owner.email)
    assert all(_person_page(client, post, s).status_code == 404 for s in seekers)


def test_applicants_are_shown_once_the_employer_is_verified(app, client):
    owner = factories.user("employer")
    org = factories.employer(owner=owner, verified=False)
    post = factories.vacancy(org)
    (seeker,) = _people(1, consent=False)
    factories.application(seeker, post)
    db.session.commit()
    as_user(client, owner.email)
    assert _person_page(client, post, seeker).status_code == 404  # unverified
    candidates = client.get(f"/employer/vacancies/{post.id}/candidates")
    assert seeker.person.last_name.encode() not in candidates.data

    staff = factories.user("counsellor")
    db.session.commit()
    as_user(client, staff.email)
    refused = client.post(
        f"/admin/employers/{org.id}/verification",
        data={"evidence": "document", "note": "State register extract"},
        follow_redirects=True,
    )
    assert b"tax register" in refused.data and not db.session.get(type(org), org.id).verified
    client.post(
        f"/admin/employers/{org.id}/verification",
        data={"tax_id_checked": "1", "evidence": "document", "note": "State register extract"},
    )
    db.session.expire_all()
    assert org.verified and org.verified_by_id == staff.id
    as_user(client, owner.email)
    page = _person_page(client, post, seeker)
    assert page.status_code == 200 and b"+994501234567" in page.data

    as_user(client, staff.email)
    client.post(
        f"/admin/employers/{org.id}/verification",
        data={"action": "withdraw", "reason": "The tax number belongs to another company"},
    )
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"employer.verified", "employer.verification_withdrawn"} <= actions
    as_user(client, owner.email)
    assert _person_page(client, post, seeker).status_code == 404


def test_opening_many_people_is_stopped_and_reported(app, client):
    app.config["CONTACT_VIEWS_PER_HOUR"] = 3
    owner = factories.user("employer")
    admin = factories.user("admin")
    post = factories.vacancy(factories.employer(owner=owner))
    seekers = _people(5, consent=False)
    for seeker in seekers:
        factories.application(seeker, post)
    db.session.commit()
    as_user(client, owner.email)
    codes = [_person_page(client, post, s).status_code for s in seekers]
    assert codes == [200, 200, 200, 429, 429]
    assert _person_page(client, post, seekers[0]).status_code == 200  # seen already: fine
    flags = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "employer.contact_views_flagged")
    ).all()
    assert len(flags) == 1  # reported once, not at every refusal
    notices = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == admin.id)
    ).all()
    assert [n.kind for n in notices] == ["contact_views_flagged"]
