"""The one registry of background jobs.

Each feature declares its jobs with `@job(...)` in its own `tasks.py`; `create_app` imports
those modules (as it registers blueprints), and the queue, the worker, the schedule, the
admin jobs page and the docs' table all read the jobs from here.
"""

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import force_locale

from jobmatch.database import changes

# The features whose tasks.py declares jobs, imported by create_app.
FEATURES = (
    "matching",
    "vacancies",
    "notifications",
    "contracts",
    "stats",
    "privacy",
    "alerts",
    "monitoring",
)


@dataclass(frozen=True)
class JobSpec:
    """How a job runs: its queue, time limit and retry delays (seconds)."""

    queue: str = "default"
    timeout: int = 300
    retries: tuple[int, ...] = (10, 30, 120)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable
    spec: JobSpec
    schedule: int | str | None  # seconds between runs, or a cron line (UTC); None: on demand
    label: object  # what it does, for people (a lazy text)

    def when(self) -> str:
        """The schedule in words (English, for the docs)."""
        if self.schedule is None:
            return "on demand"
        if isinstance(self.schedule, str):
            return f"`{self.schedule}`"
        minutes = self.schedule // 60
        return "every hour" if minutes == 60 else f"every {minutes} min"


JOBS: dict[str, Job] = {}

# What a worker loads before it takes its first job (a feature's model, its tables), so
# that the first change on a new site waits for no start-up. Each runs once per worker.
PREPARERS: list[Callable[[], object]] = []


def before_jobs(func: Callable[[], object]) -> Callable[[], object]:
    """Declare `func` as something a worker runs (in the app context) before taking jobs."""
    PREPARERS.append(func)
    return func


def prepare_worker(logger) -> None:
    """Run every feature's `before_jobs`, each in its own unit of work (what it read ends
    with it); what fails is logged and left to the first job."""
    load_jobs()
    for prepare in PREPARERS:
        try:
            with changes():
                prepare()
        except Exception:
            logger.exception("could not prepare %s before taking jobs", prepare.__name__)


def job(
    *,
    queue: str = "default",
    timeout: int = 3600,
    retries: tuple[int, ...] = (60, 300),
    schedule: int | str | None = None,
    label="",
):
    """Register the function as a background job: where it queues, how long it may run,
    when it is retried, and when it runs by itself. The job commits once, when it returns;
    if it raises, nothing it wrote stays (batch jobs that commit chunk by chunk call
    `commit_chunk` and say so)."""

    def register(func: Callable) -> Callable:
        spec = JobSpec(queue=queue, timeout=timeout, retries=tuple(retries))

        @functools.wraps(func)
        def run(*args, **kwargs):
            with changes():
                return func(*args, **kwargs)

        run.spec = spec
        JOBS[func.__name__] = Job(func.__name__, run, spec, schedule, label)
        return run

    return register


def load_jobs() -> None:
    """Import every feature's jobs (idempotent)."""
    for feature in FEATURES:
        importlib.import_module(f"jobmatch.{feature}.tasks")


def get(name: str) -> Job:
    load_jobs()
    return JOBS[name]


def scheduled() -> list[Job]:
    """The jobs that run by themselves, feature by feature as FEATURES lists them, each
    feature's in the order its tasks.py declares them (whatever was imported first)."""
    load_jobs()

    def place(entry: Job) -> tuple[int, int]:
        feature = entry.func.__module__.split(".")[1]
        return FEATURES.index(feature), entry.func.__code__.co_firstlineno

    return sorted((j for j in JOBS.values() if j.schedule is not None), key=place)


def docs_table() -> str:
    """The scheduled jobs as the Markdown table docs/ARCHITECTURE.md shows."""

    rows = ["| Job | When (UTC) | What it does |", "|---|---|---|"]
    with force_locale("en"):
        rows += [f"| `{j.name}` | {j.when()} | {j.label} |" for j in scheduled()]
    return "\n".join(rows)
