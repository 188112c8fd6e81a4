"""`flask jobmatch worker`: an RQ worker inside the app context."""

import click
from flask import current_app
from flask.cli import with_appcontext

from jobmatch.tasks.queue import redis_connection

QUEUES = ("index", "default")


@click.command("worker")
@click.option("--queue", "queues", multiple=True, default=QUEUES, show_default=True)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker_cli(queues: tuple[str, ...], burst: bool):
    """Run background jobs from Redis (REDIS_URL) until stopped."""
    from rq import SimpleWorker

    connection = redis_connection()
    if connection is None:
        raise click.ClickException(
            "REDIS_URL is not set: in the embedded mode jobs run inside the web process."
        )
    # One process keeps the sentence model loaded across jobs (no fork per job).
    worker = SimpleWorker(list(queues), connection=connection)
    current_app.logger.info("worker %s on %s", worker.name, ", ".join(queues))
    worker.work(burst=burst, with_scheduler=True)
