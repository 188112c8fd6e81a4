from jobmatch.matching.explain import reasons
from jobmatch.matching.ranking import SeekerFacts, VacancyFacts, assess


def test_reasons_are_sentences_a_job_seeker_understands(app):
    fit = assess(
        0.9,
        SeekerFacts(id=1, skills={1}, region="baku", city="Baku", languages={"az"}, salary=1200),
        VacancyFacts(
            id=2,
            essential={1: "drive bus", 2: "first aid"},
            region="baku",
            city="Baku",
            languages={"az", "ru"},
            salary_min=700,
            salary_max=1000,
        ),
    )
    texts = [r["text"] for r in reasons(fit)]
    assert "1 of the 2 essential skills are in the profile: drive bus." in texts
    assert "Missing essential skills: first aid." in texts
    assert "The job is in the same town." in texts
    assert "The job asks for a language not in the profile: Russian." in texts
    assert "The salary expectation is above the offer." in texts
    assert "The job and the profile describe very close work." in texts
    kinds = {r["text"]: r["kind"] for r in reasons(fit)}
    assert kinds["Missing essential skills: first aid."] == "gap"
    assert kinds["The job is in the same town."] == "good"


def test_long_skill_lists_are_shortened(app):
    fit = assess(
        0.8,
        SeekerFacts(id=1),
        VacancyFacts(id=2, essential={i: f"skill {i:02d}" for i in range(9)}),
    )
    missing = [r["text"] for r in reasons(fit) if r["text"].startswith("Missing")][0]
    assert missing.endswith("skill 04 and 4 more.")


def test_a_page_of_fits_reads_the_occupations_names_once(app):
    import sqlalchemy as sa
    from flask_babel import force_locale

    from jobmatch.extensions import db
    from jobmatch.matching.explain import reasons_for
    from jobmatch.matching.ranking import Fit
    from tests import factories

    cooks = [factories.occupation(f"cook {n}") for n in range(5)]
    for n, row in enumerate(cooks):
        row.label_fr = f"cuisinier {n}"
    db.session.commit()
    fits = [
        Fit(seeker_id=1, vacancy_id=n, score=0.5, similarity=0.5, components={"semantic": 0.5},
            occupation="same", occupation_id=cooks[n % 5].id, occupation_label="cook")
        for n in range(20)
    ]  # fmt: skip
    statements = []

    def count(conn, cursor, statement, *rest):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        with force_locale("fr"):
            texts = [why[0]["text"] for why in reasons_for(fits)]
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements  # not one per fit
    assert all(f"cuisinier {n % 5}" in texts[n] for n in range(20)), texts
    assert [r[0]["text"] for r in reasons_for(fits[:2])] == [
        "The same occupation: cook 0.",
        "The same occupation: cook 1.",
    ]
