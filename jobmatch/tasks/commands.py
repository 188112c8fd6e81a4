"""`flask jobmatch worker` and `flask jobmatch scheduler`: RQ inside the app context."""

import os
import socket
import uuid

import click
from flask import current_app
from flask.cli import with_appcontext
from rq import SimpleWorker
from rq.cron import CronScheduler

from jobmatch.tasks.queue import QUEUES, redis_connection
from jobmatch.tasks.recovery import requeue_abandoned
from jobmatch.tasks.registry import prepare_worker
from jobmatch.tasks.schedule import register_cron


def _connection():
    connection = redis_connection()
    if connection is None:
        raise click.ClickException(
            "REDIS_URL is not set: in the embedded mode jobs run inside the web process."
        )
    return connection


@click.command("worker")
@click.option("--queue", "queues", multiple=True, default=QUEUES, show_default=True)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker_cli(queues: tuple[str, ...], burst: bool):
    """Run background jobs from Redis (REDIS_URL) until stopped."""

    connection = _connection()
    recovered = requeue_abandoned(connection, queues)
    if recovered:
        current_app.logger.warning("requeued %d jobs of workers that died", len(recovered))
    # One process keeps the sentence model loaded across jobs (no fork per job). The name
    # says where the worker runs, so a restarted one can tell its dead predecessors.
    name = f"{socket.gethostname()}.{os.getpid()}.{uuid.uuid4().hex[:6]}"
    # Maintenance (abandoned jobs, the retry scheduler's lock) every minute, not ten.
    worker = SimpleWorker(list(queues), connection=connection, name=name, maintenance_interval=60)
    prepare_worker(current_app.logger)  # the model and its tables, before the first job
    current_app.logger.info("worker %s on %s", worker.name, ", ".join(queues))
    worker.work(burst=burst, with_scheduler=True)


@click.command("scheduler")
@with_appcontext
def scheduler_cli():
    """Queue the scheduled jobs (expiry, reconcile, snapshots, nightly rebuild) on time.

    Run one per installation, beside the workers."""

    scheduler = CronScheduler(connection=_connection())
    for job in register_cron(scheduler):
        timing = f"every {job.interval} s" if job.interval else job.cron
        click.echo(f"{job.name}: {timing}")
    scheduler.start()
