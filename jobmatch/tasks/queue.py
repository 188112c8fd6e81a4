"""Where jobs go: an RQ queue on Redis when REDIS_URL is set, else a thread in this process.

Requests for the same job (same entity and id) are deduplicated while one is
waiting. If Redis cannot be reached, nothing is lost: the change is already
committed and the job is dropped with a warning; `flask jobmatch index rebuild`
embeds whatever is stale or missing.
"""

import logging
import queue as stdlib_queue
import threading
from dataclasses import dataclass

from flask import current_app

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobSpec:
    """How a job runs: its queue, time limit and retry delays (seconds)."""

    queue: str = "default"
    timeout: int = 300
    retries: tuple[int, ...] = (10, 30, 120)


def redis_connection(app=None):
    """The app's Redis connection (one pool per process), or None in the embedded mode."""
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    if "jobmatch.redis" not in app.extensions:
        import redis

        app.extensions["jobmatch.redis"] = redis.Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30
        )
    return app.extensions["jobmatch.redis"]


class InProcessRunner:
    """The embedded mode's worker: one thread running jobs in order, in an app context."""

    def __init__(self, app):
        self.app = app
        self.jobs: stdlib_queue.Queue = stdlib_queue.Queue()
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._loop, name="jobmatch-jobs", daemon=True)
        self.thread.start()

    def submit(self, key: str, func, args: tuple) -> bool:
        with self.lock:
            if key in self.pending:
                return False
            self.pending.add(key)
        self.jobs.put((key, func, args))
        return True

    def _loop(self) -> None:
        while True:
            key, func, args = self.jobs.get()
            with self.lock:
                self.pending.discard(key)
            try:
                with self.app.app_context():
                    func(*args)
            except Exception:
                log.exception("in-process job %s failed", key)
            finally:
                self.jobs.task_done()

    def drain(self, timeout: float = 60.0) -> None:
        """Wait until every submitted job has run (tests, CLI commands)."""
        done = threading.Event()

        def wait() -> None:
            self.jobs.join()
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


def enqueue(func, *args, key: str) -> str:
    """Run `func(*args)` in the background, once per `key` while it waits.

    Returns "queued", "duplicate" (the same job is already waiting), "in-process"
    (embedded mode), "inline" (tests) or "dropped" (Redis unreachable: see above).
    """
    connection = redis_connection()
    if connection is None:
        if current_app.config.get("JOBS_INLINE"):
            _run_inline(key, func, args)
            return "inline"
        return "in-process" if runner().submit(key, func, args) else "duplicate"
    import redis
    from rq import Queue, Retry

    spec: JobSpec = getattr(func, "spec", JobSpec())
    try:
        if not connection.set(PENDING_PREFIX + key, "1", nx=True, ex=spec.timeout * 10):
            return "duplicate"
        Queue(spec.queue, connection=connection).enqueue(
            run_job,
            f"{func.__module__}.{func.__name__}",
            list(args),
            key,
            job_timeout=spec.timeout,
            retry=Retry(max=len(spec.retries), interval=list(spec.retries)),
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
            description=key,
        )
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
        log.warning(
            "job %s not queued, Redis unreachable (%s); reconcile will catch up", key, error
        )
        return "dropped"
    return "queued"


def _run_inline(key: str, func, args: tuple) -> None:
    """Tests: run the job now, in this context; a failure is logged, as in a worker."""
    try:
        func(*args)
    except Exception:
        log.exception("inline job %s failed", key)


def run_job(function: str, args: list, key: str):
    """What the RQ worker runs: the job's function, in the app context of the worker."""
    import importlib

    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.connection.delete(PENDING_PREFIX + key)  # a change from now on queues a new run
    module, name = function.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)(*args)
