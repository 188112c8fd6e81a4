"""One index, many processes: the change log, snapshots, rebuilds, the change tracker, the
scheduled jobs. Each `MatchEngine` below stands for another process's copy of the index."""

import numpy as np
import pytest
import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.matching import services, store, tracking
from jobmatch.matching import tasks as jobs
from jobmatch.matching.engine import MatchEngine, engine
from jobmatch.matching.models import IndexChange, StoredVector
from jobmatch.vacancies.models import Vacancy, VacancySkill
from jobmatch.vacancies.tasks import expire_vacancies
from tests import factories

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def world(demo_world):
    return demo_world(seed=5, employers=3, vacancies=12, seekers=4)


def _stored(entity: str, entity_id: int) -> np.ndarray:
    ids, vectors = store.load(entity, engine().model_name, [entity_id])
    assert list(ids) == [entity_id]
    return vectors[0]


def _a_vacancy() -> Vacancy:
    return db.session.scalars(sa.select(Vacancy).order_by(Vacancy.id)).first()


def test_a_change_reaches_another_process_through_the_log_without_a_reload(world):
    other = MatchEngine(world.config)
    held = other.index("vacancy")
    vacancy = _a_vacancy()
    vacancy.title, vacancy.description = "Beekeeper", "Look after bee colonies in Guba."
    db.session.commit()
    services.sync("vacancy", [vacancy.id])

    assert other.index("vacancy") is held  # applied in place, not read again
    assert np.allclose(held.vectors([vacancy.id])[0], _stored("vacancy", vacancy.id))
    assert held.info.position == store.log_position("vacancy", other.model_name)

    gone = vacancy.id
    db.session.delete(vacancy)
    db.session.commit()
    services.sync("vacancy", [gone])
    assert gone not in other.index("vacancy") and other.index("vacancy").count() == 11


def test_a_snapshot_prunes_the_log_and_a_process_left_behind_reads_it(world):
    world.config["INDEX_LOG_RETENTION"] = 0
    late = MatchEngine(world.config)
    late.index("vacancy")
    vacancy = _a_vacancy()
    vacancy.description = "Now also night shifts in the bakery."
    db.session.commit()
    services.sync("vacancy", [vacancy.id])

    report = engine().save_snapshot("vacancy")
    db.session.commit()
    assert report["saved"] and report["log_lines_pruned"] >= 1
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(IndexChange)
            .where(IndexChange.entity_type == "vacancy")
        )
        == 0
    )
    # The lines the late process needed are gone: it reads the snapshot instead.
    index = late.index("vacancy")
    assert np.allclose(index.vectors([vacancy.id])[0], _stored("vacancy", vacancy.id))
    assert index.info.version == report["version"]
    again = engine().save_snapshot("vacancy")
    assert not again["saved"]  # nothing changed since


def test_a_rebuild_is_built_aside_and_swapped_into_the_other_processes(world):
    other = MatchEngine(world.config)
    old = other.index("vacancy")
    rebuilt = engine().rebuild_index("vacancy")
    assert rebuilt.info.generation > old.info.generation
    other.refresh("vacancy", force=True)  # notices the new generation, loads it aside
    other.wait_for_swaps()
    swapped = other.index("vacancy")
    assert swapped is not old and swapped.info.generation == rebuilt.info.generation
    assert (swapped.ids() == old.ids()).all()


def test_committed_changes_queue_index_jobs_and_a_rollback_does_not(world, monkeypatch):
    world.config["INDEX_ON_COMMIT"] = True
    calls = []
    real = tracking.request_index
    monkeypatch.setattr(tracking, "request_index", lambda e, ids: calls.append((e, sorted(ids))))

    vacancy = _a_vacancy()
    vacancy.title = "Something else"
    db.session.rollback()
    assert calls == []

    vacancy = _a_vacancy()
    assert vacancy.skills
    vacancy.skills = []  # only the skills change: they are part of the vacancy's text
    db.session.commit()
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(VacancySkill.vacancy_id == vacancy.id))
        == 0
    )
    assert calls == [("vacancy", [vacancy.id])]
    vacancy.region = vacancy.region  # no net change: nothing queued
    db.session.commit()
    assert len(calls) == 1

    monkeypatch.setattr(tracking, "request_index", real)  # now for real, inline as in the tests
    employer = vacancy.employer
    new = factories.vacancy(employer, title="Apiarist", description="Harvest honey in Guba.")
    db.session.commit()
    assert new.id in engine().index("vacancy")
    found = services.search_vacancies("keeping bees and collecting honey", k=1)
    assert found[0][0] == new.id
    gone = new.id
    db.session.delete(new)
    db.session.commit()
    assert gone not in engine().index("vacancy")


def test_vacancies_past_their_date_are_marked_expired(world):
    vacancy = db.session.scalars(sa.select(Vacancy).where(Vacancy.status == "published")).first()
    vacancy.expires_on = factories.utcnow().date().replace(year=2020)
    db.session.commit()
    assert expire_vacancies()["expired"] == 1
    db.session.refresh(vacancy)
    assert vacancy.status == "expired"
    assert vacancy.id not in services.open_vacancy_ids(services.VacancyFilter())


def test_the_reconcile_finds_missing_vectors_and_index_entries(world):
    vacancy = _a_vacancy()
    db.session.execute(
        sa.delete(StoredVector).where(
            StoredVector.entity_type == "vacancy", StoredVector.entity_id == vacancy.id
        )
    )
    added = factories.vacancy(vacancy.employer, title="Tour guide", description="Old city tours.")
    db.session.commit()  # INDEX_ON_COMMIT is off: as if the jobs were lost
    # An index entry lost too: this process's copy misses another vacancy.
    lost = db.session.scalars(sa.select(Vacancy.id).order_by(Vacancy.id.desc())).all()[1]
    engine().index("vacancy").remove([lost])

    report = jobs.reconcile()["vacancy"]
    assert report["stale_or_missing"] == 2 and report["queued"] == 2
    assert report["index_repaired"] >= 1
    index = engine().index("vacancy")
    for entity_id in (vacancy.id, added.id, lost):
        assert entity_id in index
        assert np.allclose(index.vectors([entity_id])[0], _stored("vacancy", entity_id))
    assert jobs.reconcile()["vacancy"] == {
        "stale_or_missing": 0,
        "orphans": 0,
        "queued": 0,
        "index_repaired": 0,
    }


def test_a_corrupt_or_missing_index_is_rebuilt_without_embedding(world, monkeypatch):
    eng = engine()
    held = eng.index("vacancy").ids()

    def no_model(*args, **kwargs):
        raise AssertionError("the model must not be called")

    monkeypatch.setattr(eng.embedder, "embed", no_model)
    snapshot = eng.folder("vacancy") / (eng.folder("vacancy") / "CURRENT").read_text()
    (snapshot / "index.faiss").write_bytes(b"not an index")
    eng.forget_loaded()
    assert (eng.index("vacancy").ids() == held).all()
    for path in eng.folder("vacancy").iterdir():
        if path.is_dir():
            for item in path.iterdir():
                item.unlink()
            path.rmdir()
        else:
            path.unlink()
    eng.forget_loaded()
    assert (eng.index("vacancy").ids() == held).all()
