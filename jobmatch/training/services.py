"""The training catalogue: import from CSV, programmes that close a seeker's skill gap to a
vacancy, and referrals to them. Flushes; the import commits once at the end."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from jobmatch.audit.services import record
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.matching.channels import occupation_ids_named
from jobmatch.notifications.services import link_to, notify
from jobmatch.reference import LANGUAGES, REGIONS, TRAINING_MODES
from jobmatch.taxonomy.models import OccupationSkill, Skill
from jobmatch.training.models import (
    ProgrammeTitle,
    TrainingInterest,
    TrainingProgramme,
    TrainingReferral,
)
from jobmatch.validation import InvalidInput

COLUMNS = ("external_id", "provider", "title", "description", "mode", "language",
           "duration_hours", "region", "skills", "starts_on", "cost", "url")  # fmt: skip
# Optional: the title in each of the service's languages (title_az, title_ru, ...).
TITLE_COLUMNS = {f"title_{code}": code for code in LANGUAGES}
REQUIRED = ("external_id", "provider", "title", "mode", "language", "duration_hours", "skills")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _skill_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for skill_id, uri, label, alternatives in db.session.execute(
        sa.select(Skill.id, Skill.uri, Skill.label_en, Skill.alt_labels_en)
    ):
        lookup[uri.lower()] = skill_id
        for name in [label, *filter(None, alternatives.split("|"))]:
            lookup.setdefault(name.strip().lower(), skill_id)
    return lookup


def _parse(row: dict, skills: dict[str, int]) -> dict:
    missing = [c for c in REQUIRED if not (row.get(c) or "").strip()]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    mode = row["mode"].strip()
    if mode not in TRAINING_MODES:
        raise ValueError(f"unknown mode {mode!r} ({', '.join(TRAINING_MODES)})")
    language = row["language"].strip().lower()
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    region = (row.get("region") or "").strip() or None
    if region is not None and region not in REGIONS:
        raise ValueError(f"unknown region {region!r}")
    try:
        hours = int(row["duration_hours"])
        cost = int(row["cost"]) if (row.get("cost") or "").strip() else None
        starts = (
            date.fromisoformat(row["starts_on"]) if (row.get("starts_on") or "").strip() else None
        )
    except ValueError as error:
        raise ValueError(f"bad number or date ({error})") from None
    if not 1 <= hours <= 5000 or (cost is not None and cost < 0):
        raise ValueError("duration_hours must be 1 to 5000, cost 0 or more")
    names = [n.strip() for n in row["skills"].split("|") if n.strip()]
    unknown = [n for n in names if n.lower() not in skills]
    if unknown:
        raise ValueError(f"unknown ESCO skill {unknown[0]!r}")
    for column, limit in (("external_id", 100), ("provider", 200), ("title", 200)):
        if len(row[column].strip()) > limit:
            raise ValueError(f"{column} is longer than {limit} characters")
    return {
        "external_id": row["external_id"].strip(),
        "provider": row["provider"].strip(),
        "title": row["title"].strip(),
        "description": (row.get("description") or "").strip(),
        "mode": mode,
        "language": language,
        "duration_hours": hours,
        "region": region,
        "starts_on": starts,
        "cost": cost,
        "url": (row.get("url") or "").strip()[:255] or None,
        "skill_ids": sorted({skills[n.lower()] for n in names}),
        "titles": _titles(row),
    }


def _titles(row: dict) -> dict[str, str]:
    """language -> title, from the optional title_<language> columns."""
    titles = {
        code: (row.get(column) or "").strip()
        for column, code in TITLE_COLUMNS.items()
        if (row.get(column) or "").strip()
    }
    if any(len(t) > 200 for t in titles.values()):
        raise ValueError("a translated title is longer than 200 characters")
    return titles


def import_csv(lines: Iterable[str]) -> ImportReport:
    """Upsert programmes by external_id. Every line is checked first; bad lines are reported
    by number and the good ones are written, in one transaction."""
    report = ImportReport()
    reader = csv.DictReader(lines)
    absent = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if absent:
        report.errors.append((1, f"missing columns: {', '.join(absent)}"))
        return report
    skills = _skill_lookup()
    parsed = []
    for number, row in enumerate(reader, start=2):
        try:
            parsed.append(_parse(row, skills))
        except ValueError as error:
            report.errors.append((number, str(error)))
    existing = {
        p.external_id: p
        for p in db.session.scalars(
            sa.select(TrainingProgramme)
            .where(TrainingProgramme.external_id.in_([v["external_id"] for v in parsed]))
            .options(selectinload(TrainingProgramme.skills))
        )
    }
    for values in parsed:
        skill_ids, titles = values.pop("skill_ids"), values.pop("titles")
        row = existing.get(values["external_id"])
        if row is None:
            row = TrainingProgramme(**values)
            row.skills = [db.session.get(Skill, i) for i in skill_ids]
            row.titles = [ProgrammeTitle(language=k, title=v) for k, v in sorted(titles.items())]
            db.session.add(row)
            existing[row.external_id] = row
            report.created += 1
            continue
        same = all(getattr(row, k) == v for k, v in values.items())
        held = {t.language: t.title for t in row.titles}
        if same and sorted(s.id for s in row.skills) == skill_ids and held == titles:
            report.unchanged += 1
            continue
        for key, value in values.items():
            setattr(row, key, value)
        row.skills = [db.session.get(Skill, i) for i in skill_ids]
        if held != titles:
            row.titles = [ProgrammeTitle(language=k, title=v) for k, v in sorted(titles.items())]
        report.updated += 1
    db.session.flush()
    return report


def catalogue(text: str = "", region: str | None = None, mode: str | None = None,
              language: str | None = None) -> sa.Select:  # fmt: skip
    query = (
        sa.select(TrainingProgramme)
        .where(TrainingProgramme.active.is_(True))
        .options(selectinload(TrainingProgramme.skills))
        .order_by(TrainingProgramme.title, TrainingProgramme.id)
    )
    if text:
        pattern = f"%{text}%"
        skills = [Skill.label_en.ilike(pattern), Skill.label_fr.ilike(pattern)]
        named = occupation_ids_named(text)  # "aşpaz", "повар", "cuisine": the cook's skills
        if named:
            skills.append(
                Skill.id.in_(
                    sa.select(OccupationSkill.skill_id).where(
                        OccupationSkill.occupation_id.in_(named),
                        OccupationSkill.relation == "essential",
                    )
                )
            )
        covered = (
            sa.select(TrainingProgramme.id).join(TrainingProgramme.skills).where(sa.or_(*skills))
        )
        query = query.where(
            sa.or_(
                TrainingProgramme.title.ilike(pattern),
                TrainingProgramme.id.in_(
                    sa.select(ProgrammeTitle.programme_id).where(
                        ProgrammeTitle.title.ilike(pattern)
                    )
                ),
                TrainingProgramme.provider.ilike(pattern),
                TrainingProgramme.id.in_(covered),
            )
        )
    if region:
        query = query.where(
            sa.or_(TrainingProgramme.region == region, TrainingProgramme.region.is_(None))
        )
    if mode:
        query = query.where(TrainingProgramme.mode == mode)
    if language:
        query = query.where(TrainingProgramme.language == language)
    return query


@dataclass
class Gap:
    missing: list  # Skill rows: essential to the vacancy, absent from the profile
    offers: list = field(default_factory=list)  # (programme, [covered Skill])
    uncovered: list = field(default_factory=list)  # missing skills no programme covers


def gap_programmes(profile, vacancy, limit: int = 10) -> Gap:
    """Programmes that teach the vacancy's essential skills the person lacks: those covering
    the most missing skills first, then those near the person (or online), then shortest."""
    have = {s.skill_id for s in profile.skills}
    missing = [
        s.skill for s in vacancy.skills if s.relation == "essential" and s.skill_id not in have
    ]
    gap = Gap(missing=sorted(missing, key=lambda s: s.label_en))
    if not missing:
        return gap
    wanted = {s.id for s in missing}
    programmes = db.session.scalars(
        sa.select(TrainingProgramme)
        .join(TrainingProgramme.skills)
        .where(TrainingProgramme.active.is_(True), Skill.id.in_(wanted))
        .options(selectinload(TrainingProgramme.skills))
        .distinct()
    ).all()
    region = profile.person.region

    def rank(programme):
        covered = [s for s in programme.skills if s.id in wanted]
        near = programme.region in (None, region)
        return (-len(covered), not near, programme.duration_hours, programme.id)

    ranked = sorted(programmes, key=rank)[:limit]
    gap.offers = [(p, [s for s in p.skills if s.id in wanted]) for p in ranked]
    covered = {s.id for _p, skills in gap.offers for s in skills}
    gap.uncovered = [s for s in gap.missing if s.id not in covered]
    return gap


def refer(counsellor, profile, programme, vacancy, note: str) -> TrainingReferral:
    """Refer a job seeker to a programme (for a vacancy); they are told."""

    note = (note or "").strip()
    if len(note) > 2000:
        raise InvalidInput(_("The note is too long: at most %(n)d characters.", n=2000), "note")
    if not programme.active:
        raise InvalidInput(_("This programme is no longer offered."))
    already = db.session.scalar(
        sa.select(TrainingReferral.id).where(
            TrainingReferral.seeker_id == profile.id,
            TrainingReferral.programme_id == programme.id,
            TrainingReferral.status.in_(("referred", "enrolled")),
        )
    )
    if already is not None:
        raise InvalidInput(_("This person is already referred to this programme."))
    row = TrainingReferral(
        counsellor_id=counsellor.id,
        seeker_id=profile.id,
        programme_id=programme.id,
        vacancy_id=getattr(vacancy, "id", None),
        note=note,
    )
    db.session.add(row)
    db.session.flush()
    record(counsellor, "training.referred", row, person_id=profile.person_id)
    user = profile.person.user
    if user is not None:
        data = {"title": programme.title_in(user.locale or "en"), "provider": programme.provider,
                "note": note,
                "counsellor": counsellor.display_name}  # fmt: skip
        notify(user, "training_referral", data, link_to("training.show", programme_id=programme.id))
    return row


def referrals_of(profile) -> list[TrainingReferral]:
    return db.session.scalars(
        sa.select(TrainingReferral)
        .where(TrainingReferral.seeker_id == profile.id)
        .options(selectinload(TrainingReferral.programme))
        .order_by(TrainingReferral.created_at.desc())
    ).all()


def express_interest(profile, programme: TrainingProgramme) -> None:
    """The person would like to take the course: kept once, and their counsellor is told."""
    if not programme.active:
        raise InvalidInput(_("This programme is no longer offered."))
    if db.session.get(TrainingInterest, (profile.id, programme.id)) is not None:
        raise InvalidInput(_("You have already said you are interested in this programme."))
    db.session.add(TrainingInterest(seeker_id=profile.id, programme_id=programme.id))
    if profile.counsellor is not None:
        title = programme.title_in(profile.counsellor.locale or "en")
        data = {"name": profile.person.full_name, "title": title}
        notify(profile.counsellor, "training_interest", data,
               link_to("counselling.seeker", seeker_id=profile.id, _anchor="profile"))  # fmt: skip
    db.session.flush()


def withdraw_interest(profile, programme: TrainingProgramme) -> None:
    row = db.session.get(TrainingInterest, (profile.id, programme.id))
    if row is None:
        raise InvalidInput(_("You had not said you are interested in this programme."))
    db.session.delete(row)
    db.session.flush()


def interests_of(profile) -> list[TrainingInterest]:
    return db.session.scalars(
        sa.select(TrainingInterest)
        .where(TrainingInterest.seeker_id == profile.id)
        .order_by(TrainingInterest.created_at.desc())
    ).all()
