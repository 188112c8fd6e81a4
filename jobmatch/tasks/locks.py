"""One writer at a time, across processes: a Redis lock, or the database's own.

With Redis (production) the lock is a Redis key with a time limit, so a writer
killed while holding it cannot block the others for longer than that. Without
Redis, a PostgreSQL advisory lock does the same job, and SQLite serialises writers
by itself.
"""

import logging
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from redis.exceptions import LockNotOwnedError

from jobmatch.extensions import db
from jobmatch.tasks.queue import redis_connection

log = logging.getLogger(__name__)

LOCK_PREFIX = "jobmatch:lock:"
_process_lock = threading.RLock()


class LockTimeout(RuntimeError):
    """The lock was not obtained in time (another writer holds it)."""


@contextmanager
def exclusive(name: str, timeout: int = 60, wait: float = 120.0) -> Iterator[None]:
    """Hold the lock `name` for the block. End the block's transaction inside it.

    `timeout` bounds how long a dead holder keeps the Redis lock; `wait` how long to
    wait for it before giving up with LockTimeout.
    """
    connection = redis_connection()
    if connection is not None:
        lock = connection.lock(LOCK_PREFIX + name, timeout=timeout, blocking_timeout=wait)
        if not lock.acquire():
            raise LockTimeout(f"lock {name!r} is held by another writer")
        try:
            yield
        finally:
            try:
                lock.release()
            except LockNotOwnedError:
                log.warning("lock %s expired before it was released", name)
        return
    if db.engine.dialect.name == "postgresql":
        # a session lock on a connection of its own: the block may commit as it likes
        key = zlib.crc32(name.encode())
        with db.engine.connect() as conn:
            conn.execute(sa.select(sa.func.pg_advisory_lock(key)))
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.select(sa.func.pg_advisory_unlock(key)))
                conn.commit()
        return
    with _process_lock:
        yield
