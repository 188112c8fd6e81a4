"""Vectors, indexes and ranked matches on a small demo data set, with the real model."""

import json
import shutil

import numpy as np
import pytest
import sqlalchemy as sa

from jobmatch import create_app
from jobmatch.config import TestConfig
from jobmatch.counselling.models import Referral
from jobmatch.demo.build import build_demo
from jobmatch.extensions import db
from jobmatch.matching import services
from jobmatch.matching.engine import engine
from jobmatch.matching.models import StoredVector
from jobmatch.seekers.models import SeekerProfile
from jobmatch.taxonomy import services as taxonomy
from jobmatch.vacancies.models import Application, Vacancy

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def world(app, mini_esco, model_folder, tmp_path):
    app.config.update(JOBMATCH_MODEL=str(model_folder), EMBEDDINGS_PATH=str(tmp_path / "emb"))
    taxonomy.load(mini_esco)
    build_demo(seed=5, employers=3, vacancies=14, seekers=10)
    db.session.commit()
    first = {entity: services.sync(entity) for entity in ("vacancy", "seeker")}
    db.session.commit()
    return first


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_everything_is_embedded_once(world):
    assert world["vacancy"]["embedded"] == 14 and world["seeker"]["embedded"] == 10
    again = services.sync("vacancy")
    assert (again["embedded"], again["reused"]) == (0, 14)
    assert engine().index("vacancy").count() == 14
    assert _count(StoredVector) == 24


def test_a_changed_vacancy_is_embedded_again_and_found(world):
    vacancy = next(v for v in db.session.scalars(sa.select(Vacancy)) if v.is_open())
    vacancy.title = "Beekeeper for mountain apiaries"
    vacancy.description = "Look after bee colonies and harvest honey in Guba."
    vacancy.occupation, vacancy.skills = None, []
    db.session.commit()
    counts = services.sync("vacancy", [vacancy.id])
    db.session.commit()
    assert counts["embedded"] == 1
    found = services.search_vacancies("a job keeping bees and collecting honey", k=3)
    assert found[0][0] == vacancy.id


def test_closed_and_deleted_vacancies_leave_the_matches(world):
    seeker = db.session.scalars(sa.select(SeekerProfile.id)).first()
    fits = services.vacancies_for_seeker(seeker, k=5)
    assert fits and all(db.session.get(Vacancy, f.vacancy_id).is_open() for f in fits)
    best = db.session.get(Vacancy, fits[0].vacancy_id)
    best.status = "closed"
    db.session.commit()
    assert best.id not in [f.vacancy_id for f in services.vacancies_for_seeker(seeker, k=5)]

    gone = fits[1].vacancy_id
    for model in (Application, Referral):
        db.session.execute(sa.delete(model).where(model.vacancy_id == gone))
    db.session.execute(sa.delete(Vacancy).where(Vacancy.id == gone))
    db.session.commit()
    services.sync("vacancy", [gone])
    db.session.commit()
    assert gone not in engine().index("vacancy")
    assert _count(StoredVector) == 23


def test_filters_do_not_cost_results(world):
    region = db.session.scalar(
        sa.select(Vacancy.region)
        .where(Vacancy.status == "published")
        .group_by(Vacancy.region)
        .order_by(sa.func.count().desc())
    )
    in_region = services.open_vacancy_ids(services.VacancyFilter(region=region))
    seeker = db.session.scalars(sa.select(SeekerProfile.id)).first()
    fits = services.vacancies_for_seeker(seeker, k=50, flt=services.VacancyFilter(region=region))
    assert len(fits) == len(in_region)
    assert {db.session.get(Vacancy, f.vacancy_id).region for f in fits} == {region}
    scores = [f.score for f in fits]
    assert scores == sorted(scores, reverse=True)


def test_employers_only_see_seekers_who_agreed(world):
    vacancy = db.session.scalars(sa.select(Vacancy.id)).first()
    hidden = {p.id for p in db.session.scalars(sa.select(SeekerProfile)) if not p.visible}
    assert hidden
    shown = {f.seeker_id for f in services.candidates_for_vacancy(vacancy, k=50)}
    assert shown and not shown & hidden
    staff = services.candidates_for_vacancy(
        vacancy, k=50, flt=services.SeekerFilter(visible_only=False)
    )
    assert hidden <= {f.seeker_id for f in staff}


def test_a_lost_index_is_rebuilt_from_stored_vectors_without_the_model(world, monkeypatch):
    eng = engine()
    before = eng.index("vacancy").search(np.eye(1, 384, dtype=np.float32), 5)[1]
    shutil.rmtree(eng.folder("vacancy"))
    eng.forget_loaded()

    def no_model(*args, **kwargs):
        raise AssertionError("the model was called")

    monkeypatch.setattr(eng.embedder, "embed", no_model)
    after = eng.index("vacancy").search(np.eye(1, 384, dtype=np.float32), 5)[1]
    assert (before == after).all()
    assert (eng.folder("vacancy") / "CURRENT").exists()


def test_a_corrupt_index_file_is_rebuilt(world):
    eng = engine()
    snapshot = eng.folder("vacancy") / (eng.folder("vacancy") / "CURRENT").read_text()
    (snapshot / "index.faiss").write_bytes(b"not an index")
    eng.forget_loaded()
    assert eng.index("vacancy").count() == 14


def test_another_model_gets_its_own_vectors(world, app, model_folder, tmp_path):
    other = tmp_path / "renamed-model"
    other.mkdir()
    for item in model_folder.iterdir():
        if item.name != "jobmatch.json":
            (other / item.name).symlink_to(item)
    info = json.loads((model_folder / "jobmatch.json").read_text()) | {"name": "e5-renamed"}
    (other / "jobmatch.json").write_text(json.dumps(info))
    second = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        INSTANCE_PATH=str(tmp_path),
        JOBMATCH_MODEL=str(other),
        EMBEDDINGS_PATH=app.config["EMBEDDINGS_PATH"],
    )
    with second.app_context():
        counts = services.sync("seeker")
        db.session.commit()
        assert counts["embedded"] == 10
        assert "e5-renamed" in str(engine().folder("seeker"))
        assert engine().index("seeker").info.model == "e5-renamed"
        db.session.remove()
        db.engine.dispose()
    models = set(db.session.scalars(sa.select(StoredVector.model)))
    assert models == {"multilingual-e5-small", "e5-renamed"}


def test_candidates_are_scored_from_the_index_or_else_their_stored_vector(world):
    from jobmatch.matching import store

    model = engine().model_name
    ids, vectors = store.load("vacancy", model)
    query = vectors[0] / np.linalg.norm(vectors[0])
    expected = dict(zip(ids.tolist(), (vectors @ query).tolist(), strict=True))
    engine().index("vacancy").remove([int(ids[1])])  # its index job has not run yet
    assert int(ids[1]) not in engine().index("vacancy")
    cosines = services._cosines("vacancy", query[None, :], ids.tolist())
    assert cosines.keys() == expected.keys()
    assert all(abs(cosines[i] - expected[i]) < 1e-5 for i in expected)
