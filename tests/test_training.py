"""The training catalogue: imported from CSV, searched, and matched to a seeker's missing
essential skills for a vacancy; counsellors refer people to programmes."""

import io

import pytest
import sqlalchemy as sa

from jobmatch.accounts.models import User
from jobmatch.extensions import db
from jobmatch.notifications.models import Notification
from jobmatch.taxonomy import services as taxonomy
from jobmatch.taxonomy.models import Skill
from jobmatch.training import services
from jobmatch.training.models import TrainingProgramme, TrainingReferral
from jobmatch.vacancies.models import Vacancy, VacancySkill
from tests import factories
from tests.conftest import as_user

HEADER = "external_id,provider,title,description,mode,language,duration_hours,region,skills,starts_on,cost,url\n"  # noqa: E501


def _skills(*labels) -> list[Skill]:
    return [db.session.scalar(sa.select(Skill).where(Skill.label_en == label)) for label in labels]


@pytest.fixture
def world(app, mini_esco):
    taxonomy.load(mini_esco)
    techniques, supplies, hygiene = _skills(
        "use cooking techniques", "order supplies", "comply with food safety and hygiene"
    )
    both = f"{techniques.label_en}|{hygiene.label_en}"
    csv_text = HEADER + (
        f"c1,Baku Centre,Kitchen basics,,classroom,az,40,baku,{both},,0,\n"
        f"c2,Online Academy,Food hygiene,,online,ru,24,,{hygiene.label_en},,0,\n"
        f"c3,Ganja Centre,Kitchen stores,,classroom,az,16,ganja-dashkasan,{supplies.label_en},,150,"
        "\n"
    )
    report = services.import_csv(io.StringIO(csv_text))
    assert (report.created, report.errors) == (3, [])
    seeker = factories.user("job_seeker", email="aysel@example.org")
    seeker.person.region = "baku"
    org = factories.employer()
    vacancy = factories.vacancy(org, title="Cook")
    vacancy.skills = [
        VacancySkill(skill_id=s.id, relation="essential") for s in (techniques, supplies, hygiene)
    ]
    factories.user("counsellor", email="c@example.org")
    db.session.commit()
    return {"seeker": seeker.person.seeker_profile.id, "vacancy": vacancy.id,
            "skills": (techniques.id, supplies.id, hygiene.id)}  # fmt: skip


def test_the_import_checks_every_line_and_is_idempotent(app, world):
    bad = HEADER + (
        "c1,Baku Centre,Kitchen basics,,classroom,az,40,baku,use cooking techniques,,0,\n"
        "x1,P,T,,teleport,az,10,,order supplies,,,\n"
        "x2,P,T,,online,az,ten,,order supplies,,,\n"
        "x3,P,T,,online,az,10,atlantis,order supplies,,,\n"
        "x4,P,T,,online,az,10,,juggling,,,\n"
    )
    report = services.import_csv(io.StringIO(bad))
    db.session.commit()
    assert (report.created, report.updated) == (0, 1)  # c1 now teaches one skill only
    assert [n for n, _reason in report.errors] == [3, 4, 5, 6]
    assert "unknown mode" in report.errors[0][1] and "juggling" in report.errors[3][1]
    again = services.import_csv(io.StringIO(bad))
    assert (again.unchanged, again.updated, again.created) == (1, 0, 0)
    missing = services.import_csv(io.StringIO("external_id,title\nz,Z\n"))
    assert missing.errors and "missing columns" in missing.errors[0][1]


def test_the_programmes_that_close_the_gap_come_first(app, world):
    from jobmatch.seekers.models import SeekerProfile, SeekerSkill
    from jobmatch.vacancies.models import Vacancy

    profile = db.session.get(SeekerProfile, world["seeker"])
    vacancy = db.session.get(Vacancy, world["vacancy"])
    techniques, supplies, hygiene = world["skills"]
    gap = services.gap_programmes(profile, vacancy)
    assert {s.id for s in gap.missing} == {techniques, supplies, hygiene}
    titles = [p.title for p, _covered in gap.offers]
    # most missing skills first; then near the person (Baku, or online) before far; shortest
    assert titles == ["Kitchen basics", "Food hygiene", "Kitchen stores"]
    assert gap.uncovered == []
    profile.skills = [SeekerSkill(skill_id=techniques, source="confirmed")]
    db.session.flush()
    gap = services.gap_programmes(profile, vacancy)
    assert {s.id for s in gap.missing} == {supplies, hygiene}
    # one skill each now: the near ones, shortest first, then the far one
    assert [p.title for p, _c in gap.offers] == ["Food hygiene", "Kitchen basics", "Kitchen stores"]


def test_a_counsellor_refers_a_person_to_a_programme(client, world):
    as_user(client, "c@example.org")
    url = f"/counsellor/seekers/{world['seeker']}/training?vacancy={world['vacancy']}"
    page = client.get(url).get_data(as_text=True)
    assert "Kitchen basics" in page and "covers 2 of 3" in page
    programme = db.session.scalar(
        sa.select(TrainingProgramme).where(TrainingProgramme.title == "Kitchen basics")
    )
    data = {"vacancy": world["vacancy"], "programme_id": programme.id, "note": "Starts Monday"}
    post = f"/counsellor/seekers/{world['seeker']}/training"
    assert client.post(post, data=data).status_code == 302
    again = client.post(post, data=data, follow_redirects=True)
    assert "already referred to this programme" in again.get_data(as_text=True)
    [referral] = db.session.scalars(sa.select(TrainingReferral)).all()
    assert (referral.vacancy_id, referral.note) == (world["vacancy"], "Starts Monday")
    assert db.session.scalar(
        sa.select(Notification.kind).where(Notification.kind == "training_referral")
    )

    as_user(client, "aysel@example.org")
    page = client.get(f"/vacancies/{world['vacancy']}").get_data(as_text=True)
    assert "Close the gap" in page and "Kitchen basics" in page
    catalogue = client.get("/training/?q=hygiene").get_data(as_text=True)
    assert "Food hygiene" in catalogue and "Kitchen stores" not in catalogue
    online = client.get("/training/?mode=online").get_data(as_text=True)
    assert "Food hygiene" in online and "Kitchen basics" not in online
    assert client.get(f"/training/{programme.id}").status_code == 200


def test_the_gap_page_does_not_claim_every_skill_when_the_vacancy_names_none(client, world):
    as_user(client, "c@example.org")
    url = f"/counsellor/seekers/{world['seeker']}/training?vacancy={world['vacancy']}"
    db.session.get(Vacancy, world["vacancy"]).skills = []
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "names no essential skills" in page
    assert "every essential skill" not in page


@pytest.mark.parametrize("words", ["aşpaz", "повар", "cuisine", "طاهي", "cook"])
def test_the_course_search_finds_across_languages(client, world, words):
    """A course is found by the work it prepares for, named in any of the five languages:
    the words name an occupation, whose essential skills the course covers."""
    found = client.get(f"/training/?q={words}").get_data(as_text=True)
    assert "Kitchen basics" in found and "Food hygiene" in found, words


def test_words_that_name_no_occupation_do_not_widen_the_course_search(client, world):
    found = client.get("/training/?q=juggling").get_data(as_text=True)
    assert "Kitchen basics" not in found and "Food hygiene" not in found


def test_a_job_seeker_says_they_are_interested_and_their_counsellor_sees_it(client, world):
    from jobmatch.seekers.models import SeekerProfile
    from jobmatch.training.models import TrainingInterest

    counsellor = db.session.scalar(sa.select(User).where(User.email == "c@example.org"))
    db.session.get(SeekerProfile, world["seeker"]).counsellor_id = counsellor.id
    db.session.commit()
    programme = db.session.scalar(
        sa.select(TrainingProgramme).where(TrainingProgramme.title == "Kitchen basics")
    )
    as_user(client, "aysel@example.org")
    page = client.get(f"/training/{programme.id}").get_data(as_text=True)
    assert "I am interested in this course" in page
    url = f"/training/{programme.id}/interest"
    done = client.post(url, data={"action": "interest"}, follow_redirects=True)
    assert "Your interest is noted" in done.get_data(as_text=True)
    assert "You said you are interested on" in done.get_data(as_text=True)
    again = client.post(url, data={"action": "interest"}, follow_redirects=True)
    assert "already said you are interested" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingInterest)) == 1
    told = db.session.scalar(
        sa.select(Notification).where(
            Notification.user_id == counsellor.id, Notification.kind == "training_interest"
        )  # fmt: skip
    )
    assert told is not None and told.data["title"] == "Kitchen basics"
    as_user(client, "c@example.org")
    case = client.get(f"/counsellor/seekers/{world['seeker']}").get_data(as_text=True)
    assert "Courses the person is interested in" in case and "Kitchen basics" in case
    as_user(client, "aysel@example.org")
    client.post(url, data={"action": "withdraw"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingInterest)) == 0


def test_course_titles_come_in_the_readers_language_and_are_found_in_each(client, world):
    header = HEADER.strip() + ",title_az,title_ru\n"
    line = ("c1,Baku Centre,Kitchen basics,,classroom,az,40,baku,use cooking techniques,,0,,"
            "Mətbəx əsasları,Основы кухни\n")  # fmt: skip
    report = services.import_csv(io.StringIO(header + line))
    assert (report.updated, report.errors) == (1, [])
    db.session.commit()
    again = services.import_csv(io.StringIO(header + line))
    assert again.unchanged == 1  # the same titles change nothing
    programme = db.session.scalar(
        sa.select(TrainingProgramme).where(TrainingProgramme.external_id == "c1")
    )
    assert (programme.title_in("az"), programme.title_in("ru"), programme.title_in("fr")) == (
        "Mətbəx əsasları", "Основы кухни", "Kitchen basics")  # fmt: skip
    client.get("/language/az")
    assert "Mətbəx əsasları" in client.get(f"/training/{programme.id}").get_data(as_text=True)
    # the Russian title finds it, shown in the reader's language
    found = client.get("/training/?q=кухни").get_data(as_text=True)
    assert "Mətbəx əsasları" in found and "Kitchen stores" not in found


def test_the_demo_courses_have_titles_in_the_other_languages(app, mini_esco):
    from jobmatch.demo.build import build_demo

    taxonomy.load(mini_esco)
    build_demo(seed=1, employers=1, vacancies=2, seekers=1)
    programmes = db.session.scalars(sa.select(TrainingProgramme)).all()
    assert programmes and all({"az", "ru"} <= {t.language for t in p.titles} for p in programmes)
    cook = next(p for p in programmes if p.title.startswith("Cook:"))
    assert cook.title_in("az").startswith("Aşpaz: ") and cook.title_in("ru").startswith("Повар: ")
