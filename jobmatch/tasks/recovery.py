"""Jobs of a worker that died (SIGKILL, out of memory, a lost machine) are run again.

rq notices an abandoned job only once its heartbeat has expired (a minute or
more). A worker starting on the same machine does not wait: a job whose worker
ran here, under a process id that no longer exists, is marked expired at once,
and rq's own clean-up retries it (or fails it when no retries are left).
"""

import os
import socket

from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import StartedJobRegistry


def _dead_here(worker_name: str | None) -> bool:
    """The worker ran on this machine and its process is gone."""
    if not worker_name:
        return False
    # host names may hold dots: the name is "<host>.<pid>.<random>"
    parts = worker_name.rsplit(".", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    host, pid = parts[0], int(parts[1])
    if host != socket.gethostname() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def requeue_abandoned(connection, queues) -> list[str]:
    """Hand the jobs of dead local workers back to rq's clean-up; returns their ids."""
    recovered = []
    for name in queues:
        registry = StartedJobRegistry(queue=Queue(name, connection=connection))
        entries = connection.zrange(registry.key, 0, -1)
        expired = []
        for entry in entries:
            job_id = registry.parse_job_id(entry)
            try:
                job = Job.fetch(job_id, connection=connection)
            except NoSuchJobError:
                continue
            if _dead_here(job.worker_name):
                expired.append(entry)
                recovered.append(job_id)
        if expired:
            queue = registry.get_queue()
            connection.zadd(registry.key, dict.fromkeys(expired, 0), xx=True)
            registry.cleanup()  # rq's own handling: a retry (counted), or failed
            # A retry waits out its back-off in the scheduled registry; a crash is not a
            # reason to wait, so run it now.
            scheduled = queue.scheduled_job_registry
            for job_id in recovered:
                if job_id in scheduled:
                    scheduled.remove(job_id)
                    queue.enqueue_job(Job.fetch(job_id, connection=connection))
    return recovered
