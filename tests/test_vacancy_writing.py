"""Employers write, edit and publish vacancies with suggested occupations and skills, and keep
their organisation's profile; bad input changes nothing."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobmatch.database import utcnow
from jobmatch.employers.models import EmployerMember
from jobmatch.extensions import db
from jobmatch.matching.language import guess_language
from jobmatch.taxonomy.models import Occupation, Skill
from jobmatch.vacancies.models import Vacancy
from tests import factories
from tests.conftest import login

COOK = (
    "We are looking for a cook for our restaurant in Baku. You will prepare hot dishes, "
    "plan menus and keep the kitchen clean and safe."
)


@pytest.fixture
def world(demo_world):
    demo_world(seed=2, employers=1, vacancies=1, seekers=1, index=False)
    owner = factories.user("employer", email="owner@example.org")
    org = factories.employer("Caspian Foods", owner=owner)
    db.session.commit()
    return org.id


def _form(**changes) -> dict:
    data = {
        "title": "Cook",
        "description": COOK,
        "text_language": "",
        "region": "baku",
        "city": "Baku",
        "contract_type": "permanent",
        "working_time": "full_time",
        "salary_min": "900",
        "salary_max": "1200",
        "languages": ["az", "ru"],
        "education_level": "",
        "positions": "2",
        "expires_on": "",
        "action": "save",
    }
    data.update(changes)
    return data


def _vacancies() -> list[Vacancy]:
    db.session.expire_all()
    return db.session.scalars(sa.select(Vacancy).where(Vacancy.title == "Cook")).all()


def test_suggest_reads_the_text_then_publish_keeps_the_choice(client, world):
    login(client, "owner@example.org", factories.PASSWORD)
    assert "New vacancy" in client.get("/employer/").get_data(as_text=True)
    blank = client.get("/employer/vacancies/new").get_data(as_text=True)
    assert 'name="positions" required type="number" value="1"' in blank
    page = client.post("/employer/vacancies/new", data=_form(action="suggest"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and _vacancies() == []  # suggesting saves nothing
    cook = db.session.scalar(sa.select(Occupation).where(Occupation.label_en == "cook"))
    assert f'name="occupation" value="{cook.id}"' in html and "named in the text" in html
    suggested = [int(i) for i in re.findall(r'name="skill-(\d+)"', html)]
    assert suggested  # (by label; by meaning once the labels are embedded)
    # the form keeps what was typed
    assert 'value="900"' in html and "restaurant in Baku" in html

    keep = suggested[0]
    extra = db.session.scalar(sa.select(Skill.id).where(Skill.id.not_in(suggested)).limit(1))
    data = _form(action="publish", occupation=str(cook.id))
    data[f"skill-{keep}"] = "essential"
    data[f"skill-{extra}"] = "optional"
    response = client.post("/employer/vacancies/new", data=data)
    [vacancy] = _vacancies()
    assert response.headers["Location"].endswith(f"/vacancies/{vacancy.id}")
    assert vacancy.status == "published" and vacancy.published_at is not None
    assert vacancy.expires_on == utcnow().date() + timedelta(days=30)
    assert vacancy.occupation_id == cook.id and vacancy.text_language == "en"
    assert {(s.skill_id, s.relation) for s in vacancy.skills} == {
        (keep, "essential"),
        (extra, "optional"),
    }
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.positions) == (900, 1200, 2)
    assert vacancy.languages == ["az", "ru"] and vacancy.employer_id == world

    # editing shows the kept skills chosen, and leaves it published
    edit = client.get(f"/employer/vacancies/{vacancy.id}/edit").get_data(as_text=True)
    assert re.search(
        rf'name="skill-{keep}"[^>]*>\s*<option value="">[^<]*</option>\s*'
        r'<option value="essential" selected',
        edit,
    )
    data = _form(title="Cook", salary_max="1500", occupation=str(cook.id))
    data[f"skill-{keep}"] = "essential"
    shown = client.post(f"/employer/vacancies/{vacancy.id}/edit", data=data, follow_redirects=True)
    said = shown.get_data(as_text=True)
    assert "The changes are saved." in said and "The vacancy is published" not in said
    [vacancy] = _vacancies()
    assert vacancy.salary_max == 1500 and vacancy.status == "published"
    assert [s.skill_id for s in vacancy.skills] == [keep]


def test_a_draft_stays_private_until_published(client, world):
    login(client, "owner@example.org", factories.PASSWORD)
    client.post("/employer/vacancies/new", data=_form(action="save"))
    [vacancy] = _vacancies()
    assert vacancy.status == "draft" and vacancy.published_at is None
    client.post("/logout")
    assert client.get(f"/vacancies/{vacancy.id}").status_code == 404


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"salary_min": "2000", "salary_max": "1000"}, "The lowest salary is above the highest."),
        ({"expires_on": "2020-01-01"}, "The closing date has passed."),
        ({"title": "  "}, "This field is required."),
        ({"positions": "0"}, "Number must be between 1 and 1000."),
        ({"skill-99999999": "essential"}, "Some of the chosen skills do not exist."),
        ({"occupation": "99999999"}, "This occupation does not exist."),
        ({"languages": ["xx"]}, "not a valid choice"),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(client, world, changes, message):
    login(client, "owner@example.org", factories.PASSWORD)
    response = client.post("/employer/vacancies/new", data=_form(action="publish", **changes))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert (
        _vacancies() == []
        and db.session.scalar(
            sa.select(sa.func.count()).select_from(Vacancy).where(Vacancy.employer_id == world)
        )
        == 0
    )


def test_a_bad_skill_relation_changes_nothing_on_an_existing_vacancy(client, world):
    org = db.session.get(factories.Employer, world)
    vacancy = factories.vacancy(org, title="Cook", salary_min=500, salary_max=800)
    skill = db.session.scalar(sa.select(Skill.id).limit(1))
    db.session.commit()
    login(client, "owner@example.org", factories.PASSWORD)
    data = _form(salary_min="100", salary_max="200")
    data[f"skill-{skill}"] = "mandatory"
    page = client.post(f"/employer/vacancies/{vacancy.id}/edit", data=data)
    assert "Unknown skill relation." in page.get_data(as_text=True)
    [row] = _vacancies()
    assert (row.salary_min, row.salary_max, row.skills) == (500, 800, [])


def test_only_the_organisation_and_staff_edit_its_vacancies(client, world):
    org = db.session.get(factories.Employer, world)
    vacancy = factories.vacancy(org, title="Cook")
    factories.user("employer", email="rival@example.org")
    factories.employer(
        "Rival",
        owner=db.session.scalar(
            sa.select(factories.User).where(factories.User.email == "rival@example.org")
        ),
    )
    factories.user("counsellor", email="c@example.org")
    factories.user("job_seeker", email="s@example.org")
    db.session.commit()
    for email, status in [("rival@example.org", 404), ("s@example.org", 403)]:
        login(client, email, factories.PASSWORD)
        assert client.get(f"/employer/vacancies/{vacancy.id}/edit").status_code == status
        response = client.post(f"/employer/vacancies/{vacancy.id}/edit", data=_form(title="X"))
        assert response.status_code == status
        client.post("/logout")
    login(client, "c@example.org", factories.PASSWORD)
    page = client.get(f"/vacancies/{vacancy.id}").get_data(as_text=True)
    assert f"/employer/vacancies/{vacancy.id}/edit" in page
    client.post(f"/employer/vacancies/{vacancy.id}/edit", data=_form(title="Cook", city="Ganja"))
    assert _vacancies()[0].city == "Ganja"


def test_the_owner_keeps_the_organisation_profile(client, world):
    login(client, "owner@example.org", factories.PASSWORD)
    data = {
        "name": "Caspian Foods LLC",
        "sector": "",
        "region": "baku",
        "city": "Baku",
        "website": "caspianfoods.az",
        "description": "Restaurants <b>in</b> Baku.",
    }
    assert client.post("/employer/organisation", data=data).status_code == 302
    org = db.session.get(factories.Employer, world)
    db.session.refresh(org)
    assert (org.name, org.website) == ("Caspian Foods LLC", "https://caspianfoods.az")
    page = client.post("/employer/organisation", data={**data, "name": "X", "website": "ftp:/x"})
    assert "Enter the address of a website" in page.get_data(as_text=True)
    db.session.refresh(org)
    assert org.name == "Caspian Foods LLC"
    client.post("/logout")

    recruiter = factories.user("employer", email="rec@example.org")
    db.session.add(EmployerMember(employer_id=org.id, user_id=recruiter.id, role="recruiter"))
    db.session.commit()
    login(client, "rec@example.org", factories.PASSWORD)
    page = client.get("/employer/organisation").get_data(as_text=True)
    assert "Only the organisation" in page and "Restaurants &lt;b&gt;in&lt;/b&gt;" in page
    assert client.post("/employer/organisation", data=data).status_code == 403


@pytest.mark.parametrize(
    "text, language",
    [
        ("Ищем повара в ресторан, опыт работы от двух лет.", "ru"),
        ("نبحث عن طباخ لمطعمنا في باكو مع خبرة", "ar"),
        ("Restoranımız üçün təcrübəli aşpaz axtarırıq.", "az"),
        ("Nous recherchons un cuisinier pour notre restaurant.", "fr"),
        ("We are looking for a cook with experience.", "en"),
        ("Cook", None),
    ],
)
def test_the_language_of_a_text_is_recognised(text, language):
    assert guess_language(text) == language


def test_a_skill_is_found_by_name_marked_and_kept_without_losing_the_form(client, world):
    login(client, "owner@example.org", factories.PASSWORD)
    hygiene = db.session.scalar(
        sa.select(Skill).where(Skill.label_en == "comply with food safety and hygiene")
    )
    page = client.post(
        "/employer/vacancies/new", data=_form(action="find_skill", skill_query="hygiene")
    ).get_data(as_text=True)
    assert _vacancies() == []  # looking for a skill saves nothing
    row = page[page.index(f'for="skill-{hygiene.id}"') - 80 :]
    assert "source-search" in row[:200] and "found by name" in row[:400]
    assert "skill found: mark it below." in page or "skills found: mark them below." in page
    assert 'value="900"' in page and "restaurant in Baku" in page  # the form is kept
    assert page.count(f'name="skill-{hygiene.id}"') == 1  # once, even if also suggested
    data = _form(action="save")
    data[f"skill-{hygiene.id}"] = "essential"
    client.post("/employer/vacancies/new", data=data)
    [vacancy] = _vacancies()
    assert [(s.skill_id, s.relation) for s in vacancy.skills] == [(hygiene.id, "essential")]
    nothing = client.post(
        "/employer/vacancies/new", data=_form(action="find_skill", skill_query="zzqx")
    ).get_data(as_text=True)
    assert "No skill is named so." in nothing
