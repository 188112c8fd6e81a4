"""Faults, with real `flask jobmatch worker` processes, the machine's PostgreSQL and Redis.

- a worker killed with SIGKILL in the middle of a job: the job runs again, the index
  ends consistent;
- Redis stopped while an employer publishes: the publish is saved; once Redis is
  back, the reconcile brings the vacancy into matches;
- two workers indexing the same vacancies while they keep changing: no lost update.
(A missing or corrupt index file is in test_freshness.py.)
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import redis
import sqlalchemy as sa
from rq import Queue
from rq.job import Job

from jobmatch.extensions import db
from jobmatch.matching import services, store
from jobmatch.matching.engine import MatchEngine
from jobmatch.matching.tasks import reconcile
from jobmatch.matching.tracking import request_index
from jobmatch.search.embedder import text_hash
from jobmatch.tasks.locks import exclusive
from jobmatch.tasks.queue import enqueue
from jobmatch.vacancies.models import Vacancy
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
def shared(demo_world):
    """Settings the worker processes share with the test: database, model, index folder."""
    return demo_world(seed=11, employers=3, vacancies=40, seekers=2, index=False)


def start_worker(app, redis_url: str, *extra: str) -> subprocess.Popen:
    """A worker process; what it logs goes to a file (`log_of`)."""
    env = os.environ | {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "JOBMATCH_MODEL": app.config["JOBMATCH_MODEL"],
        "JOBMATCH_EMBEDDINGS_PATH": app.config["EMBEDDINGS_PATH"],
        "JOBMATCH_INSTANCE_PATH": app.config["INSTANCE_PATH"],
    }
    log = Path(app.config["INSTANCE_PATH"]) / f"worker-{time.monotonic_ns()}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "jobmatch", "worker", *extra],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its children
        )
    process.log = log
    return process


def log_of(process) -> str:
    return process.log.read_text(errors="replace")[-3000:]


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for(condition, timeout: float, what: str, every: float = 0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def queues_idle(redis_url: str) -> bool:
    connection = redis.Redis.from_url(redis_url)
    for name in ("index", "default"):
        queue = Queue(name, connection=connection)
        if queue.count or queue.started_job_registry.count or queue.scheduled_job_registry.count:
            return False
    return True


def assert_consistent(app, entity: str = "vacancy") -> None:
    """Every row has a vector of its current text, and another process's index holds
    exactly the stored vectors."""
    db.session.expire_all()
    items = services.documents(entity)
    eng = MatchEngine(app.config)  # a process that has seen nothing yet
    stored = store.hashes(entity, eng.model_name, [i for i, _ in items])
    assert stored == {i: text_hash(t) for i, t in items}
    ids, vectors = store.load(entity, eng.model_name)
    index = eng.index(entity)
    assert (index.ids() == ids).all()
    assert np.allclose(index.vectors(ids), vectors, atol=1e-5)
    db.session.commit()


def vector_count() -> int:
    db.session.expire_all()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(store.StoredVector))
    db.session.commit()
    return count


def _lock_polls(connection) -> int:
    """How many SET commands the Redis server has run: a worker waiting for a lock tries
    `SET ... NX` ten times a second (the queue itself keeps hashes and sorted sets)."""
    return int(connection.info("commandstats").get("cmdstat_set", {}).get("calls", 0))


def test_a_worker_killed_mid_job_has_its_job_run_again(shared, redis_url):
    shared.config["REDIS_URL"] = redis_url
    ids = db.session.scalars(sa.select(Vacancy.id)).all()
    assert request_index("vacancy", ids)["queued"] == 40  # one job of 40 ids
    connection = redis.Redis.from_url(redis_url)
    started = Queue("index", connection=connection).started_job_registry

    # The test holds the index's writer lock: the job embeds, then waits for the lock to
    # write; it is killed there, the moment its polling for the lock shows.
    with exclusive("index-writer:vacancy", timeout=300, wait=5):
        first = start_worker(shared, redis_url)
        try:
            wait_for(lambda: started.count == 1, 60, "the worker to start the job")
            polls = _lock_polls(connection)
            wait_for(lambda: _lock_polls(connection) >= polls + 10, 120, "the job to want the lock")
        finally:
            stop(first, signal.SIGKILL)
    assert vector_count() == 0 and started.count == 1  # nothing half-written; abandoned

    second = start_worker(shared, redis_url)
    try:
        wait_for(lambda: vector_count() == 40, 120, "the job to run again", every=0.5)
        wait_for(lambda: queues_idle(redis_url), 60, "the queues to empty", every=0.5)
    finally:
        stop(second)
    assert second.returncode == 0, log_of(second)
    assert Queue("index", connection=connection).failed_job_registry.count == 0
    assert_consistent(shared)


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server of this test's own, which it may stop and start again."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (Debian package redis-server)", pytrace=False)
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", str(tmp_path)]  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"

    class Server:
        def __init__(self):
            self.process = None

        def start(self):
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            client = redis.Redis.from_url(url)
            wait_for(lambda: _pings(client), 10, "redis-server to start")

        def stop(self):
            self.process.terminate()
            self.process.wait(timeout=10)

    server = Server()
    server.url = url
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.exceptions.ConnectionError:
        return False


def test_redis_down_while_publishing_the_vacancy_is_saved_and_reconciled(shared, own_redis):
    shared.config.update(REDIS_URL=own_redis.url, INDEX_ON_COMMIT=True, WTF_CSRF_ENABLED=False)
    services.sync("vacancy")
    services.sync("seeker")
    owner = factories.user("employer", email="owner@example.org")
    employer = factories.employer(owner=owner)
    draft = factories.vacancy(
        employer, status="draft", title="Beekeeper", description="Keep bees, harvest honey."
    )
    draft_id = draft.id
    shared.config["INDEX_ON_COMMIT"] = False
    db.session.commit()  # the draft was never indexed
    shared.config["INDEX_ON_COMMIT"] = True

    own_redis.stop()
    client = shared.test_client()
    login(client, "owner@example.org", factories.PASSWORD)
    response = client.post(f"/employer/vacancies/{draft_id}/status", data={"action": "publish"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Vacancy, draft_id).status == "published"  # saved all the same
    assert draft_id not in [i for i, _ in services.search_vacancies("beekeeping honey", k=5)]

    own_redis.start()
    assert enqueue(reconcile) == "queued"
    worker = start_worker(shared, own_redis.url, "--burst")  # reconcile, then its index jobs
    worker.wait(timeout=300)
    assert worker.returncode == 0, log_of(worker)
    found = [i for i, _ in services.search_vacancies("a job keeping bees, honey", k=3)]
    assert draft_id in found
    assert_consistent(shared)


def test_two_workers_indexing_changing_vacancies_lose_no_update(shared, redis_url):
    services.sync("vacancy")  # all indexed; from here on the workers keep up
    shared.config.update(REDIS_URL=redis_url, INDEX_ON_COMMIT=True)
    workers = [start_worker(shared, redis_url) for _ in range(2)]
    connection = redis.Redis.from_url(redis_url)
    try:
        ids = db.session.scalars(sa.select(Vacancy.id).order_by(Vacancy.id)).all()[:20]
        rng = np.random.default_rng(3)
        for round_ in range(6):
            for vacancy_id in rng.choice(ids, size=10, replace=False).tolist():
                vacancy = db.session.get(Vacancy, vacancy_id)
                vacancy.description = f"Round {round_}: {vacancy.description[:200]}"
            db.session.commit()  # queues index jobs; the workers take them as they come
            time.sleep(float(rng.uniform(0.1, 1.0)))
        wait_for(lambda: queues_idle(redis_url), 240, "the workers to finish", every=0.5)
        finished = Queue("index", connection=connection).finished_job_registry
        assert Queue("index", connection=connection).failed_job_registry.count == 0
        jobs = Job.fetch_many(finished.get_job_ids(), connection=connection)
        assert len({job.worker_name for job in jobs if job is not None}) == 2  # both worked
    finally:
        for worker in workers:
            stop(worker)
    assert_consistent(shared)
