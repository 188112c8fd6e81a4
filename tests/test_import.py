"""JSON Lines import: upsert by external_id, bad lines reported, nothing changes on a re-run."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.imports import services
from jobmatch.seekers.models import SeekerProfile
from jobmatch.taxonomy import services as taxonomy
from jobmatch.vacancies.models import PUBLISH_DAYS, Vacancy

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)

GOOD_VACANCY = {
    "external_id": "V-1",
    "title": "Cook",
    "description": "Prepare hot dishes for our restaurant.",
    "employer": "Dəniz Kənarı Restoranı",
    "region": "Baku",
    "contract_type": "permanent",
    "skills": ["Use cooking techniques", "comply with hygiene and food safety", "latte art"],
    "language": "en",
}

GOOD_SEEKER = {
    "external_id": "S-1",
    "desired_title": "Aşpaz",
    "cv_text": "10 il restoranda aşpaz.",
    "skills": ["use cooking techniques"],
    "region": "Sumgait",
    "languages": ["az", "RU"],
}


def lines(*items) -> list[str]:
    return [
        item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in items
    ]


@pytest.fixture
def esco(app, mini_esco):
    taxonomy.load(mini_esco)
    db.session.commit()


def test_good_lines_are_imported_and_bad_lines_reported(esco):
    report = services.run(
        "vacancies",
        lines(
            GOOD_VACANCY,
            "{not json",
            {"title": "No id"},
            {"external_id": "V-2"},
            {"external_id": "V-3", "title": "Welder", "region": "Atlantis"},
            {"external_id": "V-4", "title": "Welder", "contract_type": "forever"},
            {**GOOD_VACANCY, "title": "Duplicate"},
            {"external_id": "V-5", "title": "Welder", "skills": "welding"},
            "",
            {
                "external_id": 6,
                "description": "Drive the number 5 bus.",
                "region": "ganja-dashkasan",
            },
        ),
    )
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.errors == [
        (2, "not valid JSON (Expecting property name enclosed in double quotes)"),
        (3, "external_id is missing"),
        (4, "a title or a description is required"),
        (5, "unknown region 'Atlantis'"),
        (
            6,
            "unknown contract_type 'forever' (permanent, fixed_term, temporary, seasonal, "
            "apprenticeship)",
        ),
        (7, "external_id 'V-1' repeats line 1"),
        (8, "skills must be a list of non-empty texts"),
    ]
    cook = db.session.scalar(sa.select(Vacancy).where(Vacancy.external_id == "V-1"))
    assert (cook.region, cook.city, cook.status) == ("baku", "Baku", "published")
    # imported vacancies close as published ones do: PUBLISH_DAYS on
    assert cook.expires_on == utcnow().date() + timedelta(days=PUBLISH_DAYS)
    assert cook.employer.name == "Dəniz Kənarı Restoranı"
    assert sorted(s.skill.label_en for s in cook.skills) == [
        "comply with food safety and hygiene",  # matched through an alternative label
        "use cooking techniques",
    ]
    assert cook.other_skills == ["latte art"]
    bus = db.session.scalar(sa.select(Vacancy).where(Vacancy.external_id == "6"))
    assert bus.title.startswith("Drive the number 5 bus") and bus.region == "ganja-dashkasan"


def test_running_again_changes_nothing_and_changes_are_picked_up(esco):
    first = services.run("vacancies", lines(GOOD_VACANCY))
    stamp = db.session.scalar(sa.select(Vacancy.updated_at))
    again = services.run("vacancies", lines(GOOD_VACANCY))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert again.changed_ids == []
    assert db.session.scalar(sa.select(Vacancy.updated_at)) == stamp
    changed = services.run("vacancies", lines({**GOOD_VACANCY, "title": "Head cook"}))
    assert (changed.updated, changed.changed_ids) == (1, first.changed_ids)
    assert db.session.scalar(sa.select(Vacancy.title)) == "Head cook"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vacancy)) == 1


def test_seekers_are_imported_with_their_languages_and_skills(esco):
    report = services.run(
        "seekers",
        lines(
            GOOD_SEEKER,
            {"external_id": "S-2", "languages": ["xx"], "desired_title": "Cook"},
            {"external_id": "S-3"},
        ),
    )
    assert report.created == 1
    assert report.errors == [
        (2, "unknown language code 'xx' (use ISO 639-1, e.g. az, ru, en)"),
        (3, "a desired_title or a cv_text is required"),
    ]
    seeker = db.session.scalar(sa.select(SeekerProfile))
    assert seeker.person.languages == ["az", "ru"]
    assert (seeker.person.region, seeker.person.city) == ("absheron-khizi", "Sumgait")
    assert [s.skill.label_en for s in seeker.skills] == ["use cooking techniques"]
    assert seeker.visible is False  # no consent given through an import
    again = services.run(
        "seekers",
        lines(GOOD_SEEKER),
    )
    assert again.unchanged == 1
