"""The jobs. Each takes ids, is idempotent, and declares its queue, timeout and retries."""

from jobmatch.tasks.queue import JobSpec

INDEX = JobSpec(queue="index", timeout=600, retries=(10, 30, 120))


def index_entity(entity: str, entity_id: int) -> dict:
    """Bring one vacancy's or seeker's vector and index entry in line with the database.

    Safe to run any number of times: unchanged text is not embedded again, a row
    that no longer exists leaves the index.
    """
    from jobmatch.extensions import db
    from jobmatch.matching.services import sync

    counts = sync(entity, [int(entity_id)])
    db.session.commit()
    return counts


index_entity.spec = INDEX
