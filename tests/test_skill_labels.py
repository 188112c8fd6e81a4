"""ESCO skills in French: loaded from the vendored files, shown on French pages, found in
French text; pages in Arabic, Azerbaijani and Russian say the names are in English."""

import pytest
import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.matching.recognition import label_index
from jobmatch.taxonomy import services as taxonomy
from jobmatch.taxonomy.models import Skill
from jobmatch.vacancies.models import VacancySkill
from tests import factories


@pytest.fixture
def esco(app, mini_esco):
    taxonomy.load(mini_esco)
    db.session.commit()


def _skill(label_en: str) -> Skill:
    return db.session.scalar(sa.select(Skill).where(Skill.label_en == label_en))


def test_the_french_labels_are_loaded(esco):
    cooking = _skill("use cooking techniques")
    assert cooking.label("fr") == "utiliser des techniques de cuisson"
    assert "avoir recours à des techniques de cuisson" in cooking.alt_labels_fr.split("|")
    assert cooking.label("ar") == cooking.label("ru") == "use cooking techniques"
    with_french = db.session.scalar(
        sa.select(sa.func.count()).select_from(Skill).where(Skill.label_fr.is_not(None))
    )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Skill))
    assert with_french / total > 0.9


def test_skills_written_in_french_are_recognised(esco):
    """Free text as a French cook writes it, naming skills in their ESCO French wording
    (inflected forms are the match-quality work's: see docs/BENCHMARKS.md)."""
    text = (
        "Cuisinier depuis dix ans, capable d'utiliser des techniques de cuisson variées "
        "(braiser, griller), je sais appliquer la méthode HACCP, planifier les menus et "
        "superviser du personnel en cuisine."
    )
    found = {s.label for s in label_index().find(text) if s.kind == "skill"}
    assert {"use cooking techniques", "apply HACCP", "plan menus", "supervise staff"} <= found


@pytest.mark.parametrize(
    "locale, shown, note",
    [("fr", "utiliser des techniques de cuisson", False), ("ar", "use cooking techniques", True),
     ("az", "use cooking techniques", True), ("en", "use cooking techniques", False)],
)  # fmt: skip
def test_a_vacancy_shows_its_skills_in_the_page_language(esco, client, locale, shown, note):
    post = factories.vacancy(factories.employer())
    post.skills = [VacancySkill(skill_id=_skill("use cooking techniques").id, relation="essential")]
    db.session.commit()
    client.get(f"/language/{locale}")
    page = client.get(f"/vacancies/{post.id}").get_data(as_text=True)
    assert shown in page
    assert ('class="hint"' in page and "ESCO" in page) is note
