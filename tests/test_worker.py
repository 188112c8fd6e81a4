"""Background jobs with a real `flask jobmatch worker` process on the machine's Redis."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.matching.models import StoredVector
from jobmatch.matching.tracking import request_index
from jobmatch.tasks.queue import PENDING_PREFIX, JobSpec, runner
from jobmatch.vacancies.models import Vacancy


@pytest.fixture
def shared(demo_world):
    """A database file and settings a worker process can share with the test."""
    return demo_world(seed=9, employers=2, vacancies=4, seekers=2, index=False)


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


def test_the_scheduler_process_queues_the_scheduled_jobs(shared, redis_url):
    from rq import Queue

    env = _worker_env(shared, redis_url)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobmatch", "scheduler"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    import time

    import redis

    queue = Queue("default", connection=redis.Redis.from_url(redis_url))
    try:
        end = time.monotonic() + 60
        while time.monotonic() < end and queue.count < 5:
            time.sleep(0.2)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    descriptions = {job.args[0] for job in queue.get_jobs()}  # registered names
    # interval jobs run at once, the cron ones (expiry, nightly rebuild) at their time
    assert descriptions == {
        "reconcile",
        "snapshot_indexes",
        "deliver_outbox",
        "alert_saved_searches",
        "compute_statistics",
    }, output
    assert "expire_vacancies: 5 * * * *" in output and "rebuild_indexes: 30 2 * * *" in output


def test_embedded_schedule_runs_the_jobs_in_process(shared):
    from jobmatch.tasks.schedule import InProcessSchedule

    shared.config["JOBS_INLINE"] = False
    schedule = InProcessSchedule(shared, first_delay=0, tick=0.05)
    work = runner()
    import time

    try:
        end = time.monotonic() + 120
        while time.monotonic() < end and len(work.history) < 5:
            time.sleep(0.1)
        work.drain(timeout=120)
    finally:
        schedule.stop()
    done = {r["function"].rsplit(".", 1)[1]: r["status"] for r in work.history}
    # the interval jobs, and the index job the reconcile queued
    jobs = [
        "reconcile",
        "snapshot_indexes",
        "deliver_outbox",
        "alert_saved_searches",
        "compute_statistics",
        "index_entities",
    ]
    assert done == dict.fromkeys(jobs, "finished")
    assert _vectors() == 6  # the reconcile indexed what was never indexed


def test_admins_see_failed_jobs_and_retry_them(shared, redis_url, client):
    from rq import Queue, SimpleWorker

    from jobmatch.tasks.queue import enqueue
    from tests import factories
    from tests.conftest import login

    shared.config["REDIS_URL"] = redis_url
    factories.user("admin", email="admin@example.org")
    db.session.commit()
    import redis

    connection = redis.Redis.from_url(redis_url)
    assert enqueue(index_entities_of_nothing, key="broken") == "queued"
    SimpleWorker(["default"], connection=connection).work(burst=True)
    failed = Queue("default", connection=connection).failed_job_registry
    assert failed.count == 1

    login(client, "admin@example.org", factories.PASSWORD)
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "index_entities_of_nothing()" in page and "no such entity kind" in page
    response = client.post("/admin/jobs/retry", data={"job": failed.get_job_ids()[0]})
    assert response.status_code == 302
    assert failed.count == 0 and Queue("default", connection=connection).count == 1
    assert client.post("/admin/jobs/retry", data={"job": "nonsense!"}).status_code == 302
    assert "There is no such failed job." in client.get("/admin/jobs").get_data(as_text=True)


def index_entities_of_nothing():
    """A job that fails, for the admin page."""
    raise ValueError("no such entity kind")


index_entities_of_nothing.spec = JobSpec(queue="default", timeout=30, retries=())


def test_a_worker_loads_the_model_and_recognisers_before_its_first_job(shared, caplog):
    from jobmatch.matching.engine import engine
    from jobmatch.tasks.registry import PREPARERS, prepare_worker

    shared.extensions.pop("jobmatch.occupations", None)

    def broken():
        raise RuntimeError("the table is not there yet")

    PREPARERS.append(broken)
    try:
        prepare_worker(shared.logger)  # a failing one is logged; the worker still starts
    finally:
        PREPARERS.remove(broken)
    assert engine().embedder.is_loaded
    assert shared.extensions.get("jobmatch.occupations") is not None  # built, not on demand
    assert "could not prepare broken before taking jobs" in caplog.text
