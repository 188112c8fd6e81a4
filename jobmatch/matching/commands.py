"""`flask jobmatch index|match ...`: keep the indexes fresh and match in bulk."""

import json
import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from jobmatch.database import changes
from jobmatch.extensions import db
from jobmatch.matching import recognition, services
from jobmatch.matching.engine import ENTITIES
from jobmatch.matching.explain import reasons_for
from jobmatch.matching.recognition import KINDS, suggest
from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies.models import Vacancy
from jobmatch.validation import as_id


@click.group("index")
def index_cli():
    """The stored vectors and the vector indexes."""


@index_cli.command("rebuild")
@click.option("--entity", type=click.Choice([*ENTITIES, "all"]), default="all", show_default=True)
@with_appcontext
def index_rebuild(entity: str):
    """Embed what changed (only that) and rebuild the indexes from the stored vectors."""
    for name in ENTITIES if entity == "all" else (entity,):
        total = db.session.scalar(sa.select(sa.func.count()).select_from(services.MODELS[name]))
        with click.progressbar(length=total, label=f"{name:<8}") as bar:
            with changes():
                counts = services.sync(name, progress=bar.update)
        click.echo(
            f"{name}: {counts['embedded']} embedded, {counts['reused']} unchanged, "
            f"{counts['removed']} removed"
        )


@index_cli.command("concepts")
@click.option("--kind", type=click.Choice([*KINDS, "all"]), default="all", show_default=True)
@with_appcontext
def index_concepts(kind: str):
    """Embed the ESCO skill and occupation labels, for recognising them in free text."""

    for name, model in KINDS.items() if kind == "all" else [(kind, KINDS[kind])]:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(model))
        with click.progressbar(length=total, label=f"{name:<10}") as bar:
            with changes():
                counts = recognition.index_concepts(name, progress=bar.update)
        click.echo(f"{name}: {counts['embedded']} embedded, {counts['reused']} unchanged")


@click.command("suggest")
@click.argument("text")
@with_appcontext
def suggest_cli(text: str):
    """The ESCO occupations and skills recognised in TEXT (any supported language)."""

    for item in suggest(text):
        click.echo(f"{item.kind:<10} {item.score:.2f} {item.source:<7} {item.label}")


@click.group("match")
def match_cli():
    """Ranked matches, for integrations and evaluations."""


def _external(model, ids) -> dict[int, str]:
    rows = db.session.execute(sa.select(model.id, model.external_id).where(model.id.in_(ids)))
    return {i: ext or f"id:{i}" for i, ext in rows}


def _resolve(model, reference: str) -> int:
    if reference.startswith("id:") and as_id(reference[3:]):
        found = db.session.get(model, as_id(reference[3:]))
    else:
        found = db.session.scalar(sa.select(model).where(model.external_id == reference))
    if found is None:
        raise click.ClickException(f"No {model.__tablename__} with external id {reference!r}.")
    return found.id


@match_cli.command("seekers")
@click.option("--k", default=10, show_default=True, type=click.IntRange(1, 500))
@click.option("--out", type=click.File("w"), default="-", help="JSONL file (default: stdout).")
@with_appcontext
def match_seekers(k: int, out):
    """For every job seeker, the best k open vacancies (external ids, best first)."""
    seekers = db.session.scalars(sa.select(SeekerProfile.id).order_by(SeekerProfile.id)).all()
    names = _external(SeekerProfile, seekers)
    with click.progressbar(seekers, label="matching", file=sys.stderr) as bar:
        for seeker_id in bar:
            fits = services.vacancies_for_seeker(seeker_id, k)
            jobs = _external(Vacancy, [f.vacancy_id for f in fits])
            line = {"seeker": names[seeker_id], "vacancies": [jobs[f.vacancy_id] for f in fits]}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


@match_cli.command("vacancies")
@click.option("--k", default=10, show_default=True, type=click.IntRange(1, 500))
@click.option("--out", type=click.File("w"), default="-", help="JSONL file (default: stdout).")
@click.option(
    "--visible-only", is_flag=True, help="Only seekers who agreed to be found by employers."
)
@with_appcontext
def match_vacancies(k: int, out, visible_only: bool):
    """For every vacancy, the best k job seekers (external ids, best first; staff view)."""
    vacancies = db.session.scalars(sa.select(Vacancy.id).order_by(Vacancy.id)).all()
    names = _external(Vacancy, vacancies)
    flt = services.SeekerFilter(visible_only=visible_only)
    with click.progressbar(vacancies, label="matching", file=sys.stderr) as bar:
        for vacancy_id in bar:
            fits = services.candidates_for_vacancy(vacancy_id, k, flt)
            people = _external(SeekerProfile, [f.seeker_id for f in fits])
            line = {"vacancy": names[vacancy_id], "seekers": [people[f.seeker_id] for f in fits]}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


@match_cli.command("seeker")
@click.argument("reference")
@click.option("--k", default=10, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
def match_seeker(reference: str, k: int, as_json: bool):
    """One job seeker's best vacancies with the reasons (REFERENCE: external id or id:N)."""

    seeker_id = _resolve(SeekerProfile, reference)
    fits = services.vacancies_for_seeker(seeker_id, k)
    jobs = {
        v.id: v
        for v in db.session.scalars(
            sa.select(Vacancy).where(Vacancy.id.in_([f.vacancy_id for f in fits]))
        )
    }
    result = [
        {
            "vacancy": jobs[f.vacancy_id].external_id or f"id:{f.vacancy_id}",
            "title": jobs[f.vacancy_id].title,
            **f.as_dict(),
            "why": [r["text"] for r in why],
        }
        for f, why in zip(fits, reasons_for(fits), strict=True)
    ]
    if as_json:
        click.echo(
            json.dumps({"seeker": reference, "vacancies": result}, ensure_ascii=False, indent=2)
        )
        return
    for rank, item in enumerate(result, 1):
        click.echo(f"{rank:>2}. {item['score']:.3f}  {item['title']}  [{item['vacancy']}]")
        for line in item["why"]:
            click.echo(f"      - {line}")
