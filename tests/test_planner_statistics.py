"""Tables filled in bulk are measured again (`keep_statistics`), so PostgreSQL looks the ids
of an index job up through the index instead of walking the whole table."""

import json

import numpy as np
import pytest
import sqlalchemy as sa

from jobmatch.database import keep_statistics
from jobmatch.extensions import db
from jobmatch.matching.models import StoredVector

ON_POSTGRESQL = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)

MODEL = "test-model"


def _fill(first: int, count: int) -> None:
    vector = np.ones(384, dtype=np.float32).tobytes()
    db.session.execute(
        sa.insert(StoredVector),
        [
            {"entity_type": "vacancy", "entity_id": i, "model": MODEL, "dimension": 384,
             "text_hash": f"{i:064d}", "vector": vector}
            for i in range(first, first + count)
        ],
    )  # fmt: skip
    db.session.commit()


def _plan(ids: list[int]) -> str:
    query = sa.select(StoredVector.entity_id, StoredVector.text_hash).where(
        StoredVector.entity_type == "vacancy",
        StoredVector.model == MODEL,
        StoredVector.entity_id.in_(ids),
    )
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = db.session.scalar(sa.text(f"EXPLAIN (FORMAT JSON) {compiled}"))
    db.session.commit()
    return json.dumps(plan)


def _reltuples() -> float:
    return db.session.scalar(
        sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('stored_vector')")
    )


@ON_POSTGRESQL
def test_a_grown_table_is_measured_once_and_its_ids_are_looked_up_by_index(app):
    _fill(1, 4000)
    assert keep_statistics(StoredVector) == ["stored_vector"]
    assert _reltuples() == pytest.approx(4000, rel=0.05)
    plan = json.loads(_plan(list(range(1000, 1256))))[0]["Plan"]
    assert "entity_id" in plan.get("Index Cond", ""), plan  # not a filter over every row

    assert keep_statistics(StoredVector) == []  # nothing grew since
    _fill(5001, 100)  # a little growth: not worth measuring
    assert keep_statistics(StoredVector) == []
    _fill(6001, 2000)
    assert keep_statistics(StoredVector) == ["stored_vector"]
    assert _reltuples() == pytest.approx(6100, rel=0.05)


@ON_POSTGRESQL
def test_a_table_being_measured_elsewhere_is_left_to_that_process(app):
    _fill(1, 4000)
    with db.engine.connect() as other:
        other.execute(sa.text("SELECT pg_advisory_lock(hashtext('analyze stored_vector'))"))
        assert keep_statistics(StoredVector) == []
        other.execute(sa.text("SELECT pg_advisory_unlock(hashtext('analyze stored_vector'))"))
        other.commit()
    assert keep_statistics(StoredVector) == ["stored_vector"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sqlite_needs_no_measuring(app):
    _fill(1, 10)
    assert keep_statistics(StoredVector) == []


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"], indirect=True)
def test_ids_sent_as_one_array_find_what_in_finds_with_one_query_text(app):
    from jobmatch.database import among

    _fill(1, 300)
    texts = []

    def record(conn, cursor, statement, *rest):
        texts.append(statement)

    def found(ids) -> list[int]:
        query = sa.select(StoredVector.entity_id).where(among(StoredVector.entity_id, ids))
        return sorted(db.session.scalars(query))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert found([5, 7, 9999]) == [5, 7]
        assert found(range(100, 250)) == list(range(100, 250))
        assert found([]) == []
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    if db.engine.dialect.name == "postgresql":  # one statement whatever the number of ids
        assert len(set(texts)) == 1, texts
