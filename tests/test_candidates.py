"""An employer's ranked candidates: the why for each, names only where the person allows it."""

import re

import pytest
import sqlalchemy as sa

from jobmatch.demo.build import DEMO_DOMAIN, DEMO_PASSWORD
from jobmatch.employers.models import Employer
from jobmatch.extensions import db
from jobmatch.matching import services
from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies.models import Application, Vacancy
from tests.conftest import login


@pytest.fixture
def world(demo_world, client):
    demo_world(seed=6, employers=2, vacancies=12, seekers=12)
    for profile in db.session.scalars(sa.select(SeekerProfile)):
        profile.visible, profile.person.consent_contact = True, False  # findable, not named
    db.session.commit()
    services.sync("seeker", db.session.scalars(sa.select(SeekerProfile.id)).all())  # its jobs
    login(client, f"employer01@{DEMO_DOMAIN}", DEMO_PASSWORD)
    employer = db.session.scalars(sa.select(Employer).order_by(Employer.id)).first()
    return db.session.scalars(
        sa.select(Vacancy).where(Vacancy.employer_id == employer.id).order_by(Vacancy.id)
    ).first()


def _cards(page: str) -> list[str]:
    return re.findall(
        r'<li class="card match">\s*<div class="match-head">\s*<h2>(?:<a [^>]*>)?([^<]+)', page
    )


def test_candidates_are_ranked_with_reasons_and_anonymous(client, world):
    page = client.get(f"/employer/vacancies/{world.id}/candidates").get_data(as_text=True)
    cards = _cards(page)
    assert len(cards) == 12
    assert all(re.fullmatch(r"Candidate [0-9A-F]{6}", c) for c in cards), cards
    fits = [int(p) for p in re.findall(r"(\d+)% fit", page)]
    assert fits == sorted(fits, reverse=True)
    assert "essential skills" in page
    for profile in db.session.scalars(sa.select(SeekerProfile)):
        assert profile.person.last_name not in page


def test_a_name_appears_once_the_person_applies_or_agrees(client, world):
    profiles = db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id)).all()
    applicant, consenting = profiles[0], profiles[1]
    db.session.add(Application(seeker=applicant, vacancy=world, status="received"))
    consenting.person.consent_contact = True
    db.session.commit()
    page = client.get(f"/employer/vacancies/{world.id}/candidates").get_data(as_text=True)
    names = {c for c in _cards(page) if not c.startswith("Candidate ")}
    assert names == {
        f"{applicant.person.first_name} {applicant.person.last_name}",
        f"{consenting.person.first_name} {consenting.person.last_name}",
    }
    assert "Applied" in page and "Agreed to be contacted" in page


def test_people_who_did_not_agree_to_be_found_are_not_listed(client, world):
    hidden = db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id)).first()
    hidden.visible = False
    db.session.commit()
    page = client.get(f"/employer/vacancies/{world.id}/candidates").get_data(as_text=True)
    assert len(_cards(page)) == 11
