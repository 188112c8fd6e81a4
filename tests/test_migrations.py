"""Migrations build the same schema as the models, from empty, and take it down again."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from jobmatch import create_app
from jobmatch.config import TestConfig
from jobmatch.extensions import db
from tests.conftest import create_postgres_database, drop_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
    else:
        url = create_postgres_database("jobmatch_migrations")
        yield url
        drop_postgres_database(url)


def test_upgrade_from_empty_matches_the_models_and_downgrade_removes_it(empty_database, tmp_path):
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=empty_database, INSTANCE_PATH=str(tmp_path)
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        assert differences == []
        assert {"users", "person", "vacancy", "labour_contract", "audit_event"} <= tables

        downgrade(revision="base")
        with db.engine.connect() as conn:
            remaining = set(sa.inspect(conn).get_table_names())
        assert remaining <= {"alembic_version"}
        db.engine.dispose()


def test_constraint_names_are_stable():
    names = {c.name for t in db.metadata.sorted_tables for c in t.constraints if c.name}
    assert "uq_users_email" in names
    assert "ck_vacancy_salary_range" in names
    assert "fk_vacancy_employer_id_employer" in names
