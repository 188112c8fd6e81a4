"""`flask jobmatch import vacancies|seekers FILE.jsonl`."""

import click
from flask.cli import with_appcontext

from jobmatch.database import changes
from jobmatch.extensions import db
from jobmatch.imports import services
from jobmatch.matching import services as matching
from jobmatch.matching.tracking import paused, paused_without_queue
from jobmatch.tasks.queue import redis_connection
from jobmatch.training.services import import_csv

ENTITY = {"vacancies": "vacancy", "seekers": "seeker"}


@click.group("import")
def import_cli():
    """Bulk import from JSON Lines (one object a line, upserted by external_id)."""


def _run(kind: str, path: str, index: bool) -> None:

    with open(path, encoding="utf-8") as fh:
        total = sum(1 for line in fh if line.strip())
    # With Redis, each committed chunk queues its index jobs for the workers.
    queued = index and redis_connection() is not None
    pause = paused_without_queue(db.session) if index else paused(db.session)
    with (
        open(path, encoding="utf-8") as fh,
        click.progressbar(length=total, label=kind) as bar,
        pause,
    ):
        report = services.run(kind, fh, progress=bar.update)
    for number, reason in report.errors:
        click.echo(f"line {number}: {reason}", err=True)
    click.echo(
        f"{kind}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.errors)} rejected"
    )
    if queued and report.changed_ids:
        click.echo(f"{len(report.changed_ids)} queued for indexing by the workers")
    elif index and report.changed_ids:
        with click.progressbar(length=len(report.changed_ids), label="indexing") as bar:
            matching.sync(ENTITY[kind], report.changed_ids, progress=bar.update)
    if report.errors and not (report.created or report.updated or report.unchanged):
        raise click.exceptions.Exit(1)


@import_cli.command("vacancies")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--no-index", is_flag=True, help="Import only; the reconcile job indexes later.")
@with_appcontext
def import_vacancies(path: str, no_index: bool):
    """Vacancies: external_id, title, description, employer, region, contract_type, skills,
    language."""
    _run("vacancies", path, not no_index)


@import_cli.command("seekers")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--no-index", is_flag=True, help="Import only; the reconcile job indexes later.")
@with_appcontext
def import_seekers(path: str, no_index: bool):
    """Job seekers: external_id, desired_title, cv_text, skills, region, languages."""
    _run("seekers", path, not no_index)


@import_cli.command("training")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_training(path: str):
    """Training programmes from CSV: external_id, provider, title, description, mode,
    language, duration_hours, region, skills (ESCO labels or URIs, separated by |),
    starts_on, cost, url."""

    with open(path, encoding="utf-8", newline="") as fh, changes():
        report = import_csv(fh)
    for number, reason in report.errors:
        click.echo(f"line {number}: {reason}", err=True)
    click.echo(
        f"training: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.errors)} rejected"
    )
    if report.errors and not (report.created or report.updated or report.unchanged):
        raise click.exceptions.Exit(1)
