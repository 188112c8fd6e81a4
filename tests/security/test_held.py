"""The kinds of attack that held when the service was probed, kept under test: every form
refuses a POST without its CSRF token, and text people write comes out escaped on the pages
another role reads. (Cross-tenant reads and writes and role escalation: tests/test_access.)"""

import re
from datetime import date

import sqlalchemy as sa

from jobmatch.contracts.models import LabourContract
from jobmatch.counselling.models import CaseNote, Referral
from jobmatch.extensions import db
from tests import factories
from tests.conftest import as_user

SCRIPT = "<script>alert(1)</script>"


def test_every_form_refuses_a_post_without_its_csrf_token(app_with):
    protected = app_with(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    checked = []
    for rule in protected.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule)
        response = client.post(path, data={"anything": "1"})
        assert response.status_code == 400, f"{rule.rule}: {response.status_code}"
        checked.append(rule.rule)
    assert len(checked) > 40  # every site form, not a handful


def test_text_people_write_is_escaped_where_another_role_reads_it(app, client):
    owner = factories.user("employer")
    org = factories.employer(owner=owner)
    org.name = f"Org {SCRIPT}"
    post = factories.vacancy(org, title=f"Cook {SCRIPT}", description=f"Dishes {SCRIPT}")
    seeker = factories.user("job_seeker")
    seeker.person.first_name = f"Aysel {SCRIPT}"
    seeker.person.city = f"Baku {SCRIPT}"
    profile = seeker.person.seeker_profile
    profile.cv_text, profile.desired_title = f"CV {SCRIPT}", f"Cook {SCRIPT}"
    factories.application(seeker, post).message = f"Hello {SCRIPT}"
    counsellor = factories.user("counsellor")
    db.session.add(CaseNote(person_id=seeker.person_id, author=counsellor, body=f"Note {SCRIPT}"))
    db.session.add(
        Referral(counsellor=counsellor, seeker=profile, vacancy=post, note=f"Ref {SCRIPT}")
    )
    db.session.add(
        LabourContract(
            employer_id=org.id, person_id=seeker.person_id, position=f"Chef {SCRIPT}",
            start_date=date(2025, 1, 1), contract_type="permanent", working_time="part_time",
            status="active",
        )
    )  # fmt: skip
    db.session.commit()

    pages = {"public vacancy": client.get(f"/vacancies/{post.id}")}
    as_user(client, owner.email)
    pages["applications"] = client.get(f"/employer/vacancies/{post.id}/applications")
    pages["person (CV)"] = client.get(f"/employer/vacancies/{post.id}/people/{profile.id}")
    pages["contracts"] = client.get("/employer/contracts")
    as_user(client, seeker.email)
    pages["my work"] = client.get("/me/work")
    as_user(client, counsellor.email)
    pages["case page"] = client.get(f"/counsellor/seekers/{profile.id}")
    for name, page in pages.items():
        html = page.get_data(as_text=True)
        assert page.status_code == 200, name
        assert SCRIPT not in html, f"unescaped script on the {name} page"
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, name
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseNote)) == 1
