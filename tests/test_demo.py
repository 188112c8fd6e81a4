import re

import pytest
import sqlalchemy as sa

from jobmatch.accounts.models import User
from jobmatch.counselling.models import Referral
from jobmatch.demo.build import DEMO_PASSWORD, build_demo, demo_accounts, has_demo
from jobmatch.extensions import db
from jobmatch.seekers.models import SeekerProfile
from jobmatch.taxonomy import services as taxonomy
from jobmatch.vacancies.models import Application, Vacancy
from jobmatch.validation import InvalidInput


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _snapshot():
    titles = db.session.scalars(sa.select(Vacancy.title).order_by(Vacancy.id)).all()
    cvs = db.session.scalars(sa.select(SeekerProfile.cv_text).order_by(SeekerProfile.id)).all()
    return titles, cvs


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_demo_is_multilingual_and_deterministic(app, mini_esco):
    taxonomy.load(mini_esco)
    build_demo(seed=7, employers=6, vacancies=60, seekers=80)
    db.session.commit()
    assert has_demo()
    assert (_count(Vacancy), _count(SeekerProfile)) == (60, 80)
    languages = set(db.session.scalars(sa.select(Vacancy.text_language)))
    assert languages == {"en", "fr", "ar", "az", "ru"}
    texts = " ".join(db.session.scalars(sa.select(Vacancy.description)))
    assert re.search(r"[\u0600-\u06FF]", texts), "Arabic text expected"
    assert re.search(r"[\u0400-\u04FF]", texts), "Cyrillic text expected"
    assert re.search(r"[əğıöüşç]", texts), "Azerbaijani letters expected"
    assert "lorem" not in texts.lower()
    first = _snapshot()

    for model in reversed(db.metadata.sorted_tables):
        if model.name not in {"occupation", "skill", "occupation_skill", "isco_group"}:
            db.session.execute(model.delete())
    build_demo(seed=7, employers=6, vacancies=60, seekers=80)
    db.session.commit()
    assert _snapshot() == first


def test_full_demo_has_the_promised_size_and_accounts(app, mini_esco):
    taxonomy.load(mini_esco)
    build_demo()
    db.session.commit()
    assert _count(Vacancy) == 300
    assert _count(SeekerProfile) == 600
    assert db.session.scalar(sa.select(sa.func.count()).where(User.role == "employer")) == 30
    assert _count(Application) > 100
    assert _count(Referral) > 0
    counsellor = db.session.scalar(sa.select(User).where(User.role == "counsellor"))
    caseload = db.session.scalar(
        sa.select(sa.func.count()).where(SeekerProfile.counsellor_id == counsellor.id)
    )
    assert caseload == 40
    for _role, email in demo_accounts():
        account = db.session.scalar(sa.select(User).where(User.email == email))
        assert account.check_password(DEMO_PASSWORD)


def test_demo_refuses_to_run_without_the_taxonomy_and_adds_nothing(app):
    with pytest.raises(InvalidInput, match="taxonomy"):
        build_demo(employers=2, vacancies=2, seekers=2)
    db.session.rollback()
    assert _count(User) == 0


def test_demo_statuses_follow_the_employment_rules(app, mini_esco):
    """The demo moves people through the contracts services, as the site does: every status
    other than "looking for work" has its change in the audit log, an employed person has a
    running contract that began, a registered one an open registration, and nobody hired
    is still registered."""
    from jobmatch.audit.models import AuditEvent
    from jobmatch.contracts.models import LabourContract, UnemploymentRegistration
    from jobmatch.people.models import Person

    taxonomy.load(mini_esco)
    build_demo(seed=3, employers=8, vacancies=80, seekers=160)
    db.session.commit()
    changed = set(
        db.session.scalars(
            sa.select(AuditEvent.person_id).where(AuditEvent.action == "status.changed")
        )
    )
    working = set(
        db.session.scalars(
            sa.select(LabourContract.person_id).where(
                LabourContract.status == "active", LabourContract.began.is_(True)
            )
        )
    )
    registered = set(
        db.session.scalars(
            sa.select(UnemploymentRegistration.person_id).where(
                UnemploymentRegistration.status == "active"
            )
        )
    )
    people = db.session.scalars(sa.select(Person).where(Person.employment_status.is_not(None)))
    by_status: dict[str, set[int]] = {}
    for person in people:
        by_status.setdefault(person.employment_status, set()).add(person.id)
    assert by_status.get("employed") and by_status.get("registered_unemployed")
    assert by_status["employed"] == working
    assert by_status["registered_unemployed"] == registered
    assert (by_status["employed"] | by_status["registered_unemployed"]) <= changed
