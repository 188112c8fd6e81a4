"""The reconcile: find vectors and index entries that are missing or stale, and fix them."""

import numpy as np

from jobmatch.database import commit_chunk
from jobmatch.matching import store
from jobmatch.matching.engine import ENTITIES, engine
from jobmatch.matching.services import documents, entity_ids
from jobmatch.matching.tracking import request_index
from jobmatch.search.embedder import text_hash
from jobmatch.tasks.locks import exclusive

CHUNK = 1000
TOLERANCE = 1e-4  # a vector in the index this far from the stored one is stale


def run() -> dict:
    return {entity: reconcile_entity(entity) for entity in ENTITIES}


def reconcile_entity(entity: str) -> dict:

    eng = engine()
    model = eng.model_name
    rows = entity_ids(entity)
    stored = store.hashes(entity, model, rows) if rows else {}
    stale = []
    for start in range(0, len(rows), CHUNK):
        for entity_id, text in documents(entity, rows[start : start + CHUNK]):
            if stored.get(entity_id) != text_hash(text):
                stale.append(entity_id)
    present = set(rows)
    orphans = [i for i in store.ids(entity, model) if i not in present]
    queued = request_index(entity, stale + orphans) if stale or orphans else {}

    # The index this process reads (snapshot plus log) against the stored vectors.
    held, held_vectors = eng.held(entity)
    ids, vectors = store.load(entity, model)
    differ = set(np.setxor1d(ids, held).tolist())
    both = np.intersect1d(ids, held)
    if len(both):
        mine = held_vectors[np.searchsorted(held, both)]
        theirs = vectors[np.searchsorted(ids, both)]
        far = np.abs(mine - theirs).max(axis=1) > TOLERANCE
        differ.update(both[far].tolist())
    if differ:
        with exclusive(f"index-writer:{entity}"):
            store.log_changes(entity, model, sorted(differ))
            commit_chunk()  # under the writer lock
    return {
        "stale_or_missing": len(stale),
        "orphans": len(orphans),
        "queued": queued.get("queued", 0),
        "index_repaired": len(differ),
    }
