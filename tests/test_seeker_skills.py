"""A job seeker confirms or edits the occupations and skills recognised in their text."""

import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.matching.models import StoredVector
from jobmatch.taxonomy import services as taxonomy
from jobmatch.taxonomy.models import Occupation, Skill
from tests import factories
from tests.conftest import login


def _setup(app, mini_esco, model_folder, tmp_path):
    app.config.update(JOBMATCH_MODEL=str(model_folder), EMBEDDINGS_PATH=str(tmp_path / "emb"))
    taxonomy.load(mini_esco)
    seeker = factories.user("job_seeker", email="cook@example.org")
    profile = seeker.person.seeker_profile
    profile.cv_text = "Experienced cook. I use cooking techniques and order supplies."
    db.session.commit()
    app.config["INDEX_ON_COMMIT"] = True  # from here on, as in production
    return profile


def _id(model, label):
    return db.session.scalar(sa.select(model.id).where(model.label_en == label))


def test_suggestions_are_shown_and_the_choice_is_saved(
    client, app, mini_esco, model_folder, tmp_path
):
    profile = _setup(app, mini_esco, model_folder, tmp_path)
    login(client, "cook@example.org", factories.PASSWORD)
    page = client.get("/seeker/skills").get_data(as_text=True)
    assert "use cooking techniques" in page and "order supplies" in page
    assert f'value="{_id(Occupation, "cook")}"' in page
    assert "named in your text" in page

    response = client.post(
        "/seeker/skills",
        data={
            "skill": [_id(Skill, "use cooking techniques")],
            "occupation": [_id(Occupation, "cook")],
            "other_skills": "Azerbaijani cuisine\n\nplov",
        },
    )
    assert response.status_code == 302
    db.session.refresh(profile)
    assert [s.skill.label_en for s in profile.skills] == ["use cooking techniques"]
    assert [s.source for s in profile.skills] == ["confirmed"]
    assert [o.label_en for o in profile.occupations] == ["cook"]
    assert profile.other_skills == ["Azerbaijani cuisine", "plov"]
    stored = db.session.scalar(sa.select(StoredVector).where(StoredVector.entity_type == "seeker"))
    assert stored is not None and stored.entity_id == profile.id


def test_an_unknown_skill_is_refused_and_nothing_changes(
    client, app, mini_esco, model_folder, tmp_path
):
    profile = _setup(app, mini_esco, model_folder, tmp_path)
    login(client, "cook@example.org", factories.PASSWORD)
    response = client.post(
        "/seeker/skills", data={"skill": ["999999"], "other_skills": "plov"}, follow_redirects=True
    )
    assert "Some of the chosen skills do not exist." in response.get_data(as_text=True)
    db.session.refresh(profile)
    assert profile.skills == [] and profile.other_skills == []


def test_other_skills_are_linked_to_esco_and_kept_as_typed(
    client, app, mini_esco, model_folder, tmp_path
):
    profile = _setup(app, mini_esco, model_folder, tmp_path)
    login(client, "cook@example.org", factories.PASSWORD)
    response = client.post(
        "/seeker/skills",
        data={
            "skill": [_id(Skill, "use cooking techniques")],
            "other_skills": "ordering of supplies\nplov",
        },
    )
    assert response.status_code == 302
    db.session.refresh(profile)
    held = {s.skill.label_en: s.source for s in profile.skills}
    assert held == {"use cooking techniques": "confirmed", "order supplies": "recognised"}
    assert profile.other_skills == ["ordering of supplies", "plov"]  # never dropped
    page = client.get("/seeker/skills").get_data(as_text=True)
    assert "ordering of supplies — linked to the skill: order supplies" in page
    assert "plov — kept as written" in page
