"""What the background jobs are doing, for the admin page: from Redis, or the in-process runner."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import redis
from flask import current_app
from rq import Queue, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job

from jobmatch.tasks.queue import QUEUES, enqueue, redis_connection, resolve, runner
from jobmatch.tasks.registry import scheduled
from jobmatch.validation import as_number

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SHOWN = 50


@dataclass
class JobRow:
    id: str
    description: str
    queue: str
    status: str
    enqueued_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    worker: str = ""
    error: str = ""
    retries_left: int | None = None


@dataclass
class JobsView:
    mode: str  # "redis" or "in-process"
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # queue -> state -> n
    rows: dict[str, list[JobRow]] = field(default_factory=dict)  # state -> rows
    workers: list[dict] = field(default_factory=list)
    error: str = ""


STATES = ("started", "queued", "scheduled", "failed", "finished")


def overview() -> JobsView:
    connection = redis_connection()
    if connection is None:
        return _in_process()

    try:
        return _from_redis(connection)
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
        return JobsView(mode="redis", error=str(error))


def _from_redis(connection) -> JobsView:

    view = JobsView(mode="redis", rows={s: [] for s in STATES})
    for name in QUEUES:
        queue = Queue(name, connection=connection)
        registries = {
            "queued": None,
            "started": queue.started_job_registry,
            "scheduled": queue.scheduled_job_registry,
            "failed": queue.failed_job_registry,
            "finished": queue.finished_job_registry,
        }
        view.counts[name] = {}
        for state, registry in registries.items():
            if registry is None:
                ids = queue.get_job_ids(0, SHOWN - 1)
                view.counts[name][state] = queue.count
            else:
                view.counts[name][state] = registry.count
                ids = registry.get_job_ids(0, SHOWN - 1, desc=True)
            for job in Job.fetch_many(ids, connection=connection):
                if job is not None:
                    view.rows[state].append(_row(job, name, state))
    view.workers = [
        {"name": w.name, "state": w.get_state(), "queues": ", ".join(w.queue_names())}
        for w in Worker.all(connection=connection)
    ]
    return view


def _row(job, queue: str, state: str) -> JobRow:
    error = ""
    if state == "failed":
        result = job.latest_result()
        text = (result.exc_string if result is not None else "") or ""
        error = text.strip().splitlines()[-1] if text.strip() else ""
    return JobRow(
        id=job.id,
        description=job.description or job.func_name,
        queue=queue,
        status=state,
        enqueued_at=job.enqueued_at,
        started_at=job.started_at,
        ended_at=job.ended_at,
        worker=job.worker_name or "",
        error=error[:300],
        retries_left=job.retries_left,
    )


def _in_process() -> JobsView:
    work = runner(current_app._get_current_object())
    view = JobsView(mode="in-process", rows={s: [] for s in STATES})
    history = list(work.history)
    running = list(work.started.values())  # a job per queue at most
    for record in running:
        view.rows["started"].append(_local_row(-1, record))
    for number, record in enumerate(history):
        view.rows[record["status"]].append(_local_row(number, record))
    view.counts["in-process"] = {
        "queued": work.waiting(),
        "started": len(running),
        "scheduled": 0,
        "failed": sum(1 for r in history if r["status"] == "failed"),
        "finished": sum(1 for r in history if r["status"] == "finished"),
    }
    return view


def _local_row(number: int, record: dict) -> JobRow:
    def when(key):
        value = record.get(key)
        return datetime.fromtimestamp(value, UTC).replace(tzinfo=None) if value else None

    return JobRow(
        id=str(number),
        description=record["description"],
        queue="in-process",
        status=record["status"],
        enqueued_at=when("enqueued_at"),
        started_at=when("started_at"),
        ended_at=when("ended_at"),
        error=(record.get("error") or "").strip().splitlines()[-1:][0]
        if record.get("error")
        else "",
    )


def retry(job_id: str) -> bool:
    """Queue a failed job again; False when there is no such failed job."""
    connection = redis_connection()
    if connection is None:
        return _retry_local(job_id)

    if not JOB_ID.match(job_id):
        return False
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return False
    if not job.is_failed:
        return False
    job.requeue()
    return True


def retry_all() -> int:
    connection = redis_connection()
    if connection is None:
        work = runner(current_app._get_current_object())
        failed = [str(n) for n, r in enumerate(work.history) if r["status"] == "failed"]
        return sum(_retry_local(n) for n in reversed(failed))

    count = 0
    for name in QUEUES:
        registry = Queue(name, connection=connection).failed_job_registry
        for job_id in registry.get_job_ids():
            registry.requeue(job_id)
            count += 1
    return count


def _retry_local(number: str) -> bool:
    work = runner(current_app._get_current_object())
    if as_number(number) is None or int(number) >= len(work.history):
        return False
    record = work.history[int(number)]
    if record["status"] != "failed":
        return False
    work.submit(resolve(record["function"]), tuple(record["args"]), [])
    record["status"] = "retried"
    return True


def run_now(name: str) -> bool:
    """Queue one of the scheduled jobs at once (by its registered name)."""

    if name not in {entry.name for entry in scheduled()}:
        return False
    return enqueue(name, key=f"schedule:{name}") in ("queued", "in-process", "inline")
