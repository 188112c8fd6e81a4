"""The matching's jobs: keeping vectors and indexes in step with the database."""

from jobmatch.database import commit_chunk
from jobmatch.i18n import _l
from jobmatch.matching import reconcile as reconciliation
from jobmatch.matching.engine import ENTITIES, engine
from jobmatch.matching.occupations import recogniser
from jobmatch.matching.recognition import KINDS, index_concepts, label_index
from jobmatch.matching.services import sync
from jobmatch.tasks.locks import exclusive
from jobmatch.tasks.registry import before_jobs, job

INDEX_TIMEOUT = 600


@before_jobs
def load_model_and_recognisers() -> None:
    """What an index job needs: the sentence model, and the occupation recogniser and label
    index built from the taxonomy (seconds each, paid before the first change, not by it)."""
    engine().embedder.model  # noqa: B018 (loading is the point)
    recogniser()
    label_index()


@job(queue="index", timeout=INDEX_TIMEOUT, retries=(10, 30, 120))
def index_entities(entity: str, ids: list[int]) -> dict:
    """Bring some vacancies' or seekers' vectors and index entries in line with the database.

    Safe to run any number of times: unchanged text is not embedded again, a row
    that no longer exists leaves the index.
    """
    return sync(entity, [int(i) for i in ids])


@job(label=_l("Embeds the ESCO occupation and skill labels, for suggestions by meaning."))
def index_concepts_job() -> dict:
    """Embed the ESCO occupation and skill labels, for suggestions by meaning (each kind
    committed on its own)."""
    counts = {}
    for kind in KINDS:
        counts[kind] = index_concepts(kind)
        commit_chunk()
    return counts


@job(
    schedule=600,
    label=_l(
        "Finds vacancies and profiles whose vector or index entry is missing or stale "
        "(a job lost while Redis was down, a worker that died) and indexes them."
    ),
)
def reconcile() -> dict:
    """Find what the indexes miss and put it right.

    - rows with no stored vector, or one made from other text (a job lost while Redis
      was down, a worker that died for good): index jobs are queued;
    - stored vectors of rows that are gone: index jobs are queued (they remove them);
    - the index (latest snapshot plus the log) holding other ids or other vectors than
      the stored ones: the differing ids are written to the log again.
    """
    return reconciliation.run()


@job(
    schedule=120,
    label=_l("Saves each index as it stands, for fast starts, and drops the change log it covers."),
)
def snapshot_indexes() -> dict:
    """Save each index as it stands, for fast starts, and drop the log lines it covers (a
    commit per index, under its lock)."""
    out = {}
    for entity in ENTITIES:
        with exclusive(f"snapshot:{entity}", timeout=600, wait=60):
            out[entity] = engine().save_snapshot(entity)
            commit_chunk()  # the pruned log lines, under the lock
    return out


@job(
    schedule="30 2 * * *",
    label=_l(
        "Builds each index anew from the stored vectors (no embedding), aside, and swaps it "
        "in everywhere."
    ),
)
def rebuild_indexes() -> dict:
    """Build each index anew from the stored vectors (no embedding), aside, and swap it in
    (in every process, at its next refresh). Drops HNSW tombstones; picks the kind that
    suits the size."""
    out = {}
    for entity in ENTITIES:
        with exclusive(f"snapshot:{entity}", timeout=3600, wait=60):
            index = engine().rebuild_index(entity)
        out[entity] = {"count": index.count(), "kind": index.kind}
    return out
