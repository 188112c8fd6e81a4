"""ESCO occupations and skills recognised in free text, by label and by meaning."""

import pytest
import sqlalchemy as sa

from jobmatch import create_app
from jobmatch.config import TestConfig
from jobmatch.extensions import db
from jobmatch.matching import recognition, skills
from jobmatch.taxonomy import services as taxonomy
from jobmatch.taxonomy.models import Occupation


@pytest.fixture(scope="module")
def concepts(mini_esco, model_folder, tmp_path_factory):
    """One app for the module: embedding the labels once is the slow part."""
    folder = tmp_path_factory.mktemp("recognition")
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'r.sqlite'}",
        INSTANCE_PATH=str(folder),
        JOBMATCH_MODEL=str(model_folder),
        EMBEDDINGS_PATH=str(folder / "emb"),
    )
    with app.app_context():
        db.create_all()
        taxonomy.load(mini_esco)
        for kind in recognition.KINDS:
            recognition.index_concepts(kind)
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


def _essential_skills(label: str) -> set[str]:
    cook = db.session.scalar(sa.select(Occupation).where(Occupation.label_en == label))
    return {s.label_en for s, rel in taxonomy.occupation_skills(cook) if rel == "essential"}


def by_kind(suggestions, kind, source=None):
    return [s.label for s in suggestions if s.kind == kind and source in (None, s.source)]


def test_named_skills_and_occupation_are_found_by_label(concepts):
    found = recognition.suggest("Experienced cook. I use cooking techniques and order supplies.")
    assert "cook" in by_kind(found, "occupation", "label")
    assert {"use cooking techniques", "order supplies"} <= set(by_kind(found, "skill", "label"))


@pytest.mark.parametrize(
    "text, occupation",
    [
        ("Cuisinier depuis dix ans dans une brasserie.", "cook"),
        ("أعمل عامل لحام منذ خمس سنوات.", "welder"),
        ("Mühasib kimi 8 il işləmişəm.", "accountant"),
        ("Работаю водителем автобуса. Водитель автобуса с категорией D.", "bus driver"),
    ],
)
def test_occupations_are_recognised_in_every_language(concepts, text, occupation):
    assert occupation in by_kind(recognition.suggest(text), "occupation")


def test_skills_are_suggested_by_meaning_across_languages(concepts):
    text = (
        "Restoranda isti və soyuq yeməklər bişirmişəm. Mətbəxin təmizliyinə və "
        "gigiyena qaydalarına cavabdeh idim."
    )
    meant = set(by_kind(recognition.suggest(text), "skill", "meaning"))
    assert meant & _essential_skills("cook"), meant


# --- skills named in other words: phrases of free text against every skill's labels ----


def by_phrase(text: str) -> dict[str, set[str]]:
    out = {}
    for found in skills.skills_in(text):
        out.setdefault(found.phrase, set()).add(found.label)
    return out


def test_phrases_are_the_items_of_lists_and_sentences():
    text = "Compétences : HACCP, gestion des stocks; pâtisserie et sauces.\n• travail en équipe"
    assert skills.phrases_of(text) == [
        "HACCP", "gestion des stocks", "pâtisserie", "sauces", "travail en équipe"
    ]  # fmt: skip


def test_a_french_cv_names_skills_in_its_own_words(concepts):
    found = by_phrase(
        "Cuisinière expérimentée. Maîtrise des normes HACCP, gestion des stocks, "
        "préparation des sauces, pâtisserie, encadrement du personnel de cuisine."
    )
    assert "cook sauce products" in found["préparation des sauces"]
    assert "manage inventory" in found["gestion des stocks"]
    assert "apply HACCP" in found["Maîtrise des normes HACCP"]
    assert found["pâtisserie"] & {"bake confections", "cook pastry products"}
    assert "Cuisinière expérimentée" not in found  # a person, not a skill
    suggested = recognition.suggest("Cuisinière. Préparation des sauces, pâtisserie.")
    assert "cook sauce products" in by_kind(suggested, "skill", "words")


def test_typos_and_word_order_are_forgiven(concepts):
    phrases = ["sauce products cooking", "cooking sauce prodcts"]
    for found in skills.recognise_phrases(phrases, floor=0.5):
        assert [f.label for f in found] == ["cook sauce products"], found


def test_a_phrase_in_a_language_without_skill_labels_is_judged_by_meaning(concepts):
    found = skills.recognise_phrases(["приготовление соусов"], floor=0.3)[0]
    assert found and found[0].label == "cook sauce products", found
    assert skills.recognise_phrases(["xyzzy qwerty"])[0] == []
