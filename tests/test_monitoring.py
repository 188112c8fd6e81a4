"""Fairness and outcomes: the exposure log, the rates per group with the four-fifths rule,
outcomes graded by the rank they had been shown at. On SQLite and PostgreSQL."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.monitoring import exposure, groups, outcomes
from jobmatch.monitoring.models import Exposure, MatchOutcome
from jobmatch.privacy.services import anonymise, export
from jobmatch.vacancies.services import apply, move_application, undo_last_step
from tests import factories
from tests.conftest import as_user

BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def _people(n: int, **attributes) -> list:
    made = []
    for _i in range(n):
        account = factories.user()
        for key, value in attributes.items():
            setattr(account.person, key, value)
        made.append(account)
    db.session.flush()
    return made


@BACKENDS
def test_a_list_is_logged_once_a_day_at_its_best_rank_and_follows_the_person(app, backend):
    counsellor = factories.user("counsellor")
    org = factories.employer()
    post = factories.vacancy(org)
    seekers = _people(3)
    db.session.commit()
    pairs = [(s.person.seeker_profile.id, post.id) for s in seekers]
    exposure.record_shown(counsellor, "candidates", pairs)
    exposure.record_shown(counsellor, "candidates", pairs[::-1])  # again the same day
    rows = db.session.execute(sa.select(Exposure.seeker_id, Exposure.rank)).all()
    assert sorted(rows) == sorted((s, rank) for rank, (s, _v) in enumerate(pairs, 1))

    first = seekers[0].person
    shown = export(first)["shown_in_ranked_lists"]
    assert shown == [{"day": utcnow().date().isoformat(), "list": "candidates",
                      "vacancy_id": post.id, "rank": 1}]  # fmt: skip
    anonymise(counsellor, first)
    db.session.commit()
    left = db.session.scalars(sa.select(Exposure.seeker_id)).all()
    assert first.seeker_profile.id not in left and len(left) == 2

    old = utcnow().date() - timedelta(days=app.config["EXPOSURE_RETENTION_DAYS"] + 1)
    db.session.execute(sa.update(Exposure).where(Exposure.seeker_id == pairs[1][0]).values(day=old))
    assert exposure.purge_old() == 1
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Exposure)) == 1


@BACKENDS
def test_rates_per_group_flag_the_four_fifths_rule_and_hide_small_groups(app, backend):
    counsellor = factories.user("counsellor")
    post = factories.vacancy(factories.employer())
    women = _people(20, gender="female", birth_year=utcnow().year - 30, region="baku")
    men = _people(20, gender="male", birth_year=utcnow().year - 30, region="baku")
    few = _people(4, gender="other", birth_year=utcnow().year - 60, region="ganja")
    db.session.commit()
    # 10 of 20 women shown, 16 of 20 men: 0.5 / 0.8 = 0.625 < 0.8
    shown = women[:10] + men[:16] + few[:2]
    exposure.record_shown(
        counsellor, "candidates", [(s.person.seeker_profile.id, post.id) for s in shown[:10]]
    )
    exposure.record_shown(
        counsellor, "case", [(s.person.seeker_profile.id, post.id) for s in shown[10:20]]
    )
    exposure.record_shown(
        counsellor, "candidates", [(s.person.seeker_profile.id, post.id) for s in shown[20:]]
    )
    # a seeker's own matches are not a list employers or counsellors see
    exposure.record_shown(women[15], "matches", [(women[15].person.seeker_profile.id, post.id)])

    report = groups.fairness(days=30)
    by_gender = {r.group: r for r in report.rates if r.stage == "shown" and r.dimension == "gender"}
    assert set(by_gender) == {("female",), ("male",)}  # "other": 4 people, not shown
    assert by_gender[("female",)].rate == pytest.approx(0.5)
    assert by_gender[("male",)].rate == pytest.approx(0.8)
    assert by_gender[("female",)].ratio == pytest.approx(0.625) and by_gender[("female",)].flagged
    assert not by_gender[("male",)].flagged
    assert by_gender[("female",)].share_of_pool == pytest.approx(20 / 44)
    pairs = [r for r in report.rates if r.stage == "shown" and r.dimension == "gender+age"]
    assert {r.group for r in pairs} == {("female", "25_34"), ("male", "25_34")}
    assert report.hidden > 0
    trend = [t for t in report.trend if t[1] == "shown" and t[2] == "gender"]
    assert trend and trend[-1][0] == utcnow().strftime("%Y-%m")
    assert trend[-1][3] == pytest.approx(0.625) and trend[-1][4] == ("female",)


def test_too_few_reached_to_judge_is_shown_but_not_flagged(app):
    counsellor = factories.user("counsellor")
    post = factories.vacancy(factories.employer())
    women = _people(12, gender="female")
    _people(12, gender="male")
    db.session.commit()
    exposure.record_shown(counsellor, "case", [(women[0].person.seeker_profile.id, post.id)])
    report = groups.fairness(days=30)
    rows = {r.group: r for r in report.rates if r.stage == "shown" and r.dimension == "gender"}
    assert rows[("male",)].ratio == 0 and not rows[("male",)].flagged  # 1 person says little
    for _i, woman in enumerate(women[1:5]):
        exposure.record_shown(counsellor, "case", [(woman.person.seeker_profile.id, post.id)])
    report = groups.fairness(days=30)
    rows = {r.group: r for r in report.rates if r.stage == "shown" and r.dimension == "gender"}
    assert rows[("female",)].reached == 5 and rows[("male",)].flagged


@BACKENDS
def test_a_hire_records_the_rank_it_was_shown_at_and_an_undo_takes_it_back(app, backend):
    owner = factories.user("employer")
    post = factories.vacancy(factories.employer(owner=owner))
    seeker = factories.user()
    other = factories.user()
    db.session.commit()
    profile = seeker.person.seeker_profile
    exposure.record_shown(
        owner, "candidates", [(other.person.seeker_profile.id, post.id), (profile.id, post.id)]
    )
    application = apply(profile, post, "")
    move_application(application, "shortlisted", owner)
    db.session.commit()
    found = db.session.scalars(sa.select(MatchOutcome)).all()
    assert [(o.kind, o.rank, o.shown_to) for o in found] == [("shortlisted", 2, "employer")]
    undo_last_step(application, owner)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchOutcome)) == 0

    unseen = apply(other.person.seeker_profile, post, "")
    move_application(unseen, "shortlisted", owner)
    later = utcnow() + timedelta(days=3)
    move_application(unseen, "interview", owner, interview_at=later, interview_place="Office")
    move_application(unseen, "offered", owner)
    move_application(unseen, "hired", owner)
    db.session.commit()
    kinds = dict(db.session.execute(sa.select(MatchOutcome.kind, MatchOutcome.rank)).all())
    assert kinds == {"shortlisted": 1, "hired": 1}
    report = outcomes.report()
    assert report.kinds["hired"]["share"] == 1.0
    assert ("1", 1) in report.kinds["hired"]["bands"]


def test_the_pages_and_their_csv_are_for_staff_only(app, client):
    counsellor = factories.user("counsellor")
    employer = factories.user("employer")
    post = factories.vacancy(factories.employer(owner=employer))
    people = _people(12, gender="female")
    db.session.commit()
    exposure.record_shown(
        counsellor, "candidates", [(p.person.seeker_profile.id, post.id) for p in people[:6]]
    )
    as_user(client, employer.email)
    for url in ("/statistics/fairness", "/statistics/fairness.csv", "/statistics/matching",
                "/statistics/matching.csv"):  # fmt: skip
        assert client.get(url).status_code in (403, 404), url
    as_user(client, counsellor.email)
    page = client.get("/statistics/fairness?days=30").get_data(as_text=True)
    assert "Fairness of matching" in page and "Female" in page and "50%" in page
    sheet = client.get("/statistics/fairness.csv?days=30")
    rows = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True))))
    female = [r for r in rows if r["stage"] == "shown" and r["group"] == "female"]
    assert female and female[0]["rate"] == "0.5" and female[0]["pool"] == "12"
    trend = client.get("/statistics/fairness.csv?table=trend").get_data(as_text=True)
    assert trend.splitlines()[0] == "month,stage,dimension,lowest_ratio,group"
    assert client.get("/statistics/matching").status_code == 200
    assert client.get("/statistics/matching.csv").status_code == 200


def test_staff_read_the_rates_and_outcomes_through_the_api(app, client):
    from jobmatch.api import tokens

    counsellor = factories.user("counsellor")
    employer = factories.user("employer")
    post = factories.vacancy(factories.employer(owner=employer))
    people = _people(12, gender="male")
    secret = tokens.issue(counsellor, "Monitoring", tokens.ROLE_SCOPES["counsellor"])[1]
    theirs = tokens.issue(employer, "HR", tokens.ROLE_SCOPES["employer"])[1]
    db.session.commit()
    exposure.record_shown(
        counsellor, "case", [(p.person.seeker_profile.id, post.id) for p in people[:3]]
    )
    bearer = {"Authorization": f"Bearer {secret}"}
    body = client.get("/api/v1/fairness?days=30", headers=bearer).get_json()
    [male] = [r for r in body["rates"] if r["stage"] == "shown" and r["group"] == ["male"]]
    assert (male["pool"], male["reached"], male["rate"]) == (12, 3, 0.25)
    assert body["trend"][-1]["dimension"] in groups.DIMENSIONS
    assert client.get("/api/v1/fairness?days=7", headers=bearer).status_code == 422
    denied = client.get("/api/v1/fairness", headers={"Authorization": f"Bearer {theirs}"})
    assert denied.status_code == 403
    assert client.get("/api/v1/outcomes", headers=bearer).get_json()["kinds"] == {}
