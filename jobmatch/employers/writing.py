"""Writing a vacancy: the occupation and skills proposed from its text, and the person's
choice among them, carried through the form without JavaScript."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import get_locale

from jobmatch.extensions import db
from jobmatch.matching.recognition import Suggestion, suggest
from jobmatch.taxonomy.models import Occupation, Skill
from jobmatch.validation import as_id


@dataclass
class Choice:
    id: int
    label: str
    chosen: str  # "" when not chosen; for a skill its relation ("essential" or "optional")
    # "label" (named in the text), "words" (named in other words), "meaning", "search" (found
    # by name), or None (kept)
    source: str | None = None


def chosen_from(form) -> tuple[int | None, dict[int, str]]:
    """The occupation and skills a posted form keeps: `occupation` and `skill-<id>` fields."""
    value = form.get("occupation", "")
    occupation_id = as_id(value)
    skills = {}
    for key, relation in form.items():
        name, _, number = key.partition("-")
        if name == "skill" and as_id(number) and relation:
            skills[as_id(number)] = relation
    return occupation_id, skills


def suggestions_for(text: str) -> dict:

    found = suggest(text)
    return {
        "occupations": [s for s in found if s.kind == "occupation"],
        "skills": [s for s in found if s.kind == "skill"],
    }


FOUND_MOST = 10
QUERY_MOST = 100


def find_skills(query: str) -> list[Suggestion]:
    """Skills an employer looks for by name: ESCO labels (English, French, and their other
    names) that contain the words, then skills the words name or mean in any language."""
    query = " ".join((query or "").split())[:QUERY_MOST]
    if len(query) < 2:
        return []
    pattern = f"%{query}%"
    rows = db.session.scalars(
        sa.select(Skill)
        .where(
            sa.or_(
                Skill.label_en.ilike(pattern),
                Skill.label_fr.ilike(pattern),
                Skill.alt_labels_en.ilike(pattern),
                Skill.alt_labels_fr.ilike(pattern),
            )
        )
        .order_by(sa.func.length(Skill.label_en), Skill.label_en)
        .limit(FOUND_MOST)
    ).all()
    found = {s.id: Suggestion("skill", s.id, s.label_en, 1.0, "search") for s in rows}
    for s in suggest(query):
        if s.kind == "skill" and len(found) < FOUND_MOST:
            found.setdefault(s.id, Suggestion("skill", s.id, s.label, s.score, "search"))
    return list(found.values())


def occupation_choices(selected: int | None, suggested) -> list[Choice]:
    locale = str(get_locale() or "en")
    rows = []
    if selected is not None:
        occupation = db.session.get(Occupation, selected)
        if occupation is not None:
            rows.append(Choice(occupation.id, occupation.label(locale), "yes"))
    ids = {c.id for c in rows}
    labels = {
        o.id: o.label(locale)
        for o in db.session.scalars(
            sa.select(Occupation).where(Occupation.id.in_([s.id for s in suggested]))
        )
    }
    rows += [
        Choice(s.id, labels.get(s.id, s.label), "", s.source) for s in suggested if s.id not in ids
    ]
    return rows


def skill_choices(chosen: dict[int, str], suggested) -> list[Choice]:
    """The chosen skills, then the suggested ones, each in the page's language where ESCO
    names it (English and French)."""
    locale = str(get_locale() or "en")
    ids = list(chosen) + [s.id for s in suggested]
    labels = {
        s.id: s.label(locale) for s in db.session.scalars(sa.select(Skill).where(Skill.id.in_(ids)))
    }
    rows = sorted(
        (Choice(i, labels[i], relation) for i, relation in chosen.items() if i in labels),
        key=lambda c: c.label.lower(),
    )
    shown = set(chosen)
    for s in suggested:  # each once: found by name first, then suggested from the text
        if s.id not in shown:
            shown.add(s.id)
            rows.append(Choice(s.id, labels.get(s.id, s.label), "", s.source))
    return rows
