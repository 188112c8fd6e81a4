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
        r'<li class="card match"[^>]*>\s*<div class="match-head">\s*<h2>(?:<a [^>]*>)?([^<]+)', page
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


def test_each_candidate_shows_their_work_and_the_skills_the_vacancy_needs_first(client, world):
    from jobmatch.employers.candidates import main_skills

    page = client.get(f"/employer/vacancies/{world.id}/candidates").get_data(as_text=True)
    works = re.findall(r'<p class="candidate-work">(.*?)</p>', page, re.S)
    assert len(works) == 12 and all("<strong" in w for w in works)
    assert sum('class="tag"' in w for w in works) >= 6  # most people hold skills
    # the skills the vacancy needs come first, then those it would like, then the rest
    asked = {s.skill_id: s.relation for s in world.skills}
    for profile in db.session.scalars(sa.select(SeekerProfile)):
        shown = main_skills(profile, asked)
        ranks = [{"essential": 0, "optional": 1}.get(asked.get(s.id), 2) for s in shown]
        assert ranks == sorted(ranks) and len(shown) == min(4, len(profile.skills))
        held_needed = {s.skill_id for s in profile.skills if asked.get(s.skill_id) == "essential"}
        assert not held_needed or shown[0].id in held_needed


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_the_candidate_page_gives_the_why_and_invites_to_apply_once(client, world):
    from jobmatch.notifications.models import Notification
    from jobmatch.notifications.services import text_of

    consenting = db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id)).all()[1]
    consenting.person.consent_contact = True
    db.session.commit()
    url = f"/employer/vacancies/{world.id}/people/{consenting.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Fit for this vacancy" in page and "% fit" in page and 'class="reason reason-' in page
    assert "Invite to apply…" in page and "Shortlist" not in page  # not applied yet
    answer = client.post(f"{url}/invite", data={"message": "Come and see our kitchen."},
                         follow_redirects=True)  # fmt: skip
    assert "is invited to apply" in answer.get_data(as_text=True)
    told = db.session.scalars(
        sa.select(Notification).where(
            Notification.user_id == consenting.person.user.id,
            Notification.kind == "invited_to_apply",
        )  # fmt: skip
    ).all()
    assert len(told) == 1 and "invites you to apply to" in text_of(told[0])
    assert "Come and see our kitchen." in text_of(told[0])
    again = client.post(f"{url}/invite", data={}, follow_redirects=True)
    assert "already invited this person" in again.get_data(as_text=True)
    # someone the employer may not see cannot be invited either
    hidden = db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id)).all()[2]
    assert client.post(f"/employer/vacancies/{world.id}/people/{hidden.id}/invite").status_code in (
        403,
        404,
    )
    # once applied, the page offers the next step instead
    db.session.add(Application(seeker=consenting, vacancy=world, status="received"))
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Shortlist" in page and "Invite to apply…" not in page
