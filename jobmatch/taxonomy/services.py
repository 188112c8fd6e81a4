"""ESCO taxonomy: loading the vendored files and looking concepts up."""

import csv
import gzip
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.taxonomy.models import IscoGroup, Occupation, OccupationSkill, Skill

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "esco"


@dataclass
class LoadReport:
    """What a load added and changed, per concept kind."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def changed(self) -> bool:
        return any(self.added.values()) or any(self.updated.values())


def read_rows(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _occupation(row: dict) -> dict:
    return {
        "uri": row["uri"],
        "code": row["code"],
        "isco_group": row["isco_group"],
        "label_en": row["label_en"],
        "label_fr": row["label_fr"] or None,
        "label_ar": row["label_ar"] or None,
        "alt_labels_en": row["alt_en"],
        "alt_labels_fr": row["alt_fr"],
        "description_en": row["description_en"],
    }


def _skill(row: dict) -> dict:
    return {
        "uri": row["uri"],
        "skill_type": row["skill_type"],
        "reuse_level": row["reuse_level"],
        "label_en": row["label_en"],
        "alt_labels_en": row["alt_en"],
        "description_en": row["description_en"],
        "label_fr": row.get("label_fr") or None,
        "alt_labels_fr": row.get("alt_fr") or "",
    }


def _upsert(model, key: str, rows: list[dict]) -> tuple[int, int]:
    """Insert rows whose key is new, update those whose values changed; returns the counts."""
    columns = [model.__table__.c[name] for name in rows[0]] if rows else []
    pk = model.__mapper__.primary_key[0]
    existing = {
        getattr(r, key): r for r in db.session.execute(sa.select(pk.label("_pk"), *columns))
    }
    new, changed = [], []
    for row in rows:
        current = existing.get(row[key])
        if current is None:
            new.append(row)
        elif any(getattr(current, name) != value for name, value in row.items()):
            changed.append({pk.name: current._pk, **row})
    if new:
        db.session.execute(sa.insert(model), new)
    if changed:
        db.session.execute(sa.update(model), changed)
    return len(new), len(changed)


def load(directory: Path = DATA_DIR, progress: Callable[[str], None] = lambda step: None):
    """Load or refresh the taxonomy from the vendored ESCO files; safe to run again."""
    report = LoadReport()
    steps = [
        ("isco_groups", IscoGroup, "code", "isco_groups.csv.gz", lambda r: dict(r)),
        ("occupations", Occupation, "uri", "occupations.csv.gz", _occupation),
        ("skills", Skill, "uri", "skills.csv.gz", _skill),
    ]
    for name, model, key, filename, convert in steps:
        progress(name)
        rows = [convert(r) for r in read_rows(directory / filename)]
        report.added[name], report.updated[name] = _upsert(model, key, rows)
    progress("relations")
    report.added["relations"], report.updated["relations"] = _load_relations(directory)
    db.session.flush()
    return report


def _load_relations(directory: Path) -> tuple[int, int]:
    occupations = dict(db.session.execute(sa.select(Occupation.uri, Occupation.id)).all())
    skills = dict(db.session.execute(sa.select(Skill.uri, Skill.id)).all())
    existing = {
        (o, s): relation
        for o, s, relation in db.session.execute(
            sa.select(
                OccupationSkill.occupation_id, OccupationSkill.skill_id, OccupationSkill.relation
            )
        )
    }
    new, changed = [], []
    for row in read_rows(directory / "occupation_skills.csv.gz"):
        o, s = occupations.get(row["occupation"]), skills.get(row["skill"])
        if o is None or s is None:
            continue  # a relation to a concept not released in this version
        current = existing.get((o, s))
        if current is None:
            new.append({"occupation_id": o, "skill_id": s, "relation": row["relation"]})
            existing[(o, s)] = row["relation"]
        elif current != row["relation"]:
            changed.append({"occupation_id": o, "skill_id": s, "relation": row["relation"]})
    if new:
        db.session.execute(sa.insert(OccupationSkill), new)
    if changed:
        db.session.execute(sa.update(OccupationSkill), changed)
    return len(new), len(changed)


def counts() -> dict[str, int]:
    return {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for name, model in [
            ("isco_groups", IscoGroup),
            ("occupations", Occupation),
            ("skills", Skill),
            ("relations", OccupationSkill),
        ]
    }


def occupation_skills(occupation: Occupation) -> list[tuple[Skill, str]]:
    """An occupation's skills, essential first."""
    rows = db.session.execute(
        sa.select(Skill, OccupationSkill.relation)
        .join(OccupationSkill, OccupationSkill.skill_id == Skill.id)
        .where(OccupationSkill.occupation_id == occupation.id)
        .order_by(OccupationSkill.relation, Skill.label_en)
    ).all()
    return [(skill, relation) for skill, relation in rows]
