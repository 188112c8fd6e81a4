"""Deletion that deletes: after a person asks, nothing anywhere (any table, any file the
service wrote) holds their name, e-mail, phone or the words they wrote."""

import sqlalchemy as sa

from jobmatch.contracts import registration
from jobmatch.contracts.models import UnemploymentRegistration
from jobmatch.extensions import db
from jobmatch.notifications.delivery import deliver
from jobmatch.vacancies.services import apply
from tests import factories
from tests.conftest import as_user

SECRETS = {
    "first name": "Gülnarə",
    "last name": "Məmmədzadə",
    "e-mail": "gulnare.mammadzade@example.org",
    "phone": "+994 55 777 12 34",
    "application message": "I cooked for twelve years at the Shirvan hotel",
    "cv": "Pastry chef, laminated doughs, sugar work",
}


def _everything_stored(app) -> str:
    """Every row of every table, and every file under the instance folder, as text."""
    parts = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                parts.append(" ".join(str(v) for v in row))
    from pathlib import Path

    for path in Path(app.config["INSTANCE_PATH"]).rglob("*"):
        if path.is_file():
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def test_nothing_of_a_deleted_person_remains_anywhere(app, client):
    owner = factories.user("employer")
    post = factories.vacancy(factories.employer(owner=owner))
    counsellor = factories.user("counsellor")
    seeker = factories.user("job_seeker", email=SECRETS["e-mail"])
    person = seeker.person
    person.first_name, person.last_name = SECRETS["first name"], SECRETS["last name"]
    person.phone = SECRETS["phone"]
    person.seeker_profile.cv_text = SECRETS["cv"]
    db.session.commit()
    with app.test_request_context():
        apply(person.seeker_profile, post, SECRETS["application message"])
        registration.register(counsellor, person, ["identity_card"])
    db.session.commit()
    deliver()  # the employer's "… applied" e-mail is written out as a file
    db.session.commit()
    everything = _everything_stored(app)
    assert all(secret in everything for secret in SECRETS.values())  # the check can see them

    as_user(client, SECRETS["e-mail"])
    response = client.post("/me/delete", data={"confirm": "yes", "password": factories.PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    everything = _everything_stored(app)
    left = [what for what, secret in SECRETS.items() if secret in everything]
    assert left == [], f"still stored after deletion: {left}"
    reg = db.session.scalar(sa.select(UnemploymentRegistration))
    assert reg.status == "ended"  # out of the counsellor's caseload
    as_user(client, owner.email)
    page = client.get(f"/employer/vacancies/{post.id}/applications").get_data(as_text=True)
    assert SECRETS["application message"] not in page and SECRETS["last name"] not in page
