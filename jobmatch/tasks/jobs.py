"""Jobs queued in Redis before the jobs moved to their features name them
`jobmatch.tasks.jobs.<name>`: that path still resolves, to the registered job of that name.
New code declares jobs with `jobmatch.tasks.registry.job` in `<feature>/tasks.py`."""

from jobmatch.tasks.registry import JOBS, load_jobs


def __getattr__(name: str):

    load_jobs()
    if name in JOBS:
        return JOBS[name].func
    raise AttributeError(name)
