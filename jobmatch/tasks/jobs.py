"""The jobs. Each takes ids, is idempotent, and declares its queue, timeout and retries."""

import logging

import sqlalchemy as sa

from jobmatch.tasks.queue import JobSpec, QueueUnavailable, claim, enqueue

log = logging.getLogger(__name__)

INDEX = JobSpec(queue="index", timeout=600, retries=(10, 30, 120))
MAINTENANCE = JobSpec(queue="default", timeout=3600, retries=(60, 300))
INDEX_CHUNK = 64  # ids per index job


def index_entities(entity: str, ids: list[int]) -> dict:
    """Bring some vacancies' or seekers' vectors and index entries in line with the database.

    Safe to run any number of times: unchanged text is not embedded again, a row
    that no longer exists leaves the index.
    """
    from jobmatch.matching.services import sync

    return sync(entity, [int(i) for i in ids])


index_entities.spec = INDEX


def index_concepts_job() -> dict:
    """Embed the ESCO occupation and skill labels, for suggestions by meaning."""
    from jobmatch.extensions import db
    from jobmatch.matching.recognition import KINDS, index_concepts

    counts = {}
    for kind in KINDS:
        counts[kind] = index_concepts(kind)
        db.session.commit()
    return counts


index_concepts_job.spec = MAINTENANCE


def request_index(entity: str, ids) -> dict[str, int]:
    """Queue index jobs for `ids` (after the commit that changed them), in chunks.

    Ids already waiting in a queued job are left out. Returns how many ids were
    queued, were already waiting, or were dropped because Redis is unreachable
    (the reconcile job finds those later).
    """
    ids = sorted({int(i) for i in ids})
    outcome = {"queued": 0, "duplicate": 0, "dropped": 0}
    if not ids:
        return outcome
    keys = [f"index:{entity}:{i}" for i in ids]
    try:
        fresh = set(claim(keys, ttl=INDEX.timeout * 10))
    except QueueUnavailable as error:
        log.warning("%d %s index jobs not queued, Redis unreachable (%s)", len(ids), entity, error)
        outcome["dropped"] = len(ids)
        return outcome
    todo = [(i, k) for i, k in zip(ids, keys, strict=True) if k in fresh]
    outcome["duplicate"] = len(ids) - len(todo)
    for start in range(0, len(todo), INDEX_CHUNK):
        chunk = todo[start : start + INDEX_CHUNK]
        result = enqueue(
            index_entities, entity, [i for i, _ in chunk], claimed=[k for _, k in chunk]
        )
        outcome["dropped" if result == "dropped" else "queued"] += len(chunk)
    return outcome


def expire_vacancies() -> dict:
    """Published vacancies past their expiry date become 'expired' (and leave matches)."""
    from jobmatch.database import utcnow
    from jobmatch.extensions import db
    from jobmatch.vacancies.models import Vacancy

    today = utcnow().date()
    due = db.session.scalars(
        sa.select(Vacancy).where(Vacancy.status == "published", Vacancy.expires_on < today)
    ).all()
    for vacancy in due:
        vacancy.status = "expired"
    db.session.commit()  # the change tracker queues their index jobs
    return {"expired": len(due)}


expire_vacancies.spec = MAINTENANCE


def reconcile() -> dict:
    """Find what the indexes miss and put it right.

    - rows with no stored vector, or one made from other text (a job lost while Redis
      was down, a worker that died for good): index jobs are queued;
    - stored vectors of rows that are gone: index jobs are queued (they remove them);
    - the index (latest snapshot plus the log) holding other ids or other vectors than
      the stored ones: the differing ids are written to the log again.
    """
    from jobmatch.matching.reconcile import run

    return run()


reconcile.spec = MAINTENANCE


def snapshot_indexes() -> dict:
    """Save each index as it stands, for fast starts, and drop the log lines it covers."""
    from jobmatch.extensions import db
    from jobmatch.matching.engine import ENTITIES, engine
    from jobmatch.tasks.locks import exclusive

    out = {}
    for entity in ENTITIES:
        with exclusive(f"snapshot:{entity}", timeout=600, wait=60):
            out[entity] = engine().save_snapshot(entity)
            db.session.commit()  # the pruned log lines
    return out


snapshot_indexes.spec = MAINTENANCE


def rebuild_indexes() -> dict:
    """Build each index anew from the stored vectors (no embedding), aside, and swap it in
    (in every process, at its next refresh). Drops HNSW tombstones; picks the kind that
    suits the size."""
    from jobmatch.matching.engine import ENTITIES, engine
    from jobmatch.tasks.locks import exclusive

    out = {}
    for entity in ENTITIES:
        with exclusive(f"snapshot:{entity}", timeout=3600, wait=60):
            index = engine().rebuild_index(entity)
        out[entity] = {"count": index.count(), "kind": index.kind}
    return out


rebuild_indexes.spec = MAINTENANCE


def deliver_outbox(limit: int = 200) -> dict:
    """Send the e-mails waiting in the outbox: by SMTP when MAIL_SERVER is set, else into
    the instance folder's outbox/ as .eml files (the embedded mode). Each message is sent
    and marked in its own commit; a failure is counted and retried on the next run, up
    to MAIL_MAX_ATTEMPTS."""
    from jobmatch.notifications.delivery import deliver

    return deliver(limit)


deliver_outbox.spec = JobSpec(queue="default", timeout=600, retries=(60,))


# What runs on a schedule: (job, seconds between runs or a cron line, in UTC).
# `flask jobmatch scheduler` hands these to rq's cron scheduler; the embedded mode
# runs them in a thread of the web process.
def apply_contract_dates() -> dict:
    """Contracts whose start date has come begin (the person becomes employed, a registration
    ends); those past their last working day end."""
    from jobmatch.contracts.services import apply_dates
    from jobmatch.extensions import db

    outcome = apply_dates()
    db.session.commit()
    return outcome


apply_contract_dates.spec = MAINTENANCE


def compute_statistics() -> dict:
    """Count the labour-market figures and keep them for the dashboard."""
    from jobmatch.extensions import db
    from jobmatch.stats.services import refresh

    row = refresh()
    db.session.commit()
    return {"seconds": row.seconds}


compute_statistics.spec = MAINTENANCE


def purge_expired_records() -> dict:
    """Labour contracts of people deleted at their request, once kept as long as required."""
    from jobmatch.extensions import db
    from jobmatch.privacy.services import purge_expired

    purged = purge_expired()
    db.session.commit()
    return {"purged": purged}


purge_expired_records.spec = MAINTENANCE


def alert_saved_searches(limit: int = 5000) -> dict:
    """Announce new vacancies to the people whose saved searches they fit. Each search is
    checked and committed on its own: one that fails is logged and tried again next time."""
    from jobmatch.alerts.models import SavedSearch
    from jobmatch.alerts.services import check
    from jobmatch.extensions import db

    ids = db.session.scalars(
        sa.select(SavedSearch.id)
        .where(SavedSearch.alerts.is_(True))
        .order_by(SavedSearch.checked_at)
        .limit(limit)
    ).all()
    outcome = {"checked": 0, "announced": 0, "failed": 0}
    for search_id in ids:
        try:
            row = db.session.get(SavedSearch, search_id)
            if row is None:
                continue
            outcome["announced"] += check(row)
            db.session.commit()
            outcome["checked"] += 1
        except Exception:
            db.session.rollback()
            log.exception("saved search %s could not be checked", search_id)
            outcome["failed"] += 1
    return outcome


alert_saved_searches.spec = MAINTENANCE


SCHEDULE = (
    (expire_vacancies, "5 * * * *"),
    (reconcile, 600),
    (snapshot_indexes, 120),
    (deliver_outbox, 60),
    (alert_saved_searches, 900),
    (compute_statistics, 3600),
    (rebuild_indexes, "30 2 * * *"),
    (apply_contract_dates, "5 20 * * *"),  # 00:05 in Baku
    (purge_expired_records, "15 21 * * *"),
)
