"""Occupation recognition in five languages, the three channels, their fusion and the why."""

import json

import numpy as np
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobmatch.extensions import db
from jobmatch.matching.channels import fuse
from jobmatch.matching.explain import reasons
from jobmatch.matching.models import RecognisedOccupation
from jobmatch.matching.occupations import Concept, Recogniser, recognise_entities
from jobmatch.matching.ranking import (
    HeldOccupation,
    SeekerFacts,
    VacancyFacts,
    assess,
    related,
)
from jobmatch.matching.recognition import local_titles
from jobmatch.search.lexical import CharGrams, fitted, fold, shared_words
from jobmatch.taxonomy import services as taxonomy
from jobmatch.taxonomy.models import Occupation
from jobmatch.taxonomy.services import DATA_DIR, read_rows
from tests import factories


@pytest.fixture(scope="module")
def esco():
    """A recogniser over every ESCO occupation the service carries (no database)."""
    local = local_titles()
    rows = list(read_rows(DATA_DIR / "occupations.csv.gz"))
    concepts = [
        Concept(
            n,
            row["code"],
            (
                row["label_en"],
                *row["alt_en"].split("|"),
                row["label_fr"] or "",
                *row["alt_fr"].split("|"),
                row["label_ar"] or "",
                *local.get(row["label_en"], []),
            ),
        )
        for n, row in enumerate(rows)
    ]
    return Recogniser(concepts), {n: row["label_en"] for n, row in enumerate(rows)}


def test_folding_and_shared_words():
    assert fold("  Cuisinière  EN chef ") == "cuisiniere en chef"
    assert fold("Повар-ёлка") == "повар-елка"
    assert shared_words("Chef cuisinier", "Cuisinier / Cook") == ["Cuisinier"]
    assert shared_words("Welder", "Cook") == []


def test_char_grams_forgive_accents_and_typos():
    grams = CharGrams()
    labels = grams.fit(["cuisinière", "soudeur", "comptable"])
    query = grams.transform(["cuisiniere"]) @ labels.T
    assert query.toarray().argmax() == 0 and query.toarray()[0, 0] > 0.9
    typo = (grams.transform(["comptabel"]) @ labels.T).toarray()[0]
    assert typo.argmax() == 2 and typo[2] > 0.5
    with pytest.raises(RuntimeError):
        CharGrams().transform(["x"])


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Head Chef", "head chef"),  # en, an ESCO label
        ("Bus driver - KL", "bus driver"),  # en, as vacancy boards write it
        ("Cuisinière", "cook"),  # fr, feminine form
        ("Comptable", "accountant"),  # fr
        ("Boulangère", "baker"),  # fr, feminine
        ("محاسب", "accountant"),  # ar
        ("Aşpaz", "cook"),  # az, the service's own titles
        ("Qaynaqçı", "welder"),  # az
        ("Повар", "cook"),  # ru
        ("Сварщик", "welder"),  # ru
    ],
)
def test_titles_are_recognised_in_five_languages(esco, title, expected):
    recogniser, labels = esco
    found = recogniser.recognise([title], k=3)[0]
    assert expected in [labels[f.occupation_id] for f in found], found
    assert 0 < found[0].confidence <= 1


def test_free_titles_are_recognised_with_less_confidence(esco):
    recogniser, labels = esco
    exact, free = recogniser.recognise(["cook", "cuisinier en restauration collective"])
    assert labels[exact[0].occupation_id] == "cook" and exact[0].confidence == 1.0
    assert labels[free[0].occupation_id] == "cook" and free[0].confidence < 1.0


def test_nonsense_is_no_occupation(esco):
    recogniser, _labels = esco
    assert recogniser.recognise(["xyzzy qwerty"])[0] == []


def test_documents_keep_what_their_titles_and_texts_name(app, mini_esco):
    taxonomy.load(mini_esco)
    org = factories.employer()
    titled = factories.vacancy(org, title="Cuisinière (H/F)")
    described = factories.vacancy(
        org, title="Urgent!", description="Our new bakery needs a baker from March."
    )
    db.session.flush()
    assert recognise_entities("vacancy", [titled.id, described.id]) >= 2
    rows = db.session.execute(
        sa.select(RecognisedOccupation.entity_id, Occupation.label_en, RecognisedOccupation.source)
        .join(Occupation, Occupation.id == RecognisedOccupation.occupation_id)
        .order_by(RecognisedOccupation.confidence.desc())
    ).all()
    assert (titled.id, "cook", "title") in rows
    assert (described.id, "baker", "text") in rows
    # recognised again: replaced, not added to
    before = len(rows)
    recognise_entities("vacancy", [titled.id, described.id])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecognisedOccupation)) == before


def test_related_occupations():
    assert related("5120.1", "5120.1") == "same"
    assert related("5120.1", "5120.1.2") == "broader"
    assert related("5120.1.3", "5120.1.2") == "broader"
    assert related("5120.1", "5120.2") == "group"
    assert related("5120.1", "7212.1") is None


def _held(code, label, confidence=1.0):
    return HeldOccupation(hash(code) % 1000, code, label, confidence)


def test_the_occupation_component_and_relation_factors():
    cook, baker = _held("5120.1", "cook"), _held("7512.1", "baker")
    seeker = SeekerFacts(id=1, occupations=[_held("5120.1", "cook", 0.8)])
    same = assess(0.8, seeker, VacancyFacts(id=2, occupations=[cook]))
    other = assess(0.8, seeker, VacancyFacts(id=3, occupations=[baker]))
    unknown = assess(0.8, seeker, VacancyFacts(id=4))
    assert same.components["occupation"] == pytest.approx(0.8) and same.occupation == "same"
    assert other.components["occupation"] == 0 and other.occupation == "different"
    assert "occupation" not in unknown.components  # cannot be judged: left out
    assert same.score > unknown.score > other.score
    halved = assess(0.8, seeker, VacancyFacts(id=2, occupations=[cook]), factors={"same": 0.5})
    assert halved.components["occupation"] == pytest.approx(0.4)


def test_reciprocal_rank_fusion_lets_one_channel_lift_a_candidate():
    dense = [1, 2, 3, 4]
    occupation = [9, 2]
    fused = fuse([dense, occupation], 3)
    assert fused[0] == 2  # found by both
    assert 9 in fused  # found by one channel only, first there
    assert fuse([], 5) == []


def _why(fit, locale: str) -> list[str]:
    with force_locale(locale):
        return [r["text"] for r in reasons(fit)]


def test_the_why_names_the_occupation_in_five_languages(app, mini_esco):
    taxonomy.load(mini_esco)
    cook = db.session.scalar(sa.select(Occupation).where(Occupation.label_en == "cook"))
    held = HeldOccupation(cook.id, cook.code, cook.label_en, 1.0, True)
    fit = assess(
        0.85, SeekerFacts(id=1, occupations=[held]), VacancyFacts(id=2, occupations=[held])
    )
    fit.shared_words = ["Cook"]
    english = _why(fit, "en")
    assert "The same occupation: cook." in english
    assert "The titles share: Cook." in english
    assert not any("similarity" in t or "0.85" in t for t in english)  # no jargon
    french = _why(fit, "fr")
    assert any(cook.label_fr.split("/")[0] in t for t in french), french
    for locale in ("fr", "ar", "az", "ru"):
        assert not _why(fit, locale)[0].startswith("The same occupation"), locale
    baker = db.session.scalar(sa.select(Occupation).where(Occupation.label_en == "baker"))
    other = assess(
        0.85,
        SeekerFacts(id=1, occupations=[held]),
        VacancyFacts(id=3, occupations=[HeldOccupation(baker.id, baker.code, "baker", 1.0)]),
    )
    texts = _why(other, "en")
    assert "The job is for another occupation: baker." in texts
    assert not any("close work" in t for t in texts)  # never "close work" across occupations


# --- the channels, end to end with the bundled model ---------------------------------

# Azerbaijani kitchen and food trades: close in meaning to a cook, in the seeker's language.
DISTRACTORS = [
    "Aşpaz köməkçisi",
    "Baş aşpaz müavini",
    "Aşpazlıq müəllimi",
    "Ofisiant",
    "Qabyuyan",
    "Qənnadçı",
]


@pytest.fixture
def world(app, mini_esco, model_folder, tmp_path, runner, request):
    """Azerbaijani kitchen vacancies of other trades; an Arabic cook vacancy, and one titled
    as the seeker's wish, both with texts about something else; an Azerbaijani cook looking
    for work. Only four candidates are retrieved and four shown."""
    taxonomy.load(mini_esco)
    db.session.commit()
    app.config.update(
        JOBMATCH_MODEL=str(model_folder), EMBEDDINGS_PATH=str(tmp_path / "emb"), MATCH_CANDIDATES=4
    )
    defaults = dict(app.config["MATCH_WEIGHTS"])

    cook_ar = db.session.scalar(sa.select(Occupation.label_ar).where(Occupation.label_en == "cook"))
    kitchen = request.param  # what the kitchen vacancies say
    lines = [
        {"external_id": f"D{n}-{i}", "title": title, "description": kitchen}
        for n in range(3)
        for i, title in enumerate(DISTRACTORS)
    ]
    elsewhere = {  # long texts about the company, far from a kitchen
        "ar": "شركة نقل وخدمات لوجستية كبيرة. نقدم رواتب جيدة وتأمينا صحيا وإجازات سنوية.",
        "en": "A large logistics company moving containers between ports and warehouses. "
        "We run trucks, cranes and a customs office, and we pay well. Shifts start at six. "
        "Apply with your driving licence and references from earlier employers.",
    }
    lines.append({"external_id": "COOK-AR", "title": cook_ar, "description": elsewhere["ar"]})
    lines.append({"external_id": "NAMED", "title": "Aşpaz", "description": elsewhere["en"]})
    vacancies = tmp_path / "v.jsonl"
    vacancies.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    seekers = tmp_path / "s.jsonl"
    seekers.write_text(
        json.dumps({"external_id": "S", "desired_title": "Aşpaz"}, ensure_ascii=False)
    )
    assert runner.invoke(args=["jobmatch", "import", "vacancies", str(vacancies)]).exit_code == 0
    assert runner.invoke(args=["jobmatch", "import", "seekers", str(seekers)]).exit_code == 0

    def top(channels, k=4, weights=None):
        app.config.update(MATCH_CHANNELS=channels, MATCH_WEIGHTS=defaults | (weights or {}))
        result = runner.invoke(args=["jobmatch", "match", "seekers", "--k", str(k)])
        return json.loads(result.output.strip().splitlines()[-1])["vacancies"]

    return top


@pytest.mark.parametrize("world", ["Restoran mətbəxində iş."], indirect=True)
def test_a_vacancy_only_the_occupation_channel_finds_reaches_the_top(world):
    assert "COOK-AR" not in world(("dense",))
    assert "COOK-AR" in world(("dense", "occupation"))


# kitchen vacancies that say "cook" twice: closer in meaning than one merely titled so
@pytest.mark.parametrize("world", ["Aşpaz. Aşpaz işi."], indirect=True)
def test_a_vacancy_only_the_lexical_channel_finds_reaches_the_top(world):
    assert "NAMED" not in world(("dense",))
    assert "NAMED" in world(("dense", "lexical"))


def test_fitted_label_grams_are_kept_and_read_back(tmp_path):
    labels = ["cook", "chef de cuisine", "cuisinier/cuisinière", "طباخ", "aşpaz"]
    grams, matrix = fitted(labels, tmp_path)
    (saved,) = tmp_path.glob("grams-*.npz")
    again, read = fitted(labels, tmp_path)  # from the file: the same numbers
    assert (read != matrix).nnz == 0 and np.array_equal(again.idf, grams.idf)
    query = again.transform(["cuisinier"]) @ read
    assert int(np.argmax(query.toarray())) == 2
    saved.write_bytes(b"not numpy")  # unreadable: fitted again and written anew
    _, refitted = fitted(labels, tmp_path)
    assert (refitted != matrix).nnz == 0 and saved.stat().st_size > 100
    other, _ = fitted(labels[:2], tmp_path)  # other labels: another file
    assert len(list(tmp_path.glob("grams-*.npz"))) == 2
