"""Matching at a national service's size, end to end, through the product's own functions.

For each size (vacancies:job seekers), a new PostgreSQL database is filled quickly (COPY,
synthetic stored vectors clustered by occupation, no model calls), with ESCO's
occupations loaded by the product's own `taxonomy load`. Then, in this one process:
- the indexes are built the product's way (`engine().rebuild_index`), and read again from
  their snapshots as a starting worker would;
- the filter step, the old way (every allowed id read from the database) and the new way
  (the index's facts in memory), side by side;
- `vacancies_for_seeker`, `candidates_for_vacancy` and `search_vacancies` (the query's
  embedding timed apart), each with no filter, a region filter and a language filter:
  p50 / p95 / p99;
- the process's resident memory.

    python -m bench.scale_bench --sizes 20000:100000 200000:1000000 [--queries 300]

JOBMATCH_SCALE_DATABASE names the server (default postgresql+psycopg://postgres@127.0.0.1:5432);
the database `jobmatch_scale` on it is dropped and made anew. The HTTP part serves with
Redis database 14 of JOBMATCH_BENCH_REDIS_URL (emptied), as production runs.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import redis
import sqlalchemy as sa

from bench.common import rss_mb, table
from bench.workers_bench import REDIS_URL

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("JOBMATCH_SCALE_DATABASE", "postgresql+psycopg://postgres@127.0.0.1:5432")
DATABASE = "jobmatch_scale"
DIMENSION = 384
LANGUAGE_SETS = [["az"], ["az", "ru"], ["az", "en"], ["ru"], ["az", "ru", "en"], ["en", "fr"],
                 ["ar", "en"], ["az", "tr"]]  # fmt: skip
SEARCHES = ["bus driver", "comptable", "программист", "aşpaz", "nurse", "مهندس مدني",
            "electrician", "vendeur", "учитель", "satış meneceri"]  # fmt: skip


def fresh_database() -> str:
    admin = sa.create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        connection.execute(sa.text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    return f"{SERVER}/{DATABASE}"


def app_for(url: str, embeddings: Path):
    from jobmatch import create_app

    return create_app(
        SQLALCHEMY_DATABASE_URI=url,
        EMBEDDINGS_PATH=str(embeddings),
        REDIS_URL=None,
        INDEX_ON_COMMIT=False,
        INDEX_REFRESH_SECONDS=1.0,
    )


def _defaults(table_, given: dict, count: int) -> dict:
    """Every NOT NULL column the COPY must fill, from the model's own defaults."""
    out = dict(given)
    for column in table_.columns:
        if column.name in out or column.primary_key and column.name == "id":
            continue
        default = column.default
        if default is not None and default.is_scalar:
            out[column.name] = [default.arg] * count
        elif default is not None and default.is_callable:
            out[column.name] = [default.arg(None)] * count
        elif not column.nullable and column.server_default is None:
            raise SystemExit(f"{table_.name}.{column.name}: no value and no default")
    return out


def copy(connection, table_, columns: dict, count: int) -> None:
    """COPY `count` rows of `columns` (name -> list) into the table."""
    columns = _defaults(table_, columns, count)
    names = list(columns)
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {table_.name} ({', '.join(names)}) FROM STDIN") as out:
            for row in zip(*(columns[n] for n in names), strict=True):
                out.write_row([json.dumps(v) if isinstance(v, list) else v for v in row])


def copy_vectors(connection, entity: str, model: str, ids, centroids, owners, rng) -> None:
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:
        sql = (
            "COPY stored_vector (entity_type, entity_id, model, dimension, text_hash, vector, "
            "updated_at) FROM STDIN (FORMAT BINARY)"
        )
        with cursor.copy(sql) as out:
            out.set_types(["varchar", "int4", "varchar", "int4", "varchar", "bytea", "timestamp"])
            now = datetime.now()
            for start in range(0, len(ids), 20_000):
                part = slice(start, start + 20_000)
                vectors = centroids[owners[part]] + 0.35 * rng.standard_normal(
                    (len(ids[part]), DIMENSION), dtype=np.float32
                )
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                for entity_id, vector in zip(ids[part], vectors, strict=True):
                    out.write_row(
                        [entity, int(entity_id), model, DIMENSION, "-", vector.tobytes(), now]
                    )


def fill(app, vacancies: int, seekers: int, seed: int = 7) -> dict:
    """The synthetic national data set; returns how long each part took."""
    from jobmatch.employers.models import Employer
    from jobmatch.extensions import db
    from jobmatch.matching.engine import engine
    from jobmatch.matching.models import RecognisedOccupation
    from jobmatch.people.models import Person
    from jobmatch.reference import CONTRACT_TYPES, REGIONS, WORKING_TIMES
    from jobmatch.seekers.models import SeekerProfile, seeker_occupation
    from jobmatch.taxonomy.models import Occupation
    from jobmatch.vacancies.models import Vacancy

    rng, pick = np.random.default_rng(seed), random.Random(seed)
    timings = {}
    with app.app_context():
        occupations = db.session.execute(
            sa.select(Occupation.id, Occupation.label_en, Occupation.label_fr)
        ).all()
        model = engine().model_name
        started = time.perf_counter()
        regions, contracts, times = list(REGIONS), list(CONTRACT_TYPES), list(WORKING_TIMES)
        today, now = date.today(), datetime.now()
        employers = max(1, vacancies // 100)
        connection = db.session.connection()
        copy(
            connection,
            Employer.__table__,
            {
                "id": list(range(1, employers + 1)),
                "name": [f"Employer {i}" for i in range(1, employers + 1)],
                "region": [pick.choice(regions) for _ in range(employers)],
            },
            employers,
        )
        v_occ = rng.integers(0, len(occupations), vacancies)
        v_ids = np.arange(1, vacancies + 1)
        status = rng.random(vacancies)
        copy(
            connection,
            Vacancy.__table__,
            {
                "id": v_ids.tolist(),
                "employer_id": rng.integers(1, employers + 1, vacancies).tolist(),
                "title": [  # a third in French
                    (
                        occupations[o].label_fr
                        if status[n] < 0.3 and occupations[o].label_fr
                        else occupations[o].label_en
                    )[:200]
                    for n, o in enumerate(v_occ)
                ],
                "occupation_id": [int(occupations[o].id) for o in v_occ],
                "region": [pick.choice(regions) for _ in range(vacancies)],
                "contract_type": [pick.choice(contracts) for _ in range(vacancies)],
                "working_time": [pick.choice(times) for _ in range(vacancies)],
                "languages": [pick.choice(LANGUAGE_SETS) for _ in range(vacancies)],
                "salary_min": rng.integers(400, 1500, vacancies).tolist(),
                "salary_max": rng.integers(1500, 4000, vacancies).tolist(),
                "status": ["closed" if s > 0.9 else "published" for s in status],
                "published_at": [
                    now - timedelta(days=int(d)) for d in rng.integers(0, 60, vacancies)
                ],
                "expires_on": [
                    today + timedelta(days=int(d)) for d in rng.integers(-10, 60, vacancies)
                ],
            },
            vacancies,
        )
        s_ids = np.arange(1, seekers + 1)
        s_occ = rng.integers(0, len(occupations), seekers)
        copy(
            connection,
            Person.__table__,
            {
                "id": s_ids.tolist(),
                "first_name": ["Aysel"] * seekers,
                "last_name": [f"P{i}" for i in s_ids],
                "region": [pick.choice(regions) for _ in range(seekers)],
                "languages": [pick.choice(LANGUAGE_SETS) for _ in range(seekers)],
                "anonymised_at": [now if r < 0.01 else None for r in rng.random(seekers)],
            },
            seekers,
        )
        copy(
            connection,
            SeekerProfile.__table__,
            {
                "id": s_ids.tolist(),
                "person_id": s_ids.tolist(),
                "desired_title": [occupations[o].label_en[:200] for o in s_occ],
                "visible": (rng.random(seekers) < 0.9).tolist(),
                "salary_expectation": rng.integers(400, 3000, seekers).tolist(),
            },
            seekers,
        )
        chosen = rng.random(seekers) < 0.5  # half chose an occupation, half had it recognised
        copy(
            connection,
            seeker_occupation,
            {
                "seeker_id": s_ids[chosen].tolist(),
                "occupation_id": [int(occupations[o].id) for o in s_occ[chosen]],
            },
            int(chosen.sum()),
        )
        copy(
            connection,
            RecognisedOccupation.__table__,
            {
                "entity_type": ["seeker"] * int((~chosen).sum()),
                "entity_id": s_ids[~chosen].tolist(),
                "occupation_id": [int(occupations[o].id) for o in s_occ[~chosen]],
                "confidence": [0.8] * int((~chosen).sum()),
                "source": ["title"] * int((~chosen).sum()),
            },
            int((~chosen).sum()),
        )
        timings["rows"] = time.perf_counter() - started
        started = time.perf_counter()
        centroids = rng.standard_normal((len(occupations), DIMENSION), dtype=np.float32)
        copy_vectors(connection, "vacancy", model, v_ids, centroids, v_occ, rng)
        copy_vectors(connection, "seeker", model, s_ids, centroids, s_occ, rng)
        timings["vectors"] = time.perf_counter() - started
        for name in ("employer", "vacancy", "person", "seeker_profile"):
            connection.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )  # fmt: skip
            )
        db.session.commit()
        connection = db.session.connection()
        connection.execute(sa.text("ANALYZE"))
        db.session.commit()
    return timings


def percentiles(seconds: list[float]) -> list[float]:
    ms = np.asarray(seconds) * 1000
    return [float(np.percentile(ms, q)) for q in (50, 95, 99)]


def timed(call, items) -> list[float]:
    from jobmatch.extensions import db

    out = []
    for item in items:
        started = time.perf_counter()
        call(item)
        out.append(time.perf_counter() - started)
        db.session.rollback()  # each call is a request of its own
    return out


def measure(app, vacancies: int, seekers: int, queries: int, profile: bool = False) -> dict:
    from jobmatch.extensions import db
    from jobmatch.matching import services
    from jobmatch.matching.channels import title_index
    from jobmatch.matching.engine import engine
    from jobmatch.matching.filters import SeekerFilter, VacancyFilter
    from jobmatch.matching.occupations import recogniser

    out: dict = {"rows": [], "filters": []}
    pick = random.Random(11)
    with app.app_context():
        eng = engine()
        build = {}
        for entity in ("vacancy", "seeker"):
            started = time.perf_counter()
            index = eng.rebuild_index(entity)
            build[entity] = (time.perf_counter() - started, index.kind, index.count())
        eng.forget_loaded()
        load = {}
        for entity in ("vacancy", "seeker"):
            started = time.perf_counter()
            eng.index(entity)
            load[entity] = time.perf_counter() - started
        started = time.perf_counter()
        title_index("vacancy"), title_index("seeker"), recogniser()
        warm_titles = time.perf_counter() - started
        db.session.rollback()
        out["build"], out["load"], out["warm"] = build, load, warm_titles

        # the filter step, side by side: every allowed id from the database, or the facts
        for label, old, new, flt in (
            ("open vacancies", services.open_vacancy_ids, "vacancy", VacancyFilter()),
            ("open vacancies, one region", services.open_vacancy_ids, "vacancy",
             VacancyFilter(region="baku")),
            ("findable job seekers", services.findable_seeker_ids, "seeker", SeekerFilter()),
            ("findable job seekers, one region", services.findable_seeker_ids, "seeker",
             SeekerFilter(region="baku")),
        ):  # fmt: skip
            before = timed(old, [flt] * 5)
            after = timed(lambda f, e=new: eng.allowed(e, f), [flt] * 20)
            out["filters"].append(
                [label, percentiles(before)[0], percentiles(after)[0],
                 percentiles(after)[0] / percentiles(before)[0]]
            )  # fmt: skip

        seeker_ids = [pick.randint(1, seekers) for _ in range(queries)]
        vacancy_ids = [pick.randint(1, vacancies) for _ in range(queries)]
        filters_v = {
            "no filter": VacancyFilter(),
            "region": VacancyFilter(region="baku"),
            "language": VacancyFilter(language="ru"),
        }
        filters_s = {
            "no filter": SeekerFilter(),
            "region": SeekerFilter(region="baku"),
            "language": SeekerFilter(language="ru"),
        }
        services.vacancies_for_seeker(seeker_ids[0])  # first-call costs out of the way
        services.candidates_for_vacancy(vacancy_ids[0])
        for name, flt in filters_v.items():
            seconds = timed(lambda i, f=flt: services.vacancies_for_seeker(i, 10, f), seeker_ids)
            out["rows"].append(["vacancies_for_seeker", name, len(seconds), *percentiles(seconds)])
        for name, flt in filters_s.items():
            seconds = timed(lambda i, f=flt: services.candidates_for_vacancy(i, 10, f), vacancy_ids)
            out["rows"].append(
                ["candidates_for_vacancy", name, len(seconds), *percentiles(seconds)]
            )
        texts = [SEARCHES[n % len(SEARCHES)] for n in range(min(queries, 100))]
        eng.embedder.embed(texts[:1], "query")
        model_seconds = timed(lambda t: eng.embedder.embed([t], "query"), texts)
        out["model"] = percentiles(model_seconds)
        for name, flt in filters_v.items():
            seconds = timed(lambda t, f=flt: services.search_vacancies(t, 20, f), texts)
            out["rows"].append(["search_vacancies", name, len(seconds), *percentiles(seconds)])
        out["rss"] = rss_mb()
        if profile:  # where a call's time goes, by function
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            timed(lambda i: services.candidates_for_vacancy(i, 10), vacancy_ids[:50])
            timed(lambda i: services.vacancies_for_seeker(i, 10), seeker_ids[:50])
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    return out


PASSWORD = "scale-bench-Passw0rd"


def accounts(app, users: int) -> dict:
    """`users` job seekers and as many employers with sign-ins, and an API token each for
    the seekers; the indexes saved as snapshots for the server's workers to read."""
    from jobmatch.accounts.models import User
    from jobmatch.api.tokens import issue
    from jobmatch.employers.models import EmployerMember
    from jobmatch.extensions import db
    from jobmatch.matching.engine import engine

    out = {"seekers": [], "employers": [], "tokens": []}
    with app.app_context():
        probe = User()
        probe.set_password(PASSWORD)
        for n in range(1, users + 1):
            seeker = User(email=f"seeker{n}@scale.example.org", role="job_seeker", locale="en",
                          active=True, password_hash=probe.password_hash, person_id=n,
                          email_confirmed_at=datetime.now())  # fmt: skip
            boss = User(email=f"employer{n}@scale.example.org", role="employer", locale="en",
                        active=True, password_hash=probe.password_hash,
                        email_confirmed_at=datetime.now())  # fmt: skip
            db.session.add_all([seeker, boss])
            db.session.flush()
            db.session.add(EmployerMember(employer_id=n, user_id=boss.id, role="owner"))
            out["tokens"].append(issue(seeker, "scale", ["matches:read"])[1])
            out["seekers"].append(seeker.email)
            vacancy = db.session.scalar(
                sa.text("SELECT id FROM vacancy WHERE employer_id = :e ORDER BY id LIMIT 1"),
                {"e": n},
            )
            out["employers"].append((boss.email, vacancy))
        db.session.commit()
        for entity in ("vacancy", "seeker"):
            engine().save_snapshot(entity)
            db.session.commit()
    return out


def _session(base: str, email: str):
    import re

    import requests

    session = requests.Session()
    page = session.get(f"{base}/login", timeout=60).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="csrf_token" value="([^"]+)"', page)
    answer = session.post(
        f"{base}/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
        timeout=60,
    )
    if "/login" in answer.url:
        raise SystemExit(f"could not sign in as {email}")
    return session


def _serve(url: str, embeddings: Path, workers: int):
    """gunicorn as `make serve` runs it (gunicorn.conf.py), once it answers: (process,
    address, seconds it took to start)."""
    import subprocess

    import requests

    port = 8077
    env = dict(os.environ, DATABASE_URL=url, JOBMATCH_EMBEDDINGS_PATH=str(embeddings),
               SECRET_KEY="scale-bench", WEB_CONCURRENCY=str(workers),
               BIND=f"127.0.0.1:{port}")  # fmt: skip
    # As in production: jobs go to Redis for `flask jobmatch worker` (none runs here), so the
    # web processes run no schedule of their own (the embedded mode would start one in each
    # worker, whose reconcile then embeds every synthetic row in the background).
    env["REDIS_URL"] = REDIS_URL
    redis.Redis.from_url(REDIS_URL).flushdb()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
         "--access-logfile", "/dev/null", "bench.scale_wsgi:app"],
        cwd=ROOT, env=env, stderr=(embeddings / "gunicorn.log").open("w"),
    )  # fmt: skip
    base, started = f"http://127.0.0.1:{port}", time.perf_counter()
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return server, base, time.perf_counter() - started
        except requests.RequestException:  # not listening yet, or no worker forked yet
            pass
        if server.poll() is not None or time.perf_counter() - started > 900:
            server.kill()
            raise SystemExit(f"gunicorn did not start: {embeddings / 'gunicorn.log'}")
        time.sleep(1)


def _load(
    base: str, clients: list, seconds: float, think: float = 0.0
) -> tuple[list[float], list[int]]:
    """Each client asks for its page again and again for `seconds`, all at once, pausing
    `think` seconds between pages as a person reading them would."""
    import threading

    latencies, errors = [], []
    until = time.perf_counter() + seconds

    def user(session, path, headers) -> None:
        while time.perf_counter() < until:
            began = time.perf_counter()
            answer = session.get(base + path, headers=headers, timeout=120)
            latencies.append(time.perf_counter() - began)
            if answer.status_code != 200:
                errors.append(answer.status_code)
            time.sleep(think)

    threads = [threading.Thread(target=user, args=c) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def http(
    url: str,
    embeddings: Path,
    people: dict,
    workers: int,
    users: int,
    seconds: float,
    thinks: tuple[float, ...] = (0.0,),
):
    """`users` simulated people at once for `seconds` per page; returns the rows of the
    table, the memory of the processes and how long the server took to start."""
    import requests

    server, base, ready = _serve(url, embeddings, workers)
    try:
        seekers = [_session(base, e) for e in people["seekers"][:users]]
        bosses = [(_session(base, e), v) for e, v in people["employers"][:users]]
        pages = {
            "/seeker/matches": [(s, "/seeker/matches", {}) for s in seekers],
            "/employer/vacancies/N/candidates": [
                (s, f"/employer/vacancies/{v}/candidates", {}) for s, v in bosses
            ],
            "/api/v1/me/matches": [
                (requests.Session(), "/api/v1/me/matches", {"Authorization": f"Bearer {t}"})
                for t in people["tokens"][:users]
            ],
        }
        for clients in pages.values():  # every worker has served each page once
            for session, path, headers in clients[: workers * 2]:
                session.get(base + path, headers=headers, timeout=120)
        rows = []
        for think in thinks:
            for name, clients in pages.items():
                latencies, errors = _load(base, clients, seconds, think)
                rows.append([name, users, think, len(latencies), len(latencies) / seconds,
                             *percentiles(latencies), len(errors)])  # fmt: skip
        return rows, _memory(server.pid), ready
    finally:
        server.terminate()
        server.wait(60)
        redis.Redis.from_url(REDIS_URL).flushdb()


def _memory(parent: int) -> dict:
    """Resident (RSS) and proportional (PSS: shared pages divided among their sharers) memory
    of the gunicorn parent and each worker, in MiB."""
    from pathlib import Path as P

    def read(pid: int) -> tuple[float, float]:
        values = {}
        for line in P(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            key, value = line.split(":", 1)
            values[key] = int(value.split()[0]) / 1024
        return values["Rss"], values["Pss"]

    children = [int(pid) for pid in P(f"/proc/{parent}/task/{parent}/children").read_text().split()]
    return {"parent": read(parent), "workers": [read(pid) for pid in children]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["20000:100000", "200000:1000000"])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="where the time goes")
    parser.add_argument("--http", action="store_true", help="also through gunicorn")
    parser.add_argument("--users", type=int, default=16, help="people at once (HTTP)")
    parser.add_argument("--seconds", type=float, default=30.0, help="per page (HTTP)")
    parser.add_argument(
        "--think", type=float, nargs="+", default=[0.0, 1.0], help="pauses between pages"
    )
    args = parser.parse_args(argv)
    for size in args.sizes:
        vacancies, seekers = (int(n) for n in size.split(":"))
        print(f"== {vacancies:,} vacancies / {seekers:,} job seekers", file=sys.stderr)
        url = fresh_database()
        with tempfile.TemporaryDirectory() as embeddings:
            app = app_for(url, Path(embeddings))
            from flask_migrate import upgrade

            from jobmatch.database import changes
            from jobmatch.taxonomy import services as taxonomy_services

            with app.app_context():
                upgrade(directory=str(ROOT / "migrations"))
                started = time.perf_counter()
                with changes():
                    taxonomy_services.load()
                taxonomy = time.perf_counter() - started
            filled = fill(app, vacancies, seekers)
            print(f"   rows {filled['rows']:.0f} s, vectors {filled['vectors']:.0f} s, "
                  f"taxonomy {taxonomy:.0f} s", file=sys.stderr)  # fmt: skip
            out = measure(app, vacancies, seekers, args.queries, args.profile)
            report([(vacancies, seekers, out)])  # in-process results, before the server's
            if args.http:
                people = accounts(app, args.users)
                runs = {}
                for workers, seconds, thinks in ((1, 5.0, (0.0,)), (4, args.seconds, args.think)):
                    runs[workers] = http(
                        url, Path(embeddings), people, workers, args.users, seconds, thinks
                    )
                report_http(runs)


def report(results) -> None:
    for vacancies, seekers, out in results:
        print(f"\n### {vacancies:,} vacancies / {seekers:,} job seekers\n")
        print(table(
            ["call", "filter", "calls", "p50 ms", "p95 ms", "p99 ms"],
            out["rows"],
        ))  # fmt: skip
        print(f"\nThe query's embedding alone (in search_vacancies): p50 {out['model'][0]:.1f} ms, "
              f"p99 {out['model'][2]:.1f} ms.\n")  # fmt: skip
        print(table(
            ["allowed set", "from the database p50 ms", "index facts p50 ms", "facts / database"],
            out["filters"],
        ))  # fmt: skip
        build, load = out["build"], out["load"]
        print()
        print(table(
            ["index", "kind", "documents", "build s", "start from snapshot s"],
            [[e, build[e][1], build[e][2], build[e][0], load[e]] for e in build],
        ))  # fmt: skip
        print(f"\nTitle indexes and recogniser built in {out['warm']:.1f} s; "
              f"resident memory of the process: {out['rss']:,.0f} MiB.")  # fmt: skip


def report_http(runs: dict) -> None:
    rows, _memory_4, ready = runs[4]
    print(f"\nThrough HTTP, gunicorn with 4 workers (ready {ready:.0f} s after start):\n")
    print(table(["page", "people at once", "pause between pages s", "requests",
                 "requests/s", "p50 ms", "p95 ms", "p99 ms", "errors"], rows))  # fmt: skip
    lines = []
    for workers, (_rows, memory, _ready) in sorted(runs.items()):
        rss = [memory["parent"][0]] + [w[0] for w in memory["workers"]]
        pss = [memory["parent"][1]] + [w[1] for w in memory["workers"]]
        lines.append([workers, memory["parent"][0], max(w[0] for w in memory["workers"]),
                      sum(rss), sum(pss)])  # fmt: skip
    print()
    print(table(["workers", "parent RSS MiB", "a worker's RSS MiB", "sum of RSS MiB",
                 "total (PSS) MiB"], lines))  # fmt: skip
    print(f"\n4 workers take {lines[1][4] / lines[0][4]:.2f}x the memory of 1 (PSS).")


if __name__ == "__main__":
    main()
