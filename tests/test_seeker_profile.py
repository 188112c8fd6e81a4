"""A job seeker builds a profile step by step: about them, CV, skills, jobs and education."""

import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.seekers.models import Education, Experience, SeekerProfile
from tests import factories
from tests.conftest import login

ABOUT = {
    "desired_title": "Aşpaz",
    "summary": "Ten years in restaurant kitchens.",
    "region": "ganja-dashkasan",
    "city": "Ganja",
    "phone": "+994 50 123 45 67",
    "languages": ["az", "ru"],
    "education_level": "upper_secondary",
    "availability": "within_month",
    "salary_expectation": "900",
    "visible": "y",
}


def _profile() -> SeekerProfile:
    db.session.expire_all()
    return db.session.scalar(sa.select(SeekerProfile))


def test_step_one_saves_the_profile_and_leads_to_the_cv(app, client):
    factories.user("job_seeker", email="nigar@example.org")
    db.session.commit()
    login(client, "nigar@example.org", factories.PASSWORD)
    page = client.get("/seeker/profile").get_data(as_text=True)
    assert 'aria-current="step"' in page and "to do" in page
    response = client.post("/seeker/profile", data=ABOUT)
    assert response.status_code == 302 and response.location.endswith("/seeker/cv")
    profile = _profile()
    person = profile.person
    assert (profile.desired_title, profile.availability, profile.salary_expectation) == (
        "Aşpaz",
        "within_month",
        900,
    )
    assert profile.visible is True and person.consent_contact is False
    assert (person.region, person.city, person.languages) == (
        "ganja-dashkasan",
        "Ganja",
        ["az", "ru"],
    )
    assert person.phone == "+994 50 123 45 67" and person.education_level == "upper_secondary"
    page = client.get("/seeker/profile").get_data(as_text=True)
    assert 'value="Aşpaz"' in page and 'About you<span class="visually-hidden"> (done)' in page


def test_bad_profile_input_is_explained_and_changes_nothing(app, client):
    factories.user("job_seeker", email="nigar@example.org")
    db.session.commit()
    login(client, "nigar@example.org", factories.PASSWORD)
    before = _profile().desired_title
    for change, message in [
        ({"phone": "call me"}, "Enter a telephone number"),
        ({"desired_title": ""}, "This field is required."),
        ({"salary_expectation": "-5"}, "Number must be between 0 and 1000000."),
        ({"languages": ["zz"]}, "not a valid choice"),
    ]:
        page = client.post("/seeker/profile", data={**ABOUT, **change})
        assert page.status_code == 200 and message in page.get_data(as_text=True), change
        profile = _profile()
        assert profile.desired_title == before and profile.person.phone is None


def test_jobs_and_education_are_added_and_removed(app, client):
    factories.user("job_seeker", email="nigar@example.org")
    other = factories.user("job_seeker", email="other@example.org")
    other.person.seeker_profile.experiences.append(Experience(title="Driver"))
    db.session.commit()
    login(client, "nigar@example.org", factories.PASSWORD)
    job = {
        "add": "experience",
        "job-title": "Cook",
        "job-employer_name": "Caspian Foods",
        "job-start_date": "2018-03-01",
        "job-end_date": "2024-06-30",
        "job-description": "Hot dishes for 200 guests a day.",
    }
    assert client.post("/seeker/history", data=job).status_code == 302
    bad = client.post("/seeker/history", data={**job, "job-end_date": "2017-01-01"})
    assert "The job ends before it starts." in bad.get_data(as_text=True)
    school = {
        "add": "education",
        "school-level": "vocational",
        "school-field": "Cooking",
        "school-institution": "Ganja college",
        "school-year_completed": "2017",
    }
    assert client.post("/seeker/history", data=school).status_code == 302
    profile = _profile()
    mine = [e for e in db.session.scalars(sa.select(Experience)) if e.seeker_id == profile.id]
    assert [e.title for e in mine] == ["Cook"]
    assert [(e.level, e.year_completed) for e in profile.educations] == [("vocational", 2017)]
    page = client.get("/seeker/history").get_data(as_text=True)
    assert "Caspian Foods" in page and "Ganja college" in page

    # another person's entry is not found, and nothing changes
    theirs = db.session.scalar(sa.select(Experience.id).where(Experience.title == "Driver"))
    client.post("/seeker/history/remove", data={"kind": "experience", "id": theirs})
    assert db.session.get(Experience, theirs) is not None
    client.post("/seeker/history/remove", data={"kind": "experience", "id": mine[0].id})
    db.session.expire_all()
    assert db.session.get(Experience, mine[0].id) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Education)) == 1


def test_a_job_is_changed_in_place_and_only_the_owner_can(app, client):
    me = factories.user("job_seeker", email="nigar@example.org")
    other = factories.user("job_seeker", email="other@example.org")
    me.person.seeker_profile.experiences.append(Experience(title="Cok", employer_name="Caspian"))
    other.person.seeker_profile.experiences.append(Experience(title="Driver"))
    db.session.commit()
    mine = me.person.seeker_profile.experiences[0].id
    theirs = other.person.seeker_profile.experiences[0].id
    login(client, "nigar@example.org", factories.PASSWORD)
    page = client.get(f"/seeker/history?edit={mine}").get_data(as_text=True)
    assert "Change the job" in page and 'value="Cok"' in page and "Save the job" in page
    changed = {"add": "experience", "job_id": mine, "job-title": "Cook",
               "job-employer_name": "Caspian Foods", "job-start_date": "2018-03-01"}  # fmt: skip
    answer = client.post("/seeker/history", data=changed, follow_redirects=True)
    assert "The job is changed." in answer.get_data(as_text=True)
    db.session.expire_all()
    job = db.session.get(Experience, mine)
    assert (job.title, job.employer_name, str(job.start_date)) == ("Cook", "Caspian Foods",
                                                                    "2018-03-01")  # fmt: skip
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Experience)) == 2  # no copy
    # another person's job is neither shown nor changed
    assert client.get(f"/seeker/history?edit={theirs}").status_code == 404
    assert client.post("/seeker/history", data={**changed, "job_id": theirs}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Experience, theirs).title == "Driver"


def test_jobs_found_in_the_cv_are_offered_to_add_and_checked_first(app, client):
    user = factories.user("job_seeker", email="elvin@example.org")
    user.person.seeker_profile.cv_text = (
        "Elvin Məmmədov\n"
        "Welder — Bakı Gəmi Zavodu, 2015 – 2019\n"
        "03/2019 - present\nSenior welder at Caspian Steel\n"
        "Education: 2010-2014 Baku State University\n"
        "Сварщик, ООО Каспий | 2012 – 2015\n"
    )
    db.session.commit()
    login(client, "elvin@example.org", factories.PASSWORD)
    page = client.get("/seeker/history").get_data(as_text=True)
    found = page[page.index("Found in your CV") : page.index('id="job-form"')]
    assert "Welder" in found and "Senior welder" in found and "Сварщик" in found
    assert "Baku State University" not in found  # studies are not jobs
    form = client.get("/seeker/history?take=2").get_data(as_text=True)
    assert 'value="Senior welder"' in form and 'value="Caspian Steel"' in form
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Experience)) == 0  # offered
    client.post("/seeker/history", data={"add": "experience", "job-title": "Senior welder",
                                         "job-employer_name": "Caspian Steel",
                                         "job-start_date": "2019-03-01"})  # fmt: skip
    page = client.get("/seeker/history").get_data(as_text=True)
    found = page[page.index("Found in your CV") : page.index('id="job-form"')]
    assert "Senior welder" not in found and "Welder" in found  # the one added is not offered


def test_a_disability_is_kept_only_with_consent_and_can_be_withdrawn(app, client):
    factories.user("job_seeker", email="nigar@example.org")
    db.session.commit()
    login(client, "nigar@example.org", factories.PASSWORD)
    page = client.post("/seeker/profile", data={**ABOUT, "disability": "yes"})
    assert page.status_code == 200 and "Tick the box to agree" in page.get_data(as_text=True)
    person = _profile().person
    assert person.disability is None and person.disability_consent_at is None
    again = client.post(
        "/seeker/profile", data={**ABOUT, "disability": "yes", "consent_disability": "y"}
    )
    assert again.status_code == 302
    person = _profile().person
    assert person.disability is True and person.disability_consent_at is not None
    form = client.get("/seeker/profile").get_data(as_text=True)
    assert '<option selected value="yes">' in form or 'value="yes" selected' in form
    client.post("/seeker/profile", data={**ABOUT, "disability": ""})
    person = _profile().person
    assert person.disability is None and person.disability_consent_at is None
