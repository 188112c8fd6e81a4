"""Background jobs: on RQ and Redis in production, in-process in the embedded mode.

Jobs take ids, never objects, and say their queue, timeout and retries where they
are defined (`jobs.py`). `enqueue` is called after the commit of the change a job
refers to, so the worker finds the row.
"""
