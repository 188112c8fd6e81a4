"""A job seeker's recommended vacancies, each with its why."""

import re

import pytest

from jobmatch.demo.build import DEMO_DOMAIN, DEMO_PASSWORD
from jobmatch.extensions import db
from jobmatch.matching import services
from tests import factories
from tests.conftest import login


@pytest.fixture
def world(demo_world):
    return demo_world(seed=4, employers=3, vacancies=25, seekers=3)


def test_the_matches_page_ranks_open_vacancies_and_says_why(client, world):
    login(client, f"seeker001@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page = client.get("/seeker/matches").get_data(as_text=True)
    shown = [int(i) for i in re.findall(r'<h2><a href="/vacancies/(\d+)"', page)]
    assert shown, page
    open_ids = set(services.open_vacancy_ids(services.VacancyFilter()).tolist())
    assert set(shown) <= open_ids
    fits = [int(p) for p in re.findall(r"(\d+)% fit", page)]
    assert fits == sorted(fits, reverse=True)
    assert "describe" in page and "essential skills" in page
    assert page.count('class="reason reason-') >= 2 * len(shown)


def test_a_profile_not_indexed_yet_is_told_to_wait(client, world):
    factories.user("job_seeker", email="new@example.org")
    db.session.commit()
    login(client, "new@example.org", factories.PASSWORD)
    page = client.get("/seeker/matches").get_data(as_text=True)
    assert "Your profile is being read" in page


def test_matches_need_no_embedding_at_request_time(client, world, monkeypatch):
    from jobmatch.matching.engine import engine

    def no_model(*args, **kwargs):
        raise AssertionError("the model must not be called")

    monkeypatch.setattr(engine().embedder, "embed", no_model)
    login(client, f"seeker001@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page = client.get("/seeker/matches").get_data(as_text=True)
    assert re.findall(r"(\d+)% fit", page)


def test_matches_reach_as_far_as_the_person_asks(client, world):
    import sqlalchemy as sa

    from jobmatch.accounts.models import User
    from jobmatch.reference import region_distance
    from jobmatch.vacancies.models import Vacancy

    user = db.session.scalar(sa.select(User).where(User.email == f"seeker001@{DEMO_DOMAIN}"))
    user.person.region = "baku"
    db.session.commit()
    login(client, f"seeker001@{DEMO_DOMAIN}", DEMO_PASSWORD)

    def regions(within: str) -> set[str]:
        page = client.get(f"/seeker/matches?within={within}").get_data(as_text=True)
        ids = [int(i) for i in re.findall(r'<h2><a href="/vacancies/(\d+)"', page)]
        return {db.session.get(Vacancy, i).region for i in ids}

    anywhere = regions("")
    assert len(anywhere) > 1 and "baku" in anywhere  # the whole country, by default
    assert regions("region") == {"baku"}
    near = regions("100")
    assert "baku" in near and all(region_distance("baku", r) <= 100 for r in near)
    assert regions("200") >= near
    assert regions("nonsense") == anywhere  # an unknown choice is the default
    page = client.get("/seeker/matches?within=region").get_data(as_text=True)
    assert '<option value="region" selected>' in page


def test_a_crowded_vacancy_is_damped_in_recommendations_and_says_why(client, world):
    import sqlalchemy as sa

    from jobmatch.monitoring.models import Exposure
    from jobmatch.seekers.models import SeekerProfile
    from jobmatch.vacancies.models import Application, Vacancy

    world.config["CONGESTION"] = {"start": 8, "full": 24, "most": 0.1}  # gently, to stay shown
    profile = db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id)).first()
    before = services.vacancies_for_seeker(profile.id, 10)
    top = db.session.get(Vacancy, before[0].vacancy_id)
    others = [factories.user() for _i in range(30)]  # 30 applications for one position
    for person in others:
        db.session.add(Application(seeker=person.person.seeker_profile, vacancy=top))
    top.positions = 1
    db.session.commit()
    after = {f.vacancy_id: f for f in services.vacancies_for_seeker(profile.id, 10)}
    crowded = after[top.id]
    most = world.config["CONGESTION"]["most"]
    assert crowded.crowding == 30 and crowded.damping == pytest.approx(1 - most)
    assert crowded.score == pytest.approx(before[0].score * (1 - most))
    assert all(f.damping == 1.0 for i, f in after.items() if i != top.id)
    # the employer's candidate list is not damped: it ranks people, not vacancies
    fits = services.candidates_for_vacancy(top.id, 5)
    assert all(f.damping == 1.0 for f in fits)

    login(client, f"seeker001@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page = client.get("/seeker/matches").get_data(as_text=True)
    assert "Many people have applied already (30 for each position)" in page
    shown = db.session.scalars(sa.select(Exposure.vacancy_id).order_by(Exposure.rank)).all()
    assert top.id in shown and len(shown) == len(set(shown))

    world.config["CONGESTION_DAMPING"] = False
    undamped = {f.vacancy_id: f for f in services.vacancies_for_seeker(profile.id, 10)}
    assert undamped[top.id].score == pytest.approx(before[0].score)
