"""Bulk import of vacancies and job seekers from JSON Lines, upserted by external_id.

Every line is checked before anything is written; a bad line is reported with its
number and reason and the good lines are imported. Importing the same file again
changes nothing. Lines are written in chunks, one commit per chunk.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from jobmatch.database import commit_chunk, keep_statistics, utcnow
from jobmatch.employers.models import Employer
from jobmatch.extensions import db
from jobmatch.people.models import Person
from jobmatch.reference import CONTRACT_TYPES, LANGUAGES, REGIONS
from jobmatch.seekers.models import SeekerProfile, SeekerSkill
from jobmatch.taxonomy.models import Skill
from jobmatch.vacancies.models import Vacancy, VacancySkill
from jobmatch.vacancies.services import open_until
from jobmatch.validation import has_control_characters

CHUNK = 500
LIMITS = {"external_id": 100, "title": 200, "desired_title": 200, "employer": 200}


class BadLine(ValueError):
    pass


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)


class Lookup:
    """Regions, towns and ESCO skill labels, read once per import."""

    def __init__(self):
        self.regions = {}
        for code, (_name, towns) in REGIONS.items():
            for town in towns:
                self.regions.setdefault(town.lower(), (code, town))
        for code, (name, _towns) in REGIONS.items():  # a town named as its region stays a town
            self.regions.setdefault(code, (code, None))
            self.regions.setdefault(str(name).lower(), (code, None))
        self.employers: dict[str, int] = {}
        self.skills: dict[str, int] = {}
        for skill_id, label, alternatives in db.session.execute(
            sa.select(Skill.id, Skill.label_en, Skill.alt_labels_en)
        ):
            for name in [label, *filter(None, alternatives.split("|"))]:
                self.skills.setdefault(name.strip().lower(), skill_id)

    def employer(self, name: str) -> int:
        """The id of the organisation of that name, created (unverified) the first time it
        is seen; read once per import."""
        key = name.strip().lower()
        if key not in self.employers:
            found = db.session.scalar(
                sa.select(Employer.id).where(sa.func.lower(Employer.name) == key).limit(1)
            )
            if found is None:
                employer = Employer(name=name.strip(), verified=False)
                db.session.add(employer)
                db.session.flush()
                found = employer.id
            self.employers[key] = found
        return self.employers[key]

    def region(self, value) -> tuple[str | None, str | None]:
        if value in (None, ""):
            return None, None
        found = self.regions.get(_text(value, "region").strip().lower())
        if found is None:
            raise BadLine(f"unknown region {value!r}")
        return found

    def split_skills(self, value) -> tuple[set[int], list[str]]:
        names = _list(value, "skills")
        known = {self.skills[n.strip().lower()] for n in names if n.strip().lower() in self.skills}
        other = sorted({n.strip() for n in names if n.strip().lower() not in self.skills})
        return known, other


def _text(value, name: str) -> str:
    if not isinstance(value, str):
        raise BadLine(f"{name} must be text")
    if name in LIMITS and len(value) > LIMITS[name]:
        raise BadLine(f"{name} is longer than {LIMITS[name]} characters")
    if has_control_characters(value):
        raise BadLine(f"{name} holds a control character (such as NUL)")
    return value


def _list(value, name: str) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BadLine(f"{name} must be a list of non-empty texts")
    return value


def _languages(value, name: str = "languages") -> list[str]:
    codes = [v.strip().lower() for v in _list(value, name)]
    unknown = [c for c in codes if c not in LANGUAGES]
    if unknown:
        raise BadLine(f"unknown language code {unknown[0]!r} (use ISO 639-1, e.g. az, ru, en)")
    return list(dict.fromkeys(codes))


def parse_lines(lines: Iterable[str], report: ImportReport):
    """(line number, object) for each well-formed line; malformed ones go to the report."""
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
            if not isinstance(item, dict):
                raise BadLine("a line must be a JSON object")
            external = item.get("external_id")
            if not isinstance(external, str | int) or not str(external).strip():
                raise BadLine("external_id is missing")
            external = _text(str(external).strip(), "external_id")
            if external in seen:
                raise BadLine(f"external_id {external!r} repeats line {seen[external]}")
            seen[external] = number
            item["external_id"] = external
            yield number, item
        except json.JSONDecodeError as error:
            report.errors.append((number, f"not valid JSON ({error.msg})"))
        except BadLine as error:
            report.errors.append((number, str(error)))


def _chunks(pairs, size: int = CHUNK):
    chunk = []
    for pair in pairs:
        chunk.append(pair)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(kind: str, lines: Iterable[str], progress: Callable[[int], None] = lambda n: None):
    """Import `kind` ("vacancies" or "seekers"); commits once per chunk of lines."""
    report, lookup = ImportReport(), Lookup()
    apply = {"vacancies": _vacancy, "seekers": _seeker}[kind]
    model = {"vacancies": Vacancy, "seekers": SeekerProfile}[kind]
    for chunk in _chunks(parse_lines(lines, report)):
        externals = [item["external_id"] for _, item in chunk]
        existing = {
            row.external_id: row
            for row in db.session.scalars(sa.select(model).where(model.external_id.in_(externals)))
        }
        changed = []
        for number, item in chunk:
            try:
                with db.session.no_autoflush:  # a half-built row must not be flushed early
                    outcome, row = apply(item, existing.get(item["external_id"]), lookup)
            except BadLine as error:
                report.errors.append((number, str(error)))
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome != "unchanged":
                changed.append(row)
        db.session.flush()  # the chunk's rows in a few statements, not one each
        report.changed_ids.extend(row.id for row in changed)
        commit_chunk()
        keep_statistics(model)
        progress(len(chunk))
    report.errors.sort()
    return report


def _vacancy(item: dict, row: Vacancy | None, lookup: Lookup):
    title = _text(item.get("title") or "", "title").strip()
    description = _text(item.get("description") or "", "description").strip()
    if not title and not description:
        raise BadLine("a title or a description is required")
    region, city = lookup.region(item.get("region"))
    contract = item.get("contract_type") or "permanent"
    if contract not in CONTRACT_TYPES:
        raise BadLine(f"unknown contract_type {contract!r} ({', '.join(CONTRACT_TYPES)})")
    language = item.get("language")
    language = _languages([language], "language")[0] if language else None
    skills, other = lookup.split_skills(item.get("skills"))
    employer_name = _text(item.get("employer") or "Unknown employer", "employer")
    values = {
        "title": title or description[:80],
        "description": description,
        "region": region,
        "city": city,
        "contract_type": contract,
        "text_language": language,
        "other_skills": other,
    }
    employer_id = lookup.employer(employer_name)  # may flush: before the row joins the session
    if row is None:
        row = Vacancy(
            external_id=item["external_id"],
            status="published",
            published_at=utcnow(),
            expires_on=open_until(),
            languages=[],
            employer_id=employer_id,
            **values,
        )
        row.skills = [VacancySkill(skill_id=s, relation="essential") for s in sorted(skills)]
        db.session.add(row)
        return "created", row
    current_skills = {s.skill_id for s in row.skills}
    if (
        row.employer_id == employer_id
        and current_skills == skills
        and all(getattr(row, k) == v for k, v in values.items())
    ):
        return "unchanged", row
    row.employer_id = employer_id
    for key, value in values.items():
        setattr(row, key, value)
    if current_skills != skills:
        row.skills = [VacancySkill(skill_id=s, relation="essential") for s in sorted(skills)]
    return "updated", row


def _seeker(item: dict, row: SeekerProfile | None, lookup: Lookup):
    title = _text(item.get("desired_title") or "", "desired_title").strip()
    cv = _text(item.get("cv_text") or "", "cv_text").strip()
    if not title and not cv:
        raise BadLine("a desired_title or a cv_text is required")
    region, city = lookup.region(item.get("region"))
    languages = _languages(item.get("languages"))
    skills, other = lookup.split_skills(item.get("skills"))
    profile_values = {"desired_title": title, "cv_text": cv, "other_skills": other}
    person_values = {"region": region, "city": city, "languages": languages}
    created = row is None
    if created:
        person = Person(
            first_name=_text(item.get("first_name") or "", "first_name"),
            last_name=_text(item.get("last_name") or "", "last_name"),
            consent_data_processing=True,
        )
        row = SeekerProfile(external_id=item["external_id"], person=person, visible=False)
        db.session.add(row)
    current_skills = {s.skill_id for s in row.skills}
    if (
        not created
        and current_skills == skills
        and all(getattr(row, k) == v for k, v in profile_values.items())
        and all(getattr(row.person, k) == v for k, v in person_values.items())
    ):
        return "unchanged", row
    for key, value in profile_values.items():
        setattr(row, key, value)
    for key, value in person_values.items():
        setattr(row.person, key, value)
    if current_skills != skills:
        row.skills = [SeekerSkill(skill_id=s, source="declared") for s in sorted(skills)]
    return ("created" if created else "updated"), row
