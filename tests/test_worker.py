"""Background jobs with a real `flask jobmatch worker` process on the machine's Redis."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from jobmatch.demo import build_demo
from jobmatch.extensions import db
from jobmatch.matching.models import StoredVector
from jobmatch.tasks.jobs import request_index
from jobmatch.tasks.queue import PENDING_PREFIX, runner
from jobmatch.taxonomy import services as taxonomy
from jobmatch.vacancies.models import Vacancy


@pytest.fixture
def shared(app, tmp_path, mini_esco, model_folder):
    """A database file and settings a worker process can share with the test."""
    app.config.update(JOBMATCH_MODEL=str(model_folder), EMBEDDINGS_PATH=str(tmp_path / "emb"))
    taxonomy.load(mini_esco)
    build_demo(seed=9, employers=2, vacancies=4, seekers=2)
    db.session.commit()
    return app


def _worker_env(app, redis_url: str) -> dict:
    return os.environ | {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "JOBMATCH_MODEL": app.config["JOBMATCH_MODEL"],
        "JOBMATCH_EMBEDDINGS_PATH": app.config["EMBEDDINGS_PATH"],
        "JOBMATCH_INSTANCE_PATH": app.config["INSTANCE_PATH"],
    }


def _vectors() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(StoredVector))


def test_a_worker_process_runs_queued_jobs_once_each(shared, redis_url):
    shared.config["REDIS_URL"] = redis_url
    ids = db.session.scalars(sa.select(Vacancy.id)).all()
    assert request_index("vacancy", ids) == {"queued": len(ids), "duplicate": 0, "dropped": 0}
    assert request_index("vacancy", ids[:1]) == {"queued": 0, "duplicate": 1, "dropped": 0}
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobmatch", "worker", "--burst"],
        env=_worker_env(shared, redis_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert _vectors() == len(ids)
    import redis

    assert not redis.Redis.from_url(redis_url).keys(PENDING_PREFIX + "*")


def test_embedded_mode_runs_jobs_in_process(shared):
    assert shared.config.get("REDIS_URL") is None
    shared.config["JOBS_INLINE"] = False  # the embedded default: a thread of this process
    vacancy = db.session.scalars(sa.select(Vacancy.id)).first()
    assert request_index("vacancy", [vacancy])["queued"] == 1
    runner().drain(timeout=120)
    assert _vectors() == 1


def test_without_redis_the_change_is_kept_and_the_job_dropped(shared):
    shared.config["REDIS_URL"] = "redis://127.0.0.1:6390/15"  # nothing listens there
    vacancy = db.session.scalars(sa.select(Vacancy.id)).first()
    assert request_index("vacancy", [vacancy])["dropped"] == 1
