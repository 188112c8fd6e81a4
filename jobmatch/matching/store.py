"""Stored vectors: embed what changed, reuse what did not. Flushes, never commits."""

from collections.abc import Callable

import numpy as np
import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.matching.models import StoredVector
from jobmatch.search.embedder import Embedder, text_hash


def ensure(
    entity_type: str,
    items: list[tuple[int, str]],
    embedder: Embedder,
    role: str,
    batch_size: int = 64,
    progress: Callable[[int], None] = lambda n: None,
) -> dict[str, int]:
    """Make sure every (id, text) has a vector of `embedder`'s model for that exact text."""
    model = embedder.name
    existing = {
        row.entity_id: row
        for row in db.session.scalars(
            sa.select(StoredVector).where(
                StoredVector.entity_type == entity_type,
                StoredVector.model == model,
                StoredVector.entity_id.in_([i for i, _ in items]),
            )
        )
    }
    todo = []
    for entity_id, text in items:
        digest = text_hash(text)
        row = existing.get(entity_id)
        if row is None or row.text_hash != digest:
            todo.append((entity_id, text, digest))
    progress(len(items) - len(todo))
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        vectors = embedder.embed([text for _, text, _ in batch], role)
        for (entity_id, _text, digest), vector in zip(batch, vectors, strict=True):
            row = existing.get(entity_id)
            if row is None:
                row = StoredVector(entity_type=entity_type, entity_id=entity_id, model=model)
                db.session.add(row)
            row.dimension, row.text_hash = len(vector), digest
            row.vector = np.asarray(vector, dtype=np.float32).tobytes()
        db.session.flush()
        progress(len(batch))
    return {"embedded": len(todo), "reused": len(items) - len(todo)}


def load(entity_type: str, model: str, ids=None) -> tuple[np.ndarray, np.ndarray]:
    """(ids, matrix) of the stored vectors of `model` for `entity_type` (optionally some ids)."""
    query = sa.select(StoredVector.entity_id, StoredVector.dimension, StoredVector.vector).where(
        StoredVector.entity_type == entity_type, StoredVector.model == model
    )
    if ids is not None:
        query = query.where(StoredVector.entity_id.in_(list(ids)))
    rows = db.session.execute(query.order_by(StoredVector.entity_id)).all()
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    dims = {d for _, d, _ in rows}
    if len(dims) != 1:
        raise ValueError(f"stored vectors of {model} have several dimensions: {sorted(dims)}")
    matrix = np.frombuffer(b"".join(v for _, _, v in rows), dtype=np.float32)
    return np.array([i for i, _, _ in rows], dtype=np.int64), matrix.reshape(len(rows), -1)


def ids(entity_type: str, model: str) -> list[int]:
    """The ids that have a stored vector of `model`."""
    return db.session.scalars(
        sa.select(StoredVector.entity_id).where(
            StoredVector.entity_type == entity_type, StoredVector.model == model
        )
    ).all()


def forget(entity_type: str, ids) -> None:
    db.session.execute(
        sa.delete(StoredVector).where(
            StoredVector.entity_type == entity_type, StoredVector.entity_id.in_(list(ids))
        )
    )


def has_any(entity_type: str, model: str) -> bool:
    return (
        db.session.scalar(
            sa.select(StoredVector.id)
            .where(StoredVector.entity_type == entity_type, StoredVector.model == model)
            .limit(1)
        )
        is not None
    )
