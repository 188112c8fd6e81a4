"""Scheduled work: rq's cron scheduler in production, a thread in the embedded mode."""

import logging
import threading
import time
from datetime import UTC, datetime

from croniter import croniter

from jobmatch.tasks.queue import enqueue, run_job
from jobmatch.tasks.registry import scheduled

log = logging.getLogger(__name__)


def next_run(when, after: float) -> float:
    """The next time (epoch seconds) a schedule entry is due after `after`."""
    if isinstance(when, int | float):
        return after + when

    start = datetime.fromtimestamp(after, UTC)
    return croniter(when, start).get_next(float)


def register_cron(scheduler) -> list:
    """Hand the registered schedule to an rq CronScheduler; each job runs through `run_job`."""

    registered = []
    for entry in scheduled():
        when = entry.schedule
        timing = {"interval": when} if isinstance(when, int) else {"cron": when}
        registered.append(
            scheduler.register(
                run_job,
                entry.spec.queue,
                args=(entry.name, [], []),
                job_timeout=entry.spec.timeout,
                failure_ttl=7 * 24 * 3600,
                name=entry.name,
                **timing,
            )
        )
    return registered


class InProcessSchedule:
    """The embedded mode's scheduler: submits due jobs to the in-process runner."""

    def __init__(self, app, first_delay: float = 30.0, tick: float = 5.0):

        self.app, self.tick = app, tick
        start = time.time() + first_delay
        schedule = [(entry.func, entry.schedule) for entry in scheduled()]
        # interval jobs first run after the delay (a fresh start reconciles at once)
        self.due = {
            func: (start if isinstance(when, int | float) else next_run(when, start))
            for func, when in schedule
        }
        self.when = dict(schedule)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="jobmatch-schedule", daemon=True)
        self.thread.start()

    def _loop(self) -> None:

        while not self.stopped.is_set():
            now = time.time()
            for func, due in list(self.due.items()):
                if due <= now:
                    self.due[func] = next_run(self.when[func], now)
                    with self.app.app_context():
                        enqueue(func, key=f"schedule:{func.__name__}")
            self.stopped.wait(self.tick)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)


def start_in_process(app) -> None:
    """In the embedded mode, start the schedule with the first request served (not in
    tests, CLI commands or when Redis is configured: there `flask jobmatch scheduler` runs)."""
    if app.config.get("REDIS_URL") or app.config.get("JOBS_INLINE"):
        return
    if not app.config.get("SCHEDULE_IN_PROCESS", True):
        return
    lock = threading.Lock()

    @app.before_request
    def _start_schedule() -> None:
        if "jobmatch.schedule" in app.extensions:
            return
        with lock:
            if "jobmatch.schedule" not in app.extensions:
                app.extensions["jobmatch.schedule"] = InProcessSchedule(app)
