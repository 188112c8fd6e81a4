"""Where jobs go: an RQ queue on Redis when REDIS_URL is set, else a thread in this process.

Requests for the same job (same entity and id) are deduplicated while one is
waiting. If Redis cannot be reached, nothing is lost: the change is already
committed and the job is dropped with a warning; `flask jobmatch index rebuild`
embeds whatever is stale or missing.
"""

import importlib
import logging
import queue as stdlib_queue
import threading
import time
import traceback
from collections import deque

import redis
from flask import current_app
from rq import Queue, Retry, get_current_job

from jobmatch.tasks.registry import JOBS, JobSpec, get, load_jobs

log = logging.getLogger(__name__)

QUEUES = ("index", "default")  # index jobs first; every other job on "default"


def redis_connection(app=None):
    """The app's Redis connection (one pool per process), or None in the embedded mode."""
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    if "jobmatch.redis" not in app.extensions:
        app.extensions["jobmatch.redis"] = redis.Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30
        )
    return app.extensions["jobmatch.redis"]


class InProcessRunner:
    """The embedded mode's worker: a thread per queue, each running its jobs in order, in an
    app context. Index jobs have a thread of their own, so a long job (embedding every
    ESCO label, statistics) never holds a new vacancy back from the matches."""

    def __init__(self, app, queues: tuple[str, ...] = QUEUES):
        self.app = app
        self.queues = {name: stdlib_queue.Queue() for name in queues}
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.history: deque[dict] = deque(maxlen=200)  # recent runs, for the admin page
        self.started: dict[str, dict] = {}  # queue -> the record of the job it runs
        self.threads = [
            threading.Thread(
                target=self._loop, args=(name,), name=f"jobmatch-jobs-{name}", daemon=True
            )
            for name in queues
        ]
        for thread in self.threads:
            thread.start()

    def claim(self, keys: list[str]) -> list[str]:
        with self.lock:
            fresh = [k for k in keys if k not in self.pending]
            self.pending.update(fresh)
        return fresh

    def submit(self, func, args: tuple, keys: list[str], queue: str = "default") -> None:
        target = self.queues.get(queue) or self.queues["default"]
        target.put((func, args, keys, time.time()))

    def _loop(self, queue: str) -> None:
        jobs = self.queues[queue]
        while True:
            func, args, keys, queued_at = jobs.get()
            with self.lock:
                self.pending.difference_update(keys)
            record = {
                "function": f"{func.__module__}.{func.__name__}",
                "args": args,
                "description": ", ".join(keys) or func.__name__,
                "enqueued_at": queued_at,
                "started_at": time.time(),
                "status": "started",
                "error": "",
            }
            self.started[queue] = record
            try:
                with self.app.app_context():
                    func(*args)
                record["status"] = "finished"
            except Exception:
                log.exception("in-process job %s failed", record["description"])
                record["status"], record["error"] = "failed", traceback.format_exc(limit=5)
            finally:
                record["ended_at"] = time.time()
                self.started.pop(queue, None)
                self.history.appendleft(record)
                jobs.task_done()

    def waiting(self) -> int:
        return sum(jobs.qsize() for jobs in self.queues.values())

    def drain(self, timeout: float = 60.0) -> None:
        """Wait until every submitted job has run (tests, CLI commands)."""
        done = threading.Event()

        def wait() -> None:
            while any(jobs.unfinished_tasks for jobs in self.queues.values()):
                for jobs in self.queues.values():
                    jobs.join()  # a job of one queue may submit to another
            done.set()

        threading.Thread(target=wait, daemon=True).start()
        if not done.wait(timeout):
            raise TimeoutError("in-process jobs did not finish in time")


def runner(app=None) -> InProcessRunner:
    app = app or current_app._get_current_object()
    with _runner_lock:
        if "jobmatch.runner" not in app.extensions:
            app.extensions["jobmatch.runner"] = InProcessRunner(app)
    return app.extensions["jobmatch.runner"]


_runner_lock = threading.Lock()


PENDING_PREFIX = "jobmatch:pending:"


class QueueUnavailable(RuntimeError):
    """Redis could not be reached."""


def claim(keys: list[str], ttl: int = 6000) -> list[str]:
    """Mark `keys` as waiting; returns those that were not already (the others are
    deduplicated). A key is released when the job holding it starts. Raises
    QueueUnavailable when Redis cannot be reached."""
    connection = redis_connection()
    if connection is None:
        if current_app.config.get("JOBS_INLINE"):
            return list(keys)
        return runner().claim(list(keys))

    try:
        with connection.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.set(PENDING_PREFIX + key, "1", nx=True, ex=ttl)
            answers = pipe.execute()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
        raise QueueUnavailable(str(error)) from error
    return [key for key, fresh in zip(keys, answers, strict=True) if fresh]


def enqueue(func, *args, key: str | None = None, claimed: list[str] | None = None) -> str:
    """Run the job `func(*args)` in the background; `func` is a registered job or its name
    (a name needs no import of the feature that declares it).

    With `key`, once per key while it waits. `claimed` are keys already taken with
    `claim()`, released when the job starts. Returns "queued", "duplicate" (the same
    job is already waiting), "in-process" (embedded mode), "inline" (tests) or
    "dropped" (Redis unreachable: see above).
    """
    if isinstance(func, str):
        func = get(func).func
    spec: JobSpec = getattr(func, "spec", JobSpec())
    keys = list(claimed or [])
    if key is not None:
        try:
            if not claim([key], ttl=spec.timeout * 10):
                return "duplicate"
        except QueueUnavailable as error:
            return _dropped(key, error)
        keys.append(key)
    connection = redis_connection()
    if connection is None:
        if current_app.config.get("JOBS_INLINE"):
            _run_inline(func, args)
            return "inline"
        runner().submit(func, args, keys, spec.queue)
        return "in-process"

    try:
        Queue(spec.queue, connection=connection).enqueue(
            run_job,
            job_reference(func),
            list(args),
            keys,
            job_timeout=spec.timeout,
            retry=Retry(max=len(spec.retries), interval=list(spec.retries))
            if spec.retries
            else None,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
            description=_describe(func, args),
        )
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
        return _dropped(", ".join(keys) or func.__name__, error)
    return "queued"


def _describe(func, args) -> str:
    shown = ", ".join(_short(a) for a in args)
    return f"{func.__name__}({shown})"


def _short(value) -> str:
    if isinstance(value, list | tuple) and len(value) > 6:
        return f"[{', '.join(map(str, value[:5]))}, … {len(value)} in all]"
    return repr(value) if isinstance(value, str) else str(value)


def _dropped(what: str, error) -> str:
    log.warning("job %s not queued, Redis unreachable (%s); reconcile will catch up", what, error)
    return "dropped"


def _run_inline(func, args: tuple) -> None:
    """Tests: run the job now, in a fresh app context (so in its own database session, as
    a worker would); a failure is logged, as in a worker."""
    try:
        with current_app.app_context():
            func(*args)
    except Exception:
        log.exception("inline job %s failed", func.__name__)


def run_job(function: str, args: list, keys):
    """What the RQ worker runs: the job's function, in the app context of the worker."""

    job = get_current_job()
    if isinstance(keys, str):
        keys = [keys]
    if job is not None and keys:
        # a change from now on queues a new run
        job.connection.delete(*[PENDING_PREFIX + k for k in keys])
    with current_app.app_context():  # a database session of its own for each job
        return resolve(function)(*args)


def job_reference(func) -> str:
    """How a queued entry names its job: the registered name (the worker finds the job in
    the registry), or the dotted path of a function that is not registered."""
    entry = JOBS.get(func.__name__)
    if entry is not None and entry.func is func:
        return func.__name__
    return f"{func.__module__}.{func.__name__}"


def resolve(function: str):
    """The job a queued entry names: a registered name, or a dotted path (entries queued
    before the registry, e.g. jobmatch.tasks.jobs.reconcile)."""

    load_jobs()
    if function in JOBS:
        return JOBS[function].func
    module, name = function.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)
