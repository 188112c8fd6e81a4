"""A bulk import of vacancies, end to end, with real processes on PostgreSQL and Redis.

For each size: `flask jobmatch import vacancies FILE` (its committed chunks queue
index jobs), one `flask jobmatch worker` embedding them, and a third process that
holds the vacancy index, as a web process does, and reads the change log. Times
from the start of the import: the import done, every vacancy embedded, every
vacancy in the other process's index.

    python -m bench.bulk_import_bench [--sizes 1000 10000 100000]

Each size gets a new database on JOBMATCH_TEST_POSTGRES_URL's server (dropped at
the end) and Redis database 14 of JOBMATCH_BENCH_REDIS_URL (emptied). In the same
run, the model alone embeds the same documents (the texts the product builds from
the imported rows, up to 20,000 of them), one batch after another in one process:
the raw speed the whole path is set against.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis
import sqlalchemy as sa

from bench.common import table
from bench.workers_bench import REDIS_URL, environment, worker

READER = r"""
import sys, time
from jobmatch import create_app
from jobmatch.extensions import db
from jobmatch.matching.engine import engine
target = int(sys.argv[1])
app = create_app()
with app.app_context():
    engine().index("vacancy")
    print("ready", flush=True)
    while True:
        count = engine().index("vacancy").count()
        db.session.commit()
        if count >= target:
            print(f"{time.time():.3f}", flush=True)
            break
        time.sleep(0.5)
"""


def write_lines(path: Path, count: int, seed: int = 1) -> float:
    """`count` vacancies in the five languages; returns the mean words per text."""
    from jobmatch.demo.content import CITIES, EMPLOYERS, OCCUPATIONS

    rng = random.Random(seed)
    occupations = list(OCCUPATIONS.items())
    languages = ["az", "ru", "en", "fr", "ar"]
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for n in range(count):
            english, (az, ru, _sector, _pay, _edu, duties) = rng.choice(occupations)
            language = rng.choices(languages, weights=[45, 20, 20, 8, 7])[0]
            title = {"az": az, "ru": ru}.get(language, english)
            city = rng.choice(list(CITIES))
            description = f"{duties[language]}. {CITIES[city].get(language, city)}, #{n}."
            words += len(title.split()) + len(description.split())
            line = {
                "external_id": f"B-{n}",
                "title": title,
                "description": description,
                "employer": rng.choice(EMPLOYERS)[0],
                "region": city,
                "contract_type": rng.choice(["permanent", "fixed_term"]),
                "language": language,
            }
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return words / count


def raw_speed(app, most: int = 20_000) -> float:
    """Documents a second the model alone embeds, on the texts the product built."""
    from jobmatch.extensions import db
    from jobmatch.matching.documents import ROLES
    from jobmatch.matching.engine import engine
    from jobmatch.matching.services import documents, entity_ids

    with app.app_context():
        texts = [text for _, text in documents("vacancy", entity_ids("vacancy")[:most])]
        embedder = engine().embedder
        embedder.embed(texts[:32], ROLES["vacancy"])
        started = time.perf_counter()
        for at in range(0, len(texts), 256):  # as the index jobs hand them over
            embedder.embed(texts[at : at + 256], ROLES["vacancy"])
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return len(texts) / seconds


def run_size(size: int, folder: Path) -> list:
    from tests.conftest import create_postgres_database, drop_postgres_database
    from tests.esco_slice import write_slice

    database_url = create_postgres_database("jobmatch_bench")
    env = environment(database_url, folder / str(size))
    redis.Redis.from_url(REDIS_URL).flushdb()
    try:
        from jobmatch import create_app
        from jobmatch.extensions import db
        from jobmatch.taxonomy import services as taxonomy

        app = create_app(None, SQLALCHEMY_DATABASE_URI=database_url)
        with app.app_context():
            db.create_all()
            taxonomy.load(write_slice(folder))
            db.session.commit()
            db.engine.dispose()
        lines = folder / f"vacancies-{size}.jsonl"
        words = write_lines(lines, size)

        reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(size)], env=env, stdout=subprocess.PIPE, text=True
        )
        assert reader.stdout.readline().strip() == "ready"
        one = worker(env)
        start = time.time()
        imported = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "jobmatch", "import", "vacancies",
             str(lines)],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        import_done = time.time()
        print(f"  {size}: {imported.stdout.strip().splitlines()[-2]}", flush=True)
        engine = sa.create_engine(database_url.replace("postgresql+psycopg", "postgresql+psycopg"))
        embedded_at = None
        while embedded_at is None:
            with engine.connect() as conn:
                stored = conn.scalar(sa.text("SELECT count(*) FROM stored_vector"))
            if stored >= size:
                embedded_at = time.time()
            else:
                print(f"  {size}: {stored} embedded after {time.time() - start:.0f} s", flush=True)
                time.sleep(5 if size > 5000 else 1)
        visible_at = float(reader.stdout.readline())
        engine.dispose()
        one.terminate()
        one.wait()
        reader.wait()
        total = visible_at - start
        raw = raw_speed(app)
        return [size, round(words, 1), import_done - start, embedded_at - start, total,
                size / total, raw, size / total / raw]  # fmt: skip
    finally:
        redis.Redis.from_url(REDIS_URL).flushdb()
        drop_postgres_database(database_url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jobmatch-bulk-"))
    os.environ.pop("DATABASE_URL", None)
    rows = [run_size(size, folder) for size in args.sizes]
    print()
    print(
        table(
            ["vacancies", "words/text", "import s", "all embedded s",
             "all in another process s", "vacancies/s", "model alone texts/s",
             "whole path / model alone"],
            rows,
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
