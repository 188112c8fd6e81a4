"""The schema's own rules, on SQLite and PostgreSQL alike."""

import pytest
import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.vacancies.models import Vacancy, VacancySkill
from tests import factories

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def test_email_is_unique(app):
    factories.user(email="same@example.org")
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        factories.user(email="same@example.org")
    db.session.rollback()


def test_salary_range_must_be_ordered(app):
    org = factories.employer()
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        factories.vacancy(org, salary_min=900, salary_max=500)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vacancy)) == 0


def test_status_outside_the_code_list_is_refused_by_the_database(app):
    org = factories.employer()
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.insert(Vacancy).values(
                employer_id=org.id,
                title="x",
                description="",
                status="archived",
                contract_type="permanent",
                working_time="full_time",
                positions=1,
                languages=[],
                created_at=sa.func.now(),
                updated_at=sa.func.now(),
            )
        )
        db.session.flush()
    db.session.rollback()


def test_json_languages_round_trip(app):
    org = factories.employer()
    post = factories.vacancy(org, languages=["az", "ru", "en"])
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Vacancy, post.id).languages == ["az", "ru", "en"]


def test_vacancy_skills_go_with_the_vacancy(app):
    org = factories.employer()
    post = factories.vacancy(org)
    post.skills = [VacancySkill(skill=factories.skill(), relation="essential")]
    db.session.commit()
    db.session.delete(post)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VacancySkill)) == 0


def test_one_application_per_seeker_and_vacancy(app):
    seeker = factories.user("job_seeker")
    post = factories.vacancy(factories.employer())
    factories.application(seeker, post)
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        factories.application(seeker, post)
    db.session.rollback()


def test_open_means_published_and_not_expired(app):
    from datetime import date

    org = factories.employer()
    assert factories.vacancy(org).is_open()
    assert not factories.vacancy(org, status="draft").is_open()
    assert not factories.vacancy(org, expires_on=date(2020, 1, 1)).is_open()
