"""The filters' facts held beside each index: the same answers as the database, expiry by
date without a write, and a change reaching another process through the change log."""

from datetime import timedelta

import numpy as np
import pytest
import sqlalchemy as sa

from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.matching import services
from jobmatch.matching.engine import MatchEngine, engine
from jobmatch.matching.filters import Facts, SeekerFilter, VacancyFilter, rows
from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies.models import Vacancy

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def world(demo_world):
    app = demo_world(seed=8, employers=3, vacancies=16, seekers=10)
    vacancies = db.session.scalars(sa.select(Vacancy).order_by(Vacancy.id)).all()
    today = utcnow().date()
    # every kind of fact, in a few of each
    vacancies[0].status = "closed"
    vacancies[1].expires_on = today - timedelta(days=1)
    vacancies[2].expires_on = today
    vacancies[3].languages = ["fr", "az"]
    vacancies[4].salary_min, vacancies[4].salary_max = 3000, None
    vacancies[5].salary_min, vacancies[5].salary_max = None, None
    vacancies[6].region, vacancies[6].contract_type = "nakhchivan", "seasonal"
    vacancies[7].published_at = utcnow() - timedelta(days=40)
    seekers = db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id)).all()
    for n, profile in enumerate(seekers):
        profile.visible = n % 3 != 0
    seekers[1].person.anonymised_at = utcnow()
    seekers[2].person.region, seekers[2].person.languages = "nakhchivan", ["ar"]
    # agreed to be found, but the address of the account is not confirmed yet
    seekers[4].visible, seekers[4].person.user.email_confirmed_at = True, None
    db.session.commit()
    for entity in ("vacancy", "seeker"):
        services.sync(entity)
    return app


VACANCY_FILTERS = [
    VacancyFilter(),
    VacancyFilter(open_only=False),
    VacancyFilter(region="nakhchivan"),
    VacancyFilter(region="baku"),
    VacancyFilter(region="nowhere"),
    VacancyFilter(contract_type="seasonal"),
    VacancyFilter(contract_type="permanent"),
    VacancyFilter(language="fr"),
    VacancyFilter(language="az"),
    VacancyFilter(language="xx"),
    VacancyFilter(salary_at_least=2500),
    VacancyFilter(published_after=utcnow() - timedelta(days=20)),
    VacancyFilter(ids=(1, 2, 3, 4, 999)),
    VacancyFilter(region="baku", language="ru", salary_at_least=800),
    VacancyFilter(regions=("baku", "nakhchivan")),
    VacancyFilter(regions=("nowhere",)),
    VacancyFilter(regions=("baku", "absheron-khizi"), contract_type="permanent"),
]
SEEKER_FILTERS = [
    SeekerFilter(),
    SeekerFilter(visible_only=False),
    SeekerFilter(region="nakhchivan"),
    SeekerFilter(region="baku", visible_only=False),
    SeekerFilter(language="ar"),
    SeekerFilter(language="az"),
    SeekerFilter(ids=(1, 2, 3, 999)),
]


@pytest.mark.parametrize(
    "entity, flt",
    [("vacancy", f) for f in VACANCY_FILTERS] + [("seeker", f) for f in SEEKER_FILTERS],
    ids=repr,
)
def test_every_filter_answers_as_the_database(world, entity, flt):
    truth = sorted(
        services.open_vacancy_ids(flt) if entity == "vacancy" else services.findable_seeker_ids(flt)
    )
    assert np.flatnonzero(engine().facts(entity).mask(flt)).tolist() == truth
    # the row-by-row rule of the re-ranking agrees too
    assert [r.id for r in db.session.execute(rows(entity)) if flt.admits(r)] == truth


def test_the_filters_are_not_trivial(world):
    facts = engine().facts("vacancy")
    sizes = {repr(f): int(facts.mask(f).sum()) for f in VACANCY_FILTERS}
    assert 0 < sizes[repr(VacancyFilter())] < sizes[repr(VacancyFilter(open_only=False))] == 16
    assert sizes[repr(VacancyFilter(region="nowhere"))] == 0
    assert sizes[repr(VacancyFilter(contract_type="seasonal"))] == 1
    assert engine().facts("seeker").mask(SeekerFilter(language="ar")).sum() >= 1
    unconfirmed = db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id)).all()[4]
    assert unconfirmed.visible and not unconfirmed.findable
    assert not engine().facts("seeker").mask(SeekerFilter())[unconfirmed.id]
    assert engine().facts("seeker").mask(SeekerFilter(visible_only=False))[unconfirmed.id]


def test_a_vacancy_expires_by_date_without_a_write(world):
    facts = engine().facts("vacancy")
    last_day = db.session.scalars(sa.select(Vacancy).order_by(Vacancy.id)).all()[2]
    today = utcnow().date()
    assert facts.mask(VacancyFilter(), today=today)[last_day.id]
    assert not facts.mask(VacancyFilter(), today=today + timedelta(days=1))[last_day.id]
    assert facts.mask(VacancyFilter(open_only=False), today=today + timedelta(days=1))[last_day.id]


def test_a_change_reaches_another_process_filters_through_the_log(world):
    other = MatchEngine(world.config)  # another process's copy of the index and facts
    before = other.facts("vacancy").mask(VacancyFilter(region="ganja-dashkasan"))
    vacancy = db.session.scalars(
        sa.select(Vacancy).where(Vacancy.open_on()).order_by(Vacancy.id.desc())
    ).first()
    assert not before[vacancy.id] or vacancy.region == "ganja-dashkasan"
    held = other.index("vacancy")
    vacancy.region = "ganja-dashkasan"  # the text and its vector stay as they were
    db.session.commit()
    services.sync("vacancy", [vacancy.id])  # the index job that the commit queues
    assert other.index("vacancy") is held  # the log applied in place
    assert held.count() == 16  # no vector added twice
    assert other.facts("vacancy").mask(VacancyFilter(region="ganja-dashkasan"))[vacancy.id]

    profile = next(
        p
        for p in db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id))
        if p.visible and p.person.anonymised_at is None
    )
    assert other.facts("seeker").mask(SeekerFilter())[profile.id]
    profile.person.anonymised_at = utcnow()  # a change to the person, not the profile
    db.session.commit()
    services.sync("seeker", [profile.id])
    assert not other.facts("seeker").mask(SeekerFilter())[profile.id]

    unconfirmed = db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id)).all()[4]
    assert not other.facts("seeker").mask(SeekerFilter())[unconfirmed.id]
    unconfirmed.person.user.email_confirmed_at = utcnow()  # the account's owner confirms
    db.session.commit()
    services.sync("seeker", [unconfirmed.id])
    assert other.facts("seeker").mask(SeekerFilter())[unconfirmed.id]


def test_a_person_change_queues_the_seeker_index_job(world, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "jobmatch.matching.tracking.request_index", lambda entity, ids: queued.append((entity, ids))
    )
    world.config["INDEX_ON_COMMIT"] = True
    profile = db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id)).first()
    profile.person.phone = "+994 50 000 00 00"  # not a fact a filter uses
    db.session.commit()
    assert queued == []
    profile.person.region = "karabakh"
    db.session.commit()
    assert queued == [("seeker", [profile.id])]
    profile.person.user.email_confirmed_at = None
    db.session.commit()
    assert queued[1:] == [("seeker", [profile.id])]


def test_facts_are_saved_in_the_snapshot_and_read_back(world):
    engine().save_snapshot("vacancy")
    db.session.commit()
    fresh = MatchEngine(world.config)
    loaded = fresh.index("vacancy")
    assert loaded.snapshot is not None and (loaded.snapshot / "facts.npz").exists()
    saved = Facts.load(loaded.snapshot, "vacancy")
    for flt in VACANCY_FILTERS:
        assert (saved.mask(flt) == engine().facts("vacancy").mask(flt)).all()


def test_matching_never_shows_what_the_database_has_closed_since(world):
    """The facts lag a commit until its index job has run; the candidates that reach the
    re-ranking are checked against the database again."""
    seeker = db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id)).first()
    shown = [f.vacancy_id for f in services.vacancies_for_seeker(seeker.id, 5)]
    assert shown
    closed = db.session.get(Vacancy, shown[0])
    closed.status = "closed"
    db.session.commit()  # no index job has run
    again = [f.vacancy_id for f in services.vacancies_for_seeker(seeker.id, 5)]
    assert shown[0] not in again and again


def _held_in_database(entity: str) -> dict[int, dict[int, float]]:
    """occupation -> {document: best confidence}, chosen (1.0) or recognised, from the rows."""
    from jobmatch.matching.models import RecognisedOccupation
    from jobmatch.seekers.models import seeker_occupation

    out: dict[int, dict[int, float]] = {}
    if entity == "vacancy":
        chosen = sa.select(Vacancy.id, Vacancy.occupation_id).where(
            Vacancy.occupation_id.is_not(None)
        )
    else:
        chosen = sa.select(seeker_occupation.c.seeker_id, seeker_occupation.c.occupation_id)
    for doc, occupation in db.session.execute(chosen):
        out.setdefault(occupation, {})[doc] = 1.0
    for doc, occupation, confidence in db.session.execute(
        sa.select(
            RecognisedOccupation.entity_id,
            RecognisedOccupation.occupation_id,
            RecognisedOccupation.confidence,
        ).where(RecognisedOccupation.entity_type == entity)
    ):
        held = out.setdefault(occupation, {})
        held[doc] = max(held.get(doc, 0.0), confidence)
    return out


def _brute_force(entity: str, weights: dict[int, float], allowed) -> list[int]:
    score: dict[int, float] = {}
    for occupation, docs in _held_in_database(entity).items():
        for doc, confidence in docs.items():
            value = weights.get(occupation, 0.0) * confidence
            if value > score.get(doc, 0.0) and (allowed is None or allowed[doc]):
                score[doc] = value
    return [d for d, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))]


@pytest.mark.parametrize("entity", ["vacancy", "seeker"])
def test_occupation_postings_answer_as_the_database_also_after_changes(world, entity):
    other = MatchEngine(world.config)  # another process
    held = _held_in_database(entity)
    assert held, "the demo's documents hold occupations"
    weights = {o: 1.0 - 0.1 * n for n, o in enumerate(sorted(held)[:6])}
    allowed = other.facts(entity).mask(VacancyFilter() if entity == "vacancy" else SeekerFilter())
    for mask in (None, allowed):
        assert other.facts(entity).postings.best(weights, mask, 50) == _brute_force(
            entity, weights, mask
        )

    # a document changes its occupation: the log brings it to the other process
    from jobmatch.taxonomy.models import Occupation

    new_occupation = db.session.scalars(
        sa.select(Occupation).where(Occupation.id.not_in(list(held))).order_by(Occupation.id)
    ).first()
    if entity == "vacancy":
        doc = db.session.scalars(sa.select(Vacancy).order_by(Vacancy.id)).first()
        doc.occupation_id = new_occupation.id
    else:
        doc = db.session.scalars(sa.select(SeekerProfile).order_by(SeekerProfile.id)).first()
        doc.occupations = [new_occupation]
    db.session.commit()
    services.sync(entity, [doc.id])
    weights[new_occupation.id] = 0.95
    for mask in (None, allowed):
        found = other.facts(entity).postings.best(weights, mask, 50)
        assert found == _brute_force(entity, weights, mask)
    assert doc.id in other.facts(entity).postings.best({new_occupation.id: 1.0}, None, 5)
    other.facts(entity).postings.fold()  # folded in, the same answers
    assert other.facts(entity).postings.best(weights, None, 50) == _brute_force(
        entity, weights, None
    )


def test_the_title_channel_answers_per_document_and_follows_the_log(world):
    from jobmatch.matching.channels import TitleIndex
    from jobmatch.matching.occupations import titles_of

    index = TitleIndex("vacancy")
    index.refresh(0)
    titles = {i: names[0] for i, names in titles_of("vacancy").items() if names}
    assert len(set(titles.values())) <= index.matrix.shape[0] <= len(titles)

    def brute(query: str, allowed) -> list[int]:
        sims = index.grams.transform(list(titles.values())) @ index.vector(query).T
        pairs = [
            (i, float(s))
            for i, s in zip(titles, sims.toarray().ravel(), strict=True)
            if s > 0 and (allowed is None or allowed[i])
        ]
        return [i for i, _ in sorted(pairs, key=lambda kv: (-kv[1], kv[0]))]

    query = next(iter(titles.values()))
    allowed = engine().facts("vacancy").mask(VacancyFilter())
    for mask in (None, allowed):
        found = index.similar(query, mask, 8)
        assert found == brute(query, mask)[:8]
        assert found and all(mask is None or mask[i] for i in found)

    # a vacancy takes a new title: the log moves it to a new row, in this process too
    vacancy = db.session.get(Vacancy, found[-1])
    vacancy.title = "Arıçı (bal istehsalı)"
    db.session.commit()
    services.sync("vacancy", [vacancy.id])
    index.refresh(0)
    titles[vacancy.id] = vacancy.title
    assert index.similar("arıçı", None, 3)[0] == vacancy.id
    assert index.similar(query, allowed, 8) == brute(query, allowed)[:8]
    assert index.similarity("arıçı", [vacancy.id])[vacancy.id] > 0.5
