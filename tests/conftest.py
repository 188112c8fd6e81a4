"""Fixtures: the app on SQLite or PostgreSQL, a real Redis, and small ESCO data.

The suite creates its own PostgreSQL database (and drops it at the end) on the
server named by JOBMATCH_TEST_POSTGRES_URL, and uses Redis database 15 of the
server named by JOBMATCH_TEST_REDIS_URL. When a server is not reachable, the
tests that need it fail with a message that says how to start it.
"""

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from jobmatch import create_app
from jobmatch.config import TestConfig
from jobmatch.extensions import db

POSTGRES_URL = os.environ.get(
    "JOBMATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("JOBMATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
START_REDIS = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
    "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
)


# Fixtures that make a test need a server, or make it slow; the markers follow from them, so
# `make test-fast` (-m "not slow") and -m postgres / -m redis select by what tests really use.
NEEDS = {"postgresql_url": "postgres", "redis_url": "redis", "own_redis": "redis"}
SLOW_FIXTURES = {"model_folder", "embedder", "demo_world", "shared", "browser"}
SLOW_MODULES = {"test_faults.py", "test_worker.py", "test_api.py"}


def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if getattr(item, "callspec", None) and item.callspec.params.get("backend") == "postgresql":
            fixtures.add("postgresql_url")
        for fixture, marker in NEEDS.items():
            if fixture in fixtures:
                item.add_marker(marker)
        if fixtures & SLOW_FIXTURES or item.path.name in SLOW_MODULES or "e2e" in item.path.parts:
            item.add_marker("slow")


def _admin_engine():
    return sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


def create_postgres_database(prefix: str = "jobmatch_test") -> str:
    """A new empty database on the test server; returns its URL."""
    engine = _admin_engine()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({error.orig}).\n"
            f"Start it with: {START_POSTGRES}\n"
            "or point JOBMATCH_TEST_POSTGRES_URL at a server where the user may create databases.",
            pytrace=False,
        )
    finally:
        engine.dispose()
    return sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def postgresql_url():
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture
def backend(request):
    """'sqlite' unless a test is parametrised with indirect=['backend']."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def database_url(backend, request):
    return request.getfixturevalue(f"{backend}_url")


_schemas_made: set[str] = set()


@pytest.fixture
def app(database_url, tmp_path):
    """The application bound to a clean database; tables are emptied after each test."""
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        INSTANCE_PATH=str(tmp_path / "instance"),
        RATELIMIT_STORAGE_URI="memory://",
    )
    with app.app_context():
        if database_url not in _schemas_made:
            db.drop_all()
            db.create_all()
            _schemas_made.add(database_url)
        yield app
        db.session.rollback()
        db.session.remove()
        _empty_tables(database_url)
        db.engine.dispose()


def _empty_tables(url: str) -> None:
    tables = db.metadata.sorted_tables
    with db.engine.begin() as conn:
        if url.startswith("postgresql"):
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_with(app, database_url, tmp_path):
    """Another application on the test's database with some settings changed (rate limits,
    CSRF protection, the public URL): `app_with(WTF_CSRF_ENABLED=True)`."""

    def make(**overrides):
        settings = {"RATELIMIT_STORAGE_URI": "memory://", **overrides}
        return create_app(
            TestConfig,
            SQLALCHEMY_DATABASE_URI=database_url,
            INSTANCE_PATH=str(tmp_path),
            **settings,
        )

    return make


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def redis_url():
    """A real Redis (database 15, emptied before and after the test)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(
            f"Redis is not reachable at {REDIS_URL} ({error}).\nStart it with: {START_REDIS}\n"
            "or point JOBMATCH_TEST_REDIS_URL at another server.",
            pytrace=False,
        )
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def mini_esco(tmp_path_factory) -> Path:
    """The demo occupations with their skills: a small, real slice of the vendored ESCO data."""
    from tests.esco_slice import write_slice

    return write_slice(tmp_path_factory.mktemp("esco"))


def login(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password})


def as_user(client, email: str, password: str | None = None):
    """The tests hold an app context, which Flask-Login's user cache lives in: one client,
    logging out and in, stands for each person in turn."""
    from tests.factories import PASSWORD

    client.post("/logout")
    assert login(client, email, password or PASSWORD).status_code == 302
    return client


@pytest.fixture(scope="session")
def model_folder(tmp_path_factory) -> Path:
    """The converted bundled model: the prepared one under models/, or a fresh conversion."""
    from jobmatch.config import Config
    from jobmatch.search.convert import convert, is_prepared

    prepared = Path(Config.JOBMATCH_MODEL)
    if is_prepared(prepared):
        return prepared
    return convert(tmp_path_factory.mktemp("model") / "multilingual-e5-small")


@pytest.fixture(scope="session")
def embedder(model_folder):
    from jobmatch.search.embedder import Embedder

    return Embedder(str(model_folder))


@pytest.fixture
def demo_world(app, mini_esco, model_folder, tmp_path):
    """A function that loads the ESCO slice and a demo data set with the real model set up,
    optionally embedding and indexing everything; returns the app."""
    from jobmatch.demo.build import build_demo
    from jobmatch.taxonomy import services as taxonomy

    def make(seed: int, employers: int, vacancies: int, seekers: int, index: bool = True):
        import sqlalchemy as sa

        from jobmatch.accounts.models import User

        app.config.update(JOBMATCH_MODEL=str(model_folder), EMBEDDINGS_PATH=str(tmp_path / "emb"))
        taxonomy.load(mini_esco)
        build_demo(seed=seed, employers=employers, vacancies=vacancies, seekers=seekers)
        # The demo's people each use their own language; the tests read the pages in English.
        db.session.execute(sa.update(User).values(locale="en"))
        db.session.commit()
        if index:
            from jobmatch.matching import services

            for entity in ("vacancy", "seeker"):
                services.sync(entity)
        return app

    return make
