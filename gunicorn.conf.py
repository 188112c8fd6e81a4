"""gunicorn settings for `make serve`; the environment can override each."""

import os

from jobmatch.matching.engine import load_before_fork, warm

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# One request at a time per worker (gunicorn's sync worker, meant to sit behind a buffering
# reverse proxy): each request goes to whichever worker is free. Pages are CPU-bound, so
# threads in a worker only contend for its interpreter lock, and connections kept alive to a
# threaded worker pin their clients to it: under load the slowest 5 % of pages then waited
# 1.5-2x longer (docs/BENCHMARKS.md, "Through HTTP"). WEB_THREADS > 1 uses gthread workers.
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = 60
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app, the model and the indexes are loaded once, in the parent, and shared by the
# workers it forks (JOBMATCH_PRELOAD=0 to load them in each worker instead).
preload_app = os.environ.get("JOBMATCH_PRELOAD", "1").lower() not in {"0", "false", "no"}


def when_ready(server):
    """In the parent, before any worker is forked."""
    if preload_app:
        load_before_fork(server.app.wsgi())


def post_worker_init(worker):
    """Each serving process reads the vector indexes in the background as it starts."""
    warm(worker.wsgi)
