"""gunicorn settings for `make serve`; the environment can override each."""

import os

from jobmatch.matching.engine import warm

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 60
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Each serving process reads the vector indexes in the background as it starts."""
    warm(worker.wsgi)
