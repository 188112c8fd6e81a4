"""Background workers, measured with real processes on PostgreSQL and Redis.

- freshness: a vacancy is committed (its index job queued), and another process
  polls its own match results until the vacancy appears; p50 and p95 of the
  time from commit to visible, with one worker. First on a new site, as `make
  setup` leaves it (the taxonomy and its labels' vectors, no vacancy, no index
  snapshot), the worker and the other process just started; then on a warm one
  (demo data indexed, the worker busy for a while);
- indexing throughput: N changed vacancies indexed by one, then two workers.

    python -m bench.workers_bench [--changes 20] [--throughput 400]

Uses a new database on JOBMATCH_TEST_POSTGRES_URL's server (dropped at the end)
and Redis database 14 of JOBMATCH_BENCH_REDIS_URL (emptied).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import redis
import sqlalchemy as sa

from bench.common import table

POSTGRES_URL = os.environ.get(
    "JOBMATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("JOBMATCH_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")

READER = r"""
import sys, time
from jobmatch import create_app
from jobmatch.matching import services
app = create_app()
with app.app_context():
    services.search_vacancies("warm up", k=1)
    print("ready", flush=True)
    for line in sys.stdin:
        vacancy_id, committed_at, text = line.rstrip("\n").split("\t", 2)
        vacancy_id, committed_at = int(vacancy_id), float(committed_at)
        from jobmatch.matching.engine import engine
        vector = engine().embedder.embed([text], "query")
        while True:
            allowed = services.open_vacancy_ids(services.VacancyFilter())
            scores, ids = engine().index("vacancy").search(vector, 5, allowed=allowed)
            if vacancy_id in ids[0].tolist():
                print(f"{time.time() - committed_at:.4f}", flush=True)
                break
            from jobmatch.extensions import db
            db.session.commit()
            time.sleep(0.02)
"""


def environment(database_url: str, folder: Path) -> dict:
    return os.environ | {
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "JOBMATCH_EMBEDDINGS_PATH": str(folder / "emb"),
        "JOBMATCH_INSTANCE_PATH": str(folder / "instance"),
    }


def worker(env: dict, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobmatch", "worker", *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--throughput", type=int, default=400)
    args = parser.parse_args()

    from tests.conftest import create_postgres_database, drop_postgres_database
    from tests.esco_slice import write_slice

    database_url = create_postgres_database("jobmatch_bench")
    folder = Path(tempfile.mkdtemp(prefix="jobmatch-bench-"))
    env = environment(database_url, folder)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL")})
    os.environ["JOBMATCH_EMBEDDINGS_PATH"] = env["JOBMATCH_EMBEDDINGS_PATH"]
    os.environ["JOBMATCH_INSTANCE_PATH"] = env["JOBMATCH_INSTANCE_PATH"]
    redis.Redis.from_url(REDIS_URL).flushdb()
    try:
        from jobmatch import create_app
        from jobmatch.demo.build import build_demo
        from jobmatch.extensions import db
        from jobmatch.matching import services
        from jobmatch.matching.recognition import KINDS, index_concepts
        from jobmatch.matching.tracking import paused
        from jobmatch.taxonomy import services as taxonomy
        from jobmatch.vacancies.models import Vacancy
        from tests import factories

        app = create_app()
        with app.app_context():
            db.create_all()
            taxonomy.load(write_slice(folder))
            for kind in KINDS:  # as `make setup` does
                index_concepts(kind)
            db.session.commit()
            employer = factories.employer("New site employer")
            db.session.commit()
            new_site = freshness(app, env, args.changes, employer, "new site")
            with paused(db.session):
                build_demo(seed=3, employers=10, vacancies=args.throughput, seekers=20)
                db.session.commit()
            print("indexing the demo data ...", flush=True)
            services.sync("vacancy")
            services.sync("seeker")
            employer = db.session.scalars(sa.select(Vacancy)).first().employer
            warm = freshness(app, env, args.changes, employer, "warm site", warm_up=True)
            rates = throughput(app, env)
        print()
        print(table(["site", "workers", "measure", "n", "first s", "p50 s", "p95 s", "max s"],
                    new_site + warm))  # fmt: skip
        print()
        print(table(["workers", "vacancies", "seconds", "vacancies/s"], rates))
    finally:
        redis.Redis.from_url(REDIS_URL).flushdb()
        drop_postgres_database(database_url)


def freshness(app, env, changes: int, employer, site: str, warm_up: bool = False) -> list[list]:
    """Start a worker and another process holding the index, then commit `changes` vacancies
    one after another; each is timed from its commit until the other process finds it.
    `warm_up`: a first, untimed one has the worker busy before (a site running for a
    while); otherwise the first is timed too (a site just started)."""
    from jobmatch.extensions import db
    from tests import factories

    reader = subprocess.Popen(
        [sys.executable, "-c", READER],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "ready"
    one = worker(env)
    wait_for_worker()
    delays = []
    try:
        for n in range(-1 if warm_up else 0, changes):
            text = f"Bench vacancy {n}: restorer of carpets number {n} in Guba, wool and dyes"
            vacancy = factories.vacancy(employer, title=text, description=f"Carpet work {n}.")
            db.session.commit()  # queues its index job
            committed = time.time()
            reader.stdin.write(f"{vacancy.id}\t{committed}\t{text}\n")
            reader.stdin.flush()
            delay = float(reader.stdout.readline())
            print(f"  {site}, change {n + 1}/{changes}: {delay:.2f} s", flush=True)
            if n >= 0:
                delays.append(delay)
            time.sleep(0.5)
    finally:
        one.terminate()
        one.wait()
        reader.stdin.close()
        reader.wait()
    d = np.array(delays)
    return [
        [site, 1, "commit to visible in another process", len(d), float(d[0]),
         float(np.percentile(d, 50)), float(np.percentile(d, 95)), float(d.max())],
    ]  # fmt: skip


def wait_for_worker(timeout: float = 300.0) -> None:
    """Until a worker has registered with Redis: it has loaded what its jobs need."""
    from rq import Worker

    connection = redis.Redis.from_url(REDIS_URL)
    until = time.time() + timeout
    while not Worker.all(connection=connection):
        if time.time() > until:
            raise SystemExit("no worker registered with Redis")
        time.sleep(0.2)


def throughput(app, env) -> list[list]:
    from jobmatch.extensions import db
    from jobmatch.matching.tracking import request_index
    from jobmatch.vacancies.models import Vacancy

    rows = []
    ids = db.session.scalars(sa.select(Vacancy.id)).all()
    for count in (1, 2):
        for vacancy in db.session.scalars(sa.select(Vacancy)):
            vacancy.description = f"({count} workers) {vacancy.description}"
        from jobmatch.matching.tracking import paused

        with paused(db.session):
            db.session.commit()
        request_index("vacancy", ids)
        start = time.perf_counter()
        workers = [worker(env, "--burst") for _ in range(count)]
        for process in workers:
            process.wait()
        seconds = time.perf_counter() - start
        rows.append([count, len(ids), seconds, len(ids) / seconds])
        print(f"  {count} worker(s): {len(ids)} in {seconds:.1f} s", flush=True)
    return rows


if __name__ == "__main__":
    main()
