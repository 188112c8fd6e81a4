"""Stored vectors: embed what changed, reuse what did not. Flushes, never commits."""

from collections.abc import Callable

import numpy as np
import sqlalchemy as sa

from jobmatch.database import among
from jobmatch.extensions import db
from jobmatch.matching.models import IndexChange, StoredVector
from jobmatch.search.embedder import Embedder, text_hash


def hashes(entity_type: str, model: str, ids) -> dict[int, str]:
    """The text hash of each stored vector of `model` among `ids`."""
    rows = db.session.execute(
        sa.select(StoredVector.entity_id, StoredVector.text_hash).where(
            StoredVector.entity_type == entity_type,
            StoredVector.model == model,
            among(StoredVector.entity_id, ids),
        )
    )
    return {entity_id: digest for entity_id, digest in rows}


def stale(items: list[tuple[int, str]], stored: dict[int, str]) -> list[tuple[int, str, str]]:
    """(id, text, hash) of the items whose text has no vector yet or a vector of other text."""
    todo = []
    for entity_id, text in items:
        digest = text_hash(text)
        if stored.get(entity_id) != digest:
            todo.append((entity_id, text, digest))
    return todo


def embed(
    todo: list[tuple[int, str, str]],
    embedder: Embedder,
    role: str,
    batch_size: int = 64,
    progress: Callable[[int], None] = lambda n: None,
) -> dict[int, tuple[str, np.ndarray]]:
    """Embed the texts of `todo` (no database access): id -> (hash, vector)."""
    out: dict[int, tuple[str, np.ndarray]] = {}
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        vectors = embedder.embed([text for _, text, _ in batch], role)
        for (entity_id, _text, digest), vector in zip(batch, vectors, strict=True):
            out[entity_id] = (digest, np.asarray(vector, dtype=np.float32))
        progress(len(batch))
    return out


def write(entity_type: str, model: str, fresh: dict[int, tuple[str, np.ndarray]]) -> None:
    """Insert or replace the stored vectors in `fresh` (id -> (hash, vector)); flushes."""
    if not fresh:
        return
    existing = {
        row.entity_id: row
        for row in db.session.scalars(
            sa.select(StoredVector).where(
                StoredVector.entity_type == entity_type,
                StoredVector.model == model,
                StoredVector.entity_id.in_(list(fresh)),
            )
        )
    }
    for entity_id, (digest, vector) in fresh.items():
        row = existing.get(entity_id)
        if row is None:
            row = StoredVector(entity_type=entity_type, entity_id=entity_id, model=model)
            db.session.add(row)
        row.dimension, row.text_hash, row.vector = len(vector), digest, vector.tobytes()
    db.session.flush()


def ensure(
    entity_type: str,
    items: list[tuple[int, str]],
    embedder: Embedder,
    role: str,
    batch_size: int = 64,
    progress: Callable[[int], None] = lambda n: None,
) -> dict[str, int]:
    """Make sure every (id, text) has a vector of `embedder`'s model for that exact text."""
    stored = hashes(entity_type, embedder.name, [i for i, _ in items])
    todo = stale(items, stored)
    progress(len(items) - len(todo))
    write(entity_type, embedder.name, embed(todo, embedder, role, batch_size, progress))
    return {"embedded": len(todo), "reused": len(items) - len(todo)}


def load(entity_type: str, model: str, ids=None) -> tuple[np.ndarray, np.ndarray]:
    """(ids, matrix) of the stored vectors of `model` for `entity_type` (optionally some ids)."""
    query = sa.select(StoredVector.entity_id, StoredVector.dimension, StoredVector.vector).where(
        StoredVector.entity_type == entity_type, StoredVector.model == model
    )
    if ids is not None:
        query = query.where(among(StoredVector.entity_id, ids))
    rows = db.session.execute(query.order_by(StoredVector.entity_id)).all()
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    dims = {d for _, d, _ in rows}
    if len(dims) != 1:
        raise ValueError(f"stored vectors of {model} have several dimensions: {sorted(dims)}")
    matrix = np.frombuffer(b"".join(v for _, _, v in rows), dtype=np.float32)
    return np.array([i for i, _, _ in rows], dtype=np.int64), matrix.reshape(len(rows), -1)


def every(entity_type: str, model: str, ids) -> np.ndarray | None:
    """The stored vectors of exactly `ids`, in their order; None while any is missing (the
    ESCO labels are embedded once, by `flask jobmatch index concepts` or its job)."""
    stored_ids, vectors = load(entity_type, model)
    position = {int(i): n for n, i in enumerate(stored_ids)}
    if any(int(i) not in position for i in ids):
        return None
    return vectors[[position[int(i)] for i in ids]]


def ids(entity_type: str, model: str) -> list[int]:
    """The ids that have a stored vector of `model`."""
    return db.session.scalars(
        sa.select(StoredVector.entity_id).where(
            StoredVector.entity_type == entity_type, StoredVector.model == model
        )
    ).all()


def count(entity_type: str, model: str) -> int:
    """How many stored vectors of `model` the entity has."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(StoredVector)
        .where(StoredVector.entity_type == entity_type, StoredVector.model == model)
    )


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


# --- the change log ------------------------------------------------------------


def log_changes(entity_type: str, model: str, ids) -> None:
    """Record that the stored vectors of `ids` were written or removed (inside the writer lock)."""
    rows = [{"entity_type": entity_type, "entity_id": int(i), "model": model} for i in ids]
    if rows:
        db.session.execute(sa.insert(IndexChange), rows)


def changes_since(
    entity_type: str, model: str, position: int, limit: int = 10_000
) -> tuple[int, list[int]]:
    """The ids changed after `position`, and the new position (the last line read)."""
    rows = db.session.execute(
        sa.select(IndexChange.id, IndexChange.entity_id)
        .where(
            IndexChange.entity_type == entity_type,
            IndexChange.model == model,
            IndexChange.id > position,
        )
        .order_by(IndexChange.id)
        .limit(limit)
    ).all()
    if not rows:
        return position, []
    return rows[-1][0], list(dict.fromkeys(entity_id for _, entity_id in rows))


def log_position(entity_type: str, model: str) -> int:
    """The id of the entity's last line in the log (0 when none)."""
    query = sa.select(sa.func.max(IndexChange.id)).where(
        IndexChange.entity_type == entity_type, IndexChange.model == model
    )
    return db.session.scalar(query) or 0


def prune_point(position: int, before) -> int:
    """The last line at or below `position` written before `before` (0 if none)."""
    query = sa.select(sa.func.max(IndexChange.id)).where(
        IndexChange.id <= position, IndexChange.created_at < before
    )
    return db.session.scalar(query) or 0


def prune_log(entity_type: str, model: str, up_to: int) -> int:
    """Delete the entity's lines at or below `up_to`; returns how many."""
    if up_to <= 0:
        return 0
    result = db.session.execute(
        sa.delete(IndexChange).where(
            IndexChange.entity_type == entity_type,
            IndexChange.model == model,
            IndexChange.id <= up_to,
        )
    )
    return result.rowcount or 0
